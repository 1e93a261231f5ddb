import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/command.js';
import { hmis } from '../../src/cli/commands/hmis.js';
import { returnFile } from '../../src/cli/commands/return-file.js';
import { checkHmisFiles } from '../../src/output/hmis/check.js';
import { readHmisDir } from '../../src/output/hmis/read.node.js';
import { FIXTURES } from './golden.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bloomlink-output-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const fx = (rel: string) => join(FIXTURES, rel);
const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\r\n')
    .filter((l) => l !== '');

describe('return-file command', () => {
  it('writes the return file, its rejection report and an Arrow copy', async () => {
    const out = join(dir, 'mcp-return.csv');
    const code = await returnFile.run({
      links: fx('links.csv'),
      members: fx('members.csv'),
      programs: fx('programs.csv'),
      out,
      'as-of': '2026-01-01',
      arrow: join(dir, 'mcp-return.arrow'),
      quiet: true,
    });
    expect(code).toBe(0);
    expect(readFileSync(out)).toEqual(readFileSync(fx('golden/mcp-return.csv')));
    expect(readFileSync(join(dir, 'mcp-return-history.csv'))).toEqual(
      readFileSync(fx('golden/mcp-return-history.csv')),
    );
    expect(lines(`${out}.rejects.csv`).map((l) => l.split(',').slice(0, 5).join(','))).toEqual([
      'File,Line,Field,Code,Severity',
      'programs.csv,11,StartDate,ECM_OUTSIDE_MEDI_CAL,warning',
      'programs.csv,14,StartDate,ECM_OUTSIDE_MEDI_CAL,warning',
    ]);
    expect(readFileSync(join(dir, 'mcp-return.arrow')).length).toBeGreaterThan(0);
  });

  it('reports bad rows and still succeeds', async () => {
    const out = join(dir, 'r.csv');
    const report = join(dir, 'rejects.csv');
    const code = await returnFile.run({
      links: fx('broken/links.csv'),
      members: fx('broken/members.csv'),
      programs: fx('broken/programs.csv'),
      out,
      report,
      'as-of': '2026-01-01',
      quiet: true,
    });
    expect(code).toBe(0);
    expect(lines(out)).toHaveLength(2);
    expect(readFileSync(report)).toEqual(readFileSync(fx('golden/broken/mcp-return.rejects.csv')));
  });

  it('restricts services and rejects unknown ones as a usage error', async () => {
    const base = {
      links: fx('links.csv'),
      members: fx('members.csv'),
      programs: fx('programs.csv'),
      quiet: true,
    };
    const out = join(dir, 'r.csv');
    await returnFile.run({
      ...base,
      out,
      services: 'Transitional Rent, Housing Deposits',
      'include-review': true,
    });
    const header = lines(out)[0]!.split(',');
    expect(header.filter((h) => /^CS [^,]+$/.test(h) && !/ (Provider|Date)$/.test(h))).toEqual([
      'CS Housing Deposits',
      'CS Transitional Rent',
    ]);
    expect(lines(out)).toHaveLength(6);
    await expect(returnFile.run({ ...base, out, services: 'ECM' })).rejects.toThrow(UsageError);
    await expect(returnFile.run({ ...base, out, 'as-of': 'soon' })).rejects.toThrow(UsageError);
  });
});

