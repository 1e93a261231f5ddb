/**
 * A bounded cache of whole feature values → the filter bits they set (the unfolded filter's 32-bit
 * words), so a repeated value (a common name, a date, a sex code) costs one look-up and an OR of its
 * words instead of formatting, tokenising and one token-cache look-up per token. The bits a value
 * sets do not depend on the rest of the record (OR is order-free), so a hit gives exactly the bits
 * of the uncached path.
 *
 * The table is typed arrays only (open addressing on a hash of the value's UTF-16 units, the units
 * and the pattern of each entry in flat arrays): no string is kept (a cached substring would keep
 * its row's text alive), none is hashed by the engine, and nothing here is garbage to collect.
 * Two generations, as {@link TokenCache}: look-ups hit the young table, then the old one (the entry
 * is copied to the young one); when the young table is full it becomes the old one. A feature
 * whose values hardly repeat (unique names) gains nothing: when fewer than a quarter of a window's
 * look-ups hit, the cache is skipped for the next {@link SKIP_WINDOWS} windows, then tried again.
 */

/**
 * Longest value cached, in UTF-16 units (longer values are rare and take the token path).
 * @example
 * ```ts
 * const cacheable = value.length <= VALUE_CACHE_MAX_UNITS;
 * ```
 */
export const VALUE_CACHE_MAX_UNITS = 24;
/** Look-ups per window of the hit-rate check. */
const WINDOW = 1024;
/** Windows skipped after a window with fewer than a quarter of its look-ups hitting. */
const SKIP_WINDOWS = 16;
/** Look-ups skipped after such a window. */
const SKIP_LOOKUPS = SKIP_WINDOWS * WINDOW;
/**
 * Entries a generation starts with room for (it grows by doubling up to the capacity). Small, so
 * the growth path first runs within a few records, while the look-ups still run unoptimised: run
 * first after V8 has compiled them, it had no type feedback and threw the compiled encoder away
 * (a deoptimisation and a second compile of `fill`, in every thread's isolate).
 */
const FIRST_ROOM = 8;
/**
 * Look-ups before the first hit-rate check, which skips nothing (it only starts the counting): as
 * with {@link FIRST_ROOM}, the check's code then first runs before V8 compiles the look-ups.
 */
const FIRST_WINDOW = 8;

/**
 * Uint16 units of one entry's key: its length, then its units (at most {@link VALUE_CACHE_MAX_UNITS}),
 * padded to a multiple of 64 bytes, so comparing a key reads at most two cache lines (one when the
 * array happens to be 64-byte aligned, which V8 does not promise). Derived from the limit, so raising
 * it can never let one entry's units run into the next entry's length.
 */
const KEY_STRIDE = (VALUE_CACHE_MAX_UNITS + 1 + 31) & ~31;

/**
 * One generation: an open-addressing table over entries with their keys and patterns. A look-up
 * touches few cache lines (the tables of two threads' encoders compete for the same caches): a slot
 * holds the entry and its hash (a probe past another value reads nothing else), an entry's length
 * and units share one line, and its pattern follows in its own array.
 */
class Generation {
  /** Slot s: [2s] = entry + 1 (0: empty), [2s + 1] = the entry's hash; {@link tableSize} slots. */
  table: Int32Array;
  /** Entry e's length at [e·KEY_STRIDE], its units after it. */
  keys: Uint16Array;
  /** Entry e's pattern at [e·words, (e + 1)·words). */
  patterns: Int32Array;
  size = 0;
  room: number;

  constructor(
    room: number,
    private readonly words: number,
  ) {
    this.room = room;
    this.table = new Int32Array(2 * tableSize(room));
    this.keys = new Uint16Array(room * KEY_STRIDE);
    this.patterns = new Int32Array(room * words);
  }

  /** The entry holding `value` (hash `h`), or −1. */
  find(value: string, h: number): number {
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    const len = value.length;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = (table[2 * s] as number) - 1;
      if (e < 0) return -1;
      if (table[2 * s + 1] !== h) continue;
      const keys = this.keys;
      let u = e * KEY_STRIDE;
      if (keys[u] !== len) continue;
      u++;
      let i = 0;
      while (i < len && keys[u] === value.charCodeAt(i)) {
        i++;
        u++;
      }
      if (i === len) return e;
    }
  }

  /** Adds `value` (hash `h`, not present; the generation not full) and returns its entry. */
  add(value: string, h: number): number {
    if (this.size === this.room) this.grow();
    const e = this.size++;
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    let s = h & mask;
    while (table[2 * s] !== 0) s = (s + 1) & mask;
    table[2 * s] = e + 1;
    table[2 * s + 1] = h;
    const keys = this.keys;
    const u = e * KEY_STRIDE;
    keys[u] = value.length;
    for (let i = 0; i < value.length; i++) keys[u + 1 + i] = value.charCodeAt(i);
    return e;
  }

  /** Doubles the room (the table is rebuilt from the slots' entries and hashes). */
  private grow(): void {
    const room = 2 * this.room;
    const keys = new Uint16Array(room * KEY_STRIDE);
    keys.set(this.keys);
    const patterns = new Int32Array(room * this.words);
    patterns.set(this.patterns);
    const old = this.table;
    const table = new Int32Array(2 * tableSize(room));
    const mask = (table.length >> 1) - 1;
    for (let t = 0; t < old.length; t += 2) {
      const entry = old[t] as number;
      if (entry === 0) continue;
      const h = old[t + 1] as number;
      let s = h & mask;
      while (table[2 * s] !== 0) s = (s + 1) & mask;
      table[2 * s] = entry;
      table[2 * s + 1] = h;
    }
    this.wipe();
    this.table = table;
    this.keys = keys;
    this.patterns = patterns;
    this.room = room;
  }

  /** Empties the generation (its room kept). */
  reset(): void {
    this.table.fill(0);
    this.size = 0;
  }

  /** Zeroes every array (the keys are clear text, the patterns key-derived). */
  wipe(): void {
    this.table.fill(0);
    this.keys.fill(0);
    this.patterns.fill(0);
  }
}

