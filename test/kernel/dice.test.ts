import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createDiceKernel,
  type DiceKernelKind,
  dice,
  diceKernelAvailable,
  earlyExitPays,
  minAndCounts,
  NEVER,
  popcountWindow,
  pruned,
} from '../../src/kernel/dice.js';
import { diceModuleBytes } from '../../src/kernel/dice-module.js';
import type { DiceFunctions } from '../../src/kernel/dice-types.js';
import { KernelMemory } from '../../src/kernel/memory.js';

function popcount(x: number): number {
  let c = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) c++;
  return c;
}

/** Random filters with a given bit density (xorshift, seeded). */
function fill(words: Uint32Array, seed: number, density: number): void {
  let s = seed | 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
  for (let i = 0; i < words.length; i++) {
    let w = 0;
    for (let b = 0; b < 32; b++) if (next() / 2 ** 32 < density) w |= 1 << b;
    words[i] = w;
  }
}

const KINDS: DiceKernelKind[] = ['wasm', 'wasm-simd', 'js'];

interface Setup {
  mem: KernelMemory;
  words: number;
  nQ: number;
  nR: number;
  q: number;
  r: number;
  qc: number;
  rc: number;
  idx: number;
  out: number;
  cmin: number;
  outIdx: number;
  outCnt: number;
  ref: { q: Uint32Array; r: Uint32Array };
}

function setup(words: number, nQ: number, nR: number, seed: number, wasm = true): Setup {
  const B = 8 * words;
  const mem = KernelMemory.create({ bytes: (nQ + nR) * (B + 16) + 64 * 1024, wasm });
  const q = mem.alloc(nQ * B);
  const r = mem.alloc(nR * B);
  const qc = mem.alloc(nQ * 2);
  const rc = mem.alloc(nR * 2);
  const idx = mem.alloc(nR * 4);
  const out = mem.alloc(nR * 2);
  const cmin = mem.alloc((64 * words + 1) * 2);
  const outIdx = mem.alloc(nR * 4);
  const outCnt = mem.alloc(nR * 2);
  // Mixed densities, so that popcount pruning has something to prune.
  for (let i = 0; i < nQ; i++) fill(mem.u32(q + i * B, 2 * words), seed + i, 0.05 + (i % 7) * 0.1);
  for (let i = 0; i < nR; i++) fill(mem.u32(r + i * B, 2 * words), seed * 31 + i, 0.05 + (i % 5) * 0.15);
  const ref = { q: mem.u32(q, nQ * 2 * words).slice(), r: mem.u32(r, nR * 2 * words).slice() };
  return { mem, words, nQ, nR, q, r, qc, rc, idx, out, cmin, outIdx, outCnt, ref };
}

function refAnd(s: Setup, qi: number, ri: number): number {
  const per = 2 * s.words;
  let c = 0;
  for (let w = 0; w < per; w++) c += popcount(s.ref.q[qi * per + w]! & s.ref.r[ri * per + w]!);
  return c;
}

function refCount(a: Uint32Array, i: number, per: number): number {
  let c = 0;
  for (let w = 0; w < per; w++) c += popcount(a[i * per + w]!);
  return c;
}

