import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertPatternTable, mergeTables, NULL_LEVEL, PatternCounter } from '../../src/compare/patterns.js';

/** Arbitrary level counts and level vectors valid for them (with nulls). */
const vectors = fc
  .array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 })
  .chain((levelCounts) =>
    fc.tuple(
      fc.constant(levelCounts),
      fc.array(
        fc.tuple(
          fc.tuple(
            ...levelCounts.map((l) => fc.oneof(fc.integer({ min: 0, max: l - 1 }), fc.constant(NULL_LEVEL))),
          ),
          fc.integer({ min: 0, max: 5 }),
        ),
        { maxLength: 200 },
      ),
    ),
  );

describe('PatternCounter', () => {
  it('counts like a naive string-keyed map, with rows sorted and nulls preserved', () => {
    fc.assert(
      fc.property(vectors, ([levelCounts, rows]) => {
        const counter = new PatternCounter(levelCounts);
        const naive = new Map<string, number>();
        for (const [levels, w] of rows) {
          counter.add(levels, w);
          naive.set(levels.join(','), (naive.get(levels.join(',')) ?? 0) + w);
        }
        const table = counter.toTable();
        assertPatternTable(table);
        const k = levelCounts.length;
        expect(counter.size).toBe(naive.size);
        expect(table.counts.length).toBe(naive.size);
        const seen = new Map<string, number>();
        const sortKey = (r: number): number[] =>
          Array.from(table.patterns.subarray(r * k, r * k + k), (v) => (v === NULL_LEVEL ? 1000 : v));
        for (let r = 0; r < table.counts.length; r++) {
          seen.set(Array.from(table.patterns.subarray(r * k, r * k + k)).join(','), table.counts[r]!);
          if (r > 0) {
            const a = sortKey(r - 1);
            const b = sortKey(r);
            const first = a.findIndex((v, i) => v !== b[i]);
            expect(first).toBeGreaterThanOrEqual(0);
            expect(a[first]!).toBeLessThan(b[first]!);
          }
        }
        expect(seen).toEqual(naive);
        for (const [key, n] of naive) expect(counter.count(key.split(',').map(Number))).toBe(n);
      }),
    );
  });

  it('grows past its initial capacity and keeps counts exact', () => {
    const counter = new PatternCounter([40, 40, 40]);
    const v = new Uint8Array(3);
    for (let round = 0; round < 2; round++) {
      for (let a = 0; a < 40; a++) {
        for (let b = 0; b < 40; b++) {
          v[0] = a;
          v[1] = b;
          v[2] = (a * 7 + b) % 40;
          counter.add(v);
        }
      }
    }
    expect(counter.size).toBe(1600);
    const table = counter.toTable();
    expect(Array.from(new Set(table.counts))).toEqual([2]);
  });

  it('handles pattern spaces beyond 2^32 (keys split over both hash halves)', () => {
    const counter = new PatternCounter(Array(12).fill(5));
    const a = new Uint8Array(12).fill(4);
    const b = new Uint8Array(12).fill(NULL_LEVEL);
    counter.add(a);
    counter.add(b, 3);
    counter.add(a, 0.5);
    const t = counter.toTable();
    expect(Array.from(t.counts)).toEqual([1.5, 3]);
    expect(Array.from(t.patterns.subarray(12))).toEqual(Array(12).fill(NULL_LEVEL));
  });

  it('rejects bad level counts, vectors and weights', () => {
    expect(() => new PatternCounter([])).toThrow(TypeError);
    expect(() => new PatternCounter([0])).toThrow(RangeError);
    expect(() => new PatternCounter([255])).toThrow(RangeError);
    expect(() => new PatternCounter([2.5])).toThrow(RangeError);
    expect(() => new PatternCounter(Array(30).fill(254))).toThrow(/2\^53/);
    const c = new PatternCounter([3, 2]);
    expect(() => c.add([0])).toThrow(RangeError);
    expect(() => c.add([3, 0])).toThrow(/comparison 0/);
    expect(() => c.add([0, -1])).toThrow(/comparison 1/);
    expect(() => c.add([0, 0.5])).toThrow(RangeError);
    expect(() => c.add([0, 0], -1)).toThrow(RangeError);
    expect(() => c.add([0, 0], Number.NaN)).toThrow(RangeError);
    expect(() => c.add([0, 0], Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(c.size).toBe(0);
  });
});

describe('mergeTables', () => {
  it('equals counting both inputs in one counter, without touching the inputs', () => {
    fc.assert(
      fc.property(vectors, fc.nat(), ([levelCounts, rows], cut) => {
        const split = rows.length === 0 ? 0 : cut % rows.length;
        const a = new PatternCounter(levelCounts);
        const b = new PatternCounter(levelCounts);
        const both = new PatternCounter(levelCounts);
        rows.forEach(([levels, w], i) => {
          (i < split ? a : b).add(levels, w);
          both.add(levels, w);
        });
        const ta = a.toTable();
        const before = Array.from(ta.counts);
        expect(mergeTables(ta, b.toTable())).toEqual(both.toTable());
        expect(Array.from(ta.counts)).toEqual(before);
      }),
    );
  });

  it('rejects tables with different comparisons', () => {
    const a = new PatternCounter([2, 3]).toTable();
    expect(() => mergeTables(a, new PatternCounter([2, 4]).toTable())).toThrow(RangeError);
    expect(() => mergeTables(a, new PatternCounter([2]).toTable())).toThrow(RangeError);
  });
});

describe('assertPatternTable', () => {
  it('names the bad row and comparison', () => {
    const table = { levelCounts: [2, 2], patterns: Uint8Array.of(0, 1, 1, 2), counts: Float64Array.of(1, 1) };
    expect(() => assertPatternTable(table)).toThrow(/row 1, comparison 1/);
    expect(() => assertPatternTable({ ...table, counts: Float64Array.of(1) })).toThrow(RangeError);
    expect(() =>
      assertPatternTable({ ...table, patterns: Uint8Array.of(0, 0, 0, 0), counts: Float64Array.of(1, -1) }),
    ).toThrow(/counts\[1\]/);
  });
});
