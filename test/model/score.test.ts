/**
 * The scorer's weights are those of the public functions in src/model/weights.ts, bit for bit: its
 * tables are levelWeight/priorWeight, and a pair's weight is matchWeight of its levels with the
 * term-frequency input of its names (the value's frequency in both lists).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CandidateGenerator } from '../../src/block/blocking.js';
import { DEFAULT_COMPARISONS } from '../../src/compare/comparisons.js';
import { NULL_LEVEL } from '../../src/compare/patterns.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';
import type { LinkageModel } from '../../src/model/model.js';
import { Scorer } from '../../src/model/score.js';
import { trainModel } from '../../src/model/train.js';
import {
  type FsParams,
  levelWeight,
  levelWeights,
  matchWeight,
  priorWeight,
  type TfInput,
} from '../../src/model/weights.js';
import { sampleBatches } from './sample-batches.js';

let coc: EncodedBatch;
let mcp: EncodedBatch;
let model: LinkageModel;
let params: FsParams;

beforeAll(async () => {
  ({ coc, mcp } = await sampleBatches(400, 1500));
  model = trainModel(coc, mcp, DEFAULT_COMPARISONS, { uSamplePairs: 20_000 });
  params = {
    lambda: model.lambda,
    m: model.comparisons.map((c) => c.m),
    u: model.comparisons.map((c) => c.u),
  };
});

/** Share of the non-missing values of feature f in both lists that equal left record i's value. */
function frequency(f: string, i: number): number {
  const v = coc.hashes[f]![i]!;
  let count = 0;
  let total = 0;
  for (const list of [coc.hashes[f]!, mcp.hashes[f]!])
    for (const h of list) {
      if (h === 0) continue;
      total++;
      if (h === v) count++;
    }
  return Math.max(count, 1) / total;
}

describe('Scorer', () => {
  it('builds its tables with levelWeight and priorWeight', () => {
    const scorer = new Scorer(model, coc, mcp);
    const table = levelWeights(params);
    scorer.levelWeights.forEach((row, k) => {
      expect(Array.from(row)).toEqual(Array.from(table[k]!));
      row.forEach((w, l) => {
        expect(w).toBe(levelWeight(params.m[k]![l]!, params.u[k]![l]!));
      });
    });
    expect(scorer.priorWeight).toBe(priorWeight(model.lambda));
  });

  it('scores a pair exactly as matchWeight with the term frequency of its names', () => {
    const scorer = new Scorer(model, coc, mcp);
    const gen = new CandidateGenerator(coc, mcp);
    const I: number[] = [];
    const J: number[] = [];
    for (let i = 0; i < coc.length; i += 2) {
      const c = gen.candidates(i);
      for (let x = 0; x < c.count; x++) {
        I.push(i);
        J.push(c.right[x]!);
      }
    }
    const s = scorer.scorePairs(I, J);
    let adjusted = 0;
    const mismatches: string[] = [];
    for (let x = 0; x < I.length; x++) {
      const levels = DEFAULT_COMPARISONS.map((_, k) => s.levels[k]![x]!);
      // A name level with a tf feature: that level's u is replaced by the value's frequency.
      const tf = DEFAULT_COMPARISONS.map((spec, k): TfInput | undefined => {
        const l = levels[k]!;
        if (l === NULL_LEVEL) return undefined;
        const f = spec.levels[l % spec.levels.length]!.tf;
        if (!f || !model.termFrequency.comparisons.includes(spec.name)) return undefined;
        adjusted++;
        return { uTf: frequency(f, I[x]!), exactLevel: l };
      });
      const want = matchWeight(params, levels, { tf });
      if (s.weight[x] !== want.weight) mismatches.push(`w ${I[x]}/${J[x]}`);
      DEFAULT_COMPARISONS.forEach((_, k) => {
        if (s.partial[k]![x] !== want.partial[k]) mismatches.push(`${k} ${I[x]}/${J[x]}`);
      });
    }
    expect(mismatches).toEqual([]);
    expect(adjusted).toBeGreaterThan(100);
  });
});
