/**
 * The batch form of the comparisons and scores (row store + Dice kernel) gives exactly the levels of
 * the per-pair reference (reference.ts), and scoring a candidate list exactly the weights of scoring
 * its pairs one at a time, with every kernel kind, including hardened schemas whose filters are not
 * whole 64-bit words.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, sampleDataset } from '../../bench/lib/eval.js';
import { CandidateGenerator } from '../../src/block/blocking.js';
import { checkComparisons, compileBatchComparisons, diceFeaturePairs } from '../../src/compare/compare.js';
import { DEFAULT_COMPARISONS } from '../../src/compare/comparisons.js';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { parseLinkageSchema } from '../../src/encoded/schema.js';
import { DiceKernels } from '../../src/kernel/filters.js';
import { KernelMemory } from '../../src/kernel/memory.js';
import {
  attachBatchScoring,
  BatchLevels,
  batchScoringBytes,
  buildBatchScoring,
  layoutBatchScoring,
  Scorer,
  scoreRange,
} from '../../src/model/score.js';
import { trainModel } from '../../src/model/train.js';
import { referenceLevel } from './reference.js';

/** Match weight of one pair through the scorer's batch form run on that pair alone. */
const weightOf = (scorer: Scorer, i: number, j: number): number => scorer.scorePairs([i], [j]).weight[0]!;

const KEY = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');

function encode(ds: Dataset, schema = DEFAULT_SCHEMA): { coc: EncodedBatch; mcp: EncodedBatch } {
  const coc = new RecordEncoder(KEY, { party: 'coc', schema }).encodeBatch(ds.coc.slice(0, 600));
  const mcp = new RecordEncoder(KEY, { party: 'mcp', schema }).encodeBatch(ds.mcp.slice(0, 2000));
  return { coc, mcp };
}

let ds: Dataset;
beforeAll(async () => {
  ds = await sampleDataset();
});

