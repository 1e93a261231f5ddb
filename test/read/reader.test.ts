import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BloomlinkError } from '../../src/errors.js';
import type { IssueCode } from '../../src/issue-codes.js';
import type { ListInput } from '../../src/read/input.js';
import { COC_COLUMNS } from '../../src/read/layouts.js';
import type { ListReader } from '../../src/read/list-reader.js';
import {
  collect,
  type ReadOptions,
  type ReadProgress,
  readClients,
  readList,
  readMembers,
  readPrograms,
} from '../../src/read/reader.js';
import { rejectionReportLines, summaryText } from '../../src/read/report.js';
import type { ReadSummary } from '../../src/read/summary.js';
import type { AnyRecord } from '../../src/read/validate.js';
import type { ListKind, MemberRecord, RowIssue } from '../../src/records.js';

const TODAY = '2025-06-01';
const fixture = (name: string): Uint8Array<ArrayBuffer> =>
  new Uint8Array(readFileSync(new URL(`../fixtures/read/${name}`, import.meta.url)));
const utf8 = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s);
const CONTRACT = 'PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality';

/** Issues as compact `line field code` strings, easy to compare exactly. */
const brief = (issues: readonly RowIssue[]): string[] =>
  issues.map((i) => `${i.line} ${i.field} ${i.code} ${i.severity}`);

function expectConsistent(summary: ReadSummary, issues: readonly RowIssue[]): void {
  expect(summary.rowsRead).toBe(summary.accepted + summary.rejected);
  expect(summary.warnings).toBe(issues.filter((i) => i.severity === 'warning').length);
  const byCode: Partial<Record<IssueCode, number>> = {};
  for (const i of issues) byCode[i.code] = (byCode[i.code] ?? 0) + 1;
  expect(summary.byCode).toEqual(byCode);
  // Per code and severity: what the printed summary labels each count with.
  const bySeverity: Partial<Record<IssueCode, { error: number; warning: number }>> = {};
  for (const i of issues) {
    const n = bySeverity[i.code] ?? { error: 0, warning: 0 };
    n[i.severity]++;
    bySeverity[i.code] = n;
  }
  expect(summary.bySeverity).toEqual(bySeverity);
  const rejectedLines = new Set(issues.filter((i) => i.severity === 'error').map((i) => i.line));
  expect(rejectedLines.size).toBe(summary.rejected);
}

