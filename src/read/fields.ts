/**
 * Field-level parsers shared by the three row validators. Each turns one trimmed cell into a value
 * or an issue code; none ever puts the value into the code or a message. Dates and the HUD codes use
 * the normalise layer's parsers, which validation must agree with.
 *
 * These run on every cell of millions of rows, so they are plain code rather than schemas: no
 * per-cell allocation where a shared frozen result or the cell itself will do, and the common date
 * layouts skip the regular expressions (`parseCommonDate`).
 */

import type { IssueCode } from '../issue-codes.js';
import { commonDateKey, isoOfDateKey, parseCommonDate, parseDate } from '../normalise/date.js';
import type { CoverageType } from '../records.js';
import { CommonDates } from './common-dates.js';
import { memo } from './memo.js';
import type { IssueCollector } from './row-issues.js';

/**
 * The cells of one row by column position. `undefined` is a cell that was not given at all (a short
 * CSV row, or a key an input object lacks), which the data-quality rules read like an absent column.
 */
export type Fields = readonly (string | undefined)[];

/**
 * What every row assembler gets: the run's day (ISO `YYYY-MM-DD`) and the event-date parser of its
 * year (one per validator: its memo serves one file).
 */
export interface AssembleContext {
  readonly today: string;
  readonly date: DateParser;
}

/**
 * Validates one row's fields into a record, adding issues to the collector; `undefined` when the row
 * is rejected. `into`, when given, is the object the record's fields are written to (and returned)
 * instead of a fresh one: a caller that sets every field beforehand gets records of one shape (see
 * `CleanRowValidator.validateClean`); the values written are the same.
 */
export type Assembler<R> = (
  fields: Fields,
  line: number,
  issues: IssueCollector,
  into?: { -readonly [K in keyof R]: R[K] },
) => R | undefined;

/** A parsed field: the value, or the issue code that explains why there is none. */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: IssueCode };

/**
 * Field length limits: HUD S50 for names, S32 for identifiers, 250 for a provider name (HMIS custom
 * answer fields are S250). A longer value is `FIELD_TOO_LONG` (an identifier: `ID_TOO_LONG`).
 *
 * @example
 * ```ts
 * 'Garcia'.length <= NAME_MAX; // true
 * ```
 */
export const NAME_MAX = 50;
/** See {@link NAME_MAX}. @example `parseId('x'.repeat(ID_MAX)).ok; // true` */
export const ID_MAX = 32;
/** See {@link NAME_MAX}. @example `'Good Health Clinic'.length <= PROVIDER_MAX; // true` */
export const PROVIDER_MAX = 250;

/**
 * The trimmed cell at `index`, `''` when the column is absent (`index < 0`) or the row is short.
 *
 * @example
 * ```ts
 * cell([' a ', 'b'], 0); // 'a'
 * cell(['a'], 3); // ''
 * ```
 */
export function cell(fields: Fields, index: number): string {
  const v = index >= 0 ? fields[index] : undefined;
  if (v === undefined) return '';
  // Most cells start and end with a printable ASCII character: nothing to trim, no call needed.
  const n = v.length;
  if (n === 0) return v;
  const a = v.charCodeAt(0);
  const b = v.charCodeAt(n - 1);
  return a > 32 && a < 127 && b > 32 && b < 127 ? v : v.trim();
}

/**
 * Whether every cell of a row is blank (a row of delimiters only, such as `,,,`: a spreadsheet's
 * emptied row). Wholly empty lines are not rows at all (the CSV reader skips them).
 *
 * @example
 * ```ts
 * isBlankRow(['', ' ', '']); // true
 * isBlankRow(['', 'M1']); // false
 * ```
 */
export function isBlankRow(fields: Fields): boolean {
  for (let i = 0; i < fields.length; i++) if (cell(fields, i) !== '') return false;
  return true;
}

/**
 * The field-position lookup of a mapped header: a canonical column's position, or -1 when the
 * header lacks the column ({@link cell} reads that as blank, so an absent optional column needs no
 * special case).
 *
 * @example
 * ```ts
 * const at = columnAt(new Map([['DOB', 4]]));
 * at('DOB'); // 4
 * at('SSN'); // -1
 * ```
 */
export function columnAt(index: ReadonlyMap<string, number>): (name: string) => number {
  return (name) => index.get(name) ?? -1;
}

