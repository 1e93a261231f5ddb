import { describe, expect, it } from 'vitest';
import { concatBytes, grown } from '../../src/util/bytes.js';

describe('byte-array helpers', () => {
  it('concatBytes joins the parts in order', () => {
    expect(concatBytes([Uint8Array.of(1, 2), [3], new Uint8Array(0)])).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('grown keeps the array when it is long enough, else doubles it (or more) with the values first', () => {
    const a = Uint32Array.of(7, 8, 9, 10);
    expect(grown(a, 4)).toBe(a);
    const b = grown(a, 5);
    expect(b).toBeInstanceOf(Uint32Array);
    expect(b.length).toBe(8);
    expect(Array.from(b.subarray(0, 4))).toEqual([7, 8, 9, 10]);
    const c = grown(Float64Array.of(0.5), 10);
    expect(c).toBeInstanceOf(Float64Array);
    expect(c.length).toBe(10);
    expect(c[0]).toBe(0.5);
  });
});
