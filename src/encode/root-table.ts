/**
 * The encoder's cache of one root's outputs (see sources.ts), in flat typed arrays rather than an
 * object per value: reading a cached value is one probe of an open-addressing table and typed-array reads, and holding
 * 200,000 of them costs the garbage collector nothing to trace. Values of a root that rarely repeat
 * (full SSNs) are built in the same place but never kept.
 */
import { MAX_PROBE, StringSlots } from '../util/id-set.js';
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
 * entry's words rather than a separate array (docs/scaling.md, "Encoding, round five"). A string
 * key's UTF-16 code units (two a word) and its length lie just before the filters, so a lookup
 * compares the key where the entry is, not in a string elsewhere on the heap ("Encoding, round
 * seven"). Entries are appended; one that is not committed is overwritten by the next.
 * @example
 * ```ts
 * const t = new RootTable(32);
 * let s = t.find('ANN');
 * if (s < 0) {
 *   s = t.open(4, 'ANN'); // then fill t.words[s + 1 .. s + 4) and t.bytes at t.bloomAt(s)
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
   * String keys (names, sex, full SSNs) → entry start, in an open-addressing table whose keys are
   * compared where their entries keep them (see the class comment): the set of strings it replaced
   * (`IdSet` and an array of starts) loaded the stored string, the key array and the start array,
   * three cache misses a lookup in tables of 10⁴–10⁵ names (docs/scaling.md "Encoding, round
   * seven"; callgrind, "Follow-ups, session 15": 3 % fewer main-thread instructions than `IdSet`,
   measured before the table became `StringSlots`, which then measured the same within 0.4 %).
   */
  private readonly strings: EntryKeys;
  /** Start of the last entry opened with a string key (−1: the last one had none). */
  private keyed = -1;
  /** Numeric keys not below `denseKeys` (none from the default roots: DOB keys and last fours are dense). */
  private readonly index = new Map<number, number>();
  /** Words and entries committed. */
  private size = 0;
  /**
   * Words after `size` opened since the last {@link RootTable.rewind} for entries that are not kept
   * (the root is not cached): the entries of the few records whose hashes wait in one kernel flush
   * must not overwrite each other.
   */
  private spare = 0;
  private count = 0;
  private lookups = 0;
  private hits = 0;
  private caching = true;
  /**
   * Counts the times the cache started over (full, or switched off): an entry start remembered
   * elsewhere is valid only while this is unchanged.
   */
  generation = 0;

  /** Entry start + 1 (0: none) of each numeric key below `denseKeys`: found without hashing. */
  private readonly dense: Int32Array;

  /**
   * @param bloomStride - bytes of Bloom filters per entry (0: none)
   * @param denseKeys - numeric keys below this are indexed by an array rather than a map
   * @param maxProbe - longest probe run of string keys before they move to a map (tests of that case)
   * @param cacheLimit - entries held before the cache starts over (default {@link CACHE_LIMIT}; smaller
   *   in tests of what is remembered across a restart)
   */
  constructor(
    readonly bloomStride: number,
    denseKeys = 0,
    maxProbe = MAX_PROBE,
    private readonly cacheLimit = CACHE_LIMIT,
  ) {
    this.bloomWords = Math.ceil(bloomStride / 4);
    this.dense = new Int32Array(denseKeys);
    this.strings = new EntryKeys(this, this.bloomWords, maxProbe);
  }

  /** The start of the cached entry of `key`, or −1. */
  find(key: RootKey): number {
    if (!this.caching) return -1;
    let s: number | undefined;
    if (typeof key === 'string') s = this.strings.get(key);
    else s = key < this.dense.length ? (this.dense[key] ?? 0) - 1 : this.index.get(key);
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
   * full), its ordinal set and its Bloom bytes zeroed; returns its start. A string `key` to be
   * committed must be given here: its code units go just before the filters.
   */
  open(n: number, key?: RootKey): number {
    if (this.count >= this.cacheLimit) this.reset();
    const from = this.size + this.spare;
    const len = typeof key === 'string' && this.caching ? key.length : -1;
    const keyWords = len < 0 ? 0 : 1 + ((len + 1) >>> 1);
    const b = from + keyWords;
    const s = b + this.bloomWords;
    if (s + n > this.words.length) {
      const grown = new Uint32Array(Math.max(2 * this.words.length, s + n));
      grown.set(this.words.subarray(0, from));
      this.words = grown;
      this.bytes = new Uint8Array(grown.buffer);
      this.bytes32 = grown;
    }
    const words = this.words;
    this.keyed = len >= 0 ? s : -1;
    if (len >= 0) {
      // [code units, two a word][length][filters][entry]: the length is found from the start.
      const k = key as string;
      for (let i = 0, w = from; i < len; i += 2, w++)
        words[w] = k.charCodeAt(i) | (i + 1 < len ? k.charCodeAt(i + 1) << 16 : 0);
      words[b - 1] = len;
    }
    // The filters' words: a few stores, below the cost of a `fill` call.
    for (let w = b; w < s; w++) words[w] = 0;
    words[s] = this.count;
    if (!this.caching) this.spare = s + n - this.size;
    return s;
  }

  /** Lets the next entries that are not kept reuse the words of the earlier ones (see `spare`). */
  rewind(): void {
    this.spare = 0;
  }

  /**
   * How many records can be encoded before this table could start over (at most two entries opened
   * and four lookups a record): entry starts found for that many stay valid together.
   */
  headroom(): number {
    const byCount = this.caching ? Math.floor((this.cacheLimit - this.count - 1) / 2) : Infinity;
    const byProbe = this.lookups >= CACHE_PROBE ? Infinity : Math.floor((CACHE_PROBE - this.lookups - 1) / 4);
    return Math.min(byCount, byProbe);
  }

  /** Keeps the entry opened at `s` (of `n` words) as `key`'s, if this root is cached at all. */
  commit(key: RootKey, s: number, n: number): void {
    if (!this.caching) return;
    if (typeof key === 'string') {
      if (s !== this.keyed) throw new TypeError('RootTable: a string key must be given to open()');
      this.strings.put(key, s, true); // committed again: the newer entry, as a map would
    } else if (key < this.dense.length) this.dense[key] = s + 1;
    else this.index.set(key, s);
    this.size = s + n;
    this.count++;
  }

  /** Whether entries are kept (false once the root proved not to repeat). */
  get cached(): boolean {
    return this.caching;
  }

  /** Counts a lookup that found an entry through another index (the encoder's raw-cell aliases). */
  noteHit(): void {
    this.lookups++;
    this.hits++;
  }

  /** Offset in `bytes` (and, divided by 4, in `bytes32`) of the Bloom filters of the entry at `s`. */
  bloomAt(s: number): number {
    return (s - this.bloomWords) << 2;
  }

  /** Forgets every entry and wipes the arrays (their hashes are key-derived; the keys are personal data). */
  wipe(): void {
    this.reset();
    this.words.fill(0);
  }

  private reset(): void {
    this.generation++;
    this.spare = 0;
    this.strings.clear();
    this.index.clear();
    this.dense.fill(0);
    this.size = 0;
    this.count = 0;
  }
}

/**
 * A root table's string keys: each entry opened with a key holds its UTF-16 code units (two a word)
 * and its length in the words just before its Bloom filters, and the value of a key is its entry's
 * start, so the key is read there (the table's `words`, replaced when it grows).
 */
class EntryKeys extends StringSlots {
  constructor(
    private readonly table: RootTable,
    private readonly bloomWords: number,
    maxProbe: number,
  ) {
    super(maxProbe);
  }

  /** Whether the entry at `s` was opened with string `key` (its stored length and code units). */
  protected keyIs(s: number, key: string): boolean {
    const words = this.table.words;
    const b = s - this.bloomWords;
    const len = key.length;
    if ((words[b - 1] ?? -1) !== len) return false;
    for (let i = 0, w = b - 1 - ((len + 1) >>> 1); i < len; i += 2, w++) {
      const x = words[w] ?? 0;
      if ((x & 0xffff) !== key.charCodeAt(i)) return false;
      if (i + 1 < len && x >>> 16 !== key.charCodeAt(i + 1)) return false;
    }
    return true;
  }

  /** The key the entry at `s` was opened with. */
  protected keyOf(s: number): string {
    const words = this.table.words;
    const b = s - this.bloomWords;
    const len = words[b - 1] ?? 0;
    let k = '';
    for (let i = 0, w = b - 1 - ((len + 1) >>> 1); i < len; i += 2, w++) {
      const x = words[w] ?? 0;
      k += String.fromCharCode(x & 0xffff);
      if (i + 1 < len) k += String.fromCharCode(x >>> 16);
    }
    return k;
  }
}