async function failure(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (e) {
    if (e instanceof BloomlinkError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a BloomlinkError');
}

/** A reader as the fixture tests call it: bytes and the run's day in, any list out. */
type Read = (input: ListInput, opts: ReadOptions) => Promise<ListReader<AnyRecord>>;

describe('fixtures: every issue and the counts, exactly', () => {
  it.each<{
    file: string;
    what: string;
    read: Read;
    kind: ListKind;
    layout: string;
    issues: string[];
    summary: Omit<ReadSummary, 'byCode' | 'bySeverity'>;
  }>([
    {
      file: 'hmis-fy2026-Client.csv',
      what: 'HMIS FY2026: quoted fields, LF, dirty values',
      read: readClients,
      kind: 'coc',
      layout: 'hmis-fy2026',
      issues: [
        '3 FirstName NAME_PLACEHOLDER warning',
        '5 SSN SSN_PLACEHOLDER warning',
        '6 DOBDataQuality DQ_INCONSISTENT warning',
        '7 NameDataQuality DQ_INVALID warning',
        '7 DOB DATE_IMPOSSIBLE warning',
        '8 FirstName NAME_PLACEHOLDER error',
        '8 LastName NAME_PLACEHOLDER error',
        '8 DOB DATE_PLACEHOLDER error',
        '8 * NOTHING_TO_MATCH error',
        '9 PersonalID ID_DUPLICATE error',
        '10 DateDeleted ROW_DELETED error',
        '11 DOB DATE_AFTER_INFORMATION_DATE warning',
        '11 Sex SEX_INVALID warning',
        '12 PersonalID ID_MISSING error',
      ],
      summary: { rowsRead: 11, accepted: 7, rejected: 4, warnings: 7 },
    },
    {
      file: 'hmis-fy2024-Client.csv',
      what: 'HMIS FY2024: UTF-8 BOM, CRLF, gender columns, kind detected',
      read: readList,
      kind: 'coc',
      layout: 'hmis-fy2024',
      issues: [
        '4 FirstName NAME_PLACEHOLDER warning',
        '5 FirstName NAME_PLACEHOLDER error',
        '5 LastName NAME_PLACEHOLDER error',
        '5 DOBDataQuality DQ_INCONSISTENT error',
        '5 SSN SSN_PLACEHOLDER error',
        '5 * NOTHING_TO_MATCH error',
        '6 DOB DATE_BEFORE_1915 warning',
        '6 SSNDataQuality DQ_INCONSISTENT warning',
      ],
      summary: { rowsRead: 5, accepted: 4, rejected: 1, warnings: 3 },
    },
    {
      file: 'members-windows-1252.csv',
      what: 'MCP member list: Windows-1252, CRLF',
      read: readMembers,
      kind: 'members',
      layout: 'members',
      issues: [
        '3 CIN CIN_INVALID warning',
        '4 SSN SSN_PARTIAL warning',
        '5 CoverageType COVERAGE_INVALID error',
        '6 MCP REQUIRED_MISSING error',
        '6 EnrollmentStartDate REQUIRED_MISSING error',
        '7 EnrollmentEndDate END_BEFORE_START error',
        '9 EnrollmentStartDate DATE_IMPOSSIBLE error',
        '9 EnrollmentStartDate REQUIRED_MISSING error',
        // M001's second span (no CIN, no SSN, open, same start): kept, with the span warnings that
        // come once the whole list was read.
        '8 EnrollmentStartDate SPAN_OVERLAP warning',
        '8 * SPAN_IDENTITY_DIFFERS warning',
      ],
      summary: { rowsRead: 8, accepted: 4, rejected: 4, warnings: 4, members: 3 },
    },
    {
      file: 'programs-utf16le.csv',
      what: 'MCP program list: UTF-16LE with BOM, kind detected',
      read: readList,
      kind: 'programs',
      layout: 'programs',
      issues: [
        '4 ProviderNPI NPI_INVALID warning',
        '5 Program PROGRAM_UNKNOWN error',
        '6 Provider REQUIRED_MISSING error',
        '7 * EPISODE_DUPLICATE error',
        '8 MemberID ID_MISSING error',
      ],
      summary: { rowsRead: 8, accepted: 4, rejected: 4, warnings: 1 },
    },
  ])('$file ($what)', async ({ file, read, kind, layout, issues, summary }) => {
    const r = await collect(read(fixture(file), { today: TODAY }));
    expect(r.kind).toBe(kind);
    expect(r.layout).toBe(layout);
    expect(brief(r.issues)).toEqual(issues);
    expect(r.summary).toMatchObject(summary);
    expectConsistent(r.summary, r.issues);
  });
});

describe('fixtures: the accepted records', () => {
  it('HMIS FY2026: trimmed values, ISO dates and effective data quality', async () => {
    const { records } = await collect(readClients(fixture('hmis-fy2026-Client.csv'), { today: TODAY }));
    expect(records.map((c) => c.personalId)).toEqual([
      'P001',
      'P002',
      'P003',
      'P004',
      'P005',
      'P006',
      'P010',
    ]);
    const byId = new Map(records.map((c) => [c.personalId, c]));
    expect(byId.get('P001')).toEqual({
      line: 2,
      personalId: 'P001',
      firstName: 'Maria',
      middleName: 'Elena',
      lastName: 'Garcia-Lopez',
      nameDataQuality: 1,
      dob: '1985-03-14',
      dobDataQuality: 1,
      ssn: '123456780',
      ssnDataQuality: 1,
      sex: 'F',
      informationDate: '2024-06-01',
    });
    expect(byId.get('P002')?.lastName).toBe('"Last4"TEST" Last"');
    expect(byId.get('P002')?.firstName).toBeUndefined();
    expect(byId.get('P003')).toMatchObject({ dob: '1967-05-08', ssn: 'xxxxx6780', ssnDataQuality: 2 });
    expect(byId.get('P004')).toMatchObject({ dob: '2015-09-10', ssnDataQuality: 99 });
    expect(byId.get('P004')?.ssn).toBeUndefined();
    expect(byId.get('P005')).toMatchObject({ dob: '1990-01-01', dobDataQuality: 2 });
    expect(byId.get('P006')).toMatchObject({ nameDataQuality: 2, dobDataQuality: 99 });
    expect(byId.get('P006')?.dob).toBeUndefined();
    expect(byId.get('P010')?.dob).toBeUndefined();
  });

  it('HMIS FY2024: the gender columns as weak sex evidence', async () => {
    const r = await collect(readList(fixture('hmis-fy2024-Client.csv'), { today: TODAY }));
    const [a, b, c, d] = r.records as unknown as Record<string, unknown>[];
    expect(a).toMatchObject({ personalId: '101', lastName: 'Hernández', sex: 'F', ssn: '234567801' });
    expect(b).toMatchObject({
      personalId: '102',
      lastName: 'Núñez',
      nameSuffix: 'Jr',
      dob: '2016-07-14',
      dobDataQuality: 2,
    });
    expect(b?.sex).toBeUndefined();
    expect(c).toMatchObject({
      personalId: '103',
      lastName: 'Smith',
      nameDataQuality: 2,
      dobDataQuality: 8,
      ssnDataQuality: 8,
    });
    expect(d).toMatchObject({ personalId: '105', dob: '1912-02-29', sex: 'M', ssnDataQuality: 99 });
  });

  it('MCP member list: Latin-1 names decoded', async () => {
    const r = await collect(readMembers(fixture('members-windows-1252.csv'), { today: TODAY }));
    expect(r.records).toEqual([
      {
        line: 2,
        memberId: 'M001',
        firstName: 'José',
        lastName: 'Muñoz',
        nameDataQuality: 1,
        dob: '1985-03-14',
        dobDataQuality: 1,
        ssn: '123456780',
        ssnDataQuality: 1,
        sex: 'M',
        cin: '91234567A',
        mcp: 'L.A. Care',
        coverageType: 'Medi-Cal',
        enrollmentStartDate: '2024-01-01',
      },
      {
        line: 3,
        memberId: 'M002',
        firstName: 'Ana',
        lastName: 'Ruiz',
        nameDataQuality: 1,
        dob: '1980-02-03',
        dobDataQuality: 1,
        ssnDataQuality: 99,
        sex: 'F',
        mcp: 'Health Net',
        coverageType: 'D-SNP',
        enrollmentStartDate: '2023-01-01',
        enrollmentEndDate: '2024-06-30',
      },
      {
        line: 4,
        memberId: 'M003',
        firstName: 'Li',
        lastName: 'Wong',
        nameDataQuality: 1,
        dob: '1959-03-05',
        dobDataQuality: 1,
        ssn: 'xxxxx1234',
        ssnDataQuality: 2,
        mcp: 'L.A. Care',
        coverageType: 'Medi-Cal',
        enrollmentStartDate: '2022-07-01',
      },
      {
        line: 8,
        memberId: 'M001',
        firstName: 'José',
        lastName: 'Muñoz',
        nameDataQuality: 1,
        dob: '1985-03-14',
        dobDataQuality: 1,
        ssnDataQuality: 99,
        sex: 'M',
        mcp: 'L.A. Care',
        coverageType: 'Medi-Cal',
        enrollmentStartDate: '2024-01-01',
      },
    ]);
  });

  it('MCP program list: program names canonical', async () => {
    const r = await collect(readList(fixture('programs-utf16le.csv'), { today: TODAY }));
    expect(r.records).toEqual([
      {
        line: 2,
        memberId: 'M001',
        program: 'ECM',
        provider: 'Good Health Clinic',
        providerNpi: '1234567893',
        startDate: '2024-02-01',
      },
      {
        line: 3,
        memberId: 'M001',
        program: 'Housing Transition Navigation Services',
        provider: 'Homes, Inc.',
        startDate: '2024-03-01',
        endDate: '2024-09-30',
      },
      {
        line: 4,
        memberId: 'M001',
        program: 'Assisted Living Facility (ALF) Transitions',
        provider: 'Care Co',
        startDate: '2024-04-01',
      },
      {
        line: 9,
        memberId: 'M003',
        program: 'Sobering Centers',
        provider: 'Détox Inc',
        startDate: '2024-01-15',
      },
    ]);
  });
});

describe('encodings and CSV dirt', () => {
  const rows = [
    '1,José,Núñez,1,1980-02-03,1',
    '2,"Smith, Jr",O\'Brien,1,1981-03-04,1',
    '3,"Line\nBreak","Say ""hi""",1,1982-04-05,1',
  ];
  const text = `${CONTRACT}\n${rows.join('\n')}\n`;
  const expected = [
    { personalId: '1', firstName: 'José', lastName: 'Núñez', line: 2 },
    { personalId: '2', firstName: 'Smith, Jr', lastName: "O'Brien", line: 3 },
    { personalId: '3', firstName: 'Line\nBreak', lastName: 'Say "hi"', line: 4 },
  ];
  const encodings: Record<string, Uint8Array> = {
    'UTF-8': utf8(text),
    'UTF-8 with BOM': new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]),
    'UTF-8 with CRLF': utf8(text.replaceAll('\n', '\r\n').replace('Line\r\nBreak', 'Line\nBreak')),
    'UTF-16LE with BOM': utf16(text, true, true),
    'UTF-16BE with BOM': utf16(text, false, true),
    'Windows-1252': latin1(text),
  };
  it.each(Object.entries(encodings))('reads %s', async (_, bytes) => {
    const r = await collect(readClients(bytes, { today: TODAY }));
    expect(r.issues).toEqual([]);
    expect(
      r.records.map(({ personalId, firstName, lastName, line }) => ({
        personalId,
        firstName,
        lastName,
        line,
      })),
    ).toEqual(expected);
  });

  it('reads every input form: ArrayBuffer, Blob, ReadableStream, chunk iterables', async () => {
    const bytes = utf8(text);
    const chunks = [bytes.subarray(0, 7), bytes.subarray(7, 50), bytes.subarray(50)];
    const inputs: ListInput[] = [
      bytes.buffer.slice(0),
      new Blob([bytes]),
      new ReadableStream<Uint8Array>({
        start(c) {
          for (const ch of chunks) c.enqueue(ch);
          c.close();
        },
      }),
      chunks,
      (async function* () {
        yield* chunks;
      })(),
    ];
    for (const input of inputs) {
      const r = await collect(readClients(input, { today: TODAY }));
      expect(r.records.map((c) => c.personalId)).toEqual(['1', '2', '3']);
    }
  });

  it('flags short and long rows, ignores trailing empty fields, rejects all-blank rows', async () => {
    const r = await collect(
      readClients(
        utf8(`${CONTRACT}\n1,Ana,Ruiz,1\n2,Bo,Li,1,1980-01-01,1,,,\n3,Cy,Wu,1,1980-01-01,1,extra\n,,,,,\n`),
        { today: TODAY },
      ),
    );
    expect(brief(r.issues)).toEqual(['2 * ROW_SHORT warning', '4 * ROW_LONG warning', '5 * ROW_EMPTY error']);
    // The short row's missing DOB and DQ cells are "not given": no DQ_INVALID, DQ derived (99).
    expect(r.records[0]).toMatchObject({ personalId: '1', dobDataQuality: 99, nameDataQuality: 1 });
    expect(r.summary).toMatchObject({ rowsRead: 4, accepted: 3, rejected: 1 });
  });
});

