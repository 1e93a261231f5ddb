/**
 * Row validation: a header row picks the columns, then each CSV row becomes a record or is rejected,
 * with its issues. The readers (reader.ts) drive this over a whole file; use it directly to validate
 * rows you already have.
 */
import { BloomlinkError } from '../errors.js';
import type { ClientRecord, ListKind, MemberRecord, ProgramRecord, RowIssue } from '../records.js';
import { isFormulaLike } from '../util/csv-write.js';
import type { CsvRow } from './csv.js';
import { type Assembler, eventDateParser, type Fields } from './fields.js';
import { mapHeader } from './header.js';
import {
  COC_COLUMNS,
  type DetectedLayout,
  detectLayout,
  MEMBER_COLUMNS,
  PROGRAM_COLUMNS,
} from './layouts.js';
import { IssueCollector } from './row-issues.js';
import { clientAssembler } from './validate-client.js';
import { memberAssembler } from './validate-member.js';
import { programAssembler } from './validate-program.js';

/** The outcome of one row: the record when it was accepted, and its issues (possibly none). */
export interface RowResult<R> {
  /** Physical line where the row starts (header = line 1), or the 1-based position of an input object + 1. */
  readonly line: number;
  readonly record?: R;
  readonly issues: readonly RowIssue[];
}

/** Options of the row validators. */
export interface ValidateOptions {
  /** The run's day, ISO `YYYY-MM-DD` (default: today's local date). DOBs after it are unusable. */
  readonly today?: string;
  /** File name for error messages (default `input`). */
  readonly label?: string;
}

/** Validates the rows of one list; created from its header row. Remembers IDs to catch duplicates. */
export interface RowValidator<R> {
  readonly kind: ListKind;
  readonly layout: DetectedLayout['layout'];
  /** Canonical column name → field index, for the columns the header has. */
  readonly columns: ReadonlyMap<string, number>;
  /** Validates one row; call in file order (the first row with an ID wins). */
  validate(row: ValidatorRow): RowResult<R>;
}

/**
 * A {@link RowValidator} that can also judge a row into a caller's object: what `buildValidator`
 * returns. For callers that want only the clean rows' values and ask `validate` for every other row.
 */
export interface CleanRowValidator<R> extends RowValidator<R> {
  /**
   * `true` only when `validate(row)` would accept the row **with no issue at all**: its record's
   * fields are then written into `into` (every other field of `into` is left as it was) and the row
   * is done, as if `validate` had been called. `false` when the row has an issue or is not of the
   * common shape (a row with more or fewer cells than the header, or with no cell filled): nothing
   * is reported, and the row must be judged by `validate` (`into` may then hold some of its fields).
   * Member lists only (a member row's outcome is its own: MemberIDs repeat); the same code judges
   * both ways, only the record's object and the issues' objects differ.
   *
   * @example
   * ```ts
   * const into = { line: 0, memberId: '', firstName: undefined, … } as MemberDraft;
   * if (!v.validateClean(row, into)) report(v.validate(row));
   * ```
   */
  validateClean(row: ValidatorRow, into: { -readonly [K in keyof R]: R[K] }): boolean;
}

/** A row to validate: a CSV row, or cells where `undefined` means "not given" (see `Fields`). */
export type ValidatorRow = CsvRow | { readonly line: number; readonly fields: Fields };

/** A record of any list kind. */
export type AnyRecord = ClientRecord | MemberRecord | ProgramRecord;

/**
 * An ISO calendar date, YYYY-MM-DD, leap days included: the same expression as zod's `z.iso.date()`,
 * written here so checking `today` does not build a zod schema in every run.
 * @example
 * ```ts
 * ISO_DATE.test('2024-02-29'); // true
 * ```
 */
export const ISO_DATE =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))$/;

/**
 * The validator of CoC client rows (contract list, HMIS Client.csv FY2024 or FY2026).
 *
 * @throws BloomlinkError `COLUMN_MISSING` / `COLUMN_DUPLICATE` for a bad header
 * @example
 * ```ts
 * const v = clientValidator(['PersonalID', 'FirstName', 'LastName', 'NameDataQuality', 'DOB', 'DOBDataQuality']);
 * v.validate({ line: 2, fields: ['17', 'Ana', 'Ruiz', '1', '1980-02-03', '1'] }).record?.personalId; // '17'
 * ```
 */
