import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdSet } from '../../src/util/id-set.js';

/**
 * Runs `ops` on an IdSet and a Set, checking every answer agrees. `expect` runs only on a
 * disagreement: 100,000 expect calls took seconds.
 */
function agree(ops: readonly string[], maxProbe?: number): void {
  const ids = new IdSet(maxProbe);
  const ref = new Set<string>();
  for (const key of ops) {
    const has = ids.has(key);
    if (has !== ref.has(key)) expect(has).toBe(ref.has(key));
    if (!has) {
      ids.addChecked(key);
      ref.add(key);
    }
    if (ids.size !== ref.size) expect(ids.size).toBe(ref.size);
  }
}

describe('IdSet', () => {
  it('answers like a Set (check, then add when absent)', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 300 }), (ops) => agree(ops)));
  });

  it('grows past its initial size and keeps every key', () => {
    const keys = Array.from({ length: 50_000 }, (_, i) => `M${(i * 7919) % 100_003}`);
    agree([...keys, ...keys.slice(0, 1000)]);
    const ids = new IdSet();
    for (const k of keys) if (!ids.has(k)) ids.addChecked(k);
    expect(keys.every((k) => ids.has(k))).toBe(true);
    expect(ids.has('M-1')).toBe(false);
  });

  it('keeps every key and its index when room is reserved first, or in the middle of adding', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `C${(i * 7919) % 20_011}`);
    const ids = new IdSet();
    ids.reserve(10_000);
    const index = new Map<string, number>();
    keys.forEach((k, x) => {
      const has = ids.has(k);
      // Between a `has` and its `addChecked`: the table moves, the slot is found again.
      if (x === 5000) ids.reserve(keys.length);
      if (!has) index.set(k, ids.addChecked(k));
    });
    expect(ids.size).toBe(index.size);
    for (const [k, i] of index) expect(ids.indexOf(k)).toBe(i);
    expect(ids.has('C-1')).toBe(false);
  });

  it('adds a key that was not the last one checked, and ignores one already present', () => {
    const ids = new IdSet();
    ids.has('a');
    ids.addChecked('b');
    ids.addChecked('b');
    expect([ids.has('a'), ids.has('b'), ids.size]).toEqual([false, true, 1]);
  });

  it('falls back to a Set when probing degenerates, without losing keys', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 3 }), { maxLength: 200 }), (ops) => agree(ops, 0)));
    const ids = new IdSet(1);
    const keys = Array.from({ length: 5000 }, (_, i) => String(i));
    for (const k of keys) if (!ids.has(k)) ids.addChecked(k);
    expect(ids.size).toBe(5000);
    expect(keys.every((k) => ids.has(k))).toBe(true);
  });
});
