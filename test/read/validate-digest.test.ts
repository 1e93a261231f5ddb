/**
 * Golden digests of row validation: every RowResult (record and issues, in order, as JSON with its
 * key order) and the summary of reading generated lists, pinned as SHA-256. Validation is tuned for
 * speed; these digests make sure no optimisation ever changes a single result. If one changes, the
 * behaviour changed: find out why before touching the snapshot.
 *
 * Inputs: the synthesizer's lists (realistic defects on, mixed date formats, all three CoC layouts)
 * and seeded "fuzz" rows drawn from pools of awkward cell values, so that every issue code of the
 * registry occurs (asserted below), plus object input with missing keys (cells not given).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES, type IssueCode } from '../../src/issue-codes.js';
import type { ListInput } from '../../src/read/input.js';
import type { ListReader } from '../../src/read/list-reader.js';
import { readClients, readMembers, readPrograms } from '../../src/read/reader.js';
import type { ReadSummary } from '../../src/read/summary.js';
import type { RowResult } from '../../src/read/validate.js';
import type { CocLayout } from '../../src/records.js';
import { CONTRACT_CLIENT_COLUMNS, MEMBER_COLUMNS } from '../../src/synth/columns.js';
import { synthesize } from '../../src/synth/index.js';
import { CSV_EOL, formatCsvRow } from '../../src/util/csv-write.js';
import { rng } from '../helpers/rng.js';

const TODAY = '2025-06-01';
const ROWS = 20_000;

/**
 * SHA-256 over the JSON of every row result, then the summary. The record's ID that an issue carries
 * for the rejection report (`id`) is left out: it adds to the report, the validation outcome pinned
 * here is unchanged; test/read/report-ids.test.ts checks the IDs. The summary's `bySeverity` is left
 * out too: it is the issues above counted by code and severity (test/read/reader.test.ts checks it
 * against them), so it adds nothing to the outcome pinned here.
 */
async function digest<R>(reader: Promise<ListReader<R>>, seen: Set<IssueCode>): Promise<string> {
  const r = await reader;
  const h = createHash('sha256');
  for await (const result of r.results()) {
    const { issues, ...rest } = result satisfies RowResult<R>;
    h.update(JSON.stringify({ ...rest, issues: issues.map(({ id: _id, ...issue }) => issue) }));
    h.update('\n');
    for (const issue of result.issues) seen.add(issue.code);
  }
  // A member list's coverage-span warnings come once the whole list was read (none for other lists).
  for (const { id: _id, ...issue } of r.spanPlan?.issues ?? []) {
    h.update(JSON.stringify(issue));
    h.update('\n');
    seen.add(issue.code);
  }
  const { bySeverity: _bySeverity, ...summary } = r.summary satisfies ReadSummary;
  h.update(JSON.stringify(summary));
  return h.digest('hex');
}

function csv(header: readonly string[], rows: Iterable<readonly string[]>): Uint8Array {
  // Values as given (no formula neutralisation): the readers must see formula-like values too.
  const parts = [formatCsvRow(header, { formulas: 'keep' })];
  for (const row of rows) parts.push(formatCsvRow(row, { formulas: 'keep' }));
  return new TextEncoder().encode(parts.join(CSV_EOL) + CSV_EOL);
}

function synthCsv(list: 'clients' | 'members' | 'programs', layout: CocLayout): Uint8Array {
  const data = synthesize({
    seed: 20_250_601,
    clients: ROWS,
    members: ROWS,
    cocLayout: layout,
    dateFormat: 'mixed',
    defects: { coc: { duplicate: 0.05 } },
  });
  return csv(data.columns[list], data.rows(list));
}

