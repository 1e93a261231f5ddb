/** Population count and Dice similarity on 32-bit words (the pure-JS kernel). */
import { popcount32 } from '../kernel/popcount.js';

/**
 * Set bits of each record's filter: `words` holds `n × wordsPer` 32-bit words.
 * @example
 * ```ts
 * const counts = popcounts(new Uint32Array([1, 3]), 1); // Uint16Array [1, 2]
 * ```
 */
export function popcounts(words: Uint32Array, wordsPer: number): Uint16Array {
  const n = words.length / wordsPer;
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let w = i * wordsPer, end = w + wordsPer; w < end; w++) c += popcount32(words[w] ?? 0);
    out[i] = c;
  }
  return out;
}

/** Set bits of `a[ai..ai+n) AND b[bi..bi+n)`. */
export function andCount(a: Uint32Array, ai: number, b: Uint32Array, bi: number, n: number): number {
  let c = 0;
  for (let w = 0; w < n; w++) c += popcount32((a[ai + w] ?? 0) & (b[bi + w] ?? 0));
  return c;
}

/** Views bytes as 32-bit words (copying when the offset is not aligned). Byte length must be a multiple of 4. */
export function asWords(bytes: Uint8Array): Uint32Array {
  if (bytes.length % 4 !== 0) throw new RangeError('filter bytes must be a multiple of 4');
  const b = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  return new Uint32Array(b.buffer, b.byteOffset, b.length / 4);
}
