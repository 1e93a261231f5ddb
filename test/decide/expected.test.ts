/**
 * The one-to-one mixture on simulated lists with known truth: two lists, a share of the smaller
 * list's records with one true partner, every pair scored with a Fellegi–Sunter weight whose
 * comparison levels are drawn from known m and u (so the likelihood ratios are right), and a prior
 * weight that may be wrong. The mixture's expected true matches and its Σ P over each record's best
 * pair must match the truth within a few standard deviations (computed from the draw); the pairwise
 * Σ p with a wrong λ does not.
 */
import { describe, expect, it } from 'vitest';
import { expectedQuality, oneToOneMixture } from '../../src/decide/expected.js';
import { Random } from '../../src/util/prng.js';

/** Per comparison, m and u of each level (each sums to 1). */
const M = [
  [0.85, 0.1, 0.05],
  [0.8, 0.12, 0.08],
  [0.9, 0.1],
];
const U = [
  [0.02, 0.08, 0.9],
  [0.03, 0.07, 0.9],
  [0.3, 0.7],
];

function draw(rng: Random, probs: readonly number[]): number {
  let x = rng.next();
  for (let l = 0; l < probs.length; l++) {
    x -= probs[l] ?? 0;
    if (x < 0) return l;
  }
  return probs.length - 1;
}

interface Sim {
  left: number[];
  right: number[];
  weight: number[];
  isTrue: boolean[];
  trueCount: number;
  nLeft: number;
  nRight: number;
}

/** Every pair of nLeft × nRight scored; `share` of the left records have a true partner. */
function simulate(seed: number, nLeft: number, nRight: number, share: number, priorWeight: number): Sim {
  const rng = new Random(seed);
  const partner = new Map<number, number>();
  const free = Array.from({ length: nRight }, (_, j) => j);
  for (let i = 0; i < nLeft; i++) {
    if (rng.next() >= share) continue;
    const x = rng.below(free.length);
    partner.set(i, free[x] ?? 0);
    free.splice(x, 1);
  }
  const sim: Sim = { left: [], right: [], weight: [], isTrue: [], trueCount: partner.size, nLeft, nRight };
  for (let i = 0; i < nLeft; i++)
    for (let j = 0; j < nRight; j++) {
      const match = partner.get(i) === j;
      let w = priorWeight;
      M.forEach((m, k) => {
        const u = U[k] ?? [];
        const l = draw(rng, match ? m : u);
        w += Math.log2((m[l] ?? 1) / (u[l] ?? 1));
      });
      sim.left.push(i);
      sim.right.push(j);
      sim.weight.push(w);
      sim.isTrue.push(match);
    }
  return sim;
}

/** Each left record's best pair (its candidate link). */
function bestPairs(sim: Sim): number[] {
  const best = new Map<number, number>();
  sim.weight.forEach((w, k) => {
    const i = sim.left[k] ?? 0;
    const b = best.get(i);
    if (b === undefined || w > (sim.weight[b] ?? 0)) best.set(i, k);
  });
  return [...best.values()];
}

const pw = (lambda: number) => Math.log2(lambda / (1 - lambda));

