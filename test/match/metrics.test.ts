import { describe, expect, it } from 'vitest';
import { linkageMetrics, pairCompleteness } from '../../src/match/metrics.js';

describe('linkageMetrics', () => {
  it('counts true and false positives and negatives', () => {
    const m = linkageMetrics(
      [
        ['p1', 'm1'],
        ['p2', 'm9'],
        ['p1', 'm1'], // duplicate counts once
      ],
      [
        ['p1', 'm1'],
        ['p3', 'm3'],
        ['p4', 'm4'],
      ],
    );
    expect(m).toEqual({
      truePositives: 1,
      falsePositives: 1,
      falseNegatives: 2,
      precision: 0.5,
      recall: 1 / 3,
      f1: 0.4,
    });
  });

  it('keeps IDs apart that a naive joined key would confuse', () => {
    const m = linkageMetrics([['a,b', 'c']], [['a', 'b,c']]);
    expect(m.truePositives).toBe(0);
  });

  it('defines the empty cases', () => {
    expect(linkageMetrics([], [])).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(linkageMetrics([], [['a', 'b']])).toMatchObject({ precision: 1, recall: 0, f1: 0 });
    expect(linkageMetrics([['a', 'b']], [])).toMatchObject({ precision: 0, recall: 1, f1: 0 });
  });

  it('works on numeric record indices', () => {
    expect(linkageMetrics([[1, 2]], [[1, 2]]).f1).toBe(1);
  });
});

describe('pairCompleteness', () => {
  it('measures blocking recall, pair quality and reduction ratio', () => {
    const candidates: [string, string][] = [
      ['p1', 'm1'],
      ['p1', 'm2'],
      ['p2', 'm2'],
      ['p3', 'm1'],
    ];
    const truth: [string, string][] = [
      ['p1', 'm1'],
      ['p2', 'm2'],
      ['p3', 'm3'],
    ];
    const pc = pairCompleteness(candidates, truth, { leftCount: 4, rightCount: 5 });
    expect(pc).toEqual({
      candidatePairs: 4,
      truePairs: 3,
      truePairsFound: 2,
      pairCompleteness: 2 / 3,
      pairQuality: 0.5,
      reductionRatio: 1 - 4 / 20,
    });
    expect(pairCompleteness(candidates, truth)).not.toHaveProperty('reductionRatio');
    expect(() => pairCompleteness(candidates, truth, { leftCount: 0, rightCount: 5 })).toThrow(RangeError);
  });
});
