/**
 * Real plan data through the return file: members with several coverage spans, programs with several
 * episodes, the look-back window, the history file, retractions and the episode warnings.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BloomlinkError } from '../../src/errors.js';
import { readLinkChanges } from '../../src/output/return-changes.js';
import { buildReturnRows } from '../../src/output/return-file.js';
import {
  RETURN_HISTORY_COLUMNS,
  readReturnHistory,
  returnHistoryLines,
  returnHistoryPath,
} from '../../src/output/return-history.js';
import { monthsBefore, nextDay } from '../../src/output/return-window.js';

const dir = fileURLToPath(new URL('../fixtures/plan/', import.meta.url));
const fx = (name: string) => readFileSync(`${dir}${name}`);
const inputs = () => ({ links: fx('links.csv'), members: fx('members.csv'), programs: fx('programs.csv') });
const AS_OF = '2026-01-01';
const utf8 = (s: string) => new TextEncoder().encode(s);
const CHANGES = [
  'PersonalID,MemberID,Change,Reason',
  'P1,M1,kept,',
  'P7,M7,removed,REJECTED_BY_REVIEWER',
  'P8,M8,removed,MCP_RECORD_GONE',
  'P9,M9,added,',
].join('\r\n');

describe('return file from real plan data', () => {
  it('shows the span current on the as-of day, and the identity of the most recent span', async () => {
    const r = await buildReturnRows(inputs(), { asOf: AS_OF });
    // M3's only span ended 2023-05-31, before the window (2024-01-01): not returned, counted.
    expect(r.rows.map((x) => x.personalId)).toEqual(['P1', 'P2', 'P4', 'P5', 'P6']);
    expect(r.endedBeforeWindow).toBe(1);
    expect(r.windowStart).toBe('2024-01-01');
    expect(r.members).toBe(6);
    const row = (p: string) => r.rows.find((x) => x.personalId === p)!;
    // M1: the 2024 span is current (not the ended 2023 one), so no exit.
    expect(row('P1')).toMatchObject({ mcpEnrollmentDate: '2024-03-01', coverageType: 'Medi-Cal' });
    expect(row('P1').mcpExitDate).toBeUndefined();
    // M2: now on D-SNP, under its newer surname.
    expect(row('P2')).toMatchObject({
      coverageType: 'D-SNP',
      mcpEnrollmentDate: '2025-07-01',
      lastName: 'Lopez-Diaz',
    });
    // M6: no span on the as-of day; the one that ended last, not the future one.
    expect(row('P6')).toMatchObject({ mcpEnrollmentDate: '2024-01-01', mcpExitDate: '2025-10-31' });
    // Provider change: the current ECM episode is the new provider's.
    expect(row('P1').ecm).toEqual({
      status: 'enrolled',
      provider: 'Mission Street Outreach',
      enrollmentDate: '2025-03-01',
    });
    expect(row('P4').cs['Housing Tenancy and Sustaining Services']).toMatchObject({
      status: 'enrolled',
      enrollmentDate: '2024-11-01',
    });
    // Minimum necessary: no Medically Tailored Meals unless asked for.
    expect(r.services).not.toContain('Medically Tailored Meals/Medically-Supportive Food');
    expect(JSON.stringify(r.history)).not.toContain('Meals on Wheels');
    const asked = await buildReturnRows(inputs(), { asOf: AS_OF, services: ['Medically Tailored Meals'] });
    expect(asked.rows[0]!.cs['Medically Tailored Meals/Medically-Supportive Food']?.status).toBe('enrolled');
  });

  it('writes every span and episode in the window to the history, and retractions last', async () => {
    const r = await buildReturnRows({ ...inputs(), changes: utf8(CHANGES) }, { asOf: AS_OF });
    const text = [...returnHistoryLines(r.history)].join('');
    expect(text.split('\r\n')).toEqual([
      RETURN_HISTORY_COLUMNS.join(','),
      'P1,M1,coverage,Medi-Cal,,,2024-03-01,',
      'P1,M1,ECM,ECM,Bridgeway Health Services,,2024-03-01,2025-02-28',
      'P1,M1,ECM,ECM,Mission Street Outreach,,2025-03-01,',
      'P1,M1,CS,Housing Transition Navigation Services,Home First Housing,,2024-04-01,',
      'P1,M1,CS,Housing Deposits,Home First Housing,,2024-05-01,2024-05-31',
      'P2,M2,coverage,Medi-Cal,,,2024-01-01,2025-06-30',
      'P2,M2,coverage,D-SNP,,,2025-07-01,',
      'P2,M2,ECM,ECM,Bridgeway Health Services,,2025-08-01,',
      'P4,M4,coverage,Medi-Cal,,,2024-01-01,2025-03-31',
      'P4,M4,coverage,Medi-Cal,,,2025-01-01,',
      'P4,M4,CS,Housing Tenancy and Sustaining Services,Tenancy Partners,,2024-02-01,2024-12-31',
      'P4,M4,CS,Housing Tenancy and Sustaining Services,Tenancy Partners,,2024-11-01,',
      'P5,M5,coverage,Medi-Cal,,,2024-01-01,',
      'P6,M6,coverage,Medi-Cal,,,2024-01-01,2025-10-31',
      'P6,M6,coverage,Medi-Cal,,,2026-03-01,',
      'P6,M6,ECM,ECM,Bridgeway Health Services,,2024-02-01,2025-10-31',
      'P7,M7,retracted,,,,,',
      '',
    ]);
    expect(r.retracted).toBe(1);
    // Read back: the same rows.
    const back = await readReturnHistory(utf8(text), { today: AS_OF });
    expect(back.rows).toEqual(r.history);
    expect(back.counts).toEqual({
      rowsRead: r.history.length,
      used: r.history.length,
      rejected: 0,
      warnings: 0,
    });
  });

  it('warns, with codes, about episodes outside coverage and overlapping episodes; counts add up', async () => {
    const r = await buildReturnRows(inputs(), { asOf: AS_OF });
    const got = r.issues.map((i) => `${i.file}:${i.line}:${i.code}:${i.severity}`);
    expect(got).toEqual([
      'members.csv:3:SPAN_IDENTITY_DIFFERS:warning',
      'members.csv:8:SPAN_OVERLAP:warning',
      'members.csv:9:SPAN_REPEATED:warning',
      'programs.csv:7:ECM_OUTSIDE_MEDI_CAL:warning', // M2's 2022 ECM: before any coverage
      'programs.csv:8:ECM_OUTSIDE_MEDI_CAL:warning', // M2's ECM while on D-SNP
      'programs.csv:10:EPISODE_OVERLAP:warning',
      'programs.csv:11:SERVICE_OUTSIDE_COVERAGE:warning', // M5's deposit before its coverage
    ]);
    expect(r.counts.members).toEqual({ rowsRead: 11, used: 11, rejected: 0, warnings: 3 });
    expect(r.counts.programs).toEqual({ rowsRead: 11, used: 11, rejected: 0, warnings: 4 });
  });

  it('a longer window returns the old membership; lookbackMonths is checked', async () => {
    const r = await buildReturnRows(inputs(), { asOf: AS_OF, lookbackMonths: 60 });
    expect(r.endedBeforeWindow).toBe(0);
    expect(r.history.filter((h) => h.memberId === 'M1' && h.record === 'coverage')).toHaveLength(2);
    await expect(buildReturnRows(inputs(), { lookbackMonths: -1 })).rejects.toMatchObject({
      code: 'OPTION_INVALID',
    });
  });
});

describe('changes file', () => {
  it('reads added, kept and removed links', async () => {
    const c = await readLinkChanges(utf8(CHANGES));
    expect(c.map((x) => `${x.line} ${x.change} ${x.reason ?? ''}`)).toEqual([
      '2 kept ',
      '3 removed REJECTED_BY_REVIEWER',
      '4 removed MCP_RECORD_GONE',
      '5 added ',
    ]);
  });

  it.each([
    ['PersonalID,MemberID,Change\r\nP1,M1,kept\r\n', 'COLUMN_MISSING', /Reason/],
    [
      'PersonalID,MemberID,Change,Reason\r\nP1,M1,gone,\r\n',
      'INPUT_INVALID',
      /line 2, Change: must be added, kept or removed/,
    ],
    ['PersonalID,MemberID,Change,Reason\r\nP1,,kept,\r\n', 'INPUT_INVALID', /line 2, MemberID/],
    ['PersonalID,MemberID,Change,Reason\r\nP1,M1,removed,\r\n', 'INPUT_INVALID', /line 2, Reason/],
  ])('%j → %s', async (text, code, message) => {
    const e = await readLinkChanges(utf8(text), 'changes.csv').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BloomlinkError);
    expect(e).toMatchObject({ code });
    expect((e as Error).message).toMatch(message);
    expect((e as Error).message).not.toContain('gone');
  });
});

describe('readReturnHistory', () => {
  it('rejects bad rows with issues and keeps the good ones; formula protection undone', async () => {
    const text = [
      RETURN_HISTORY_COLUMNS.join(','),
      'P1,M1,coverage,medi-cal,,,01/02/2024,',
      "P1,M1,ECM,ECM,'=Clinic,,2024-01-01,2024-02-01",
      'P1,M1,enrollment,ECM,A,,2024-01-01,',
      'P1,M1,CS,ECM,A,,2024-01-01,',
      'P1,M1,CS,Housing Deposits,,,2024-01-01,',
      'P1,M1,coverage,Medi-Cal,,,2024-03-01,2024-02-01',
      ',M2,retracted,,,,,',
    ].join('\r\n');
    const r = await readReturnHistory(utf8(text), { today: AS_OF });
    expect(r.rows).toEqual([
      { personalId: 'P1', memberId: 'M1', record: 'coverage', program: 'Medi-Cal', startDate: '2024-01-02' },
      {
        personalId: 'P1',
        memberId: 'M1',
        record: 'ECM',
        program: 'ECM',
        provider: '=Clinic',
        startDate: '2024-01-01',
        endDate: '2024-02-01',
      },
    ]);
    expect(r.issues.map((i) => `${i.line}:${i.field}:${i.code}`)).toEqual([
      '4:Record:HISTORY_RECORD_INVALID',
      '5:Program:PROGRAM_UNKNOWN',
      '6:Provider:REQUIRED_MISSING',
      '7:EndDate:END_BEFORE_START',
      '8:PersonalID:ID_MISSING',
    ]);
    expect(r.counts).toMatchObject({ rowsRead: 7, used: 2, rejected: 5 });
    await expect(readReturnHistory(utf8('PersonalID,MemberID\r\n'))).rejects.toMatchObject({
      code: 'COLUMN_MISSING',
    });
  });

  it('writes formula-like cells neutralised, and reads them back as given', async () => {
    const row = {
      personalId: 'P1',
      memberId: 'M1',
      record: 'ECM',
      program: 'ECM',
      provider: '=HYPERLINK("x")',
      startDate: '2024-01-01',
    } as const;
    const text = [...returnHistoryLines([row])].join('');
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect((await readReturnHistory(utf8(text), { today: AS_OF })).rows).toEqual([row]);
  });

  it('names the history file beside the return file', () => {
    expect(returnHistoryPath('out/mcp-return.csv')).toBe('out/mcp-return-history.csv');
    expect(returnHistoryPath('out.d/ret')).toBe('out.d/ret-history.csv');
  });
});

describe('window arithmetic', () => {
  it('months before, clamped; the next day', () => {
    expect(monthsBefore('2026-01-01', 24)).toBe('2024-01-01');
    expect(monthsBefore('2026-03-31', 1)).toBe('2026-02-28');
    expect(monthsBefore('2024-03-31', 1)).toBe('2024-02-29');
    expect(monthsBefore('2026-01-15', 0)).toBe('2026-01-15');
    expect(nextDay('2024-12-31')).toBe('2025-01-01');
  });
});
