import { describe, expect, it } from 'vitest';
import { BloomlinkError } from '../../src/errors.js';
import { buildHmisExport, type HmisExport } from '../../src/output/hmis/build.js';
import { checkHmisFiles } from '../../src/output/hmis/check.js';
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
import { expectGolden, fixture } from './golden.js';

const OPTS = { projectId: 'MCP-GSHP', exportDate: '2026-01-15', softwareVersion: 'test' } as const;

async function returnRows(): Promise<ReturnResult> {
  return buildReturnRows(
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
    expect(exp.counts).toEqual({ enrollments: 4, exits: 1, answers: 15, services: 8 });
  });

  it('writes nothing new when run again against its own output', async () => {
    const rows = await returnRows();
    const first = buildHmisExport(rows, { ...OPTS, version });
    const again = buildHmisExport(rows, {
      ...OPTS,
      version,
      exportDate: '2026-01-16',
      existing: await reread(first),
    });
    for (const f of HMIS_FILES) expect(rowsOf(again, f), f).toHaveLength(f === 'Export.csv' ? 1 : 0);
    expect(again.counts).toEqual({ enrollments: 0, exits: 0, answers: 0, services: 0 });
    const exp = again.files.get('Export.csv')!;
    expect(col(exp, exp.rows[0]!, 'ExportDirective')).toBe('1');
    expect(col(exp, exp.rows[0]!, 'ExportPeriodType')).toBe('1');
    expect(checkHmisFiles(await reread(again), version, await reread(first))).toEqual([]);
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
    const exit = later.files.get('Exit.csv')!;
    expect(exit.rows.map((r) => col(exit, r, 'PersonalID'))).toEqual(['P6']);
    const services = later.files.get('CustomMCPServices.csv')!;
    expect(
      services.rows.map((r) => `${col(services, r, 'PersonalID')} ${col(services, r, 'CustomDetailAnswer')}`),
    ).toEqual([
      'P4 2025-12-20/2026-03-31', // the same episode, now ended: an update under the same ID
      'P6 2026-01-20/..',
    ]);
    const before = exp.files.get('CustomMCPServices.csv')!;
    const p4 = before.rows.find(
      (r) => col(before, r, 'PersonalID') === 'P4' && col(before, r, 'CustomQuestion') === 'ECM',
    )!;
    expect(col(services, services.rows[0]!, 'CustomQuestionID')).toBe(col(before, p4, 'CustomQuestionID'));
    // Data rows make the delta self-contained: the project, organization and user come along.
    expect(rowsOf(later, 'Project.csv')).toHaveLength(1);
  });

  it('writes only the changes: an exit, a new client, a changed answer', async () => {
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
      return t.rows.map(
        (r) => `${col(t, r, 'PersonalID')}${f.startsWith('Custom') ? `:${col(t, r, 'CustomQuestion')}` : ''}`,
      );
    };
    expect(pid('Enrollment.csv')).toEqual(['P7']);
    expect(pid('Exit.csv')).toEqual(['P1']);
    expect(pid('CustomMCPEnrollment.csv')).toEqual([
      'P1:CoverageType',
      'P7:MCP',
      'P7:CoverageType',
      'P7:MemberID',
      'P7:CIN',
    ]);
    // P6's ECM starts on 2026-01-20, the export day of this run: due now.
    expect(pid('CustomMCPServices.csv')).toEqual([
      'P6:ECM',
      'P7:ECM',
      'P7:Housing Deposits',
      'P7:Transitional Rent',
    ]);
    // The changed answer keeps its ID and DateCreated.
    const ans = delta.files.get('CustomMCPEnrollment.csv')!;
    const old = first.files.get('CustomMCPEnrollment.csv')!;
    const oldRow = old.rows.find(
      (r) => col(old, r, 'PersonalID') === 'P1' && col(old, r, 'CustomQuestion') === 'CoverageType',
    )!;
    expect(col(ans, ans.rows[0]!, 'CustomQuestionID')).toBe(col(old, oldRow, 'CustomQuestionID'));
    expect(col(ans, ans.rows[0]!, 'DateCreated')).toBe('2026-01-15 00:00:00');
    expect(col(ans, ans.rows[0]!, 'DateUpdated')).toBe('2026-01-20 00:00:00');
    expect(checkHmisFiles(await reread(delta), '2026', existing)).toEqual([]);
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
    expect(rowsOf(delta, 'Enrollment.csv')).toHaveLength(0);
    const ans = delta.files.get('CustomMCPEnrollment.csv')!;
    expect(
      ans.rows
        .filter((r) => col(ans, r, 'PersonalID') === 'P1')
        .every((r) => col(ans, r, 'EnrollmentID') === 'COC-ENR-1'),
    ).toBe(true);
    expect(delta.issues.map((i) => `${i.line}:${i.code}`)).toContain('3:OTHER_OPEN_ENROLLMENT');
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
    expect(rowsOf(delta, 'Exit.csv')).toHaveLength(0);
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
      { file: 'mcp-return.csv', line: 2, field: 'MCP', code: 'FIELD_TOO_LONG', severity: 'error' },
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
