/**
 * The 32-bit population count every pure-JS bit counter uses: the JS Dice kernel, the comparisons'
 * filter counts and the attack suite's filter matrices. One copy, so they can never disagree.
 */

/**
 * Number of set bits in a 32-bit integer (SWAR: pairs, nibbles, then one multiply sums the bytes).
 *
 * @example
 * ```ts
 * popcount32(0b1011); // 3
 * popcount32(0xffffffff); // 32
 * ```
 */
export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
