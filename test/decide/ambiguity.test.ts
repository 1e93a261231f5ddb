/** The ambiguity rule's flags and closest competitors agree, whatever the ties. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ambiguousOf, ambiguousPairs, closestCompetitors } from '../../src/decide/ambiguity.js';
import { greedyOneToOne, type ScoredPairs } from '../../src/decide/assign.js';

const pairsOf = (rows: readonly (readonly [number, number, number])[]): ScoredPairs => ({
  left: Uint32Array.from(rows, (r) => r[0]),
  right: Uint32Array.from(rows, (r) => r[1]),
  weight: Float64Array.from(rows, (r) => r[2]),
});

describe('ambiguousPairs, closestCompetitors, ambiguousOf', () => {
  it('flag the same kept pairs from the competitors as from the best weights of each record', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 30 }),
            // Plan indices large enough for the sparse path of the records' dense ids, sometimes.
            fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 2 ** 31 })),
            fc.oneof(fc.integer({ min: -4, max: 4 }), fc.double({ min: -20, max: 20, noNaN: true })),
          ),
          { maxLength: 300 },
        ),
        fc.constantFrom(0, 0.5, 1, 3),
        (rows, margin) => {
          const p = pairsOf(rows);
          const kept = greedyOneToOne(p);
          const competitors = closestCompetitors(p, kept, (a, b) => b - a);
          expect(Array.from(ambiguousOf(p, kept, competitors, margin))).toEqual(
            Array.from(ambiguousPairs(p, kept, margin)),
          );
          // The competitor is another pair of the same CoC or plan record, the strongest of them.
          for (const [x, k] of kept.entries()) {
            const c = competitors.pair[x]!;
            const others = rows
              .map((r, i) => [r, i] as const)
              .filter(([r, i]) => i !== k && (r[0] === rows[k]![0] || r[1] === rows[k]![1]));
            if (others.length === 0) {
              expect(c).toBe(-1);
              continue;
            }
            expect(c === k || !(rows[c]![0] === rows[k]![0] || rows[c]![1] === rows[k]![1])).toBe(false);
            expect(competitors.weight[x]).toEqual(Math.max(...others.map(([r]) => r[2])));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