export function clientValidator(
  header: readonly string[],
  opts: ValidateOptions = {},
): RowValidator<ClientRecord> {
  return buildValidator('coc', header, opts);
}

/**
 * The validator of MCP member rows.
 *
 * @throws BloomlinkError `COLUMN_MISSING` / `COLUMN_DUPLICATE` for a bad header
 * @example
 * ```ts
 * const v = memberValidator(['MemberID', 'FirstName', 'LastName', 'DOB', 'MCP', 'CoverageType', 'EnrollmentStartDate']);
 * v.validate({ line: 2, fields: ['M1', 'Ana', 'Ruiz', '02/03/1980', 'Plan', 'Medi-Cal', '2024-01-01'] }).record?.dob;
 * // '1980-02-03'
 * ```
 */
export function memberValidator(
  header: readonly string[],
  opts: ValidateOptions = {},
): RowValidator<MemberRecord> {
  return buildValidator('members', header, opts);
}

/**
 * The validator of MCP program rows.
 *
 * @throws BloomlinkError `COLUMN_MISSING` / `COLUMN_DUPLICATE` for a bad header
 * @example
 * ```ts
 * const v = programValidator(['MemberID', 'Program', 'Provider', 'StartDate']);
 * v.validate({ line: 2, fields: ['M1', 'enhanced care management', 'Clinic', '2024-01-01'] }).record?.program; // 'ECM'
 * ```
 */
export function programValidator(
  header: readonly string[],
  opts: ValidateOptions = {},
): RowValidator<ProgramRecord> {
  return buildValidator('programs', header, opts);
}

/**
 * The validator for a header whose kind is detected (see `detectLayout`).
 *
 * @throws BloomlinkError `LAYOUT_UNKNOWN`, `COLUMN_MISSING`, `COLUMN_DUPLICATE`
 * @example
 * ```ts
 * const v = listValidator(['PersonalID', 'FirstName', 'LastName', 'DOB', 'SSN']);
 * if (v.kind === 'coc') console.log(v.layout); // 'contract' | 'hmis-fy2024' | 'hmis-fy2026'
 * ```
 */
export function listValidator(header: readonly string[], opts: ValidateOptions = {}): AnyRowValidator {
  const { kind } = detectLayout(header, opts.label);
  return buildValidator(kind, header, opts) as AnyRowValidator;
}

/** A validator of any kind, discriminated by `kind`. */
export type AnyRowValidator =
  | (RowValidator<ClientRecord> & { readonly kind: 'coc' })
  | (RowValidator<MemberRecord> & { readonly kind: 'members' })
  | (RowValidator<ProgramRecord> & { readonly kind: 'programs' });

/**
 * The run's day as ISO: `today` when given (checked), else the local date.
 *
 * @throws TypeError when `today` is not an ISO calendar date
 * @example
 * ```ts
 * resolveToday('2025-06-01'); // '2025-06-01'
 * ```
 */
export function resolveToday(today: string | undefined): string {
  if (today === undefined) {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }
  if (typeof today !== 'string' || !ISO_DATE.test(today))
    throw new TypeError('today must be an ISO date (YYYY-MM-DD)');
  return today;
}

const SPECS = { coc: COC_COLUMNS, members: MEMBER_COLUMNS, programs: PROGRAM_COLUMNS } as const;
const ASSEMBLERS = { coc: clientAssembler, members: memberAssembler, programs: programAssembler } as const;

/**
 * The validator of `kind` for a header; the typed `clientValidator` & co. call this. `layout`
 * overrides the layout detected from the header (the readers pass the one of the original input).
 *
 * @throws BloomlinkError `COLUMN_MISSING`, `COLUMN_DUPLICATE`, `LAYOUT_UNKNOWN` (another list's header)
 * @example
 * ```ts
 * const v = buildValidator('programs', ['MemberID', 'Program', 'Provider', 'StartDate']);
 * ```
 */
