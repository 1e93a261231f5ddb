/**
 * A bounded memo for pure per-value checks. Identifying values repeat a lot (first names, surnames,
 * dates of birth across millions of rows), so remembering recent answers removes most of the folding
 * and parsing work. The memo is simply started afresh when full (a new key set and answers array):
 * cheaper than LRU bookkeeping, and afterwards the frequent values come straight back.
 */
import { IdSet } from '../util/id-set.js';

/**
 * Wraps a pure one-argument function with a cache of at most `max` entries.
 *
 * @example
 * ```ts
 * const fold = memo((s: string) => s.toUpperCase(), 10_000);
 * fold('ana'); // 'ANA' (computed), fold('ana') again: from the cache
 * ```
 */
export function memo<T>(fn: (key: string) => T, max: number): (key: string) => T {
  if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
  // An open-addressing set of the keys and their answers by key index: a `Map.get` of a freshly
  // sliced cell computes the string's hash in the runtime and walks a bucket chain; the set hashes
  // in JS and probes one typed array (as the encoder's root caches, docs/scaling.md "Encoding,
  // round three"). Its probe guard keeps crafted cells from making lookups long.
  let keys = new IdSet();
  let values: T[] = [];
  return (key) => {
    const i = keys.indexOf(key);
    if (i >= 0) return values[i] as T;
    const v = fn(key);
    if (keys.size >= max) {
      keys = new IdSet();
      values = [];
    }
    values[keys.addChecked(key)] = v;
    return v;
  };
}