describe('file-level failures', () => {
  it.each<{ name: string; read: Read; bytes: Uint8Array; code: string }>([
    { name: '0-byte file', read: readClients, bytes: new Uint8Array(0), code: 'FILE_EMPTY' },
    { name: 'blank lines only', read: readClients, bytes: utf8('\n\r\n\n'), code: 'FILE_EMPTY' },
    {
      name: 'binary garbage (a PNG)',
      read: readList,
      bytes: new Uint8Array([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0,
      ]),
      code: 'FILE_BINARY',
    },
    {
      name: 'binary garbage (a zip)',
      read: readClients,
      bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 0, 0, 0x21, 0, 0, 0, 0, 0, 0, 0]),
      code: 'FILE_BINARY',
    },
  ])('$name → $code', async ({ read, bytes, code }) => {
    expect((await failure(() => read(bytes, {}))).code).toBe(code);
  });

  it('header-only file → 0 rows, no error', async () => {
    const r = await collect(readClients(utf8(`${CONTRACT}\r\n`)));
    expect(r.records).toEqual([]);
    expect(r.summary).toEqual({
      rowsRead: 0,
      accepted: 0,
      rejected: 0,
      warnings: 0,
      byCode: {},
      bySeverity: {},
    });
  });

  it('missing required column → one-line COLUMN_MISSING naming it', async () => {
    const e = await failure(() =>
      readClients(utf8('PersonalID,FirstName,LastName,NameDataQuality,DOBDataQuality\n1,A,B,1,1\n')),
    );
    expect(e.code).toBe('COLUMN_MISSING');
    expect(e.message).toContain("'DOB'");
    expect(e.message).not.toContain('\n');
    const m = await failure(() => readMembers(utf8('MemberID,FirstName,LastName,DOB,CoverageType\n')));
    expect(m).toMatchObject({ code: 'COLUMN_MISSING' });
    expect(m.message).toContain("'MCP'");
    expect(m.message).toContain("'EnrollmentStartDate'");
  });

  it('the wrong list kind → LAYOUT_UNKNOWN saying what it is', async () => {
    const e = await failure(() => readClients(fixture('members-windows-1252.csv')));
    expect(e.code).toBe('LAYOUT_UNKNOWN');
    expect(e.message).toContain('member list');
  });

  it('unrecognisable header → LAYOUT_UNKNOWN without quoting the header', async () => {
    const e = await failure(() => readList(utf8('Ana Ruiz,1980-02-03,123456780\n')));
    expect(e.code).toBe('LAYOUT_UNKNOWN');
    expect(e.message).not.toMatch(/Ana|Ruiz|1980|1234/);
  });

  it('unterminated quote → FILE_TRUNCATED', async () => {
    const r = await readClients(utf8(`${CONTRACT}\n1,"Ana,Ruiz,1,1980-01-01,1\n`));
    expect((await failure(() => collect(r))).code).toBe('FILE_TRUNCATED');
  });
});

