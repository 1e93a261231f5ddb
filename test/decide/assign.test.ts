import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type FallbackInfo,
  greedyOneToOne,
  optimalOneToOne,
  type ScoredPairs,
} from '../../src/decide/assign.js';

function pairs(rows: readonly (readonly [number, number, number])[]): ScoredPairs {
  return {
    left: Uint32Array.from(rows, (r) => r[0]),
    right: Uint32Array.from(rows, (r) => r[1]),
    weight: Float64Array.from(rows, (r) => r[2]),
  };
}

function total(p: ScoredPairs, kept: Uint32Array): number {
  let s = 0;
  for (const i of kept) s += p.weight[i]!;
  return s;
}

function isOneToOne(p: ScoredPairs, kept: Uint32Array): boolean {
  const l = new Set<number>();
  const r = new Set<number>();
  for (const i of kept) {
    if (l.has(p.left[i]!) || r.has(p.right[i]!)) return false;
    l.add(p.left[i]!);
    r.add(p.right[i]!);
  }
  return true;
}

/** Maximum total weight over all matchings, by exhaustive search (small graphs only). */
function bruteForce(p: ScoredPairs): number {
  const n = p.left.length;
  const usedL = new Set<number>();
  const usedR = new Set<number>();
  const go = (i: number): number => {
    if (i === n) return 0;
    let best = go(i + 1);
    const l = p.left[i]!;
    const r = p.right[i]!;
    if (!usedL.has(l) && !usedR.has(r)) {
      usedL.add(l);
      usedR.add(r);
      best = Math.max(best, p.weight[i]! + go(i + 1));
      usedL.delete(l);
      usedR.delete(r);
    }
    return best;
  };
  return go(0);
}

/** Random small bipartite graphs with weights of both signs (integers and fractions, ties likely). */
const graph = (maxPairs: number, maxNodes: number) =>
  fc
    .array(
      fc.tuple(
        fc.integer({ min: 0, max: maxNodes - 1 }),
        fc.integer({ min: 0, max: maxNodes - 1 }),
        fc.oneof(fc.integer({ min: -5, max: 20 }), fc.double({ min: -10, max: 30, noNaN: true })),
      ),
      { maxLength: maxPairs },
    )
    .map(pairs);

/** Reference greedy assignment: the documented comparator sort (weight descending, then `tie`, by
 * default CoC then plan record, then index), then a greedy scan; kept indices ascending. */
function reference(p: ScoredPairs, tie?: (a: number, b: number) => number): number[] {
  const order = Array.from(p.weight.keys()).sort((a, b) => {
    if (p.weight[a] !== p.weight[b]) return p.weight[a]! > p.weight[b]! ? -1 : 1;
    return (tie ? tie(a, b) : p.left[a]! - p.left[b]! || p.right[a]! - p.right[b]!) || a - b;
  });
  const l = new Set<number>();
  const r = new Set<number>();
  const kept: number[] = [];
  for (const i of order) {
    if (l.has(p.left[i]!) || r.has(p.right[i]!)) continue;
    l.add(p.left[i]!);
    r.add(p.right[i]!);
    kept.push(i);
  }
  return kept.sort((a, b) => a - b);
}