describe('oneToOneMixture on simulated lists with known truth', () => {
  for (const [seed, share] of [
    [1, 0.4],
    [2, 0.9],
    [3, 0.1],
  ] as const) {
    it(`recovers the true matches and the true links (seed ${seed}, ${share * 100} % with a partner)`, () => {
      const sim = simulate(seed, 300, 400, share, pw(1e-3));
      const mix = oneToOneMixture(sim, {
        leftCount: sim.nLeft,
        rightCount: sim.nRight,
        priorWeight: pw(1e-3),
      });
      expect(mix.converged).toBe(true);
      expect(mix.side).toBe('left');
      // T: a sum of Bernoulli-like terms; the draw's own spread is about √T.
      expect(Math.abs(mix.trueMatches - sim.trueCount)).toBeLessThanOrEqual(4 * Math.sqrt(sim.trueCount) + 1);
      const best = bestPairs(sim);
      const q = expectedQuality(mix, { match: best, review: [] }, { wrong: 0, trueMatches: 0 });
      const trueLinks = best.filter((k) => sim.isTrue[k]).length;
      expect(Math.abs(q.trueLinks - trueLinks)).toBeLessThanOrEqual(4 * q.wrongSd + 1);
      expect(q.links).toBe(best.length);
      expect(q.recall).toBeCloseTo(q.trueLinks / mix.trueMatches, 12);
    });
  }

  it('does not depend on λ: the pairwise Σ p does, the mixture does not', () => {
    const sim = simulate(4, 300, 400, 0.5, pw(1e-3));
    // The same pairs scored with a prior five times too small.
    const shifted = { ...sim, weight: sim.weight.map((w) => w - pw(1e-3) + pw(2e-4)) };
    const a = oneToOneMixture(sim, { leftCount: 300, rightCount: 400, priorWeight: pw(1e-3) });
    const b = oneToOneMixture(shifted, { leftCount: 300, rightCount: 400, priorWeight: pw(2e-4) });
    expect(b.trueMatches).toBeCloseTo(a.trueMatches, 6);
    const best = bestPairs(sim);
    const trueLinks = best.filter((k) => sim.isTrue[k]).length;
    const sumP = (ws: number[]) => best.reduce((s, k) => s + 1 / (1 + 2 ** -(ws[k] ?? 0)), 0);
    const q = expectedQuality(b, { match: best, review: [] }, { wrong: 0, trueMatches: 0 });
    // The pairwise sum with the wrong prior is far off; the mixture is not.
    expect(Math.abs(sumP(shifted.weight) - trueLinks)).toBeGreaterThan(4 * q.wrongSd + 1);
    expect(Math.abs(q.trueLinks - trueLinks)).toBeLessThanOrEqual(4 * q.wrongSd + 1);
  });

  it('takes the smaller list as its side, and the order of the pairs does not matter', () => {
    const sim = simulate(5, 120, 80, 0.5, pw(1e-2));
    // 120 left × 80 right: the right list is smaller.
    const mix = oneToOneMixture(sim, { leftCount: 120, rightCount: 80, priorWeight: pw(1e-2) });
    expect(mix.side).toBe('right');
    const order = sim.weight.map((_, k) => k).reverse();
    const rev = {
      left: order.map((k) => sim.left[k] ?? 0),
      right: order.map((k) => sim.right[k] ?? 0),
      weight: order.map((k) => sim.weight[k] ?? 0),
    };
    const mix2 = oneToOneMixture(rev, { leftCount: 120, rightCount: 80, priorWeight: pw(1e-2) });
    expect(mix2.trueMatches).toBeCloseTo(mix.trueMatches, 9);
    order.forEach((k, x) => {
      expect(mix2.probability[x]).toBeCloseTo(mix.probability[k] ?? Number.NaN, 9);
    });
    expect(Math.abs(mix.trueMatches - sim.trueCount)).toBeLessThanOrEqual(4 * Math.sqrt(sim.trueCount) + 1);
  });

  it('a record with one strong candidate gets it with near certainty; a record without pairs has no match', () => {
    const mix = oneToOneMixture(
      { left: [0, 1], right: [0, 1], weight: [20, -5] },
      { leftCount: 3, rightCount: 1000, priorWeight: -10 },
    );
    expect(mix.probability[0]).toBeGreaterThan(0.99);
    expect(mix.probability[1]).toBeLessThan(0.5);
    // Record 2 has no scored pair: at most the two records with pairs can have matches.
    expect(mix.trueMatches).toBeLessThanOrEqual(2);
    expect(mix.trueMatches).toBeGreaterThan(0.99);
  });

  it('takes infinite weights as certainty', () => {
    const mix = oneToOneMixture(
      { left: [0, 0, 1], right: [0, 1, 2], weight: [Number.POSITIVE_INFINITY, 3, Number.NEGATIVE_INFINITY] },
      { leftCount: 2, rightCount: 10, priorWeight: -3 },
    );
    expect(mix.probability[0]).toBe(1);
    expect(mix.probability[1]).toBe(0);
    expect(mix.probability[2]).toBe(0);
    expect(Number.isFinite(mix.trueMatches)).toBe(true);
    expect(mix.trueMatches).toBeCloseTo(1, 9);
  });

  it('counts the true partners blocking never scored when told their share β', () => {
    const sim = simulate(4, 300, 400, 0.6, pw(1e-3));
    // Blocking misses a share β of the true pairs: drop those pairs (the records keep their others).
    const beta = 0.1;
    const rng = new Random(17);
    const keep = sim.isTrue.map((t) => !t || rng.next() >= beta);
    const hidden = keep.filter((k) => !k).length;
    const seen = {
      left: sim.left.filter((_, k) => keep[k]),
      right: sim.right.filter((_, k) => keep[k]),
      weight: sim.weight.filter((_, k) => keep[k]),
    };
    const o = { leftCount: sim.nLeft, rightCount: sim.nRight, priorWeight: pw(1e-3) };
    const blind = oneToOneMixture(seen, o);
    const told = oneToOneMixture(seen, { ...o, unseen: beta });
    const sd = Math.sqrt(sim.trueCount);
    // Without β the hidden pairs are missing from T; with it T counts them.
    expect(sim.trueCount - blind.trueMatches).toBeGreaterThan(hidden - 3 * sd);
    expect(Math.abs(told.trueMatches - sim.trueCount)).toBeLessThanOrEqual(3 * sd);
    expect(Math.abs(told.unseenMatches - hidden)).toBeLessThanOrEqual(3 * Math.sqrt(hidden) + 3);
    expect(told.unseen).toBe(beta);
    expect(blind.unseenMatches).toBe(0);
    // β = 0 is the mixture without it, bit for bit.
    expect(oneToOneMixture(seen, { ...o, unseen: 0 }).probability).toEqual(blind.probability);
    expect(() => oneToOneMixture(seen, { ...o, unseen: 1 })).toThrow(RangeError);
    expect(() => oneToOneMixture(seen, { ...o, unseen: -0.1 })).toThrow(RangeError);
  });

  it('refuses malformed input', () => {
    const pairs = { left: [0], right: [0], weight: [1] };
    expect(() => oneToOneMixture(pairs, { leftCount: 0, rightCount: 1, priorWeight: 0 })).toThrow(RangeError);
    expect(() => oneToOneMixture(pairs, { leftCount: 1, rightCount: 1, priorWeight: Number.NaN })).toThrow(
      RangeError,
    );
    expect(() =>
      oneToOneMixture(
        { left: [0], right: [0, 1], weight: [1] },
        { leftCount: 1, rightCount: 2, priorWeight: 0 },
      ),
    ).toThrow(RangeError);
    expect(() =>
      oneToOneMixture(
        { left: [3], right: [0], weight: [1] },
        { leftCount: 1, rightCount: 2, priorWeight: 0 },
      ),
    ).toThrow(RangeError);
    const mix = oneToOneMixture(pairs, { leftCount: 1, rightCount: 1, priorWeight: 0 });
    expect(() => expectedQuality(mix, { match: [5], review: [] }, { wrong: 0, trueMatches: 0 })).toThrow(
      RangeError,
    );
  });
});
