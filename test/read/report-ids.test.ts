/**
 * Rejection reports a plan's staff can use (issue #12 item 6): every row names the record's own ID
 * (PersonalID of a CoC list, MemberID of a member or program list), blank when the ID itself is the
 * problem; the .xlsx report keeps IDs as text and has a Summary sheet whose counts add up.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { validate } from '../../src/cli/commands/validate.js';
import { parseCsvSync } from '../../src/read/csv.js';
import { collect, readClients, readMembers, readPrograms } from '../../src/read/reader.js';
import { rejectionReportLines } from '../../src/read/report.js';
import { unzip } from './helpers.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const opts = { today: '2025-06-01' };
const report = (issues: Parameters<typeof rejectionReportLines>[0]) =>
  parseCsvSync([...rejectionReportLines(issues)].join('')).map((r) => r.fields);

describe('the ID column of the rejection report', () => {
  it('CoC list: the PersonalID, blank when the ID is the problem', async () => {
    const text =
      'PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality\n' +
      '00123,Ana,Ruiz,1,2021-02-30,1\n' + // line 2: a bad date, ID named (leading zeros kept)
      ',Bo,Kim,1,1980-01-01,1\n' + // line 3: ID_MISSING
      '00123,Cy,Lee,1,1980-01-01,1\n' + // line 4: ID_DUPLICATE
      `${'9'.repeat(40)},Di,Ng,1,1980-01-01,1\n` + // line 5: ID_TOO_LONG
      ' 77 ,Ed,Fox,9,1980-01-01,1\n'; // line 6: DQ_INCONSISTENT, ID trimmed as read
    const { issues, summary } = await collect(readClients(utf8(text), opts));
    const rows = report(issues);
    expect(rows[0]).toEqual(['Line', 'ID', 'Field', 'Code', 'Severity', 'Description']);
    const byLine = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(byLine.get('2')?.slice(1, 4)).toEqual(['00123', 'DOB', 'DATE_IMPOSSIBLE']);
    expect(byLine.get('3')?.slice(1, 4)).toEqual(['', 'PersonalID', 'ID_MISSING']);
    expect(byLine.get('4')?.slice(1, 4)).toEqual(['', 'PersonalID', 'ID_DUPLICATE']);
    expect(byLine.get('5')?.slice(1, 4)).toEqual(['', 'PersonalID', 'ID_TOO_LONG']);
    expect(byLine.get('6')?.slice(1, 3)).toEqual(['77', 'NameDataQuality']);
    // Every issue of a row with an ID problem has the ID blank; the others carry exactly the row's ID.
    for (const i of issues) {
      if ([3, 4, 5].includes(i.line)) expect(i.id).toBeUndefined();
      else expect(i.id).toBe(i.line === 2 ? '00123' : '77');
    }
    expect(summary.rowsRead).toBe(summary.accepted + summary.rejected);
  });

  it('member and program lists: the MemberID; a formula-like ID is flagged and left blank', async () => {
    const members = await collect(
      readMembers(
        utf8(
          'MemberID,FirstName,LastName,DOB,MCP,CoverageType,EnrollmentStartDate\n' +
            'M007,Ana,Ruiz,1980-02-03,Plan,Medi-Cal,2024-13-01\n' +
            '=M8,Bo,Kim,1980-02-03,Plan,Medi-Cal,2024-01-01\n',
        ),
        opts,
      ),
    );
    expect(members.issues.filter((i) => i.line === 2).every((i) => i.id === 'M007')).toBe(true);
    expect(members.issues.filter((i) => i.line === 3).map((i) => [i.field, i.code, i.id])).toContainEqual([
      'MemberID',
      'FORMULA_LIKE_VALUE',
      undefined,
    ]);
    const programs = await collect(
      readPrograms(utf8('MemberID,Program,Provider,StartDate\nM007,ECM,Clinic,not a date\n'), opts),
    );
    expect(programs.issues.length).toBeGreaterThan(0);
    expect(programs.issues.every((i) => i.id === 'M007')).toBe(true);
  });
});

describe('validate --report FILE.xlsx', () => {
  it('IDs as text cells (leading zeros survive Excel) and a Summary sheet whose counts add up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bloomlink-report-ids-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const list = join(dir, 'clients.csv');
    writeFileSync(
      list,
      'PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality\n' +
        '000123,Ana,Ruiz,1,2021-02-30,1\n,Bo,Kim,1,1980-01-01,1\n0456,Cy,Lee,1,1980-01-01,1\n',
    );
    const out = join(dir, 'rejects.xlsx');
    expect(await validate.run({ in: list, report: out, quiet: true, today: '2025-06-01' })).toBe(0);
    const files = unzip(new Uint8Array(readFileSync(out)));
    const sheet = new TextDecoder().decode(files.get('xl/worksheets/sheet1.xml'));
    expect(sheet).toContain('<c r="B2" t="inlineStr"><is><t xml:space="preserve">000123</t></is></c>');
    const summary = new TextDecoder().decode(files.get('xl/worksheets/sheet2.xml'));
    const count = (item: string) =>
      Number(new RegExp(`${item}</t></is></c><c r="B\\d+"><v>(\\d+)</v>`).exec(summary)?.[1]);
    expect(count('Rows read')).toBe(3);
    expect(count('Accepted') + count('Rejected')).toBe(3);
    expect(count('Rejected')).toBe(1);
    expect(count('ID_MISSING \\(error\\)')).toBe(1);
    expect(count('DATE_IMPOSSIBLE \\(warning\\)')).toBe(1);
    expect(new TextDecoder().decode(files.get('xl/workbook.xml'))).toContain('<sheet name="Summary"');
  });
});
