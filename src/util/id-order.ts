/**
 * A seeded order of records that depends on their IDs only, never on their positions: samples and
 * tie-breaks taken in this order give the same result however the rows of a list are sorted.
 */
import { FNV_BASIS, fnv1a, fnv1aStep } from './fnv1a.js';
import { splitmix32 } from './prng.js';

/**
 * A 32-bit hash of a record ID mixed with a seed (FNV-1a over UTF-16 units, then splitmix32). Not
 * for secrets: it only spreads IDs into a seeded, position-free order.
 * @example
 * ```ts
 * idHash('C17', 42); // the same number wherever record C17 sits in its list
 * ```
 */
export function idHash(id: string, seed: number): number {
  return splitmix32(fnv1a(id, FNV_BASIS ^ splitmix32(seed)) ^ id.length);
}

/**
 * {@link idHash} of ASCII IDs given as bytes: ID `i` is `bytes[offsets[i] − offsets[0] ..
 * offsets[i + 1] − offsets[0])` (a byte is then a UTF-16 unit, so the hash is the string's); the
 * hashes of IDs `0..n−1` are written to `out` from `at`. A list of millions of IDs kept as the
 * file's bytes is hashed without making a string of each.
 * @example
 * ```ts
 * const out = new Uint32Array(2);
 * idHashesOfAscii(Int32Array.of(0, 2, 5), new TextEncoder().encode('C1C17'), 42, out, 0);
 * out[1] === idHash('C17', 42); // true
 * ```
 */
export function idHashesOfAscii(
  offsets: Int32Array,
  bytes: Uint8Array,
  seed: number,
  out: Uint32Array,
  at: number,
): void {
  const n = offsets.length - 1;
  const base = offsets[0] as number;
  const basis = FNV_BASIS ^ splitmix32(seed);
  let from = 0;
  for (let i = 0; i < n; i++) {
    const to = (offsets[i + 1] as number) - base;
    let h = basis | 0;
    for (let k = from; k < to; k++) h = fnv1aStep(h, bytes[k] as number);
    out[at + i] = splitmix32(h ^ (to - from));
    from = to;
  }
}

/**
 * The positions of `ids`, ordered by a seeded hash of each ID, then by the ID itself: a
 * pseudo-random order that is the same set of IDs in the same order for any row order of the list.
 * Equal IDs (which the readers refuse) keep their relative order.
 * @example
 * ```ts
 * const order = idOrder(batch.ids, 42);
 * const sampled = order[rng.below(order.length)]; // a random record, chosen by ID, not position
 * ```
 */
export function idOrder(ids: readonly string[], seed: number): Uint32Array {
  const n = ids.length;
  const hash = new Uint32Array(n);
  for (let i = 0; i < n; i++) hash[i] = idHash(ids[i] ?? '', seed);
  const order = orderByHash(hash);
  for (let s = 0; s < n; ) {
    let e = s + 1;
    while (e < n && hash[order[e] ?? 0] === hash[order[s] ?? 0]) e++;
    if (e - s > 1) sortTies(order.subarray(s, e), (p) => ids[p] ?? '');
    s = e;
  }
  return order;
}

/**
 * The positions of `hash` ordered by hash value, equal hashes in position order (a stable radix
 * sort): {@link idOrder} before its runs of equal hashes are put in ID order. A list read in chunks
 * hashes its IDs as they pass and keeps only this (4 bytes a record).
 * @example
 * ```ts
 * const order = orderByHash(Uint32Array.from(ids, (id) => idHash(id, 42)));
 * ```
 */
export function orderByHash(hash: Uint32Array): Uint32Array {
  const n = hash.length;
  const max = maxOf(hash);
  // Small values (record positions: training groups its pairs by CoC record) need one counting
  // pass over max + 1 buckets; the same stable order as the two passes below, which cost the u
  // sample's 10⁶ pairs about 0.1 s on FEBRL 4 (their 65,536-bucket table misses the cache).
  if (max <= SMALL_RANGE) return countingOrder(hash, max + 1);
  // Two passes of 16 bits (a comparator sort of millions of IDs costs seconds).
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return stableReorder(hash, order, new Uint32Array(n));
}

/**
 * `order` (positions into `key`) stably re-sorted by `key[order[x]]`: two 16-bit counting passes,
 * one when every key is below 2¹⁶. `spare` is scratch of the same length; the result is `order` or
 * `spare`. Several calls, least significant key first, sort by several keys.
 * @example
 * ```ts
 * const byTagThenRecord = stableReorder(tag, stableReorder(record, identity, spare1), spare2);
 * ```
 */
