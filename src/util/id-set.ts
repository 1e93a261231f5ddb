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
 * An open-addressing table from string keys to values (whole numbers ≥ 0) whose keys live where the
 * subclass keeps them: slot i is [hash, value] at 2i, 2i + 1 (hash 0: empty), at most half full, and
 * a probe compares the key only when the hash matches, through `keyIs(value, key)`. A lookup that
 * misses remembers where the key would go, so `put` of that key right after costs no second probe.
 * The hash is seeded per table, and a probe run longer than `maxProbe` moves the keys to a `Map` for
 * good (read back with `keyOf`): a file crafted to collide cannot make reading quadratic.
 * @example
 * ```ts
 * class Names extends StringSlots {
 *   readonly names: string[] = [];
 *   protected keyIs(value: number, key: string) { return this.names[value] === key; }
 *   protected keyOf(value: number) { return this.names[value] ?? ''; }
 * }
 * ```
 */
export abstract class StringSlots {
  #slots = new Int32Array(INITIAL_SLOTS * 2);
  #mask = INITIAL_SLOTS - 1;
  #count = 0;
  readonly #seed = (Math.random() * 0x100000000) | 0;
  /** The key of the last lookup that missed, its hash and the empty slot it ended on. */
  #lastKey: string | undefined;
  #lastHash = 0;
  #lastSlot = -1;
  /** The slot of the last lookup that hit. */
  #hitSlot = -1;
  /** Set once probing degenerated (see the class comment); the slots are no longer used. */
  #fallback: Map<string, number> | undefined;
  readonly #maxProbe: number;

  /** `maxProbe` (default {@link MAX_PROBE}) is for tests of the degenerate case. */
  constructor(maxProbe = MAX_PROBE) {
    this.#maxProbe = maxProbe;
  }

  /** Whether `key` is the key of the entry holding `value`. */
  protected abstract keyIs(value: number, key: string): boolean;

  /** The key of the entry holding `value` (for the move to a `Map`). */
  protected abstract keyOf(value: number): string;

  /** Number of keys. */
  get size(): number {
    return this.#fallback?.size ?? this.#count;
  }

  /** The value of `key`, or −1 (remembering where it would go, for {@link StringSlots.put}). */
  get(key: string): number {
    const fallback = this.#fallback;
    if (fallback !== undefined) return fallback.get(key) ?? -1;
    const h = seededKeyHash(key, this.#seed);
    const slots = this.#slots;
    const mask = this.#mask;
    let i = h & mask;
    for (let probes = 0; ; probes++) {
      const x = slots[2 * i] ?? 0;
      if (x === 0) break;
      if (x === h) {
        const v = slots[2 * i + 1] ?? 0;
        if (this.keyIs(v, key)) {
          this.#hitSlot = i;
          return v;
        }
      }
      i = (i + 1) & mask;
      if (probes >= this.#maxProbe) return this.#degenerate().get(key) ?? -1;
    }
    this.#lastKey = key;
    this.#lastHash = h;
    this.#lastSlot = i;
    return -1;
  }

  /**
   * Gives `key` the value `value` and returns −1; when `key` is there already, returns its value,
   * which `replace` replaces. Right after a {@link StringSlots.get} of `key` that missed, no probe.
   */
  put(key: string, value: number, replace: boolean): number {
    if (key !== this.#lastKey || this.#lastSlot < 0) {
      const at = this.get(key);
      if (at >= 0) {
        if (replace) {
          if (this.#fallback !== undefined) this.#fallback.set(key, value);
          else this.#slots[2 * this.#hitSlot + 1] = value;
        }
        return at;
      }
    }
    const fallback = this.#fallback;
    if (fallback !== undefined) {
      fallback.set(key, value);
      return -1;
    }
    const i = this.#lastSlot;
    this.#lastSlot = -1;
    this.#lastKey = undefined;
    this.#slots[2 * i] = this.#lastHash;
    this.#slots[2 * i + 1] = value;
    if (++this.#count * 2 > this.#mask + 1) this.#grow();
    return -1;
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

  /** Forgets every key (a fresh table of the first size; probing again, not the `Map`). */
  clear(): void {
    this.#slots = new Int32Array(INITIAL_SLOTS * 2);
    this.#mask = INITIAL_SLOTS - 1;
    this.#count = 0;
    this.#lastSlot = -1;
    this.#lastKey = undefined;
    this.#fallback = undefined;
  }

  /** Rehashes into a table of `size` slots (a power of two, larger than now; default twice). */
  #grow(size = (this.#mask + 1) * 2): void {
    this.#slots = rehashedSlots(this.#slots, size);
    this.#mask = size - 1;
    this.#lastSlot = -1;
  }

  /** Moves the keys to a `Map` of key → value for good (see the class comment) and returns it. */
  #degenerate(): Map<string, number> {
    const fallback = new Map<string, number>();
    const slots = this.#slots;
    for (let j = 0; j < slots.length; j += 2) {
      if (slots[j] === 0) continue;
      const v = slots[j + 1] ?? 0;
      fallback.set(this.keyOf(v), v);
    }
    this.#fallback = fallback;
    this.#slots = new Int32Array(2);
    this.#mask = 0;
    this.#lastSlot = -1;
    this.#lastKey = undefined;
    return fallback;
  }
}

/**
 * A string set with a two-step add: {@link IdSet.has} remembers where the key would go and
 * {@link IdSet.addChecked} puts it there, so checking then adding a row's ID costs one probe. The
 * keys live in an array, numbered in the order they were added ({@link StringSlots} with the keys'
 * numbers as values).
 *
 * @example
 * ```ts
 * const seen = new IdSet();
 * if (!seen.has('M1')) seen.addChecked('M1'); // later rows with M1: seen.has('M1') === true
 * ```
 */
export class IdSet extends StringSlots {
  readonly #keys: string[] = [];

  protected keyIs(value: number, key: string): boolean {
    return this.#keys[value] === key;
  }

  protected keyOf(value: number): string {
    return this.#keys[value] ?? '';
  }

  /** Whether `key` is in the set (see {@link IdSet.indexOf}). */
  has(key: string): boolean {
    return this.get(key) >= 0;
  }

  /**
   * The index of `key`: keys are numbered 0, 1, 2, … in the order they were added (so a caller can
   * keep per-key data in arrays); -1 when absent.
   */
  indexOf(key: string): number {
    return this.get(key);
  }

  /**
   * Adds `key`, which the caller knows is absent (a `has` or `indexOf` of it said so); returns its
   * index (see {@link IdSet.indexOf}; the one it had when it was there after all).
   */
  addChecked(key: string): number {
    const index = this.#keys.length;
    const was = this.put(key, index, false);
    if (was >= 0) return was;
    this.#keys.push(key);
    return index;
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
