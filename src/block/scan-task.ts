/**
 * The worker side of an all-pairs Dice scan (anonlink-style: every pair of two filter columns whose
 * Dice similarity reaches a threshold), over columns in a shared kernel memory: each worker scans a
 * range of queries against every record with the Dice kernel and its own scratch. Runtime-neutral.
 */
import { type DiceKernelKind, minAndCounts, popcountWindow } from '../kernel/dice.js';
import { DiceKernels, type FilterColumn } from '../kernel/filters.js';
import { KernelMemory, type KernelMemoryHandle } from '../kernel/memory.js';
import type { WorkerRole } from '../parallel/protocol.js';

/** Scratch of one scanning thread in the kernel memory. */
export interface ScanScratch {
  /** Queries per block: `blockQueries` threshold tables of `bits + 1` u16 at `cmin`. */
  readonly blockQueries: number;
  readonly cmin: number;
  readonly outIdx: number;
  readonly outCnt: number;
  /** Records per kernel call (the outputs' length). */
  readonly capacity: number;
}

/** What a scan worker is started with. */
export interface ScanInit {
  readonly memory: KernelMemoryHandle;
  readonly kind: DiceKernelKind | 'auto';
  readonly queries: FilterColumn;
  readonly records: FilterColumn;
  readonly threshold: number;
  readonly scratch: ScanScratch;
}

/** A range of queries; the result counts comparisons made and pairs found. */
export interface ScanRange {
  readonly from: number;
  readonly to: number;
}

/** What a range produced. */
export interface ScanResult {
  /** Pairs whose popcounts passed pruning and were compared. */
  readonly compared: number;
  /** Pairs at or above the threshold. */
  readonly found: number;
}

interface State {
  readonly init: ScanInit;
  readonly kernels: DiceKernels;
  readonly memory: KernelMemory;
}

/** Records per tile: a tile of 1024-bit filters (256 KiB) stays in the L2 cache across a block of queries. */
const TILE_BYTES = 256 * 1024;

/**
 * Scans queries `from..to−1` against all records on this thread, cache-blocked: for each tile of
 * records, every query of the block is run against it while it is in cache (streaming every record
 * once per query would be bound by memory bandwidth, not by the kernel).
 * @example
 * ```ts
 * const { found } = scanQueries(kernels, init, 0, 100);
 * ```
 */
export function scanQueries(kernels: DiceKernels, d: ScanInit, from: number, to: number): ScanResult {
  const mem = kernels.memory;
  const kernel = kernels.get(d.queries.words);
  const bits = 64 * d.queries.words;
  const qc = mem.u16(d.queries.counts, d.queries.n);
  const rc = mem.u16(d.records.counts, d.records.n);
  const block = d.scratch.blockQueries;
  const tile = Math.max(64, Math.min(d.scratch.capacity, Math.floor(TILE_BYTES / d.records.stride)));
  const lo = new Int32Array(block);
  const hi = new Int32Array(block);
  // atMost[c + 1] = records with popcount ≤ c: the pairs a window compares, without a pass over
  // the records per query (that pass took about a fifth of the scan's time).
  const atMost = new Float64Array(bits + 2);
  for (let r = 0; r < d.records.n; r++) {
    const b = (rc[r] ?? 0) + 1;
    atMost[b] = (atMost[b] ?? 0) + 1;
  }
  for (let c = 1; c < bits + 2; c++) atMost[c] = (atMost[c] ?? 0) + (atMost[c - 1] ?? 0);
  let compared = 0;
  let found = 0;
  for (let q0 = from; q0 < to; q0 += block) {
    const q1 = Math.min(to, q0 + block);
    for (let q = q0; q < q1; q++) {
      const a = qc[q] ?? 0;
      const [l, h] = popcountWindow(a, d.threshold, bits);
      lo[q - q0] = l;
      hi[q - q0] = h;
      if (l <= h) {
        minAndCounts(a, d.threshold, l, h, mem.u16(d.scratch.cmin + (q - q0) * 2 * (bits + 1), bits + 1));
        compared += (atMost[h + 1] ?? 0) - (atMost[l] ?? 0);
      }
    }
    for (let r0 = 0; r0 < d.records.n; r0 += tile) {
      const r1 = Math.min(d.records.n, r0 + tile);
      for (let q = q0; q < q1; q++) {
        const l = lo[q - q0] ?? 0;
        const h = hi[q - q0] ?? 0;
        if (l > h) continue;
        found += kernel.scan(
          d.queries.base + d.queries.stride * q,
          d.records.base,
          d.records.counts,
          r0,
          r1,
          l,
          h,
          d.scratch.cmin + (q - q0) * 2 * (bits + 1),
          d.scratch.outIdx,
          d.scratch.outCnt,
        );
      }
    }
  }
  return { compared, found };
}

/**
 * The scan worker role.
 * @example
 * ```ts
 * const state = scanRole.init(init);
 * scanRole.run(state, { from: 0, to: 64 }).result.found;
 * ```
 */
export const scanRole: WorkerRole<ScanInit, ScanRange, ScanResult, State> = {
  init(init) {
    const memory = KernelMemory.attach(init.memory);
    return { init, memory, kernels: new DiceKernels(memory, { kind: init.kind }) };
  },
  run(s, range) {
    return { result: scanQueries(s.kernels, s.init, range.from, range.to) };
  },
};
