/**
 * From a validated person to the normalised values every feature and blocking key is computed from,
 * grouped by *root* (first name, middle name, last name, sex, DOB, SSN, SSN last four, plan member
 * ID): everything a
 * root produces is a pure function of its root key, so the encoder can cache per root value — names
 * and dates repeat a lot in real lists, and the last four digits of an SSN have only 10⁴ values
 * (which is why they are a root of their own, apart from the unique full SSN). Key-free: the same
 * person gives the same sources on both sides.
 */

import type { BlockPart, SetSource, ValueSource } from '../encoded/schema.js';
import { normaliseMemberId } from '../normalise/ids.js';
import { doeNameCode, normaliseName } from '../normalise/names.js';
import { canonicalFirstName, firstNameVariants } from '../normalise/nicknames.js';
import { soundex } from '../normalise/phonetic.js';
import { isPlaceholderFolded } from '../normalise/placeholders.js';
import { suffixOfToken } from '../normalise/suffix.js';
import { foldText } from '../normalise/text.js';
import type { PersonFields } from '../records.js';

/**
 * The roots sources derive from, in the order {@link rootKeys} fills them.
 * @example
 * ```ts
 * ROOTS.indexOf('dob'); // 4
 * ```
 */
export const ROOTS = ['first', 'middle', 'last', 'sex', 'dob', 'ssn', 'ssnLast4', 'memberId'] as const;
/**
 * A root.
 * @example
 * ```ts
 * const r: Root = 'dob';
 * ```
 */
export type Root = (typeof ROOTS)[number];

/**
 * Root of every single-valued and multi-valued source.
 * @example
 * ```ts
 * SOURCE_ROOT.firstCanonical; // 'first'
 * ```
 */
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
  ssnLast4: 'ssnLast4',
  ssnMasks: 'ssn',
  memberId: 'memberId',
};

/**
 * Blocking-key parts: which root each comes from and which component space its values are hashed
 * in. Parts in the same space are comparable (a first-name Soundex can meet a last-name Soundex, so
 * swapped names block together).
 * @example
 * ```ts
 * PART_INFO.firstSoundex; // { root: 'first', space: 'soundex' }
 * ```
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
  ssnLast4: { root: 'ssnLast4', space: 'ssnLast4' },
  memberId: { root: 'memberId', space: 'memberId' },
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

/**
 * A mask set.
 * @example
 * ```ts
 * const m: MaskSet = 'ssnMasks';
 * ```
 */
export type MaskSet = keyof typeof MASK_SETS;

/**
 * Values a root yields.
 * @example
 * ```ts
 * const src: RootSources = rootSources('sex', 'F'); // { values: { sex: 'F' }, sets: {}, parts: { sex: ['F'] } }
 * ```
 */
export interface RootSources {
  readonly values: Partial<Record<ValueSource, string>>;
  /**
   * Multi-valued sources, except the mask sets: those are `masks(values[MASK_SETS[set]])`, left to
   * the encoder, which can hash the masks without building their strings.
   */
  readonly sets: Partial<Record<Exclude<SetSource, MaskSet>, readonly string[]>>;
  readonly parts: Partial<Record<BlockPart, readonly string[]>>;
}

/**
 * A root key: what a root's outputs are a function of, and what the encoder caches them under.
 * Names: the whole name, followed by `\u001f` and its parts joined by spaces only where the parts
 * change an output; DOB: its day number (`dobKey`) for an ISO date of 1850–2105 (the string
 * otherwise); SSN: the nine digits; SSN last four: their number; sex and middle name: the value;
 * plan member ID: the normalised ID (`normaliseMemberId`).
 * @example
 * ```ts
 * const key: RootKey = 'GARCIALOPEZ\u001fGARCIA LOPEZ';
 * ```
 */
export type RootKey = string | number;

const SEP = '\u001f';
const FIRST = 0;
const MIDDLE = 1;
const LAST = 2;
const SEX = 3;
const DOB = 4;
const SSN = 5;
const SSN_LAST4 = 6;
const MEMBER_ID = 7;

/** Whether character `i` of `s` is an ASCII digit (false past the end: NaN). */
function digit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0x30 && c <= 0x39;
}

/** The number of the ASCII digits `s[from..to)` (all checked by the caller). */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + s.charCodeAt(i) - 0x30;
  return n;
}

