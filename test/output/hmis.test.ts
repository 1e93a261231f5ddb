import { describe, expect, it } from 'vitest';
import { BloomlinkError } from '../../src/errors.js';
import { buildHmisExport, type HmisExport } from '../../src/output/hmis/build.js';
import { checkHmisFiles } from '../../src/output/hmis/check.js';
import { type ClientTable, clientFileLines, readClientFile } from '../../src/output/hmis/clients.js';
import { stableId } from '../../src/output/hmis/ids.js';
import {
  HMIS_FILES,
  type HmisFileName,
  type HmisVersion,
  hmisColumns,
} from '../../src/output/hmis/layouts.js';
import type { HmisOptions } from '../../src/output/hmis/options.js';
import { detectHmisVersion, type HmisFiles, readHmisFiles } from '../../src/output/hmis/read.js';
import type { HmisTable } from '../../src/output/hmis/table.js';
import { hmisFileText } from '../../src/output/hmis/write.js';
import type { ReturnRow } from '../../src/output/return-columns.js';
import { buildReturnRows, type ReturnResult } from '../../src/output/return-file.js';
import { readReturnHistory } from '../../src/output/return-history.js';
import { expectGolden, fixture } from './golden.js';

/** The CoC's Client.csv: a row for every client of the fixtures (and more). */
const CLIENTS: ClientTable = {
  columns: ['PersonalID', 'FirstName', 'SSN'],
  byId: new Map(
    ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P9'].map((id) => [id, [id, `=Name ${id}`, '001234567']]),
  ),
};
const OPTS = {
  projectId: 'MCP-GSHP',
  cocCode: 'CA-500',
  clients: CLIENTS,
  exportDate: '2026-01-15',
  softwareVersion: 'test',
} as const;
const TS = '2026-01-15 00:00:00';

/**
 * The return rows alone, without their history: these tests cover what `hmis` makes of a return file
 * with no history beside it (the history path is test/output/hmis-monthly.test.ts).
 */
async function returnRows(): Promise<Omit<ReturnResult, 'history'>> {
  const { history: _history, ...rows } = await buildReturnRows(
    { links: fixture('links.csv'), members: fixture('members.csv'), programs: fixture('programs.csv') },
    // The services these golden files were made with (the default is the housing-related ones).
    {
      asOf: '2026-01-01',
      services: [
        'Housing Deposits',
        'Housing Transition Navigation Services',
        'Recuperative Care',
        'Sobering Centers',
        'Transitional Rent',
      ],
    },
  );
  return rows;
}

function texts(exp: HmisExport): Map<HmisFileName, string> {
  return new Map([...exp.files].map(([f, t]) => [f, hmisFileText(t, exp.version)]));
}

/** Writes and reads the files back through the project's own HMIS reader. */
async function reread(exp: HmisExport): Promise<HmisFiles> {
  const enc = new TextEncoder();
  return readHmisFiles(Object.fromEntries([...texts(exp)].map(([f, t]) => [f, enc.encode(t)])));
}

const rowsOf = (exp: HmisExport, f: HmisFileName) => exp.files.get(f)!.rows;
const col = (t: HmisTable, row: readonly string[], c: string) => row[t.columns.indexOf(c)]!;

