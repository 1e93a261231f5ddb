/**
 * Jaro and Jaro–Winkler similarity of two strings (Jaro 1989; Winkler 1990, "String Comparator
 * Metrics and Enhanced Decision Rules in the Fellegi–Sunter Model of Record Linkage"), for the string
 * levels of clear-text mode. Written here rather than taken from a package: see docs/scoring.md
 * ("Clear-text mode"). Compares UTF-16 code units; the names it is given are already folded to A–Z.
 *
 * Definitions (as Winkler's): characters match when equal and at most ⌊max(|a|, |b|)/2⌋ − 1 apart,
 * each character matched at most once, left to right; t is half the number of matched characters
 * out of order, rounded down (as Winkler's strcmp95 and most implementations: jellyfish, talisman);
 * Jaro = (m/|a| + m/|b| + (m − t)/m) / 3 (0 when m = 0). Jaro–Winkler adds
 * ℓ·p·(1 − Jaro) for a common prefix of ℓ ≤ 4 characters, p = 0.1, when Jaro ≥ 0.7.
 */

/** Winkler's prefix scale. */
const PREFIX_SCALE = 0.1;
/** Longest prefix that counts. */
const MAX_PREFIX = 4;
/** Jaro below this gets no prefix bonus. */
const BOOST_THRESHOLD = 0.7;

/** Scratch flags of the second string's matched characters, grown on demand (no allocation per call). */
let matchedB = new Uint8Array(64);
/** The first string's matched character codes, in order. */
let codesA = new Uint16Array(64);

/**
 * Jaro similarity of `a` and `b`, in [0, 1]: 1 when equal (two empty strings included), 0 when one
 * is empty or nothing matches.
 * @example
 * ```ts
 * jaro('MARTHA', 'MARHTA'); // 0.9444…
 * ```
 */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  if (lb > matchedB.length) matchedB = new Uint8Array(lb * 2);
  if (la > codesA.length) codesA = new Uint16Array(la * 2);
  matchedB.fill(0, 0, lb);
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let m = 0;
  for (let i = 0; i < la; i++) {
    const c = a.charCodeAt(i);
    const end = Math.min(lb, i + window + 1);
    for (let j = Math.max(0, i - window); j < end; j++) {
      if (matchedB[j] === 0 && b.charCodeAt(j) === c) {
        matchedB[j] = 1;
        codesA[m++] = c;
        break;
      }
    }
  }
  if (m === 0) return 0;
  // Matched characters of b in order against those of a: each mismatch is half a transposition.
  let half = 0;
  for (let j = 0, k = 0; j < lb; j++) if (matchedB[j] === 1 && b.charCodeAt(j) !== codesA[k++]) half++;
  return (m / la + m / lb + (m - (half >> 1)) / m) / 3;
}

/**
 * Jaro–Winkler similarity of `a` and `b`, in [0, 1] (Winkler's constants: prefix of at most four
 * characters, scale 0.1, applied when Jaro ≥ 0.7).
 * @example
 * ```ts
 * jaroWinkler('MARTHA', 'MARHTA'); // 0.9611…
 * jaroWinkler('DWAYNE', 'DUANE');  // 0.84
 * ```
 */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  if (j < BOOST_THRESHOLD || j === 1) return j;
  const n = Math.min(MAX_PREFIX, a.length, b.length);
  let l = 0;
  while (l < n && a.charCodeAt(l) === b.charCodeAt(l)) l++;
  return j + l * PREFIX_SCALE * (1 - j);
}
