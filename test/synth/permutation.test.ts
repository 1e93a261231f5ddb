import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Permutation } from '../../src/synth/permutation.js';

describe('Permutation', () => {
  it('is a bijection of [0, size) and indexOf inverts at', () => {
    fc.assert(
      fc.property(fc.nat(3000), fc.integer(), (size, key) => {
        const p = new Permutation(size, key);
        const seen = new Uint8Array(size);
        for (let i = 0; i < size; i++) {
          const y = p.at(i);
          if (y < 0 || y >= size || seen[y]) return false;
          seen[y] = 1;
          if (p.indexOf(y) !== i) return false;
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });

  it('handles domains up to 2^32', () => {
    for (const size of [1_000_000_000, 2 ** 32]) {
      const p = new Permutation(size, 9);
      for (const i of [0, 1, size - 1, Math.floor(size / 3)]) {
        const y = p.at(i);
        expect(y).toBeLessThan(size);
        expect(p.indexOf(y)).toBe(i);
      }
    }
  });

  it('depends on the key and looks shuffled', () => {
    const a = new Permutation(1000, 1);
    const b = new Permutation(1000, 2);
    let same = 0;
    let fixed = 0;
    for (let i = 0; i < 1000; i++) {
      if (a.at(i) === b.at(i)) same++;
      if (a.at(i) === i) fixed++;
    }
    expect(same).toBeLessThan(20);
    expect(fixed).toBeLessThan(20);
  });

  it('rejects invalid sizes', () => {
    expect(() => new Permutation(-1, 0)).toThrow(RangeError);
    expect(() => new Permutation(2 ** 32 + 1, 0)).toThrow(RangeError);
  });
});