describe.each(['2026', '2024'] as const)('HMIS CSV FY%s', (version: HmisVersion) => {
  it('writes the golden files, which pass the HUD checks after a round trip', async () => {
    const exp = buildHmisExport(await returnRows(), { ...OPTS, version });
    for (const [file, text] of texts(exp)) expectGolden(`hmis-${version}/${file}`, text);
    const back = await reread(exp);
    expect(detectHmisVersion(back)).toBe(version);
    expect(checkHmisFiles(back, version)).toEqual([]);
    for (const f of HMIS_FILES) {
      expect(back.get(f)!.columns).toEqual(hmisColumns(f, version));
      expect(back.get(f)!.rows).toEqual(exp.files.get(f)!.rows);
    }
    // 4 clients: MCP, CoverageType, MemberID, CIN (P6 has none) and CoverageConfirmedThrough each.
    expect(exp.counts).toEqual({
      enrollments: 4,
      exits: 1,
      answers: 19,
      services: 8,
      autoExits: 0,
      deleted: 0,
      liveEnrollments: 4,
    });
  });

  it('run again against its own output: the same bytes; a later day confirms open coverage again', async () => {
    const rows = await returnRows();
    const first = buildHmisExport(rows, { ...OPTS, version });
    const again = buildHmisExport(rows, { ...OPTS, version, existing: await reread(first) });
    expect(texts(again)).toEqual(texts(first));
    expect(again.counts).toMatchObject({ enrollments: 0, exits: 0, answers: 0, services: 0 });
    const exp = again.files.get('Export.csv')!;
    expect(col(exp, exp.rows[0]!, 'ExportDirective')).toBe('2'); // full refresh
    expect(col(exp, exp.rows[0]!, 'ExportPeriodType')).toBe('3');
    const enr = again.files.get('Enrollment.csv')!;
    const entries = enr.rows.map((r) => col(enr, r, 'EntryDate')).sort();
    expect(col(exp, exp.rows[0]!, 'ExportStartDate')).toBe(entries[0]); // the earliest entry
    const later = buildHmisExport(rows, {
      ...OPTS,
      version,
      exportDate: '2026-01-16',
      existing: await reread(first),
    });
    // Only the open spans' CoverageConfirmedThrough answers change (P1, P4, P6; P2 ended).
    expect(later.counts).toMatchObject({ enrollments: 0, exits: 0, answers: 3, services: 0 });
    const ans = later.files.get('CustomMCPEnrollment.csv')!;
    const updated = ans.rows.filter((r) => col(ans, r, 'DateUpdated') === '2026-01-16 00:00:00');
    expect(updated.map((r) => `${col(ans, r, 'PersonalID')}:${col(ans, r, 'CustomAnswer')}`)).toEqual([
      'P1:2026-01-16',
      'P4:2026-01-16',
      'P6:2026-01-16',
    ]);
    for (const f of HMIS_FILES) expect(rowsOf(later, f).length, f).toBe(rowsOf(first, f).length);
    expect(checkHmisFiles(await reread(later), version)).toEqual([]);
  });
});

