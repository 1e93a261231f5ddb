/**
 * Values entered in a name field to say "no name": they must count as missing, or every "UNKNOWN"
 * client would agree on name with every other one. The rules are conservative because dropping a
 * real name loses evidence for good: DOE alone is a real surname and stays, a single letter is an
 * initial and stays; only JOHN/JANE DOE as a whole name is a placeholder (see `normaliseName`).
 * NA is treated as a placeholder although Na is a (rare) Korean surname: "N/A" is far more common
 * in HMIS exports.
 */
import { FNV_BASIS, fnv1aStep } from '../util/fnv1a.js';
import { foldText } from './text.js';

/** Words that, alone or combined only with each other and digits, mean the name is missing. */
const PLACEHOLDER_WORDS: ReadonlySet<string> = new Set([
  'UNKNOWN',
  'UNK',
  'UNKN',
  'UNKOWN',
  'UKNOWN',
  'ANONYMOUS',
  'ANON',
  'ANONIMO',
  'ANONIMA',
  'DESCONOCIDO',
  'DESCONOCIDA',
  'REFUSED',
  'DECLINED',
  'NONE',
  'NA',
  'NULL',
  'NIL',
  'TEST',
  'TESTING',
  'CLIENT',
  'BABY',
  'INFANT',
  'NEWBORN',
  'NONAME',
  'UNNAMED',
  'UNIDENTIFIED',
  'FNU',
  'LNU',
  'MNU',
  'NFN',
  'NLN',
  'NMN',
  'NMI',
  'DUMMY',
  'FAKE',
  'TBD',
  'TBA',
]);

/** Multi-word placeholders, compared with the spaces removed ("NO NAME" → NONAME). */
const PLACEHOLDER_PHRASES: ReadonlySet<string> = new Set([
  'NONAMEGIVEN',
  'NONAMEPROVIDED',
  'NAMENOTGIVEN',
  'NAMEREFUSED',
  'REFUSEDNAME',
  'UNKNOWNNAME',
  'NOTGIVEN',
  'NOTPROVIDED',
  'NOTREPORTED',
  'NOTCOLLECTED',
  'NOTAVAILABLE',
  'NOTAPPLICABLE',
  'NOTSTATED',
  'NOTKNOWN',
  'DATANOTCOLLECTED',
  'DOESNTKNOW',
  'DONTKNOW',
  'CLIENTDOESNTKNOW',
  'CLIENTDOESNOTKNOW',
  'PREFERSNOTTOANSWER',
  'CLIENTPREFERSNOTTOANSWER',
  'CLIENTREFUSED',
  'BABYBOY',
  'BABYGIRL',
  'FIRSTNAME',
  'LASTNAME',
  'MIDDLENAME',
  'NOFIRSTNAME',
  'NOLASTNAME',
  'NOMIDDLENAME',
  'NOMIDDLEINITIAL',
  'NOMIDDLE',
  // A whole placeholder name typed into one field.
  'JOHNDOE',
  'JANEDOE',
  'JDOE',
  'BABYDOE',
  'BABYBOYDOE',
  'BABYGIRLDOE',
]);

/** Words and phrases in one set: one hash lookup per value on the hot path. */
const PLACEHOLDERS: ReadonlySet<string> = new Set([...PLACEHOLDER_WORDS, ...PLACEHOLDER_PHRASES]);

/**
 * `(first character, length)` pairs that occur in {@link PLACEHOLDERS}: most real names fail this
 * test, which saves hashing every new string for the set lookup.
 */
const MAY_BE_PLACEHOLDER: Uint8Array = (() => {
  const table = new Uint8Array(128 * 64);
  for (const p of PLACEHOLDERS) table[p.charCodeAt(0) * 64 + p.length] = 1;
  return table;
})();

const HASH_BITS = 16;

/**
 * Bitmap over a 16-bit hash of every entry of {@link PLACEHOLDERS} (all of which are upper-case
 * letters and digits): a name whose hash misses it is certainly not one, and only about one real
 * name in a thousand hits it by chance. Finer than {@link MAY_BE_PLACEHOLDER}, which many common
 * names pass (DURAN and DUMMY share their first letter and length).
 */
const PLACEHOLDER_HASHES: Uint32Array = (() => {
  // A bit per hash value: 8 KiB, so the table stays in the CPU's fastest cache.
  const bits = new Uint32Array((1 << HASH_BITS) >>> 5);
  for (const p of PLACEHOLDERS) {
    let h = FNV_BASIS;
    for (let i = 0; i < p.length; i++) h = fnv1aStep(h, p.charCodeAt(i));
    const at = (h ^ (h >>> HASH_BITS)) & ((1 << HASH_BITS) - 1);
    bits[at >>> 5] = (bits[at >>> 5] ?? 0) | (1 << (at & 31));
  }
  return bits;
})();

