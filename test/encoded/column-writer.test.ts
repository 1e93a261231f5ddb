/**
 * `ColumnWriter`'s blocking-key columns: `block` and `blockOne` end the row they are given (the
 * caller counts rows; the writer keeps no row count of its own), and a pass's key column grows
 * through `room` when a row's keys do not fit.
 */
import { describe, expect, it } from 'vitest';
import { ColumnWriter } from '../../src/encoded/columns.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';

describe('ColumnWriter blocking keys', () => {
  it('ends each pass at the row given, one key or many, growing the key column', () => {
    const w = new ColumnWriter(DEFAULT_SCHEMA, 4);
    const many = Uint32Array.from({ length: 40 }, (_, i) => 1000 + i);
    for (let row = 0; row < 4; row++) {
      w.blockOne(0, row, 10 + row); // one key a row
      if (row % 2 === 0)
        w.block(1, row, many, 0); // no keys on even rows
      else w.blockOne(1, row, 20 + row);
      w.block(2, row, many, row === 2 ? 40 : 2); // 40 keys: past the column's 16 (2 × 4 rows) words
    }
    const b = w.finish();
    const pass = (k: number) => b.blocks[DEFAULT_SCHEMA.blocking[k]!.name]!;
    expect([...pass(0).offsets]).toEqual([0, 1, 2, 3, 4]);
    expect([...pass(0).keys]).toEqual([10, 11, 12, 13]);
    expect([...pass(1).offsets]).toEqual([0, 0, 1, 1, 2]);
    expect([...pass(1).keys]).toEqual([21, 23]);
    expect([...pass(2).offsets]).toEqual([0, 2, 4, 44, 46]);
    expect([...pass(2).keys]).toEqual([1000, 1001, 1000, 1001, ...many, 1000, 1001]);
    // Passes not written keep empty rows.
    expect([...pass(3).offsets]).toEqual([0, 0, 0, 0, 0]);
    expect(pass(3).keys.length).toBe(0);
  });
});