describe('buildHmisExport', () => {
  it('is deterministic: same input, same bytes; IDs are 32 hex characters', async () => {
    const rows = await returnRows();
    const a = texts(buildHmisExport(rows, OPTS));
    const b = texts(buildHmisExport(rows, OPTS));
    expect(b).toEqual(a);
    const exp = buildHmisExport(rows, OPTS);
    const enr = exp.files.get('Enrollment.csv')!;
    for (const r of enr.rows) expect(col(enr, r, 'EnrollmentID')).toMatch(/^[0-9a-f]{32}$/);
    expect(col(enr, enr.rows[0]!, 'EnrollmentID')).toBe(
      stableId('enrollment', 'MCP-GSHP', 'P1', '2024-07-01'),
    );
  });

  it('fills the enrollment with HoH, household and the not-collected codes', async () => {
    const exp = buildHmisExport(await returnRows(), OPTS);
    const enr = exp.files.get('Enrollment.csv')!;
    const r = enr.rows[0]!;
    expect(col(enr, r, 'RelationshipToHoH')).toBe('1');
    expect(col(enr, r, 'DisablingCondition')).toBe('99');
    expect(col(enr, r, 'LivingSituation')).toBe('99');
    expect(col(enr, r, 'HouseholdID')).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(enr.rows.map((x) => col(enr, x, 'HouseholdID'))).size).toBe(enr.rows.length);
    const exit = exp.files.get('Exit.csv')!;
    expect(
      exit.rows.map((x) => [
        col(exit, x, 'PersonalID'),
        col(exit, x, 'ExitDate'),
        col(exit, x, 'Destination'),
      ]),
    ).toEqual([['P2', '2025-06-30', '30']]);
    const project = exp.files.get('Project.csv')!;
    expect(col(project, project.rows[0]!, 'ContinuumProject')).toBe('0');
    expect(col(project, project.rows[0]!, 'ProjectType')).toBe('6');
  });

  it('waits for dates after the export day, and says so', async () => {
    const exp = buildHmisExport(await returnRows(), OPTS);
    const warnings = exp.issues.map((i) => `${i.line}:${i.field}:${i.code}:${i.severity}`);
    expect(warnings).toEqual([
      '4:ECMDischargeDate:DATE_AFTER_EXPORT:warning', // P4: ECM ends 2026-03-31, written as open
      '5:MCPExitDate:DATE_AFTER_EXPORT:warning', // P6: membership ends 2026-02-28, no exit yet
      '5:ECMEnrollmentDate:DATE_AFTER_EXPORT:warning', // P6: ECM starts 2026-01-20, not written yet
    ]);
    const later = buildHmisExport(await returnRows(), {
      ...OPTS,
      exportDate: '2026-04-01',
      existing: await reread(exp),
    });
    const now = (t: HmisTable) => t.rows.filter((r) => col(t, r, 'DateUpdated') === '2026-04-01 00:00:00');
    const exit = later.files.get('Exit.csv')!;
    expect(now(exit).map((r) => col(exit, r, 'PersonalID'))).toEqual(['P6']);
    expect(exit.rows.map((r) => col(exit, r, 'PersonalID'))).toEqual(['P2', 'P6']); // P2's exit carried
    const services = later.files.get('CustomMCPServices.csv')!;
    expect(
      now(services).map((r) => `${col(services, r, 'PersonalID')} ${col(services, r, 'CustomDetailAnswer')}`),
    ).toEqual([
      'P4 2025-12-20/2026-03-31', // the same episode, now ended: an update under the same ID
      'P6 2026-01-20/..',
    ]);
    const before = exp.files.get('CustomMCPServices.csv')!;
    const id = (t: HmisTable) =>
      col(
        t,
        t.rows.find((r) => col(t, r, 'PersonalID') === 'P4' && col(t, r, 'CustomQuestion') === 'ECM')!,
        'CustomQuestionID',
      );
    expect(id(services)).toBe(id(before));
    // Every export is complete: the project, organization and user come along.
    expect(rowsOf(later, 'Project.csv')).toHaveLength(1);
  });

  it('changed records get the new DateUpdated (an exit, a new client, a changed answer); the rest is carried', async () => {
    const base = await returnRows();
    const first = buildHmisExport(base, OPTS);
    const existing = await reread(first);
    const changed: ReturnRow[] = base.rows.map((r) =>
      r.personalId === 'P1' ? { ...r, mcpExitDate: '2026-01-10', coverageType: 'D-SNP' } : r,
    );
    changed.push({ ...base.rows[0]!, personalId: 'P7', memberId: 'M7', cs: base.rows[0]!.cs });
    const delta = buildHmisExport(
      { rows: changed, services: base.services },
      { ...OPTS, exportDate: '2026-01-20', existing },
    );
    const pid = (f: HmisFileName) => {
      const t = delta.files.get(f)!;
      return t.rows
        .filter((r) => col(t, r, 'DateUpdated') === '2026-01-20 00:00:00')
        .map(
          (r) =>
            `${col(t, r, 'PersonalID')}${f.startsWith('Custom') ? `:${col(t, r, 'CustomQuestion')}` : ''}`,
        );
    };
    expect(pid('Enrollment.csv')).toEqual(['P7']);
    expect(pid('Exit.csv')).toEqual(['P1']);
    // P1's coverage is confirmed through its exit now; the open spans through the new export day.
    expect(pid('CustomMCPEnrollment.csv')).toEqual([
      'P1:CoverageType',
      'P1:CoverageConfirmedThrough',
      'P4:CoverageConfirmedThrough',
      'P6:CoverageConfirmedThrough',
      'P7:MCP',
      'P7:CoverageType',
      'P7:MemberID',
      'P7:CIN',
      'P7:CoverageConfirmedThrough',
    ]);
    // P6's ECM starts on 2026-01-20, the export day of this run: due now.
    expect(pid('CustomMCPServices.csv')).toEqual([
      'P6:ECM',
      'P7:ECM',
      'P7:Housing Deposits',
      'P7:Transitional Rent',
    ]);
    // The changed answer keeps its ID and DateCreated.
    const coverage = (t: HmisTable) =>
      t.rows.find((r) => col(t, r, 'PersonalID') === 'P1' && col(t, r, 'CustomQuestion') === 'CoverageType')!;
    const ans = delta.files.get('CustomMCPEnrollment.csv')!;
    const old = first.files.get('CustomMCPEnrollment.csv')!;
    expect(col(ans, coverage(ans), 'CustomQuestionID')).toBe(col(old, coverage(old), 'CustomQuestionID'));
    expect(col(ans, coverage(ans), 'DateCreated')).toBe(TS);
    expect(col(ans, coverage(ans), 'DateUpdated')).toBe('2026-01-20 00:00:00');
    expect(delta.counts).toMatchObject({ enrollments: 1, exits: 1, liveEnrollments: 5 });
    expect(checkHmisFiles(await reread(delta), '2026')).toEqual([]);
  });

  it("attaches to the CoC's own enrollment and warns about other open ones", async () => {
    const base = await returnRows();
    const first = buildHmisExport(base, OPTS);
    const enr = first.files.get('Enrollment.csv')!;
    const at = (c: string) => enr.columns.indexOf(c);
    const own = enr.rows.map((r) => {
      const copy = [...r];
      if (copy[at('PersonalID')] === 'P1') copy[at('EnrollmentID')] = 'COC-ENR-1';
      return copy;
    });
    const extra = [...enr.rows[1]!];
    extra[at('EnrollmentID')] = 'COC-ENR-2';
    extra[at('HouseholdID')] = 'COC-HH-2';
    extra[at('EntryDate')] = '2019-01-01';
    const existing: HmisFiles = new Map([
      ['Enrollment.csv', { ...enr, rows: [...own, extra] }],
      ['Exit.csv', first.files.get('Exit.csv')!],
    ]);
    const delta = buildHmisExport(base, { ...OPTS, existing });
    expect(delta.counts.enrollments).toBe(0); // nothing new: the CoC's enrollments are used
    expect(rowsOf(delta, 'Enrollment.csv').map((r) => col(enr, r, 'EnrollmentID'))).toContain('COC-ENR-1');
    const ans = delta.files.get('CustomMCPEnrollment.csv')!;
    expect(
      ans.rows
        .filter((r) => col(ans, r, 'PersonalID') === 'P1')
        .every((r) => col(ans, r, 'EnrollmentID') === 'COC-ENR-1'),
    ).toBe(true);
    // The other open enrollment (the last row of the existing Enrollment.csv) is named by its line
    // and its PersonalID.
    expect(extra[at('PersonalID')]).toMatch(/^P\d+$/);
    expect(delta.issues.map((i) => `${i.file}:${i.line}:${i.id}:${i.code}`)).toContain(
      `Enrollment.csv:${own.length + 2}:${extra[at('PersonalID')]}:OTHER_OPEN_ENROLLMENT`,
    );
  });

  it('warns when the existing export has an exit the return file does not', async () => {
    const base = await returnRows();
    const first = buildHmisExport(base, OPTS);
    const reopened = base.rows.map((r) =>
      r.personalId === 'P2' ? { ...r, mcpExitDate: undefined } : r,
    ) as ReturnRow[];
    const delta = buildHmisExport(
      { rows: reopened, services: base.services },
      { ...OPTS, existing: await reread(first) },
    );
    expect(delta.issues.map((i) => `${i.line}:${i.field}:${i.code}`)).toContain(
      '3:MCPExitDate:EXIT_NOT_IN_RETURN',
    );
    // From a return file alone (no history) the CoC's exit is kept, unchanged.
    expect(rowsOf(delta, 'Exit.csv')).toEqual(
      rowsOf(first, 'Exit.csv').map((r) => [...r.slice(0, -1), delta.exportId]),
    );
  });

  it('writes nothing about non-matched members', async () => {
    const exp = buildHmisExport(await returnRows(), OPTS);
    const all = [...texts(exp).values()].join('');
    for (const secret of ['M5', 'UNMATCHED', '94567890E', 'Downtown Sobering Center', 'P3', 'M3'])
      expect(all).not.toContain(secret);
  });

  it('strips the characters HUD strips and quotes strings', async () => {
    const exp = buildHmisExport(await returnRows(), OPTS);
    const text = texts(exp).get('CustomMCPServices.csv')!;
    expect(text).toContain('"Golden Path ""Plus"" Rent"');
    expect(text).not.toMatch(/[<>]/);
    expect(texts(exp).get('Enrollment.csv')!.split('\r\n')[1]).toMatch(
      /^"[0-9a-f]{32}","P1","MCP-GSHP",2024-07-01,/,
    );
  });

  it('rejects a return row whose text no HMIS field can hold', () => {
    const row: ReturnRow = {
      personalId: 'P1',
      mcp: 'x'.repeat(251),
      coverageType: 'Medi-Cal',
      memberId: 'M1',
      mcpEnrollmentDate: '2024-01-01',
      ecm: { status: 'not enrolled' },
      cs: {},
    };
    const exp = buildHmisExport({ rows: [row], services: [] }, OPTS);
    expect(exp.issues).toEqual([
      { file: 'mcp-return.csv', line: 2, id: 'P1', field: 'MCP', code: 'FIELD_TOO_LONG', severity: 'error' },
    ]);
    expect(rowsOf(exp, 'Enrollment.csv')).toHaveLength(0);
  });

  it('validates its options', async () => {
    const input = await returnRows();
    const bad: Partial<HmisOptions>[] = [
      { destination: 435 },
      { destination: 335 },
      { projectType: 3 as 6 },
      { exportDate: '2026-13-01' },
      { version: '2022' as '2026' },
      { projectId: '' },
      { projectId: 'x'.repeat(33) },
      { enrollmentDefaults: { DisablingCondition: 7 } },
      { cocCode: 'CA500' },
      { cocCode: 'CAL-500' },
      { geocode: '12345' },
      { asOf: '2026-01-16' },
      { clients: undefined as unknown as ClientTable },
    ];
    for (const b of bad) {
      expect(() => buildHmisExport(input, { ...OPTS, ...b })).toThrow(BloomlinkError);
      expect(() => buildHmisExport(input, { ...OPTS, ...b })).toThrow(/^buildHmisExport: opts\./);
    }
    const named = buildHmisExport(input, {
      ...OPTS,
      organizationId: 'ORG-1',
      organizationName: 'Plan <Org>',
      projectName: 'MCP Members',
      projectType: 7,
      destination: 99,
      userId: 'u1',
    });
    const p = named.files.get('Project.csv')!;
    expect(col(p, p.rows[0]!, 'ProjectName')).toBe('MCP Members');
    expect(col(p, p.rows[0]!, 'ResidentialAffiliation')).toBe('');
    const o = named.files.get('Organization.csv')!;
    expect(col(o, o.rows[0]!, 'OrganizationName')).toBe('Plan Org');
    const x = named.files.get('Exit.csv')!;
    expect(col(x, x.rows[0]!, 'Destination')).toBe('99');
    expect(col(x, x.rows[0]!, 'UserID')).toBe('u1');
  });
});