describe('hmis command', () => {
  async function returnCsv(): Promise<string> {
    const out = join(dir, 'mcp-return.csv');
    await returnFile.run({
      links: fx('links.csv'),
      members: fx('members.csv'),
      programs: fx('programs.csv'),
      out,
      'as-of': '2026-01-01',
      // The services the HMIS golden files were made with (the default is the housing-related ones).
      services:
        'Housing Deposits, Housing Transition Navigation Services, Recuperative Care, Sobering Centers, Transitional Rent',
      quiet: true,
    });
    return out;
  }
  const base = { 'project-id': 'MCP-GSHP', 'export-date': '2026-01-15', quiet: true };

  it('writes the FY2026 files; a re-run against them writes only headers and the Export row', async () => {
    const ret = await returnCsv();
    const first = join(dir, 'first');
    expect(await hmis.run({ ...base, return: ret, out: first })).toBe(0);
    expect(readdirSync(first).sort()).toEqual([
      'CustomMCPEnrollment.csv',
      'CustomMCPServices.csv',
      'Enrollment.csv',
      'Exit.csv',
      'Export.csv',
      'Organization.csv',
      'Project.csv',
      'User.csv',
    ]);
    for (const f of ['Enrollment.csv', 'Exit.csv', 'Project.csv', 'CustomMCPServices.csv']) {
      // SoftwareVersion differs from the golden files (the library version), so compare data files only.
      expect(readFileSync(join(first, f), 'utf8').split('\r\n').slice(0, 1)).toEqual(
        readFileSync(fx(`golden/hmis-2026/${f}`), 'utf8')
          .split('\r\n')
          .slice(0, 1),
      );
      expect(lines(join(first, f)).length).toBe(lines(fx(`golden/hmis-2026/${f}`)).length);
    }
    const files = await readHmisDir(first);
    expect(checkHmisFiles(files, '2026')).toEqual([]);
    const report = lines(`${first}.rejects.csv`);
    expect(report.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
      'mcp-return.csv,4,ECMDischargeDate,DATE_AFTER_EXPORT',
      'mcp-return.csv,5,MCPExitDate,DATE_AFTER_EXPORT',
      'mcp-return.csv,5,ECMEnrollmentDate,DATE_AFTER_EXPORT',
    ]);

    const second = join(dir, 'second');
    expect(await hmis.run({ ...base, return: ret, out: second, existing: [first] })).toBe(0);
    for (const f of readdirSync(second))
      expect(lines(join(second, f)), f).toHaveLength(f === 'Export.csv' ? 2 : 1);
  });

  it('writes FY2024 on request', async () => {
    const ret = await returnCsv();
    const out = join(dir, 'fy24');
    await hmis.run({ ...base, return: ret, out, version: '2024' });
    expect(lines(join(out, 'Enrollment.csv'))[0]).toContain('SexualOrientation');
    expect(checkHmisFiles(await readHmisDir(out), '2024')).toEqual([]);
  });

  it('reports a broken return file instead of failing', async () => {
    const ret = join(dir, 'bad-return.csv');
    writeFileSync(
      ret,
      'PersonalID,MCP,CoverageType,MemberID,MCPEnrollmentDate,MCPExitDate,ECM,ECMProvider,ECMEnrollmentDate,ECMDischargeDate\r\n' +
        'P1,Plan,Medi-Cal,M1,2024-01-01,2023-01-01,not enrolled,,,\r\n' +
        'P2,Plan,Medi-Cal,M2,2024-02-30,,not enrolled,,,\r\n' +
        'P3,Plan,Medi-Cal,M3,2024-01-01,,enrolled,Prov,2024-02-01,\r\n',
    );
    const out = join(dir, 'out');
    expect(await hmis.run({ ...base, return: ret, out })).toBe(0);
    expect(lines(join(out, 'Enrollment.csv'))).toHaveLength(2);
    const report = lines(`${out}.rejects.csv`)
      .slice(1)
      .map((l) => l.split(',').slice(1, 4).join(','));
    expect(report).toEqual(
      expect.arrayContaining([
        '2,MCPExitDate,END_BEFORE_START',
        '3,MCPEnrollmentDate,DATE_IMPOSSIBLE',
        '3,MCPEnrollmentDate,REQUIRED_MISSING',
      ]),
    );
  });

  it('refuses bad options and an --out that is an --existing folder', async () => {
    const ret = await returnCsv();
    const out = join(dir, 'o');
    await expect(hmis.run({ ...base, return: ret, out, version: '2022' })).rejects.toThrow(UsageError);
    await expect(hmis.run({ ...base, return: ret, out, destination: '435' })).rejects.toThrow(UsageError);
    await expect(hmis.run({ ...base, return: ret, out, 'project-type': '3' })).rejects.toThrow(UsageError);
    await expect(hmis.run({ ...base, return: ret, out, 'export-date': '15/01/2026' })).rejects.toThrow(
      UsageError,
    );
    await expect(hmis.run({ ...base, return: ret, out, 'project-id': ' x' })).rejects.toThrow(UsageError);
    await expect(hmis.run({ ...base, return: ret, out, existing: [out] })).rejects.toMatchObject({
      code: 'OUTPUT_IS_INPUT',
    });
    await expect(hmis.run({ ...base, return: join(dir, 'missing.csv'), out })).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
    });
  });
});
