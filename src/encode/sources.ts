/**
 * From a validated person to the normalised values every feature and blocking key is computed from,
 * grouped by *root* (first name, middle name, last name, sex, DOB, SSN): everything a root produces
 * is a pure function of its root key, so the encoder can cache per root value — names and dates
 * repeat a lot in real lists. Key-free: the same person gives the same sources on both sides.
 */

import { normaliseName } from '../normalise/names.js';
import { canonicalFirstName, firstNameVariants } from '../normalise/nicknames.js';
import { soundex } from '../normalise/phonetic.js';
import type { PersonFields } from '../read/types.js';
import type { BlockPart, SetSource, ValueSource } from './schema.js';

/** The roots sources derive from. */
export const ROOTS = ['first', 'middle', 'last', 'sex', 'dob', 'ssn'] as const;
/** A root. */
export type Root = (typeof ROOTS)[number];

/** Root of every single-valued and multi-valued source. */
export const SOURCE_ROOT: Readonly<Record<ValueSource | SetSource, Root>> = {
  first: 'first',
  firstCanonical: 'first',
  firstInitial: 'first',
  firstVariants: 'first',
  firstParts: 'first',
  middle: 'middle',
  middleInitial: 'middle',
  last: 'last',
  lastParts: 'last',
  sex: 'sex',
  dob: 'dob',
  dobSwapped: 'dob',
  dobYearMonth: 'dob',
  dobMonthDay: 'dob',
  dobYear: 'dob',
  dobYearPrev: 'dob',
  dobNextDay: 'dob',
  dobMasks: 'dob',
  ssn: 'ssn',
  ssnLast4: 'ssn',
  ssnMasks: 'ssn',
};

/**
 * Blocking-key parts: which root each comes from and which component space its values are hashed
 * in. Parts in the same space are comparable (a first-name Soundex can meet a last-name Soundex, so
 * swapped names block together).
 */
export const PART_INFO: Readonly<Record<BlockPart, { root: Root | 'name'; space: string }>> = {
  lastSoundex: { root: 'last', space: 'soundex' },
  lastPartSoundex: { root: 'last', space: 'soundex' },
  firstSoundex: { root: 'first', space: 'soundex' },
  firstCanonicalSoundex: { root: 'first', space: 'soundex' },
  nameSoundexPair: { root: 'name', space: 'soundex' },
  firstInitial: { root: 'first', space: 'initial' },
  dob: { root: 'dob', space: 'dob' },
  dobOrSwapped: { root: 'dob', space: 'dob' },
  dobYear: { root: 'dob', space: 'year' },
  sex: { root: 'sex', space: 'sex' },
  ssn: { root: 'ssn', space: 'ssn' },
  ssnLast4: { root: 'ssn', space: 'ssnLast4' },
};

/**
 * The sets made of one-position masks of a value, and that value's source.
 * @example
 * ```ts
 * masks(rootSources('dob', '1980-03-04').values[MASK_SETS.dobMasks]!); // ['0:_9800304', …]
 * ```
 */
export const MASK_SETS = { dobMasks: 'dob', ssnMasks: 'ssn' } as const satisfies Partial<
  Record<SetSource, ValueSource>
>;

/** A mask set. */
export type MaskSet = keyof typeof MASK_SETS;

/** Values a root yields. */
export interface RootSources {
  readonly values: Partial<Record<ValueSource, string>>;
  /**
   * Multi-valued sources, except the mask sets: those are `masks(values[MASK_SETS[set]])`, left to
   * the encoder, which can hash the masks without building their strings.
   */
  readonly sets: Partial<Record<Exclude<SetSource, MaskSet>, readonly string[]>>;
  readonly parts: Partial<Record<BlockPart, readonly string[]>>;
}

/** The root keys of one person; an absent root means the value is missing. */
export type PersonRoots = Partial<Record<Root, string>>;

const SEP = '\u001f';

/**
 * Normalises a person and returns its root keys (the only per-record work that cannot be cached).
 * @example
 * ```ts
 * personRoots({ firstName: 'Bob', lastName: 'García-López', nameDataQuality: 1, dobDataQuality: 99, ssnDataQuality: 99 });
 * // { first: 'BOB\u001fBOB', last: 'GARCIALOPEZ\u001fGARCIA LOPEZ' }
 * ```
 */
