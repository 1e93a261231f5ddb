/**
 * Python 3 text and number semantics that clkhash relies on (`str.strip`, `len`, `int(s, 10)`,
 * `float(s)`, `round`), reproduced exactly so that values clkhash accepts, rejects or normalises
 * behave the same here. Pure functions; no value ever leaves these helpers in an error.
 */

/** Characters Python's `str.isspace()` (and so `str.strip()`, `int()`, `float()`) treats as space. */
const PY_SPACE =
  '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** A regular-expression character-class body matching Python whitespace (for building patterns). */
export const PY_WHITESPACE_CLASS = PY_SPACE;

const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'gu');
const LONE_SURROGATE = /\p{Cs}/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the class is "not ASCII": it names the ASCII range, control characters included, on purpose
const NON_ASCII = /[^\x00-\x7f]/;
const ND = /\p{Nd}/u;
const PY_INT = /^[+-]?[0-9](?:_?[0-9])*$/;
const PY_FLOAT =
  /^[+-]?(?:(?:[0-9](?:_?[0-9])*)(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?$/;
const PY_FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Python's `str.strip()` with no argument.
 *
 * @example
 * ```ts
 * pyStrip('\u3000 42\n'); // '42'
 * ```
 */
export function pyStrip(s: string): string {
  return s.replace(STRIP, '');
}

/**
 * Whether `s` is valid Unicode (no unpaired surrogate), i.e. whether Python could hold and encode it.
 *
 * @example
 * ```ts
 * isWellFormedText('ZOË'); // true
 * isWellFormedText('\ud800'); // false
 * ```
 */
export function isWellFormedText(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/**
 * Python's `len(s)`: the number of code points (astral characters count once).
 *
 * @example
 * ```ts
 * codePointLength('a😀'); // 2
 * ```
 */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * The value 0–9 of a Unicode decimal digit (`\p{Nd}`), or -1. Unicode guarantees decimal digits
 * are encoded in contiguous ascending runs starting at zero, so the value is the code point's
 * distance from the start of its run, modulo 10 (some runs hold several consecutive digit sets).
 *
 * @example
 * ```ts
 * digitValue('٣'); // 3 (ARABIC-INDIC DIGIT THREE)
 * ```
 */
export function digitValue(ch: string): number {
  const cp = ch.codePointAt(0);
  if (cp === undefined) return -1;
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  if (!ND.test(ch)) return -1;
  let start = cp;
  while (start > 0 && ND.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/** Replaces every non-ASCII decimal digit by its ASCII digit, as Python's number parsers do. */
export function asciiDigits(s: string): string {
  if (!NON_ASCII.test(s)) return s;
  let out = '';
  for (const ch of s) {
    const v = digitValue(ch);
    out += v >= 0 ? String(v) : ch;
  }
  return out;
}

/**
 * Python's `int(s, 10)`: surrounding whitespace, a sign, underscores between digits and any
 * Unicode decimal digits are accepted. Returns `undefined` where Python raises `ValueError`.
 *
 * @example
 * ```ts
 * parsePythonInt(' +1_000 '); // 1000n
 * parsePythonInt('3.0'); // undefined
 * ```
 */
export function parsePythonInt(s: string): bigint | undefined {
  const t = asciiDigits(pyStrip(s));
  if (!PY_INT.test(t)) return undefined;
  return BigInt(t.replaceAll('_', ''));
}

/**
 * Python's `float(s)`: decimal or exponent notation with optional underscores between digits,
 * `inf`/`infinity`/`nan` in any case, surrounding whitespace. Returns `undefined` where Python
 * raises `ValueError`. Both languages round decimal text to the nearest double identically.
 *
 * @example
 * ```ts
 * parsePythonFloat(' 2.5e1 '); // 25
 * parsePythonFloat('0x10'); // undefined
 * ```
 */
export function parsePythonFloat(s: string): number | undefined {
  const t = asciiDigits(pyStrip(s));
  const special = PY_FLOAT_SPECIAL.exec(t);
  if (special) {
    if (special[2]?.toLowerCase() === 'nan') return Number.NaN;
    return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!PY_FLOAT.test(t)) return undefined;
  return Number(t.replaceAll('_', ''));
}

/**
 * Python 3's `round(x)` for a finite double: round half to even, as an integer-valued double.
 *
 * @example
 * ```ts
 * pyRound(2.5); // 2
 * pyRound(3.5); // 4
 * ```
 */
export function pyRound(x: number): number {
  const f = Math.floor(x);
  // For |x| < 2^52, x - floor(x) is exact; above that every double is already an integer.
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