describe('every date layout and bad dates', () => {
  const cases: [raw: string, dob: string | undefined, code?: IssueCode][] = [
    ['1980-02-03', '1980-02-03'],
    ['02/03/1980', '1980-02-03'],
    ['2/3/1980', '1980-02-03'],
    ['2/3/80', '1980-02-03'],
    ['6/1/25', '2025-06-01'],
    ['3/4/27', '1927-03-04'],
    ['19800203', '1980-02-03'],
    ['03-FEB-80', '1980-02-03'],
    ['3-feb-1980', '1980-02-03'],
    ['02-03-1980', '1980-02-03'],
    ['1980-02-03 00:00:00', '1980-02-03'],
    ['1980/02/03', '1980-02-03'],
    ['2021-02-30', undefined, 'DATE_IMPOSSIBLE'],
    ['13/02/1980', undefined, 'DATE_IMPOSSIBLE'],
    ['20210230', undefined, 'DATE_IMPOSSIBLE'],
    ['31-FEB-99', undefined, 'DATE_IMPOSSIBLE'],
    ['Feb 3 1980', undefined, 'DATE_UNPARSEABLE'],
    ['03-FOO-80', undefined, 'DATE_UNPARSEABLE'],
    ['unknown', undefined, 'DATE_UNPARSEABLE'],
    ['1900-01-01', undefined, 'DATE_PLACEHOLDER'],
    ['01/01/1900', undefined, 'DATE_PLACEHOLDER'],
    ['1899-12-31', undefined, 'DATE_PLACEHOLDER'],
    ['9999-12-31', undefined, 'DATE_PLACEHOLDER'],
    ['2025-06-02', undefined, 'DATE_FUTURE'],
    ['1912-05-05', '1912-05-05', 'DATE_BEFORE_1915'],
  ];
  it.each(cases)('DOB %s', async (raw, dob, code) => {
    const r = await collect(readClients(utf8(`${CONTRACT}\n1,Ana,Ruiz,1,"${raw}",1\n`), { today: TODAY }));
    expect(r.records[0]?.dob).toBe(dob);
    expect(r.issues.map((i) => i.code)).toEqual(code === undefined ? [] : [code]);
    expect(r.records[0]?.dobDataQuality).toBe(dob === undefined ? 99 : 1);
  });

  it('a DOB after the InformationDate is unusable; a bad InformationDate falls back to today', async () => {
    const head = `${CONTRACT},InformationDate`;
    const r = await collect(
      readClients(
        utf8(`${head}\n1,Ana,Ruiz,1,2020-05-05,1,2020-01-01\n2,Bo,Li,1,2020-05-05,1,2020-02-30\n`),
        { today: TODAY },
      ),
    );
    expect(brief(r.issues)).toEqual([
      '2 DOB DATE_AFTER_INFORMATION_DATE warning',
      '3 InformationDate DATE_IMPOSSIBLE warning',
    ]);
    expect(r.records[0]).toMatchObject({ informationDate: '2020-01-01', dobDataQuality: 99 });
    expect(r.records[1]).toMatchObject({ dob: '2020-05-05' });
    expect(r.records[1]?.informationDate).toBeUndefined();
  });
});