export function personRoots(p: PersonFields): PersonRoots {
  const r: PersonRoots = {};
  const name = normaliseName(p);
  if (name.first) r.first = `${name.first}${SEP}${name.firstParts.join(' ')}`;
  if (name.middle) r.middle = name.middle;
  if (name.last) r.last = `${name.last}${SEP}${name.lastParts.join(' ')}`;
  if (p.sex) r.sex = p.sex;
  if (p.dob) r.dob = p.dob;
  if (p.ssn) r.ssn = p.ssn;
  return r;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function ymd(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

function nextDay(y: number, m: number, d: number): string {
  const dim = m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1]!;
  if (d < dim) return ymd(y, m, d + 1);
  return m === 12 ? ymd(y + 1, 1, 1) : ymd(y, m + 1, 1);
}

/**
 * One-position deletion masks: `i:` + the value with position i replaced by `_`.
 * @example
 * ```ts
 * masks('123'); // ['0:_23', '1:1_3', '2:12_']
 * ```
 */
export function masks(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) out.push(mask(s, i));
  return out;
}

/**
 * Mask `i` of {@link masks}.
 * @example
 * ```ts
 * mask('123', 1); // '1:1_3'
 * ```
 */
export function mask(s: string, i: number): string {
  return `${i}:${s.slice(0, i)}_${s.slice(i + 1)}`;
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs.filter((x) => x.length > 0))];
}

/**
 * The sources of one root, from its root key (see {@link personRoots}).
 * @example
 * ```ts
 * rootSources('dob', '1980-03-04').values.dobSwapped; // '19800403'
 * ```
 */
export function rootSources(root: Root, key: string): RootSources {
  switch (root) {
    case 'first': {
      const [first = '', partsText = ''] = key.split(SEP);
      const parts = partsText ? partsText.split(' ') : [];
      const canonical = canonicalFirstName(first);
      return {
        values: { first, firstInitial: first[0]!, firstCanonical: canonical },
        sets: { firstVariants: firstNameVariants(first), ...(parts.length > 1 ? { firstParts: parts } : {}) },
        parts: {
          firstInitial: [first[0]!],
          firstSoundex: unique([soundex(first)]),
          firstCanonicalSoundex: unique([soundex(canonical)]),
        },
      };
    }
    case 'middle':
      return { values: { middle: key, middleInitial: key[0]! }, sets: {}, parts: {} };
    case 'last': {
      const [last = '', partsText = ''] = key.split(SEP);
      const parts = partsText ? partsText.split(' ') : [];
      return {
        values: { last },
        sets: parts.length > 1 ? { lastParts: parts } : {},
        parts: {
          lastSoundex: unique([soundex(last)]),
          lastPartSoundex: unique([last, ...parts].map(soundex)),
        },
      };
    }
    case 'sex':
      return { values: { sex: key }, sets: {}, parts: { sex: [key] } };
    case 'dob': {
      const y = Number(key.slice(0, 4));
      const m = Number(key.slice(5, 7));
      const d = Number(key.slice(8, 10));
      const dob = ymd(y, m, d);
      const swapped = d <= 12 && d !== m ? ymd(y, d, m) : undefined;
      const year = dob.slice(0, 4);
      return {
        values: {
          dob,
          ...(swapped ? { dobSwapped: swapped } : {}),
          dobNextDay: nextDay(y, m, d),
          dobYearMonth: dob.slice(0, 6),
          dobMonthDay: dob.slice(4),
          dobYear: year,
          dobYearPrev: String(y - 1).padStart(4, '0'),
        },
        sets: {},
        parts: { dob: [dob], dobOrSwapped: swapped ? [dob, swapped] : [dob], dobYear: [year] },
      };
    }
    case 'ssn': {
      const last4 = key.slice(5);
      const full = /^[0-9]{9}$/.test(key);
      const has4 = /^[0-9]{4}$/.test(last4);
      // Built without object spreads: SSNs are unique, so this runs for nearly every record.
      const values: RootSources['values'] & { ssn?: string; ssnLast4?: string } = {};
      const parts: RootSources['parts'] & { ssn?: readonly string[]; ssnLast4?: readonly string[] } = {};
      if (full) {
        values.ssn = key;
        parts.ssn = [key];
      }
      if (has4) {
        values.ssnLast4 = last4;
        parts.ssnLast4 = [last4];
      }
      return { values, sets: {}, parts };
    }
  }
}