const LONG_NAME = 'x'.repeat(51);
const NAMES = [
  'Ana',
  'Robert',
  ' josé ',
  'García-López',
  "O'Brien",
  'O’Brien',
  'de la Cruz',
  'Mary Ann',
  'Smith Jr',
  'John III',
  'Doe',
  'DOE',
  'John',
  'Jane',
  'J',
  'Baby',
  'Baby Girl',
  'UNKNOWN',
  'Unknown Unknown',
  'N/A',
  'Test Client',
  'Client 123',
  'xxx',
  'AA',
  '123',
  'No Name Given',
  'Jean-Paul',
  'Иван',
  'Zoë',
  'Straße',
  'Nguyễn',
  'ＡＢＣ',
  'a\u200db',
  '李',
  '.',
  '  ',
  '',
  '',
  '',
  LONG_NAME,
];
const SUFFIXES = [
  '',
  '',
  '',
  '',
  'Jr.',
  'JR',
  'III',
  'II',
  'V',
  'xx',
  'n/a',
  'Esq',
  'UNKNOWN',
  '3rd',
  LONG_NAME,
];
const DOBS = [
  '1980-02-03',
  '1975-12-31',
  '02/03/1980',
  '2/3/80',
  '2/3/24',
  '19800203',
  '03-FEB-80',
  '03-Feb-1980',
  '1900-01-01',
  '1111-11-11',
  '1899-12-31',
  '9999-12-31',
  '2030-01-01',
  '2025-06-02',
  '2025-06-01',
  '2024-05-02',
  '1910-05-05',
  '1914-12-31',
  '1980-02-30',
  '2023-02-29',
  '2024-02-29',
  '13/45/1980',
  'abc',
  ' 1980-02-03 ',
  '',
  '',
];
const DQS = ['', '1', '1', '1', '2', '8', '9', '99', '01', '1.0', ' 99 ', '3', 'x', '-1'];
const SSNS = [
  '',
  '',
  '123-45-6780',
  '123456780',
  '123 45 6780',
  '123456789',
  '987654321',
  '000000000',
  '888888',
  '078051120',
  'xxxxx6780',
  'XXXXX6780',
  'xxx-xx-xxxx',
  'xxxxxxxxx',
  '1234x6780',
  'xxxxxxxx0',
  '666123456',
  '900123456',
  '123006780',
  '123450000',
  '12345678',
  '6780',
  'abc',
];
const SEXES = ['', '0', '1', 'F', 'M', 'male', 'Woman', '8', '9', '99', 'U', 'X', '1.0', '7', 'abc', ' f '];
const IDS = ['', 'x'.repeat(33), ' id-with-spaces ', 'x'.repeat(32)];
const CINS = ['', '', '91234567A', '91234567b', ' 91234567c ', '81234567A', '9123456A'];
const COVERAGES = [
  'Medi-Cal',
  'Medi-Cal',
  'MEDI CAL',
  'dsnp',
  'D-SNP',
  'Medi-Medi Plan',
  'medicaid',
  'Covered CA',
  '',
];
const EVENT_DATES = [
  '2024-01-01',
  '2024-01-01',
  '1/1/24',
  '2023-06-15',
  '20240301',
  '01-JAN-24',
  '',
  '12/31/9999',
  '2299-12-31',
  '9999-12-31',
  '1900-01-01',
  '2024-02-30',
  'bad',
];
const TIMESTAMPS = [
  '',
  '2024-10-01 13:45:00',
  '2024-10-01T13:45:00',
  '2024-05-01',
  'junk',
  '2024-13-01 00:00:00',
];
const PROGRAMS = [
  'ECM',
  'enhanced care management',
  'Housing Transition Navigation Services',
  'Recuperative Care',
  'sobering center',
  'Day Habilitation Programs',
  'bogus',
  '',
];
const PROVIDERS = ['Good Health Clinic', 'Clinic', '', 'x'.repeat(251)];
const NPIS = ['', '1234567893', '1234567890', '123', 'abcdefghij'];