export function stableReorder(
  key: Uint32Array,
  order: Uint32Array<ArrayBuffer>,
  spare: Uint32Array<ArrayBuffer>,
): Uint32Array<ArrayBuffer> {
  const n = order.length;
  // A short list: one native sort of (key, place) numbers, not two passes over 65,536 buckets
  // (cold code in a small job: docs/scaling.md, "Small jobs, round nine").
  if (n < SORT_BELOW) return sortedReorder(key, order, spare);
  let max = 0;
  for (let x = 0; x < n; x++) if ((key[x] ?? 0) > max) max = key[x] ?? 0;
  const count = new Uint32Array(65537);
  let from = order;
  let to = spare;
  for (let shift = 0; shift < (max > 0xffff ? 32 : 16); shift += 16) {
    count.fill(0);
    for (let x = 0; x < n; x++) {
      const b = (((key[x] ?? 0) >>> shift) & 0xffff) + 1;
      count[b] = (count[b] ?? 0) + 1;
    }
    for (let b = 1; b <= 65536; b++) count[b] = (count[b] ?? 0) + (count[b - 1] ?? 0);
    for (let x = 0; x < n; x++) {
      const i = from[x] ?? 0;
      const b = ((key[i] ?? 0) >>> shift) & 0xffff;
      const at = count[b] ?? 0;
      count[b] = at + 1;
      to[at] = i;
    }
    [from, to] = [to, from];
  }
  return from;
}

/** Below this many positions `stableReorder` sorts packed numbers instead (see `sortedReorder`). */
const SORT_BELOW = 1 << 13;
/** 2²¹: a position below it and a 32-bit key pack into one exact double (below 2⁵³). */
const PLACE = 0x200000;

/**
 * `stableReorder` of a short `order` (below {@link SORT_BELOW}): each place x packed with its key as
 * key · 2²¹ + x, the numbers sorted natively (`Float64Array#sort`, no comparator), and `order` read
 * back in that order into `spare` — by key, equal keys in their order in `order`: the radix passes'
 * order exactly.
 */
function sortedReorder(
  key: Uint32Array,
  order: Uint32Array<ArrayBuffer>,
  spare: Uint32Array<ArrayBuffer>,
): Uint32Array<ArrayBuffer> {
  const n = order.length;
  const packed = new Float64Array(n);
  for (let x = 0; x < n; x++) packed[x] = (key[order[x] as number] as number) * PLACE + x;
  packed.sort();
  for (let y = 0; y < n; y++) spare[y] = order[(packed[y] as number) % PLACE] as number;
  return spare;
}

/**
 * The largest of `values` (0 when empty). A function of its own: optimised during the loop,
 * `orderByHash`'s code was dropped at the test after it, which had not run yet.
 */
function maxOf(values: Uint32Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) if ((values[i] ?? 0) > max) max = values[i] ?? 0;
  return max;
}

/** Up to this value `orderByHash` sorts in one counting pass (a bucket table of at most 1 MiB). */
const SMALL_RANGE = 1 << 18;

/** The positions of `values` (each below `buckets`) in stable order of value: one counting sort. */
function countingOrder(values: Uint32Array, buckets: number): Uint32Array {
  return countingGroups(values, buckets).order;
}

/**
 * One counting sort of `values` (each below `buckets`): `order`, the positions in stable order of
 * value, and `first`, where each value's run starts in it (`first[v]` … `first[v + 1]`, length
 * `buckets + 1`).
 * @example
 * ```ts
 * const { order, first } = countingGroups(cocRecordOfPair, cocRecords);
 * for (let x = first[i]; x < first[i + 1]; x++) visit(order[x]); // the pairs of CoC record i, in order
 * ```
 */
export function countingGroups(
  values: Uint32Array,
  buckets: number,
): { readonly order: Uint32Array; readonly first: Uint32Array } {
  const n = values.length;
  const first = new Uint32Array(buckets + 1);
  for (let i = 0; i < n; i++) {
    const b = (values[i] as number) + 1;
    first[b] = (first[b] as number) + 1;
  }
  for (let b = 1; b <= buckets; b++) first[b] = (first[b] as number) + (first[b - 1] as number);
  const next = first.slice(0, buckets);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    const at = next[v] as number;
    next[v] = at + 1;
    order[at] = i;
  }
  return { order, first };
}

/**
 * Puts a run of positions with equal ID hashes in {@link idOrder}'s order: by ID, then position.
 * @example
 * ```ts
 * sortTies(order.subarray(s, e), (p) => ids[p]!);
 * ```
 */
export function sortTies(run: Uint32Array, id: (position: number) => string): void {
  run.sort((a, b) => {
    const x = id(a);
    const y = id(b);
    return x < y ? -1 : x > y ? 1 : a - b;
  });
}
