/**
 * The HUD rule checks of a set of HMIS CSV files, on the exact cells that are written (or were read
 * back): header, types, lengths, nulls and code lists of every cell, then the cross-file rules.
 * `buildHmisExport` runs them before returning; tests run them on files read back from disk.
 */
import { isIsoDate } from '../../normalise/date.js';
import { at } from '../../util/defined.js';
import { HUD_LISTS, inList } from './codes.js';
import { type FieldSpec, HMIS_FILES, HMIS_LAYOUTS, type HmisFileName, type HmisVersion } from './layouts.js';
import type { HmisFiles } from './read.js';
import { columnGetter, type HmisTable } from './table.js';
import { charLength } from './text.js';

/**
 * One broken rule: file, line (header is line 1), column and rule. Never a value.
 *
 * @example
 * ```ts
 * const p: HmisProblem = { file: 'Exit.csv', line: 2, field: 'ExitDate', rule: 'before EntryDate' };
 * ```
 */
export interface HmisProblem {
  readonly file: HmisFileName;
  readonly line: number;
  readonly field: string;
  readonly rule: string;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const INTEGER = /^(0|[1-9]\d*)$/;
const FORBIDDEN = /[<>[\]{}\r\n]/;
// HousingType is required for these project types (residential projects).
const RESIDENTIAL = new Set(['0', '1', '2', '3', '8', '9', '10', '13']);

/**
 * Checks every file present in `files` against the `version` layout and the HUD rules:
 *
 * - header exactly as specified; every cell of its type (`S` length and the characters HUD strips,
 *   `I` non-negative integer of its code list, `D` calendar date, `T` timestamp), required cells set;
 * - Export.csv has exactly one row, every file carries its ExportID, ExportStartDate ≤ ExportEndDate;
 * - IDs unique within their file; UserID, OrganizationID, ProjectID and EnrollmentID resolve (in these
 *   files or in `existing`), and a record's PersonalID is its enrollment's;
 * - Project: ProjectType set for a continuum project, ResidentialAffiliation for Services Only,
 *   HousingType for residential types, RRHSubType for RRH; OperatingEndDate not before the start;
 * - ProjectCoC, Funder, HMISParticipation: ProjectID resolves;
 * - Enrollment: exactly one head of household (RelationshipToHoH 1) per HouseholdID; RentalSubsidyType
 *   only with LivingSituation 435; EnrollmentCoC one of the project's ProjectCoC codes;
 * - rows with DateDeleted (records deleted on purpose) are checked cell by cell, not for references;
 * - Exit: at most one per enrollment, ExitDate not before EntryDate, DestinationSubsidyType exactly
 *   with Destination 435, OtherDestination only with 17.
 *
 * @param existing - the export the files are a delta of, for references to records not repeated here
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const exp = buildHmisExport(await readReturnFile(readFileSync('mcp-return.csv')), {
 *   projectId: 'MCP-GSHP',
 *   cocCode: 'CA-500',
 *   clients: await readClientFile(readFileSync('Client.csv')),
 * });
 * checkHmisFiles(exp.files, '2026'); // [] when the files follow the rules
 * ```
 */
export function checkHmisFiles(files: HmisFiles, version: HmisVersion, existing?: HmisFiles): HmisProblem[] {
  const out: HmisProblem[] = [];
  for (const file of HMIS_FILES) {
    const t = files.get(file);
    if (t !== undefined) checkCells(t, version, out);
  }
  checkExport(files, out);
  checkReferences(files, existing, out);
  return out;
}

function checkCells(t: HmisTable, version: HmisVersion, out: HmisProblem[]): void {
  const specs = HMIS_LAYOUTS[version][t.file];
  const expected = specs.map((s) => s.name).join(',');
  if (t.columns.join(',') !== expected) {
    out.push({ file: t.file, line: 1, field: '*', rule: `header differs from the FY${version} layout` });
    return;
  }
  const file = t.file;
  // Plain loops and no closure per cell: this runs over every cell of exports with millions of cells.
  let line = 1;
  for (const row of t.rows) {
    line++;
    if (row.length !== specs.length) out.push({ file, line, field: '*', rule: 'wrong number of fields' });
    let c = 0;
    for (const s of specs) {
      const v = row[c++] ?? '';
      const rule = v === '' ? (s.required ? 'required but empty' : undefined) : cellRule(s, v);
      if (rule !== undefined) out.push({ file, line, field: s.name, rule });
    }
  }
}

/** The first rule a non-empty cell breaks, if any. */
function cellRule(s: FieldSpec, v: string): string | undefined {
  switch (s.type) {
    case 'S':
      if (s.max !== undefined && v.length > s.max && charLength(v) > s.max)
        return `longer than ${s.max} characters`;
      if (FORBIDDEN.test(v)) return 'holds a character HUD strips or a line break';
      return v === v.trim() ? undefined : 'has surrounding space';
    case 'I':
      if (!INTEGER.test(v)) return 'not a non-negative integer';
      return s.list === undefined || inList(HUD_LISTS[s.list], Number(v))
        ? undefined
        : `not in list ${s.list}`;
    case 'D':
      return isIsoDate(v) ? undefined : 'not a YYYY-MM-DD date';
    case 'T': {
      const m = TIMESTAMP.exec(v);
      return m?.[1] !== undefined && isIsoDate(m[1]) ? undefined : 'not a YYYY-MM-DD hh:mm:ss timestamp';
    }
  }
}

function checkExport(files: HmisFiles, out: HmisProblem[]): void {
  const exp = files.get('Export.csv');
  if (exp === undefined) {
    out.push({ file: 'Export.csv', line: 1, field: '*', rule: 'file missing' });
    return;
  }
  if (exp.rows.length !== 1) {
    out.push({ file: 'Export.csv', line: 2, field: '*', rule: 'must have exactly one row' });
    return;
  }
  const row = at(exp.rows, 0);
  const get = (c: string): string => columnGetter(exp, c)(row);
  if (get('ExportStartDate') > get('ExportEndDate'))
    out.push({ file: 'Export.csv', line: 2, field: 'ExportStartDate', rule: 'after ExportEndDate' });
  if (get('SourceType') !== '1' && get('SourceName') === '')
    out.push({ file: 'Export.csv', line: 2, field: 'SourceName', rule: 'required when SourceType is not 1' });
  const exportId = get('ExportID');
  for (const [file, t] of files) {
    if (file === 'Export.csv') continue;
    const id = columnGetter(t, 'ExportID');
    t.rows.forEach((r, i) => {
      if (id(r) !== exportId)
        out.push({ file, line: i + 2, field: 'ExportID', rule: 'differs from Export.csv' });
    });
  }
}

/** IDs of one column over these files and the existing ones (live rows only). */
function ids(
  file: HmisFileName,
  column: string,
  files: HmisFiles,
  existing: HmisFiles | undefined,
): Set<string> {
  const out = new Set<string>();
  for (const source of [files, existing]) {
    const t = source?.get(file);
    if (t === undefined) continue;
    const get = columnGetter(t, column);
    const deleted = columnGetter(t, 'DateDeleted');
    for (const r of t.rows) if (deleted(r) === '') out.add(get(r));
  }
  return out;
}

function checkReferences(files: HmisFiles, existing: HmisFiles | undefined, out: HmisProblem[]): void {
  const users = ids('User.csv', 'UserID', files, existing);
  const orgs = ids('Organization.csv', 'OrganizationID', files, existing);
  const projects = ids('Project.csv', 'ProjectID', files, existing);
  const enrollments = enrollmentFacts(files, existing);
  const cocs = projectCocs(files, existing);

  for (const [file, t] of files) {
    const problem = (line: number, field: string, rule: string): void =>
      void out.push({ file, line, field, rule });
    // A table without columns has no key column (checkCells reports its header).
    const key = t.columns[0] ?? '';
    const get = (c: string): ((r: readonly string[]) => string) => columnGetter(t, c);
    const id = get(key);
    const user = get('UserID');
    const deleted = get('DateDeleted');
    const seen = new Set<string>();
    t.rows.forEach((r, i) => {
      const line = i + 2;
      if (seen.has(id(r))) problem(line, key, 'repeated in the file');
      seen.add(id(r));
      if (file !== 'Export.csv' && file !== 'User.csv' && !users.has(user(r)))
        problem(line, 'UserID', 'not in User.csv');
    });
    if (file === 'Project.csv') checkProjects(t, orgs, problem);
    if (file === 'ProjectCoC.csv' || file === 'Funder.csv' || file === 'HMISParticipation.csv') {
      const project = get('ProjectID');
      t.rows.forEach((r, i) => {
        if (!projects.has(project(r))) problem(i + 2, 'ProjectID', 'not in Project.csv');
      });
    }
    if (file === 'Enrollment.csv') checkEnrollments(t, projects, cocs, problem);
    if (file === 'Exit.csv') checkExits(t, enrollments, existing, problem);
    if (file === 'CustomMCPEnrollment.csv' || file === 'CustomMCPServices.csv') {
      const enr = get('EnrollmentID');
      const person = get('PersonalID');
      t.rows.forEach((r, i) => {
        // A deleted row refers to a deleted enrollment: only live rows must resolve.
        if (deleted(r) !== '') return;
        const e = enrollments.get(enr(r));
        if (e === undefined) problem(i + 2, 'EnrollmentID', 'not in Enrollment.csv');
        else if (e.personalId !== person(r)) problem(i + 2, 'PersonalID', "not the enrollment's client");
      });
    }
  }
  checkHouseholds(files, existing, out);
}

type Problem = (line: number, field: string, rule: string) => void;

type Getter = (r: readonly string[]) => string;

/** One getter per column name, in the same order (a tuple as long as `columns`). */
function getters<const C extends readonly string[]>(
  t: Pick<HmisTable, 'columns'>,
  columns: C,
): { [K in keyof C]: Getter } {
  return columns.map((c) => columnGetter(t, c)) as { [K in keyof C]: Getter };
}

function checkProjects(t: HmisTable, orgs: ReadonlySet<string>, problem: Problem): void {
  const [org, cont, type, housing, rrh, affil, start, end] = getters(t, [
    'OrganizationID',
    'ContinuumProject',
    'ProjectType',
    'HousingType',
    'RRHSubType',
    'ResidentialAffiliation',
    'OperatingStartDate',
    'OperatingEndDate',
  ]);
  t.rows.forEach((r, i) => {
    const line = i + 2;
    if (!orgs.has(org(r))) problem(line, 'OrganizationID', 'not in Organization.csv');
    if (cont(r) === '1' && type(r) === '') problem(line, 'ProjectType', 'required for a continuum project');
    if (type(r) === '6' && affil(r) === '')
      problem(line, 'ResidentialAffiliation', 'required for Services Only');
    if (RESIDENTIAL.has(type(r)) && housing(r) === '')
      problem(line, 'HousingType', 'required for a residential project');
    if (type(r) === '13' && rrh(r) === '') problem(line, 'RRHSubType', 'required for RRH');
    if (end(r) !== '' && end(r) < start(r)) problem(line, 'OperatingEndDate', 'before OperatingStartDate');
  });
}

/** `ProjectID\0CoCCode` (upper case) of every live ProjectCoC row. */
function projectCocs(files: HmisFiles, existing: HmisFiles | undefined): Set<string> {
  const out = new Set<string>();
  for (const source of [files, existing]) {
    const t = source?.get('ProjectCoC.csv');
    if (t === undefined) continue;
    const [project, coc, deleted] = getters(t, ['ProjectID', 'CoCCode', 'DateDeleted']);
    for (const r of t.rows) if (deleted(r) === '') out.add(`${project(r)}\u0000${coc(r).toUpperCase()}`);
  }
  return out;
}

function checkEnrollments(
  t: HmisTable,
  projects: ReadonlySet<string>,
  cocs: ReadonlySet<string>,
  problem: Problem,
): void {
  const project = columnGetter(t, 'ProjectID');
  const living = columnGetter(t, 'LivingSituation');
  const subsidy = columnGetter(t, 'RentalSubsidyType');
  const coc = columnGetter(t, 'EnrollmentCoC');
  t.rows.forEach((r, i) => {
    if (!projects.has(project(r))) problem(i + 2, 'ProjectID', 'not in Project.csv');
    if (coc(r) !== '' && !cocs.has(`${project(r)}\u0000${coc(r).toUpperCase()}`))
      problem(i + 2, 'EnrollmentCoC', "not a CoC of the project's ProjectCoC rows");
    if ((living(r) === '435') !== (subsidy(r) !== ''))
      problem(i + 2, 'RentalSubsidyType', 'set exactly when LivingSituation is 435');
  });
}

interface EnrollmentFact {
  readonly personalId: string;
  readonly entryDate: string;
}

function enrollmentFacts(files: HmisFiles, existing: HmisFiles | undefined): Map<string, EnrollmentFact> {
  const out = new Map<string, EnrollmentFact>();
  for (const source of [existing, files]) {
    const t = source?.get('Enrollment.csv');
    if (t === undefined) continue;
    const [id, person, entry, deleted] = getters(t, [
      'EnrollmentID',
      'PersonalID',
      'EntryDate',
      'DateDeleted',
    ]);
    for (const r of t.rows)
      if (deleted(r) === '') out.set(id(r), { personalId: person(r), entryDate: entry(r) });
  }
  return out;
}

function checkExits(
  t: HmisTable,
  enrollments: ReadonlyMap<string, EnrollmentFact>,
  existing: HmisFiles | undefined,
  problem: Problem,
): void {
  const [exitId, enr, person, date, dest, subsidy, other] = getters(t, [
    'ExitID',
    'EnrollmentID',
    'PersonalID',
    'ExitDate',
    'Destination',
    'DestinationSubsidyType',
    'OtherDestination',
  ]);
  // An exit may replace an existing exit of the same enrollment only under the same ExitID.
  const prior = new Map<string, string>();
  const old = existing?.get('Exit.csv');
  if (old !== undefined) {
    const [oe, oid, od] = getters(old, ['EnrollmentID', 'ExitID', 'DateDeleted']);
    for (const r of old.rows) if (od(r) === '') prior.set(oe(r), oid(r));
  }
  const seen = new Set<string>();
  const deleted = columnGetter(t, 'DateDeleted');
  t.rows.forEach((r, i) => {
    const line = i + 2;
    // A deleted exit refers to a deleted enrollment (or is replaced by a live one): not checked.
    if (deleted(r) !== '') return;
    const e = enrollments.get(enr(r));
    if (seen.has(enr(r))) problem(line, 'EnrollmentID', 'has more than one exit');
    seen.add(enr(r));
    const before = prior.get(enr(r));
    if (before !== undefined && before !== exitId(r))
      problem(line, 'EnrollmentID', 'already has an exit with another ExitID');
    if (e === undefined) {
      problem(line, 'EnrollmentID', 'not in Enrollment.csv');
      return;
    }
    if (e.personalId !== person(r)) problem(line, 'PersonalID', "not the enrollment's client");
    if (date(r) < e.entryDate) problem(line, 'ExitDate', 'before EntryDate');
    if ((dest(r) === '435') !== (subsidy(r) !== ''))
      problem(line, 'DestinationSubsidyType', 'set exactly when Destination is 435');
    if (other(r) !== '' && dest(r) !== '17')
      problem(line, 'OtherDestination', 'set while Destination is not 17');
  });
}

function checkHouseholds(files: HmisFiles, existing: HmisFiles | undefined, out: HmisProblem[]): void {
  const t = files.get('Enrollment.csv');
  if (t === undefined) return;
  // Heads of household per household, over the existing enrollments and these (by EnrollmentID, so a
  // record repeated in both counts once).
  const heads = new Map<string, Set<string>>();
  for (const source of [existing, files]) {
    const s = source?.get('Enrollment.csv');
    if (s === undefined) continue;
    const [id, hh, rel, deleted] = getters(s, [
      'EnrollmentID',
      'HouseholdID',
      'RelationshipToHoH',
      'DateDeleted',
    ]);
    for (const r of s.rows) {
      if (deleted(r) !== '') continue;
      let set = heads.get(hh(r));
      if (set === undefined) {
        set = new Set();
        heads.set(hh(r), set);
      }
      if (rel(r) === '1') set.add(id(r));
      else set.delete(id(r));
    }
  }
  const hh = columnGetter(t, 'HouseholdID');
  const gone = columnGetter(t, 'DateDeleted');
  t.rows.forEach((r, i) => {
    if (gone(r) !== '') return;
    const n = heads.get(hh(r))?.size ?? 0;
    if (n !== 1)
      out.push({
        file: 'Enrollment.csv',
        line: i + 2,
        field: 'HouseholdID',
        rule: `has ${n} heads of household, not 1`,
      });
  });
}
