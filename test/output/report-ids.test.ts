// The output stage's rejection reports name each row's own ID (issue #12 item 6): MemberID for the
// member and program lists, PersonalID for links, return-file and history rows; blank when the ID
// itself is the problem. The ID is the only value from the data a report holds.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hmis } from '../../src/cli/commands/hmis.js';
import { returnFile } from '../../src/cli/commands/return-file.js';
import { issueInfo, OUTPUT_REPORT_COLUMNS } from '../../src/output/issues.js';
import { parseCsvSync } from '../../src/read/csv.js';
import { FIXTURES } from './golden.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bloomlink-report-ids-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const fx = (rel: string) => join(FIXTURES, rel);
const table = (path: string) =>
  parseCsvSync(readFileSync(path, 'utf8'), { delimiter: ',' }).map((r) => r.fields);
const lineCount = (path: string) => table(path).length;

/** Report rows as objects keyed by column; checks every cell but the ID is from a fixed set. */
function reportRows(path: string, files: readonly string[]): Record<string, string>[] {
  const [header, ...body] = table(path);
  expect(header).toEqual([...OUTPUT_REPORT_COLUMNS]);
  return body.map((cells) => {
    const r = Object.fromEntries(OUTPUT_REPORT_COLUMNS.map((c, i) => [c, cells[i] ?? '']));
    expect(cells).toHaveLength(OUTPUT_REPORT_COLUMNS.length);
    expect(files).toContain(r.File);
    expect(r.Line).toMatch(/^\d+$/);
    expect(['error', 'warning']).toContain(r.Severity);
    expect(r.Description).toBe(issueInfo(r.Code as never).summary);
    return r;
  });
}

describe('output rejection reports name the record', () => {
  it('return-file: a bad member row and a bad program row carry their MemberIDs', async () => {
    const members = join(dir, 'members.csv');
    const programs = join(dir, 'programs.csv');
    copyFileSync(fx('members.csv'), members);
    copyFileSync(fx('programs.csv'), programs);
    // A leading-zero MemberID with an impossible start; a blank MemberID (nothing to name).
    writeFileSync(
      members,
      `${readFileSync(members, 'utf8')}` +
        '00417,,ZED,,QUINN,,1990-01-01,,,Golden State Health Plan,Medi-Cal,2024-02-30,\r\n' +
        ',,YAN,,QUINN,,1990-01-01,,,Golden State Health Plan,Medi-Cal,2024-01-01,\r\n',
    );
    // An unreadable start of M1's episode; an episode of a member not in the list (the ID is the issue).
    writeFileSync(
      programs,
      `${readFileSync(programs, 'utf8')}` +
        'M1,ECM,Bridgeway,,2024-13-45,\r\n' +
        'M404,ECM,Bridgeway,,2024-01-01,\r\n',
    );
    const memberLines = lineCount(members);
    const programLines = lineCount(programs);
    const out = join(dir, 'mcp-return.csv');
    expect(
      await returnFile.run({
        links: fx('links.csv'),
        members,
        programs,
        out,
        'as-of': '2026-01-01',
        quiet: true,
      }),
    ).toBe(0);
    const report = reportRows(`${out}.rejects.csv`, ['links.csv', 'members.csv', 'programs.csv']);
    const at = (file: string, line: number) =>
      report.filter((r) => r.File === file && r.Line === String(line)).map((r) => [r.ID, r.Field, r.Code]);
    expect(at('members.csv', memberLines - 1)).toEqual([
      ['00417', 'EnrollmentStartDate', 'DATE_IMPOSSIBLE'],
      ['00417', 'EnrollmentStartDate', 'REQUIRED_MISSING'],
    ]);
    expect(at('members.csv', memberLines)).toEqual([['', 'MemberID', 'ID_MISSING']]);
    expect(at('programs.csv', programLines - 1)).toEqual([
      ['M1', 'StartDate', 'DATE_IMPOSSIBLE'],
      ['M1', 'StartDate', 'REQUIRED_MISSING'],
    ]);
    expect(at('programs.csv', programLines)).toEqual([['', 'MemberID', 'PROGRAM_MEMBER_UNKNOWN']]);
    // Nothing but IDs of the files' own ID columns ever fills the ID column.
    const ids = new Set(
      [members, programs]
        .flatMap((f) => table(f).map((r) => r[0]))
        .concat(table(fx('links.csv')).map((r) => r[0])),
    );
    for (const r of report) if (r.ID !== '') expect(ids).toContain(r.ID);
  });

  it('hmis: a bad return row and a history warning carry the PersonalID', async () => {
    const ret = join(dir, 'mcp-return.csv');
    writeFileSync(
      ret,
      'PersonalID,MCP,CoverageType,MemberID,MCPEnrollmentDate,MCPExitDate,ECM,ECMProvider,ECMEnrollmentDate,ECMDischargeDate\r\n' +
        'P1,Plan,Medi-Cal,M1,2024-01-01,,not enrolled,,,\r\n' +
        'P2,Plan,Medi-Cal,M2,2024-02-30,,not enrolled,,,\r\n' +
        ',Plan,Medi-Cal,M9,2024-01-01,,not enrolled,,,\r\n',
    );
    writeFileSync(
      join(dir, 'mcp-return-history.csv'),
      'PersonalID,MemberID,Record,Program,Provider,ProviderNPI,StartDate,EndDate\r\n' +
        'P1,M1,coverage,Medi-Cal,,,2024-01-01,\r\n' +
        'P1,M1,ECM,ECM,Early Co,,2023-01-01,2023-06-30\r\n' +
        'P1,M1,coverage,Plan X,,,2024-01-01,\r\n',
    );
    const out = join(dir, 'hmis');
    expect(
      await hmis.run({
        return: ret,
        clients: fx('Client.csv'),
        'coc-code': 'CA-500',
        'project-id': 'MCP-GSHP',
        'export-date': '2026-01-15',
        out,
        quiet: true,
      }),
    ).toBe(0);
    const report = reportRows(`${out}.rejects.csv`, ['mcp-return.csv', 'mcp-return-history.csv']).map((r) =>
      [r.File, r.Line, r.ID, r.Field, r.Code].join(','),
    );
    expect(report).toEqual(
      expect.arrayContaining([
        'mcp-return.csv,3,P2,MCPEnrollmentDate,DATE_IMPOSSIBLE',
        'mcp-return.csv,4,,PersonalID,ID_MISSING',
        'mcp-return-history.csv,4,P1,Program,COVERAGE_INVALID',
        'mcp-return-history.csv,3,P1,StartDate,SERVICE_NOT_IN_SPAN',
      ]),
    );
  });
});
