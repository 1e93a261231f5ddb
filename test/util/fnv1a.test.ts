import { describe, expect, it } from 'vitest';
import { FNV_BASIS, fmix32, fnv1a, fnv1aStep } from '../../src/util/fnv1a.js';

describe('fnv1a', () => {
  it("gives FNV-1a's published 32-bit values for ASCII text", () => {
    expect(fnv1a('') >>> 0).toBe(0x811c9dc5);
    expect(fnv1a('a') >>> 0).toBe(0xe40c292c);
    expect(fnv1a('foobar') >>> 0).toBe(0xbf9cf968);
  });

  it('is the fold of its step, from any basis', () => {
    let h = FNV_BASIS ^ 12345;
    for (const c of 'García') h = fnv1aStep(h, c.charCodeAt(0));
    expect(h).toBe(fnv1a('García', FNV_BASIS ^ 12345));
  });

  it("fmix32 is MurmurHash3's finaliser (0 stays 0; one input bit changes many output bits)", () => {
    expect(fmix32(0)).toBe(0);
    const a = fmix32(1) >>> 0;
    const b = fmix32(2) >>> 0;
    const bits = (a ^ b).toString(2).replace(/0/g, '').length;
    expect(bits).toBeGreaterThan(8);
  });
});
