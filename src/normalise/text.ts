/**
 * Text folding shared by every name comparison: both parties must turn the same input into the same
 * bytes on any machine, so nothing here depends on the locale, and the common all-ASCII case never
 * pays for Unicode normalisation.
 *
 * Non-Latin scripts are kept, not transliterated: transliteration is ambiguous (Иван → IVAN or IWAN)
 * and would make two spellings of one name differ on the two sides. Letters of such scripts are
 * upper-cased with the locale-independent Unicode mapping where the script has case (Greek, Cyrillic)
 * and left as they are otherwise (CJK, Arabic), so a name written in the same script still compares.
 * Combining marks are removed in every script; for scripts whose vowels are marks (Devanagari, Thai)
 * that loses information, but it loses the same information on both sides.
 *
 * NFKD and upper-casing follow the Unicode version of the JavaScript engine. Engines agree on every
 * character that existed in Unicode 13 (Node 16, browsers since 2021); only characters assigned
 * later could fold differently, and names practically never contain them.
 */

/**
 * Letters that NFKD leaves whole but that read as Latin letters with a conventional ASCII spelling.
 * Both cases are listed because the map is applied before upper-casing.
 */
const SPECIAL_LETTERS: ReadonlyMap<string, string> = new Map([
  ['ß', 'SS'],
  ['ẞ', 'SS'],
  ['Æ', 'AE'],
  ['æ', 'AE'],
  ['Œ', 'OE'],
  ['œ', 'OE'],
  ['Ø', 'O'],
  ['ø', 'O'],
  ['Ł', 'L'],
  ['ł', 'L'],
  ['Đ', 'D'],
  ['đ', 'D'],
  ['Ð', 'D'],
  ['ð', 'D'],
  ['Þ', 'TH'],
  ['þ', 'TH'],
  ['ı', 'I'],
  ['ȷ', 'J'],
  ['Ħ', 'H'],
  ['ħ', 'H'],
  ['Ŧ', 'T'],
  ['ŧ', 'T'],
  ['Ŋ', 'NG'],
  ['ŋ', 'NG'],
  ['ĸ', 'K'],
  ['Ƒ', 'F'],
  ['ƒ', 'F'],
  ['Ɓ', 'B'],
  ['ɓ', 'B'],
  ['Ɗ', 'D'],
  ['ɗ', 'D'],
  ['Ƙ', 'K'],
  ['ƙ', 'K'],
  ['Ƴ', 'Y'],
  ['ƴ', 'Y'],
]);

/**
 * Apostrophe look-alikes, removed rather than turned into a separator so that O'BRIEN, O’BRIEN and
 * OBRIEN fold alike. Checked before NFKD because NFKD turns U+00B4 into a space plus a mark.
 */
const APOSTROPHES_RE = /[\u2019\u2018\u02BC\u02BB\u02B9\u00B4\u2032\uFF07]/g;

// Precompiled once; only used on the non-ASCII path.
const SINGLE_APOSTROPHE_RE = /^[\u2019\u2018\u02BC\u02BB\u02B9\u00B4\u2032\uFF07]$/;
const MARKS_RE = /\p{M}+/gu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the class is "not ASCII": it names the ASCII range, control characters included, on purpose
const NON_ASCII_RE = /[^\u0000-\u007F]/gu;
const KEEP_RE = /^[\p{L}\p{Nd}]$/u;
const FORMAT_RE = /^\p{Cf}$/u;

/** Maps one non-ASCII code point (after NFKD and mark removal) to its folded text. */
function foldCodePoint(ch: string): string {
  if (SINGLE_APOSTROPHE_RE.test(ch)) return '';
  const special = SPECIAL_LETTERS.get(ch);
  if (special !== undefined) return special;
  // Zero-width joiners, soft hyphens and BOMs sit inside words: dropping them keeps the word whole.
  if (FORMAT_RE.test(ch)) return '';
  if (KEEP_RE.test(ch)) return ch.toUpperCase();
  return ' ';
}

/** One pass of the Unicode path; repeated to a fixpoint by the caller (see {@link foldText}). */
function foldUnicodeOnce(s: string): string {
  // Apostrophes first: NFKD would turn some of them (U+00B4) into a space and a mark.
  const t = s
    .replace(APOSTROPHES_RE, '')
    .normalize('NFKD')
    .replace(MARKS_RE, '')
    .replace(NON_ASCII_RE, foldCodePoint);
  return cleanAscii(t);
}

/** First and last code point of the Latin blocks served by {@link foldLatin}. */
const LATIN_FIRST = 0x80;
const LATIN_LAST = 0x24f;

/**
 * For each code point of Latin-1 Supplement and Latin Extended-A/B: what the Unicode path makes of
 * it before the final ASCII clean-up, when that is pure ASCII; `undefined` otherwise. Built lazily
 * with the Unicode path itself, so the fast path cannot disagree with it.
 */
let latinTable: (string | undefined)[] | undefined;