describe('greedyOneToOne', () => {
  it('takes pairs in decreasing weight', () => {
    const p = pairs([
      [0, 0, 5],
      [0, 1, 4],
      [1, 0, 4],
      [1, 1, 1],
    ]);
    expect(Array.from(greedyOneToOne(p))).toEqual([0, 3]);
  });

  it('breaks ties by smaller left, then smaller right index, unless a tie rule is given', () => {
    const p = pairs([
      [2, 5, 3],
      [1, 7, 3],
      [1, 6, 3],
      [2, 6, 3],
    ]);
    // Order: (1,6) then (1,7) blocked, (2,5) kept, (2,6) blocked.
    expect(Array.from(greedyOneToOne(p))).toEqual([0, 2]);
    // Prefer higher pair index: (2,6) first, then (1,7), then (2,5) blocked, (1,6) blocked.
    expect(Array.from(greedyOneToOne(p, (a, b) => b - a))).toEqual([1, 3]);
  });

  it('is one-to-one and maximal (every dropped pair conflicts with a kept one)', () => {
    fc.assert(
      fc.property(graph(60, 8), (p) => {
        const kept = greedyOneToOne(p);
        expect(isOneToOne(p, kept)).toBe(true);
        const keptSet = new Set(kept);
        const l = new Set(Array.from(kept, (i) => p.left[i]!));
        const r = new Set(Array.from(kept, (i) => p.right[i]!));
        for (let i = 0; i < p.left.length; i++) {
          if (!keptSet.has(i)) expect(l.has(p.left[i]!) || r.has(p.right[i]!)).toBe(true);
        }
      }),
    );
  });

  it('does not depend on the input order (default tie rule, distinct pairs)', () => {
    fc.assert(
      fc.property(graph(30, 6), fc.nat(), (p, seed) => {
        const n = p.left.length;
        const seen = new Set<string>();
        const unique = Array.from({ length: n }, (_, i) => i).filter((i) => {
          const key = `${p.left[i]},${p.right[i]}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        const perm = [...unique].sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101));
        const pick = (idx: number[]): ScoredPairs => ({
          left: Uint32Array.from(idx, (i) => p.left[i]!),
          right: Uint32Array.from(idx, (i) => p.right[i]!),
          weight: Float64Array.from(idx, (i) => p.weight[i]!),
        });
        const asSet = (q: ScoredPairs, kept: Uint32Array) =>
          new Set(Array.from(kept, (i) => `${q.left[i]},${q.right[i]}`));
        const a = pick(unique);
        const b = pick(perm);
        expect(asSet(b, greedyOneToOne(b))).toEqual(asSet(a, greedyOneToOne(a)));
      }),
    );
  });

  it('orders like the documented comparator on large inputs with extreme and tied weights', () => {
    const weights = fc.oneof(
      fc.integer({ min: -3, max: 3 }),
      fc.constantFrom(-0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-300, -1e-300),
      fc.double({ noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 70_000 }), fc.integer({ min: 0, max: 3000 }), weights), {
          minLength: 2048,
          maxLength: 3000,
        }),
        (rows) => {
          const p = pairs(rows);
          expect(Array.from(greedyOneToOne(p))).toEqual(reference(p));
          const tie = (a: number, b: number) => p.right[b]! - p.right[a]!;
          expect(Array.from(greedyOneToOne(p, tie))).toEqual(reference(p, tie));
        },
      ),
      { numRuns: 5 },
    );
  });

  it("orders like the documented comparator beyond the radix sort's threshold (2^15 pairs)", () => {
    // Seeded rows: many equal weights (small integers), both zeros, infinities, tiny and huge values.
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const special = [0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-300, -1e-300, 1e300];
    const rows = Array.from({ length: 40_000 }, () => {
      const u = next();
      const w =
        u < 0.6
          ? Math.floor(next() * 9) - 4
          : u < 0.65
            ? special[Math.floor(next() * special.length)]!
            : (next() - 0.5) * 1e3;
      return [Math.floor(next() * 20_000), Math.floor(next() * 3_000_000), w] as [number, number, number];
    });
    const p = pairs(rows);
    expect(Array.from(greedyOneToOne(p))).toEqual(reference(p));
    const tie = (a: number, b: number) => p.right[b]! - p.right[a]!;
    expect(Array.from(greedyOneToOne(p, tie))).toEqual(reference(p, tie));
  });

  it('rejects mismatched columns and NaN weights', () => {
    expect(() => greedyOneToOne({ ...pairs([[0, 0, 1]]), weight: Float64Array.of(1, 2) })).toThrow(
      RangeError,
    );
    expect(() => greedyOneToOne(pairs([[0, 0, Number.NaN]]))).toThrow(/weight\[0\]/);
    expect(() => greedyOneToOne({ ...pairs([]), left: [] as unknown as Uint32Array })).toThrow(TypeError);
  });
});

describe('optimalOneToOne', () => {
  it('beats greedy where greedy is myopic', () => {
    const p = pairs([
      [0, 0, 5],
      [0, 1, 4],
      [1, 0, 4],
      [1, 1, 1],
    ]);
    expect(Array.from(optimalOneToOne(p))).toEqual([1, 2]);
  });

  it('never keeps a pair of weight ≤ 0, and keeps isolated positive pairs', () => {
    const p = pairs([
      [0, 0, -1],
      [1, 1, 0],
      [2, 2, 0.5],
      [3, 3, 7],
    ]);
    expect(Array.from(optimalOneToOne(p))).toEqual([2, 3]);
  });

  it('with a baseline, maximises Σ (weight − baseline) over pairs above it', () => {
    const p = pairs([
      [0, 0, 5],
      [0, 1, -1],
      [1, 0, -1],
      [2, 2, -3],
    ]);
    expect(Array.from(optimalOneToOne(p))).toEqual([0]);
    // Baseline −2: values 7, 1, 1 (pair 3 is below): 7 > 1 + 1, so still only pair 0.
    expect(Array.from(optimalOneToOne(p, { baseline: -2 }))).toEqual([0]);
    // Baseline −4: values 9, 3, 3, 1: 9 + 1 = 10 > 3 + 3 + 1 = 7.
    expect(Array.from(optimalOneToOne(p, { baseline: -4 }))).toEqual([0, 3]);
    // Baseline −10: values 15, 9, 9, 7: 9 + 9 + 7 = 25 > 15 + 7 = 22.
    expect(Array.from(optimalOneToOne(p, { baseline: -10 }))).toEqual([1, 2, 3]);
    fc.assert(
      fc.property(graph(12, 5), fc.integer({ min: -8, max: 8 }), (q, baseline) => {
        const shifted: ScoredPairs = { ...q, weight: q.weight.map((w) => w - baseline) };
        const kept = optimalOneToOne(q, { baseline });
        expect(isOneToOne(q, kept)).toBe(true);
        expect(total(shifted, kept)).toBeCloseTo(bruteForce(shifted), 9);
      }),
      { numRuns: 200 },
    );
    expect(() => optimalOneToOne(p, { baseline: Number.NEGATIVE_INFINITY })).toThrow(RangeError);
  });

  it('is one-to-one, at least as good as greedy, and equal to brute force', () => {
    fc.assert(
      fc.property(graph(12, 5), (p) => {
        const kept = optimalOneToOne(p);
        expect(isOneToOne(p, kept)).toBe(true);
        const best = bruteForce(p);
        expect(total(p, kept)).toBeCloseTo(best, 9);
        expect(total(p, kept)).toBeGreaterThanOrEqual(total(p, greedyOneToOne(p)) - 1e-9);
      }),
      { numRuns: 500 },
    );
  });

  it('handles larger dense components exactly', () => {
    fc.assert(
      fc.property(graph(200, 12), (p) => {
        const kept = optimalOneToOne(p);
        expect(isOneToOne(p, kept)).toBe(true);
        expect(total(p, kept)).toBeGreaterThanOrEqual(total(p, greedyOneToOne(p)) - 1e-9);
      }),
      { numRuns: 50 },
    );
  });

  it('falls back to greedy for a component over the size guard, and says so', () => {
    fc.assert(
      fc.property(graph(40, 6), (p) => {
        const reports: FallbackInfo[] = [];
        const kept = optimalOneToOne(p, { maxComponentWork: 0, onFallback: (info) => reports.push(info) });
        expect(isOneToOne(p, kept)).toBe(true);
        const positive = Array.from(p.weight.keys()).filter((i) => p.weight[i]! > 0);
        const sub: ScoredPairs = {
          left: Uint32Array.from(positive, (i) => p.left[i]!),
          right: Uint32Array.from(positive, (i) => p.right[i]!),
          weight: Float64Array.from(positive, (i) => p.weight[i]!),
        };
        expect(Array.from(kept)).toEqual(
          Array.from(greedyOneToOne(sub), (i) => positive[i]!).sort((a, b) => a - b),
        );
        for (const r of reports) expect(r.pairs).toBeGreaterThan(1);
      }),
    );
    const reports: FallbackInfo[] = [];
    optimalOneToOne(
      pairs([
        [0, 0, 1],
        [0, 1, 1],
        [5, 5, 1],
      ]),
      { maxComponentWork: 1, onFallback: (info) => reports.push(info) },
    );
    expect(reports).toEqual([{ pairs: 2, leftRecords: 1, rightRecords: 2 }]);
  });

  it('gives the same links for sparse, huge record indices', () => {
    fc.assert(
      fc.property(graph(30, 6), (p) => {
        const big: ScoredPairs = {
          left: p.left.map((x) => 4_000_000_000 - x * 1_000_003),
          right: p.right.map((x) => x * 700_000_001),
          weight: p.weight,
        };
        expect(optimalOneToOne(big)).toEqual(optimalOneToOne(p));
        expect(greedyOneToOne(big, (a, b) => p.left[a]! - p.left[b]! || p.right[a]! - p.right[b]!)).toEqual(
          greedyOneToOne(p),
        );
      }),
    );
  });

  it('rejects non-finite weights', () => {
    expect(() => optimalOneToOne(pairs([[0, 0, Number.POSITIVE_INFINITY]]))).toThrow(RangeError);
    expect(() => optimalOneToOne(pairs([[0, 0, Number.NEGATIVE_INFINITY]]))).toThrow(RangeError);
  });
});
