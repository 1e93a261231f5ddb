/**
 * From a validated person to the normalised values every feature and blocking key is computed from.
 * Pure and key-free: the same person gives the same sources on both sides.
 */
import { canonicalFirstName, firstNameVariants } from '../normalise/nicknames.js';
import { normaliseName } from '../normalise/names.js';
import { soundex } from '../normalise/phonetic.js';
import type { PersonFields } from '../read/types.js';
import type { BlockPart, SetSource, ValueSource } from './schema.js';

/** The normalised values of one person, by source name. Missing values are absent. */
export interface Sources {
  readonly values: Partial<Record<ValueSource, string>>;
  readonly sets: Partial<Record<SetSource, readonly string[]>>;
  readonly blockParts: Partial<Record<BlockPart, readonly string[]>>;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** `YYYYMMDD` of the day after an ISO date. */
function nextDay(y: number, m: number, d: number): string {
  const dim = m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1]!;
  let [yy, mm, dd] = [y, m, d + 1];
  if (dd > dim) {
    dd = 1;
    mm += 1;
    if (mm > 12) {
      mm = 1;
      yy += 1;
    }
  }
  return ymd(yy, mm, dd);
}

function ymd(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

function masks(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) out.push(`${i}:${s.slice(0, i)}_${s.slice(i + 1)}`);
  return out;
}

/**
 * Computes the sources of one person.
 * @example
 * ```ts
 * const s = personSources({ firstName: 'Bob', lastName: 'García-López', dob: '1980-03-04',
 *   nameDataQuality: 1, dobDataQuality: 1, ssnDataQuality: 99 });
 * s.values.last; // 'GARCIALOPEZ'
 * s.sets.lastParts; // ['GARCIA', 'LOPEZ']
 * ```
 */
export function personSources(p: PersonFields): Sources {
  const values: Partial<Record<ValueSource, string>> = {};
  const sets: Partial<Record<SetSource, readonly string[]>> = {};
  const parts: Partial<Record<BlockPart, readonly string[]>> = {};

  const name = normaliseName(p);
  if (name.first) {
    values.first = name.first;
    values.firstInitial = name.first[0]!;
    const canonical = canonicalFirstName(name.first);
    values.firstCanonical = canonical;
    sets.firstVariants = firstNameVariants(name.first);
    if (name.firstParts.length > 1) sets.firstParts = name.firstParts;
    parts.firstInitial = [name.first[0]!];
    parts.firstSoundex = nonEmpty([soundex(name.first)]);
    parts.firstCanonicalSoundex = nonEmpty([soundex(canonical)]);
  }
  if (name.middle) {
    values.middle = name.middle;
    values.middleInitial = name.middle[0]!;
  }
  if (name.last) {
    values.last = name.last;
    if (name.lastParts.length > 1) sets.lastParts = name.lastParts;
    parts.lastSoundex = nonEmpty([soundex(name.last)]);
    parts.lastPartSoundex = nonEmpty([name.last, ...name.lastParts].map(soundex));
  }
  if (name.first && name.last) {
    const f = nonEmpty([soundex(name.first), soundex(values.firstCanonical ?? name.first)]);
    const l = soundex(name.last);
    if (l) parts.nameSoundexPair = unique(f.map((x) => (x < l ? `${x}|${l}` : `${l}|${x}`)));
  }
  if (p.sex) {
    values.sex = p.sex;
    parts.sex = [p.sex];
  }
  if (p.dob) {
    const y = Number(p.dob.slice(0, 4));
    const m = Number(p.dob.slice(5, 7));
    const d = Number(p.dob.slice(8, 10));
    const dob = ymd(y, m, d);
    values.dob = dob;
    if (d <= 12 && d !== m) values.dobSwapped = ymd(y, d, m);
    values.dobNextDay = nextDay(y, m, d);
    values.dobYearMonth = dob.slice(0, 6);
    values.dobMonthDay = dob.slice(4);
    values.dobYear = dob.slice(0, 4);
    values.dobYearPrev = String(y - 1).padStart(4, '0');
    sets.dobMasks = masks(dob);
    parts.dob = [dob];
    parts.dobOrSwapped = values.dobSwapped ? [dob, values.dobSwapped] : [dob];
    parts.dobYear = [values.dobYear];
  }
  if (p.ssn) {
    const last4 = p.ssn.slice(5);
    if (/^[0-9]{4}$/.test(last4)) {
      values.ssnLast4 = last4;
      parts.ssnLast4 = [last4];
    }
    if (/^[0-9]{9}$/.test(p.ssn)) {
      values.ssn = p.ssn;
      sets.ssnMasks = masks(p.ssn);
      parts.ssn = [p.ssn];
    }
  }
  return { values, sets, blockParts: parts };
}

function nonEmpty(xs: readonly string[]): string[] {
  return unique(xs.filter((x) => x.length > 0));
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}
