/**
 * Training: bounds on m the data cannot identify (DEFAULT_M_CAPS), the term-frequency prior of
 * the EM sessions, and u without the true pairs among the random pairs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleDataset } from '../../bench/lib/eval.js';
import { DEFAULT_COMPARISONS } from '../../src/compare/comparisons.js';
import { NULL_LEVEL, PatternCounter } from '../../src/compare/patterns.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';
import { sliceBatch } from '../../src/encoded/slice.js';
import { modelToJson } from '../../src/model/model.js';
import { BatchLevels, Scorer } from '../../src/model/score.js';
import {
  countTraining,
  DEFAULT_M_CAPS,
  finishTraining,
  finishTrainingOn,
  type TrainingHelpers,
  type TrainOptions,
  trainModel,
} from '../../src/model/train.js';
import { countSessionPairs, tallyUPairs } from '../../src/model/train-stages.js';
import { idHash } from '../../src/util/id-order.js';
import { sampleBatches } from './sample-batches.js';

let coc: EncodedBatch;
let mcp: EncodedBatch;

beforeAll(async () => {
  ({ coc, mcp } = await sampleBatches(600, 2000));
});

const dobElse = (m: readonly number[]) => {
  const dob = DEFAULT_COMPARISONS.find((c) => c.name === 'DOB');
  const l = dob?.levels.findIndex((lv) => lv.label === 'else') ?? -1;
  return m[l] ?? Number.NaN;
};

describe('trainModel', () => {
  it('bounds m of a capped level and keeps the row a distribution', () => {
    const opts = { uSamplePairs: 20_000, seed: 3 };
    const free = trainModel(coc, mcp, DEFAULT_COMPARISONS, { ...opts, mCaps: [] });
    const freeM = free.comparisons.find((c) => c.spec.name === 'DOB')?.m ?? [];
    const max = dobElse(freeM) / 2;
    expect(max).toBeGreaterThan(0);
    const capped = trainModel(coc, mcp, DEFAULT_COMPARISONS, {
      ...opts,
      mCaps: [{ comparison: 'DOB', level: 'else', max }],
    });
    const m = capped.comparisons.find((c) => c.spec.name === 'DOB')?.m ?? [];
    expect(dobElse(m)).toBeCloseTo(max, 12);
    expect(m.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    for (const c of capped.comparisons) expect(c.m.every((x) => x >= 0 && x <= 1)).toBe(true);
  });

  it('applies the default caps', () => {
    const model = trainModel(coc, mcp, DEFAULT_COMPARISONS, { uSamplePairs: 20_000 });
    for (const cap of DEFAULT_M_CAPS) {
      const c = model.comparisons.find((x) => x.spec.name === cap.comparison);
      const l = c?.spec.levels.findIndex((lv) => lv.label === cap.level) ?? -1;
      expect(c?.m[l]).toBeLessThanOrEqual(cap.max + 1e-12);
    }
  });

  it('names, in every default cap, a level of the default comparisons (a misspelt cap bounds nothing)', () => {
    expect(DEFAULT_M_CAPS.map((c) => c.comparison)).toContain('Sex');
    for (const cap of DEFAULT_M_CAPS) {
      const spec = DEFAULT_COMPARISONS.find((c) => c.name === cap.comparison);
      expect(spec?.levels.map((l) => l.label)).toContain(cap.level);
      expect(cap.max).toBeGreaterThan(0);
      expect(cap.max).toBeLessThan(1);
    }
  });

  it('bounds m(Sex = else): trained free above a bound, it is held at the bound', () => {
    const opts = { uSamplePairs: 20_000, seed: 3 };
    const sexElse = (m: ReturnType<typeof trainModel>) =>
      m.comparisons.find((c) => c.spec.name === 'Sex')?.m[1] ?? Number.NaN;
    const free = trainModel(coc, mcp, DEFAULT_COMPARISONS, { ...opts, mCaps: [] });
    const max = sexElse(free) / 2;
    expect(max).toBeGreaterThan(0);
    const capped = trainModel(coc, mcp, DEFAULT_COMPARISONS, {
      ...opts,
      mCaps: [{ comparison: 'Sex', level: 'else', max }],
    });
    expect(sexElse(capped)).toBeCloseTo(max, 12);
    expect(capped.comparisons.find((c) => c.spec.name === 'Sex')?.m[0]).toBeCloseTo(1 - max, 12);
  });

  it('trains each session with one more pattern position (the prior bin) and stays deterministic', () => {
    const a = trainModel(coc, mcp, DEFAULT_COMPARISONS, { uSamplePairs: 20_000, seed: 5 });
    const b = trainModel(coc, mcp, DEFAULT_COMPARISONS, { uSamplePairs: 20_000, seed: 5 });
    expect(a).toEqual(b);
    const off = trainModel(coc, mcp, DEFAULT_COMPARISONS, {
      uSamplePairs: 20_000,
      seed: 5,
      termFrequency: false,
    });
    // Without term frequencies every pair of a session has the same prior: fewer distinct patterns.
    const patterns = (m: typeof a) => (m.training?.sessions ?? []).reduce((s, x) => s + x.patterns, 0);
    expect(patterns(off)).toBeLessThan(patterns(a));
  });
});

describe('u without the true pairs among the random pairs', () => {
  it('comes closer to the non-matches’ u, counted from the truth, than the random pairs’ u', async () => {
    const ds = await sampleDataset();
    // Every pair of 300 CoC × 2,000 plan records is in the u sample: u is a count, not an estimate.
    const left = (await sampleBatches(300, 0)).coc;
    const nL = left.length;
    const nR = mcp.length;
    const opts = { uSamplePairs: nL * nR, seed: 9 };
    const model = trainModel(left, mcp, DEFAULT_COMPARISONS, opts);
    const raw = trainModel(left, mcp, DEFAULT_COMPARISONS, { ...opts, uWithoutMatches: false });
    const k = DEFAULT_COMPARISONS.findIndex((c) => c.name === 'DOB');
    const L = model.comparisons[k]?.u.length ?? 0;
    // The DOB level of every pair, and of the true pairs, with the scorer's evaluation of levels.
    const I = new Uint32Array(nL * nR);
    const J = new Uint32Array(nL * nR);
    for (let i = 0; i < nL; i++) for (let j = 0; j < nR; j++) [I[i * nR + j], J[i * nR + j]] = [i, j];
    const levels = new Scorer(model, left, mcp).scorePairs(I, J).levels[k] ?? new Uint8Array(0);
    const li = new Map(Array.from(left.ids, (id, i) => [id, i]));
    const ri = new Map(Array.from(mcp.ids, (id, j) => [id, j]));
    const all = new Float64Array(L);
    const truePairs = new Float64Array(L);
    for (const l of levels) if (l !== NULL_LEVEL) all[l] = (all[l] ?? 0) + 1;
    let trueCount = 0;
    for (const [a, b] of ds.truth) {
      const i = li.get(a);
      const j = ri.get(b);
      if (i === undefined || j === undefined) continue;
      trueCount++;
      const l = levels[i * nR + j] ?? NULL_LEVEL;
      if (l !== NULL_LEVEL) truePairs[l] = (truePairs[l] ?? 0) + 1;
    }
    expect(trueCount).toBeGreaterThan(20);
    const smooth = (c: Float64Array) => {
      const n = c.reduce((x, y) => x + y, 0);
      return Array.from(c, (x) => (x + 0.5) / (n + 0.5 * c.length));
    };
    const uRandom = smooth(all);
    const uNonMatch = smooth(all.map((c, l) => c - (truePairs[l] ?? 0)));
    // The option off gives the random pairs' u exactly (all pairs counted, smoothed by 0.5).
    for (const [l, x] of (raw.comparisons[k]?.u ?? []).entries()) expect(x).toBeCloseTo(uRandom[l] ?? 0, 12);
    // DOB exact: the true pairs are a large part of the random pairs with the same DOB.
    const exactRandom = uRandom[0] ?? 0;
    const exactNonMatch = uNonMatch[0] ?? 0;
    const exactModel = model.comparisons[k]?.u[0] ?? 0;
    expect(exactRandom).toBeGreaterThan(1.5 * exactNonMatch);
    expect(Math.abs(exactModel - exactNonMatch)).toBeLessThan(Math.abs(exactRandom - exactNonMatch) / 3);
    // No level moves away from the non-matches' u, and the row stays a distribution.
    for (const [l, x] of (model.comparisons[k]?.u ?? []).entries())
      expect(Math.abs(x - (uNonMatch[l] ?? 0))).toBeLessThanOrEqual(
        Math.abs((uRandom[l] ?? 0) - (uNonMatch[l] ?? 0)) + 1e-9,
      );
    for (const c of model.comparisons) expect(c.u.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
});

/** Helpers that do each piece on this thread, as a worker would (fresh tallies and counters). */
function inProcess(plan: EncodedBatch, pieces: number, log: string[]): TrainingHelpers {
  let levels: BatchLevels | undefined;
  const lv = () => {
    levels ??= new BatchLevels(DEFAULT_COMPARISONS, coc, plan);
    return levels;
  };
  return {
    pieces,
    tallyU: async (left, right) => {
      log.push(`u ${left.length}`);
      const hist = new Float64Array(DEFAULT_COMPARISONS.length * 256);
      tallyUPairs(left, right, coc.length, 0, lv, hist);
      return hist;
    },
    countSessions: async (c, piece) => {
      log.push(`em ${piece.rule}:${piece.from}-${piece.to}`);
      const counters = c.rules.map(() => new PatternCounter(c.levelCounts));
      const linked = new Uint8Array(c.sampled);
      countSessionPairs(c, plan, 0, plan.length, lv, counters, linked, piece);
      return { tables: counters.map((x) => x.toTable()), linked };
    },
    meanwhile: () => log.push('meanwhile'),
  };
}