function inPlaceholders(s: string): boolean {
  const c = s.charCodeAt(0);
  return c < 128 && s.length < 64 && MAY_BE_PLACEHOLDER[c * 64 + s.length] === 1 && PLACEHOLDERS.has(s);
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isOneRepeatedChar(s: string): boolean {
  if (s.length < 2) return false;
  const c = s.charCodeAt(0);
  for (let i = 1; i < s.length; i++) if (s.charCodeAt(i) !== c) return false;
  return true;
}

/**
 * `isPlaceholderFolded(foldText(raw))` for a cell made only of ASCII letters and digits — what most
 * names are — decided in one scan, without folding (no allocation, no hashing): `true` or `false`,
 * or `undefined` when the cell has another character or may be a listed placeholder word; the caller
 * then folds it. Such a cell folds to its upper-case form, a single word, so only the single-word
 * rules apply: digits only, one repeated character, or a word of the list.
 *
 * @param raw - a non-empty, trimmed cell
 * @example
 * ```ts
 * isPlaceholderAlnum('Garcia'); // false
 * isPlaceholderAlnum('xxx');    // true
 * isPlaceholderAlnum('123');    // true
 * isPlaceholderAlnum('Unknown'); // undefined (fold and look it up)
 * isPlaceholderAlnum("O'Brien"); // undefined (not letters and digits only)
 * ```
 */
export function isPlaceholderAlnum(raw: string): boolean | undefined {
  const n = raw.length;
  if (n === 0) return undefined;
  let first = raw.charCodeAt(0);
  if (first >= 97 && first <= 122) first -= 32;
  let digits = 0;
  let same = true;
  let h = FNV_BASIS;
  for (let i = 0; i < n; i++) {
    let c = raw.charCodeAt(i);
    if (c >= 97 && c <= 122) c -= 32;
    else if (c >= 48 && c <= 57) digits++;
    else if (c < 65 || c > 90) return undefined;
    if (c !== first) same = false;
    h = fnv1aStep(h, c);
  }
  if (digits === n || (same && n >= 2)) return true;
  const at = (h ^ (h >>> HASH_BITS)) & ((1 << HASH_BITS) - 1);
  // `at` is below 2^HASH_BITS, so its word is in the table.
  return ((PLACEHOLDER_HASHES[at >>> 5] ?? 0) & (1 << (at & 31))) !== 0 ? undefined : false;
}

/**
 * {@link isPlaceholderName} for a value that is already folded (`foldText` output, non-empty).
 * Internal fast path for the name normaliser.
 *
 * @example
 * ```ts
 * isPlaceholderFolded('TEST CLIENT'); // true
 * isPlaceholderFolded('SMITH');       // false
 * ```
 */
export function isPlaceholderFolded(folded: string): boolean {
  if (folded.indexOf(' ') < 0) return isPlaceholderWords([folded], folded);
  return isPlaceholderWords(folded.split(' '), folded.replaceAll(' ', ''));
}

/**
 * {@link isPlaceholderName} for a folded value given as its words and their concatenation (the
 * whole form the name normaliser builds anyway). Internal fast path.
 *
 * @example
 * ```ts
 * isPlaceholderWords(['NO', 'NAME'], 'NONAME'); // true
 * isPlaceholderWords(['MARY', 'ANN'], 'MARYANN'); // false
 * ```
 */
export function isPlaceholderWords(words: readonly string[], compact: string): boolean {
  if (compact === '') return false;
  if (inPlaceholders(compact) || isDigits(compact) || isOneRepeatedChar(compact)) return true;
  if (words.length < 2) return false;
  // "UNKNOWN UNKNOWN", "TEST CLIENT", "CLIENT 123": only placeholder words and numbers.
  for (const word of words) {
    if (!PLACEHOLDER_WORDS.has(word) && !isDigits(word)) return false;
  }
  return true;
}

/**
 * Whether a name value means "no name": blank after folding; a placeholder word or phrase (UNKNOWN,
 * UNK, ANONYMOUS, ANON, REFUSED, NONE, N/A, NULL, TEST, CLIENT, BABY, BABY BOY/GIRL, NO NAME,
 * FNU/LNU/NMN, JOHN DOE, …) alone or combined with other placeholder words and numbers; digits only;
 * or one character repeated (XXX, AA). A single letter is an initial, not a placeholder; DOE alone
 * is a real surname.
 *
 * @param name - raw or folded name text
 * @example
 * ```ts
 * isPlaceholderName('N/A');          // true
 * isPlaceholderName('Baby Girl');    // true
 * isPlaceholderName('xxx');          // true
 * isPlaceholderName('Doe');          // false (a real surname; JOHN DOE is handled by normaliseName)
 * isPlaceholderName('J');            // false (an initial)
 * ```
 */
export function isPlaceholderName(name: string): boolean {
  const folded = foldText(name);
  return folded === '' || isPlaceholderFolded(folded);
}
