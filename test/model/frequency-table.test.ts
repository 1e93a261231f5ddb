import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frequencyTable } from '../../src/model/score.js';

/** The definition: counts over both lists of the left list's non-zero values; total of all non-zero values. */
function naive(left: Uint32Array, right: Uint32Array): { counts: Map<number, number>; total: number } {
  const counts = new Map<number, number>();
  let total = 0;
  for (const h of left)
    if (h !== 0) {
      counts.set(h, (counts.get(h) ?? 0) + 1);
      total++;
    }
  for (const h of right)
    if (h !== 0) {
      total++;
      if (counts.has(h)) counts.set(h, (counts.get(h) ?? 0) + 1);
    }
  return { counts, total };
}

describe('frequencyTable', () => {
  it('counts the left values over both lists, whatever values share low bits', () => {
    // Values from a small pool of low 20-bit patterns and high bits, so that many plan values pass
    // the low-bits filter without being a CoC value.
    const value = fc
      .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4095 }))
      .map(([lo, hi]) => ((hi << 20) | (lo * 0x3_1415)) >>> 0);
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), fc.array(value, { maxLength: 200 }), (l, r) => {
        const left = Uint32Array.from(l);
        const right = Uint32Array.from(r);
        const got = frequencyTable(left, right);
        const want = naive(left, right);
        expect(got.total).toBe(want.total);
        expect([...got.counts].sort((a, b) => a[0] - b[0])).toEqual(
          [...want.counts].sort((a, b) => a[0] - b[0]),
        );
        expect(frequencyTable(left, right)).toBe(got); // counted once per pair of columns
        expect(frequencyTable(left, right.slice())).toEqual(got);
      }),
    );
  });
});
