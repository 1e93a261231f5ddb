/**
 * A bounded memo for pure per-value checks. Identifying values repeat a lot (first names, surnames,
 * dates of birth across millions of rows), so remembering recent answers removes most of the folding
 * and parsing work. The map is simply cleared when full: cheaper than LRU bookkeeping, and after a
 * clear the frequent values come straight back.
 */

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
  const cache = new Map<string, T>();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined && !cache.has(key)) {
      v = fn(key);
      if (cache.size >= max) cache.clear();
      cache.set(key, v);
    }
    return v as T;
  };
}
