/**
 * The dates of one file in the layouts nearly every file uses (see `commonDateKey`): parsed without
 * regular expressions and compared as numbers. An ISO cell is its own ISO form and is used as is (it
 * was just read, so it is in cache; a shared copy would be a cache miss away). A date written any
 * other way gets one ISO string per distinct date, built once and shared by every record that has
 * it, instead of one new string per cell.
 */
import { commonDateKey, isoOfDateKey } from '../normalise/date.js';

// Years with a shared string; a date outside gets its own (no real file has many).
const FIRST_YEAR = 1000;
const LAST_YEAR = 2999;
// Distinct dates kept; beyond this the table starts over (as in memo.ts).
const MAX_KEPT = 100_000;

/**
 * Common-layout dates of one file.
 *
 * @example
 * ```ts
 * const dates = new CommonDates(2025);
 * const key = dates.key('2/3/80'); // 19800203 (-1: not a common layout, ask parseDate)
 * dates.iso(key, '2/3/80'); // '1980-02-03', the same string for every 2/3/80 or 02/03/1980 cell
 * ```
 */
export class CommonDates {
  readonly #referenceYear: number;
  /** Per year (from FIRST_YEAR), the ISO string of each (month, day), created on first use. */
  #years: (string | undefined)[][] = [];
  #kept = 0;

  /** `referenceYear` is the two-digit-year pivot, as for `parseDate`. */
  constructor(referenceYear: number) {
    this.#referenceYear = referenceYear;
  }

  /** `year * 10000 + month * 100 + day` of a trimmed cell in a common layout, else -1. */
  key(trimmed: string): number {
    return commonDateKey(trimmed, this.#referenceYear);
  }

  /** The ISO string of a key from {@link CommonDates.key}; `cell` is the cell it came from. */
  iso(key: number, cell: string): string {
    if (cell.length === 10 && cell.charCodeAt(4) === 45) return cell;
    const y = Math.floor(key / 10000);
    if (y < FIRST_YEAR || y > LAST_YEAR) return isoOfDateKey(key);
    let year = this.#years[y - FIRST_YEAR];
    if (year === undefined) {
      if (this.#kept >= MAX_KEPT) {
        this.#years = [];
        this.#kept = 0;
      }
      year = new Array<string | undefined>(12 * 31);
      this.#years[y - FIRST_YEAR] = year;
    }
    const at = (Math.floor((key % 10000) / 100) - 1) * 31 + (key % 100) - 1;
    let iso = year[at];
    if (iso === undefined) {
      iso = isoOfDateKey(key);
      year[at] = iso;
      this.#kept++;
    }
    return iso;
  }
}