describe('finishTrainingOn (training’s per-pair loops in pieces, as on worker threads)', () => {
  const same = async (plan: EncodedBatch, opts: TrainOptions, pieces: readonly number[]) => {
    const one = modelToJson(finishTraining(countTraining(coc, plan, DEFAULT_COMPARISONS, opts)));
    for (const p of pieces) {
      const log: string[] = [];
      const counted = countTraining(coc, plan, DEFAULT_COMPARISONS, opts);
      const model = await finishTrainingOn(counted, inProcess(plan, p, log));
      expect(modelToJson(model)).toBe(one);
      // The sessions went to the helpers in pieces (more than one when asked for more), and this
      // thread's own work ran while they counted.
      const em = log.filter((l) => l.startsWith('em')).length;
      expect(em).toBeGreaterThanOrEqual(p > 1 ? 2 : 1);
      expect(log).toContain('meanwhile');
    }
    return one;
  };

  it('gives the model finishTraining gives, byte for byte, for any number of pieces', async () => {
    const one = await same(mcp, { uSamplePairs: 30_000, seed: 9 }, [1, 2, 5, 13]);
    // The sessions were trained (not an empty model that would trivially agree).
    expect(JSON.parse(one).training.sessions.length).toBeGreaterThan(0);
  });

  it('tallies u on this thread when every pair is sampled', async () => {
    const plan = sliceBatch(mcp, 0, 300);
    const log: string[] = [];
    const opts = { uSamplePairs: coc.length * plan.length };
    const one = modelToJson(finishTraining(countTraining(coc, plan, DEFAULT_COMPARISONS, opts)));
    const model = await finishTrainingOn(
      countTraining(coc, plan, DEFAULT_COMPARISONS, opts),
      inProcess(plan, 3, log),
    );
    expect(modelToJson(model)).toBe(one);
    expect(log.some((l) => l.startsWith('u'))).toBe(false);
  });

  it('evaluates the pairs of plan IDs with equal hashes on this thread, in ID order', async () => {
    // Plan IDs whose seeded hashes are equal: their order comes from the IDs (see stream-train).
    const seen = new Map<number, string>();
    const tied: string[] = [];
    for (let n = 0; tied.length < 12; n++) {
      const id = `T${n}`;
      const h = idHash(id, 42 ^ 0x5bd1e995);
      const other = seen.get(h);
      if (other === undefined) seen.set(h, id);
      else tied.push(other, id);
    }
    const ids = mcp.ids.map((id, j) => (j % 150 === 0 && j / 150 < tied.length ? (tied[j / 150] ?? id) : id));
    // u sampled densely, so tied ranks are drawn.
    await same({ ...mcp, ids }, { uSamplePairs: 200_000 }, [4]);
  });

  it('fails with the helpers’ error', async () => {
    const counted = countTraining(coc, mcp, DEFAULT_COMPARISONS, { uSamplePairs: 10_000 });
    const helpers = { ...inProcess(mcp, 2, []), countSessions: () => Promise.reject(new RangeError('lost')) };
    await expect(finishTrainingOn(counted, helpers)).rejects.toThrow('lost');
  });
});