export function buildValidator<R extends AnyRecord>(
  kind: ListKind,
  header: readonly string[],
  opts: ValidateOptions = {},
  layout?: DetectedLayout['layout'],
): CleanRowValidator<R> {
  const label = opts.label ?? 'input';
  const detected = layout ?? expectLayout(kind, header, label);
  const { index } = mapHeader(header, SPECS[kind], label);
  const today = resolveToday(opts.today);
  const date = eventDateParser(Number(today.slice(0, 4)));
  const assemble = ASSEMBLERS[kind](index, { today, date }) as Assembler<R>;
  const width = header.length;
  const issues = new IssueCollector();
  const mapped = [...index];
  // The mapped columns' positions, for the formula test every row gets (names only for an issue).
  const mappedAt = Int32Array.from(mapped, ([, i]) => i);
  const idColumn = kind === 'coc' ? 'PersonalID' : 'MemberID';
  const idAt = index.get(idColumn) ?? -1;
  return {
    kind,
    layout: detected,
    columns: index,
    validate(row: ValidatorRow): RowResult<R> {
      const { line, fields } = row;
      let record: R | undefined;
      if (isBlank(fields)) issues.add('*', 'ROW_EMPTY');
      else {
        if (fields.length < width) issues.add('*', 'ROW_SHORT');
        else if (fields.length > width && !isBlank(fields, width)) issues.add('*', 'ROW_LONG');
        flagFormulas(fields, mapped, issues);
        record = assemble(fields, line, issues);
      }
      const found = withId(issues.take(line), idColumn, fields[idAt]);
      return record === undefined ? { line, issues: found } : { line, record, issues: found };
    },
    validateClean(row, into) {
      // `validate`'s steps, stopped wherever an issue is certain: a clean row has no blank or short
      // or long row issue, and no formula-like cell.
      if (kind !== 'members') throw new TypeError('validateClean: member lists only');
      const { line, fields } = row;
      if (fields.length !== width || isBlank(fields)) return false;
      for (let k = 0; k < mappedAt.length; k++) {
        const v = fields[mappedAt[k] as number];
        if (v !== undefined && v.length > 0 && isFormulaLike(v)) return false;
      }
      const clean = assemble(fields, line, issues, into) !== undefined && issues.count === 0;
      issues.clear();
      return clean;
    },
  };
}

/**
 * A row's issues with the record's own ID, so the rejection report can name it: the ID cell as
 * trimmed (as the ID is read), left out when blank or when an issue is on the ID column itself.
 */
function withId(found: readonly RowIssue[], idColumn: string, raw: string | undefined): readonly RowIssue[] {
  if (found.length === 0) return found;
  const id = raw?.trim();
  if (!id || found.some((i) => i.field === idColumn)) return found;
  return found.map((i) => ({ ...i, id }));
}

/**
 * The layout of a header read as a list of `kind`: the detected layout, or the plain layout of the
 * kind when the header is not recognisable (mapping the header then names the missing columns).
 *
 * @throws BloomlinkError `LAYOUT_UNKNOWN` when the header is that of another list kind
 * @example
 * ```ts
 * expectLayout('coc', HMIS_CLIENT_HEADERS['hmis-fy2024']); // 'hmis-fy2024'
 * expectLayout('coc', ['MemberID', 'Program', 'Provider', 'StartDate']); // throws LAYOUT_UNKNOWN
 * ```
 */
export function expectLayout(
  kind: ListKind,
  header: readonly string[],
  label = 'input',
): DetectedLayout['layout'] {
  let detected: DetectedLayout | undefined;
  try {
    detected = detectLayout(header, label);
  } catch {
    detected = undefined;
  }
  if (detected === undefined) return kind === 'coc' ? 'contract' : kind;
  if (detected.kind !== kind) {
    throw new BloomlinkError(
      'LAYOUT_UNKNOWN',
      `${label}: expected ${LIST_NAMES[kind]} but the header is that of ${LIST_NAMES[detected.kind]}`,
    );
  }
  return detected.layout;
}

const LIST_NAMES = {
  coc: 'a CoC client list',
  members: 'an MCP member list',
  programs: 'an MCP program list',
} as const;

/** `FORMULA_LIKE_VALUE` on every mapped column whose value a spreadsheet could run as a formula. */
function flagFormulas(
  fields: Fields,
  mapped: readonly (readonly [string, number])[],
  issues: IssueCollector,
): void {
  for (const [name, i] of mapped) {
    const v = fields[i];
    if (v !== undefined && v.length > 0 && isFormulaLike(v)) issues.add(name, 'FORMULA_LIKE_VALUE');
  }
}

function isBlank(fields: Fields, from = 0): boolean {
  for (let i = from; i < fields.length; i++) {
    const v = fields[i];
    if (v === undefined || v.length === 0) continue;
    // A printable ASCII first character settles it without trimming (nearly every row's first cell).
    const c = v.charCodeAt(0);
    if ((c > 32 && c < 127) || v.trim() !== '') return false;
  }
  return true;
}
