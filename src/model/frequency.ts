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
  /** Count of each left value over both lists. */
  readonly counts = new Map<number, number>();
  /** Non-zero values over both lists. */
  total = 0;
  // One bit per value of the low 20 bits of a left value: most right values are not the left
  // list's and are passed over without a Map lookup.
  private readonly known = new Uint32Array(1 << 15);
  constructor(readonly left: Uint32Array) {
    for (const h of left) {
      if (h === 0) continue;
      this.counts.set(h, (this.counts.get(h) ?? 0) + 1);
      this.known[(h >>> 5) & 0x7fff] = (this.known[(h >>> 5) & 0x7fff] ?? 0) | (1 << (h & 31));
      this.total++;
    }
  }

  /** Counts a chunk of the right side's values. */
  add(right: Uint32Array): void {
    const counts = this.counts;
    const known = this.known;
    for (let x = 0; x < right.length; x++) {
      const h = right[x] ?? 0;
      if (h === 0) continue;
      this.total++;
      if (((known[(h >>> 5) & 0x7fff] ?? 0) & (1 << (h & 31))) === 0) continue;
      const c = counts.get(h);
      if (c !== undefined) counts.set(h, c + 1);
    }
  }
}
