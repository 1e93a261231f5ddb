/**
 * Formula safety (OWASP CSV injection): payloads in IDs, names, plan and provider names of the input
 * lists are flagged on reading (FORMULA_LIKE_VALUE) and reach no file a person opens as something a
 * spreadsheet would run — links, review, return file, rejection reports, HMIS files — while numbers
 * the tool computes (negative match weights) stay numbers and the values read back unchanged.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Command, OptionValues } from '../../src/cli/command.js';
import { encode } from '../../src/cli/commands/encode.js';
import { hmis } from '../../src/cli/commands/hmis.js';
import { match } from '../../src/cli/commands/match.js';
import { returnFile } from '../../src/cli/commands/return-file.js';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { matchBatches } from '../../src/match/match.js';
import { readLinks } from '../../src/output/links.js';
import { linksFileLines, reviewFileLines } from '../../src/output/links-write.js';
import { readReturnFile } from '../../src/output/return-read.js';
import { parseCsvSync } from '../../src/read/csv.js';
import { collect, readMembers } from '../../src/read/reader.js';
import { CSV_EOL, formatCsvRow, isFormulaLike } from '../../src/util/csv-write.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = join(root, 'data', 'sample');
const KEY = `${'5a3c91e07bd24f68'.repeat(3)}0f1e2d3c4b5a6978\n`;
const dir = mkdtempSync(join(tmpdir(), 'bloomlink-formula-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Payloads of OWASP's list as IDs (at most 32 characters, no control characters: HMIS refuses those). */
const PAYLOADS = [
  '=HYPERLINK("http://x","y")',
  "+cmd|' /C calc'!A0",
  '@SUM(1+1)*cmd',
  '-2+3',
  '=cmd',
  '-1-1',
];
/** As names: a leading tab or CR too (flagged on reading; the readers trim them away). */
const NAME_PAYLOADS = [...PAYLOADS, '\t=SUM(1)', '\r=x'];

const rows = (file: string) =>
  parseCsvSync(readFileSync(file, 'utf8'), { delimiter: ',' }).map((r) => r.fields);
const write = (file: string, table: string[][]) =>
  writeFileSync(file, table.map((r) => formatCsvRow(r, { formulas: 'keep' }) + CSV_EOL).join(''));

async function run(cmd: Command, values: OptionValues): Promise<void> {
  const stderr = process.stderr.write;
  process.stderr.write = () => true;
  try {
    expect(await cmd.run({ quiet: true, ...values })).toBe(0);
  } finally {
    process.stderr.write = stderr;
  }
}

/** Every cell of a CSV file a person may open: none may be run by a spreadsheet. */
function expectSafe(file: string): string[][] {
  const table = rows(file);
  for (const row of table)
    for (const cell of row) expect(isFormulaLike(cell), `${file}: ${cell}`).toBe(false);
  return table;
}

