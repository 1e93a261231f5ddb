/**
 * Blocking: candidate pairs from the union of the keyed blocking-key passes. The plan's keys are
 * sorted once per pass (radix sort); each CoC record looks its keys up and collects the union of
 * the plan records found, each pair once (the first pass that finds it counts it as new). Blocks larger
 * than the cap are skipped for that pass and reported, never silently dropped.
 */
import type { BlockColumn, EncodedBatch } from '../encoded/batch.js';
import { BloomlinkError } from '../errors.js';
import { minAndCounts, popcountWindow } from '../kernel/dice.js';
import type { DiceKernels, FilterColumn } from '../kernel/filters.js';

/** A sorted blocking index of one pass over the right (plan) batch. */
export interface PassIndex {
  readonly name: string;
  readonly keys: Uint32Array;
  readonly records: Uint32Array;
  /**
   * `buckets[h]` is the first position whose key's top 16 bits are ≥ h (65,537 entries), so a
   * lookup searches one bucket instead of the whole sorted array.
   */
  readonly buckets?: Uint32Array;
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

/**
 * The statistics of a pass before it has run: every count zero.
 *
 * @example
 * ```ts
 * const st = noPassStats('soundex-dob');
 * st.pairs += 12;
 * ```
 */
export function noPassStats(name: string): PassStats {
  return {
    name,
    pairs: 0,
    newPairs: 0,
    cumulativePairs: 0,
    cappedBlocks: 0,
    cappedPairs: 0,
    largestBlock: 0,
  };
}

/** Options of candidate generation. */
export interface BlockingOptions {
  /** Plan records per key above which a block is skipped for that pass (default 2,000). */
  readonly maxBlockSize?: number;
  /** Prebuilt pass indexes of the right batch (e.g. shared with worker threads). */
  readonly passes?: readonly PassIndex[];
}

/**
 * Sorts `keys[lo, hi)` (with `records` alongside) stably by the low 24 bits, all keys sharing their
 * top 8: three LSD radix passes of 8 bits through `scratch` (grown as needed and returned), on a
 * slice small enough (≈ 12,000 pairs at 3·10⁶ keys) to stay in the processor's cache.
 */
function sortLow24(
  keys: Uint32Array,
  records: Uint32Array,
  lo: number,
  hi: number,
  scratch: Uint32Array,
  count: Uint32Array,
): Uint32Array {
  const m = hi - lo;
  let s = scratch;
  // 16 bytes per key of the largest top-8 slice: keyed hashes keep a slice near n / 256, but keys all
  // in one slice (not keyed hashes) would take 16 bytes per pair here against 8 before.
  if (s.length < 4 * m) s = new Uint32Array(Math.max(4 * m, s.length * 2));
  // Three histograms in one reading.
  count.fill(0);
  for (let i = lo; i < hi; i++) {
    const k = keys[i]!;
    count[k & 255]!++;
    count[256 + ((k >>> 8) & 255)]!++;
    count[512 + ((k >>> 16) & 255)]!++;
  }
  // Slices: A = keys/records[lo, hi), B = s[0, m) / s[m, 2m), C = s[2m, 3m) / s[3m, 4m).
  let srcK: Uint32Array = keys.subarray(lo, hi);
  let srcR: Uint32Array = records.subarray(lo, hi);
  const bK = s.subarray(0, m);
  const bR = s.subarray(m, 2 * m);
  const cK = s.subarray(2 * m, 3 * m);
  const cR = s.subarray(3 * m, 4 * m);
  let dstK = bK;
  let dstR = bR;
  for (let pass = 0; pass < 3; pass++) {
    const base = pass * 256;
    const shift = pass * 8;
    if (count[base + ((srcK[0]! >>> shift) & 255)] === m) continue; // one digit: order unchanged
    let sum = 0;
    for (let b = base; b < base + 256; b++) {
      const c = count[b]!;
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < m; i++) {
      const k = srcK[i]!;
      const at = count[base + ((k >>> shift) & 255)]!++;
      dstK[at] = k;
      dstR[at] = srcR[i]!;
    }
    srcK = dstK;
    srcR = dstR;
    dstK = srcK === bK ? cK : bK;
    dstR = srcR === bR ? cR : bR;
  }
  if (srcK.buffer === s.buffer) {
    keys.set(srcK, lo);
    records.set(srcR, lo);
  }
  return s;
}

/**
 * Builds the sorted index of one pass: (key, plan record) pairs in key order, equal keys in record
 * order. One reading of the keys counts their top 16 bits (the bucket directory), one stable scatter
 * by the top 8 bits puts every pair in one of 256 slices (records in order), and each slice, small
 * enough to stay in cache, is sorted by its low 24 bits: two passes over memory instead of a 4-pass
 * radix sort's eight, and no temporary arrays the size of the pass.
 * @example
 * ```ts
 * const idx = buildPassIndex('dob', mcpBatch.blocks.dob!);
 * ```
 */
export function buildPassIndex(
  name: string,
  col: BlockColumn,
  alloc: (n: number) => Uint32Array = (n) => new Uint32Array(n),
): PassIndex {
  const n = col.keys.length;
  const keys = alloc(n);
  const records = alloc(n);
  const buckets = alloc(65537);
  sortPass(col.keys, col.offsets, keys, records, buckets);
  return { name, keys, records, buckets };
}

/**
 * {@link buildPassIndex} written over the column's own memory, which then holds the index, not the
 * list (the caller's `col` is consumed): the sorted keys in `col.keys` and the records in the first
 * `col.keys.length` words of `col.offsets` — or, for a pass with more keys than offset words
 * (records of several keys), the records in `col.keys` and only the keys in a fresh array. A copy
 * of the list, one pass at a time, is read meanwhile. So an index takes at most half its memory
 * beside the plan's block lists. A list not in shared memory (the index goes to worker threads)
 * gets a fresh index, as {@link buildPassIndex}.
 * @example
 * ```ts
 * const idx = buildPassIndexOver('dob', mcpBatch.blocks.dob!, sharedU32);
 * ```
 */
export function buildPassIndexOver(
  name: string,
  col: BlockColumn,
  alloc: (n: number) => Uint32Array = (n) => new Uint32Array(n),
): PassIndex {
  const n = col.keys.length;
  if (!(col.keys.buffer instanceof SharedArrayBuffer) || !(col.offsets.buffer instanceof SharedArrayBuffer))
    return buildPassIndex(name, col, alloc);
  const src = col.keys.slice();
  const fits = n <= col.offsets.length;
  const off = fits ? col.offsets.slice() : col.offsets;
  const keys = fits ? col.keys : alloc(n);
  const records = fits ? col.offsets.subarray(0, n) : col.keys;
  const buckets = alloc(65537);
  sortPass(src, off, keys, records, buckets);
  return { name, keys, records, buckets };
}

/**
 * The pass index's arrays from the column `src` (keys) / `off` (offsets): one reading of the keys
 * counts their top 16 bits (the bucket directory), one stable scatter by the top 8 bits puts every
 * pair in one of 256 slices (records in order), and each slice is sorted by its low 24 bits.
 */
function sortPass(
  src: Uint32Array,
  off: Uint32Array,
  keys: Uint32Array,
  records: Uint32Array,
  buckets: Uint32Array,
): void {
  // Each loop is a function of its own: code optimised during one loop (on-stack replacement)
  // was dropped on reaching the next, which had not run yet (once or twice a pass, every pass);
  // a small function is optimised whole and stays so for the next pass.
  const cursor = new Uint32Array(256);
  const count = new Uint32Array(768);
  countTop16(src, buckets);
  prefixSums(buckets, 65536);
  for (let b = 0; b < 256; b++) cursor[b] = buckets[b << 8]!;
  scatterByTop8(src, off, cursor, keys, records);
  sortTop8Buckets(keys, records, buckets, count);
}

/** `buckets[h + 1]` = how many of `src` have top 16 bits h (`buckets` zeroed first). */
function countTop16(src: Uint32Array, buckets: Uint32Array): void {
  buckets.fill(0);
  const n = src.length;
  for (let p = 0; p < n; p++) buckets[(src[p]! >>> 16) + 1]!++;
}

/** Running sums of `a[0..n]` in place. */
function prefixSums(a: Uint32Array, n: number): void {
  for (let h = 0; h < n; h++) a[h + 1]! += a[h]!;
}

/** Each row's keys (`src[off[r] .. off[r + 1])`) and row number to its top byte's next place. */
function scatterByTop8(
  src: Uint32Array,
  off: Uint32Array,
  cursor: Uint32Array,
  keys: Uint32Array,
  records: Uint32Array,
): void {
  const rows = off.length - 1;
  for (let r = 0; r < rows; r++) {
    const end = off[r + 1]!;
    for (let p = off[r]!; p < end; p++) {
      const k = src[p]!;
      const at = cursor[k >>> 24]!++;
      keys[at] = k;
      records[at] = r;
    }
  }
}

/** Sorts each top-byte bucket of more than one entry by its low 24 bits (`sortLow24`). */
function sortTop8Buckets(
  keys: Uint32Array,
  records: Uint32Array,
  buckets: Uint32Array,
  count: Uint32Array,
): void {
  let scratch: Uint32Array = new Uint32Array(1024);
  for (let b = 0; b < 256; b++) {
    const lo = buckets[b << 8]!;
    const hi = buckets[(b + 1) << 8]!;
    if (hi - lo > 1) scratch = sortLow24(keys, records, lo, hi, scratch, count);
  }
}

/**
 * Whether plan record `record` holds `key` in the pass index: the key's records are in ascending
 * order, so two binary searches.
 * @example
 * ```ts
 * const idx = buildPassIndex('dob', mcpBatch.blocks.dob!);
 * indexHolds(idx, 0x1234abcd, 17); // true when record 17 has that DOB key
 * ```
 */
export function indexHolds(idx: PassIndex, key: number, record: number): boolean {
  const keys = idx.keys;
  const b = idx.buckets;
  const lo = b ? b[key >>> 16]! : 0;
  const hi = b ? b[(key >>> 16) + 1]! : keys.length;
  const start = lowerBound(keys, key, lo, hi);
  const end = lowerBound(keys, key + 1, start, hi);
  const at = lowerBound(idx.records, record, start, end);
  return at < end && idx.records[at] === record;
}

/** First position of `key` in a pass index (or where it would be). */
function find(idx: PassIndex, key: number): number {
  const b = idx.buckets;
  return b ? lowerBound(idx.keys, key, b[key >>> 16]!, b[(key >>> 16) + 1]!) : lowerBound(idx.keys, key);
}

/** Plan records holding `key` in a pass index: two binary searches, not a walk over the block. */
function blockSize(idx: PassIndex, key: number): number {
  const keys = idx.keys;
  const b = idx.buckets;
  const lo = b ? b[key >>> 16]! : 0;
  const hi = b ? b[(key >>> 16) + 1]! : keys.length;
  const start = lowerBound(keys, key, lo, hi);
  // key + 1 is a number, not a u32: 2³² for the top key, above every key.
  return lowerBound(keys, key + 1, start, hi) - start;
}

/**
 * The 2¹⁶-bucket directory of sorted `keys[from, to)`: `dir[h]` is the first position (from `from`)
 * whose key's top 16 bits are ≥ h (65,537 entries), so a lookup binary-searches one bucket
 * (`lowerBound(keys, k, dir[k >>> 16], dir[(k >>> 16) + 1])`) instead of the whole range.
 * @example
 * ```ts
 * const keys = Uint32Array.of(5, 70_000, 70_001);
 * const dir = keyDirectory(keys);
 * lowerBound(keys, 70_001, dir[1]!, dir[2]!); // 2
 * ```
 */
export function keyDirectory(keys: Uint32Array, from = 0, to = keys.length): Uint32Array {
  const dir = new Uint32Array(65537);
  let pos = from;
  for (let h = 0; h <= 65536; h++) {
    while (pos < to && keys[pos]! >>> 16 < h) pos++;
    dir[h] = pos;
  }
  return dir;
}

/** First position in sorted `keys[lo, hi)` (default: all of `keys`) with value ≥ k. */
export function lowerBound(keys: Uint32Array, k: number, lo = 0, hi = keys.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Candidates of one left record: plan record indices `right[0..count)`. */
export interface Candidates {
  readonly left: number;
  readonly count: number;
  readonly right: Uint32Array;
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
/**
 * Blocks larger than this (records on the plan side sharing one key) are skipped for that pass and
 * reported (`cappedBlocks`), unless `maxBlockSize` says otherwise; the streamed match uses the same.
 * @example
 * ```ts
 * import { DEFAULT_MAX_BLOCK_SIZE } from './blocking.js';
 * DEFAULT_MAX_BLOCK_SIZE; // 2000
 * ```
 */
export const DEFAULT_MAX_BLOCK_SIZE = 2000;

export class CandidateGenerator {
  readonly passes: readonly PassIndex[];
  readonly stats: PassStats[];
  private readonly leftCols: BlockColumn[];
  /**
   * One bit per plan record: found already for the current left record. A bit set (an eighth of
   * a byte per plan record) stays in the processor's cache where a table of 32-bit stamps would not;
   * the bits set are cleared before `candidates` returns.
   */
  private readonly seen: Uint32Array;
  private right = new Uint32Array(1024);
  private readonly maxBlock: number;
  private readonly scratch = noPassStats('');

  constructor(left: EncodedBatch, right: EncodedBatch, opts: BlockingOptions = {}) {
    const names = opts.passes
      ? opts.passes.map((p) => p.name).filter((n) => n in left.blocks)
      : Object.keys(left.blocks).filter((n) => n in right.blocks);
    if (names.length > 31) throw new RangeError('at most 31 blocking passes are supported');
    this.passes = opts.passes
      ? opts.passes.filter((p) => p.name in left.blocks)
      : names.map((n) => buildPassIndex(n, right.blocks[n]!));
    if (this.passes.length !== names.length || this.passes.some((p, k) => p.name !== names[k]))
      throw new RangeError('prebuilt pass indexes do not match the batches’ blocking passes');
    this.leftCols = names.map((n) => left.blocks[n]!);
    this.stats = names.map((name) => noPassStats(name));
    this.seen = new Uint32Array(Math.ceil(right.length / 32));
    this.maxBlock = opts.maxBlockSize ?? DEFAULT_MAX_BLOCK_SIZE;
  }

  /**
   * Candidates of left record `i`; the arrays are reused by the next call. Updates the stats unless
   * `stats` is false (for a second traversal of the same records).
   */
  candidates(i: number, stats = true): Candidates {
    let count = 0;
    const seen = this.seen;
    for (let p = 0; p < this.passes.length; p++) {
      const idx = this.passes[p]!;
      const col = this.leftCols[p]!;
      const st = stats ? this.stats[p]! : this.scratch;
      for (let q = col.offsets[i]!; q < col.offsets[i + 1]!; q++) {
        const key = col.keys[q]!;
        const start = find(idx, key);
        // A block past the cap (to skip) holds the key at start + cap: its size by binary search,
        // without walking its first cap + 1 keys; a block within the cap is walked to its end.
        const keys = idx.keys;
        const probe = start + this.maxBlock;
        let end = start;
        if (probe < keys.length && keys[probe] === key) end = start + blockSize(idx, key);
        else {
          const lim = Math.min(keys.length, probe);
          while (end < lim && keys[end] === key) end++;
        }
        const size = end - start;
        if (size > st.largestBlock) st.largestBlock = size;
        if (size > this.maxBlock) {
          st.cappedBlocks++;
          st.cappedPairs += size;
          continue;
        }
        st.pairs += size;
        if (count + size > this.right.length) this.grow(count + size);
        const right = this.right;
        const before = count;
        for (let x = start; x < end; x++) {
          const j = idx.records[x]!;
          const bit = 1 << (j & 31);
          const w = seen[j >>> 5]!;
          if ((w & bit) !== 0) continue;
          seen[j >>> 5] = w | bit;
          right[count++] = j;
        }
        st.newPairs += count - before;
      }
    }
    for (let x = 0; x < count; x++) seen[this.right[x]! >>> 5] = 0;
    return { left: i, count, right: this.right };
  }

  /**
   * The work of scoring, known before it starts, for progress: `out[i]` is the pairs the blocks of
   * left records 0 … i−1 hold (each pass's uncapped block sizes, before removing pairs two passes
   * share), so `out[to] − out[from]` measures records `from … to−1` and `out[leftCount]` all of them.
   * Records differ a lot in candidates; counting records would make a bar stall and jump.
   * @example
   * ```ts
   * const work = gen.pairPrefix(coc.length);
   * console.log(`${work[coc.length]} block pairs to score`);
   * ```
   */
  pairPrefix(leftCount: number): Float64Array {
    const out = new Float64Array(leftCount + 1);
    for (let i = 0; i < leftCount; i++) {
      let pairs = 0;
      for (let p = 0; p < this.passes.length; p++) {
        const idx = this.passes[p]!;
        const col = this.leftCols[p]!;
        for (let q = col.offsets[i]!; q < col.offsets[i + 1]!; q++) {
          const key = col.keys[q]!;
          const size = blockSize(idx, key);
          if (size <= this.maxBlock) pairs += size;
        }
      }
      out[i + 1] = out[i]! + pairs;
    }
    return out;
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

  private grow(atLeast: number): void {
    const r = new Uint32Array(Math.max(atLeast, this.right.length * 2));
    r.set(this.right);
    this.right = r;
  }
}

// ---------------------------------------------------------------------------------------------
// Exhaustive candidate generation (no blocking), as anonlink does it: every plan record whose Dice
// similarity with the CoC record, over the concatenation of the name Bloom filters, reaches a
// threshold. The plan's filters are sorted by popcount, so popcount-difference pruning skips to the
// one contiguous range that can reach the threshold; the Dice kernel scans that range.
// ---------------------------------------------------------------------------------------------

/** Options of exhaustive candidate generation. */
export interface ExhaustiveOptions {
  /** Dice threshold over the concatenated filters (default 0.7). */
  readonly threshold?: number;
  /** Bloom features concatenated per record (default: firstBloom and lastBloom). */
  readonly features?: readonly string[];
}

/**
 * Default Dice threshold of exhaustive generation (`match --no-blocking`).
 * @example
 * ```ts
 * layoutExhaustive(coc, mcp, kernels, 1, { threshold: EXHAUSTIVE_THRESHOLD });
 * ```
 */
export const EXHAUSTIVE_THRESHOLD = 0.7;
const DEFAULT_EXHAUSTIVE_FEATURES = ['firstBloom', 'lastBloom'];
/** Plan records per kernel scan call (and per output scratch). */
const SCAN_CAPACITY = 16_384;

/** Where exhaustive generation's data sits in a kernel memory (plain data: postable to workers). */
export interface ExhaustiveLayout {
  readonly threshold: number;
  /** Bits per concatenated filter (after padding to whole 64-bit words). */
  readonly bits: number;
  readonly left: FilterColumn;
  /** The plan's filters sorted by popcount (`counts` sorted too). */
  readonly right: FilterColumn;
  /** Byte offset of `n` u32: sorted position → plan record. */
  readonly order: number;
  /** Byte offset of `bits + 2` u32: first sorted position with popcount ≥ c. */
  readonly firstWithCount: number;
  /** Per thread: the threshold table and the scan output. */
  readonly scratch: readonly { readonly cmin: number; readonly outIdx: number; readonly outCnt: number }[];
}

function concatenated(
  batch: EncodedBatch,
  features: readonly string[],
): { parts: Uint8Array[]; bytes: number } {
  const parts = features.map((f) => {
    const b = batch.blooms[f];
    if (!b) throw new RangeError(`exhaustive generation: the file has no Bloom feature ${f}`);
    return b;
  });
  const bytes = parts.reduce((a, p) => a + (batch.length === 0 ? 0 : p.length / batch.length), 0);
  return { parts, bytes };
}

/**
 * Bytes of kernel memory {@link layoutExhaustive} needs.
 * @example
 * ```ts
 * const memory = KernelMemory.create({ bytes: exhaustiveBytes(coc, mcp, 2), shared: true });
 * ```
 */
export function exhaustiveBytes(
  left: EncodedBatch,
  right: EncodedBatch,
  threads: number,
  features: readonly string[] = DEFAULT_EXHAUSTIVE_FEATURES,
): number {
  const per = Math.ceil(Math.max(concatenated(left, features).bytes, 1) / 8) * 8;
  const bits = per * 8;
  const col = (n: number) => n * per + n * 2 + 64;
  return (
    col(left.length) +
    col(right.length) +
    right.length * 4 +
    (bits + 2) * 4 +
    threads * ((bits + 1) * 2 + SCAN_CAPACITY * 6 + 64) +
    4096
  );
}

const BYTE_BITS = Uint8Array.from({ length: 256 }, (_, b) => {
  let c = 0;
  for (let v = b; v; v &= v - 1) c++;
  return c;
});

/**
 * Lays out both lists' concatenated filters (the plan's sorted by popcount) and `threads` scratch
 * areas in `kernels`' memory.
 * @example
 * ```ts
 * const layout = layoutExhaustive(coc, mcp, kernels, 1, { threshold: 0.8 });
 * const gen = new ExhaustiveGenerator(kernels, layout, 0);
 * ```
 */
export function layoutExhaustive(
  left: EncodedBatch,
  right: EncodedBatch,
  kernels: DiceKernels,
  threads: number,
  opts: ExhaustiveOptions = {},
): ExhaustiveLayout {
  const features = opts.features ?? DEFAULT_EXHAUSTIVE_FEATURES;
  const threshold = opts.threshold ?? EXHAUSTIVE_THRESHOLD;
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError('threshold must be between 0 and 1');
  const L = concatenated(left, features);
  const R = concatenated(right, features);
  if (left.length > 0 && right.length > 0 && L.bytes !== R.bytes)
    throw new BloomlinkError('SCHEMA_MISMATCH', 'Bloom filter sizes differ between the two files');
  const bytesPer = Math.max(L.bytes, R.bytes, 1);
  const words = Math.ceil(bytesPer / 8);
  const bits = 64 * words;
  const mem = kernels.memory;
  const place = (batch: EncodedBatch, parts: Uint8Array[], order?: Uint32Array): FilterColumn => {
    const n = batch.length;
    const base = mem.alloc(n * 8 * words);
    const counts = mem.alloc(n * 2);
    const dst = mem.u8(base, n * 8 * words);
    for (let s = 0; s < n; s++) {
      const r = order ? order[s]! : s;
      let at = s * 8 * words;
      for (const p of parts) {
        const w = p.length / n;
        dst.set(p.subarray(r * w, (r + 1) * w), at);
        at += w;
      }
    }
    kernels.get(words).popcounts(base, 8 * words, n, counts);
    return { base, n, words, stride: 8 * words, counts };
  };
  const leftCol = place(left, L.parts);
  // Counting sort of the plan's records by popcount (stable: equal counts keep record order).
  const n = right.length;
  const pc = new Uint16Array(n);
  for (let r = 0; r < n; r++) {
    let c = 0;
    for (const p of R.parts) {
      const w = p.length / n;
      for (let b = r * w; b < (r + 1) * w; b++) c += BYTE_BITS[p[b]!]!;
    }
    pc[r] = c;
  }
  const first = new Uint32Array(bits + 2);
  for (let r = 0; r < n; r++) first[pc[r]! + 1]!++;
  for (let c = 1; c < bits + 2; c++) first[c]! += first[c - 1]!;
  const orderAt = mem.alloc(n * 4);
  const firstAt = mem.alloc((bits + 2) * 4);
  const next = first.slice();
  const order = mem.u32(orderAt, n);
  for (let r = 0; r < n; r++) order[next[pc[r]!]!++] = r;
  mem.u32(firstAt, bits + 2).set(first);
  const rightCol = place(right, R.parts, mem.u32(orderAt, n).slice());
  const scratch = Array.from({ length: threads }, () => ({
    cmin: mem.alloc((bits + 1) * 2),
    outIdx: mem.alloc(SCAN_CAPACITY * 4),
    outCnt: mem.alloc(SCAN_CAPACITY * 2),
  }));
  return {
    threshold,
    bits,
    left: leftCol,
    right: rightCol,
    order: orderAt,
    firstWithCount: firstAt,
    scratch,
  };
}

/**
 * Candidates of each left record by exhaustive Dice comparison above the layout's threshold, in
 * plan-record order. Same `candidates(i)` contract as {@link CandidateGenerator}, with one
 * pseudo-pass in `stats`.
 * @example
 * ```ts
 * const gen = new ExhaustiveGenerator(kernels, layoutExhaustive(coc, mcp, kernels, 1), 0);
 * const c = gen.candidates(0); // c.right.subarray(0, c.count)
 * ```
 */
export class ExhaustiveGenerator {
  readonly stats: PassStats[];
  private right = new Uint32Array(1024);

  constructor(
    private readonly kernels: DiceKernels,
    private readonly layout: ExhaustiveLayout,
    private readonly thread: number,
  ) {
    this.stats = [noPassStats(`exhaustive (Dice ≥ ${layout.threshold})`)];
  }

  /** Candidates of left record `i`; the array is reused by the next call. */
  candidates(i: number, stats = true): Candidates {
    const { layout } = this;
    const mem = this.kernels.memory;
    const kernel = this.kernels.get(layout.left.words);
    const s = layout.scratch[this.thread]!;
    const a = mem.u16(layout.left.counts, layout.left.n)[i]!;
    const [lo, hi] = popcountWindow(a, layout.threshold, layout.bits);
    let count = 0;
    if (lo <= hi) {
      minAndCounts(a, layout.threshold, lo, hi, mem.u16(s.cmin, layout.bits + 1));
      const first = mem.u32(layout.firstWithCount, layout.bits + 2);
      const order = mem.u32(layout.order, layout.right.n);
      const q = layout.left.base + layout.left.stride * i;
      for (let from = first[lo]!, end = first[hi + 1]!; from < end; from += SCAN_CAPACITY) {
        const to = Math.min(end, from + SCAN_CAPACITY);
        const found = kernel.scan(
          q,
          layout.right.base,
          layout.right.counts,
          from,
          to,
          lo,
          hi,
          s.cmin,
          s.outIdx,
          s.outCnt,
        );
        if (count + found > this.right.length) {
          const grown = new Uint32Array(Math.max(this.right.length * 2, count + found));
          grown.set(this.right.subarray(0, count));
          this.right = grown;
        }
        const idx = mem.u32(s.outIdx, found);
        for (let k = 0; k < found; k++) this.right[count++] = order[idx[k]!]!;
      }
      this.right.subarray(0, count).sort();
    }
    if (stats) {
      const st = this.stats[0]!;
      st.pairs += count;
      st.newPairs += count;
      if (count > st.largestBlock) st.largestBlock = count;
    }
    return { left: i, count, right: this.right };
  }

  /** Fills in the cumulative pair count (call after all left records were processed). */
  finishStats(): PassStats[] {
    const st = this.stats[0]!;
    st.cumulativePairs = st.newPairs;
    return this.stats;
  }
}
