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

  const lo = new Int32Array(block);
  const hi = new Int32Array(block);
  const pays = new Uint8Array(block);
  // Two queries per pass share the outputs, half each (and the packed result needs < 65,536).
  const half = Math.min(Math.floor(d.scratch.capacity / 2), 65_535);
  const tile = Math.max(64, Math.min(half, Math.floor(TILE_BYTES / d.records.stride)));
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
    pays.fill(0);
    for (let q = q0; q < q1; q++) {
      const a = qc[q] ?? 0;
      const [l, h] = popcountWindow(a, d.threshold, bits);
      lo[q - q0] = l;
      hi[q - q0] = h;
      if (l <= h) {
        const cmin = d.scratch.cmin + (q - q0) * 2 * (bits + 1);
        minAndCounts(a, d.threshold, l, h, mem.u16(cmin, bits + 1));
        compared += (atMost[h + 1] ?? 0) - (atMost[l] ?? 0);
        pays[q - q0] = kernel.exitPays(d.queries.base + d.queries.stride * q, l, h, cmin) ? 1 : 0;
      }
    }
    for (let r0 = 0; r0 < d.records.n; r0 += tile) {
      const r1 = Math.min(d.records.n, r0 + tile);
      for (let q = q0; q < q1; ) {
        const i = q - q0;
        const l = lo[i] ?? 0;
        const h = hi[i] ?? 0;
        const cmin = d.scratch.cmin + i * 2 * (bits + 1);
        const at = d.queries.base + d.queries.stride * q;
        if (l > h) {
          q++;
          continue;
        }
        // Register blocking: two queries that both take the early exit share one pass over the tile.
        if (q + 1 < q1 && pays[i] && pays[i + 1] && r1 - r0 <= half) {
          const x = kernel.scanExit2(
            at,
            at + d.queries.stride,
            d.records.base,
            d.records.counts,
            r0,
            r1,
            l,
            h,
            lo[i + 1] ?? 0,
            hi[i + 1] ?? 0,
            cmin,
            cmin + 2 * (bits + 1),
            d.scratch.outIdx,
            d.scratch.outCnt,
            d.scratch.outIdx + 4 * half,
            d.scratch.outCnt + 2 * half,
          );
          found += (x & 0xffff) + (x >>> 16);
          q += 2;
          continue;
        }
        found += kernel.scan(
          at,
          d.records.base,
          d.records.counts,
          r0,
          r1,
          l,
          h,
          cmin,
          d.scratch.outIdx,
          d.scratch.outCnt,
        );
        q++;
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