describe('data-quality codes', () => {
  const cases: [
    nameDq: string,
    dobDq: string,
    dob: string,
    issues: string[],
    expected: Record<string, unknown>,
  ][] = [
    ['1', '1', '1980-01-01', [], { nameDataQuality: 1, dobDataQuality: 1 }],
    ['2', '2', '1980-01-01', [], { nameDataQuality: 2, dobDataQuality: 2 }],
    ['01', '1.0', '1980-01-01', [], { nameDataQuality: 1, dobDataQuality: 1 }],
    [
      '8',
      '9',
      '1980-01-01',
      ['NameDataQuality DQ_INCONSISTENT', 'DOBDataQuality DQ_INCONSISTENT'],
      { nameDataQuality: 2, dobDataQuality: 2, dob: '1980-01-01' },
    ],
    [
      '99',
      '99',
      '1980-01-01',
      ['NameDataQuality DQ_INCONSISTENT', 'DOBDataQuality DQ_INCONSISTENT'],
      { nameDataQuality: 2, dobDataQuality: 2 },
    ],
    [
      '3',
      'x',
      '1980-01-01',
      ['NameDataQuality DQ_INVALID', 'DOBDataQuality DQ_INVALID'],
      { nameDataQuality: 2, dobDataQuality: 2 },
    ],
    [
      '',
      '',
      '1980-01-01',
      ['NameDataQuality DQ_INVALID', 'DOBDataQuality DQ_INVALID'],
      { nameDataQuality: 2, dobDataQuality: 2 },
    ],
    ['1', '1', '', ['DOBDataQuality DQ_INCONSISTENT'], { dobDataQuality: 99 }],
    ['1', '', '', [], { dobDataQuality: 99 }],
    ['1', '8', '', [], { dobDataQuality: 8 }],
    ['1', '7', '', ['DOBDataQuality DQ_INVALID'], { dobDataQuality: 99 }],
    ['1', '1', '1900-01-01', ['DOB DATE_PLACEHOLDER'], { dobDataQuality: 99 }],
  ];
  it.each(cases)('NameDQ %j DOBDQ %j DOB %j', async (nameDq, dobDq, dob, issues, expected) => {
    const r = await collect(
      readClients(utf8(`${CONTRACT}\n1,Ana,Ruiz,${nameDq},${dob},${dobDq}\n`), { today: TODAY }),
    );
    expect(r.issues.map((i) => `${i.field} ${i.code}`)).toEqual(issues);
    expect(r.records[0]).toMatchObject(expected);
  });
});

