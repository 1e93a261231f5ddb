import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NULL_LEVEL } from '../../src/compare/patterns.js';
import {
  assertFsParams,
  type FsParams,
  levelWeight,
  levelWeights,
  matchWeight,
  priorWeight,
  probabilityToWeight,
  scoreLevels,
  tfAdjustedPartial,
  tfAdjustedU,
  tfAdjustment,
  weightToProbability,
} from '../../src/model/weights.js';

const PARAMS: FsParams = {
  lambda: 1 / 1025, // prior weight exactly −10
  m: [
    [0.5, 0.5],
    [0.8, 0.15, 0.05],
  ],
  u: [
    [0.125, 0.875],
    [0.05, 0.15, 0.8],
  ],
};

describe('weight ↔ probability', () => {
  it('maps known points', () => {
    expect(weightToProbability(0)).toBe(0.5);
    expect(weightToProbability(1)).toBeCloseTo(2 / 3, 15);
    expect(weightToProbability(-1)).toBeCloseTo(1 / 3, 15);
    expect(probabilityToWeight(0.5)).toBe(0);
    expect(probabilityToWeight(0.8)).toBeCloseTo(2, 14);
  });

  it('is stable at the extremes', () => {
    expect(weightToProbability(5000)).toBe(1);
    expect(weightToProbability(-5000)).toBe(0);
    expect(weightToProbability(Number.POSITIVE_INFINITY)).toBe(1);
    expect(weightToProbability(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(weightToProbability(-1000)).toBeGreaterThan(0); // 2^-1000 is representable
    expect(probabilityToWeight(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(probabilityToWeight(1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => probabilityToWeight(1.5)).toThrow(RangeError);
    expect(() => probabilityToWeight(Number.NaN)).toThrow(RangeError);
  });

  it('round-trips within the documented precision', () => {
    fc.assert(
      fc.property(fc.double({ min: -1000, max: 30, noNaN: true }), (w) => {
        const back = probabilityToWeight(weightToProbability(w));
        const tolerance = w > 0 ? 2 ** (w - 50) + 1e-12 : 1e-12 * Math.max(1, Math.abs(w));
        expect(Math.abs(back - w)).toBeLessThanOrEqual(tolerance);
      }),
    );
  });

  it('is monotone', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -60, max: 60, noNaN: true }),
        fc.double({ min: -60, max: 60, noNaN: true }),
        (a, b) => {
          if (a < b) expect(weightToProbability(a)).toBeLessThanOrEqual(weightToProbability(b));
        },
      ),
    );
  });
});

describe('matchWeight', () => {
  it('sums the prior and log2(m/u) of each level, nulls adding 0', () => {
    const r = matchWeight(PARAMS, [0, 0]);
    expect(r.partial[0]).toBeCloseTo(2, 14);
    expect(r.partial[1]).toBeCloseTo(4, 14);
    expect(r.weight).toBeCloseTo(-10 + 2 + 4, 12);
    const withNull = matchWeight(PARAMS, Uint8Array.of(NULL_LEVEL, 2));
    expect(withNull.partial[0]).toBe(0);
    expect(withNull.partial[1]).toBeCloseTo(-4, 14);
    expect(withNull.weight).toBeCloseTo(-14, 12);
    expect(priorWeight(PARAMS.lambda)).toBeCloseTo(-10, 12);
  });

  it('agrees exactly with levelWeights + scoreLevels (one formula)', () => {
    const weights = levelWeights(PARAMS);
    const prior = priorWeight(PARAMS.lambda);
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 1 }), fc.constant(NULL_LEVEL)),
        fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constant(NULL_LEVEL)),
        (a, b) => {
          const r = matchWeight(PARAMS, [a, b]);
          expect(scoreLevels(weights, prior, [a, b])).toBe(r.weight);
          if (a !== NULL_LEVEL) expect(r.partial[0]).toBe(weights[0]![a]);
          if (b !== NULL_LEVEL) expect(r.partial[1]).toBe(weights[1]![b]);
        },
      ),
    );
    expect(scoreLevels(weights, prior, [0, 7])).toBeNaN();
  });

  it('applies term-frequency adjustment to the chosen levels only', () => {
    const uTf = 0.0125; // 4× rarer than the exact level's average u = 0.05
    const plain = matchWeight(PARAMS, [0, 0]);
    const full = matchWeight(PARAMS, [0, 0], { tf: [undefined, { uTf }] });
    expect(full.partial[1]).toBeCloseTo(Math.log2(0.8 / uTf), 12);
    expect(full.partial[0]).toBe(plain.partial[0]);
    const half = matchWeight(PARAMS, [0, 0], { tf: [undefined, { uTf, strength: 0.5 }] });
    expect(half.partial[1]).toBeCloseTo(plain.partial[1]! + 1, 12);
    // Level 1 is not adjusted by default; it is when listed, still relative to the exact level's u.
    expect(matchWeight(PARAMS, [0, 1], { tf: [undefined, { uTf }] }).partial[1]).toBeCloseTo(0, 12);
    expect(matchWeight(PARAMS, [0, 1], { tf: [undefined, { uTf, levels: [0, 1] }] }).partial[1]).toBeCloseTo(
      2,
      12,
    );
    expect(() => matchWeight(PARAMS, [0, 0], { tf: [undefined, { uTf, exactLevel: 3 }] })).toThrow(
      RangeError,
    );
  });

  it('rejects bad level vectors', () => {
    expect(() => matchWeight(PARAMS, [0])).toThrow(RangeError);
    expect(() => matchWeight(PARAMS, [0, 3])).toThrow(/levels\[1\]/);
  });
});

