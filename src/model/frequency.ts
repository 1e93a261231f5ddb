/**
 * Term-frequency tables counted chunk by chunk: a plan read in chunks (`matchStreaming`, streamed
 * training) counts the same table `frequencyTable` counts over the whole plan.
 */

/**
 * Frequencies over both lists of the left (CoC) side's values of one hash feature, the right side
 * added chunk by chunk: the same `{ counts, total }` as `frequencyTable(left, wholeRight)`.
 * @example
 * ```ts
 * const f = new FrequencyCount(coc.hashes.last!);
 * for (const chunk of chunks) f.add(chunk.hashes.last!);
 * presetFrequencyTable(coc.hashes.last!, chunk.hashes.last!, f);
 * ```
 */
export class FrequencyCount {
  /** Non-zero values over both lists. */
  total = 0;
  // One bit per value of the low 20 bits of a left value: most right values are not the left
  // list's and are passed over without a look-up.
  private readonly known = new Uint32Array(1 << 15);
  // The left values in an open-addressing table of typed arrays (0: empty slot), with their counts:
  // a plan's millions of values are counted without a Map look-up each (≈ 4× faster at 3·10⁶).
  private readonly slotValue: Uint32Array;
  private readonly slotCount: Uint32Array;
  private readonly shift: number;
  private map: Map<number, number> | undefined;

  constructor(readonly left: Uint32Array) {
    let bits = 4;
    while (2 ** bits < 2 * left.length) bits++; // 2 ** bits: no sign wrap at 2³¹
    this.slotValue = new Uint32Array(2 ** bits);
    this.slotCount = new Uint32Array(2 ** bits);
    this.shift = 32 - bits;
    for (let i = 0; i < left.length; i++) {
      const h = left[i] as number;
      if (h === 0) continue;
      const s = this.slot(h);
      this.slotValue[s] = h;
      this.slotCount[s] = (this.slotCount[s] as number) + 1;
      this.known[(h >>> 5) & 0x7fff] = (this.known[(h >>> 5) & 0x7fff] as number) | (1 << (h & 31));
      this.total++;
    }
  }

  /** The slot of value `h`: its own, or the empty one where it would go. */
  private slot(h: number): number {
    const mask = this.slotValue.length - 1;
    let s = Math.imul(h, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const v = this.slotValue[s] as number;
      if (v === h || v === 0) return s;
      s = (s + 1) & mask;
    }
  }

  /**
   * Count of each left value over both lists, keyed in the order the values first occur in the
   * left column (built when first read after counting).
   */
  get counts(): Map<number, number> {
    if (!this.map) {
      const map = new Map<number, number>();
      for (let i = 0; i < this.left.length; i++) {
        const h = this.left[i] as number;
        if (h !== 0 && !map.has(h)) map.set(h, this.slotCount[this.slot(h)] as number);
      }
      this.map = map;
    }
    return this.map;
  }

  /** Counts a chunk of the right side's values. */
  add(right: Uint32Array): void {
    this.map = undefined;
    this.total += countKnown(right, this.known, this.slotValue, this.slotCount, this.shift);
  }
}

/**
 * {@link FrequencyCount.add}'s loop: adds each non-zero value of `right` found in the open-addressing
 * table (`slotValue`, `slotCount`; `known`: the left values' low-bit filter) to its count and
 * returns the non-zero values seen. A function of typed arrays and numbers: optimised during its
 * loop it runs to the end, where inside the method the optimised code was dropped (deoptimised) at
 * the first store to the object after the loop, once per feature.
 */
function countKnown(
  right: Uint32Array,
  known: Uint32Array,
  slotValue: Uint32Array,
  slotCount: Uint32Array,
  shift: number,
): number {
  const mask = slotValue.length - 1;
  let total = 0;
  for (let x = 0; x < right.length; x++) {
    const h = right[x] as number;
    if (h === 0) continue;
    total++;
    if (((known[(h >>> 5) & 0x7fff] as number) & (1 << (h & 31))) === 0) continue;
    let s = Math.imul(h, 0x9e3779b1) >>> shift;
    for (;;) {
      const v = slotValue[s] as number;
      if (v === h) {
        slotCount[s] = (slotCount[s] as number) + 1;
        break;
      }
      if (v === 0) break;
      s = (s + 1) & mask;
    }
  }
  return total;
}
