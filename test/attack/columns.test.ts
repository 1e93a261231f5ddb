import { describe, expect, it } from 'vitest';
import { filterMatrix, hasBit, mapRows, rowPopcount } from '../../src/attack/columns.js';
import { getBit, setBit } from '../../src/encode/harden.js';

describe('filterMatrix', () => {
  const a = new Uint8Array(8);
  setBit(a, 0);
  setBit(a, 37);
  setBit(a, 63);
  const b = new Uint8Array(8);
  setBit(b, 5);
  const bytes = new Uint8Array(32);
  bytes.set(a, 0);
  bytes.set(b, 8);
  bytes.set(a, 24); // record 2 is missing (all zero), record 3 repeats record 0
  const m = filterMatrix(bytes, 4);

  it('deduplicates filters, counts them and marks missing ones', () => {
    expect(m.bits).toBe(64);
    expect([...m.weights]).toEqual([2, 1]);
    expect([...m.recordRow]).toEqual([0, 1, -1, 0]);
  });

  it('keeps the encoder bit order', () => {
    for (let bit = 0; bit < 64; bit++) expect(hasBit(m, 0, bit)).toBe(getBit(a, bit) === 1);
    expect(rowPopcount(m, 0)).toBe(3);
    expect(rowPopcount(m, 1)).toBe(1);
  });

  it('maps rows to new bits', () => {
    const flipped = mapRows(m, 64, (r, out) => {
      for (let w = 0; w < 2; w++) out[w] = ~m.rows[r * 2 + w]! >>> 0;
    });
    expect(rowPopcount(flipped, 0)).toBe(61);
    expect(flipped.recordRow).toBe(m.recordRow);
  });

  it('rejects filters that are not whole words', () => {
    expect(() => filterMatrix(new Uint8Array(6), 2)).toThrow(RangeError);
  });
});
