import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NULL_LEVEL, PatternCounter, type PatternTable } from '../../src/compare/patterns.js';
import { type EmIteration, runEm } from '../../src/model/em.js';
import type { FsParams } from '../../src/model/weights.js';
import { deepFreeze, rng, simulate } from './sim.js';

/** Known parameters: 5 comparisons with 2–5 levels (first level = exact agreement). */
const TRUTH: FsParams = deepFreeze({
  lambda: 0.12,
  m: [
    [0.92, 0.08],
    [0.85, 0.1, 0.05],
    [0.7, 0.15, 0.1, 0.05],
    [0.6, 0.2, 0.1, 0.06, 0.04],
    [0.88, 0.07, 0.05],
  ],
  u: [
    [0.45, 0.55],
    [0.02, 0.08, 0.9],
    [0.01, 0.04, 0.15, 0.8],
    [0.005, 0.015, 0.05, 0.2, 0.73],
    [0.03, 0.1, 0.87],
  ],
});
const NULL_RATE = [0, 0.05, 0.1, 0.2, 0.03];
/** Stated tolerance for recovered probabilities (the sampling error at 200k pairs is ~0.005). */
const TOLERANCE = 0.02;

/** Moves each row halfway to uniform: a start that is wrong but not adversarial. */
function perturb(rows: FsParams['m']): number[][] {
  return rows.map((row) => row.map((p) => 0.5 * p + 0.5 / row.length));
}

function maxDiff(a: FsParams['m'], b: FsParams['m']): number {
  let d = 0;
  for (const [k, row] of a.entries())
    for (const [l, p] of row.entries()) d = Math.max(d, Math.abs(p - b[k]![l]!));
  return d;
}

function expectNonDecreasing(ll: readonly number[]): void {
  for (let i = 1; i < ll.length; i++) {
    expect(ll[i]!).toBeGreaterThanOrEqual(ll[i - 1]! - 1e-9 * (Math.abs(ll[i - 1]!) + 1));
  }
}

describe('runEm on simulated data', () => {
  const table = simulate(TRUTH, 200_000, NULL_RATE, 20240611);

  it('recovers λ and m from a perturbed start with u fixed to the truth', () => {
    const init = deepFreeze({ lambda: 0.3, m: perturb(TRUTH.m), u: TRUTH.u });
    const r = runEm(table, init, { maxIterations: 500 });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.params.lambda - TRUTH.lambda)).toBeLessThan(TOLERANCE);
    expect(maxDiff(r.params.m, TRUTH.m)).toBeLessThan(TOLERANCE);
    expect(r.params.u).toEqual(TRUTH.u);
    expect(r.params.u[0]).not.toBe(TRUTH.u[0]);
    expect(r.logLikelihood).toHaveLength(r.iterations + 1);
    expectNonDecreasing(r.logLikelihood);
  });

  it('recovers λ, m and u with u free', () => {
    const init = deepFreeze({ lambda: 0.3, m: perturb(TRUTH.m), u: perturb(TRUTH.u) });
    const r = runEm(table, init, { fixU: false, maxIterations: 1000 });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.params.lambda - TRUTH.lambda)).toBeLessThan(TOLERANCE);
    expect(maxDiff(r.params.m, TRUTH.m)).toBeLessThan(TOLERANCE);
    expect(maxDiff(r.params.u, TRUTH.u)).toBeLessThan(TOLERANCE);
    expectNonDecreasing(r.logLikelihood);
  });

  it('leaves inactive comparisons at their initial m and u and still recovers the others', () => {
    const init = deepFreeze({ lambda: 0.3, m: perturb(TRUTH.m), u: perturb(TRUTH.u) });
    const active = [true, false, true, true, false];
    const r = runEm(table, init, { active, fixU: false, maxIterations: 1000 });
    for (const k of [1, 4]) {
      expect(r.params.m[k]).toEqual(init.m[k]);
      expect(r.params.u[k]).toEqual(init.u[k]);
    }
    expect(Math.abs(r.params.lambda - TRUTH.lambda)).toBeLessThan(TOLERANCE);
    for (const k of [0, 2, 3]) expect(maxDiff([r.params.m[k]!], [TRUTH.m[k]!])).toBeLessThan(TOLERANCE);
  });

  it('reports every iteration through onIteration', () => {
    const seen: EmIteration[] = [];
    const init = { lambda: 0.3, m: perturb(TRUTH.m), u: TRUTH.u };
    const r = runEm(table, init, { maxIterations: 7, tolerance: 0, onIteration: (it) => seen.push(it) });
    expect(seen.map((it) => it.iteration)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seen.map((it) => it.logLikelihood)).toEqual(r.logLikelihood.slice(1));
    for (const it of seen) expect(it.maxChange).toBeGreaterThan(0);
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(7);
  });
});

