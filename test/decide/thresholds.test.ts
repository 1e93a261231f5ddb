import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseThresholds, DEFAULT_THRESHOLDS, thresholdTable } from '../../src/decide/thresholds.js';

const rep = (p: number, n: number): number[] => Array(n).fill(p);

/**
 * Hand-computable example: 10 pairs at 0.95, 10 at 0.6, 20 at 0.2, 100 at 0.07, 100 at 0.01.
 * Expected matches E = 9.5 + 6 + 4 + 7 + 1 = 27.5.
 *  t in (0.6, 0.95]: 10 above, TP 9.5  → P 0.95,  R 0.3455, F1 0.5067
 *  t in (0.2, 0.6]:  20 above, TP 15.5 → P 0.775, R 0.5636, F1 0.6526  ← best, highest such t = 0.6
 *  t in (0.07, 0.2]: 40 above, TP 19.5 → P 0.4875, R 0.7091, F1 0.5778
 * Review band [t, 0.6): for t in (0.07, 0.2] it holds the 20 pairs at 0.2 (precision 0.2 ≥ 0.1);
 * at t = 0.07 it adds 100 pairs at 0.07 (precision 11/120 = 0.092 < 0.1) → review = 0.08.
 */
const EXAMPLE = Float64Array.from([
  ...rep(0.95, 10),
  ...rep(0.6, 10),
  ...rep(0.2, 20),
  ...rep(0.07, 100),
  ...rep(0.01, 100),
]);

describe('thresholdTable', () => {
  it('computes expected precision, recall and F1 (pairs at the threshold count as above)', () => {
    const rows = thresholdTable(EXAMPLE, { thresholds: [0.95, 0.6, 0.61] });
    expect(rows.map((r) => r.threshold)).toEqual([0.6, 0.61, 0.95]);
    const [at60, at61, at95] = rows;
    expect(at60).toMatchObject({ pairsAbove: 20 });
    expect(at60!.expectedTruePositives).toBeCloseTo(15.5, 10);
    expect(at60!.expectedPrecision).toBeCloseTo(0.775, 10);
    expect(at60!.expectedRecall).toBeCloseTo(15.5 / 27.5, 10);
    expect(at60!.expectedF1).toBeCloseTo((2 * 0.775 * (15.5 / 27.5)) / (0.775 + 15.5 / 27.5), 10);
    expect(at61).toMatchObject({ pairsAbove: 10 });
    expect(at95).toMatchObject({ pairsAbove: 10 });
    expect(at95!.expectedPrecision).toBeCloseTo(0.95, 12);
  });

  it('uses the given expected matches and caps recall at 1', () => {
    const [r] = thresholdTable(EXAMPLE, { thresholds: [0.5], expectedMatches: 10 });
    expect(r!.expectedRecall).toBe(1);
    const [s] = thresholdTable(EXAMPLE, { thresholds: [0.5], expectedMatches: 31 });
    expect(s!.expectedRecall).toBeCloseTo(0.5, 12);
  });

  it('defaults to a 101-step grid and handles no pairs', () => {
    expect(DEFAULT_THRESHOLDS).toHaveLength(101);
    const rows = thresholdTable(new Float64Array(0));
    expect(rows).toHaveLength(101);
    expect(rows[0]).toMatchObject({ pairsAbove: 0, expectedPrecision: 1, expectedRecall: 1 });
  });

  it('is monotone: fewer pairs and expected true positives as the threshold rises', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 300 }), (ps) => {
        const rows = thresholdTable(Float64Array.from(ps));
        for (let i = 1; i < rows.length; i++) {
          expect(rows[i]!.pairsAbove).toBeLessThanOrEqual(rows[i - 1]!.pairsAbove);
          expect(rows[i]!.expectedTruePositives).toBeLessThanOrEqual(
            rows[i - 1]!.expectedTruePositives + 1e-9,
          );
          expect(rows[i]!.expectedRecall).toBeLessThanOrEqual(rows[i - 1]!.expectedRecall + 1e-9);
        }
      }),
    );
  });

  it('rejects probabilities and thresholds outside [0, 1]', () => {
    expect(() => thresholdTable(Float64Array.of(0.5, 1.2))).toThrow(/probabilities\[1\]/);
    expect(() => thresholdTable(Float64Array.of(Number.NaN))).toThrow(RangeError);
    expect(() => thresholdTable(Float64Array.of(0.5), { thresholds: [2] })).toThrow(RangeError);
    expect(() => thresholdTable(Float64Array.of(0.5), { expectedMatches: -1 })).toThrow(RangeError);
  });
});