/** Fuzz rows for `header`: each cell drawn from the pool of its column; some rows short, long or blank. */
function fuzzRows(
  header: readonly string[],
  pools: Readonly<Record<string, readonly string[]>>,
  n: number,
  seed: number,
  idPrefix: string,
): string[][] {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const rows: string[][] = [];
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const row = header.map((column) => {
      const pool = pools[column];
      if (pool !== undefined) return pick(pool);
      return rand() < 0.9 ? '' : String(Math.floor(rand() * 3));
    });
    const idColumn = header.indexOf(idPrefix === 'P' ? 'PersonalID' : 'MemberID');
    // IDs: mostly fresh, some repeated (duplicates), some broken.
    const u = rand();
    const id = u < 0.9 || ids.length === 0 ? `${idPrefix}${i}` : u < 0.95 ? pick(ids) : pick(IDS);
    ids.push(id);
    row[idColumn] = id;
    const shape = rand();
    if (shape < 0.02) rows.push(row.slice(0, 1 + Math.floor(rand() * (row.length - 1))));
    else if (shape < 0.03) rows.push([...row, '']);
    else if (shape < 0.04) rows.push([...row, 'extra']);
    else if (shape < 0.045) rows.push(row.map(() => (rand() < 0.5 ? '' : ' ')));
    else rows.push(row);
  }
  return rows;
}

const PERSON_POOLS: Readonly<Record<string, readonly string[]>> = {
  FirstName: NAMES,
  MiddleName: [...NAMES, '', '', '', '', 'J R', 'Jr', 'V'],
  LastName: NAMES,
  NameSuffix: SUFFIXES,
  NameDataQuality: DQS,
  DOB: DOBS,
  DOBDataQuality: DQS,
  SSN: SSNS,
  SSNDataQuality: DQS,
  Sex: SEXES,
  Woman: ['0', '1', '', '1'],
  Man: ['0', '1', '', '0'],
  Transgender: ['0', '0', '0', '1'],
  GenderNone: ['', '', '', '99', '8'],
};
const MEMBER_POOLS = {
  ...PERSON_POOLS,
  CIN: CINS,
  MCP: ['Golden State Health Plan', 'Plan', '', 'Plan'],
  CoverageType: COVERAGES,
  EnrollmentStartDate: EVENT_DATES,
  EnrollmentEndDate: ['', '', '', ...EVENT_DATES, '2023-12-31'],
};
const CLIENT_POOLS = {
  ...PERSON_POOLS,
  MCPMemberID: ['', '', '', 'M17', 'x'.repeat(33)],
  InformationDate: ['', '', '2024-05-01', '2025-01-15', 'bad', '2024-13-01', '1/2/24'],
  DateCreated: TIMESTAMPS,
  DateUpdated: TIMESTAMPS,
  DateDeleted: ['', '', '', '', '', '', '', '', '', '2024-01-01 00:00:00'],
};
const PROGRAM_POOLS = {
  Program: PROGRAMS,
  Provider: PROVIDERS,
  ProviderNPI: NPIS,
  StartDate: ['2024-01-01', '2024-01-01', '2024-02-01', '1/1/24', '', 'bad', '1900-01-01'],
  EndDate: ['', '', '', '2024-06-30', '2023-12-31', '12/31/9999', '2024-02-30'],
};

const MEMBER_HEADER = [...MEMBER_COLUMNS];
const MEMBER_DQ_HEADER = [...MEMBER_HEADER, 'NameDataQuality', 'DOBDataQuality', 'SSNDataQuality'];
const CONTRACT_HEADER = [...CONTRACT_CLIENT_COLUMNS];
const PROGRAM_HEADER = ['MemberID', 'Program', 'Provider', 'ProviderNPI', 'StartDate', 'EndDate'];

/** Object input: cells of keys an object lacks are "not given" (`undefined`), unlike blank cells. */
function objects(header: readonly string[], rows: readonly string[][], seed: number): ListInput {
  const rand = rng(seed);
  return rows.map((row, r) => {
    const o: Record<string, string> = {};
    header.forEach((column, i) => {
      const v = row[i];
      // The first object decides the columns, so it keeps every key; the ID is always given.
      if (v !== undefined && (r === 0 || i === 0 || rand() < 0.85)) o[column] = v;
    });
    return o;
  });
}

