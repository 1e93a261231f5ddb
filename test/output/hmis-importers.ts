/**
 * Test doubles of the two kinds of HMIS CSV importer the HMIS folder must be safe under, applying an
 * export folder to an in-memory HMIS:
 *
 * - `merge`: merges every record by its ID (the first column) and honours DateDeleted (a row with
 *   DateDeleted deletes the record); nothing else is ever deleted.
 * - `authoritative`: Green River's hmis-warehouse importer (drivers/hmis_csv_importer, importer.rb):
 *   "authoritative for the projects in Project.csv and the date range in Export.csv. All warehouse
 *   rows within that scope are assumed deleted unless the incoming data proves otherwise". Its
 *   unlinked-record filter first drops Enrollment rows whose PersonalID has no Client.csv row or whose
 *   ProjectID has no Project.csv row in the same export, with their exits, services and custom rows.
 *   In scope: the projects' enrollments open during the range (Enrollment.open_during_range), their
 *   exits and child rows, and the projects' own rows (ProjectCoC, Funder, HMISParticipation). Clients,
 *   organizations and users are never deleted (clients are only upserted: partial data sources).
 *   Incoming rows with DateDeleted are stored deleted (import_concern.rb copies DateDeleted).
 *
 * `exportProject` plays the HMIS exporting its current state of a project, as the CoC passes it to
 * `hmis --existing` next month.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HMIS_FILES, HMIS_LAYOUTS, type HmisFileName } from '../../src/output/hmis/layouts.js';
import { hmisFileText } from '../../src/output/hmis/write.js';
import { readCsvRows } from '../../src/read/source.js';

export type Row = Readonly<Record<string, string>>;
interface Stored {
  row: Row;
  deleted: boolean;
}
/** file → record ID → record. */
export type HmisState = Map<string, Map<string, Stored>>;

const CHILD_FILES = ['Exit.csv', 'Services.csv', 'CustomMCPEnrollment.csv', 'CustomMCPServices.csv'];
const PROJECT_FILES = ['ProjectCoC.csv', 'Funder.csv', 'HMISParticipation.csv'];

/** An export folder's files: file name → rows (column → cell). */
export async function readExport(dir: string): Promise<Map<string, Row[]>> {
  const out = new Map<string, Row[]>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.csv'))) {
    let header: readonly string[] | undefined;
    const rows: Row[] = [];
    for await (const r of readCsvRows(readFileSync(join(dir, name)), { label: name, delimiter: ',' })) {
      if (header === undefined) header = r.fields;
      else rows.push(Object.fromEntries(header.map((h, i) => [h, r.fields[i] ?? ''])));
    }
    out.set(name, rows);
  }
  return out;
}

function idOf(file: string, row: Row): string {
  const first = Object.keys(row)[0] ?? '';
  return file === 'Client.csv' ? (row.PersonalID ?? '') : (row[first] ?? '');
}

function table(state: HmisState, file: string): Map<string, Stored> {
  let t = state.get(file);
  if (t === undefined) {
    t = new Map();
    state.set(file, t);
  }
  return t;
}

function upsert(state: HmisState, file: string, row: Row): void {
  table(state, file).set(idOf(file, row), { row, deleted: (row.DateDeleted ?? '') !== '' });
}

/** Importer (a): merge by record ID, honouring DateDeleted. */
export async function mergeImport(state: HmisState, dir: string): Promise<void> {
  for (const [file, rows] of await readExport(dir)) {
    if (file === 'Export.csv') continue;
    for (const row of rows) upsert(state, file, row);
  }
}

