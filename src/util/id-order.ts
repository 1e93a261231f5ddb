/**
 * A seeded order of records that depends on their IDs only, never on their positions: samples and
 * tie-breaks taken in this order give the same result however the rows of a list are sorted.
 */
import { FNV_BASIS, fnv1a } from './fnv1a.js';
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
  ids.forEach((id, i) => {
    hash[i] = idHash(id, seed);
  });
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  return order.sort((a, b) => {
    const d = (hash[a] ?? 0) - (hash[b] ?? 0);
    if (d !== 0) return d;
    const x = ids[a] ?? '';
    const y = ids[b] ?? '';
    return x < y ? -1 : x > y ? 1 : a - b;
  });
}
