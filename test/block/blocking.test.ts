import { describe, expect, it } from 'vitest';
import {
  buildPassIndex,
  buildPassIndexOver,
  CandidateGenerator,
  indexHolds,
  keyDirectory,
  lowerBound,
} from '../../src/block/blocking.js';
import type { BlockColumn, EncodedBatch } from '../../src/encoded/batch.js';

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

/** `col` copied into one shared buffer (offsets, then keys), as a plan file read in place holds it. */
function sharedColumn(col: BlockColumn): BlockColumn {
  const buf = new SharedArrayBuffer(4 * (col.offsets.length + col.keys.length));
  const offsets = new Uint32Array(buf, 0, col.offsets.length);
  const keys = new Uint32Array(buf, 4 * col.offsets.length, col.keys.length);
  offsets.set(col.offsets);
  keys.set(col.keys);
  return { offsets, keys };
}

describe('buildPassIndexOver', () => {
  // At most one key a record (per 1): the index fits in the list's own words.
  const cases: [string, BlockColumn][] = [
    ['uniform keys', column(3000, 1, (r) => r(), 11)],
    ['large blocks', column(4000, 1, (r) => [7, 0xffffffff, 0x01020304][r() % 3]!, 12)],
    ['one slice', column(3000, 1, (r) => (0xab000000 | (r() & 0xffffff)) >>> 0, 13)],
  ];
  for (const [name, plain] of cases)
    it(`writes the same index over the list's own memory: ${name}`, () => {
      const col = sharedColumn(plain);
      const n = col.keys.length;
      const idx = buildPassIndexOver('p', col);
      const ref = reference(plain);
      expect(idx.keys).toBe(col.keys);
      expect(idx.records.buffer).toBe(col.offsets.buffer);
      expect(idx.records.byteOffset).toBe(col.offsets.byteOffset);
      expect(idx.records.length).toBe(n);
      expect(Array.from(idx.keys)).toEqual(ref.keys);
      expect(Array.from(idx.records)).toEqual(ref.records);
      expect(Array.from(idx.buckets!)).toEqual(Array.from(ref.buckets));
    });

  it('puts the records over the keys for more keys than offset words, the keys in a fresh array', () => {
    const many = column(2000, 4, (r) => r(), 14);
    expect(many.keys.length).toBeGreaterThan(many.offsets.length);
    const shared = sharedColumn(many);
    const offsets = Array.from(shared.offsets);
    const idx = buildPassIndexOver('p', shared);
    const ref = reference(many);
    expect(idx.records).toBe(shared.keys);
    expect(idx.keys.buffer).not.toBe(shared.keys.buffer);
    expect(Array.from(shared.offsets)).toEqual(offsets);
    expect(Array.from(idx.keys)).toEqual(ref.keys);
    expect(Array.from(idx.records)).toEqual(ref.records);
    expect(Array.from(idx.buckets!)).toEqual(Array.from(ref.buckets));
  });

  it('builds a fresh index for a list not in shared memory, leaving it as it was', () => {
    const one = column(2000, 1, (r) => r(), 15);
    const keys = Array.from(one.keys);
    const own = buildPassIndexOver('p', one);
    expect(own.keys).not.toBe(one.keys);
    expect(Array.from(one.keys)).toEqual(keys);
    expect(Array.from(own.keys)).toEqual(reference(one).keys);
    expect(Array.from(own.records)).toEqual(reference(one).records);
  });
});

describe('indexHolds', () => {
  it('says whether a record holds a key, as its list does', () => {
    const col = column(3000, 3, (r) => (r() % 3 === 0 ? 0x5a5a0000 + (r() % 40) : r() % 500), 16);
    const idx = buildPassIndex('p', col);
    const r = rng(17);
    for (let t = 0; t < 20_000; t++) {
      const rec = r() % 3000;
      const list = Array.from(col.keys.subarray(col.offsets[rec]!, col.offsets[rec + 1]!));
      const key =
        t % 2 === 0 && list.length > 0 ? list[r() % list.length]! : idx.keys[r() % idx.keys.length]!;
      expect(indexHolds(idx, key, rec)).toBe(list.includes(key));
    }
    expect(indexHolds(idx, 0xffffffff, 0)).toBe(false);
  });
});