function getLatinTable(): (string | undefined)[] {
  if (latinTable !== undefined) return latinTable;
  const table: (string | undefined)[] = [];
  for (let cp = LATIN_FIRST; cp <= LATIN_LAST; cp++) {
    const t = String.fromCharCode(cp)
      .replace(APOSTROPHES_RE, '')
      .normalize('NFKD')
      .replace(MARKS_RE, '')
      .replace(NON_ASCII_RE, foldCodePoint);
    table.push(isAscii(t) ? t : undefined);
  }
  latinTable = table;
  return table;
}

/**
 * The fold of a string whose only non-ASCII characters are tabled Latin letters (José, Núñez,
 * Straße), without NFKD or regular expressions; `undefined` for any other string. Equal to the
 * Unicode path because NFKD decomposes these characters one by one and every mark is dropped.
 */
function foldLatin(s: string): string | undefined {
  const table = getLatinTable();
  let out = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < LATIN_FIRST) continue;
    if (c > LATIN_LAST) return undefined;
    const mapped = table[c - LATIN_FIRST];
    if (mapped === undefined) return undefined;
    out += s.slice(start, i) + mapped;
    start = i + 1;
  }
  return cleanAscii(out + s.slice(start));
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Upper-cases ASCII letters, drops ASCII apostrophes, turns other ASCII non-alphanumerics into one
 * space, trims. Non-ASCII code units pass through (the Unicode path has already folded them).
 * Native upper-casing first (locale-independent, and exact for ASCII); then a clean name costs one
 * scan and is returned as is, and a dirty one is rebuilt from slices of its clean runs.
 */
function cleanAscii(input: string): string {
  const s = input.toUpperCase();
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const keep = (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c > 0x7f;
    // A single space between two kept characters is already clean.
    if (!keep && !(c === 32 && i > 0 && i < s.length - 1 && s.charCodeAt(i + 1) !== 32)) break;
  }
  if (i === s.length) return s;
  // The clean prefix may end in its single space; it is re-emitted only if a kept character follows.
  let pendingSpace = i > 0 && s.charCodeAt(i - 1) === 32;
  let out = s.slice(0, pendingSpace ? i - 1 : i);
  let runStart = -1;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c > 0x7f) {
      if (runStart < 0) {
        if (pendingSpace && out.length > 0) out += ' ';
        pendingSpace = false;
        runStart = i;
      }
      continue;
    }
    if (runStart >= 0) {
      out += s.slice(runStart, i);
      runStart = -1;
    }
    // ' and ` are apostrophes: removed without a separator.
    if (c !== 39 && c !== 96) pendingSpace = true;
  }
  if (runStart >= 0) out += s.slice(runStart);
  return out;
}

/**
 * Folds text for comparison: Unicode NFKD, combining marks removed, special Latin letters spelled in
 * ASCII (ß→SS, Æ→AE, Œ→OE, Ø→O, Ł→L, Đ/Ð→D, Þ→TH, ı→I, …), upper case, apostrophes removed
 * (O'BRIEN → OBRIEN), every other punctuation, symbol, control or space character turned into a
 * single space, trimmed. Digits are kept. Letters of non-Latin scripts are kept (upper-cased where
 * the script has case), never transliterated. Never throws; idempotent.
 *
 * Pure ASCII input skips Unicode normalisation entirely, and so does text whose only non-ASCII
 * characters are Latin-1 or Latin Extended letters (a table built from the Unicode path).
 *
 * @param s - any string, including lone surrogates
 * @returns the folded text; `''` when nothing comparable is left
 * @example
 * ```ts
 * foldText("  José  O'Brien-Núñez ");  // 'JOSE OBRIEN NUNEZ'
 * foldText('Straße');                  // 'STRASSE'
 * foldText('Ærø, Łódź');               // 'AERO LODZ'
 * foldText('Дмитрий');                 // 'ДМИТРИИ' (the breve of Й is a mark)
 * ```
 */
export function foldText(s: string): string {
  // One scan classifies the common cases: already folded (returned as is, no allocation), folded
  // but for lower case (one native upper-casing), other ASCII, or Unicode.
  let lower = false;
  let i = 0;
  for (const n = s.length; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) continue;
    if (c >= 97 && c <= 122) {
      lower = true;
      continue;
    }
    if (c >= 48 && c <= 57) continue;
    // A single space between two kept characters is already folded.
    if (c === 32 && i > 0 && i < n - 1 && s.charCodeAt(i + 1) !== 32) continue;
    break;
  }
  if (i === s.length) return lower ? s.toUpperCase() : s;
  if (isAscii(s)) return cleanAscii(s);
  return foldLatin(s) ?? foldUnicode(s);
}

/**
 * The general Unicode path of {@link foldText}. Exported for the test that checks the fast paths
 * agree with it; not part of the public API.
 *
 * @example
 * ```ts
 * foldUnicode('Ærø'); // 'AERO'
 * ```
 */
export function foldUnicode(s: string): string {
  // Upper-casing or NFKD can expose characters the other step changes again (U+0390 upper-cases to
  // a base letter plus marks; U+00AA decomposes to a lower-case 'a'), so iterate to a fixpoint.
  // Two passes settle every string seen in practice; the bound only guards against surprises.
  let t = foldUnicodeOnce(s);
  for (let i = 0; i < 4 && !isAscii(t); i++) {
    const next = foldUnicodeOnce(t);
    if (next === t) break;
    t = next;
  }
  return t;
}