describe('checkHmisFiles', () => {
  async function tampered(file: HmisFileName, column: string, value: string, row = 0): Promise<string[]> {
    const exp = buildHmisExport(await returnRows(), OPTS);
    const files = new Map(exp.files);
    const t = files.get(file)!;
    const rows = t.rows.map((r) => [...r]);
    rows[row]![t.columns.indexOf(column)] = value;
    files.set(file, { ...t, rows });
    return checkHmisFiles(files, '2026').map((p) => `${p.file}:${p.line}:${p.field}:${p.rule}`);
  }

  it('finds broken HUD rules', async () => {
    expect(await tampered('Exit.csv', 'ExitDate', '2020-01-01')).toContain(
      'Exit.csv:2:ExitDate:before EntryDate',
    );
    expect(await tampered('Exit.csv', 'Destination', '335')).toContain(
      'Exit.csv:2:Destination:not in list Destination',
    );
    expect(await tampered('Exit.csv', 'ExportID', 'other')).toContain(
      'Exit.csv:2:ExportID:differs from Export.csv',
    );
    expect(await tampered('Enrollment.csv', 'RelationshipToHoH', '2')).toContain(
      'Enrollment.csv:2:HouseholdID:has 0 heads of household, not 1',
    );
    expect(await tampered('Enrollment.csv', 'EntryDate', '2024-02-30')).toContain(
      'Enrollment.csv:2:EntryDate:not a YYYY-MM-DD date',
    );
    expect(await tampered('Enrollment.csv', 'DisablingCondition', '')).toContain(
      'Enrollment.csv:2:DisablingCondition:required but empty',
    );
    expect(await tampered('Enrollment.csv', 'UserID', 'nobody')).toContain(
      'Enrollment.csv:2:UserID:not in User.csv',
    );
    expect(await tampered('Project.csv', 'ProjectName', 'x'.repeat(201))).toContain(
      'Project.csv:2:ProjectName:longer than 200 characters',
    );
    expect(await tampered('Project.csv', 'ResidentialAffiliation', '')).toContain(
      'Project.csv:2:ResidentialAffiliation:required for Services Only',
    );
    expect(await tampered('CustomMCPServices.csv', 'PersonalID', 'P2')).toContain(
      "CustomMCPServices.csv:2:PersonalID:not the enrollment's client",
    );
    expect(await tampered('Export.csv', 'ExportDate', '2026-01-15')).toContain(
      'Export.csv:2:ExportDate:not a YYYY-MM-DD hh:mm:ss timestamp',
    );
  });

  it('finds two heads of household and a second exit', async () => {
    const exp = buildHmisExport(await returnRows(), OPTS);
    const files = new Map(exp.files);
    const enr = files.get('Enrollment.csv')!;
    const dup = [...enr.rows[0]!];
    dup[0] = 'f'.repeat(32);
    files.set('Enrollment.csv', { ...enr, rows: [...enr.rows, dup] });
    const exit = files.get('Exit.csv')!;
    const again = [...exit.rows[0]!];
    again[0] = 'e'.repeat(32);
    files.set('Exit.csv', { ...exit, rows: [...exit.rows, again] });
    const got = checkHmisFiles(files, '2026').map((p) => `${p.file}:${p.field}:${p.rule}`);
    expect(got).toContain('Enrollment.csv:HouseholdID:has 2 heads of household, not 1');
    expect(got).toContain('Exit.csv:EnrollmentID:has more than one exit');
  });

  it('refuses a header in the other edition', async () => {
    const exp = buildHmisExport(await returnRows(), OPTS);
    expect(checkHmisFiles(exp.files, '2024').map((p) => `${p.file}:${p.rule}`)).toContain(
      'Enrollment.csv:header differs from the FY2024 layout',
    );
  });
});

