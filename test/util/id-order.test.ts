import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idHash, idOrder, orderByHash, stableReorder } from '../../src/util/id-order.js';

describe('idOrder', () => {
  it('orders the same IDs the same way whatever their positions', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { maxLength: 60 }), fc.integer(), (ids, seed) => {
        const byId = (order: Uint32Array, list: string[]) => Array.from(order, (i) => list[i]!);
        const reversed = [...ids].reverse();
        expect(byId(idOrder(reversed, seed), reversed)).toEqual(byId(idOrder(ids, seed), ids));
        expect([...idOrder(ids, seed)].sort((a, b) => a - b)).toEqual(ids.map((_, i) => i));
      }),
    );
  });

  it('is the order of a comparison sort by hash, then ID, then position', () => {
    // Runs of equal hashes are ordered apart from the radix sort: duplicate IDs (which the readers
    // refuse) make such runs, whose order is that of their positions.
    const ids = Array.from({ length: 200_000 }, (_, i) => `M${(i * 7919) % 200_003}`);
    ids.push(ids[5]!, 'dup', 'dup');
    const seed = 42;
    const hash = ids.map((id) => idHash(id, seed));
    const expected = ids
      .map((_, i) => i)
      .sort((a, b) => {
        const d = hash[a]! - hash[b]!;
        if (d !== 0) return d;
        return ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b;
      });
    expect(expected.filter((v, x) => x > 0 && hash[v] === hash[expected[x - 1]!]).length).toBe(2);
    expect([...idOrder(ids, seed)]).toEqual(expected);
  });

  it('depends on the seed', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `C${i}`);
    expect([...idOrder(ids, 1)]).not.toEqual([...idOrder(ids, 2)]);
    expect(idHash('C1', 1)).not.toBe(idHash('C1', 2));
  });
});

describe('orderByHash', () => {
  const stable = (v: Uint32Array) => Array.from(v, (_, i) => i).sort((a, b) => v[a]! - v[b]! || a - b);

  it('is a stable sort by value, for small values (one counting pass) and full 32-bit ones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(300), { maxLength: 400 }),
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 400 }),
        (small, large) => {
          for (const values of [small, large, [...small, 1 << 18], [...small, (1 << 18) + 1]]) {
            const v = Uint32Array.from(values);
            expect([...orderByHash(v)]).toEqual(stable(v));
          }
        },
      ),
    );
  });

  it('orders a million record positions as the two-pass radix sort would', () => {
    const v = new Uint32Array(1_000_000);
    for (let i = 0; i < v.length; i++) v[i] = (Math.imul(i, 2654435761) >>> 0) % 5000;
    const order = orderByHash(v);
    for (let x = 1; x < v.length; x++) {
      const a = order[x - 1]!;
      const b = order[x]!;
      if (v[a]! > v[b]! || (v[a] === v[b] && a >= b)) throw new Error(`not stable at ${x}`);
    }
  });
});

describe('stableReorder', () => {
  // By key of the position, equal keys in their order in `order`: what the radix passes give.
  const reference = (key: Uint32Array, order: Uint32Array) =>
    Array.from(order, (i, x) => [key[i]!, x, i] as const)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .map((t) => t[2]);
  const shuffled = (n: number, seed: number) => {
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = (Math.imul(i + seed, 2654435761) >>> 0) % (i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order;
  };

  it('sorts short lists (native sort) and long ones (radix passes) alike, stably, on full 32-bit keys', () => {
    for (const n of [0, 1, 7, 5000, (1 << 13) - 1, 1 << 13, 20_000]) {
      for (const range of [3, 0x10000, 0x100000000]) {
        const key = Uint32Array.from({ length: n }, (_, i) => (Math.imul(i + 1, 2246822519) >>> 0) % range);
        if (n > 1) key[n - 1] = range - 1; // the largest key, 0xffffffff included
        const order = shuffled(n, range % 97);
        const spare = new Uint32Array(n);
        const before = [...order];
        const out = stableReorder(key, order, spare);
        expect(out === order || out === spare).toBe(true);
        expect([...out]).toEqual(reference(key, Uint32Array.from(before)));
      }
    }
  });
});