/**
 * Normalises a person and writes its root keys into `out`, by {@link ROOTS} index (`undefined`: the
 * value is missing, or yields nothing). The only per-record work that cannot be cached, so it builds
 * no string it can avoid: a name's parts only join its key when they change an output (two or more
 * first-name parts; surname parts other than the whole surname), and dates and SSN digits become
 * numbers. `memberId` is the plan member ID the person is known under — a member's own `MemberID`,
 * a client's `MCPMemberID` — as read (normalised here).
 * @example
 * ```ts
 * const keys: (RootKey | undefined)[] = [];
 * rootKeys({ firstName: 'Bob', lastName: 'García-López', dob: '1980-03-04', nameDataQuality: 1,
 *   dobDataQuality: 1, ssnDataQuality: 99 }, keys, 'm-1234');
 * // ['BOB', undefined, 'GARCIALOPEZ\u001fGARCIA LOPEZ', undefined, 48425, undefined, undefined, 'M1234']
 * ```
 */
export function rootKeys(p: PersonFields, out: (RootKey | undefined)[], memberId?: string): void {
  const name = normaliseName(p);
  out[FIRST] = firstKey(name.first, name.firstParts);
  out[MIDDLE] = name.middle || undefined;
  out[LAST] = lastKey(name.last, name.lastParts);
  otherRootKeys(p, out, memberId);
}

/** One first-name part is the first name itself: it yields no firstParts set. */
function firstKey(first: string | undefined, fp: readonly string[]): string | undefined {
  return first ? (fp.length > 1 ? `${first}${SEP}${fp.join(' ')}` : first) : undefined;
}

/**
 * Surname parts matter for the lastParts set (two or more) and the part Soundexes (any part other
 * than the whole surname).
 */
function lastKey(last: string | undefined, lp: readonly string[]): string | undefined {
  return last
    ? lp.length === 0 || (lp.length === 1 && lp[0] === last)
      ? last
      : `${last}${SEP}${lp.join(' ')}`
    : undefined;
}

/**
 * The root keys {@link rootKeys} writes for everything but the three name roots (member ID, sex,
 * DOB, SSN, its last four), into the same places of `out`.
 * @example
 * ```ts
 * const keys: (RootKey | undefined)[] = [];
 * otherRootKeys({ sex: 'F', dob: '1980-03-04', nameDataQuality: 1, dobDataQuality: 1,
 *   ssnDataQuality: 99 }, keys, 'm-1234');
 * // [ , , , 'F', 48425, undefined, undefined, 'M1234']
 * ```
 */
export function otherRootKeys(p: PersonFields, out: (RootKey | undefined)[], memberId?: string): void {
  out[MEMBER_ID] = normaliseMemberId(memberId);
  out[SEX] = p.sex || undefined;
  const dob = p.dob;
  // Only the digits at [0, 4), [5, 7) and [8, 10) count (see dobSources); other forms keep the string.
  out[DOB] = !dob
    ? undefined
    : dob.length === 10 &&
        digit(dob, 0) &&
        digit(dob, 1) &&
        digit(dob, 2) &&
        digit(dob, 3) &&
        digit(dob, 5) &&
        digit(dob, 6) &&
        digit(dob, 8) &&
        digit(dob, 9)
      ? dobKey(digits(dob, 0, 4), digits(dob, 5, 7), digits(dob, 8, 10), dob)
      : dob;
  const ssn = p.ssn;
  if (ssn && ssn.length === 9 && digit(ssn, 5) && digit(ssn, 6) && digit(ssn, 7) && digit(ssn, 8)) {
    out[SSN_LAST4] = digits(ssn, 5, 9);
    out[SSN] =
      digit(ssn, 0) && digit(ssn, 1) && digit(ssn, 2) && digit(ssn, 3) && digit(ssn, 4) ? ssn : undefined;
  } else {
    out[SSN_LAST4] = undefined;
    out[SSN] = undefined;
  }
}