describe('duplicates and rows with nothing to match on', () => {
  it('keeps the first accepted row of an ID; a rejected row does not claim its ID', async () => {
    const body = [
      'A,UNKNOWN,,99,,99',
      'A,Ana,Ruiz,1,1980-01-01,1',
      'A,Ana,Ruiz,1,1980-01-01,1',
      'B,,,99,,99',
      'B,Bo,,1,,99',
    ];
    const r = await collect(readClients(utf8(`${CONTRACT}\n${body.join('\n')}\n`), { today: TODAY }));
    expect(brief(r.issues)).toEqual([
      '2 FirstName NAME_PLACEHOLDER error',
      '2 * NOTHING_TO_MATCH error',
      '4 PersonalID ID_DUPLICATE error',
      '5 * NOTHING_TO_MATCH error',
    ]);
    expect(r.records.map((c) => `${c.line} ${c.personalId}`)).toEqual(['3 A', '6 B']);
    expectConsistent(r.summary, r.issues);
  });

  it('an SSN alone is enough to match on; a partial one too', async () => {
    const head = `${CONTRACT},SSN,SSNDataQuality`;
    const r = await collect(
      readClients(utf8(`${head}\n1,,,99,,99,234567801,1\n2,,,99,,99,xxxxx6789,2\n`), { today: TODAY }),
    );
    expect(r.issues).toEqual([]);
    expect(r.records.map((c) => c.ssn)).toEqual(['234567801', 'xxxxx6789']);
  });

  it('detects duplicates at scale (200k rows, one duplicate at the end)', async () => {
    const lines = [CONTRACT];
    for (let i = 0; i < 200_000; i++) lines.push(`${i},Ana,Ruiz,1,1980-01-01,1`);
    lines.push('123456,Bo,Li,1,1980-01-01,1');
    const reader = await readClients(utf8(`${lines.join('\n')}\n`), { today: TODAY });
    let n = 0;
    for await (const _ of reader) n++;
    expect(n).toBe(200_000);
    expect(reader.summary).toMatchObject({ rowsRead: 200_001, rejected: 1, byCode: { ID_DUPLICATE: 1 } });
    expect(brief(reader.issues)).toEqual(['200002 PersonalID ID_DUPLICATE error']);
  });
});

describe('API path: arrays and iterables of objects', () => {
  it('matches keys case-insensitively, converts numbers and Dates, derives absent DQ', async () => {
    const r = await collect(
      readClients(
        [
          {
            personalId: 17,
            firstName: 'Ana',
            lastName: 'Ruiz',
            nameDataQuality: 1,
            dob: new Date('1980-02-03'),
            dobDataQuality: 1,
          },
          {
            PERSONALID: '18',
            FIRSTNAME: 'Bo',
            LASTNAME: null,
            NAMEDATAQUALITY: '1',
            DOB: new Date(1981, 2, 4),
            ssn: '234-56-7801',
            unrelated: { x: 1 },
          },
          { personalId: '19', firstName: 'Cy', nameDataQuality: 1, dob: '2/3/80', dobDataQuality: 8 },
        ],
        { today: TODAY },
      ),
    );
    expect(r.kind).toBe('coc');
    expect(r.layout).toBe('contract');
    expect(brief(r.issues)).toEqual(['4 DOBDataQuality DQ_INCONSISTENT warning']);
    expect(r.records).toEqual([
      {
        line: 2,
        personalId: '17',
        firstName: 'Ana',
        lastName: 'Ruiz',
        nameDataQuality: 1,
        dob: '1980-02-03',
        dobDataQuality: 1,
        ssnDataQuality: 99,
      },
      {
        line: 3,
        personalId: '18',
        firstName: 'Bo',
        nameDataQuality: 1,
        dob: '1981-03-04',
        dobDataQuality: 1,
        ssn: '234567801',
        ssnDataQuality: 1,
      },
      {
        line: 4,
        personalId: '19',
        firstName: 'Cy',
        nameDataQuality: 1,
        dob: '1980-02-03',
        dobDataQuality: 2,
        ssnDataQuality: 99,
      },
    ]);
  });

  it('detects the kind from the first object and reads async iterables', async () => {
    async function* members() {
      yield {
        MemberID: 'M1',
        FirstName: 'Ana',
        LastName: 'Ruiz',
        DOB: '1980-02-03',
        MCP: 'Plan',
        CoverageType: 'D-SNP',
        EnrollmentStartDate: '2024-01-01',
      };
      yield {
        MemberID: 'M2',
        FirstName: 'Bo',
        LastName: 'Li',
        DOB: '1981-02-03',
        MCP: 'Plan',
        CoverageType: 'Medi Cal',
        EnrollmentStartDate: '2024-01-01',
        CIN: '91234567z',
      };
    }
    const r = await collect(readList(members(), { today: TODAY }));
    expect(r.kind).toBe('members');
    expect(r.records.map((m) => (m as MemberRecord).coverageType)).toEqual(['D-SNP', 'Medi-Cal']);
    expect(r.records[1]).toMatchObject({ cin: '91234567Z' });
  });

  it('requires the required keys in the first object, like a header', async () => {
    const e = await failure(() =>
      readClients([{ personalId: '1', firstName: 'A', lastName: 'B', dob: '1980-01-01' }]),
    );
    expect(e.code).toBe('COLUMN_MISSING');
    expect(e.message).toContain("'NameDataQuality'");
  });

  it('an empty array is an empty list; readList cannot detect its kind', async () => {
    expect((await collect(readPrograms([]))).summary.rowsRead).toBe(0);
    expect((await failure(() => readList([]))).code).toBe('LAYOUT_UNKNOWN');
  });

  it('rejects non-object items and unsupported values with a TypeError naming position and column', async () => {
    const ok = { MemberID: 'M1', Program: 'ECM', Provider: 'P', StartDate: '2024-01-01' };
    await expect(collect(readPrograms([ok, 'M2,ECM'] as never))).rejects.toThrow(
      /^input\[1\] must be a plain object/,
    );
    await expect(collect(readPrograms([ok, { ...ok, Provider: ['x'] }]))).rejects.toThrow(
      'input[1].Provider must be',
    );
  });
});

