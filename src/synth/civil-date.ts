/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, proleptic Gregorian) without `Date`
 * objects: the generator formats millions of dates, and integer days are also what it draws.
 * Algorithms from Howard Hinnant, "chrono-compatible low-level date algorithms"; the day number of a
 * date and the month lengths are the normalise layer's, so generated and validated dates agree.
 */
import { daysFromCivil, daysInMonth } from '../normalise/date.js';

/**
 * A calendar date.
 *
 * @example
 * ```ts
 * const c: Civil = { year: 1984, month: 7, day: 4 };
 * ```
 */
export interface Civil {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  /** 1–31 */
  readonly day: number;
}

/**
 * Calendar date of a day number.
 *
 * @example
 * ```ts
 * civilFromDays(0); // { year: 1970, month: 1, day: 1 }
 * ```
 */
export function civilFromDays(days: number): Civil {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/**
 * Whether `(year, month, day)` is a real calendar date.
 *
 * @example
 * ```ts
 * isValidCivil(2023, 2, 29); // false
 * ```
 */
export function isValidCivil(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * `YYYY-MM-DD` of a calendar date.
 *
 * @example
 * ```ts
 * isoDate({ year: 1984, month: 7, day: 4 }); // '1984-07-04'
 * ```
 */
export function isoDate(c: Civil): string {
  return `${c.year}-${pad2(c.month)}-${pad2(c.day)}`;
}

/**
 * `YYYY-MM-DD` of a day number.
 *
 * @example
 * ```ts
 * isoDay(0); // '1970-01-01'
 * ```
 */
export function isoDay(days: number): string {
  return isoDate(civilFromDays(days));
}

/**
 * Parses a strict `YYYY-MM-DD` into a day number (for options such as `referenceDate`), or
 * `undefined` when it is not a real date.
 *
 * @example
 * ```ts
 * parseIsoDay('1970-01-02'); // 1
 * ```
 */
export function parseIsoDay(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isValidCivil(y, mo, d) ? daysFromCivil(y, mo, d) : undefined;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/**
 * The date spellings of the data contract (`DOB` accepts all of them).
 *
 * @example
 * ```ts
 * spellDate(c, 'oracle' satisfies DateSpelling);
 * ```
 */
export type DateSpelling = 'iso' | 'us' | 'us-short' | 'compact' | 'oracle';

/**
 * A calendar date in one of the spellings the data contract accepts: `iso` `YYYY-MM-DD`, `us`
 * `MM/DD/YYYY`, `us-short` `M/D/YY`, `compact` `YYYYMMDD`, `oracle` `DD-MON-YY`.
 *
 * @example
 * ```ts
 * spellDate({ year: 1967, month: 5, day: 8 }, 'oracle'); // '08-MAY-67'
 * ```
 */
export function spellDate(c: Civil, spelling: DateSpelling): string {
  switch (spelling) {
    case 'iso':
      return isoDate(c);
    case 'us':
      return `${pad2(c.month)}/${pad2(c.day)}/${c.year}`;
    case 'us-short':
      return `${c.month}/${c.day}/${pad2(c.year % 100)}`;
    case 'compact':
      return `${c.year}${pad2(c.month)}${pad2(c.day)}`;
    case 'oracle':
      return `${pad2(c.day)}-${MONTHS[c.month - 1]}-${pad2(c.year % 100)}`;
  }
}