describe('Dice kernel', () => {
  it('WebAssembly (scalar and SIMD) is available on Node', () => {
    expect(diceKernelAvailable('wasm')).toBe(true);
    expect(diceKernelAvailable('wasm-simd')).toBe(true);
    expect(diceKernelAvailable('js')).toBe(true);
  });

  for (const words of [1, 2, 3, 4, 8, 16, 17, 40]) {
    it(`gives the reference popcounts, and-counts and scan results with ${64 * words}-bit filters, all kinds`, () => {
      const s = setup(words, 12, 300, words * 7);
      const per = 2 * words;
      const results: string[] = [];
      for (const kind of KINDS) {
        if (kind === 'wasm-simd' && words % 2 !== 0) {
          expect(() => createDiceKernel(s.mem, words, { kind })).toThrow(RangeError);
          continue;
        }
        const k = createDiceKernel(s.mem, words, { kind });
        expect(k.kind).toBe(kind);
        k.popcounts(s.q, 8 * words, s.nQ, s.qc);
        k.popcounts(s.r, 8 * words, s.nR, s.rc);
        const qc = Array.from(s.mem.u16(s.qc, s.nQ));
        const rc = Array.from(s.mem.u16(s.rc, s.nR));
        expect(qc).toEqual(Array.from({ length: s.nQ }, (_, i) => refCount(s.ref.q, i, per)));
        expect(rc).toEqual(Array.from({ length: s.nR }, (_, i) => refCount(s.ref.r, i, per)));
        // Gather: a shuffled selection with repeats.
        const sel = Array.from({ length: 150 }, (_, x) => (x * 37 + 11) % s.nR);
        s.mem.u32(s.idx, sel.length).set(sel);
        const trace: number[] = [];
        for (let qi = 0; qi < s.nQ; qi++) {
          k.andCounts(s.q + qi * 8 * words, s.r, 8 * words, s.idx, sel.length, s.out);
          const got = Array.from(s.mem.u16(s.out, sel.length));
          expect(got).toEqual(sel.map((ri) => refAnd(s, qi, ri)));
          // Scan at a few thresholds against the per-pair definition (pruning, then dice ≥ t).
          for (const t of [0.3, 0.5, 0.8, 1]) {
            const a = qc[qi]!;
            const [lo, hi] = popcountWindow(a, t, 64 * words);
            minAndCounts(a, t, lo, hi, s.mem.u16(s.cmin, 64 * words + 1));
            const found = k.scan(
              s.q + qi * 8 * words,
              s.r,
              s.rc,
              10,
              290,
              lo,
              hi,
              s.cmin,
              s.outIdx,
              s.outCnt,
            );
            const idx = Array.from(s.mem.u32(s.outIdx, found));
            const cnt = Array.from(s.mem.u16(s.outCnt, found));
            const want: number[] = [];
            for (let ri = 10; ri < 290; ri++) {
              const b = rc[ri]!;
              if (!pruned(a, b, t) && dice(refAnd(s, qi, ri), a, b) >= t) want.push(ri);
            }
            expect(idx).toEqual(want);
            expect(cnt).toEqual(want.map((ri) => refAnd(s, qi, ri)));
            trace.push(found);
          }
        }
        results.push(trace.join(','));
      }
      expect(new Set(results).size).toBe(1);
    });
  }

  it('scan early exits are exact: near-threshold pairs found alike with any exits, all kinds', () => {
    // Records are queries with a few bits flipped, so and-counts fall on both sides of the bound
    // the exits test (c + rest ≥ need), including exactly on it (identical filters at t = 1).
    for (const words of [4, 5, 16]) {
      const nQ = 6;
      const nR = 240;
      const s = setup(words, nQ, nR, words * 11);
      const per = 2 * words;
      const rng = (() => {
        let x = 12345 + words;
        return () => {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          return (x >>> 0) / 2 ** 32;
        };
      })();
      const rw = s.mem.u32(s.r, nR * per);
      const qw = s.mem.u32(s.q, nQ * per);
      for (let r = 0; r < nR; r++) {
        const from = r % nQ;
        const flip = (r % 8) * 0.02; // 0 to 14 % of the bits
        for (let w = 0; w < per; w++) {
          let m = 0;
          for (let b = 0; b < 32; b++) if (rng() < flip) m |= 1 << b;
          rw[r * per + w] = qw[from * per + w]! ^ m;
        }
      }
      s.ref.r = rw.slice();
      const variants: { name: string; fns: Pick<DiceFunctions, 'popcounts' | 'scan'> }[] = [];
      for (const kind of KINDS.filter((k) => k !== 'wasm-simd' || words % 2 === 0)) {
        const k = createDiceKernel(s.mem, words, { kind });
        variants.push(
          { name: `${kind} (chosen)`, fns: k },
          { name: `${kind} without exit`, fns: { popcounts: k.popcounts, scan: k.scanAll } },
          { name: `${kind} with exit`, fns: { popcounts: k.popcounts, scan: k.scanExit } },
        );
      }
      for (const exits of [[], [1], [1, 2, words - 1]])
        variants.push({
          name: `exits ${exits}`,
          fns: new WebAssembly.Instance(
            new WebAssembly.Module(diceModuleBytes({ words, simd: false, shared: false, exits })),
            { env: { memory: s.mem.wasm! } },
          ).exports as unknown as DiceFunctions,
        });
      variants[0]!.fns.popcounts(s.q, 8 * words, nQ, s.qc);
      variants[0]!.fns.popcounts(s.r, 8 * words, nR, s.rc);
      const qc = s.mem.u16(s.qc, nQ).slice();
      const rc = s.mem.u16(s.rc, nR).slice();
      let found = 0;
      for (let qi = 0; qi < nQ; qi++)
        for (const t of [0.7, 0.8, 0.9, 0.95, 1]) {
          const a = qc[qi]!;
          const [lo, hi] = popcountWindow(a, t, 64 * words);
          minAndCounts(a, t, lo, hi, s.mem.u16(s.cmin, 64 * words + 1));
          const want: number[] = [];
          for (let ri = 0; ri < nR; ri++)
            if (!pruned(a, rc[ri]!, t) && dice(refAnd(s, qi, ri), a, rc[ri]!) >= t) want.push(ri);
          found += want.length;
          for (const v of variants) {
            const n = v.fns.scan(s.q + qi * 8 * words, s.r, s.rc, 0, nR, lo, hi, s.cmin, s.outIdx, s.outCnt);
            expect({ v: v.name, t, idx: Array.from(s.mem.u32(s.outIdx, n)) }).toEqual({
              v: v.name,
              t,
              idx: want,
            });
            expect(Array.from(s.mem.u16(s.outCnt, n))).toEqual(want.map((ri) => refAnd(s, qi, ri)));
          }
        }
      // Two queries at once (register blocking), each kind: both outputs as the per-pair definition.
      for (const kind of KINDS.filter((k) => k !== 'wasm-simd' || words % 2 === 0)) {
        const k = createDiceKernel(s.mem, words, { kind });
        const t = 0.8;
        const cmin2 = s.mem.alloc(2 * (64 * words + 1));
        const out2 = s.mem.alloc(nR * 4);
        const cnt2 = s.mem.alloc(nR * 2);
        for (let qi = 0; qi + 1 < nQ; qi += 2) {
          const wins = [qi, qi + 1].map((x, j) => {
            const w = popcountWindow(qc[x]!, t, 64 * words);
            minAndCounts(qc[x]!, t, w[0], w[1], s.mem.u16(j ? cmin2 : s.cmin, 64 * words + 1));
            return w;
          });
          const x = k.scanExit2(
            s.q + qi * 8 * words,
            s.q + (qi + 1) * 8 * words,
            s.r,
            s.rc,
            3,
            nR,
            wins[0]![0],
            wins[0]![1],
            wins[1]![0],
            wins[1]![1],
            s.cmin,
            cmin2,
            s.outIdx,
            s.outCnt,
            out2,
            cnt2,
          );
          const got = [Array.from(s.mem.u32(s.outIdx, x & 0xffff)), Array.from(s.mem.u32(out2, x >>> 16))];
          const want = [qi, qi + 1].map((x) => {
            const w: number[] = [];
            for (let ri = 3; ri < nR; ri++)
              if (!pruned(qc[x]!, rc[ri]!, t) && dice(refAnd(s, x, ri), qc[x]!, rc[ri]!) >= t) w.push(ri);
            return w;
          });
          expect({ kind, qi, got }).toEqual({ kind, qi, got: want });
          expect(Array.from(s.mem.u16(cnt2, x >>> 16))).toEqual(want[1]!.map((ri) => refAnd(s, qi + 1, ri)));
        }
      }
      // Copies of the query (flip 0) reach t = 1; the thresholds must find some pairs, not none.
      expect(found).toBeGreaterThan(nQ * 5);
    }
    expect(() => diceModuleBytes({ words: 4, simd: false, shared: false, exits: [2, 2] })).toThrow(
      RangeError,
    );
    expect(() => diceModuleBytes({ words: 4, simd: false, shared: false, exits: [4] })).toThrow(RangeError);
    expect(() => diceModuleBytes({ words: 4, simd: true, shared: false, exits: [1] })).toThrow(RangeError);
  });

  it('falls back to JS on a memory that is not a WebAssembly memory, with the same results', () => {
    const a = setup(4, 5, 100, 3, true);
    const b = setup(4, 5, 100, 3, false);
    expect(b.mem.wasm).toBeUndefined();
    const ka = createDiceKernel(a.mem, 4);
    const kb = createDiceKernel(b.mem, 4);
    expect(ka.kind).toBe('wasm');
    expect(kb.kind).toBe('js');
    expect(() => createDiceKernel(b.mem, 4, { kind: 'wasm' })).toThrow(RangeError);
    ka.popcounts(a.r, 32, 100, a.rc);
    kb.popcounts(b.r, 32, 100, b.rc);
    expect(Array.from(a.mem.u16(a.rc, 100))).toEqual(Array.from(b.mem.u16(b.rc, 100)));
  });

  it('runs on a shared memory', () => {
    const mem = KernelMemory.create({ bytes: 1 << 16, shared: true });
    expect(mem.buffer).toBeInstanceOf(SharedArrayBuffer);
    const base = mem.alloc(64);
    mem.u32(base, 16).fill(0xffffffff);
    const out = mem.alloc(4);
    createDiceKernel(mem, 4).popcounts(base, 32, 2, out);
    expect(Array.from(mem.u16(out, 2))).toEqual([256, 256]);
  });

  it('validates every generated module size', () => {
    for (const words of [1, 2, 5, 16, 64, 256])
      for (const simd of [false, true])
        if (!simd || words % 2 === 0)
          expect(WebAssembly.validate(diceModuleBytes({ words, simd, shared: false }))).toBe(true);
    expect(() => diceModuleBytes({ words: 0, simd: false, shared: false })).toThrow(RangeError);
    expect(() => diceModuleBytes({ words: 3, simd: true, shared: false })).toThrow(RangeError);
  });
});