describe('runEm with a per-pair prior (priorShift)', () => {
  // Two kinds of pairs in one session, as a same-name block holds: pairs of a rare name (most are
  // matches) and of a common one (few are). The last position of each pattern says which kind. The
  // other comparisons are weak evidence (as DOB "else" against sex), so the prior matters.
  const WEAK: FsParams = deepFreeze({
    lambda: 0.3,
    m: [
      [0.9, 0.1],
      [0.7, 0.2, 0.1],
    ],
    u: [
      [0.4, 0.6],
      [0.2, 0.3, 0.5],
    ],
  });
  // As in training: the session's base rate comes from the average frequency of the agreeing
  // values, and each pair's shift from its own value's frequency (here +3 and −1 nats).
  const logit = (p: number) => Math.log(p / (1 - p));
  const base = 0.05;
  const shift = [3, -1];
  const lambdas = shift.map((s) => 1 / (1 + Math.exp(-(logit(base) + s))));
  const counter = new PatternCounter([...WEAK.m.map((row) => row.length), 2]);
  const random = rng(7);
  const levels = new Uint8Array(WEAK.m.length + 1);
  const pick = (row: readonly number[]) => {
    let x = random();
    for (let l = 0; l < row.length; l++) {
      x -= row[l] ?? 0;
      if (x < 0) return l;
    }
    return row.length - 1;
  };
  const pairs = 200_000;
  for (let i = 0; i < pairs; i++) {
    const g = i % 2;
    const match = random() < lambdas[g]!;
    for (let c = 0; c < WEAK.m.length; c++) levels[c] = pick((match ? WEAK.m : WEAK.u)[c]!);
    levels[WEAK.m.length] = g;
    counter.add(levels);
  }
  const table = counter.toTable();
  const flat = [0.5, 0.5];
  const init = deepFreeze({ lambda: base, m: [...perturb(WEAK.m), flat], u: [...WEAK.u, flat] });
  const active = [...WEAK.m.map(() => true), false];

  it('recovers m when each pair has its own prior; the base rate alone does not', () => {
    const r = runEm(table, init, {
      fixLambda: true,
      active,
      maxIterations: 500,
      priorShift: { comparison: WEAK.m.length, shift },
    });
    const plain = runEm(table, init, { fixLambda: true, active, maxIterations: 500 });
    const err = maxDiff(r.params.m.slice(0, -1), WEAK.m);
    expect(err).toBeLessThan(TOLERANCE);
    expect(maxDiff(plain.params.m.slice(0, -1), WEAK.m)).toBeGreaterThan(TOLERANCE);
    expectNonDecreasing(r.logLikelihood);
  });

  it('estimates the base rate under the shifts when λ is free (from a start far off), monotonically', () => {
    // A stronger comparison set, so λ is identifiable: the same pairs with a third, informative comparison.
    const STRONG = { m: [...WEAK.m, [0.9, 0.05, 0.05]], u: [...WEAK.u, [0.02, 0.08, 0.9]] };
    const c2 = new PatternCounter([...STRONG.m.map((row) => row.length), 2]);
    const rand = rng(11);
    const lv = new Uint8Array(STRONG.m.length + 1);
    const pick2 = (row: readonly number[]) => {
      let x = rand();
      for (let l = 0; l < row.length; l++) {
        x -= row[l] ?? 0;
        if (x < 0) return l;
      }
      return row.length - 1;
    };
    let matches = 0;
    for (let i = 0; i < pairs; i++) {
      const g = i % 2;
      const match = rand() < lambdas[g]!;
      if (match) matches++;
      for (let c = 0; c < STRONG.m.length; c++) lv[c] = pick2((match ? STRONG.m : STRONG.u)[c]!);
      lv[STRONG.m.length] = g;
      c2.add(lv);
    }
    const t2 = c2.toTable();
    const act = [...STRONG.m.map(() => true), false];
    const start = {
      lambda: 0.4,
      m: [...STRONG.m.map((row) => perturb([row])[0]!), flat],
      u: [...STRONG.u, flat],
    };
    const r = runEm(t2, start, {
      active: act,
      maxIterations: 500,
      priorShift: { comparison: STRONG.m.length, shift },
    });
    // The base rate whose shifted priors add up to the matches drawn (computed from the draw).
    const drawnBase = (() => {
      let lo = -20;
      let hi = 20;
      for (let it = 0; it < 100; it++) {
        const b = (lo + hi) / 2;
        const sum = shift.reduce((a, s) => a + pairs / 2 / (1 + Math.exp(-(b + s))), 0);
        if (sum < matches) lo = b;
        else hi = b;
      }
      return 1 / (1 + Math.exp(-(lo + hi) / 2));
    })();
    expect(Math.abs(Math.log(r.params.lambda / drawnBase))).toBeLessThan(0.05);
    // The share of matches among all pairs, which the rule without shifts would return, is far off.
    expect(Math.abs(Math.log(matches / pairs / drawnBase))).toBeGreaterThan(0.3);
    expectNonDecreasing(r.logLikelihood);
  });

  it('adds a level shift to the prior of the patterns at that level, as a shifted bin would', () => {
    // Every pattern has a level of comparison 0 (no nulls): shifting both its levels by d is shifting every bin by d.
    const d = 0.7;
    const opts = { active, maxIterations: 200 };
    const a = runEm(table, init, {
      ...opts,
      priorShift: { comparison: WEAK.m.length, shift: shift.map((s) => s + d) },
    });
    const levels = WEAK.u[0]!.map((_, l) => ({ comparison: 0, level: l, shift: d }));
    const b = runEm(table, init, { ...opts, priorShift: { comparison: WEAK.m.length, shift, levels } });
    expect(b.params.lambda).toBeCloseTo(a.params.lambda, 9);
    expect(maxDiff(b.params.m, a.params.m)).toBeLessThan(1e-9);
    // With λ fixed, u′ in place of u and a shift log(u′ / u) at each level give the same posteriors, so the same m
    // (training's term-frequency levels: the pair's odds stay λ m / u_v whichever u the level has).
    const other = [0.25, 0.75];
    const moved = { ...init, u: [other, ...init.u.slice(1)] };
    const back = WEAK.u[0]!.map((x, l) => ({ comparison: 0, level: l, shift: Math.log(other[l]! / x) }));
    const fixed = { ...opts, fixLambda: true, priorShift: { comparison: WEAK.m.length, shift } };
    const c = runEm(table, init, fixed);
    const e = runEm(table, moved, { ...fixed, priorShift: { ...fixed.priorShift, levels: back } });
    expect(maxDiff(e.params.m, c.params.m)).toBeLessThan(1e-9);
    expect(maxDiff(runEm(table, moved, fixed).params.m, c.params.m)).toBeGreaterThan(1e-3);
    expect(() =>
      runEm(table, init, {
        ...opts,
        priorShift: { comparison: WEAK.m.length, shift, levels: [{ comparison: 0, level: 2, shift: 0 }] },
      }),
    ).toThrow(RangeError);
  });

  it('refuses a shift on an active comparison or of the wrong length', () => {
    expect(() => runEm(table, init, { priorShift: { comparison: WEAK.m.length, shift: [0, 0] } })).toThrow(
      RangeError,
    );
    expect(() =>
      runEm(table, init, { active, priorShift: { comparison: WEAK.m.length, shift: [0] } }),
    ).toThrow(RangeError);
  });
});

