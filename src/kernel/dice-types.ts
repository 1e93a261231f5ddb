/** The Dice kernel's functions, shared by the WebAssembly and the JS implementation. */

/**
 * Raw kernel calls; every pointer is a byte offset into the kernel memory, filters are `words`
 * 64-bit words each (16-byte aligned arrays), counts are u16. See dice-module.ts for the contract.
 */
export interface DiceFunctions {
  /** `out[r] = popcount(filter at base + r·stride)` for r < n (stride: bytes, a multiple of 8). */
  popcounts(base: number, stride: number, n: number, out: number): void;
  /** `out[x] = popcount(q AND filter at base + idx[x]·stride)` for the `n` u32 indices at `idx`. */
  andCounts(q: number, base: number, stride: number, idx: number, n: number, out: number): void;
  /**
   * Filters r in `[from, to)` with `lo ≤ counts[r] ≤ hi` whose and-count c with `q` is at least
   * `cmin[counts[r]]`: writes r (u32) to `outIdx` and c (u16) to `outCnt`; returns how many.
   */
  scan: Scan;
  /**
   * {@link DiceFunctions.scan} with an early exit: after the first half of the words (filters of 4
   * words or more), a pair whose and-count so far plus the query's popcount in the rest cannot
   * reach `cmin` is skipped. Exact: the same pairs and counts.
   */
  scanExit: Scan;
  /** Two queries at once, with the early exit (see {@link ScanExit2}). */
  scanExit2: ScanExit2;
}

/** The signature of {@link DiceFunctions.scan} and {@link DiceFunctions.scanExit}. */
export type Scan = (
  q: number,
  base: number,
  counts: number,
  from: number,
  to: number,
  lo: number,
  hi: number,
  cmin: number,
  outIdx: number,
  outCnt: number,
) => number;

/**
 * Two queries against the same records in one pass (register blocking: each record is loaded,
 * counted and pruned once for both), each with its own window, threshold table and outputs, with
 * {@link DiceFunctions.scanExit}'s early exit. Returns `found1 + found2 · 65536`, so `to − from`
 * must stay below 65,536.
 */
export type ScanExit2 = (
  q1: number,
  q2: number,
  base: number,
  counts: number,
  from: number,
  to: number,
  lo1: number,
  hi1: number,
  lo2: number,
  hi2: number,
  cmin1: number,
  cmin2: number,
  outIdx1: number,
  outCnt1: number,
  outIdx2: number,
  outCnt2: number,
) => number;

/** Which implementation runs: WebAssembly with SIMD, WebAssembly with 64-bit popcnt, or JS. */
export type DiceKernelKind = 'wasm-simd' | 'wasm' | 'js';
