/**
 * What the CoC's existing export of the project holds (`--existing`: the HMIS's current export of the
 * MCP project, or the previous run's output), indexed so that each run can carry every record forward
 * with its IDs, DateCreated and the CoC's own cells. Deleted rows (DateDeleted set) and other projects'
 * records are ignored. Rows are kept as column → cell maps, so an export of the other edition aligns
 * by column name.
 */
import type { HmisFileName } from './layouts.js';
import type { HmisFiles } from './read.js';
import { columnGetter, type HmisTable } from './table.js';

/**
 * One existing row: column → cell (`''` is null).
 *
 * @example
 * ```ts
 * const row: ExistingRow = { EnrollmentID: 'e1', EntryDate: '2025-01-01' };
 * ```
 */
export type ExistingRow = Readonly<Record<string, string>>;

/**
 * An existing enrollment of the project, with its row.
 *
 * @example
 * ```ts
 * ex.enrollments[0]?.entryDate;
 * ```
 */
export interface ExistingEnrollment {
  readonly enrollmentId: string;
  readonly personalId: string;
  readonly entryDate: string;
  /** 1-based line in the (joined) existing Enrollment.csv, for issues. */
  readonly line: number;
  readonly row: ExistingRow;
}

/**
 * The index of an existing export.
 *
 * @example
 * ```ts
 * const ex = indexExisting(files, 'MCP-GSHP');
 * ex.exits.get(ex.enrollments[0]!.enrollmentId)?.ExitDate;
 * ```
 */
export interface ExistingIndex {
  /** This project's live enrollments, in file order. */
  readonly enrollments: readonly ExistingEnrollment[];
  /** Live exits of those enrollments, by EnrollmentID. */
  readonly exits: ReadonlyMap<string, ExistingRow>;
  /** Live CustomMCPEnrollment rows by EnrollmentID, then CustomQuestion. */
  readonly answers: ReadonlyMap<string, ReadonlyMap<string, ExistingRow>>;
  /** Live CustomMCPServices rows by EnrollmentID. */
  readonly services: ReadonlyMap<string, readonly ExistingRow[]>;
  /** Live metadata rows by file, then by the row's own ID (first column). */
  readonly metadata: ReadonlyMap<HmisFileName, ReadonlyMap<string, ExistingRow>>;
  /** Whether an existing export was given at all. */
  readonly incremental: boolean;
}

const METADATA_FILES: readonly HmisFileName[] = [
  'Organization.csv',
  'User.csv',
  'Project.csv',
  'ProjectCoC.csv',
  'Funder.csv',
  'HMISParticipation.csv',
];

/**
 * Indexes the files of an existing export for project `projectId`; `undefined` gives an empty,
 * non-incremental index. Project-level rows (ProjectCoC, Funder, HMISParticipation) are kept for
 * this project only.
 *
 * @example
 * ```ts
 * const ex = indexExisting(await readHmisDir('exports/2025-12'), 'MCP-GSHP');
 * ```
 */
export function indexExisting(files: HmisFiles | undefined, projectId: string): ExistingIndex {
  const enrollments: ExistingEnrollment[] = [];
  const ids = new Set<string>();
  const exits = new Map<string, ExistingRow>();
  const answers = new Map<string, Map<string, ExistingRow>>();
  const services = new Map<string, ExistingRow[]>();
  const metadata = new Map<HmisFileName, Map<string, ExistingRow>>();
  if (files === undefined) return { enrollments, exits, answers, services, metadata, incremental: false };

  eachLive(files.get('Enrollment.csv'), (row, line) => {
    if (row.ProjectID !== projectId) return;
    const id = row.EnrollmentID ?? '';
    enrollments.push({
      enrollmentId: id,
      personalId: row.PersonalID ?? '',
      entryDate: row.EntryDate ?? '',
      line,
      row,
    });
    ids.add(id);
  });
  eachLive(files.get('Exit.csv'), (row) => {
    const id = row.EnrollmentID;
    if (id !== undefined && ids.has(id)) exits.set(id, row);
  });
  eachLive(files.get('CustomMCPEnrollment.csv'), (row) => {
    const id = row.EnrollmentID ?? '';
    if (!ids.has(id)) return;
    let m = answers.get(id);
    if (m === undefined) {
      m = new Map();
      answers.set(id, m);
    }
    m.set(row.CustomQuestion ?? '', row);
  });
  eachLive(files.get('CustomMCPServices.csv'), (row) => {
    const id = row.EnrollmentID ?? '';
    if (!ids.has(id)) return;
    let list = services.get(id);
    if (list === undefined) {
      list = [];
      services.set(id, list);
    }
    list.push(row);
  });
  for (const file of METADATA_FILES) {
    const table = files.get(file);
    const rows = new Map<string, ExistingRow>();
    const key = table?.columns[0];
    eachLive(table, (row) => {
      const perProject = file !== 'Organization.csv' && file !== 'User.csv' && file !== 'Project.csv';
      if (perProject && row.ProjectID !== projectId) return;
      rows.set(key === undefined ? '' : (row[key] ?? ''), row);
    });
    metadata.set(file, rows);
  }
  return { enrollments, exits, answers, services, metadata, incremental: true };
}

/**
 * Calls `fn` for each live row of `table`, the latest of each ID (its first column): joined folders
 * (a full export then deltas) repeat a record, and a later row with DateDeleted removes it.
 */
function eachLive(table: HmisTable | undefined, fn: (row: ExistingRow, line: number) => void): void {
  if (table === undefined) return;
  const deleted = columnGetter(table, 'DateDeleted');
  const id = columnGetter(table, table.columns[0] ?? '');
  const latest = new Map<string, { cells: readonly string[]; line: number } | undefined>();
  table.rows.forEach((cells, i) => {
    const key = id(cells);
    if (deleted(cells) !== '') latest.set(key, undefined);
    else latest.set(key, { cells, line: i + 2 });
  });
  for (const entry of latest.values()) {
    if (entry === undefined) continue;
    const row: Record<string, string> = {};
    table.columns.forEach((c, j) => {
      row[c] = entry.cells[j] ?? '';
    });
    fn(row, entry.line);
  }
}