describe('runEm edge cases', () => {
  const init: FsParams = { lambda: 0.5, m: [[0.9, 0.1]], u: [[0.1, 0.9]] };
  const table = (patterns: number[], counts: number[]): PatternTable => ({
    levelCounts: [2],
    patterns: Uint8Array.from(patterns),
    counts: Float64Array.from(counts),
  });

  it('floors a level never seen among matches instead of giving it probability 0', () => {
    const r = runEm(
      table([0, 1], [100, 100]),
      { lambda: 0.5, m: [[0.5, 0.5]], u: [[0.02, 0.98]] },
      { floor: 1e-4 },
    );
    const m = r.params.m[0]!;
    expect(Math.min(...m)).toBeGreaterThanOrEqual(1e-4 - 1e-12);
    expect(m[0]! + m[1]!).toBeCloseTo(1, 12);
  });

  it('returns the start for an empty table, and keeps a row that is null in every pattern', () => {
    const empty = runEm(table([], []), init);
    expect(empty).toMatchObject({ iterations: 0, converged: true, params: init });
    const allNull = runEm(table([NULL_LEVEL], [10]), init, { fixU: false });
    expect(allNull.params.m).toEqual(init.m);
    expect(allNull.params.u).toEqual(init.u);
  });

  it('rejects malformed parameters and options', () => {
    const t = table([0], [1]);
    expect(() => runEm(t, { ...init, lambda: 1 })).toThrow(RangeError);
    expect(() => runEm(t, { ...init, m: [[0.9, 0.2]] })).toThrow(/m\[0\] must sum to 1/);
    expect(() => runEm(t, { ...init, u: [[0.5, 0.25, 0.25]] })).toThrow(RangeError);
    expect(() => runEm(t, init, { active: [true, false] })).toThrow(RangeError);
    expect(() => runEm(t, init, { floor: 0.5 })).toThrow(RangeError);
    expect(() => runEm(t, init, { floor: 0 })).toThrow(RangeError);
    expect(() => runEm(t, init, { maxIterations: -1 })).toThrow(RangeError);
    expect(() => runEm({ ...t, patterns: Uint8Array.of(2) }, init)).toThrow(RangeError);
  });
});

