/**
 * Exhaustive candidate generation (no blocking) proposes exactly the pairs whose Dice over the
 * concatenated name filters reaches the threshold (with the comparisons' popcount pruning), with
 * every kernel kind, in plan-record order.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleDataset } from '../../bench/lib/eval.js';
import { ExhaustiveGenerator, exhaustiveBytes, layoutExhaustive } from '../../src/block/blocking.js';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';
import { dice, pruned } from '../../src/kernel/dice.js';
import { DiceKernels } from '../../src/kernel/filters.js';
import { KernelMemory } from '../../src/kernel/memory.js';

const KEY = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
let coc: EncodedBatch;
let mcp: EncodedBatch;

beforeAll(async () => {
  const ds = await sampleDataset();
  coc = new RecordEncoder(KEY, { party: 'coc' }).encodeBatch(ds.coc.slice(0, 150));
  mcp = new RecordEncoder(KEY, { party: 'mcp' }).encodeBatch(ds.mcp.slice(0, 1500));
});

function popcount(bytes: Uint8Array, from: number, to: number, other?: Uint8Array): number {
  let c = 0;
  for (let b = from; b < to; b++) {
    let v = other ? bytes[b]! & other[b - from]! : bytes[b]!;
    while (v) {
      v &= v - 1;
      c++;
    }
  }
  return c;
}

/** The brute-force answers, computed once for all kernel kinds. */
const answers = new Map<string, number[]>();
function expected(i: number, t: number): number[] {
  const key = `${i}:${t}`;
  let out = answers.get(key);
  if (!out) {
    out = bruteForce(i, t);
    answers.set(key, out);
  }
  return out;
}

/** Brute force: concatenated first+last filters, pruning then Dice ≥ t. */
function bruteForce(i: number, t: number): number[] {
  const per = coc.blooms.firstBloom!.length / coc.length;
  const filter = (b: EncodedBatch, r: number) =>
    Uint8Array.from([
      ...b.blooms.firstBloom!.subarray(r * per, (r + 1) * per),
      ...b.blooms.lastBloom!.subarray(r * per, (r + 1) * per),
    ]);
  const q = filter(coc, i);
  const a = popcount(q, 0, q.length);
  const out: number[] = [];
  for (let j = 0; j < mcp.length; j++) {
    const r = filter(mcp, j);
    const b = popcount(r, 0, r.length);
    if (pruned(a, b, t)) continue;
    if (dice(popcount(r, 0, r.length, q), a, b) >= t) out.push(j);
  }
  return out;
}

describe('ExhaustiveGenerator', () => {
  for (const kind of ['wasm', 'wasm-simd', 'js'] as const) {
    it(`proposes exactly the pairs at or above the threshold (${kind})`, () => {
      for (const t of [0.6, 0.8]) {
        const memory = KernelMemory.create({ bytes: exhaustiveBytes(coc, mcp, 1) });
        const kernels = new DiceKernels(memory, { kind });
        const gen = new ExhaustiveGenerator(
          kernels,
          layoutExhaustive(coc, mcp, kernels, 1, { threshold: t }),
          0,
        );
        let total = 0;
        for (let i = 0; i < coc.length; i += 3) {
          const c = gen.candidates(i);
          const got = Array.from(c.right.subarray(0, c.count));
          expect(got).toEqual(expected(i, t));
          total += got.length;
        }
        expect(total).toBeGreaterThan(0);
        expect(gen.finishStats()[0]!.cumulativePairs).toBe(total);
      }
    });
  }

  it('refuses a threshold outside [0, 1] and a missing feature', () => {
    const memory = KernelMemory.create({ bytes: exhaustiveBytes(coc, mcp, 1) });
    const kernels = new DiceKernels(memory);
    expect(() => layoutExhaustive(coc, mcp, kernels, 1, { threshold: 1.5 })).toThrow(RangeError);
    expect(() => layoutExhaustive(coc, mcp, kernels, 1, { features: ['nope'] })).toThrow(RangeError);
  });
});
