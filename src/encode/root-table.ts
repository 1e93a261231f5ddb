/**
 * The encoder's cache of one root's outputs (see sources.ts), in flat typed arrays rather than an
 * object per value: reading a cached value is one probe of an open-addressing table and typed-array reads, and holding
 * 200,000 of them costs the garbage collector nothing to trace. Values of a root that rarely repeat
 * (full SSNs) are built in the same place but never kept.
 */
import { IdSet } from '../util/id-set.js';
import type { RootKey } from './sources.js';

/**
 * Entries kept per root before the cache starts over (bounds memory on very large lists).
 * @example
 * ```ts
 * CACHE_LIMIT; // 200000
 * ```
 */
export const CACHE_LIMIT = 200_000;
/**
 * Lookups after which a root cache that rarely hits is switched off (values of that root are
 * unique: SSNs).
 * @example
 * ```ts
 * CACHE_PROBE; // 50000
 * ```
 */
export const CACHE_PROBE = 50_000;
/** Hit rate below which a root is not worth caching: caching unique values only feeds the garbage collector. */
const CACHE_MIN_HIT_RATE = 0.05;

/**
 * One root's entries. An entry is a run of 32-bit words in `words` starting at its *start*: word 0
 * is its ordinal; the rest is laid out by the encoder (keyed hashes, hash sets, blocking-part
 * hashes). Its Bloom filters (`bloomStride` bytes, rounded up to whole words) lie in the words just
 * before its start, read through `bytes`, a byte view of the same memory: the encoder's copy of an
 * entry's filters then needs no load of the ordinal first, and touches the cache lines next to the
 * entry's words rather than a separate array (docs/scaling.md, "Encoding, round five"). Entries are
 * appended; one that is not committed is overwritten by the next.
 * @example
 * ```ts
 * const t = new RootTable(32);
 * let s = t.find('ANN');
 * if (s < 0) {
 *   s = t.open(4); // then fill t.words[s + 1 .. s + 4) and t.bytes at t.bloomAt(s)
 *   t.commit('ANN', s, 4);
 * }
 * ```
 */
export class RootTable {
  /** Entry words (valid up to the last opened entry). Replaced when it grows: read it after `open`. */
  words = new Uint32Array(4096);
  /** The same memory as `words`, as bytes: each entry's Bloom filters at {@link RootTable.bloomAt}. Replaced with `words`. */
  bytes = new Uint8Array(this.words.buffer);
  /** The same memory as `words`, for word copies of Bloom filters (they start on a word). */
  bytes32 = this.words;
  /** Words of Bloom filters before each entry's start. */
  private readonly bloomWords: number;
  /**
   * String keys (names, sex, full SSNs): an open-addressing {@link IdSet} and the entry start of
   * each of its key indices. A `Map` lookup of a freshly normalised string (its hash computed in the
   * runtime, then a bucket chain) cost the workers 9 % of their CPU (`perf`, docs/scaling.md "Encoding,
   * round three"); the set hashes in JS and probes one typed array.
   */
  private ids = new IdSet();
  private idStart = new Int32Array(1024);
  /** Numeric keys not below `denseKeys` (none from the default roots: DOB keys and last fours are dense). */
  private readonly index = new Map<number, number>();
  /** Words and entries committed. */
  private size = 0;
  private count = 0;
  private lookups = 0;
  private hits = 0;
  private caching = true;

  /** Entry start + 1 (0: none) of each numeric key below `denseKeys`: found without hashing. */
  private readonly dense: Int32Array;

  /**
   * @param bloomStride - bytes of Bloom filters per entry (0: none)
   * @param denseKeys - numeric keys below this are indexed by an array rather than a map
   */
  constructor(
    readonly bloomStride: number,
    denseKeys = 0,
  ) {
    this.bloomWords = Math.ceil(bloomStride / 4);
    this.dense = new Int32Array(denseKeys);
  }

  /** The start of the cached entry of `key`, or −1. */
  find(key: RootKey): number {
    if (!this.caching) return -1;
    let s: number | undefined;
    if (typeof key === 'string') {
      const i = this.ids.indexOf(key);
      s = i < 0 ? -1 : this.idStart[i];
    } else s = key < this.dense.length ? (this.dense[key] ?? 0) - 1 : this.index.get(key);
    this.lookups++;
    if (s !== undefined && s >= 0) {
      this.hits++;
      return s;
    }
    if (this.lookups === CACHE_PROBE && this.hits < CACHE_MIN_HIT_RATE * CACHE_PROBE) {
      this.caching = false;
      this.reset();
    }
    return -1;
  }

  /**
   * Starts a new entry of `n` words after the committed ones (starting over when the cache is
   * full), its ordinal set and its Bloom bytes zeroed; returns its start.
   */
  open(n: number): number {
    if (this.count >= CACHE_LIMIT) this.reset();
    const from = this.size;
    const s = from + this.bloomWords;
    if (s + n > this.words.length) {
      const grown = new Uint32Array(Math.max(2 * this.words.length, s + n));
      grown.set(this.words.subarray(0, from));
      this.words = grown;
      this.bytes = new Uint8Array(grown.buffer);
      this.bytes32 = grown;
    }
    // The filters' words: a few stores, below the cost of a `fill` call.
    for (let w = from; w < s; w++) this.words[w] = 0;
    this.words[s] = this.count;
    return s;
  }

  /** Keeps the entry opened at `s` (of `n` words) as `key`'s, if this root is cached at all. */
  commit(key: RootKey, s: number, n: number): void {
    if (!this.caching) return;
    if (typeof key === 'string') {
      // Right after `find(key)` missed: the set remembers the slot, so this costs no second probe.
      const i = this.ids.addChecked(key);
      if (i >= this.idStart.length) {
        const grown = new Int32Array(2 * this.idStart.length);
        grown.set(this.idStart);
        this.idStart = grown;
      }
      this.idStart[i] = s;
    } else if (key < this.dense.length) this.dense[key] = s + 1;
    else this.index.set(key, s);
    this.size = s + n;
    this.count++;
  }

  /** Offset in `bytes` (and, divided by 4, in `bytes32`) of the Bloom filters of the entry at `s`. */
  bloomAt(s: number): number {
    return (s - this.bloomWords) << 2;
  }

  /** Forgets every entry and wipes the arrays (their hashes are key-derived). */
  wipe(): void {
    this.reset();
    this.words.fill(0);
  }

  private reset(): void {
    this.ids = new IdSet();
    this.index.clear();
    this.dense.fill(0);
    this.size = 0;
    this.count = 0;
  }
}