const seen = new Set<IssueCode>();
const opts = { today: TODAY };

describe('validation digests (must never change)', () => {
  it('synthesized member list', async () => {
    expect(await digest(readMembers(synthCsv('members', 'contract'), opts), seen)).toMatchInlineSnapshot(
      `"a5f72622de3b192f3fe8953618d46cca2a938410340a37c577db00d88319ffc9"`,
    );
  });

  it('synthesized CoC client lists, all three layouts', async () => {
    const out: Record<string, string> = {};
    for (const layout of ['contract', 'hmis-fy2024', 'hmis-fy2026'] as const) {
      out[layout] = await digest(readClients(synthCsv('clients', layout), opts), seen);
    }
    expect(out).toMatchInlineSnapshot(`
      {
        "contract": "11b7eed502ef6453aa0ee72b33919f935060bbb31403af02aa0ba60a971ee412",
        "hmis-fy2024": "615e705ac55a99d67d7ea0d845273fe586cd143b96e198c7405d84ea9d776ff2",
        "hmis-fy2026": "459283a719e7e24fe9abdbdfdbc9fb2a4b155ae71177fe1e5f8cd7a7f7ad0376",
      }
    `);
  });

  it('synthesized program list', async () => {
    expect(await digest(readPrograms(synthCsv('programs', 'contract'), opts), seen)).toMatchInlineSnapshot(
      `"bbe05f5bb405856283821ed81c4684c4dda637b3bc31fdad44aac396ca83e162"`,
    );
  });

  it('fuzz member rows, with and without data-quality columns', async () => {
    const a = fuzzRows(MEMBER_HEADER, MEMBER_POOLS, ROWS, 1, 'M');
    const b = fuzzRows(MEMBER_DQ_HEADER, MEMBER_POOLS, ROWS, 2, 'M');
    expect([
      await digest(readMembers(csv(MEMBER_HEADER, a), opts), seen),
      await digest(readMembers(csv(MEMBER_DQ_HEADER, b), opts), seen),
      await digest(readMembers(objects(MEMBER_DQ_HEADER, b.slice(0, 5000), 3), opts), seen),
    ]).toMatchInlineSnapshot(`
      [
        "2896fd1aefbf8e744673ac6587313164122a713243a15249b6da19a87db4fe44",
        "1d461c7b70ca12721770e868036b2fc0a66b08ad3156e34d041719f53306a3c6",
        "80f15991ddff43000bb5c9907fc930d80f32497d9de084d600ff0cb95d911e18",
      ]
    `);
  });

  it('fuzz CoC client rows, contract and HMIS layouts', async () => {
    const out: string[] = [];
    const headers = [
      CONTRACT_HEADER,
      [...CONTRACT_HEADER, 'DateCreated', 'DateUpdated', 'DateDeleted'],
      synthesize({ seed: 1, clients: 0, members: 0, cocLayout: 'hmis-fy2024' }).columns.clients,
      synthesize({ seed: 1, clients: 0, members: 0, cocLayout: 'hmis-fy2026' }).columns.clients,
    ];
    for (const [i, header] of headers.entries()) {
      const rows = fuzzRows(header, CLIENT_POOLS, ROWS, 10 + i, 'P');
      out.push(await digest(readClients(csv(header, rows), opts), seen));
      if (i === 2) out.push(await digest(readClients(objects(header, rows.slice(0, 5000), 20), opts), seen));
    }
    expect(out).toMatchInlineSnapshot(`
      [
        "1b4eed6fe2f0180099f27e9325ea2038a96a792439c00fd7d9759a1425a6f169",
        "2c32cdbb3a49f3b00da4cd083ef1d874b95623aa1f043e1525e63fff40f1b82b",
        "e56c1b6f2b5834147aacfc7f776e78de1163f64399ca613c51cd168c0e7109d4",
        "b6190b2e62146a75d82d248ee2715d92132a6d646abd74609bbf3df2c6607965",
        "73bb1267e9a5a29e2344d0e2698913f7601506edcf3e16c7c40100157e8aca05",
      ]
    `);
  });

  it('fuzz program rows', async () => {
    const rows = fuzzRows(PROGRAM_HEADER, PROGRAM_POOLS, ROWS, 30, 'M').map((row) => {
      // Member IDs repeat by design in a program list: draw from a small set so episodes collide.
      const rand = rng(row.length + Number(row[0]?.slice(1) || 0));
      if (row.length > 0 && /^M\d+$/.test(row[0]!)) row[0] = `M${Math.floor(rand() * 500)}`;
      return row;
    });
    expect(await digest(readPrograms(csv(PROGRAM_HEADER, rows), opts), seen)).toMatchInlineSnapshot(
      `"380b380608f995e35eca605e811b5deae43c6d0981395637b5dd23fc02122ade"`,
    );
  });

  it('formula-like values (CSV injection payloads) in every list', async () => {
    const MEMBER_REQUIRED = [
      'MemberID',
      'FirstName',
      'LastName',
      'DOB',
      'MCP',
      'CoverageType',
      'EnrollmentStartDate',
    ];
    const CLIENT_REQUIRED = [
      'PersonalID',
      'FirstName',
      'LastName',
      'NameDataQuality',
      'DOB',
      'DOBDataQuality',
    ];
    const payloads = [
      '=HYPERLINK("http://x","y")',
      "+cmd|' /C calc'!A0",
      '@SUM(1+1)*cmd',
      '-2+3',
      '\tx',
      '\rx',
    ];
    const member = (p: string, i: number) => [
      `${p}M${i}`,
      p,
      `Ruiz${p}`,
      '1980-02-03',
      p,
      'Medi-Cal',
      '2024-01-01',
    ];
    const client = (p: string, i: number) => [`${p}P${i}`, p, `Ruiz${p}`, '1', '1980-02-03', '1'];
    const program = (p: string, i: number) => [`M${i}`, 'ECM', p, '', '2024-01-01', ''];
    const out = [
      await digest(readMembers(csv(MEMBER_REQUIRED, payloads.map(member)), opts), seen),
      await digest(readClients(csv(CLIENT_REQUIRED, payloads.map(client)), opts), seen),
      await digest(readPrograms(csv(PROGRAM_HEADER, payloads.map(program)), opts), seen),
    ];
    expect(out).toMatchInlineSnapshot(`
      [
        "52d38e72530e42377880786bdd0a848de6f0e8ab83dde45ad186aa76669dc9bf",
        "005e9c8cd221897939d348cf6d097d586136529c24377a3d8bf0ac9539abade1",
        "10a4004cbe547268a0ab007d4d64f100aa2e22a49dcbe7a80523dc9b9e8f20af",
      ]
    `);
  });

  it('member coverage spans: repeats, overlaps and identity changes', async () => {
    const rows = [
      ['M1', 'Ana', 'Ruiz', '1980-02-03', 'Plan', 'Medi-Cal', '2023-01-01', '2023-06-30'],
      ['M1', 'Ana', 'Ruiz', '1980-02-03', 'Plan', 'Medi-Cal', '2023-01-01', '2023-06-30'],
      ['M1', 'Ana', 'Ruiz-Lee', '1980-02-03', 'Plan', 'Medi-Cal', '2023-06-01', ''],
    ];
    expect(
      await digest(
        readMembers(
          csv(
            [
              'MemberID',
              'FirstName',
              'LastName',
              'DOB',
              'MCP',
              'CoverageType',
              'EnrollmentStartDate',
              'EnrollmentEndDate',
            ],
            rows,
          ),
          { today: TODAY },
        ),
        seen,
      ),
    ).toMatchInlineSnapshot(`"2213be01232d8171b32bce19c59a62ea5f5f543265a6bdcd1894833af0bf1450"`);
  });

  it('the inputs above produce every issue code of the registry', () => {
    const missing = Object.keys(ISSUE_CODES).filter((c) => !seen.has(c as IssueCode));
    expect(missing).toEqual([]);
  });
});
