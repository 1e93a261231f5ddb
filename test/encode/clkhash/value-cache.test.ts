/**
 * ValueCache: a stored pattern comes back for the same value (from either generation), never for
 * another; long values are not taken; a feature whose values do not repeat is skipped for a while.
 */
import { describe, expect, it } from 'vitest';
import { VALUE_CACHE_MAX_UNITS, ValueCache } from '../../../src/encode/clkhash/value-cache.js';

const pattern = (seed: number) =>
  Int32Array.from({ length: 4 }, (_, i) => Math.imul(seed + 1, 0x9e3779b1) ^ i);
const read = (c: ValueCache, at: number) => Array.from(c.pool.subarray(at, at + 4));

describe('ValueCache', () => {
  it('gives back what was stored for a value, from the young or the old generation, and nothing for others', () => {
    const c = new ValueCache(30, 4);
    const values = Array.from({ length: 70 }, (_, i) => `V${i}é`);
    values.forEach((v, i) => {
      expect(c.find(v)).toBe(-1);
      expect(c.wants(v)).toBe(true);
      c.store(v, pattern(i));
    });
    // 70 stored in generations of 30: the first 30 gone, the next 30 old, the last 10 young (fewer
    // look-ups here than a window of the hit-rate check, so the cache is never skipped).
    for (let i = 0; i < 30; i++) expect(c.find(values[i] as string)).toBe(-1);
    for (let i = 60; i < 70; i++)
      expect(read(c, c.find(values[i] as string))).toEqual(Array.from(pattern(i)));
    // Old entries are copied to the young generation (20 fit before it turns over).
    for (let i = 30; i < 50; i++)
      expect(read(c, c.find(values[i] as string))).toEqual(Array.from(pattern(i)));
    for (let i = 30; i < 50; i++)
      expect(read(c, c.find(values[i] as string))).toEqual(Array.from(pattern(i)));
    expect(c.find('V1')).toBe(-1);
    expect(c.find('V12é ')).toBe(-1);
  });

  it('keeps every entry through the growth of its tables, and tells prefixes and one-unit changes apart', () => {
    // 600 values in a generation that starts with room for 256: its tables are rebuilt twice (600
    // misses and 600 hits: the window of the hit-rate check that ends among them is not skipped).
    const c = new ValueCache(2000, 4);
    const values = Array.from({ length: 600 }, (_, i) => `N${i.toString(36)}`);
    values.forEach((v, i) => {
      expect(c.find(v)).toBe(-1);
      c.store(v, pattern(i));
    });
    values.forEach((v, i) => {
      expect(read(c, c.find(v))).toEqual(Array.from(pattern(i)));
    });
    for (const other of ['N', 'N0 ', 'n1', 'N1\u0000', 'Nzzz']) expect(c.find(other)).toBe(-1);
  });

  it('keeps no value longer than VALUE_CACHE_MAX_UNITS', () => {
    const c = new ValueCache(8, 4);
    const long = 'X'.repeat(VALUE_CACHE_MAX_UNITS + 1);
    expect(c.wants(long)).toBe(false);
    expect(c.find(long)).toBe(-1);
    const edge = 'Y'.repeat(VALUE_CACHE_MAX_UNITS);
    c.store(edge, pattern(7));
    expect(read(c, c.find(edge))).toEqual(Array.from(pattern(7)));
  });

  it('never skips in its first 1,024 look-ups (a short first window, then windows of 1,024)', () => {
    // With a first window of 1,024, these 1,024 misses would end it with no hit and skip the cache.
    const c = new ValueCache(1 << 16, 4);
    for (let i = 0; i < 1024; i++) if (c.find(`v${i}`) < 0 && c.wants(`v${i}`)) c.store(`v${i}`, pattern(i));
    expect(read(c, c.find('v0'))).toEqual(Array.from(pattern(0)));
    expect(c.find('w')).toBe(-1);
    expect(c.wants('w')).toBe(true);
  });

  it('is skipped after a window of values that do not repeat, then tried again', () => {
    const c = new ValueCache(1 << 16, 4);
    // The first 8 look-ups are a short window that never skips (all misses here), then windows of
    // 1,024 (this one: u8, u0 and 1,022 more).
    for (let i = 0; i < 9; i++) if (c.find(`u${i}`) < 0 && c.wants(`u${i}`)) c.store(`u${i}`, pattern(i));
    expect(c.find('u0')).toBe(0);
    for (let i = 9; i < 8 + 1023; i++)
      if (c.find(`u${i}`) < 0 && c.wants(`u${i}`)) c.store(`u${i}`, pattern(i));
    // Skipped: even a stored value is not looked up, and nothing is stored.
    expect(c.wants('u5')).toBe(false);
    expect(c.find('u5')).toBe(-1);
    for (let i = 1; i < 16 * 1024; i++) c.find('u5');
    // The find that ended the skip did not look the value up: not to be stored (it is cached).
    expect(c.wants('u5')).toBe(false);
    expect(read(c, c.find('u5'))).toEqual(Array.from(pattern(5)));
    expect(c.find('new')).toBe(-1);
    expect(c.wants('new')).toBe(true);
  });

  it('wipes its patterns on clear', () => {
    const c = new ValueCache(4, 4);
    c.store('A', pattern(1));
    const pool = c.pool;
    c.clear();
    expect(c.find('A')).toBe(-1);
    expect(Array.from(pool)).toEqual(new Array(pool.length).fill(0));
  });
});
