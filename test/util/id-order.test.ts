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

  it('depends on the seed', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `C${i}`);
    expect([...idOrder(ids, 1)]).not.toEqual([...idOrder(ids, 2)]);
    expect(idHash('C1', 1)).not.toBe(idHash('C1', 2));
  });
});