describe('chooseThresholds', () => {
  it('picks the hand-computed thresholds on the constructed example', () => {
    const c = chooseThresholds(EXAMPLE);
    expect(c.match).toBe(0.6);
    expect(c.review).toBe(0.08);
    expect(c.reviewPairs).toBe(20);
    expect(c.reviewPrecision).toBeCloseTo(0.2, 10);
    expect(c.expectedF1).toBeCloseTo(0.6526, 4);
    expect(c.rationale).toContain('Match threshold 0.6');
    expect(c.rationale).toContain('Review threshold 0.08');
    expect(c.rationale).toContain('before one-to-one');
    expect(chooseThresholds(EXAMPLE, { assigned: true }).rationale).toContain('kept by one-to-one');
  });

  it('clamps the match threshold to the sane range', () => {
    // Best F1 unrestricted would be low: many pairs at 0.3 carry most of the expected matches.
    const ps = Float64Array.from([...rep(0.3, 100), ...rep(0.9, 2)]);
    const c = chooseThresholds(ps);
    expect(c.match).toBe(0.9);
    expect(c.rationale).toContain('Unrestricted, 0.3');
    // The band holds the 0.3s (precision 0.3 ≥ 0.1) down to the lowest allowed threshold.
    expect(c.review).toBe(0.05);
    expect(c.reviewPairs).toBe(100);
    expect(chooseThresholds(ps, { matchRange: [0.2, 0.99] }).match).toBe(0.3);
  });

  it('stops the review band at the first drop in precision and never goes below minReview', () => {
    // Below 0.6: 10 pairs at 0.12 (band precision 0.12), then 100 at 0.06 would drag it to 0.0655.
    const ps = Float64Array.from([...rep(0.99, 50), ...rep(0.12, 10), ...rep(0.06, 100), ...rep(0.03, 500)]);
    const c = chooseThresholds(ps);
    expect(c.review).toBe(0.07);
    expect(c.reviewPairs).toBe(10);
    const d = chooseThresholds(ps, { minReviewPrecision: 0.05 });
    expect(d.review).toBe(0.05); // clamped: the 0.03s are never reviewed
    expect(d.reviewPairs).toBe(110);
  });

  it('has no review band when no pair lies below the match threshold', () => {
    const c = chooseThresholds(Float64Array.from(rep(0.99, 10)));
    expect(c.review).toBe(c.match);
    expect(c.reviewPairs).toBe(0);
    expect(c.rationale).toContain('No review band');
  });

  it('always returns review ≤ match within the documented bounds', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 200 }), (ps) => {
        const c = chooseThresholds(Float64Array.from(ps));
        expect(c.match).toBeGreaterThanOrEqual(0.5);
        expect(c.match).toBeLessThanOrEqual(0.99);
        expect(c.review).toBeLessThanOrEqual(c.match);
        expect(c.review).toBeGreaterThanOrEqual(0.05);
        if (c.reviewPairs > 0) expect(c.reviewPrecision).toBeGreaterThanOrEqual(0.1 - 1e-12);
      }),
    );
  });

  it('rejects a match range with no grid threshold', () => {
    expect(() => chooseThresholds(EXAMPLE, { matchRange: [0.5, 0.5], thresholds: [0.4, 0.6] })).toThrow(
      RangeError,
    );
    expect(() => chooseThresholds(EXAMPLE, { matchRange: [0.9, 0.5] })).toThrow(RangeError);
  });
});
