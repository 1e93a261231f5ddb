/**
 * Name normalisation shared by both parties. The rules, chosen for HMIS and Medi-Cal data:
 *
 * - Every part is folded with {@link foldText} (accents, case, punctuation); a part that is blank or
 *   a placeholder ({@link isPlaceholderName}) is missing.
 * - JOHN DOE / JANE DOE / BABY DOE (first name JOHN, JANE, J, BABY, BABY BOY or BABY GIRL with last
 *   name DOE, or the two swapped) is a placeholder for the whole person: every part is dropped.
 *   DOE with any other first name is kept, because Doe is a real surname.
 * - A generational suffix at the end of the last, first or middle name (SMITH JR, JOHN III) moves to
 *   the suffix; the suffix field, when filled, wins. A lone V ends a first or middle name as an
 *   initial, so it is taken as a suffix only at the end of a last name.
 * - Whole forms have no separators: GARCIA-LOPEZ → GARCIALOPEZ, DE LA CRUZ → DELACRUZ, MARY ANN →
 *   MARYANN, JEAN-PAUL → JEANPAUL. The conjunction Y/E between two surnames is left out of the whole
 *   form (GARCIA Y LOPEZ → GARCIALOPEZ), since it is written on one list and not on the other.
 * - `lastParts` are the significant surnames: particles (DE, DEL, LA, LE, DI, DA, DOS, VAN, VON, DER,
 *   BIN, BEN, AL, EL, Y, …) are dropped when a surname follows them (DE LA CRUZ → [CRUZ]) and kept
 *   when they are the surname (LE, a common Vietnamese surname). MC, MAC, O and ST written apart are
 *   joined to the next word (MC DONALD → [MCDONALD]). `firstParts` are the words of the first name
 *   (JOHN PAUL → [JOHN, PAUL]), which catches a middle name entered in the first-name field.
 *
 * Normalising the normalised output again changes nothing in `first`, `middle`, `last`, `suffix`.
 */
import { isPlaceholderFolded, isPlaceholderWords } from './placeholders.js';
import { normaliseSuffix, suffixOfToken } from './suffix.js';
import { foldText } from './text.js';

/** The normalised parts of a person's name. Absent parts are missing or placeholders. */
export interface NormalisedName {
  /** First name, folded, words joined without separator. */
  readonly first?: string;
  readonly middle?: string;
  /** Last name, folded, words (with particles) joined without separator. */
  readonly last?: string;
  /** Canonical generational suffix (JR, SR, II, III, IV, V) or another folded suffix. */
  readonly suffix?: string;
  /** Significant surnames, in order, without particles; empty when `last` is absent. */
  readonly lastParts: readonly string[];
  /** Words of the first name, in order; empty when `first` is absent. */
  readonly firstParts: readonly string[];
}

/** Raw name fields as entered. */
export interface NameFields {
  readonly firstName?: string | undefined;
  readonly middleName?: string | undefined;
  readonly lastName?: string | undefined;
  readonly nameSuffix?: string | undefined;
}

const PARTICLES: ReadonlySet<string> = new Set([
  'DE',
  'DEL',
  'DELA',
  'DELLA',
  'DELLE',
  'DEGLI',
  'DEI',
  'LA',
  'LAS',
  'LOS',
  'LE',
  'LES',
  'DI',
  'DA',
  'DAS',
  'DO',
  'DOS',
  'DU',
  'VAN',
  'VON',
  'DER',
  'DEN',
  'TER',
  'TEN',
  'BIN',
  'BINT',
  'BEN',
  'IBN',
  'AL',
  'EL',
  'Y',
  'E',
]);

/** Conjunctions between two surnames (Spanish Y, Portuguese E). */
const CONJUNCTIONS: ReadonlySet<string> = new Set(['Y', 'E']);

/** Prefixes that belong to the next word when written apart. */
const GLUED: ReadonlySet<string> = new Set(['MC', 'MAC', 'O', 'ST']);

const FIRST_PLACEHOLDERS_WITH_DOE: ReadonlySet<string> = new Set([
  'JOHN',
  'JANE',
  'J',
  'BABY',
  'BABYBOY',
  'BABYGIRL',
]);

/**
 * What a name field's joined form (as `normaliseName` builds it) can do in the John/Jane Doe rule,
 * as bits: 1 = `DOE`, 2 = `JOHN` or `JANE`, 4 = a first-name placeholder that goes with `DOE`. Lets
 * a caller that normalised each field alone tell (with {@link isDoePair}) whether the whole name
 * would be dropped.
 * @example
 * ```ts
 * doeNameCode('DOE');  // 1
 * doeNameCode('JOHN'); // 6
 * doeNameCode('ANN');  // 0
 * ```
 */
export function doeNameCode(joined: string): number {
  return (
    (joined === 'DOE' ? 1 : 0) |
    (joined === 'JOHN' || joined === 'JANE' ? 2 : 0) |
    (FIRST_PLACEHOLDERS_WITH_DOE.has(joined) ? 4 : 0)
  );
}

/**
 * Whether a first and last name with these {@link doeNameCode}s are the placeholder pair
 * `normaliseName` drops whole (`John Doe`, `Baby Doe`, `Doe John`, …).
 * @example
 * ```ts
 * isDoePair(doeNameCode('BABY'), doeNameCode('DOE')); // true
 * ```
 */
export function isDoePair(firstCode: number, lastCode: number): boolean {
  return ((lastCode & 1) !== 0 && (firstCode & 4) !== 0) || ((firstCode & 1) !== 0 && (lastCode & 2) !== 0);
}

const NONE: readonly string[] = Object.freeze([]);

function words(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  const folded = foldText(raw);
  if (folded === '') return [];
  return folded.indexOf(' ') < 0 ? [folded] : folded.split(' ');
}