/** Random pattern tables with random starting parameters and options. */
const emCase = fc
  .array(fc.integer({ min: 2, max: 4 }), { minLength: 1, maxLength: 4 })
  .chain((levelCounts) => {
    const row = (l: number) =>
      fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: l, maxLength: l }).map((xs) => {
        const s = xs.reduce((a, b) => a + b, 0);
        return xs.map((x) => x / s);
      });
    return fc.record({
      levelCounts: fc.constant(levelCounts),
      rows: fc.array(
        fc.tuple(
          fc.tuple(
            ...levelCounts.map((l) => fc.oneof(fc.integer({ min: 0, max: l - 1 }), fc.constant(NULL_LEVEL))),
          ),
          fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.double({ min: 0, max: 50, noNaN: true })),
        ),
        { minLength: 1, maxLength: 40 },
      ),
      lambda: fc.double({ min: 0.001, max: 0.999, noNaN: true }),
      m: fc.tuple(...levelCounts.map(row)),
      u: fc.tuple(...levelCounts.map(row)),
      fixU: fc.boolean(),
      active: fc.tuple(...levelCounts.map(() => fc.boolean())),
      floor: fc.constantFrom(1e-12, 1e-6, 1e-3),
    });
  });

describe('runEm properties', () => {
  it('never decreases the log-likelihood, keeps rows normalised above the floor, never mutates inputs', () => {
    fc.assert(
      fc.property(emCase, (c) => {
        const k = c.levelCounts.length;
        const table: PatternTable = {
          levelCounts: c.levelCounts,
          patterns: Uint8Array.from(c.rows.flatMap(([levels]) => levels)),
          counts: Float64Array.from(c.rows.map(([, n]) => n)),
        };
        const init = deepFreeze({ lambda: c.lambda, m: c.m, u: c.u });
        const patternsBefore = table.patterns.slice();
        const countsBefore = table.counts.slice();
        const r = runEm(table, init, {
          fixU: c.fixU,
          active: c.active,
          floor: c.floor,
          maxIterations: 30,
          tolerance: 0,
        });
        expectNonDecreasing(r.logLikelihood);
        expect(table.patterns).toEqual(patternsBefore);
        expect(table.counts).toEqual(countsBefore);
        for (let i = 0; i < k; i++) {
          for (const rowSet of [r.params.m, r.params.u]) {
            const rowI = rowSet[i]!;
            expect(rowI.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
          }
          if (c.active[i]) {
            expect(Math.min(...r.params.m[i]!)).toBeGreaterThanOrEqual(c.floor * (1 - 1e-9));
          } else {
            expect(r.params.m[i]).toEqual(c.m[i]);
          }
          if (c.fixU || !c.active[i]) expect(r.params.u[i]).toEqual(c.u[i]);
        }
        expect(r.params.lambda).toBeGreaterThanOrEqual(c.floor);
        expect(r.params.lambda).toBeLessThanOrEqual(1 - c.floor);
      }),
      { numRuns: 200 },
    );
  });
});
