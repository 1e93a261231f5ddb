import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/match/match.js';
import { linkageMetrics } from '../../src/match/metrics.js';
import { measureByThreshold, TruthSet, truthFlags } from '../../src/report/measure.js';

const probability = fc
  .constantFrom(0, 0.05, 0.1, 0.5, 0.5, 0.9, 0.99, 1)
  .chain((p) => fc.oneof(fc.constant(p), fc.double({ min: 0, max: 1, noNaN: true })));

describe('measureByThreshold', () => {
  it('equals linkageMetrics of the links at or above each threshold (ties, duplicates, any order)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), probability), { maxLength: 60 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 })), {
          maxLength: 40,
        }),
        fc.array(probability, { minLength: 1, maxLength: 12 }),
        (raw, truthRaw, thresholds) => {
          const links: Link[] = raw.map(([i, p], k) => ({
            personalId: `p${k}`,
            memberId: `m${i}`,
            weight: 0,
            probability: p,
            status: 'match',
          }));
          const truth = truthRaw.map(([a, b]) => [`p${a}`, `m${b}`] as [string, string]);
          const set = new TruthSet(truth);
          const got = measureByThreshold(links, truthFlags(links, set), set.size, thresholds);
          thresholds.forEach((t, i) => {
            const above = links
              .filter((l) => l.probability >= t)
              .map((l) => [l.personalId, l.memberId] as const);
            expect(got[i]).toEqual(linkageMetrics(above, truth));
          });
        },
      ),
    );
  });

  it('counts distinct true pairs, with several members per client', () => {
    const t = new TruthSet([
      ['a', '1'],
      ['a', '2'],
      ['a', '1'],
      ['b', '1'],
      ['a', '3'],
      ['a', '2'],
    ]);
    expect(t.size).toBe(4);
    expect(t.has('a', '3')).toBe(true);
    expect(t.has('b', '2')).toBe(false);
    expect(t.has('c', '1')).toBe(false);
  });
});
