/**
 * Repeated IDs among a column of IDs held as UTF-8 bytes and offsets (an Arrow string column), found
 * without making a string of each: every ID's bytes are hashed, the positions radix-sorted by hash,
 * and only runs of equal hashes are compared byte by byte. A large plan's 3·10⁶ IDs cost a pass over
 * their bytes and two counting passes, where a hash set of the strings misses the cache at every
 * lookup (docs/scaling.md, "Reading the plan file").
 *
 * The hash is seeded per call and a run of equal hashes is sorted by its bytes (not compared pair by
 * pair), so a file crafted to collide costs a sort, never quadratic time.
 */
import { FNV_BASIS, fmix32, fnv1aStep } from './fnv1a.js';
import { stableReorder } from './id-order.js';

/** `bytes[a0..a1)` against `bytes[b0..b1)`, lexicographically (a shorter prefix first). */
function compareRanges(bytes: Uint8Array, a0: number, a1: number, b0: number, b1: number): number {
  const n = Math.min(a1 - a0, b1 - b0);
  for (let k = 0; k < n; k++) {
    const d = (bytes[a0 + k] as number) - (bytes[b0 + k] as number);
    if (d !== 0) return d;
  }
  return a1 - a0 - (b1 - b0);
}

/**
 * How many of the `offsets.length − 1` IDs repeat an earlier one (a run of k equal IDs counts
 * k − 1), ID `i` being `bytes[offsets[i] − offsets[0] .. offsets[i + 1] − offsets[0])`; undefined
 * when a byte is not ASCII, so that the caller compares the decoded strings instead (two different
 * malformed byte sequences can decode to the same string).
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode('M1M2M1');
 * repeatedIds(Int32Array.of(0, 2, 4, 6), bytes); // 1
 * ```
 */
export function repeatedIds(offsets: Int32Array, bytes: Uint8Array): number | undefined {
  const n = offsets.length - 1;
  if (n <= 1) return 0;
  const seed = (Math.random() * 0x100000000) | 0;
  const hash = new Uint32Array(n);
  // Each loop is a function of its own: optimised during one, this function's code was dropped
  // at the next, which had not run yet (in a short list's cold `match`).
  if (hashIds(offsets, bytes, seed, hash) >= 0x80) return undefined;
  const identity = new Uint32Array(n);
  for (let i = 0; i < n; i++) identity[i] = i;
  const order = stableReorder(hash, identity, new Uint32Array(n));
  return countRepeats(offsets, bytes, hash, order);
}

/** Each ID's seeded hash into `hash`; returns the OR of all the bytes (≥ 0x80: not ASCII). */
function hashIds(offsets: Int32Array, bytes: Uint8Array, seed: number, hash: Uint32Array): number {
  const n = hash.length;
  const base = offsets[0] as number;
  let high = 0;
  let from = 0;
  for (let i = 0; i < n; i++) {
    const to = (offsets[i + 1] as number) - base;
    let h = FNV_BASIS ^ seed;
    for (let k = from; k < to; k++) {
      const c = bytes[k] as number;
      high |= c;
      h = fnv1aStep(h, c);
    }
    hash[i] = fmix32(h) >>> 0;
    from = to;
  }
  return high;
}

/** The repeats among the IDs in `order` (sorted by hash): equal IDs within runs of equal hashes. */
function countRepeats(offsets: Int32Array, bytes: Uint8Array, hash: Uint32Array, order: Uint32Array): number {
  const n = order.length;
  const base = offsets[0] as number;
  let repeats = 0;
  for (let s = 0; s < n; ) {
    const h = hash[order[s] as number] as number;
    let e = s + 1;
    while (e < n && hash[order[e] as number] === h) e++;
    if (e - s > 1) {
      // Equal hashes: sort the run by the IDs' bytes and count neighbours that are equal.
      const run = Array.from(order.subarray(s, e));
      const start = (i: number) => (offsets[i] as number) - base;
      const end = (i: number) => (offsets[i + 1] as number) - base;
      run.sort((a, b) => compareRanges(bytes, start(a), end(a), start(b), end(b)));
      for (let k = 1; k < run.length; k++) {
        const a = run[k - 1] as number;
        const b = run[k] as number;
        if (compareRanges(bytes, start(a), end(a), start(b), end(b)) === 0) repeats++;
      }
    }
    s = e;
  }
  return repeats;
}
