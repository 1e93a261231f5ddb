/**
 * The set of identifiers a reader has accepted, to reject later duplicates. It sees every row of
 * files with millions of rows, and a `Set<string>` of that size costs several cache misses per
 * lookup (bucket, chain entry, the stored key's characters). This open-addressing table keeps a
 * 32-bit hash next to each key's index in one typed array, so a lookup of a new identifier — nearly
 * every lookup — touches one slot and never the stored strings.
 *
 * The hash is seeded per table, and a probe run longer than any honest input produces hands the keys
 * to a `Set` for good: a file crafted to collide cannot make reading quadratic.
 */
import { FNV_BASIS, fmix32, fnv1a } from './fnv1a.js';

/**
 * Longest probe run tolerated before the keys move to a `Map`: at load ≤ 1/2 a run this long has odds
 * near 1e-21 with a random hash (shared with `RootTable`'s string slots).
 * @example
 * ```ts
 * if (probes >= MAX_PROBE) useTheMap();
 * ```
 */
export const MAX_PROBE = 256;
/**
 * Slots of a new table (a power of two).
 * @example
 * ```ts
 * const slots = new Int32Array(2 * INITIAL_SLOTS);
 * ```
 */
export const INITIAL_SLOTS = 1024;

/**
 * The slot hash of a string key under a table's seed: FNV-1a over the UTF-16 code units, finished
 * with MurmurHash3's mixer; never 0 (0 marks an empty slot).
 * @example
 * ```ts
 * const h = seededKeyHash('ANN', seed); // slot h & mask, then probe
 * ```
 */
export function seededKeyHash(key: string, seed: number): number {
  return fmix32(fnv1a(key, seed ^ FNV_BASIS)) | 1;
}

/**
 * A string set with a two-step add: {@link IdSet.has} remembers where the key would go and
 * {@link IdSet.addChecked} puts it there, so checking then adding a row's ID costs one probe.
 *
 * @example
 * ```ts
 * const seen = new IdSet();
 * if (!seen.has('M1')) seen.addChecked('M1'); // later rows with M1: seen.has('M1') === true
 * ```
 */
export class IdSet {
  // Slot i is [hash, index into keys] at 2i, 2i+1; hash 0 marks an empty slot.
  #slots = new Int32Array(INITIAL_SLOTS * 2);
  #mask = INITIAL_SLOTS - 1;
  #keys: string[] = [];
  readonly #seed = (Math.random() * 0x100000000) | 0;
  #lastKey: string | undefined;
  #lastHash = 0;
  #lastSlot = -1;
  /** Set once probing degenerated (see the module comment); the table is no longer used. */
  #fallback: Map<string, number> | undefined;
  readonly #maxProbe: number;

  /** `maxProbe` (default 256) is for tests of the degenerate case. */
  constructor(maxProbe = MAX_PROBE) {
    this.#maxProbe = maxProbe;
  }

  /** Number of keys. */
  get size(): number {
    return this.#fallback?.size ?? this.#keys.length;
  }

  /** Whether `key` is in the set (see {@link IdSet.indexOf}). */
  has(key: string): boolean {
    return this.indexOf(key) >= 0;
  }

  /**
   * The index of `key`: keys are numbered 0, 1, 2, … in the order they were added (so a caller can
   * keep per-key data in arrays); -1 when absent.
   */
  indexOf(key: string): number {
    if (this.#fallback !== undefined) return this.#fallback.get(key) ?? -1;
    const h = this.#hash(key);
    const slots = this.#slots;
    const mask = this.#mask;
    let i = h & mask;
    for (let probes = 0; ; probes++) {
      const x = slots[2 * i] ?? 0;
      if (x === 0) break;
      const index = slots[2 * i + 1] ?? 0;
      if (x === h && this.#keys[index] === key) return index;
      i = (i + 1) & mask;
      if (probes >= this.#maxProbe) return this.#degenerate().get(key) ?? -1;
    }
    this.#lastKey = key;
    this.#lastHash = h;
    this.#lastSlot = i;
    return -1;
  }

  /**
   * Adds `key`, which the caller knows is absent (a `has` or `indexOf` of it said so); returns its
   * index (see {@link IdSet.indexOf}).
   */
  addChecked(key: string): number {
    // Not the key of the last `has` (or the table changed since): find its slot again.
    if (key !== this.#lastKey || this.#lastSlot < 0) {
      const at = this.indexOf(key);
      if (at >= 0) return at;
    }
    const fallback = this.#fallback;
    if (fallback !== undefined) {
      const at = fallback.get(key);
      if (at !== undefined) return at;
      fallback.set(key, fallback.size);
      return fallback.size - 1;
    }
    const i = this.#lastSlot;
    this.#lastSlot = -1;
    this.#lastKey = undefined;
    const index = this.#keys.length;
    this.#slots[2 * i] = this.#lastHash;
    this.#slots[2 * i + 1] = index;
    this.#keys.push(key);
    if (this.#keys.length * 2 > this.#mask + 1) this.#grow();
    return index;
  }

  /**
   * Makes room for `n` keys in all (the table at most half full), so adding up to that many grows
   * it no more: a reader that knows a batch's size rehashes once instead of at every doubling.
   */
  reserve(n: number): void {
    if (this.#fallback !== undefined) return;
    let size = this.#mask + 1;
    while (n * 2 > size) size *= 2;
    if (size > this.#mask + 1) this.#grow(size);
  }

  /** {@link seededKeyHash} under this table's seed. */
  #hash(key: string): number {
    return seededKeyHash(key, this.#seed);
  }

  /** Rehashes into a table of `size` slots (a power of two, larger than now; default twice). */
  #grow(size = (this.#mask + 1) * 2): void {
    this.#slots = rehashedSlots(this.#slots, size);
    this.#mask = size - 1;
    this.#lastSlot = -1;
  }

  /** Switches to a Map of key → index (see #maxProbe) and returns it. */
  #degenerate(): Map<string, number> {
    const fallback = new Map(this.#keys.map((k, i) => [k, i]));
    this.#fallback = fallback;
    this.#keys = [];
    this.#slots = new Int32Array(2);
    this.#lastSlot = -1;
    this.#lastKey = undefined;
    return fallback;
  }
}

/**
 * An open-addressing table of [hash, value] slot pairs (hash 0: empty, linear probing from
 * `hash & (size − 1)`) rehashed into `size` slots, a power of two larger than its count: the hashes
 * are kept, so no key is read again.
 * @example
 * ```ts
 * const slots = new Int32Array(2 * 4); // 4 slots
 * slots.set([5, 42], 2 * (5 & 3));
 * const bigger = rehashedSlots(slots, 8); // slot 5 & 7 = 5 holds [5, 42]
 * ```
 */
export function rehashedSlots(old: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const slots = new Int32Array(size * 2);
  const mask = size - 1;
  for (let j = 0; j < old.length; j += 2) {
    const h = old[j] ?? 0;
    if (h === 0) continue;
    let i = h & mask;
    while (slots[2 * i] !== 0) i = (i + 1) & mask;
    slots[2 * i] = h;
    slots[2 * i + 1] = old[j + 1] ?? 0;
  }
  return slots;
}
