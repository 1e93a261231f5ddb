/**
 * Linkage quality at a plan's scale (issue #13): 10⁴ CoC clients against 1.25·10⁵ plan members (the
 * synthetic CoC/plan task with 10⁵ extra members: Census name frequencies, the generator's age mix),
 * encoded, defaults, no labels. Precision, recall and F1 are computed from the generator's truth; the
 * thresholds asserted are the acceptance criteria.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EncodedSet } from '../../bench/lib/scale.js';
import { synthSet } from '../../bench/lib/scale.js';
import { evaluateSet, type ScaleResult } from '../../bench/lib/scale-eval.js';

let set: EncodedSet;
let r: ScaleResult;

beforeAll(async () => {
  set = await synthSet({ clients: 10_000, members: 125_000, cache: false });
  r = evaluateSet(set);
});

describe('quality at 10⁴ × 1.25·10⁵ (defaults, encoded, from ground truth)', () => {
  it('F1 ≥ 0.98 and precision ≥ 0.99 (0.987 before issue #13)', () => {
    expect(r.f1).toBeGreaterThanOrEqual(0.98);
    expect(r.precision).toBeGreaterThanOrEqual(0.99);
  });

  it("the model's expected precision and recall are within 1 point of the measured ones", () => {
    expect(Math.abs(r.expectedPrecision - r.precision)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(r.expectedRecall - r.recall)).toBeLessThanOrEqual(0.01);
  });

  it('m(DOB = else) stays bounded as the plan list grows (no same-name strangers taken for matches)', () => {
    expect(r.mDobElse).toBeLessThanOrEqual(0.05);
  });
});