describe('a complete HUD export', () => {
  it("holds ProjectCoC, Funder, HMISParticipation and the CoC's Client rows for the enrolled clients", async () => {
    const exp = buildHmisExport(await returnRows(), OPTS);
    const coc = exp.files.get('ProjectCoC.csv')!;
    expect(coc.rows.map((r) => [col(coc, r, 'ProjectID'), col(coc, r, 'CoCCode')])).toEqual([
      ['MCP-GSHP', 'CA-500'],
    ]);
    const f = exp.files.get('Funder.csv')!;
    expect(col(f, f.rows[0]!, 'Funder')).toBe('46');
    const h = exp.files.get('HMISParticipation.csv')!;
    expect(col(h, h.rows[0]!, 'HMISParticipationType')).toBe('1');
    const enr = exp.files.get('Enrollment.csv')!;
    expect(new Set(enr.rows.map((r) => col(enr, r, 'EnrollmentCoC')))).toEqual(new Set(['CA-500']));
    expect(exp.clients.personalIds).toEqual(['P1', 'P2', 'P4', 'P6']);
    // Copied unchanged (a leading zero stays); a formula-like cell gets the ' every HMIS file gives it.
    const text = [...clientFileLines(exp.clients.table, exp.clients.personalIds)].join('');
    expect(text.split('\r\n')[1]).toBe("P1,'=Name P1,001234567");
    const back = await readClientFile(new TextEncoder().encode(text));
    expect([...back.byId.keys()]).toEqual(exp.clients.personalIds);
  });

  it('refuses a Client.csv that lacks a linked client, naming the count only', async () => {
    const clients: ClientTable = { columns: CLIENTS.columns, byId: new Map([['P1', ['P1', 'A', '']]]) };
    const run = async () => buildHmisExport(await returnRows(), { ...OPTS, clients });
    await expect(run()).rejects.toMatchObject({ code: 'CLIENT_MISSING' });
    await expect(run()).rejects.toThrow(/: 3 PersonalID\(s\)/);
    await expect(run()).rejects.not.toThrow(/P2|P4|P6/);
  });

  it('reads a Client.csv in any case of PersonalID, refusing repeated or blank IDs', async () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const t = await readClientFile(enc('\uFEFFpersonalid,FirstName\r\nP1,"A, B"\r\nP2,\r\n'));
    expect(t.columns).toEqual(['personalid', 'FirstName']);
    expect(t.byId.get('P1')).toEqual(['P1', 'A, B']);
    await expect(readClientFile(enc('PersonalID\r\nP1\r\nP1\r\n'))).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    await expect(readClientFile(enc('ID\r\nP1\r\n'))).rejects.toMatchObject({ code: 'COLUMN_MISSING' });
  });

  it('reads the return history and reports bad rows by line, field and code', async () => {
    const text =
      'PersonalID,MemberID,Record,Program,Provider,ProviderNPI,StartDate,EndDate\r\n' +
      'P1,M1,coverage,Medi-Cal,,,2025-01-01,\r\n' +
      'P1,M1,ECM,ECM,"Care, Inc.",,01/15/2025,12/31/9999\r\n' +
      'P1,M1,CS,Housing Deposits,Deposit Co,,2025-02-01,2025-03-01\r\n' +
      'P2,M2,retracted,,,,,\r\n' +
      'P3,M3,coverage,Covered CA,,,2025-01-01,\r\n' +
      'P3,M3,CS,ECM,X,,2025-01-01,\r\n' +
      'P3,M3,ECM,ECM,X,,2025-05-01,2025-04-01\r\n' +
      'P3,M3,visit,ECM,X,,2025-05-01,\r\n' +
      ',M3,coverage,Medi-Cal,,,2025-01-01,\r\n';
    const h = await readReturnHistory(new TextEncoder().encode(text), { today: '2026-01-01' });
    expect(h.rows).toEqual([
      { personalId: 'P1', memberId: 'M1', record: 'coverage', program: 'Medi-Cal', startDate: '2025-01-01' },
      {
        personalId: 'P1',
        memberId: 'M1',
        record: 'ECM',
        program: 'ECM',
        provider: 'Care, Inc.',
        startDate: '2025-01-15',
      },
      {
        personalId: 'P1',
        memberId: 'M1',
        record: 'CS',
        program: 'Housing Deposits',
        provider: 'Deposit Co',
        startDate: '2025-02-01',
        endDate: '2025-03-01',
      },
      { personalId: 'P2', memberId: 'M2', record: 'retracted' },
    ]);
    expect(h.issues.map((i) => `${i.line}:${i.field}:${i.code}`)).toEqual([
      '6:Program:COVERAGE_INVALID',
      '7:Program:PROGRAM_UNKNOWN',
      '8:EndDate:END_BEFORE_START',
      '9:Record:HISTORY_RECORD_INVALID',
      '10:PersonalID:ID_MISSING',
    ]);
    expect(h.counts).toMatchObject({ rowsRead: 9, used: 4, rejected: 5 });
  });

  it("keeps the CoC's existing project set-up exactly", async () => {
    const first = buildHmisExport(await returnRows(), OPTS);
    const files = new Map(first.files);
    const p = files.get('Project.csv')!;
    const edited = [...p.rows[0]!];
    for (const [c, v] of [
      ['OperatingStartDate', '2019-05-01'],
      ['ContinuumProject', '1'],
      ['UserID', 'bloomlink'],
      ['DateCreated', '2019-04-30 09:00:00'],
      ['ProjectName', 'Plan members (CoC name)'],
    ] as const)
      edited[p.columns.indexOf(c)] = v;
    files.set('Project.csv', { ...p, rows: [edited] });
    const next = buildHmisExport(await returnRows(), {
      ...OPTS,
      projectName: 'Ignored: the CoC set its own',
      exportDate: '2026-02-15',
      existing: files,
    });
    const q = next.files.get('Project.csv')!;
    expect(q.rows[0]!.slice(0, -1)).toEqual(edited.slice(0, -1));
  });
});

