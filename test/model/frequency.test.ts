import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrequencyCount } from '../../src/model/frequency.js';

describe('FrequencyCount', () => {
  it('counts the left values over both lists chunk by chunk, keyed in the left list’s order', () => {
    // Values sharing low bits (they pass the filter without being left values) and repeats.
    const value = fc
      .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4095 }))
      .map(([lo, hi]) => ((hi << 20) | (lo * 0x3_1415)) >>> 0);
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 80 }),
        fc.array(fc.array(value, { maxLength: 120 }), { maxLength: 4 }),
        (l, chunks) => {
          const left = Uint32Array.from(l);
          const want = new Map<number, number>();
          let total = 0;
          for (const h of left)
            if (h !== 0) {
              want.set(h, (want.get(h) ?? 0) + 1);
              total++;
            }
          const f = new FrequencyCount(left);
          for (const c of chunks) {
            for (const h of c)
              if (h !== 0) {
                total++;
                if (want.has(h)) want.set(h, (want.get(h) ?? 0) + 1);
              }
            f.add(Uint32Array.from(c));
            // Read between chunks too: the table follows the chunks added since.
            expect([...f.counts]).toEqual([...want]);
          }
          expect([...f.counts]).toEqual([...want]);
          expect(f.total).toBe(total);
        },
      ),
    );
  });
});