/** Removes a trailing suffix word in place when another word precedes it; returns its canonical form. */
function takeSuffix(tokens: string[], allowV: boolean): string | undefined {
  const n = tokens.length;
  const last = tokens[n - 1];
  if (n < 2 || last === undefined) return undefined;
  const s = suffixOfToken(last, allowV);
  if (s !== undefined) tokens.pop();
  return s;
}

function dedupe(tokens: readonly string[]): readonly string[] {
  if (tokens.length === 1) return tokens;
  const out: string[] = [];
  for (const t of tokens) if (!out.includes(t)) out.push(t);
  return out;
}

function lastWhole(tokens: readonly string[]): string {
  const [only] = tokens;
  if (tokens.length === 1 && only !== undefined) return only;
  let out = '';
  for (const [i, t] of tokens.entries()) {
    if (i > 0 && i < tokens.length - 1 && CONJUNCTIONS.has(t)) continue;
    out += t;
  }
  return out;
}

function lastPartsOf(tokens: readonly string[]): readonly string[] {
  if (tokens.length === 1) return tokens;
  // A particle is dropped only when a real surname follows it somewhere.
  const lastReal = tokens.findLastIndex((t) => !PARTICLES.has(t));
  const parts: string[] = [];
  let glue = '';
  for (const [i, t] of tokens.entries()) {
    if (i < lastReal && PARTICLES.has(t)) continue;
    if (i < tokens.length - 1 && GLUED.has(t)) {
      glue += t;
      continue;
    }
    const part = glue + t;
    glue = '';
    if (!parts.includes(part)) parts.push(part);
  }
  return parts;
}

/**
 * Normalises one name field: folded with {@link foldText} (words kept apart by single spaces);
 * `undefined` when blank or a placeholder. Suffixes and particles are left alone here (see
 * {@link normaliseName}). Never throws; idempotent.
 *
 * @param raw - the field as entered
 * @example
 * ```ts
 * normaliseNamePart("  o'Brien-Núñez "); // 'OBRIEN NUNEZ'
 * normaliseNamePart('UNKNOWN');          // undefined
 * normaliseNamePart('N/A');              // undefined
 * normaliseNamePart('Doe');              // 'DOE'
 * ```
 */
export function normaliseNamePart(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const folded = foldText(raw);
  return folded === '' || isPlaceholderFolded(folded) ? undefined : folded;
}

/**
 * Normalises a person's name fields for comparison and encoding (rules at the top of this module):
 * placeholders dropped, suffixes split off, whole forms without separators, surname and first-name
 * parts listed. Never throws.
 *
 * @param n - the raw name fields; any may be absent
 * @example
 * ```ts
 * normaliseName({ firstName: 'Mary Ann', lastName: 'de la Cruz Jr.' });
 * // { first: 'MARYANN', last: 'DELACRUZ', suffix: 'JR',
 * //   firstParts: ['MARY', 'ANN'], lastParts: ['CRUZ'] }
 * normaliseName({ firstName: 'José', lastName: 'García-López' });
 * // { first: 'JOSE', last: 'GARCIALOPEZ', firstParts: ['JOSE'], lastParts: ['GARCIA', 'LOPEZ'] }
 * normaliseName({ firstName: 'John', lastName: 'Doe' });
 * // { firstParts: [], lastParts: [] }
 * ```
 */
export function normaliseName(n: NameFields): NormalisedName {
  const firstW = words(n.firstName);
  const middleW = words(n.middleName);
  const lastW = words(n.lastName);
  let suffix = normaliseSuffix(n.nameSuffix);

  // The suffix field wins; a suffix word found elsewhere is removed either way.
  const fromLast = takeSuffix(lastW, true);
  const fromFirst = takeSuffix(firstW, false);
  const fromMiddleEnd = takeSuffix(middleW, false);
  let middleJoined = middleW.join('');
  // A middle name that is only a suffix (JR, or J R) is the suffix.
  const fromMiddle = suffixOfToken(middleJoined, false);
  if (fromMiddle !== undefined) middleJoined = '';
  suffix ??= fromLast ?? fromFirst ?? fromMiddleEnd ?? fromMiddle;

  const firstJoined = firstW.join('');
  const lastJoined = lastWhole(lastW);
  if (
    (lastJoined === 'DOE' && FIRST_PLACEHOLDERS_WITH_DOE.has(firstJoined)) ||
    (firstJoined === 'DOE' && (lastJoined === 'JOHN' || lastJoined === 'JANE'))
  ) {
    return { firstParts: NONE, lastParts: NONE };
  }

  // Placeholders are judged on the words ("TEST CLIENT") and on the joined form, which is what a
  // second normalisation would see.
  const first = isPlaceholderWords(firstW, firstJoined) ? undefined : firstJoined || undefined;
  const middle = isPlaceholderWords(middleW, middleJoined) ? undefined : middleJoined || undefined;
  const lastCompact = lastW.length === 1 ? lastJoined : lastW.join('');
  const last =
    isPlaceholderWords(lastW, lastCompact) ||
    (lastCompact !== lastJoined && isPlaceholderWords([lastJoined], lastJoined))
      ? undefined
      : lastJoined || undefined;

  const out: {
    first?: string;
    middle?: string;
    last?: string;
    suffix?: string;
    lastParts: readonly string[];
    firstParts: readonly string[];
  } = {
    firstParts: first === undefined ? NONE : dedupe(firstW),
    lastParts: last === undefined ? NONE : lastPartsOf(lastW),
  };
  if (first !== undefined) out.first = first;
  if (middle !== undefined) out.middle = middle;
  if (last !== undefined) out.last = last;
  if (suffix !== undefined) out.suffix = suffix;
  return out;
}