describe('formula payloads from the input lists', () => {
  it('are neutralised in links, review, return file, rejection reports and HMIS files, and read back', async () => {
    // The first 40 true pairs of the sample; payloads in the IDs, middle names, plan and provider names.
    const truth = rows(join(sample, 'truth.csv')).slice(1, 41);
    const pid = new Map(truth.map(([p], i) => [p!, i < 6 ? PAYLOADS[i]! : p!]));
    const mid = new Map(truth.map(([, m], i) => [m!, i >= 6 && i < 12 ? PAYLOADS[i - 6]! : m!]));
    const clients = rows(join(sample, 'clients.csv'));
    const members = rows(join(sample, 'members.csv'));
    const programs = rows(join(sample, 'programs.csv'));
    const f = {
      clients: join(dir, 'clients.csv'),
      members: join(dir, 'members.csv'),
      programs: join(dir, 'programs.csv'),
      coc: join(dir, 'coc.arrow'),
      mcp: join(dir, 'mcp.arrow'),
      links: join(dir, 'links.csv'),
      review: join(dir, 'review.csv'),
      ret: join(dir, 'mcp-return.csv'),
      hmis: join(dir, 'hmis'),
    };
    // A client's MCPMemberID names the member's MemberID: renamed with it (however it is written).
    const known = clients[0]!.indexOf('MCPMemberID');
    const renamed = (id: string) => mid.get(id.toUpperCase().replace(/-/g, '')) ?? id;
    write(f.clients, [
      clients[0]!,
      ...clients.slice(1).flatMap((r) => {
        if (!pid.has(r[0]!)) return [];
        const out = [pid.get(r[0]!)!, ...r.slice(1)];
        if (known >= 0 && out[known]) out[known] = renamed(out[known]!);
        return [out];
      }),
    ]);
    const mh = members[0]!;
    const [middle, mcp] = [mh.indexOf('MiddleName'), mh.indexOf('MCP')];
    write(f.members, [
      mh,
      ...members.slice(1).flatMap((r, i) => {
        if (!mid.has(r[0]!)) return [];
        const out = [mid.get(r[0]!)!, ...r.slice(1)];
        out[middle] = NAME_PAYLOADS[i % NAME_PAYLOADS.length]!;
        out[mcp] = '=Plan()';
        return [out];
      }),
    ]);
    const provider = programs[0]!.indexOf('Provider');
    write(f.programs, [
      programs[0]!,
      ...programs.slice(1).flatMap((r, i) => {
        if (!mid.has(r[0]!)) return [];
        const out = [mid.get(r[0]!)!, ...r.slice(1)];
        out[provider] = PAYLOADS[i % PAYLOADS.length]!;
        return [out];
      }),
    ]);

    const members0 = await collect(readMembers(readFileSync(f.members), { today: '2026-01-01' }));
    const flagged = new Set(
      members0.issues.filter((x) => x.code === 'FORMULA_LIKE_VALUE').map((x) => x.field),
    );
    expect([...flagged].sort()).toEqual(['MCP', 'MemberID', 'MiddleName']);
    expect(members0.issues.every((x) => x.code !== 'FORMULA_LIKE_VALUE' || x.severity === 'warning')).toBe(
      true,
    );

    const keyFile = join(dir, 'k.key');
    writeFileSync(keyFile, KEY, { mode: 0o600 });
    const today = { today: '2026-01-01', threads: '1' };
    await run(encode, { in: f.clients, key: keyFile, out: f.coc, ...today });
    await run(encode, { in: f.members, key: keyFile, out: f.mcp, ...today });
    await run(match, { coc: f.coc, mcp: f.mcp, out: f.links, review: f.review, threads: '1' });
    await run(returnFile, {
      links: f.links,
      members: f.members,
      programs: f.programs,
      out: f.ret,
      'as-of': '2026-01-01',
    });
    await run(hmis, {
      return: f.ret,
      clients: f.clients,
      'coc-code': 'CA-500',
      'project-id': 'MCP-GSHP',
      out: f.hmis,
      'export-date': '2026-01-01',
    });

    const links = expectSafe(f.links);
    const linkIds = new Set(links.flatMap((r) => [r[0], r[1]]));
    for (const p of PAYLOADS) expect(linkIds).toContain(`'${p}`);
    expectSafe(f.review);
    // Rejection reports name the line, the record's ID, field and code, never another value; the
    // warnings are there. List reports have the Code in column 4 (Line,ID,Field,Code,…), the output
    // stage's in column 5 (File,Line,ID,Field,Code,…).
    for (const file of [f.coc, f.mcp, f.ret].map((x) => `${x}.rejects.csv`).concat(`${f.hmis}.rejects.csv`))
      expectSafe(file);
    const codes = (file: string) => new Set(rows(file).map((r) => r[3]));
    expect(codes(`${f.coc}.rejects.csv`)).toContain('FORMULA_LIKE_VALUE');
    expect(codes(`${f.mcp}.rejects.csv`)).toContain('FORMULA_LIKE_VALUE');
    // A formula-like ID is never the ID of an output report row, not even neutralised.
    for (const file of [`${f.ret}.rejects.csv`, `${f.hmis}.rejects.csv`]) {
      const ids = rows(file).map((r) => r[2]);
      for (const p of PAYLOADS) expect(ids).not.toContain(`'${p}`);
    }
    const ret = expectSafe(f.ret).flat();
    expect(ret).toContain("'=Plan()");
    expect(ret.some((c) => c.startsWith("'=HYPERLINK"))).toBe(true);
    const hmisCells = readdirSync(f.hmis).flatMap((n) => expectSafe(join(f.hmis, n)).flat());
    for (const p of PAYLOADS) expect(hmisCells).toContain(`'${p}`);
    expect(hmisCells.some((c) => c.startsWith("''"))).toBe(false);

    // Read back, the values are the originals.
    const read = await readLinks(readFileSync(f.links));
    expect(read.links.map((l) => l.personalId)).toEqual(expect.arrayContaining(PAYLOADS));
    const back = await readReturnFile(readFileSync(f.ret), { today: '2026-01-01' });
    expect(back.rows.map((r) => r.memberId)).toEqual(expect.arrayContaining(PAYLOADS));
  });

  it('keeps computed numbers as numbers: a negative MatchWeight is not prefixed', () => {
    const key = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const person = (id: string, first: string) => ({
      id,
      firstName: first,
      lastName: 'Lopez',
      dob: '1980-01-02',
      nameDataQuality: 1 as const,
      dobDataQuality: 1 as const,
      ssnDataQuality: 99 as const,
    });
    const coc = new RecordEncoder(key, { party: 'coc' }).encodeBatch([
      person('=1+2', 'Ana'),
      person('-3', 'Bo'),
    ]);
    const mcp = new RecordEncoder(key, { party: 'mcp' }).encodeBatch([
      person('@A1', 'Ana'),
      person('+7', 'Cy'),
    ]);
    const r = matchBatches(coc, mcp, { uSamplePairs: 4 });
    const negative = {
      ...r,
      links: [
        { personalId: '=1+2', memberId: '@A1', weight: -3.21, probability: 0.1, status: 'review' as const },
      ],
      explanations: [],
    };
    const links = parseCsvSync([...linksFileLines(negative)].join(''), { delimiter: ',' });
    expect(links[1]!.fields).toEqual(["'=1+2", "'@A1", '-3.2100', '0.100000', 'review']);
    const review = parseCsvSync([...reviewFileLines(negative)].join(''), { delimiter: ',' });
    expect(review[1]!.fields.slice(0, 3)).toEqual(["'=1+2", "'@A1", '-3.2100']);
  });
});