describe('levelWeight', () => {
  it('is log2(m/u), infinite for u = 0 or m = 0', () => {
    expect(levelWeight(0.5, 0.125)).toBe(2);
    expect(levelWeight(0.9, 0.01)).toBeCloseTo(Math.log2(90), 14);
    expect(levelWeight(0.5, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(levelWeight(0, 0.5)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('term-frequency functions', () => {
  const prob = fc.double({ min: 1e-9, max: 1, noNaN: true });

  it('replace u by the value frequency exactly at full strength, leave it exactly at 0', () => {
    fc.assert(
      fc.property(prob, prob, prob, (m, u, uTf) => {
        expect(tfAdjustedU(u, uTf, u)).toBe(uTf);
        expect(tfAdjustedU(u, uTf, u, 0)).toBe(u);
        expect(tfAdjustedPartial(m, uTf, u)).toBe(levelWeight(m, uTf));
        expect(tfAdjustedPartial(m, uTf, u, 0)).toBe(levelWeight(m, u));
      }),
    );
  });

  it('shift a level by the adjustment term, whatever its strength', () => {
    fc.assert(
      fc.property(
        prob,
        prob,
        prob,
        prob,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (m, u, uTf, uExact, s) => {
          const shifted = levelWeight(m, tfAdjustedU(u, uTf, uExact, s));
          expect(shifted).toBeCloseTo(levelWeight(m, u) + tfAdjustment(uTf, uExact, s), 9);
        },
      ),
    );
  });

  it('follow Splink: u replaced by the value frequency, interpolated by strength', () => {
    expect(tfAdjustedPartial(0.9, 0.001, 0.01)).toBeCloseTo(Math.log2(0.9 / 0.001), 12);
    expect(tfAdjustedPartial(0.9, 0.001, 0.01, 0)).toBeCloseTo(Math.log2(0.9 / 0.01), 12);
    expect(tfAdjustedPartial(0.9, 0.001, 0.01, 0.5)).toBeCloseTo(
      Math.log2(0.9 / 0.01) + 0.5 * Math.log2(10),
      12,
    );
    expect(tfAdjustment(0.001, 0.004)).toBeCloseTo(2, 12);
    expect(tfAdjustment(0.04, 0.01)).toBeCloseTo(-2, 12); // a common value weakens the evidence
    expect(() => tfAdjustment(0, 0.01)).toThrow(RangeError);
    expect(() => tfAdjustment(0.1, 0.01, 2)).toThrow(RangeError);
    expect(() => tfAdjustedPartial(1.2, 0.1, 0.1)).toThrow(RangeError);
  });
});

describe('assertFsParams', () => {
  it('checks λ, shapes and row sums', () => {
    expect(() => assertFsParams(PARAMS, [2, 3])).not.toThrow();
    expect(() => assertFsParams(PARAMS, [2, 2])).toThrow(/params\.m\[1\]/);
    expect(() => assertFsParams({ ...PARAMS, lambda: 0 })).toThrow(RangeError);
    expect(() => assertFsParams({ ...PARAMS, u: [[0.5, 0.5]] })).toThrow(RangeError);
    expect(() => assertFsParams({ ...PARAMS, m: [[0.5, 0.6], PARAMS.m[1]!] })).toThrow(/sum to 1/);
    expect(() => levelWeights({ ...PARAMS, m: [[-0.5, 1.5], PARAMS.m[1]!] })).toThrow(RangeError);
  });
});
