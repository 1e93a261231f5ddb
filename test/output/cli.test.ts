import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/command.js';
import { hmis } from '../../src/cli/commands/hmis.js';
import { returnFile } from '../../src/cli/commands/return-file.js';
import { checkHmisFiles } from '../../src/output/hmis/check.js';
import { readHmisDir } from '../../src/output/hmis/read.node.js';
import { returnHistoryPath } from '../../src/output/return-history.js';
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
    // Each row names the program row's own MemberID.
    expect(lines(`${out}.rejects.csv`).map((l) => l.split(',').slice(0, 6).join(','))).toEqual([
      'File,Line,ID,Field,Code,Severity',
      'programs.csv,11,M4,StartDate,ECM_OUTSIDE_MEDI_CAL,warning',
      'programs.csv,14,M6,StartDate,ECM_OUTSIDE_MEDI_CAL,warning',
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
    // The golden files are of the return file alone; the history path (one enrollment per coverage
    // span) is test/output/hmis-monthly.test.ts and test/cli/monthly-cycle.test.ts.
    rmSync(returnHistoryPath(out));
    return out;
  }
  const base = {
    clients: fx('Client.csv'),
    'coc-code': 'CA-500',
    'project-id': 'MCP-GSHP',
    'export-date': '2026-01-15',
    quiet: true,
  };

  it('writes a complete FY2026 export; a re-run against it writes the same bytes', async () => {
    const ret = await returnCsv();
    const first = join(dir, 'first');
    expect(await hmis.run({ ...base, return: ret, out: first })).toBe(0);
    expect(readdirSync(first).sort()).toEqual([
      'Client.csv',
      'CustomMCPEnrollment.csv',
      'CustomMCPServices.csv',
      'Enrollment.csv',
      'Exit.csv',
      'Export.csv',
      'Funder.csv',
      'HMISParticipation.csv',
      'Organization.csv',
      'Project.csv',
      'ProjectCoC.csv',
      'User.csv',
    ]);
    // The CoC's own rows, unchanged, for the enrolled clients only.
    const source = lines(fx('Client.csv'));
    expect(lines(join(first, 'Client.csv'))).toEqual([
      source[0],
      ...source.filter((l) => /^P[1246],/.test(l)),
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
    expect(report[0]).toBe('File,Line,ID,Field,Code,Severity,Description');
    expect(report.slice(1).map((l) => l.split(',').slice(0, 5).join(','))).toEqual([
      'mcp-return.csv,4,P4,ECMDischargeDate,DATE_AFTER_EXPORT',
      'mcp-return.csv,5,P6,MCPExitDate,DATE_AFTER_EXPORT',
      'mcp-return.csv,5,P6,ECMEnrollmentDate,DATE_AFTER_EXPORT',
    ]);

    const second = join(dir, 'second');
    expect(await hmis.run({ ...base, return: ret, out: second, existing: [first] })).toBe(0);
    for (const f of readdirSync(second))
      expect(readFileSync(join(second, f)), f).toEqual(readFileSync(join(first, f)));
  });

  it('reads the history beside the return file: one enrollment per coverage span', async () => {
    const ret = await returnCsv();
    writeFileSync(
      join(dir, 'mcp-return-history.csv'),
      'PersonalID,MemberID,Record,Program,Provider,ProviderNPI,StartDate,EndDate\r\n' +
        'P1,M1,coverage,Medi-Cal,,,2023-01-01,2023-12-31\r\n' +
        'P1,M1,coverage,Medi-Cal,,,2024-07-01,\r\n' +
        'P1,M1,ECM,ECM,Old Co,,2023-02-01,2023-12-31\r\n' +
        'P1,M1,ECM,ECM,Outside Co,,2024-03-01,2024-04-01\r\n' +
        'P2,M2,retracted,,,,,\r\n' +
        'P4,M4,coverage,Medi-Cal,,,2021-10-01,\r\n' +
        'P6,M6,coverage,Medi-Cal,,,2025-03-01,2026-02-28\r\n',
    );
    const out = join(dir, 'spans');
    expect(await hmis.run({ ...base, return: ret, out })).toBe(0);
    const enr = lines(join(out, 'Enrollment.csv'))
      .slice(1)
      .map((l) => l.split(',').slice(1, 4).join(','));
    expect(enr).toEqual([
      '"P1","MCP-GSHP",2023-01-01',
      '"P1","MCP-GSHP",2024-07-01',
      '"P4","MCP-GSHP",2021-10-01',
      '"P6","MCP-GSHP",2025-03-01',
    ]);
    expect(
      lines(join(out, 'Exit.csv'))
        .slice(1)
        .map((l) => l.split(',')[3]),
    ).toEqual(['2023-12-31']);
    const report = lines(`${out}.rejects.csv`).map((l) => l.split(',').slice(0, 5).join(','));
    expect(report).toContain('mcp-return-history.csv,5,P1,StartDate,SERVICE_NOT_IN_SPAN');
    expect(checkHmisFiles(await readHmisDir(out), '2026')).toEqual([]);
    rmSync(join(dir, 'mcp-return-history.csv'));
  });

  it('refuses a --clients file that lacks a linked client, naming the count only', async () => {
    const ret = await returnCsv();
    const clients = join(dir, 'few-clients.csv');
    writeFileSync(clients, 'PersonalID,FirstName\r\nP1,A\r\n');
    const out = join(dir, 'no-clients');
    const run = hmis.run({ ...base, clients, return: ret, out });
    await expect(run).rejects.toMatchObject({ code: 'CLIENT_MISSING' });
    await expect(run).rejects.toThrow(/ 3 PersonalID/);
    await expect(run).rejects.not.toThrow(/P2|P4|P6/);
    // Nothing was written.
    expect(readdirSync(dir).includes('no-clients') ? readdirSync(join(dir, 'no-clients')) : []).toEqual([]);
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
      .map((l) => l.split(',').slice(1, 5).join(','));
    expect(report).toEqual(
      expect.arrayContaining([
        '2,P1,MCPExitDate,END_BEFORE_START',
        '3,P2,MCPEnrollmentDate,DATE_IMPOSSIBLE',
        '3,P2,MCPEnrollmentDate,REQUIRED_MISSING',
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
    await expect(hmis.run({ ...base, return: ret, out, 'coc-code': 'CA500' })).rejects.toThrow(UsageError);
    await expect(hmis.run({ ...base, return: ret, out, geocode: '1' })).rejects.toThrow(UsageError);
    await expect(hmis.run({ ...base, return: ret, out, 'as-of': '2026-02-01' })).rejects.toThrow(UsageError);
    await expect(hmis.run({ ...base, return: ret, out, existing: [out] })).rejects.toMatchObject({
      code: 'OUTPUT_IS_INPUT',
    });
    await expect(hmis.run({ ...base, return: join(dir, 'missing.csv'), out })).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
    });
  });
});