/**
 * Why a trimmed identifier cell is unusable (`ID_MISSING`, `ID_TOO_LONG`), or `undefined` when it is
 * a usable identifier: {@link parseId} without the result object, for the row assemblers.
 *
 * @example
 * ```ts
 * idIssue('A-17'); // undefined
 * idIssue(''); // 'ID_MISSING'
 * ```
 */
export function idIssue(trimmed: string): 'ID_MISSING' | 'ID_TOO_LONG' | undefined {
  return trimmed.length === 0 ? 'ID_MISSING' : trimmed.length > ID_MAX ? 'ID_TOO_LONG' : undefined;
}

const ID_MISSING: Parsed<string> = Object.freeze({ ok: false, code: 'ID_MISSING' });
const ID_TOO_LONG: Parsed<string> = Object.freeze({ ok: false, code: 'ID_TOO_LONG' });

/**
 * A record identifier (PersonalID, MemberID): required, at most 32 characters, kept byte-exact.
 *
 * @example
 * ```ts
 * parseId('A-17'); // { ok: true, value: 'A-17' }
 * parseId(''); // { ok: false, code: 'ID_MISSING' }
 * ```
 */
export function parseId(trimmed: string): Parsed<string> {
  const code = idIssue(trimmed);
  return code === undefined ? { ok: true, value: trimmed } : code === 'ID_MISSING' ? ID_MISSING : ID_TOO_LONG;
}

const MEDI_CAL: Parsed<CoverageType> = Object.freeze({ ok: true, value: 'Medi-Cal' });
const D_SNP: Parsed<CoverageType> = Object.freeze({ ok: true, value: 'D-SNP' });
const COVERAGE_INVALID: Parsed<CoverageType> = Object.freeze({ ok: false, code: 'COVERAGE_INVALID' });

// Spellings seen in plan extracts; the key ignores case, spaces and punctuation.
const COVERAGE_SPELLINGS: ReadonlyMap<string, Parsed<CoverageType>> = new Map([
  ['medical', MEDI_CAL],
  ['medicaid', MEDI_CAL],
  ['medicalmcp', MEDI_CAL],
  ['dsnp', D_SNP],
  ['medimedi', D_SNP],
  ['medimediplan', D_SNP],
  ['eaedsnp', D_SNP],
]);

/**
 * A coverage type: `Medi-Cal` or `D-SNP` in any case and punctuation (`MEDI CAL`, `dsnp`,
 * `Medi-Medi Plan`).
 *
 * @example
 * ```ts
 * parseCoverage('MEDI-CAL'); // { ok: true, value: 'Medi-Cal' }
 * parseCoverage('Covered CA'); // { ok: false, code: 'COVERAGE_INVALID' }
 * ```
 */
export function parseCoverage(trimmed: string): Parsed<CoverageType> {
  // The contract's own spellings need no key (nearly every row of a plan file).
  if (trimmed === 'Medi-Cal') return MEDI_CAL;
  if (trimmed === 'D-SNP') return D_SNP;
  return COVERAGE_SPELLINGS.get(trimmed.toLowerCase().replace(/[^a-z0-9]+/g, '')) ?? COVERAGE_INVALID;
}

const NPI_INVALID: Parsed<string> = Object.freeze({ ok: false, code: 'NPI_INVALID' });

/**
 * A National Provider Identifier: 10 digits whose last is the Luhn check digit over `80840` + the
 * first nine (the CMS rule).
 *
 * @example
 * ```ts
 * parseNpi('1234567893'); // { ok: true, value: '1234567893' }
 * parseNpi('1234567890'); // { ok: false, code: 'NPI_INVALID' }
 * ```
 */
export function parseNpi(trimmed: string): Parsed<string> {
  if (trimmed.length !== 10) return NPI_INVALID;
  for (let i = 0; i < 10; i++) {
    const c = trimmed.charCodeAt(i);
    if (c < 48 || c > 57) return NPI_INVALID;
  }
  return npiCheckDigitOk(trimmed) ? { ok: true, value: trimmed } : NPI_INVALID;
}