describe('reader mechanics', () => {
  const text = `${CONTRACT}\n${Array.from({ length: 25 }, (_, i) => `${i},Ana,Ruiz,1,${i % 5 === 0 ? '1900-01-01' : '1980-01-01'},1`).join('\n')}\n`;

  it('reports progress every N rows and once at the end, with bytes read', async () => {
    const seen: ReadProgress[] = [];
    const reader = await readClients(utf8(text), {
      today: TODAY,
      progressEvery: 10,
      onProgress: (p) => seen.push(p),
    });
    for await (const _ of reader) {
      // drain
    }
    expect(seen.map((p) => p.rowsRead)).toEqual([10, 20, 25]);
    const size = utf8(text).length;
    expect(seen.at(-1)).toEqual({ rowsRead: 25, bytesRead: size, totalBytes: size, done: true });
  });

  it('streams issues to onIssue instead of collecting them', async () => {
    const got: RowIssue[] = [];
    const reader = await readClients(utf8(text), { today: TODAY, onIssue: (i) => got.push(i) });
    for await (const _ of reader) {
      // drain
    }
    expect(got).toHaveLength(5);
    expect(reader.issues).toEqual([]);
    expect(reader.summary.byCode).toEqual({ DATE_PLACEHOLDER: 5 });
  });

  it('results() yields every row, accepted or not, in order', async () => {
    const reader = await readClients(utf8(`${CONTRACT}\n1,A,B,1,1980-01-01,1\n,A,B,1,1980-01-01,1\n`), {
      today: TODAY,
    });
    const lines: string[] = [];
    for await (const r of reader.results())
      lines.push(`${r.line} ${r.record ? 'ok' : 'rejected'} ${r.issues.length}`);
    expect(lines).toEqual(['2 ok 0', '3 rejected 1']);
  });

  it('can be iterated only once', async () => {
    const reader = await readClients(utf8(text), { today: TODAY });
    await collect(reader);
    expect(() => reader.results()).toThrow(TypeError);
    expect(() => reader[Symbol.asyncIterator]()).toThrow(TypeError);
  });

  it('stops reading a stream when the consumer breaks out early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(utf8(text));
      },
      cancel() {
        cancelled = true;
      },
    });
    const reader = await readClients(stream, { today: TODAY });
    for await (const _ of reader) break;
    expect(cancelled).toBe(true);
  });

  it('checks its arguments', async () => {
    await expect(readClients('clients.csv' as never)).rejects.toThrow(TypeError);
    await expect(readClients(42 as never)).rejects.toThrow(TypeError);
    await expect(readClients(utf8(text), { today: '06/01/2025' })).rejects.toThrow('opts.today');
    await expect(readClients(utf8(text), { progressEvery: 0 })).rejects.toThrow('opts.progressEvery');
    await expect(readClients(utf8(text), { onIssue: 'x' as never })).rejects.toThrow('opts.onIssue');
  });
});