/**
 * Value → pattern cache of one feature (see the module comment).
 * @example
 * ```ts
 * const cache = new ValueCache(16384, 32);
 * let at = cache.find(value);
 * if (at < 0 && cache.wants(value)) at = cache.store(value, patternOf(value));
 * // at ≥ 0: the value's words are cache.pool[at … at + 31]
 * ```
 */
export class ValueCache {
  private young: Generation;
  private old: Generation;
  private lookups = WINDOW - FIRST_WINDOW;
  /** Hits in the current window; the first, short window counts as all hits (no skip). */
  private hits = WINDOW;
  /** Look-ups left to skip (the cache is bypassed while positive). */
  private skip = 0;
  /** The last {@link find} looked the value up and did not find it (so it may be stored). */
  private missed = false;
  /** The young generation's patterns after the last {@link find} or {@link store}. */
  pool: Int32Array;
  /** Scratch for a pattern copied between generations. */
  private readonly pattern: Int32Array;

  /**
   * @param capacity - entries per generation (at least 1).
   * @param words - 32-bit words of one pattern.
   * @example
   * ```ts
   * const cache = new ValueCache(16384, 32); // 1024-bit filters
   * const at = cache.find('GARCIA'); // -1: not cached (or the cache is skipped)
   * ```
   */
  constructor(
    private readonly capacity: number,
    private readonly words: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    const room = Math.min(capacity, FIRST_ROOM);
    this.young = new Generation(room, words);
    this.old = new Generation(room, words);
    this.pool = this.young.patterns;
    this.pattern = new Int32Array(words);
  }

  /**
   * Where `value`'s pattern starts in {@link pool} (a word offset), or −1 when it is not cached or
   * the cache is being skipped (then {@link wants} says whether to {@link store} it).
   */
  find(value: string): number {
    this.missed = false;
    // Written without a branch of its own (here and at the window's end): code first run after V8
    // has compiled the look-ups, when a feature's values stop repeating, has no type feedback and
    // throws the compiled encoder away.
    const skip = this.skip;
    this.skip = Math.max(skip - 1, 0);
    if (skip > 0) return -1;
    if (++this.lookups === WINDOW) {
      this.skip = this.hits * 4 < WINDOW ? SKIP_LOOKUPS : 0;
      this.lookups = 0;
      this.hits = 0;
    }
    const len = value.length;
    if (len > VALUE_CACHE_MAX_UNITS) return -1;
    const h = hashUnits(value);
    const young = this.young;
    const y = young.find(value, h);
    if (y >= 0) {
      this.hits++;
      this.pool = young.patterns;
      return y * this.words;
    }
    const old = this.old;
    const o = old.find(value, h);
    if (o < 0) {
      this.missed = this.skip === 0;
      return -1;
    }
    this.hits++;
    // Copied into the young generation before a turn-over could reuse the old one's arrays.
    const w = this.words;
    const from = old.patterns;
    const at = o * w;
    const pattern = this.pattern;
    for (let i = 0; i < w; i++) pattern[i] = from[at + i] as number;
    return this.put(value, h, pattern);
  }

  /**
   * Whether `value`, which {@link find} just missed, should be {@link store}d: only when that find
   * looked it up (not while the cache is skipped, nor for a long value), so no value is stored twice.
   */
  wants(value: string): boolean {
    return this.missed && value.length <= VALUE_CACHE_MAX_UNITS;
  }

  /**
   * Stores `value`'s pattern (`pattern`'s first `words` words; the value not cached, at most
   * {@link VALUE_CACHE_MAX_UNITS} units) and returns its offset in {@link pool}.
   */
  store(value: string, pattern: Int32Array): number {
    return this.put(value, hashUnits(value), pattern);
  }

  private put(value: string, h: number, pattern: Int32Array): number {
    if (this.young.size >= this.capacity) {
      const old = this.old;
      this.old = this.young;
      old.reset();
      this.young = old;
    }
    const young = this.young;
    const e = young.add(value, h);
    const w = this.words;
    const to = young.patterns;
    const at = e * w;
    for (let i = 0; i < w; i++) to[at + i] = pattern[i] as number;
    this.pool = to;
    return at;
  }

  /** Drops every entry and wipes the units and patterns. */
  clear(): void {
    this.young.wipe();
    this.old.wipe();
    this.young.size = 0;
    this.old.size = 0;
    this.pattern.fill(0);
  }
}

/** Slots of a table for `room` entries: a power of two, at least twice the room (probing masks). */
function tableSize(room: number): number {
  let n = 2;
  while (n < 2 * room) n *= 2;
  return n;
}

/** FNV-1a over the value's UTF-16 units, then MurmurHash3's finaliser (FNV's low bits cluster). */
function hashUnits(value: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