/**
 * A name field's root key on its own: what {@link rootKeys} gives that root for a person whose
 * other name fields are such that `doeNameCode` rules out the John/Jane Doe placeholder pair (see
 * `normaliseName`), which is the only way one name field changes another's key. `undefined` when
 * the field alone yields no key; then `joined` is unknown and the caller must normalise the whole
 * name. `code` is {@link doeNameCode} of the field's joined form.
 * @example
 * ```ts
 * nameFieldKey('last', 'García-López'); // { key: 'GARCIALOPEZ\u001fGARCIA LOPEZ', code: 0 }
 * nameFieldKey('first', 'John');        // { key: 'JOHN', code: 6 }
 * ```
 */
export function nameFieldKey(
  root: 'first' | 'middle' | 'last',
  raw: string,
): { readonly key: string | undefined; readonly code: number } {
  // One word or none (most cells, each distinct one normalised once, in cold code): what
  // normaliseName gives such a field alone — itself, unless blank, a placeholder or (a middle name)
  // a suffix — without its word lists, suffix and particle passes and result object.
  const folded = foldText(raw);
  if (folded.indexOf(' ') < 0) {
    const key =
      folded === '' ||
      isPlaceholderFolded(folded) ||
      (root === 'middle' && suffixOfToken(folded, false) !== undefined)
        ? undefined
        : folded;
    return { key, code: key === undefined || root === 'middle' ? 0 : doeNameCode(key) };
  }
  if (root === 'first') {
    const name = normaliseName({ firstName: raw });
    const key = firstKey(name.first, name.firstParts);
    return { key, code: key === undefined ? 0 : doeNameCode(name.first as string) };
  }
  if (root === 'middle') return { key: normaliseName({ middleName: raw }).middle || undefined, code: 0 };
  const name = normaliseName({ lastName: raw });
  const key = lastKey(name.last, name.lastParts);
  return { key, code: key === undefined ? 0 : doeNameCode(name.last as string) };
}

/** First year of a numeric DOB key (days of 31-day months from its 1 January, numbered from 0). */
const DOB_KEY_YEAR = 1850;
/**
 * Numeric DOB keys are below this (256 years): small enough to index an array, so a DOB's cache
 * entry is found without hashing.
 * @example
 * ```ts
 * const table = new RootTable(0, DOB_KEYS);
 * ```
 */
export const DOB_KEYS = 256 * 12 * 31;

