import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash3, mix32, Rng, seedKey, unit } from '../../src/synth/prng.js';

describe('prng', () => {
  it('Rng is a pure function of (key, stream, index)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(1000), fc.nat(), (seed, stream, index) => {
        const a = new Rng(seedKey(seed), stream, index);
        const b = new Rng(seedKey(seed), stream, index);
        for (let i = 0; i < 5; i++) expect(a.u32()).toBe(b.u32());
      }),
    );
  });

  it('different streams and indices give different sequences', () => {
    const key = seedKey(1);
    const first = new Set<number>();
    for (let s = 0; s < 50; s++) for (let i = 0; i < 50; i++) first.add(new Rng(key, s, i).u32());
    expect(first.size).toBeGreaterThan(2490);
  });

  it('draws are uniform and in range', () => {
    const rng = new Rng(seedKey(7), 1, 0);
    let sum = 0;
    const buckets = new Array(10).fill(0);
    let outOfRange = 0;
    for (let i = 0; i < 100_000; i++) {
      const f = rng.float();
      if (!(f >= 0 && f < 1)) outOfRange++;
      sum += f;
      buckets[rng.int(10)]++;
      const b = rng.between(3, 5);
      if (!(b >= 3 && b <= 5 && Number.isInteger(b))) outOfRange++;
    }
    expect(outOfRange).toBe(0);
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.005);
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });

  it('mix32 is a bijection on a sample and hash3 is injective in the index', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) seen.add(hash3(123, 4, i));
    expect(seen.size).toBe(100_000);
    expect(mix32(0)).not.toBe(mix32(1));
  });

  it('unit is in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(), fc.nat(), (k, s, i) => {
        const u = unit(k, s, i);
        return u >= 0 && u < 1;
      }),
    );
  });

  it('seedKey uses the high bits of large seeds and rejects non-finite seeds', () => {
    expect(seedKey(1)).not.toBe(seedKey(1 + 2 ** 32));
    expect(() => seedKey(Number.NaN)).toThrow(RangeError);
  });
});