describe('earlyExitPays', () => {
  it('takes the exit when unrelated pairs fall short of the bound by two standard deviations', () => {
    // Random 1024-bit filters at t = 0.8: μ = 128, σ = 8, need − rest = 154.
    expect(earlyExitPays(256, 256, 410, 512)).toBe(true);
    // Dense 512-bit name filters at t = 0.7: μ ≈ 88 > need − rest = 60.
    expect(earlyExitPays(150, 150, 210, 256)).toBe(false);
    // On either side of need − rest − μ = 2σ (μ = 64, σ = √(μ·(1 − 128/256)) = √32).
    const first = 128;
    const mean = 64;
    const sd = Math.sqrt(32);
    expect(earlyExitPays(first, 100, Math.ceil(100 + mean + 2 * sd), 256)).toBe(true);
    expect(earlyExitPays(first, 100, Math.floor(100 + mean + 2 * sd), 256)).toBe(false);
    expect(earlyExitPays(10, 10, NEVER, 0)).toBe(false);
  });
});

describe('pruning window and threshold table', () => {
  it('the window is exactly the popcounts pruning keeps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.constantFrom(0, 0.3, 0.5, 0.7, 0.72, 0.8, 0.88, 1),
        (a, t) => {
          const [lo, hi] = popcountWindow(a, t, 300);
          for (let b = 0; b <= 300; b++) expect(b >= lo && b <= hi).toBe(!pruned(a, b, t));
        },
      ),
    );
  });

  it('cmin[b] is the smallest and-count reaching the threshold', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.constantFrom(0.5, 0.7, 0.8, 0.88, 1), (a, t) => {
        const [lo, hi] = popcountWindow(a, t, 200);
        const cmin = new Uint16Array(201);
        minAndCounts(a, t, lo, hi, cmin);
        // Up to 10⁴ checks per run, collected and asserted once: an expect call per check took seconds.
        const wrong: string[] = [];
        for (let b = lo; b <= hi; b++) {
          for (let c = 0; c <= Math.min(a, b); c++) {
            const reaches = dice(c, a, b) >= t;
            if (c >= cmin[b]! !== reaches) wrong.push(`b=${b} c=${c} cmin=${cmin[b]}`);
          }
          if (cmin[b] !== NEVER && cmin[b]! > Math.min(a, b))
            wrong.push(`b=${b} cmin=${cmin[b]} > min(a, b)`);
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
