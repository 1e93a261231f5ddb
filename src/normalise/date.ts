/**
 * Dates as they appear in HMIS exports and plan files, turned into ISO `YYYY-MM-DD` with real
 * calendar checks. Formats are those seen in real files (HUD D and T types, US spreadsheet dates,
 * Oracle `DD-MON-YY`); US order is assumed for slash and dash dates, so 13/02/2020 is impossible,
 * never silently swapped.
 *
 * Two-digit years pivot like Green River's HMIS importer: YY becomes the latest year ending in YY
 * that is not after next year (reference year + 1). The reference year defaults to the current UTC
 * year; both parties of a linkage should pass the same `referenceYear` when their runs may straddle
 * a new year.
 */

/** The input layouts {@link parseDate} recognises; ` hh:mm:ss` is appended when a time followed. */
export type DateFormat =
  | 'YYYY-MM-DD'
  | 'YYYY/MM/DD'
  | 'YYYYMMDD'
  | 'MM/DD/YYYY'
  | 'M/D/YY'
  | 'MM-DD-YYYY'
  | 'MM-DD-YY'
  | 'DD-MON-YYYY'
  | 'DD-MON-YY';

/** Result of {@link parseDate}. */
export type ParsedDate =
  | { readonly ok: true; readonly iso: string; readonly format: string }
  | { readonly ok: false; readonly reason: 'unparseable' | 'impossible' };

const UNPARSEABLE: ParsedDate = Object.freeze({ ok: false, reason: 'unparseable' });
const IMPOSSIBLE: ParsedDate = Object.freeze({ ok: false, reason: 'impossible' });

// Optional time: ` 13:05`, `T13:05:09`, `.123`, ` 1:05 PM`, trailing `Z`.
const TIME = String.raw`(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?: ?([AaPp][Mm]))?Z?)?`;
const YMD_DASH = new RegExp(`^(\\d{4})-(\\d{1,2})-(\\d{1,2})${TIME}$`);
const YMD_SLASH = new RegExp(`^(\\d{4})/(\\d{1,2})/(\\d{1,2})${TIME}$`);
const YMD_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const MDY_SLASH = new RegExp(`^(\\d{1,2})/(\\d{1,2})/(\\d{4}|\\d{2})${TIME}$`);
const MDY_DASH = new RegExp(`^(\\d{1,2})-(\\d{1,2})-(\\d{4}|\\d{2})${TIME}$`);
const D_MON_Y = new RegExp(`^(\\d{1,2})[-/ ]([A-Za-z]{3,9})\\.?[-/ ](\\d{4}|\\d{2})${TIME}$`);

const MONTHS: ReadonlyMap<string, number> = new Map([
  ['JAN', 1],
  ['JANUARY', 1],
  ['FEB', 2],
  ['FEBRUARY', 2],
  ['MAR', 3],
  ['MARCH', 3],
  ['APR', 4],
  ['APRIL', 4],
  ['MAY', 5],
  ['JUN', 6],
  ['JUNE', 6],
  ['JUL', 7],
  ['JULY', 7],
  ['AUG', 8],
  ['AUGUST', 8],
  ['SEP', 9],
  ['SEPT', 9],
  ['SEPTEMBER', 9],
  ['OCT', 10],
  ['OCTOBER', 10],
  ['NOV', 11],
  ['NOVEMBER', 11],
  ['DEC', 12],
  ['DECEMBER', 12],
]);

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/**
 * Number of days in a month of the proleptic Gregorian calendar.
 *
 * @example
 * ```ts
 * daysInMonth(2024, 2); // 29
 * daysInMonth(1900, 2); // 28
 * ```
 */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function pivotYear(yy: number, referenceYear: number): number {
  const limit = referenceYear + 1;
  const y = Math.floor(limit / 100) * 100 + yy;
  return y > limit ? y - 100 : y;
}

/** Checks the optional time groups (hour, minute, second, AM/PM) of a match. */
function isValidTime(
  h: string | undefined,
  min: string | undefined,
  sec: string | undefined,
  ampm?: string,
): boolean {
  if (h === undefined) return true;
  const hour = Number(h);
  if (ampm !== undefined ? hour < 1 || hour > 12 : hour > 23) return false;
  return Number(min) <= 59 && (sec === undefined || Number(sec) <= 59);
}

