/**
 * What an existing export of the project already holds, indexed for an incremental run: enrollments
 * by client and entry date, exits and custom rows by enrollment. Deleted rows (DateDeleted set) and
 * other projects' enrollments are ignored.
 */
import type { HmisFileName } from './layouts.js';
import type { HmisFiles } from './read.js';
import { columnGetter, type HmisTable } from './table.js';

/**
 * An existing enrollment of the project.
 *
 * @example
 * ```ts
 * ex.enrollments.get(enrollmentKey('P1', '2024-07-01'))?.householdId;
 * ```
 */
export interface ExistingEnrollment {
  readonly enrollmentId: string;
  readonly personalId: string;
  readonly entryDate: string;
  readonly householdId: string;
}

/**
 * An existing exit.
 *
 * @example
 * ```ts
 * ex.exits.get(enrollmentId)?.exitDate;
 * ```
 */
export interface ExistingExit {
  readonly exitId: string;
  readonly exitDate: string;
  readonly destination: string;
  readonly dateCreated: string;
}

/**
 * An existing custom row (an enrollment answer or a service episode).
 *
 * @example
 * ```ts
 * ex.answers.get(answerKey(enrollmentId, 'CIN'))?.answer;
 * ```
 */
export interface ExistingCustom {
  readonly id: string;
  readonly answer: string;
  readonly detail: string;
  readonly dateCreated: string;
}

/**
 * The index of an existing export.
 *
 * @example
 * ```ts
 * const ex = indexExisting(files, 'MCP-GSHP');
 * ex.enrollments.get(enrollmentKey('P17', '2024-07-01'))?.enrollmentId;
 * ```
 */
export interface ExistingIndex {
  /** This project's enrollments by {@link enrollmentKey}. */
  readonly enrollments: ReadonlyMap<string, ExistingEnrollment>;
  /** IDs of this project's enrollments without an exit, by PersonalID. */
  readonly openByPerson: ReadonlyMap<string, readonly string[]>;
  /** Exits by EnrollmentID. */
  readonly exits: ReadonlyMap<string, ExistingExit>;
  /** CustomMCPEnrollment rows by {@link answerKey}. */
  readonly answers: ReadonlyMap<string, ExistingCustom>;
  /** CustomMCPServices rows by {@link serviceKey}. */
  readonly services: ReadonlyMap<string, ExistingCustom>;
  /** Organization, Project and User rows by ID (column → cell), for metadata defaults. */
  readonly metadata: ReadonlyMap<HmisFileName, ReadonlyMap<string, Readonly<Record<string, string>>>>;
  /** Whether an existing export was given at all (an incremental run). */
  readonly incremental: boolean;
}

/**
 * Key of an enrollment: client and entry date.
 *
 * @example
 * ```ts
 * enrollmentKey('P17', '2024-07-01');
 * ```
 */
export function enrollmentKey(personalId: string, entryDate: string): string {
  return `${personalId}\u0000${entryDate}`;
}

/**
 * Key of an enrollment answer: enrollment and question.
 *
 * @example
 * ```ts
 * answerKey(enrollmentId, 'CIN');
 * ```
 */
export function answerKey(enrollmentId: string, question: string): string {
  return `${enrollmentId}\u0000${question}`;
}

/**
 * Key of a service episode: enrollment, program and start date.
 *
 * @example
 * ```ts
 * serviceKey(enrollmentId, 'ECM', '2025-02-23');
 * ```
 */
export function serviceKey(enrollmentId: string, program: string, startDate: string): string {
  return `${enrollmentId}\u0000${program}\u0000${startDate}`;
}

/**
 * Indexes the files of an existing export for project `projectId`; `undefined` files give an empty,
 * non-incremental index.
 *
 * @example
 * ```ts
 * const ex = indexExisting(await readHmisDir('exports/2025-12'), 'MCP-GSHP');
 * ```
 */
export function indexExisting(files: HmisFiles | undefined, projectId: string): ExistingIndex {
  const enrollments = new Map<string, ExistingEnrollment>();
  const byId = new Map<string, ExistingEnrollment>();
  const exits = new Map<string, ExistingExit>();
  const answers = new Map<string, ExistingCustom>();
  const services = new Map<string, ExistingCustom>();
  const metadata = new Map<HmisFileName, Map<string, Record<string, string>>>();
  if (files === undefined) {
    return { enrollments, openByPerson: new Map(), exits, answers, services, metadata, incremental: false };
  }

  eachLive(files.get('Enrollment.csv'), (get) => {
    if (get('ProjectID') !== projectId) return;
    const e: ExistingEnrollment = {
      enrollmentId: get('EnrollmentID'),
      personalId: get('PersonalID'),
      entryDate: get('EntryDate'),
      householdId: get('HouseholdID'),
    };
    byId.set(e.enrollmentId, e);
    enrollments.set(enrollmentKey(e.personalId, e.entryDate), e);
  });
  eachLive(files.get('Exit.csv'), (get) => {
    const id = get('EnrollmentID');
    if (!byId.has(id)) return;
    exits.set(id, {
      exitId: get('ExitID'),
      exitDate: get('ExitDate'),
      destination: get('Destination'),
      dateCreated: get('DateCreated'),
    });
  });
  eachLive(files.get('CustomMCPEnrollment.csv'), (get) => {
    const id = get('EnrollmentID');
    if (byId.has(id)) answers.set(answerKey(id, get('CustomQuestion')), custom(get));
  });
  eachLive(files.get('CustomMCPServices.csv'), (get) => {
    const id = get('EnrollmentID');
    const start = get('CustomDetailAnswer').split('/')[0] ?? '';
    if (byId.has(id)) services.set(serviceKey(id, get('CustomQuestion'), start), custom(get));
  });
  for (const [file, key] of [
    ['Organization.csv', 'OrganizationID'],
    ['Project.csv', 'ProjectID'],
    ['User.csv', 'UserID'],
  ] as const) {
    const table = files.get(file);
    const columns = table?.columns ?? [];
    const rows = new Map<string, Record<string, string>>();
    eachLive(table, (get) => {
      const row: Record<string, string> = {};
      for (const c of columns) row[c] = get(c);
      rows.set(get(key), row);
    });
    metadata.set(file, rows);
  }

  const openByPerson = new Map<string, string[]>();
  for (const e of byId.values()) {
    if (exits.has(e.enrollmentId)) continue;
    const list = openByPerson.get(e.personalId);
    if (list === undefined) openByPerson.set(e.personalId, [e.enrollmentId]);
    else list.push(e.enrollmentId);
  }
  return { enrollments, openByPerson, exits, answers, services, metadata, incremental: true };
}

function custom(get: (c: string) => string): ExistingCustom {
  return {
    id: get('CustomQuestionID'),
    answer: get('CustomAnswer'),
    detail: get('CustomDetailAnswer'),
    dateCreated: get('DateCreated'),
  };
}

function eachLive(table: HmisTable | undefined, fn: (get: (column: string) => string) => void): void {
  if (table === undefined) return;
  const getters = new Map<string, (row: readonly string[]) => string>();
  const deleted = columnGetter(table, 'DateDeleted');
  for (const row of table.rows) {
    if (deleted(row) !== '') continue;
    fn((column) => {
      let g = getters.get(column);
      if (g === undefined) {
        g = columnGetter(table, column);
        getters.set(column, g);
      }
      return g(row);
    });
  }
}