/** Importer (b): authoritative for the projects of Project.csv over the Export.csv range. */
export async function authoritativeImport(state: HmisState, dir: string): Promise<void> {
  const files = await readExport(dir);
  const exp = files.get('Export.csv')?.[0];
  if (exp === undefined) throw new Error('no Export.csv row');
  const start = exp.ExportStartDate ?? '';
  const end = exp.ExportEndDate ?? '';
  const projects = new Set((files.get('Project.csv') ?? []).map((r) => r.ProjectID ?? ''));
  const clients = new Set((files.get('Client.csv') ?? []).map((r) => r.PersonalID ?? ''));

  // The unlinked-record filter.
  const enrollments = (files.get('Enrollment.csv') ?? []).filter(
    (r) => clients.has(r.PersonalID ?? '') && projects.has(r.ProjectID ?? ''),
  );
  files.set('Enrollment.csv', enrollments);
  const kept = new Set(enrollments.map((r) => r.EnrollmentID ?? ''));
  for (const f of CHILD_FILES) {
    const rows = files.get(f);
    if (rows !== undefined)
      files.set(
        f,
        rows.filter((r) => kept.has(r.EnrollmentID ?? '')),
      );
  }

  // Mark the scope as pending deletion.
  const pending = new Set<string>();
  const key = (file: string, id: string) => `${file}\u0000${id}`;
  const scopeEnrollments = new Set<string>();
  const exits = new Map<string, string>();
  for (const s of table(state, 'Exit.csv').values())
    if (!s.deleted) exits.set(s.row.EnrollmentID ?? '', s.row.ExitDate ?? '');
  for (const [id, s] of table(state, 'Enrollment.csv')) {
    if (s.deleted || !projects.has(s.row.ProjectID ?? '')) continue;
    const exit = exits.get(id);
    // open_during_range: entered by the end, not exited before the start.
    if ((s.row.EntryDate ?? '') <= end && (exit === undefined || exit >= start)) {
      scopeEnrollments.add(id);
      pending.add(key('Enrollment.csv', id));
    }
  }
  for (const f of CHILD_FILES)
    for (const [id, s] of table(state, f))
      if (!s.deleted && scopeEnrollments.has(s.row.EnrollmentID ?? '')) pending.add(key(f, id));
  for (const f of [...PROJECT_FILES, 'Project.csv'])
    for (const [id, s] of table(state, f))
      if (!s.deleted && projects.has(s.row.ProjectID ?? '')) pending.add(key(f, id));

  for (const [file, rows] of files) {
    if (file === 'Export.csv') continue;
    for (const row of rows) {
      upsert(state, file, row);
      pending.delete(key(file, idOf(file, row)));
    }
  }
  for (const k of pending) {
    const [file, id] = k.split('\u0000') as [string, string];
    const s = table(state, file).get(id)!;
    s.deleted = true;
  }
}

/** Live rows of one file. */
export function live(state: HmisState, file: string): Row[] {
  return [...table(state, file).values()].filter((s) => !s.deleted).map((s) => s.row);
}

/**
 * Every record (live and deleted) as text, one line each, without ExportID (which names the export a
 * record last came in, not data): for "importing again changes nothing".
 */
export function snapshot(state: HmisState): string[] {
  const out: string[] = [];
  for (const [file, t] of state)
    for (const [id, s] of t)
      out.push(`${file} ${id} ${s.deleted} ${JSON.stringify({ ...s.row, ExportID: '' })}`);
  return out.sort();
}

/** What an HMIS exports of a project: every file bloomlink writes but the export's own Export.csv. */
const EXPORTED: readonly HmisFileName[] = HMIS_FILES.filter((f) => f !== 'Export.csv');

/** The HMIS's export of one project (live records only, FY2026), written to `dir`. */
export function exportProject(state: HmisState, projectId: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const enrollmentIds = new Set(
    live(state, 'Enrollment.csv')
      .filter((r) => r.ProjectID === projectId)
      .map((r) => r.EnrollmentID),
  );
  const project = live(state, 'Project.csv').find((r) => r.ProjectID === projectId);
  for (const file of EXPORTED) {
    const columns = HMIS_LAYOUTS['2026'][file].map((f) => f.name);
    const rows = live(state, file).filter((r) => {
      if (file === 'Organization.csv') return r.OrganizationID === project?.OrganizationID;
      if (file === 'User.csv') return true;
      if (file === 'Project.csv' || PROJECT_FILES.includes(file)) return r.ProjectID === projectId;
      return enrollmentIds.has(r.EnrollmentID ?? '');
    });
    const cells = rows.map((r) => columns.map((c) => (c === 'ExportID' ? 'HMIS-EXPORT' : (r[c] ?? ''))));
    writeFileSync(join(dir, file), hmisFileText({ file, columns, rows: cells }, '2026'));
  }
}

/**
 * The live enrollments of a project as `PersonalID|MemberID|CoverageType|EntryDate|ExitDate` (the
 * member ID and coverage type from the enrollment's custom answers; a blank exit while open), sorted.
 */
export function enrollmentsHeld(state: HmisState, projectId: string): string[] {
  const exits = new Map(live(state, 'Exit.csv').map((x) => [x.EnrollmentID ?? '', x.ExitDate ?? '']));
  const answer = new Map(
    live(state, 'CustomMCPEnrollment.csv').map((a) => [
      `${a.EnrollmentID}|${a.CustomQuestion}`,
      a.CustomAnswer,
    ]),
  );
  return live(state, 'Enrollment.csv')
    .filter((e) => e.ProjectID === projectId)
    .map((e) => {
      const id = e.EnrollmentID ?? '';
      return `${e.PersonalID}|${answer.get(`${id}|MemberID`)}|${answer.get(`${id}|CoverageType`)}|${e.EntryDate}|${exits.get(id) ?? ''}`;
    })
    .sort();
}