function npiCheckDigitOk(npi: string): boolean {
  // Luhn over "80840" + first nine digits; the prefix contributes a constant 24.
  let sum = 24;
  for (let i = 8; i >= 0; i--) {
    let d = npi.charCodeAt(i) - 48;
    if ((8 - i) % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === npi.charCodeAt(9) - 48;
}

/**
 * A date in any accepted layout, not a placeholder. `referenceYear` drives the two-digit-year pivot
 * (see `parseDate`). Start and end dates use {@link parseEventDate}; dates of birth
 * {@link parseDob}.
 *
 * @example
 * ```ts
 * parseEventDate('1/2/24', 2025); // { ok: true, value: '2024-01-02' }
 * parseEventDate('9999-12-31', 2025); // { ok: false, code: 'DATE_PLACEHOLDER' }
 * ```
 */
export function parseEventDate(trimmed: string, referenceYear: number): Parsed<string> {
  const common = parseCommonDate(trimmed, referenceYear);
  if (common !== undefined) return eventDate(common);
  const d = parseDate(trimmed, { referenceYear });
  if (!d.ok) return d.reason === 'impossible' ? EVENT_IMPOSSIBLE : EVENT_UNPARSEABLE;
  return eventDate(d.iso);
}

/**
 * The placeholder band of start, end and birth dates, as `commonDateKey` numbers (`YYYYMMDD`): a date
 * on or before `PLACEHOLDER_DAY_LOW` (1900-01-01) or on or after {@link PLACEHOLDER_DAY_HIGH}
 * (9000-01-01) is a placeholder — nothing an HMIS or plan system records happened then. The
 * validator and the first pass's `memberSpanCheck` both read the band from here.
 *
 * @example
 * ```ts
 * const key = 19000101; // commonDateKey('1900-01-01', 2025)
 * key <= PLACEHOLDER_DAY_LOW; // true: a placeholder
 * ```
 */
export const PLACEHOLDER_DAY_LOW = 19_000_101;

/**
 * The upper edge of the placeholder band (see {@link PLACEHOLDER_DAY_LOW}): a date key on or after
 * it (9000-01-01) is a placeholder.
 *
 * @example
 * ```ts
 * 99991231 >= PLACEHOLDER_DAY_HIGH; // true: 9999-12-31 is a placeholder
 * ```
 */
export const PLACEHOLDER_DAY_HIGH = 90_000_101;

/**
 * The first "high date" of an end date, as a `commonDateKey` number: an end on or after 2200-01-01
 * means the span is still open (see {@link isOpenEndDate}, {@link endDate}). The validator and the
 * first pass's `memberSpanCheck` both read it from here.
 *
 * @example
 * ```ts
 * 22991231 >= OPEN_END_DAY; // true: 2299-12-31 is an open end
 * ```
 */
export const OPEN_END_DAY = 22_000_101;

const PLACEHOLDER_LOW_ISO = isoOfDateKey(PLACEHOLDER_DAY_LOW);
const PLACEHOLDER_HIGH_ISO = isoOfDateKey(PLACEHOLDER_DAY_HIGH);

/** An event date's outcome from its ISO form. */
function eventDate(iso: string): Parsed<string> {
  // Same placeholder band as dates of birth: nothing an HMIS or plan system records happened then.
  if (iso <= PLACEHOLDER_LOW_ISO || iso >= PLACEHOLDER_HIGH_ISO) return EVENT_PLACEHOLDER;
  return { ok: true, value: iso };
}

const EVENT_IMPOSSIBLE: Parsed<string> = Object.freeze({ ok: false, code: 'DATE_IMPOSSIBLE' });
const EVENT_UNPARSEABLE: Parsed<string> = Object.freeze({ ok: false, code: 'DATE_UNPARSEABLE' });
const EVENT_PLACEHOLDER: Parsed<string> = Object.freeze({ ok: false, code: 'DATE_PLACEHOLDER' });

/**
 * Whether an end date means "open": plan systems write far-future "high dates" (12/31/9999,
 * 2299-12-31) instead of a blank end. Checked before {@link parseEventDate} so those are not
 * reported as placeholders.
 *
 * @example
 * ```ts
 * isOpenEndDate('12/31/9999'); // true
 * isOpenEndDate('2025-06-30'); // false
 * ```
 */
export function isOpenEndDate(trimmed: string): boolean {
  const d = parseDate(trimmed, { referenceYear: 2000 });
  return d.ok && d.iso >= OPEN_END;
}

const OPEN_END = isoOfDateKey(OPEN_END_DAY);

/** The outcome of {@link parseDob}: the ISO date when it is usable, and the issue, if any. */
export interface DobResult {
  readonly dob?: string;
  readonly code?: IssueCode;
}

/**
 * A date of birth: parsed (two-digit years pivot so the date is not after `today`), then checked
 * against placeholders and `today`. `DATE_BEFORE_1915` keeps the date; every other issue drops it.
 * The information date is checked separately ({@link dobAfter}), so this result depends only on the
 * cell and the run's day and can be memoised.
 *
 * @example
 * ```ts
 * parseDob('03/04/1980', '2025-06-01'); // { dob: '1980-03-04' }
 * parseDob('1900-01-01', '2025-06-01'); // { code: 'DATE_PLACEHOLDER' }
 * parseDob('1910-05-05', '2025-06-01'); // { dob: '1910-05-05', code: 'DATE_BEFORE_1915' }
 * ```
 */
export function parseDob(trimmed: string, today: string): DobResult {
  // Reference year one before today's: M/D/YY then never lands after the current year.
  const referenceYear = Number(today.slice(0, 4)) - 1;
  let iso = parseCommonDate(trimmed, referenceYear);
  if (iso === undefined) {
    const d = parseDate(trimmed, { referenceYear });
    if (!d.ok) return d.reason === 'impossible' ? DOB_IMPOSSIBLE : DOB_UNPARSEABLE;
    iso = d.iso;
  }
  const code = dobIssue(commonDateKey(iso, 0), commonDateKey(today, 0));
  if (code === undefined) return { dob: iso };
  if (code === 'DATE_BEFORE_1915') return { dob: iso, code };
  return code === 'DATE_PLACEHOLDER' ? DOB_PLACEHOLDER : DOB_FUTURE;
}

/**
 * The issue of a date of birth that is a real calendar date (`classifyDob` without the information
 * date, as an issue code): `DATE_PLACEHOLDER`, `DATE_FUTURE` (after `today`), `DATE_BEFORE_1915`
 * (the date is still used), or `undefined` when it is plausible. Dates are `commonDateKey` numbers
 * (`year * 10000 + month * 100 + day`), which order like the ISO strings but compare faster.
 *
 * @param dob - the date of birth as a number
 * @param today - the run's day as a number
 * @example
 * ```ts
 * dobIssue(19800304, 20250601); // undefined
 * dobIssue(19000101, 20250601); // 'DATE_PLACEHOLDER'
 * ```
 */
export function dobIssue(
  dob: number,
  today: number,
): 'DATE_PLACEHOLDER' | 'DATE_FUTURE' | 'DATE_BEFORE_1915' | undefined {
  // Same rules and order as classifyDob.
  if (dob <= PLACEHOLDER_DAY_LOW || dob >= PLACEHOLDER_DAY_HIGH || dob === 11111111)
    return 'DATE_PLACEHOLDER';
  if (dob > today) return 'DATE_FUTURE';
  return dob < 19150101 ? 'DATE_BEFORE_1915' : undefined;
}

const DOB_IMPOSSIBLE: DobResult = Object.freeze({ code: 'DATE_IMPOSSIBLE' });
const DOB_UNPARSEABLE: DobResult = Object.freeze({ code: 'DATE_UNPARSEABLE' });
const DOB_PLACEHOLDER: DobResult = Object.freeze({ code: 'DATE_PLACEHOLDER' });
const DOB_FUTURE: DobResult = Object.freeze({ code: 'DATE_FUTURE' });

/**
 * Whether a usable DOB is after the record's information date, which makes it impossible
 * (`classifyDob` calls this "future" too; it is reported as `DATE_AFTER_INFORMATION_DATE`).
 *
 * @example
 * ```ts
 * dobAfter('2024-05-02', '2024-05-01'); // true
 * dobAfter('1980-01-01', undefined); // false
 * ```
 */
export function dobAfter(dob: string, informationDate: string | undefined): boolean {
  if (informationDate === undefined) return false;
  if (dob.length !== 10 || informationDate.length !== 10) return dob > informationDate;
  // Two ISO dates: the first differing character decides. Cheaper than `>` on two fresh strings,
  // which this is for every row of an HMIS export.
  for (let i = 0; i < 10; i++) {
    const d = dob.charCodeAt(i) - informationDate.charCodeAt(i);
    if (d !== 0) return d > 0;
  }
  return false;
}

/** Parses one date cell (already trimmed); see {@link eventDateParser}. */
export type DateParser = (trimmed: string) => Parsed<string>;

/**
 * {@link parseEventDate} for one file, fast: the common layouts are read on char codes (see
 * `CommonDates`), and the other cells are memoised, as start and end dates repeat a lot.
 *
 * @example
 * ```ts
 * const parse = eventDateParser(2025);
 * parse('1/1/24'); // { ok: true, value: '2024-01-01' }
 * ```
 */
export function eventDateParser(referenceYear: number): DateParser {
  // The common layouts are parsed faster than a string-keyed cache lookup; the memo serves the rest.
  const dates = new CommonDates(referenceYear);
  const other = memo((raw) => parseEventDate(raw, referenceYear), 100_000);
  return (raw) => {
    const key = dates.key(raw);
    if (key < 0) return other(raw);
    // The placeholder band of `eventDate`, on the numbers.
    return key <= PLACEHOLDER_DAY_LOW || key >= PLACEHOLDER_DAY_HIGH
      ? EVENT_PLACEHOLDER
      : { ok: true, value: dates.iso(key, raw) };
  };
}

/**
 * The date part of a HUD T timestamp (`YYYY-MM-DD hh:mm:ss`) or any accepted date, for the
 * information-date fallbacks; `undefined` when unusable (no issue: they are metadata).
 *
 * @example
 * ```ts
 * timestampDate('2024-10-01 13:45:00', eventDateParser(2025)); // '2024-10-01'
 * ```
 */
export function timestampDate(trimmed: string, parse: DateParser): string | undefined {
  if (trimmed === '') return undefined;
  // Cut the time off an ISO timestamp first: timestamps are unique, their days are not.
  const c = trimmed.charCodeAt(10);
  const d = parse(
    trimmed.length > 10 && trimmed.charCodeAt(4) === 45 && (c === 32 || c === 84)
      ? trimmed.slice(0, 10)
      : trimmed,
  );
  return d.ok ? d.value : undefined;
}

/**
 * An optional date column: blank → `undefined`, no issue; unusable → its date issue and `undefined`.
 *
 * @example
 * ```ts
 * optionalDate(['2025-13-01'], 0, 'InformationDate', eventDateParser(2025), issues); // undefined (DATE_IMPOSSIBLE)
 * optionalDate([''], 0, 'InformationDate', eventDateParser(2025), issues); // undefined, no issue
 * ```
 */
export function optionalDate(
  fields: Fields,
  index: number,
  column: string,
  parse: DateParser,
  issues: IssueCollector,
): string | undefined {
  const raw = cell(fields, index);
  if (raw === '') return undefined;
  const d = parse(raw);
  if (d.ok) return d.value;
  issues.add(column, d.code);
  return undefined;
}

/**
 * A required date column: blank → `REQUIRED_MISSING`; unusable → its date issue plus
 * `REQUIRED_MISSING`, so the row is rejected.
 *
 * @example
 * ```ts
 * requiredDate(['2025-13-01'], 0, 'StartDate', eventDateParser(2025), issues); // undefined (DATE_IMPOSSIBLE, REQUIRED_MISSING)
 * ```
 */
export function requiredDate(
  fields: Fields,
  index: number,
  column: string,
  parse: DateParser,
  issues: IssueCollector,
): string | undefined {
  const date = optionalDate(fields, index, column, parse, issues);
  if (date === undefined) issues.add(column, 'REQUIRED_MISSING');
  return date;
}

/**
 * An optional end date: blank or a far-future "high date" → open (`undefined`, no issue); unusable →
 * its date issue, treated as open; before `start` → `END_BEFORE_START` (rejects the row).
 *
 * @example
 * ```ts
 * endDate(['12/31/9999'], 0, 'EndDate', '2024-01-01', eventDateParser(2025), issues); // undefined, no issue
 * ```
 */
export function endDate(
  fields: Fields,
  index: number,
  column: string,
  start: string | undefined,
  parse: DateParser,
  issues: IssueCollector,
): string | undefined {
  const raw = cell(fields, index);
  if (raw === '') return undefined;
  const d = parse(raw);
  // Far-future "high dates" (12/31/9999, 2299-12-31) are how plan systems write "still open".
  if (d.ok ? d.value >= OPEN_END : isOpenEndDate(raw)) return undefined;
  if (!d.ok) {
    issues.add(column, d.code);
    return undefined;
  }
  if (start !== undefined && d.value < start) issues.add(column, 'END_BEFORE_START');
  return d.value;
}