function build(
  y: number,
  m: number,
  d: number,
  format: DateFormat,
  time: readonly (string | undefined)[],
): ParsedDate {
  const [h, min, sec, ampm] = time;
  if (!isCalendarDate(y, m, d) || !isValidTime(h, min, sec, ampm)) return IMPOSSIBLE;
  return {
    ok: true,
    iso: `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`,
    format: h === undefined ? format : `${format} hh:mm:ss`,
  };
}

/**
 * Parses a date in one of the recognised layouts to ISO `YYYY-MM-DD`:
 * `YYYY-MM-DD` (HUD D; also `YYYY-MM-DD hh:mm:ss`, HUD T), `YYYY/MM/DD`, `YYYYMMDD`, `MM/DD/YYYY`
 * (also `M/D/YYYY`), `M/D/YY`, `MM-DD-YYYY`, `MM-DD-YY`, `DD-MON-YY`, `DD-MON-YYYY` (month names or
 * abbreviations in any case; `-`, `/` or space between). A time part after any layout is accepted
 * and ignored. Two-digit years pivot as described in the module comment. Never throws.
 *
 * @param raw - the cell as read (trimmed here)
 * @param opts - `referenceYear` for the two-digit-year pivot (default: the current UTC year)
 * @returns `{ ok: true, iso, format }`, or `{ ok: false, reason }`: `unparseable` when no layout
 *   fits, `impossible` when one fits but the date or time does not exist (2023-02-29, 13/01/2020)
 * @example
 * ```ts
 * parseDate('2024-02-29');                       // { ok: true, iso: '2024-02-29', format: 'YYYY-MM-DD' }
 * parseDate('9/10/2015');                        // { ok: true, iso: '2015-09-10', format: 'MM/DD/YYYY' }
 * parseDate('08-MAY-67', { referenceYear: 2025 }); // { ok: true, iso: '1967-05-08', format: 'DD-MON-YY' }
 * parseDate('7/14/26', { referenceYear: 2025 });   // { ok: true, iso: '2026-07-14', format: 'M/D/YY' }
 * parseDate('2023-02-29');                       // { ok: false, reason: 'impossible' }
 * ```
 */
export function parseDate(raw: string, opts?: { referenceYear?: number | undefined }): ParsedDate {
  if (typeof raw !== 'string') return UNPARSEABLE;
  const s = raw.trim();
  // The longest accepted form is under 40 characters; skip the regexes for anything longer.
  if (s.length < 6 || s.length > 40) return UNPARSEABLE;
  const referenceYear = opts?.referenceYear ?? new Date().getUTCFullYear();
  const c0 = s.charCodeAt(0);
  if (c0 < 48 || c0 > 57) return UNPARSEABLE;

  let m = YMD_DASH.exec(s);
  if (m !== null) return build(Number(m[1]), Number(m[2]), Number(m[3]), 'YYYY-MM-DD', m.slice(4));
  m = YMD_COMPACT.exec(s);
  if (m !== null) return build(Number(m[1]), Number(m[2]), Number(m[3]), 'YYYYMMDD', []);
  m = MDY_SLASH.exec(s);
  if (m !== null) {
    // The year (group 3) is not optional in these patterns.
    const y = m[3] ?? '';
    const year = y.length === 2 ? pivotYear(Number(y), referenceYear) : Number(y);
    return build(year, Number(m[1]), Number(m[2]), y.length === 2 ? 'M/D/YY' : 'MM/DD/YYYY', m.slice(4));
  }
  m = MDY_DASH.exec(s);
  if (m !== null) {
    const y = m[3] ?? '';
    const year = y.length === 2 ? pivotYear(Number(y), referenceYear) : Number(y);
    return build(year, Number(m[1]), Number(m[2]), y.length === 2 ? 'MM-DD-YY' : 'MM-DD-YYYY', m.slice(4));
  }
  m = YMD_SLASH.exec(s);
  if (m !== null) return build(Number(m[1]), Number(m[2]), Number(m[3]), 'YYYY/MM/DD', m.slice(4));
  m = D_MON_Y.exec(s);
  if (m !== null) {
    const month = MONTHS.get((m[2] ?? '').toUpperCase());
    if (month === undefined) return UNPARSEABLE;
    const y = m[3] ?? '';
    const year = y.length === 2 ? pivotYear(Number(y), referenceYear) : Number(y);
    return build(year, month, Number(m[1]), y.length === 2 ? 'DD-MON-YY' : 'DD-MON-YYYY', m.slice(4));
  }
  return UNPARSEABLE;
}

