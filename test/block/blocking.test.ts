import { describe, expect, it } from 'vitest';
import { buildPassIndex, keyDirectory, lowerBound } from '../../src/block/blocking.js';
import type { BlockColumn } from '../../src/encoded/batch.js';

/** A seeded generator of 32-bit values (xorshift). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

/** A column of `rows` records, 0–`per` keys each, drawn by `key`. */
function column(rows: number, per: number, key: (r: () => number) => number, seed: number): BlockColumn {
  const r = rng(seed);
  const offsets = new Uint32Array(rows + 1);
  const keys: number[] = [];
  for (let i = 0; i < rows; i++) {
    const k = r() % (per + 1);
    for (let q = 0; q < k; q++) keys.push(key(r));
    offsets[i + 1] = keys.length;
  }
  return { offsets, keys: Uint32Array.from(keys) };
}

/** The index by definition: (key, record) pairs sorted by key, equal keys in record order. */
function reference(col: BlockColumn) {
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < col.offsets.length; i++)
    for (let p = col.offsets[i]!; p < col.offsets[i + 1]!; p++) pairs.push([col.keys[p]!, i]);
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const buckets = new Uint32Array(65537);
  // buckets[h]: pairs whose key's top 16 bits are below h.
  let below = 0;
  for (let h = 0; h <= 65536; h++) {
    while (below < pairs.length && pairs[below]![0] >>> 16 < h) below++;
    buckets[h] = below;
  }
  return { keys: pairs.map((p) => p[0]), records: pairs.map((p) => p[1]), buckets };
}

describe('buildPassIndex', () => {
  const cases: [string, BlockColumn][] = [
    ['uniform keys', column(3000, 3, (r) => r(), 1)],
    // Few distinct keys: large blocks, slices far over the insertion size, one-digit radix passes.
    ['large blocks', column(4000, 2, (r) => [7, 0xffffffff, 0x01020304, 0x010203ff][r() % 4]!, 2)],
    // Keys sharing their top 8 bits, differing in each lower byte.
    ['one slice', column(3000, 2, (r) => (0xab000000 | (r() & 0xffffff)) >>> 0, 3)],
    ['mixed', column(5000, 4, (r) => (r() % 3 === 0 ? 0x5a5a0000 + (r() % 40) : r()), 4)],
    ['empty', column(10, 0, (r) => r(), 5)],
  ];
  for (const [name, col] of cases)
    it(`sorts stably with its bucket directory: ${name}`, () => {
      const idx = buildPassIndex('p', col);
      const ref = reference(col);
      expect(Array.from(idx.keys)).toEqual(ref.keys);
      expect(Array.from(idx.records)).toEqual(ref.records);
      expect(Array.from(idx.buckets!)).toEqual(Array.from(ref.buckets));
    });

  it('writes into the arrays the allocator gives', () => {
    const col = column(500, 2, (r) => r(), 6);
    const made: Uint32Array[] = [];
    const idx = buildPassIndex('p', col, (n) => {
      const a = new Uint32Array(new SharedArrayBuffer(4 * n)).fill(9);
      made.push(a);
      return a;
    });
    expect(made).toContain(idx.keys);
    expect(made).toContain(idx.buckets);
    expect(Array.from(idx.keys)).toEqual(reference(col).keys);
    expect(idx.buckets![65536]).toBe(col.keys.length);
  });
});

describe('keyDirectory', () => {
  it('narrows a lookup to one bucket with the same answer as a whole search', () => {
    const r = rng(11);
    const keys = Uint32Array.from({ length: 2000 }, () => (r() % 3 === 0 ? 0x00070000 + (r() % 5) : r())).sort();
    const dir = keyDirectory(keys);
    for (let t = 0; t < 3000; t++) {
      const k = t % 2 === 0 ? keys[r() % keys.length]! : r();
      const at = lowerBound(keys, k, dir[k >>> 16]!, dir[(k >>> 16) + 1]!);
      const whole = lowerBound(keys, k);
      if (whole < keys.length && keys[whole] === k) expect(at).toBe(whole);
      else expect(keys[at] === k).toBe(false);
    }
  });

  it('indexes a sub-range from its first position', () => {
    const keys = Uint32Array.of(1, 0x10000, 0x10001, 0x20000, 0x30000);
    const dir = keyDirectory(keys, 1, 4);
    expect(dir[0]).toBe(1);
    expect(dir[1]).toBe(1);
    expect(dir[2]).toBe(3);
    expect(dir[3]).toBe(4);
    expect(dir[65536]).toBe(4);
  });
});
