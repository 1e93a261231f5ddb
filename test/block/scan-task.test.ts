import { describe, expect, it } from 'vitest';
import { type ScanInit, scanQueries } from '../../src/block/scan-task.js';
import { createDiceKernel, type DiceKernelKind, dice, pruned } from '../../src/kernel/dice.js';
import { DiceKernels, type FilterColumn } from '../../src/kernel/filters.js';
import { KernelMemory } from '../../src/kernel/memory.js';

function popcount(x: number): number {
  let c = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) c++;
  return c;
}

describe('scanQueries', () => {
  it('finds and counts exactly the pairs of the per-pair definition, pairing queries or not, every kind', () => {
    const words = 16;
    const per = 2 * words;
    const nQ = 37; // odd: the last query of a block scans alone
    const nR = 700;
    const mem = KernelMemory.create({ bytes: 1 << 21, shared: true });
    let s = 99;
    const next = (): number => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>> 0) / 2 ** 32;
    };
    const column = (n: number, make: (i: number, w: number) => number): FilterColumn => {
      const base = mem.alloc(n * 8 * words);
      const counts = mem.alloc(n * 2);
      const v = mem.u32(base, n * per);
      for (let i = 0; i < n; i++) for (let w = 0; w < per; w++) v[i * per + w] = make(i, w);
      createDiceKernel(mem, words, { kind: 'js' }).popcounts(base, 8 * words, n, counts);
      return { base, n, words, stride: 8 * words, counts };
    };
    const bits = (density: number): number => {
      let x = 0;
      for (let b = 0; b < 32; b++) if (next() < density) x |= 1 << b;
      return x;
    };
    // Random queries (the early exit pays, queries run in pairs) and a few sparse ones (it does not).
    const queries = column(nQ, (i) => (i % 5 === 4 ? bits(0.1) : bits(0.5)));
    const qv = mem.u32(queries.base, nQ * per).slice();
    // Records: near copies of queries (some reach 0.8), random and sparse filters.
    const records = column(nR, (i, w) => {
      if (i % 3 === 0) return qv[(i % nQ) * per + w]! ^ bits((i % 7) * 0.02);
      return i % 3 === 1 ? bits(0.5) : bits(0.1);
    });
    const rv = mem.u32(records.base, nR * per).slice();
    const qc = mem.u16(queries.counts, nQ).slice();
    const rc = mem.u16(records.counts, nR).slice();
    const threshold = 0.8;
    let want = 0;
    let compared = 0;
    for (let q = 0; q < nQ; q++)
      for (let r = 0; r < nR; r++) {
        if (pruned(qc[q]!, rc[r]!, threshold)) continue;
        compared++;
        let c = 0;
        for (let w = 0; w < per; w++) c += popcount(qv[q * per + w]! & rv[r * per + w]!);
        if (dice(c, qc[q]!, rc[r]!) >= threshold) want++;
      }
    expect(want).toBeGreaterThan(nQ);
    const capacity = 256; // tiles of 128 records, so that two queries' outputs fit in the scratch
    const scratch = {
      blockQueries: 8,
      cmin: mem.alloc(8 * (64 * words + 1) * 2),
      outIdx: mem.alloc(capacity * 4),
      outCnt: mem.alloc(capacity * 2),
      capacity,
    };
    for (const kind of ['wasm', 'wasm-simd', 'js'] as DiceKernelKind[]) {
      const init: ScanInit = { memory: mem.handle(), kind, queries, records, threshold, scratch };
      const kernels = new DiceKernels(mem, { kind });
      expect({ kind, ...scanQueries(kernels, init, 0, nQ) }).toEqual({ kind, compared, found: want });
      // Any split into ranges adds up to the same.
      const a = scanQueries(kernels, init, 0, 13);
      const b = scanQueries(kernels, init, 13, nQ);
      expect(a.found + b.found).toBe(want);
    }
  });
});
