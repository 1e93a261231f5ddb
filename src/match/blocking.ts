/**
 * Blocking: candidate pairs from the union of the keyed blocking-key passes. The plan's keys are
 * sorted once per pass (radix sort); each CoC record looks its keys up and collects the union of
 * the plan records found, each pair once, with a bit mask of the passes that found it. Blocks larger
 * than the cap are skipped for that pass and reported, never silently dropped.
 */
import type { BlockColumn, EncodedBatch } from '../encode/batch.js';

/** A sorted blocking index of one pass over the right (plan) batch. */
export interface PassIndex {
  readonly name: string;
  readonly keys: Uint32Array;
  readonly records: Uint32Array;
}

/** Statistics of one blocking pass. */
export interface PassStats {
  readonly name: string;
  /** Pairs this pass generated (before removing pairs an earlier pass found). */
  pairs: number;
  /** Pairs first found by this pass. */
  newPairs: number;
  /** Unique pairs after this pass and all earlier ones. */
  cumulativePairs: number;
  /** Blocks skipped because they exceeded the cap, and the pairs they would have produced. */
  cappedBlocks: number;
  cappedPairs: number;
  /** The largest block seen (plan records per key). */
  largestBlock: number;
}

/** Options of candidate generation. */
export interface BlockingOptions {
  /** Plan records per key above which a block is skipped for that pass (default 2,000). */
  readonly maxBlockSize?: number;
}

/** Sorts (key, record) pairs by key with a 4-pass LSD radix sort. */
function radixSortPairs(keys: Uint32Array, recs: Uint32Array): void {
  const n = keys.length;
  let k1: Uint32Array = keys;
  let r1: Uint32Array = recs;
  let k2: Uint32Array = new Uint32Array(n);
  let r2: Uint32Array = new Uint32Array(n);
  const count = new Uint32Array(256);
  for (let shift = 0; shift < 32; shift += 8) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(k1[i]! >>> shift) & 255]!++;
    let sum = 0;
    for (let b = 0; b < 256; b++) {
      const c = count[b]!;
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const b = (k1[i]! >>> shift) & 255;
      const pos = count[b]!++;
      k2[pos] = k1[i]!;
      r2[pos] = r1[i]!;
    }
    [k1, k2] = [k2, k1];
    [r1, r2] = [r2, r1];
  }
  // After 4 passes the sorted data is back in the original arrays.
}

/**
 * Builds the sorted index of one pass.
 * @example
 * ```ts
 * const idx = buildPassIndex('dob', mcpBatch.blocks.dob!);
 * ```
 */
export function buildPassIndex(name: string, col: BlockColumn): PassIndex {
  const n = col.keys.length;
  const keys = col.keys.slice();
  const records = new Uint32Array(n);
  const rows = col.offsets.length - 1;
  for (let r = 0; r < rows; r++) for (let p = col.offsets[r]!; p < col.offsets[r + 1]!; p++) records[p] = r;
  radixSortPairs(keys, records);
  return { name, keys, records };
}

/** First position in sorted `keys` with value ≥ k. */
export function lowerBound(keys: Uint32Array, k: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Candidates of one left record: plan record indices and, per candidate, the passes that found it. */
export interface Candidates {
  readonly left: number;
  readonly count: number;
  readonly right: Uint32Array;
  readonly passMask: Uint32Array;
}

/**
 * Generates candidate pairs for left records, pass by pass, deduplicated.
 * @example
 * ```ts
 * const gen = new CandidateGenerator(coc, mcp);
 * for (let i = 0; i < coc.length; i++) {
 *   const c = gen.candidates(i);
 *   // c.right.subarray(0, c.count) are the plan records to compare with CoC record i
 * }
 * ```
 */
export class CandidateGenerator {
  readonly passes: readonly PassIndex[];
  readonly stats: PassStats[];
  private readonly leftCols: BlockColumn[];
  private readonly stamp: Int32Array;
  private readonly slot: Int32Array;
  private right = new Uint32Array(1024);
  private mask = new Uint32Array(1024);
  private readonly maxBlock: number;
  private generation = 0;
  private readonly scratch: PassStats = {
    name: '',
    pairs: 0,
    newPairs: 0,
    cumulativePairs: 0,
    cappedBlocks: 0,
    cappedPairs: 0,
    largestBlock: 0,
  };

  constructor(left: EncodedBatch, right: EncodedBatch, opts: BlockingOptions = {}) {
    const names = Object.keys(left.blocks).filter((n) => n in right.blocks);
    if (names.length > 31) throw new RangeError('at most 31 blocking passes are supported');
    this.passes = names.map((n) => buildPassIndex(n, right.blocks[n]!));
    this.leftCols = names.map((n) => left.blocks[n]!);
    this.stats = names.map((name) => ({
      name,
      pairs: 0,
      newPairs: 0,
      cumulativePairs: 0,
      cappedBlocks: 0,
      cappedPairs: 0,
      largestBlock: 0,
    }));
    this.stamp = new Int32Array(right.length).fill(-1);
    this.slot = new Int32Array(right.length);
    this.maxBlock = opts.maxBlockSize ?? 2000;
  }

  /**
   * Candidates of left record `i`; the arrays are reused by the next call. Updates the stats unless
   * `stats` is false (for a second traversal of the same records).
   */
  candidates(i: number, stats = true): Candidates {
    let count = 0;
    const gen = this.generation++;
    for (let p = 0; p < this.passes.length; p++) {
      const idx = this.passes[p]!;
      const col = this.leftCols[p]!;
      const st = stats ? this.stats[p]! : this.scratch;
      const bit = 1 << p;
      for (let q = col.offsets[i]!; q < col.offsets[i + 1]!; q++) {
        const key = col.keys[q]!;
        const start = lowerBound(idx.keys, key);
        let end = start;
        while (end < idx.keys.length && idx.keys[end] === key) end++;
        const size = end - start;
        if (size > st.largestBlock) st.largestBlock = size;
        if (size > this.maxBlock) {
          st.cappedBlocks++;
          st.cappedPairs += size;
          continue;
        }
        st.pairs += size;
        for (let x = start; x < end; x++) {
          const j = idx.records[x]!;
          if (this.stamp[j] === gen) {
            this.mask[this.slot[j]!]! |= bit;
            continue;
          }
          this.stamp[j] = gen;
          if (count === this.right.length) this.grow();
          this.slot[j] = count;
          this.right[count] = j;
          this.mask[count] = bit;
          count++;
          st.newPairs++;
        }
      }
    }
    return { left: i, count, right: this.right, passMask: this.mask };
  }

  /** Fills in cumulative pair counts (call after all left records were processed). */
  finishStats(): PassStats[] {
    let cum = 0;
    for (const s of this.stats) {
      cum += s.newPairs;
      s.cumulativePairs = cum;
    }
    return this.stats;
  }

  private grow(): void {
    const r = new Uint32Array(this.right.length * 2);
    r.set(this.right);
    const m = new Uint32Array(this.mask.length * 2);
    m.set(this.mask);
    this.right = r;
    this.mask = m;
  }
}