/** The value of the ASCII digits `s[from, to)`, or -1 when one of them is not a digit. */
function digitsAt(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * The date of a cell in one of the layouts nearly every file uses — `YYYY-MM-DD`, `YYYYMMDD`,
 * `M/D/YYYY` and `M/D/YY` (one- or two-digit month and day), without a time — as the number
 * `year * 10000 + month * 100 + day`, computed without regular expressions or allocation; -1 for
 * any other input, including an impossible date in these layouts (the caller then asks
 * {@link parseDate}, which also says why). Readers call this for each date cell of millions of rows
 * and can share one ISO string per distinct number.
 *
 * @param s - a trimmed cell
 * @param referenceYear - the two-digit-year pivot, as for `parseDate`
 * @example
 * ```ts
 * commonDateKey('2/3/80', 2025);     // 19800203
 * commonDateKey('03-FEB-80', 2025);  // -1 (ask parseDate)
 * commonDateKey('2023-02-29', 2025); // -1 (impossible: parseDate says so)
 * ```
 */
export function commonDateKey(s: string, referenceYear: number): number {
  const n = s.length;
  let y: number;
  let m: number;
  let d: number;
  if (n === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    y = digitsAt(s, 0, 4);
    m = digitsAt(s, 5, 7);
    d = digitsAt(s, 8, 10);
  } else if (n === 8 && digitsAt(s, 0, 4) >= 0) {
    // Eight digits; M/D/YYYY can be eight characters too and is read below.
    y = digitsAt(s, 0, 4);
    m = digitsAt(s, 4, 6);
    d = digitsAt(s, 6, 8);
  } else {
    // M/D/YYYY and M/D/YY: 6 to 10 characters.
    if (n < 6 || n > 10) return -1;
    const s1 = s.charCodeAt(1) === 47 ? 1 : s.charCodeAt(2) === 47 ? 2 : -1;
    if (s1 < 0) return -1;
    const s2 = s.charCodeAt(s1 + 2) === 47 ? s1 + 2 : s.charCodeAt(s1 + 3) === 47 ? s1 + 3 : -1;
    const yDigits = n - s2 - 1;
    if (s2 < 0 || (yDigits !== 4 && yDigits !== 2)) return -1;
    m = digitsAt(s, 0, s1);
    d = digitsAt(s, s1 + 1, s2);
    y = digitsAt(s, s2 + 1, n);
    if (y >= 0 && yDigits === 2) y = pivotYear(y, referenceYear);
  }
  return y >= 0 && m >= 0 && d >= 0 && isCalendarDate(y, m, d) ? y * 10000 + m * 100 + d : -1;
}

/**
 * The ISO form of a {@link commonDateKey} number.
 *
 * @param key - `year * 10000 + month * 100 + day` of a calendar date
 * @example
 * ```ts
 * isoOfDateKey(19800203); // '1980-02-03'
 * ```
 */
export function isoOfDateKey(key: number): string {
  const y = Math.floor(key / 10000);
  const md = key - y * 10000;
  return `${pad(y, 4)}-${pad(Math.floor(md / 100), 2)}-${pad(md % 100, 2)}`;
}

/**
 * {@link parseDate}'s ISO result for the layouts of {@link commonDateKey}; `undefined` for any
 * other input (ask `parseDate`). An ISO input is returned as is.
 *
 * @param s - a trimmed cell
 * @param referenceYear - the two-digit-year pivot, as for `parseDate`
 * @example
 * ```ts
 * parseCommonDate('1980-02-03', 2025); // '1980-02-03'
 * parseCommonDate('2/3/80', 2025);     // '1980-02-03'
 * parseCommonDate('03-FEB-80', 2025);  // undefined
 * ```
 */
export function parseCommonDate(s: string, referenceYear: number): string | undefined {
  const key = commonDateKey(s, referenceYear);
  if (key < 0) return undefined;
  return s.length === 10 && s.charCodeAt(4) === 45 ? s : isoOfDateKey(key);
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Whether a string is an ISO `YYYY-MM-DD` date that exists in the calendar.
 *
 * @param s - any string
 * @example
 * ```ts
 * isIsoDate('2024-02-29'); // true
 * isIsoDate('2023-02-29'); // false
 * isIsoDate('2024-2-9');   // false
 * ```
 */
export function isIsoDate(s: string): boolean {
  const m = ISO_RE.exec(s);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * The year, month and day numbers of an ISO date.
 *
 * @param iso - a `YYYY-MM-DD` calendar date
 * @throws TypeError when `iso` is not one
 * @example
 * ```ts
 * dateParts('1967-05-08'); // { year: 1967, month: 5, day: 8 }
 * ```
 */
export function dateParts(iso: string): { year: number; month: number; day: number } {
  const m = ISO_RE.exec(iso);
  if (m === null) throw new TypeError('dateParts: iso must be a YYYY-MM-DD date');
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (!isCalendarDate(year, month, day)) throw new TypeError('dateParts: iso must be a real calendar date');
  return { year, month, day };
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): integer
 * arithmetic, no `Date` and no time zone. Not checked: an impossible date counts on (Feb 30 is
 * Mar 1 or 2).
 *
 * @example
 * ```ts
 * daysFromCivil(1970, 1, 2); // 1
 * daysFromCivil(1969, 12, 31); // -1
 * ```
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Whole days from `a` to `b` (negative when `b` is earlier), by calendar arithmetic, no time zones.
 *
 * @param a - a `YYYY-MM-DD` calendar date
 * @param b - another
 * @throws TypeError when either is not one
 * @example
 * ```ts
 * daysBetween('2024-02-28', '2024-03-01'); // 2
 * daysBetween('2024-03-01', '2024-02-28'); // -2
 * ```
 */
export function daysBetween(a: string, b: string): number {
  const pa = dateParts(a);
  const pb = dateParts(b);
  return daysFromCivil(pb.year, pb.month, pb.day) - daysFromCivil(pa.year, pa.month, pa.day);
}

/** How plausible a date of birth is; see {@link classifyDob}. */
export type DobClass = 'ok' | 'placeholder' | 'future' | 'before-1915';

/**
 * Classifies a date of birth:
 * - `placeholder`: 1900-01-01, anything earlier, year 9000 or later, or 1111-11-11 — values entered
 *   to mean "unknown", never used for matching;
 * - `future`: after the information date or after today — impossible, not used;
 * - `before-1915`: possible but implausible (HUD's DQ rule flags it); still used;
 * - `ok` otherwise.
 *
 * @param iso - the DOB as a `YYYY-MM-DD` calendar date
 * @param opts - `today` (`YYYY-MM-DD`, passed in so results are reproducible) and the record's
 *   `informationDate` when known
 * @throws TypeError when `iso` is not a calendar date
 * @example
 * ```ts
 * classifyDob('1900-01-01', { today: '2025-06-01' });  // 'placeholder'
 * classifyDob('1910-03-04', { today: '2025-06-01' });  // 'before-1915'
 * classifyDob('2025-05-02', { informationDate: '2025-05-01', today: '2025-06-01' }); // 'future'
 * classifyDob('1980-07-15', { today: '2025-06-01' });  // 'ok'
 * ```
 */
export function classifyDob(
  iso: string,
  opts: { informationDate?: string | undefined; today: string },
): DobClass {
  if (!isIsoDate(iso)) throw new TypeError('classifyDob: iso must be a YYYY-MM-DD calendar date');
  // ISO dates of the same width compare correctly as strings.
  if (iso <= '1900-01-01' || iso >= '9000-01-01' || iso === '1111-11-11') return 'placeholder';
  if (iso > opts.today || (opts.informationDate !== undefined && iso > opts.informationDate)) return 'future';
  return iso < '1915-01-01' ? 'before-1915' : 'ok';
}
