/**
 * Bloom-filter bytes in clkhash's layout: `bitarray` big-endian bit order, so bit i is the bit
 * `0x80 >> (i % 8)` of byte `i / 8`, and `tobytes()` pads the last byte with zero bits.
 */

/**
 * Sets bit `index` of `filter`.
 *
 * @example
 * ```ts
 * const f = new Uint8Array(2);
 * setBit(f, 9); // f = [0x00, 0x40]
 * ```
 */
export function setBit(filter: Uint8Array, index: number): void {
  const byte = index >>> 3;
  filter[byte] = (filter[byte] ?? 0) | (0x80 >>> (index & 7));
}

function getBit(filter: Uint8Array, index: number): number {
  return ((filter[index >>> 3] ?? 0) >>> (7 - (index & 7))) & 1;
}

/**
 * clkhash's `fold_xor`: `folds` times, XOR the first half of the filter with the second half.
 * `bits` is the filter length before folding; returns new bytes holding `bits / 2^folds` bits.
 *
 * @example
 * ```ts
 * foldXor(new Uint8Array([0b1100_0000, 0b1010_0000]), 16, 1); // Uint8Array [0b0110_0000]
 * ```
 */
export function foldXor(filter: Uint8Array, bits: number, folds: number): Uint8Array {
  let cur = filter;
  let len = bits;
  for (let f = 0; f < folds; f++) {
    const half = len / 2;
    const next = new Uint8Array(Math.ceil(half / 8));
    if (half % 8 === 0) {
      const h = half / 8;
      for (let i = 0; i < h; i++) next[i] = (cur[i] ?? 0) ^ (cur[i + h] ?? 0);
    } else {
      for (let i = 0; i < half; i++) if (getBit(cur, i) ^ getBit(cur, i + half)) setBit(next, i);
    }
    cur = next;
    len = half;
  }
  return cur;
}