describe('batch comparisons and scores', () => {
  it('diceFeaturePairs lists each Bloom feature pair the Dice levels read, once', () => {
    expect(diceFeaturePairs(DEFAULT_COMPARISONS)).toEqual([
      ['firstBloom', 'firstBloom'],
      ['firstBloom', 'lastBloom'],
      ['lastBloom', 'firstBloom'],
      ['lastBloom', 'lastBloom'],
    ]);
  });

  it('refuse a file without a compared feature, or with filters of another size', () => {
    const { coc, mcp } = encode(ds);
    const { ssnMasks: _, ...sets } = mcp.sets;
    expect(() => checkComparisons(DEFAULT_COMPARISONS, coc, { ...mcp, sets })).toThrow(
      expect.objectContaining({
        code: 'MODEL_INVALID',
        message: expect.stringContaining("set feature 'ssnMasks', which the plan file does not have"),
      }),
    );
    const blooms = { ...mcp.blooms, lastBloom: new Uint8Array(mcp.length * 8) };
    expect(() => checkComparisons(DEFAULT_COMPARISONS, coc, { ...mcp, blooms })).toThrow(
      expect.objectContaining({ code: 'SCHEMA_MISMATCH' }),
    );
    expect(() => checkComparisons(DEFAULT_COMPARISONS, coc, mcp)).not.toThrow();
  });

  for (const kind of ['wasm', 'wasm-simd', 'js'] as const) {
    it(`equal the reference levels and the one-pair weights on blocked candidates and on random pairs (${kind})`, () => {
      const { coc, mcp } = encode(ds);
      const model = trainModel(coc, mcp, DEFAULT_COMPARISONS, { uSamplePairs: 50_000 });
      const setup = buildBatchScoring(DEFAULT_COMPARISONS, coc, mcp, { kind });
      const batch = compileBatchComparisons(DEFAULT_COMPARISONS, coc, mcp, setup.rows, setup.dice);
      const scorer = new Scorer(model, coc, mcp, setup);
      const gen = new CandidateGenerator(coc, mcp);
      const out = new Uint8Array(mcp.length);
      const w = new Float64Array(mcp.length);
      const mismatches: string[] = [];
      let pairs = 0;
      for (let i = 0; i < coc.length; i++) {
        const c = gen.candidates(i);
        // Blocked candidates, then 50 arbitrary records (most pairs of a list are non-matches).
        const J = Uint32Array.from([
          ...c.right.subarray(0, c.count),
          ...Array.from({ length: 50 }, (_, x) => (i * 37 + x * 101) % mcp.length),
        ]);
        setup.dice.prepare(i, J, J.length);
        batch.forEach((b, k) => {
          b.levels(i, J, J.length, out);
          for (let x = 0; x < J.length; x++)
            if (out[x] !== referenceLevel(DEFAULT_COMPARISONS[k]!, coc, i, mcp, J[x]!))
              mismatches.push(`${k}:${i}:${J[x]}`);
        });
        scorer.scoreCandidates(i, J, J.length, w);
        for (let x = 0; x < J.length; x++)
          if (w[x] !== weightOf(scorer, i, J[x]!)) mismatches.push(`w:${i}:${J[x]}`);
        pairs += J.length;
      }
      expect(mismatches).toEqual([]);
      expect(pairs).toBeGreaterThan(30_000);
    });
  }

  it('the compiled level kernel (levels, and weights folded in) equals the JS condition loops, bit for bit', () => {
    const { coc, mcp } = encode(ds);
    const model = trainModel(coc, mcp, DEFAULT_COMPARISONS, { uSamplePairs: 20_000 });
    const kernelSetup = buildBatchScoring(DEFAULT_COMPARISONS, coc, mcp, { kind: 'wasm' });
    const jsSetup = buildBatchScoring(DEFAULT_COMPARISONS, coc, mcp, { kind: 'wasm', levels: 'js' });
    const compiled = new BatchLevels(DEFAULT_COMPARISONS, coc, mcp, kernelSetup);
    const plain = new BatchLevels(DEFAULT_COMPARISONS, coc, mcp, jsSetup);
    expect(compiled.fused).toBe(true);
    expect(plain.compiled.some(Boolean)).toBe(false);
    const gen = new CandidateGenerator(coc, mcp);
    const a = scoreRange(gen, new Scorer(model, coc, mcp, kernelSetup), 0, coc.length, -1e9);
    const b = scoreRange(gen, new Scorer(model, coc, mcp, jsSetup), 0, coc.length, -1e9);
    expect(a.scored).toBeGreaterThan(500);
    expect(Buffer.from(a.weight.buffer).equals(Buffer.from(b.weight.buffer))).toBe(true);
    expect([...a.right]).toEqual([...b.right]);
    expect([...a.hist]).toEqual([...b.hist]);
    // Training's view: the levels of random pairs, in slices.
    const J = Uint32Array.from({ length: 3000 }, (_, x) => (x * 7919) % mcp.length);
    const slice = Math.min(500, compiled.capacity);
    for (let i = 0; i < coc.length; i += 7) {
      for (let from = 0; from < J.length; from += slice) {
        compiled.run(i, J, from, slice);
        plain.run(i, J, from, slice);
        compiled.out.forEach((o, k) => {
          expect(o.subarray(0, slice)).toEqual(plain.out[k]!.subarray(0, slice));
        });
      }
    }
  });

  it('equal per-pair scores with hardened filters of 32 bits (xor-folded) and balanced ones', () => {
    const base = JSON.parse(JSON.stringify(DEFAULT_SCHEMA));
    for (const hardening of [{ xorFolds: 3 }, { balance: true, rule90: true }]) {
      const schema = parseLinkageSchema({ ...base, name: 'hardened', hardening });
      const { coc, mcp } = encode(ds, schema);
      const model = trainModel(coc, mcp, DEFAULT_COMPARISONS, { uSamplePairs: 20_000 });
      const scorer = new Scorer(model, coc, mcp);
      const gen = new CandidateGenerator(coc, mcp);
      const w = new Float64Array(mcp.length);
      for (let i = 0; i < coc.length; i += 3) {
        const c = gen.candidates(i);
        scorer.scoreCandidates(i, c.right, c.count, w);
        for (let x = 0; x < c.count; x++) expect(w[x]).toBe(weightOf(scorer, i, c.right[x]!));
      }
    }
  });

  it('scores pairs without kernel state as a batch of just their records, with the same levels and weights', () => {
    const { coc, mcp } = encode(ds);
    const model = trainModel(coc, mcp, DEFAULT_COMPARISONS, { uSamplePairs: 20_000 });
    const full = new Scorer(model, coc, mcp, buildBatchScoring(DEFAULT_COMPARISONS, coc, mcp));
    const gen = new CandidateGenerator(coc, mcp);
    // Blocked candidates and an arbitrary record, from the last CoC record to the first; then
    // pairs seen before, so records repeat and left records come back out of order.
    const I: number[] = [];
    const J: number[] = [];
    const pair = (i: number, j: number) => {
      I.push(i);
      J.push(j);
    };
    for (let i = coc.length - 1; i >= 0; i -= 2) {
      const c = gen.candidates(i);
      for (let x = 0; x < c.count; x++) pair(i, c.right[x]!);
      pair(i, (i * 31) % mcp.length);
    }
    for (let x = 0; x < 40; x++) pair(I[x * 7]!, J[x * 7]!);
    const alone = new Scorer(model, coc, mcp).scorePairs(I, J);
    const w = new Float64Array(1);
    const mismatches: string[] = [];
    for (let x = 0; x < I.length; x++) {
      full.scoreCandidates(I[x]!, Uint32Array.of(J[x]!), 1, w);
      const one = full.scorePairs([I[x]!], [J[x]!]);
      if (alone.weight[x] !== w[0] || one.weight[0] !== w[0]) mismatches.push(`w:${I[x]}:${J[x]}`);
      DEFAULT_COMPARISONS.forEach((_, k) => {
        if (alone.levels[k]![x] !== one.levels[k]![0] || alone.partial[k]![x] !== one.partial[k]![0])
          mismatches.push(`${k}:${I[x]}:${J[x]}`);
      });
    }
    expect(mismatches).toEqual([]);
    expect(I.length).toBeGreaterThan(700);
    // One pair at a time, still without kernel state.
    const fresh = new Scorer(model, coc, mcp);
    for (let x = 0; x < I.length; x += 97) expect(weightOf(fresh, I[x]!, J[x]!)).toBe(alone.weight[x]);
    expect(fresh.scorePairs([], []).weight).toHaveLength(0);
    expect(() => fresh.scorePairs([0], [])).toThrow(RangeError);
  });

  it('slices candidate lists longer than the kernel scratch', () => {
    const { coc, mcp } = encode(ds);
    const model = trainModel(coc, mcp, DEFAULT_COMPARISONS, { uSamplePairs: 20_000 });
    const scorer = new Scorer(model, coc, mcp);
    // 3 × 2,000 candidates: more than one kernel call's capacity (4,096).
    const all = Uint32Array.from({ length: mcp.length }, (_, j) => j);
    const J = Uint32Array.from([...all, ...all, ...all]);
    const w = new Float64Array(J.length);
    scorer.scoreCandidates(5, J, J.length, w);
    for (let x = 0; x < J.length; x += 7) expect(w[x]).toBe(weightOf(scorer, 5, J[x]!));
  });

  it('threads sharing one memory get their own scratch and the same scores', () => {
    const { coc, mcp } = encode(ds);
    const model = trainModel(coc, mcp, DEFAULT_COMPARISONS, { uSamplePairs: 20_000 });
    const memory = KernelMemory.create({
      bytes: batchScoringBytes(DEFAULT_COMPARISONS, coc, mcp, 2),
      shared: true,
    });
    const layout = layoutBatchScoring(DEFAULT_COMPARISONS, coc, mcp, new DiceKernels(memory), 2);
    expect(layout.scratch[0]!.idx).not.toBe(layout.scratch[1]!.idx);
    const a = scoreRange(
      new CandidateGenerator(coc, mcp),
      new Scorer(model, coc, mcp, attachBatchScoring(new DiceKernels(memory), layout, 1)),
      0,
      coc.length,
      -10,
    );
    const b = scoreRange(new CandidateGenerator(coc, mcp), new Scorer(model, coc, mcp), 0, coc.length, -10);
    expect(a.scored).toBe(b.scored);
    expect(Array.from(a.hist)).toEqual(Array.from(b.hist));
    expect(Array.from(a.weight)).toEqual(Array.from(b.weight));
    expect(Array.from(a.right)).toEqual(Array.from(b.right));
  });
});
