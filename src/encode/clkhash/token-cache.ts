/**
 * A bounded token → hash-result cache with two generations: lookups hit the young map, then the
 * old one (promoting the entry); when the young map is full it becomes the old one. This keeps
 * recently used tokens (names repeat a lot) at O(1) cost with at most 2 × capacity entries, close
 * to LRU without LRU's per-hit reordering.
 */
export class TokenCache<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  /**
   * @param capacity - entries per generation; 0 disables caching.
   * @example
   * ```ts
   * const cache = new TokenCache<number>(1 << 15);
   * cache.set('AN', 42);
   * cache.get('AN'); // 42
   * ```
   */
  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError('capacity must be a non-negative integer');
  }

  /** The cached value for `key`, or `undefined`. */
  get(key: string): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) this.set(key, o);
    return o;
  }

  /** Stores a value (no-op when capacity is 0). */
  set(key: string, value: V): void {
    if (this.capacity === 0) return;
    if (this.young.size >= this.capacity) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  /** Drops every entry. */
  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}
