import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { popcount32 } from '../../src/kernel/popcount.js';

// Bit by bit, the obvious way: what the SWAR count must agree with.
function naive(x: number): number {
  let c = 0;
  for (let b = 0; b < 32; b++) c += (x >>> b) & 1;
  return c;
}

describe('popcount32', () => {
  it('counts the set bits of the edge words', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(1)).toBe(1);
    expect(popcount32(0x80000000)).toBe(1);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(0x55555555)).toBe(16);
  });

  it('agrees with a bit-by-bit count for any 32-bit word, signed or unsigned', () => {
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0xffffffff }), (x) => {
        expect(popcount32(x)).toBe(naive(x));
      }),
      { numRuns: 2000 },
    );
  });
});
