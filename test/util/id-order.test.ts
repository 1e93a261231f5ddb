import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idHash, idOrder } from '../../src/util/id-order.js';

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