describe('keyDirectory', () => {
  it('narrows a lookup to one bucket with the same answer as a whole search', () => {
    const r = rng(11);
    const keys = Uint32Array.from({ length: 2000 }, () =>
      r() % 3 === 0 ? 0x00070000 + (r() % 5) : r(),
    ).sort();
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

describe('CandidateGenerator', () => {
  /** Only what candidate generation reads of a batch: its blocking columns and length. */
  const batch = (blocks: Record<string, BlockColumn>, length: number) =>
    ({ blocks, length }) as unknown as EncodedBatch;

  it('finds each pair once, skips and measures blocks over the cap, and sums block sizes for progress', () => {
    const few = (r: () => number) => [3, 0x00030000, 0xfffffffe][r() % 3]! + (r() % 50 === 0 ? r() % 7 : 0);
    const right = { a: column(3000, 2, few, 21), b: column(3000, 1, (r) => r() % 400, 22) };
    const left = { a: column(60, 2, few, 23), b: column(60, 2, (r) => r() % 400, 24) };
    const cap = 40;
    const gen = new CandidateGenerator(batch(left, 60), batch(right, 3000), { maxBlockSize: cap });
    const blockOf = (col: BlockColumn, key: number) => {
      const out: number[] = [];
      for (let i = 0; i + 1 < col.offsets.length; i++)
        for (let p = col.offsets[i]!; p < col.offsets[i + 1]!; p++) if (col.keys[p] === key) out.push(i);
      return [...new Set(out)];
    };
    const want = { capped: [0, 0], cappedPairs: [0, 0], largest: [0, 0], pairs: [0, 0] };
    const prefix = gen.pairPrefix(60);
    let work = 0;
    for (let i = 0; i < 60; i++) {
      const union = new Set<number>();
      (['a', 'b'] as const).forEach((name, k) => {
        const l = left[name];
        for (let q = l.offsets[i]!; q < l.offsets[i + 1]!; q++) {
          const rc = right[name];
          let size = 0;
          for (let p = 0; p < rc.keys.length; p++) if (rc.keys[p] === l.keys[q]) size++;
          want.largest[k] = Math.max(want.largest[k]!, size);
          if (size > cap) {
            want.capped[k]!++;
            want.cappedPairs[k]! += size;
            continue;
          }
          want.pairs[k]! += size;
          work += size;
          for (const j of blockOf(rc, l.keys[q]!)) union.add(j);
        }
      });
      const c = gen.candidates(i);
      expect(Array.from(c.right.subarray(0, c.count)).sort((x, y) => x - y)).toEqual(
        [...union].sort((x, y) => x - y),
      );
      expect(prefix[i + 1]).toBe(work);
    }
    const stats = gen.finishStats();
    expect(stats.map((s) => s.cappedBlocks)).toEqual(want.capped);
    expect(stats.map((s) => s.cappedPairs)).toEqual(want.cappedPairs);
    expect(stats.map((s) => s.largestBlock)).toEqual(want.largest);
    expect(stats.map((s) => s.pairs)).toEqual(want.pairs);
    expect(want.capped[0]).toBeGreaterThan(0);
  });

  it('caps blocks exactly at the cap: sizes cap − 1, cap, cap + 1 and cap + 2, the largest key last', () => {
    const cap = 5;
    // Plan record r holds key 10 + s for the block of size s (s = 4, 5, 6, 7): the key of size 7 is
    // the largest, so its block ends the sorted index.
    const sizes = [cap - 1, cap, cap + 1, cap + 2];
    const keys = sizes.flatMap((s) => Array.from({ length: s }, () => 10 + s));
    const right = {
      p: {
        offsets: Uint32Array.from({ length: keys.length + 1 }, (_, r) => r),
        keys: Uint32Array.from(keys),
      },
    };
    const left = {
      p: { offsets: Uint32Array.from([0, 1, 2, 3, 4, 5]), keys: Uint32Array.from([14, 15, 16, 17, 99]) },
    };
    const gen = new CandidateGenerator(batch(left, 5), batch(right, keys.length), { maxBlockSize: cap });
    const counts = [0, 1, 2, 3, 4].map((i) => gen.candidates(i).count);
    expect(counts).toEqual([cap - 1, cap, 0, 0, 0]);
    const [st] = gen.finishStats();
    expect(st?.cappedBlocks).toBe(2);
    expect(st?.cappedPairs).toBe(2 * cap + 3);
    expect(st?.largestBlock).toBe(cap + 2);
    expect(st?.pairs).toBe(2 * cap - 1);
  });
});