/** The key of a DOB: its number in a calendar of 31-day months when it has one, else the DOB as given. */
function dobKey(y: number, m: number, d: number, dob: string): RootKey {
  if (y < DOB_KEY_YEAR || y >= DOB_KEY_YEAR + 256 || m < 1 || m > 12 || d < 1 || d > 31) return dob;
  return ((y - DOB_KEY_YEAR) * 12 + m - 1) * 31 + d - 1;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function ymd(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

function nextDay(y: number, m: number, d: number): string {
  const dim = m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1];
  // A DOB key kept as given may have a month outside 1-12, without a length: then the next month.
  if (dim !== undefined && d < dim) return ymd(y, m, d + 1);
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

const NO_PARTS: readonly string[] = Object.freeze([]);

/** `[s]`, or no element when `s` is empty (a Soundex of a name with no letter A–Z). */
function nonEmpty(s: string): string[] {
  return s.length > 0 ? [s] : [];
}

/** The space-separated parts of a name key after its separator at `cut` (none when that text is empty). */
function partsAfter(key: string, cut: number): readonly string[] {
  const end = key.indexOf(SEP, cut + 1);
  const text = end < 0 ? key.slice(cut + 1) : key.slice(cut + 1, end);
  return text ? text.split(' ') : NO_PARTS;
}

/** The year, month and day of a DOB key (a string key is read as `Number` of its slices). */
function dobParts(key: RootKey): [number, number, number] {
  if (typeof key === 'number') {
    const months = Math.floor(key / 31);
    return [DOB_KEY_YEAR + Math.floor(months / 12), (months % 12) + 1, (key % 31) + 1];
  }
  return [Number(key.slice(0, 4)), Number(key.slice(5, 7)), Number(key.slice(8, 10))];
}

/**
 * The birth-year value of a DOB root key (the `dobYear` source, and the `dobYear` salt).
 * @example
 * ```ts
 * dobYearOf('1980-03-04'); // '1980'
 * ```
 */
export function dobYearOf(key: RootKey): string {
  const [y, m, d] = dobParts(key);
  return ymd(y, m, d).slice(0, 4);
}

/**
 * The sources of one root, from its root key (see {@link rootKeys}).
 * @example
 * ```ts
 * rootSources('dob', '1980-03-04').values.dobSwapped; // '19800403'
 * ```
 */
export function rootSources(root: Root, key: RootKey): RootSources {
  // Built once per distinct value, so in cold code for a short list whose values rarely repeat:
  // no array destructuring, object spread or Set (each costs the interpreter an iterator or a
  // generic copy); the same values in the same order as written out plainly.
  switch (root) {
    case 'first': {
      const text = String(key);
      const cut = text.indexOf(SEP);
      const first = cut < 0 ? text : text.slice(0, cut);
      const parts = cut < 0 ? NO_PARTS : partsAfter(text, cut);
      const canonical = canonicalFirstName(first);
      // rootKeys gives a first-name root only to a non-empty name, so it has an initial.
      const initial = first.charAt(0);
      const firstVariants = firstNameVariants(first);
      return {
        values: { first, firstInitial: initial, firstCanonical: canonical },
        sets: parts.length > 1 ? { firstVariants, firstParts: parts } : { firstVariants },
        parts: {
          firstInitial: [initial],
          firstSoundex: nonEmpty(soundex(first)),
          firstCanonicalSoundex: nonEmpty(soundex(canonical)),
        },
      };
    }
    case 'middle': {
      const middle = String(key);
      // rootKeys gives a middle-name root only to a non-empty name.
      return { values: { middle, middleInitial: middle.charAt(0) }, sets: {}, parts: {} };
    }
    case 'last': {
      const text = String(key);
      const cut = text.indexOf(SEP);
      const last = cut < 0 ? text : text.slice(0, cut);
      const parts = cut < 0 ? NO_PARTS : partsAfter(text, cut);
      const lastSoundex = nonEmpty(soundex(last));
      // The Soundexes of the whole surname and of each part, non-empty ones once each, in order.
      const lastPartSoundex = lastSoundex.slice();
      for (let i = 0; i < parts.length; i++) {
        const code = soundex(parts[i] as string);
        if (code.length > 0 && !lastPartSoundex.includes(code)) lastPartSoundex.push(code);
      }
      return {
        values: { last },
        sets: parts.length > 1 ? { lastParts: parts } : {},
        parts: { lastSoundex, lastPartSoundex },
      };
    }
    case 'sex': {
      const sex = String(key);
      return { values: { sex }, sets: {}, parts: { sex: [sex] } };
    }
    case 'dob': {
      let y: number;
      let m: number;
      let d: number;
      if (typeof key === 'number') {
        const months = Math.floor(key / 31);
        y = DOB_KEY_YEAR + Math.floor(months / 12);
        m = (months % 12) + 1;
        d = (key % 31) + 1;
      } else [y, m, d] = dobParts(key);
      const dob = ymd(y, m, d);
      const year = dob.slice(0, 4);
      const dobNextDay = nextDay(y, m, d);
      const dobYearMonth = dob.slice(0, 6);
      const dobMonthDay = dob.slice(4);
      const dobYearPrev = String(y - 1).padStart(4, '0');
      const dobYear = [year];
      if (d <= 12 && d !== m) {
        const swapped = ymd(y, d, m);
        return {
          values: {
            dob,
            dobSwapped: swapped,
            dobNextDay,
            dobYearMonth,
            dobMonthDay,
            dobYear: year,
            dobYearPrev,
          },
          sets: {},
          parts: { dob: [dob], dobOrSwapped: [dob, swapped], dobYear },
        };
      }
      return {
        values: { dob, dobNextDay, dobYearMonth, dobMonthDay, dobYear: year, dobYearPrev },
        sets: {},
        parts: { dob: [dob], dobOrSwapped: [dob], dobYear },
      };
    }
    case 'ssn': {
      const ssn = String(key);
      return { values: { ssn }, sets: {}, parts: { ssn: [ssn] } };
    }
    case 'ssnLast4': {
      const last4 = String(key).padStart(4, '0');
      return { values: { ssnLast4: last4 }, sets: {}, parts: { ssnLast4: [last4] } };
    }
    case 'memberId': {
      const id = String(key);
      return { values: { memberId: id }, sets: {}, parts: { memberId: [id] } };
    }
  }
}
