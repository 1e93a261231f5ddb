/**
 * The model's own expectation against the truth on a generated CoC/plan set (issue #13): expected
 * precision and recall of the automatic links within 1 point of the measured ones, and the
 * estimated number of true matches (the denominator of expected recall, which must count the true
 * pairs blocking never compared) within 3 % of the generator's count.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EncodedSet } from '../../bench/lib/scale.js';
import { synthSet } from '../../bench/lib/scale.js';
import { evaluateSet, type ScaleResult } from '../../bench/lib/scale-eval.js';

let set: EncodedSet;
let r: ScaleResult;

beforeAll(async () => {
  set = await synthSet({ clients: 4_000, members: 20_000, cache: false });
  r = evaluateSet(set);
}, 120_000);

describe('expected against measured quality, 4,000 × 20,000 generated (defaults, encoded)', () => {
  it('expected precision and recall are within 1 point of the measured ones', () => {
    expect(Math.abs(r.expectedPrecision - r.precision)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(r.expectedRecall - r.recall)).toBeLessThanOrEqual(0.01);
  });

  it('the one-to-one mixture’s true matches are within 3 % of the truth, and it gives the expected figures', () => {
    const e = r.result.expected;
    expect(e).toBeDefined();
    if (!e) return;
    expect(Math.abs(e.trueMatches - set.truth.length) / set.truth.length).toBeLessThanOrEqual(0.03);
    expect(r.expectedPrecision).toBe(e.precision);
    expect(r.expectedRecall).toBe(e.recall);
    // Σ P over the automatic links can never exceed the true matches the mixture expects.
    expect(e.trueLinks).toBeLessThanOrEqual(e.trueMatches + 1e-9);
    expect(e.converged).toBe(true);
  });

  it('the estimated true matches count every true pair, not only the compared ones', () => {
    const estimated = r.result.estimatedTrueMatches ?? 0;
    expect(Math.abs(estimated - set.truth.length) / set.truth.length).toBeLessThanOrEqual(0.03);
    // Σ p of the kept pairs sees only the compared pairs: never above the estimate.
    expect(estimated).toBeGreaterThanOrEqual(r.result.expectedMatches ?? 0);
    // The threshold table's expected recall uses the same denominator.
    const row = r.result.thresholdTable.find((t) => t.threshold === r.threshold);
    expect(row?.expectedRecall).toBeCloseTo(
      row === undefined ? Number.NaN : row.expectedTruePositives / estimated,
      12,
    );
  });
});