function utf16(text: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  const view = new DataView(out.buffer);
  let at = 0;
  if (bom) {
    view.setUint16(0, 0xfeff, littleEndian);
    at = 2;
  }
  for (let i = 0; i < text.length; i++, at += 2) view.setUint16(at, text.charCodeAt(i), littleEndian);
  return out;
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => {
    const code = c.charCodeAt(0);
    if (code > 0xff) throw new RangeError('not Latin-1');
    return code;
  });
}

describe('no value from the input but the record ID ever reaches an issue, a report, a summary or an error', () => {
  // Distinctive tokens: a hit can only be a leak, never a coincidence with codes, names or numbers.
  const token = fc.stringMatching(/^[a-z]{2}[0-9][a-z0-9]{5}$/).map((t) => `zq${t}`);
  const cell = fc.oneof(
    token,
    token.map((t) => `${t} ${t.toUpperCase()}`),
    token.map((t) => `19${t}`),
    token.map((t) => `"${t}, ${t}"`),
    fc.constantFrom('', '1', '99', '1980-02-03', '2021-02-30', 'UNKNOWN', '123456789', 'xxxxx1234'),
  );
  const columns = [...COC_COLUMNS.required, 'SSN', 'SSNDataQuality', 'Sex', 'MCPMemberID', 'InformationDate'];

  function leaks(text: string, tokens: readonly string[]): string[] {
    const lower = text.toLowerCase();
    return tokens.filter((t) => lower.includes(t.toLowerCase()));
  }

  it('for any rows of a CoC list', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 0, maxLength: columns.length + 2 }), {
          minLength: 1,
          maxLength: 15,
        }),
        fc.array(token, { minLength: 0, maxLength: 2 }),
        async (rows, extraColumns) => {
          const header = [...columns, ...extraColumns];
          const lines = [header.join(','), ...rows.map((r) => r.join(','))];
          const text = `${lines.join('\n')}\n`;
          // The record's own ID (PersonalID, the first column) is named on purpose, so staff can find
          // the record; every other value must stay out.
          const ids = new Set(
            rows.flatMap((r) =>
              [...String(r[0] ?? '').matchAll(/zq[a-z0-9]{8}/gi)].map((m) => m[0].toLowerCase()),
            ),
          );
          const tokens = [...text.matchAll(/zq[a-z0-9]{8}/gi)]
            .map((m) => m[0])
            .filter((t) => !ids.has(t.toLowerCase()));
          let output = '';
          try {
            const r = await collect(readClients(utf8(text), { today: TODAY }));
            output =
              JSON.stringify(r.issues) +
              [...rejectionReportLines(r.issues)].join('') +
              summaryText(r.summary);
          } catch (e) {
            output = String((e as Error).message);
          }
          expect(leaks(output, tokens)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('for unrecognisable headers, unterminated quotes and object input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(token, { minLength: 1, maxLength: 6 }), async (tokens) => {
        const messages: string[] = [];
        const grab = async (run: () => Promise<unknown>) => {
          try {
            await run();
          } catch (e) {
            messages.push((e as Error).message);
          }
        };
        await grab(() => readList(utf8(`${tokens.join(',')}\n${tokens.join(',')}\n`)));
        await grab(() => collect(readClients(utf8(`${CONTRACT}\n1,"${tokens.join(',')}\n`))));
        await grab(() => readList([Object.fromEntries(tokens.map((t) => [t, t]))]));
        await grab(() =>
          collect(
            readPrograms([{ MemberID: tokens[0], Program: tokens, Provider: 'P', StartDate: '2024-01-01' }]),
          ),
        );
        expect(messages.length).toBe(4);
        expect(leaks(messages.join('\n'), tokens)).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});

describe('batches()', () => {
  it('yields the accepted records in non-empty arrays, in order, with the same counts', async () => {
    const lines = [CONTRACT];
    for (let i = 0; i < 3000; i++)
      lines.push(i % 3 === 0 ? `,A,B,1,1980-01-01,1` : `${i},A,B,1,1980-01-01,1`);
    const bytes = utf8(`${lines.join('\n')}\n`);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 4096) }, (_, i) =>
      bytes.subarray(i * 4096, (i + 1) * 4096),
    );
    const reader = await readClients(chunks, { today: TODAY });
    const ids: string[] = [];
    let arrays = 0;
    for await (const batch of reader.batches()) {
      expect(batch.length).toBeGreaterThan(0);
      arrays++;
      for (const c of batch) ids.push(c.personalId);
    }
    expect(arrays).toBeGreaterThan(1);
    expect(ids).toEqual(
      Array.from({ length: 3000 }, (_, i) => i)
        .filter((i) => i % 3 !== 0)
        .map(String),
    );
    expect(reader.summary).toMatchObject({ rowsRead: 3000, accepted: 2000, rejected: 1000 });
  });
});
