/**
 * Random Bloom filters for the Dice benchmarks: each bit set with probability 1/2, from a seeded
 * xorshift32, so runs and tools (bloomlink, anonlink) see the same filters.
 */
export function fillRandom(words: Uint32Array, seed: number): void {
  let s = seed | 1;
  for (let i = 0; i < words.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    words[i] = s >>> 0;
  }
}