describe('spans against the existing export', () => {
  const row = (personalId: string, start: string): ReturnRow => ({
    personalId,
    mcp: 'Plan',
    coverageType: 'Medi-Cal',
    memberId: `M-${personalId}`,
    mcpEnrollmentDate: start,
    ecm: { status: 'not enrolled' },
    cs: {},
  });
  const span = (personalId: string, startDate: string, endDate?: string) => ({
    personalId,
    memberId: `M-${personalId}`,
    record: 'coverage' as const,
    program: 'Medi-Cal',
    startDate,
    ...(endDate !== undefined && { endDate }),
  });
  const entries = (exp: HmisExport) => {
    const t = exp.files.get('Enrollment.csv')!;
    return t.rows.map((r) => `${col(t, r, 'EnrollmentID')}:${col(t, r, 'EntryDate')}`);
  };

  it('an exact entry date wins over an overlapping span; the overlap corrects a retro start', async () => {
    const first = buildHmisExport(
      { rows: [row('P1', '2024-01-01')], services: [], history: { rows: [span('P1', '2024-01-01')] } },
      OPTS,
    );
    const [id] = entries(first).map((e) => e.split(':')[0]);
    // Now the plan reports an earlier, overlapping span before it (a data error it warns about) and the
    // same span: the existing enrollment stays with its own span.
    const next = buildHmisExport(
      {
        rows: [row('P1', '2024-01-01')],
        services: [],
        history: { rows: [span('P1', '2023-06-01', '2024-01-15'), span('P1', '2024-01-01')] },
      },
      { ...OPTS, existing: await reread(first) },
    );
    expect(entries(next)).toContain(`${id}:2024-01-01`);
    expect(entries(next)).toHaveLength(2);
    // A retroactive start: the same enrollment, its EntryDate corrected.
    const retro = buildHmisExport(
      { rows: [row('P1', '2023-12-01')], services: [], history: { rows: [span('P1', '2023-12-01')] } },
      { ...OPTS, existing: await reread(first) },
    );
    expect(entries(retro)).toEqual([`${id}:2023-12-01`]);
    expect(retro.counts).toMatchObject({ enrollments: 1, deleted: 0 });
  });

  it('joined existing folders: a later row with DateDeleted removes the record; FY2024 rows carry into FY2026', async () => {
    const input = { rows: [row('P1', '2024-01-01'), row('P2', '2024-02-01')], services: [] };
    const fy24 = buildHmisExport(input, { ...OPTS, version: '2024' });
    const files = new Map(await reread(fy24));
    const enr = files.get('Enrollment.csv')!;
    const deletedAt = enr.columns.indexOf('DateDeleted');
    const p2 = enr.rows.find((r) => col(enr, r, 'PersonalID') === 'P2')!;
    const gone = [...p2];
    gone[deletedAt] = '2026-01-15 00:00:00';
    files.set('Enrollment.csv', { ...enr, rows: [...enr.rows, gone] });
    const next = buildHmisExport(
      { rows: [row('P1', '2024-01-01')], services: [] },
      { ...OPTS, existing: files },
    );
    const t = next.files.get('Enrollment.csv')!;
    expect(t.columns).toEqual(hmisColumns('Enrollment.csv', '2026'));
    expect(t.rows.map((r) => col(t, r, 'PersonalID'))).toEqual(['P1']);
    expect(col(t, t.rows[0]!, 'EnrollmentID')).toBe(col(enr, enr.rows[0]!, 'EnrollmentID'));
    expect(checkHmisFiles(next.files, '2026')).toEqual([]);
  });
});
