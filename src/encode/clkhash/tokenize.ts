/**
 * clkhash's comparators (`clkhash/comparators.py`): how a formatted value becomes tokens.
 * n-grams pad the value with n−1 spaces on both sides; positional n-grams are written
 * `"<1-based position> <gram>"`; exact comparison yields the value itself; numeric comparison
 * yields the 2·resolution+1 quantised neighbourhood values as decimal integers. Lengths and
 * slices count code points, as Python does.
 */

import { parsePythonFloat, parsePythonInt, pyRound } from './python-text.js';
import type { ClkhashComparison } from './schema-types.js';

/** Turns a formatted value into tokens; `undefined` when the value cannot be read (numeric only). */
export type Tokenizer = (value: string) => string[] | undefined;

const SURROGATE = /[\ud800-\udfff]/;

function ngrams(word: string, n: number, positional: boolean, pad: string): string[] {
  if (word.length === 0) return [];
  const w = n > 1 ? pad + word + pad : word;
  const out: string[] = [];
  if (!SURROGATE.test(w)) {
    const count = w.length - n + 1;
    for (let i = 0; i < count; i++) {
      const gram = w.substring(i, i + n);
      out.push(positional ? `${i + 1} ${gram}` : gram);
    }
    return out;
  }
  const cps = Array.from(w);
  const count = cps.length - n + 1;
  for (let i = 0; i < count; i++) {
    const gram = cps.slice(i, i + n).join('');
    out.push(positional ? `${i + 1} ${gram}` : gram);
  }
  return out;
}

function numeric(thresholdDistance: number, resolution: number, fractionalPrecision: number): Tokenizer {
  // Python multiplies by int(10 ** p), which converts to the correctly rounded double; parsing
  // the literal gives that double too (Math.pow need not be correctly rounded).
  const scale = Number(`1e${fractionalPrecision}`);
  const interval = BigInt(pyRound(thresholdDistance * scale));
  const bigScale = 10n ** BigInt(fractionalPrecision);
  const factor = 2n * BigInt(resolution);
  return (word) => {
    if (word.length === 0) return [];
    let v: bigint;
    const asInt = parsePythonInt(word);
    if (asInt !== undefined) v = asInt * bigScale;
    else {
      const f = parsePythonFloat(word);
      if (f === undefined || !Number.isFinite(f)) return undefined;
      v = BigInt(fractionalPrecision > 0 ? pyRound(f * scale) : Math.trunc(f));
    }
    v *= factor;
    const residue = ((v % interval) + interval) % interval;
    if (residue !== 0n) v = 2n * residue < interval ? v - residue : v + (interval - residue);
    const out: string[] = [];
    for (let i = -resolution; i <= resolution; i++) out.push(String(v + BigInt(i) * interval));
    return out;
  };
}

/**
 * Builds the tokenizer for a comparison.
 *
 * @example
 * ```ts
 * compileTokenizer({ type: 'ngram', n: 2, positional: false })('ANN'); // [' A', 'AN', 'NN', 'N ']
 * compileTokenizer({ type: 'ngram', n: 1, positional: true })('19'); // ['1 1', '2 9']
 * compileTokenizer({ type: 'numeric', thresholdDistance: 3, resolution: 3, fractionalPrecision: 0 })('70');
 * // ['411', '414', '417', '420', '423', '426', '429']
 * ```
 */
export function compileTokenizer(comparison: ClkhashComparison): Tokenizer {
  switch (comparison.type) {
    case 'ngram': {
      const { n, positional } = comparison;
      const pad = ' '.repeat(Math.max(0, n - 1));
      return (word) => ngrams(word, n, positional, pad);
    }
    case 'exact':
      return (word) => (word.length === 0 ? [] : [word]);
    case 'numeric':
      return numeric(comparison.thresholdDistance, comparison.resolution, comparison.fractionalPrecision);
  }
}
