import { type Civil, type DateSpelling, spellDate } from './civil-date.js';
import { unit } from './prng.js';
import { STREAM } from './streams.js';

/**
 * How a list writes names: HMIS users type in mixed case, MEDS extracts are upper case.
 *
 * @example
 * ```ts
 * applyCase('SMITH', 'title' satisfies LetterCase); // 'Smith'
 * ```
 */
export type LetterCase = 'upper' | 'title' | 'lower';

/**
 * `MARY-JO O NEIL` → `Mary-Jo O Neil`: upper-case letter after start, space, hyphen or apostrophe.
 *
 * @example
 * ```ts
 * titleCase('DE LA CRUZ-LOPEZ'); // 'De La Cruz-Lopez'
 * ```
 */
export function titleCase(s: string): string {
  let out = '';
  let boundary = true;
  for (const ch of s.toLowerCase()) {
    out += boundary ? ch.toUpperCase() : ch;
    boundary = ch === ' ' || ch === '-' || ch === "'";
  }
  return out;
}

/**
 * Writes an upper-case name in a letter case.
 *
 * @example
 * ```ts
 * applyCase('SMITH', 'title'); // 'Smith'
 * ```
 */
export function applyCase(s: string, letterCase: LetterCase): string {
  if (letterCase === 'upper' || s === '') return s;
  return letterCase === 'lower' ? s.toLowerCase() : titleCase(s);
}

/**
 * The letter case one CoC record was typed in: mostly title case, some all caps, a few lower case.
 *
 * @example
 * ```ts
 * clientLetterCase(key, personIndex); // 'title' about 80% of the time
 * ```
 */
export function clientLetterCase(key: number, index: number): LetterCase {
  const u = unit(key, STREAM.letterCase, index);
  return u < 0.8 ? 'title' : u < 0.97 ? 'upper' : 'lower';
}

/**
 * The spelling of one record's DOB when mixed formats are on: ISO three times out of four, else one
 * of the other spellings the data contract accepts. `list` (0 clients, 1 members) and `index` pick
 * the record.
 *
 * @example
 * ```ts
 * spellRecordDate({ year: 1980, month: 2, day: 3 }, key, 0, 7, true); // e.g. '02/03/1980'
 * ```
 */
export function spellRecordDate(c: Civil, key: number, list: 0 | 1, index: number, mixed: boolean): string {
  if (!mixed) return spellDate(c, 'iso');
  const u = unit(key, STREAM.dateSpelling + list, index);
  const spelling: DateSpelling =
    u < 0.75 ? 'iso' : u < 0.87 ? 'us' : u < 0.92 ? 'us-short' : u < 0.96 ? 'compact' : 'oracle';
  return spellDate(c, spelling);
}
