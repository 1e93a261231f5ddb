import { describe, expect, it } from 'vitest';
import { BloomlinkError } from '../../src/errors.js';
import { outputReportLines } from '../../src/output/issues.js';
import { readReturnIpc, returnRowsToIpc } from '../../src/output/return-arrow.js';
import { returnRowProblems } from '../../src/output/return-check.js';
import { RETURN_BASE_COLUMNS, returnFileColumns } from '../../src/output/return-columns.js';
import { buildReturnRows } from '../../src/output/return-file.js';
import { returnFileLines } from '../../src/output/return-format.js';
import { returnHistoryLines } from '../../src/output/return-history.js';
import { expectGolden, fixture } from './golden.js';

const AS_OF = '2026-01-01';
const inputs = () => ({
  links: fixture('links.csv'),
  members: fixture('members.csv'),
  programs: fixture('programs.csv'),
});
const broken = () => ({
  links: fixture('broken/links.csv'),
  members: fixture('broken/members.csv'),
  programs: fixture('broken/programs.csv'),
});

describe('buildReturnRows', () => {
  it('writes the golden return file: matched clients only, contract columns, episode rule', async () => {
    const r = await buildReturnRows(inputs(), { asOf: AS_OF });
    expectGolden('mcp-return.csv', [...returnFileLines(r.rows, r.services)].join(''));
    expectGolden('mcp-return-history.csv', [...returnHistoryLines(r.history)].join(''));
    expect(r.rows.map((x) => x.personalId)).toEqual(['P1', 'P2', 'P4', 'P6']);
    expect(r.reviewSkipped).toBe(1);
    // P4 (M4) is on D-SNP only, and P6's open ECM episode outlasts M6's coverage (ends 2026-02-28).
    expect(r.issues).toEqual([
      {
        file: 'programs.csv',
        line: 11,
        id: 'M4',
        field: 'StartDate',
        code: 'ECM_OUTSIDE_MEDI_CAL',
        severity: 'warning',
      },
      {
        file: 'programs.csv',
        line: 14,
        id: 'M6',
        field: 'StartDate',
        code: 'ECM_OUTSIDE_MEDI_CAL',
        severity: 'warning',
      },
    ]);
    expect(r.counts.programs.warnings).toBe(2);
    // By default the housing-related services only, in the DHCS order, whatever the program list holds.
    expect(r.services).toEqual([
      'Housing Transition Navigation Services',
      'Housing Deposits',
      'Housing Tenancy and Sustaining Services',
    ]);
    expect(r.columns).toEqual(returnFileColumns(r.services));
    expect(r.columns.slice(0, 16)).toEqual([...RETURN_BASE_COLUMNS]);
    const p1 = r.rows[0]!;
    expect(p1.ecm).toEqual({
      status: 'enrolled',
      provider: 'Bridgeway Health Services',
      enrollmentDate: '2024-08-01',
    });
    expect(p1.cs['Transitional Rent']).toBeUndefined();
    expect(p1.cs['Housing Deposits']).toEqual({
      status: 'not enrolled',
      provider: 'Hope & Harbor Services, Inc.',
      enrollmentDate: '2024-09-01',
      dischargeDate: '2024-10-15',
    });
    expect(r.rows[1]!.ecm.dischargeDate).toBe('2025-05-31');
    expect(r.rows[1]!.mcpExitDate).toBe('2025-06-30');
    expect(returnRowProblems(r.rows, r.services)).toEqual([]);
  });

  it('adds review links only when asked', async () => {
    const r = await buildReturnRows(inputs(), { asOf: AS_OF, includeReview: true });
    expect(r.rows.map((x) => x.personalId)).toEqual(['P1', 'P2', 'P3', 'P4', 'P6']);
    expect(r.reviewSkipped).toBe(0);
  });

  it('restricts and orders the services given, in any accepted spelling', async () => {
    const r = await buildReturnRows(inputs(), {
      asOf: AS_OF,
      services: ['transitional rent', 'Housing Transition/Navigation Services'],
    });
    expect(r.services).toEqual(['Housing Transition Navigation Services', 'Transitional Rent']);
    expect(r.columns).toHaveLength(16 + 8);
    const invalid = (message: string) => ({ code: 'OPTION_INVALID', message });
    await expect(buildReturnRows(inputs(), { services: ['ECM'] })).rejects.toMatchObject(
      invalid('buildReturnRows: opts.services[0] must be a Community Supports service name'),
    );
    await expect(buildReturnRows(inputs(), { services: ['Bus Passes'] })).rejects.toBeInstanceOf(
      BloomlinkError,
    );
    await expect(buildReturnRows(inputs(), { asOf: '01/01/2026' })).rejects.toMatchObject(
      invalid('buildReturnRows: opts.asOf must be an ISO date (YYYY-MM-DD)'),
    );
  });

  it('keeps nothing about non-matched members', async () => {
    const r = await buildReturnRows(inputs(), { asOf: AS_OF, includeReview: true });
    const text = [...returnFileLines(r.rows, r.services)].join('');
    for (const secret of ['M5', 'UNMATCHED', '94567890E', 'Downtown Sobering Center', '1970-01-01']) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.stringify(r.rows)).not.toContain('UNMATCHED');
  });

  it('accepts objects as well as bytes', async () => {
    const r = await buildReturnRows(
      {
        links: [{ personalid: 'P9', MemberID: 'M9', Status: 'MATCH' }],
        members: [
          {
            MemberID: 'M9',
            FirstName: 'Ana',
            LastName: 'Ruiz',
            DOB: '1980-02-03',
            MCP: 'Plan',
            CoverageType: 'medi-cal',
            EnrollmentStartDate: '2024-01-01',
          },
        ],
        programs: [
          {
            MemberID: 'M9',
            Program: 'Sobering Center',
            Provider: 'S',
            StartDate: '2025-01-01',
            EndDate: '2025-01-02',
          },
        ],
      },
      { asOf: AS_OF },
    );
    expect(r.rows).toHaveLength(1);
    expect(r.services).toEqual([
      'Housing Transition Navigation Services',
      'Housing Deposits',
      'Housing Tenancy and Sustaining Services',
    ]);
    expect(r.rows[0]!.cs['Sobering Centers']).toBeUndefined();
    expect(r.history.map((h) => h.record)).toEqual(['coverage']);
  });

  it('turns every bad input row into a report row, and the counts add up', async () => {
    const r = await buildReturnRows(broken(), { asOf: AS_OF });
    expect(r.rows.map((x) => x.personalId)).toEqual(['B1']);
    const got = r.issues
      .filter((i) => i.severity === 'error')
      .map((i) => `${i.file}:${i.line}:${i.field}:${i.code}`);
    for (const want of [
      'links.csv:5:MemberID:LINK_DUPLICATE',
      'links.csv:6:Status:LINK_STATUS_INVALID',
      'links.csv:7:PersonalID:ID_MISSING',
      'links.csv:3:MemberID:LINK_MEMBER_UNKNOWN', // BM2: its member row was rejected (end before start)
      'links.csv:4:MemberID:LINK_MEMBER_UNKNOWN', // BM404: not in the member list
      'links.csv:8:MemberID:LINK_MEMBER_UNKNOWN', // BM7: start date impossible
      'links.csv:9:MemberID:LINK_MEMBER_UNKNOWN', // BM8: end date unreadable
      'members.csv:3:EnrollmentEndDate:END_BEFORE_START',
      'members.csv:5:EnrollmentStartDate:REQUIRED_MISSING',
      'members.csv:6:EnrollmentEndDate:END_DATE_UNUSABLE',
      'programs.csv:3:EndDate:END_DATE_UNUSABLE',
      'programs.csv:4:StartDate:REQUIRED_MISSING',
      'programs.csv:5:MemberID:PROGRAM_MEMBER_UNKNOWN',
      'programs.csv:6:EndDate:END_BEFORE_START',
      'programs.csv:7:Program:PROGRAM_UNKNOWN',
    ]) {
      expect(got).toContain(want);
    }
    for (const c of Object.values(r.counts)) expect(c.rowsRead).toBe(c.used + c.rejected);
    expect(r.counts.links).toEqual({ rowsRead: 8, used: 1, rejected: 7, warnings: 0 });
    expect(r.counts.members).toMatchObject({ rowsRead: 5, used: 2, rejected: 3 });
    expect(r.counts.programs).toMatchObject({ rowsRead: 6, used: 1, rejected: 5 });
    expect(r.services).toHaveLength(3);
    expectGolden('broken/mcp-return.rejects.csv', [...outputReportLines(r.issues)].join(''));
    expectGolden('broken/mcp-return.csv', [...returnFileLines(r.rows, r.services)].join(''));
  });

  it('streams issues to onIssue instead of collecting them', async () => {
    const seen: string[] = [];
    const r = await buildReturnRows(broken(), { asOf: AS_OF, onIssue: (i) => seen.push(i.code) });
    expect(r.issues).toEqual([]);
    expect(seen).toContain('PROGRAM_MEMBER_UNKNOWN');
  });

  it('never puts a value into an issue', async () => {
    const r = await buildReturnRows(broken(), { asOf: AS_OF });
    const report = [...outputReportLines(r.issues)].join('');
    for (const value of [
      'RUIZ',
      'OKAFOR',
      'BM404',
      '31/31/2024',
      'yesterday',
      'Bus Passes',
      'maybe',
      'not a date',
    ]) {
      expect(report).not.toContain(value);
    }
  });
});

describe('return file as Arrow', () => {
  it('has the CSV columns, typed dates and the same values', async () => {
    const r = await buildReturnRows(inputs(), { asOf: AS_OF, services: ['Transitional Rent'] });
    const table = await readReturnIpc(await returnRowsToIpc(r.rows, r.services));
    expect(table.schema.fields.map((f) => f.name)).toEqual(r.columns);
    expect(table.numRows).toBe(r.rows.length);
    expect(String(table.getChild('MCPEnrollmentDate')?.type)).toBe('Date32<DAY>');
    expect(String(table.getChild('PersonalID')?.type)).toBe('Utf8');
    expect(table.getChild('MCPEnrollmentDate')?.get(0)).toBe(Date.UTC(2024, 6, 1));
    expect(table.getChild('CIN')?.get(2)).toBeNull();
    expect(table.getChild('CS Transitional Rent Provider')?.get(0)).toBe('Golden Path "Plus" <Rent>');
    const file = await readReturnIpc(await returnRowsToIpc(r.rows, r.services, 'file'));
    expect(file.numRows).toBe(r.rows.length);
  });
});
