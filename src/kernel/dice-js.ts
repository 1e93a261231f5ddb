/**
 * The pure-JS Dice kernel: the same three functions as the WebAssembly module (dice-module.ts), on
 * the same memory layout, with 32-bit popcounts. Used where WebAssembly is unavailable or refused
 * (e.g. a content security policy without `wasm-unsafe-eval`); gives identical results.
 */
import { scanExits } from './dice-module.js';
import type { DiceFunctions } from './dice-types.js';
import type { KernelMemory } from './memory.js';
import { popcount32 } from './popcount.js';

/**
 * The JS kernel over `memory` for filters of `words` 64-bit words.
 * @example
 * ```ts
 * const k = jsDiceFunctions(KernelMemory.create({ bytes: 1 << 16 }), 4);
 * k.popcounts(base, n, out);
 * ```
 */
export function jsDiceFunctions(memory: KernelMemory, words: number): DiceFunctions {
  const per = 2 * words;
  /** 32-bit words before the scan's early exit (none for short filters, as in WebAssembly). */
  const half = 2 * (scanExits(words, false)[0] ?? words);
  let buffer: ArrayBuffer | SharedArrayBuffer | undefined;
  let u32: Uint32Array = new Uint32Array(0);
  let u16: Uint16Array = new Uint16Array(0);
  const views = (): void => {
    if (memory.buffer === buffer) return;
    buffer = memory.buffer;
    u32 = new Uint32Array(buffer);
    u16 = new Uint16Array(buffer);
  };
  const andCount = (q: number, o: number): number => {
    let c = 0;
    for (let w = 0; w < per; w++) c += popcount32(u32[q + w]! & u32[o + w]!);
    return c;
  };
  /** The scan, with the WebAssembly kernel's early exit after `exit` 32-bit words (none: `per`). */
  const scan = (
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
    exit: number,
  ): number => {
    views();
    const q32 = q >>> 2;
    const b32 = base >>> 2;
    const c16 = counts >>> 1;
    const m16 = cmin >>> 1;
    const i32 = outIdx >>> 2;
    const n16 = outCnt >>> 1;
    // After the first `exit` words, the and-count can grow by at most the query's popcount in the rest.
    let rest = 0;
    for (let w = exit; w < per; w++) rest += popcount32(u32[q32 + w]!);
    let found = 0;
    for (let r = from; r < to; r++) {
      const rc = u16[c16 + r]!;
      if (rc < lo || rc > hi) continue;
      const need = u16[m16 + rc]!;
      const o = b32 + r * per;
      let c = 0;
      for (let w = 0; w < exit; w++) c += popcount32(u32[q32 + w]! & u32[o + w]!);
      if (c + rest < need) continue;
      for (let w = exit; w < per; w++) c += popcount32(u32[q32 + w]! & u32[o + w]!);
      if (c >= need) {
        u32[i32 + found] = r;
        u16[n16 + found] = c;
        found++;
      }
    }
    return found;
  };
  return {
    popcounts(base, stride, n, out) {
      views();
      const o0 = base >>> 2;
      const s32 = stride >>> 2;
      const out16 = out >>> 1;
      for (let r = 0; r < n; r++) {
        let c = 0;
        const o = o0 + r * s32;
        for (let w = 0; w < per; w++) c += popcount32(u32[o + w]!);
        u16[out16 + r] = c;
      }
    },
    andCounts(q, base, stride, idx, n, out) {
      views();
      const q32 = q >>> 2;
      const b32 = base >>> 2;
      const s32 = stride >>> 2;
      const idx32 = idx >>> 2;
      const out16 = out >>> 1;
      for (let x = 0; x < n; x++) u16[out16 + x] = andCount(q32, b32 + u32[idx32 + x]! * s32);
    },
    scan(q, base, counts, from, to, lo, hi, cmin, outIdx, outCnt) {
      return scan(q, base, counts, from, to, lo, hi, cmin, outIdx, outCnt, per);
    },
    scanExit(q, base, counts, from, to, lo, hi, cmin, outIdx, outCnt) {
      return scan(q, base, counts, from, to, lo, hi, cmin, outIdx, outCnt, half);
    },
    scanExit2(
      q1,
      q2,
      base,
      counts,
      from,
      to,
      lo1,
      hi1,
      lo2,
      hi2,
      cmin1,
      cmin2,
      outIdx1,
      outCnt1,
      outIdx2,
      outCnt2,
    ) {
      const f1 = scan(q1, base, counts, from, to, lo1, hi1, cmin1, outIdx1, outCnt1, half);
      const f2 = scan(q2, base, counts, from, to, lo2, hi2, cmin2, outIdx2, outCnt2, half);
      return f1 + f2 * 65536;
    },
  };
}
