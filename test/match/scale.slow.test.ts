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
import { DEFAULT_COMPARISONS } from '../../src/compare/comparisons.js';
import { NULL_LEVEL } from '../../src/compare/patterns.js';
import type { LinkageModel } from '../../src/model/model.js';
import { Scorer } from '../../src/model/score.js';
import { trainModel } from '../../src/model/train.js';

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

/**
 * The same task without SSN (a plan list without SSNs, as at 3·10⁶ members): the deterministic rules
 * are then only "names and DOB exact", and before the same-DOB session estimated its own match rate,
 * λ and that rate fed each other (λ × pairs 3.9 % high here, 2.5× at 10⁵ × 3·10⁶; m(DOB = else)
 * 0.03 against a truth of 0.0002). Asserted from the generator's truth: λ × pairs against the true
 * pairs, m(DOB = else) against the share of true pairs whose full DOBs are unrelated. About 40 s
 * (generating and encoding 1.35·10⁵ records, then training) on a quiet machine.
 */
describe('training at 10⁴ × 1.25·10⁵ without SSN (from ground truth)', () => {
  let noSsn: EncodedSet;
  let model: LinkageModel;

  beforeAll(async () => {
    noSsn = await synthSet({ clients: 10_000, members: 125_000, noSsn: true, cache: false });
    model = trainModel(noSsn.coc, noSsn.mcp, DEFAULT_COMPARISONS);
  });

  it('λ × pairs is within 2 % of the true pairs', () => {
    const estimated = model.lambda * noSsn.coc.length * noSsn.mcp.length;
    expect(Math.abs(estimated / noSsn.truth.length - 1)).toBeLessThanOrEqual(0.02);
  });

  it('m(DOB = else) is within 1 point of its share among the true pairs', () => {
    const li = new Map(noSsn.coc.ids.map((id, i) => [id, i]));
    const ri = new Map(noSsn.mcp.ids.map((id, i) => [id, i]));
    const pairs = noSsn.truth.filter(([a, b]) => li.has(a) && ri.has(b));
    const dob = model.comparisons.findIndex((c) => c.spec.name === 'DOB');
    const c = model.comparisons[dob]!;
    const elseLevel = c.spec.levels.findIndex((l) => l.label === 'else');
    const levels = new Scorer(model, noSsn.coc, noSsn.mcp).scorePairs(
      pairs.map(([a]) => li.get(a)!),
      pairs.map(([, b]) => ri.get(b)!),
    ).levels[dob]!;
    const nonNull = levels.filter((l) => l !== NULL_LEVEL).length;
    const truthShare = levels.filter((l) => l === elseLevel).length / nonNull;
    expect(Math.abs(c.m[elseLevel]! - truthShare)).toBeLessThanOrEqual(0.01);
  });
});
