/**
 * The set of IDs already used, for settling duplicates across pieces on the main thread: an
 * open-addressing table keyed by a hash each worker computes for its rows' IDs, so this thread
 * never hashes a string and compares two only when their hashes are equal. (A `Set` of millions of
 * strings freshly received from other threads cost about 2 µs an ID here, most of the main thread's
 * time.) Runtime-neutral.
 */

/**
 * The 32-bit FNV-1a hash of a string's UTF-16 code units, as workers send it with each ID.
 * @example
 * ```ts
 * idHash('M1') === idHash('M1'); // true
 * ```
 */
export function idHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A growing set of strings, each given with its {@link idHash}.
 * @example
 * ```ts
 * const seen = new IdTable();
 * seen.add('M1', idHash('M1')); // true: new
 * seen.add('M1', idHash('M1')); // false: already there
 * ```
 */
export class IdTable {
  private slots = new Int32Array(1 << 16).fill(-1);
  private hashes = new Uint32Array(1 << 16);
  private readonly ids: string[] = [];

  /** Number of IDs held. */
  get size(): number {
    return this.ids.length;
  }

  /** Whether `id` (with hash `h`) is held. */
  has(id: string, h: number): boolean {
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = this.slots[i]!;
      if (s < 0) return false;
      if (this.hashes[i] === h && this.ids[s] === id) return true;
    }
  }

  /** Adds `id` (with hash `h`); false when it was already held. */
  add(id: string, h: number): boolean {
    const mask = this.slots.length - 1;
    let i = h & mask;
    for (; ; i = (i + 1) & mask) {
      const s = this.slots[i]!;
      if (s < 0) break;
      if (this.hashes[i] === h && this.ids[s] === id) return false;
    }
    this.slots[i] = this.ids.length;
    this.hashes[i] = h;
    this.ids.push(id);
    if (2 * this.ids.length > this.slots.length) this.grow();
    return true;
  }

  private grow(): void {
    const oldSlots = this.slots;
    const oldHashes = this.hashes;
    this.slots = new Int32Array(2 * oldSlots.length).fill(-1);
    this.hashes = new Uint32Array(2 * oldSlots.length);
    const mask = this.slots.length - 1;
    for (let j = 0; j < oldSlots.length; j++) {
      const s = oldSlots[j]!;
      if (s < 0) continue;
      const h = oldHashes[j]!;
      let i = h & mask;
      while (this.slots[i]! >= 0) i = (i + 1) & mask;
      this.slots[i] = s;
      this.hashes[i] = h;
    }
  }
}
