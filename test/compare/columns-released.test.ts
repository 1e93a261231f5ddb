/**
 * A plan column released to the row store (`releaseColumns`) holds zeros, not values: reading it for
 * values through `BatchColumns` stops with an internal error instead of comparing zeros, while the
 * checks that only need the column to be there still pass.
 */
import { describe, expect, it } from 'vitest';
import { sampleDataset } from '../../bench/lib/eval.js';
import { BatchColumns } from '../../src/compare/columns.js';
import { checkComparisons } from '../../src/compare/compare.js';
import { DEFAULT_COMPARISONS } from '../../src/compare/comparisons.js';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { gatherReleased, isReleased, releaseColumns } from '../../src/encoded/released.js';
import { gatherBatch } from '../../src/encoded/slice.js';
import { frequencyTable, presetFrequencyTable } from '../../src/model/score.js';

const KEY = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');

describe('released plan columns', () => {
  it('refuse value reads, pass presence checks, and read back through gatherReleased', async () => {
    const ds = await sampleDataset();
    const coc = new RecordEncoder(KEY, { party: 'coc' }).encodeBatch(ds.coc.slice(0, 20));
    const mcp = new RecordEncoder(KEY, { party: 'mcp' }).encodeBatch(ds.mcp.slice(0, 50));
    const bloom = Object.keys(mcp.blooms)[0]!;
    const set = Object.keys(mcp.sets)[0]!;
    const original = mcp.blooms[bloom]!.slice();
    const width = original.length / mcp.length;
    releaseColumns(mcp, [bloom], [set], (name, rows) => {
      const out = new Uint8Array(rows.length * width);
      if (name === bloom)
        for (const [k, r] of rows.entries())
          out.set(original.subarray(r * width, (r + 1) * width), k * width);
      return out;
    });
    expect(isReleased(mcp.blooms[bloom]!)).toBe(true);
    expect(isReleased(coc.blooms[bloom]!)).toBe(false);
    const cols = new BatchColumns(mcp, 'plan');
    expect(() => cols.bloom(bloom)).toThrow(/released to the row store/);
    expect(() => cols.set(set)).toThrow(/released to the row store/);
    expect(() => cols.bloomCounts(bloom)).toThrow(/released to the row store/);
    expect(cols.bloomBytes(bloom)).toBe(width);
    expect(() => cols.check('bloom', bloom)).not.toThrow();
    expect(() => cols.check('set', set)).not.toThrow();
    expect(() => checkComparisons(DEFAULT_COMPARISONS, coc, mcp)).not.toThrow();
    const back = gatherReleased(mcp.blooms[bloom]!, Uint32Array.of(7, 2));
    expect(back).toEqual(
      Uint8Array.of(...original.subarray(7 * width, 8 * width), ...original.subarray(2 * width, 3 * width)),
    );
  });

  it('release keyed hashes too: zeros in the batch, read back when records are gathered', async () => {
    const ds = await sampleDataset();
    const mcp = new RecordEncoder(KEY, { party: 'mcp' }).encodeBatch(ds.mcp.slice(0, 50));
    const kept = gatherBatch(mcp, [9, 3, 9]);
    const original = mcp.hashes.dob!.slice();
    expect(original.some((v) => v !== 0)).toBe(true);
    releaseColumns(
      mcp,
      [],
      [],
      (name, rows) => {
        if (name !== 'dob') throw new Error('another column read');
        return Uint32Array.from(rows, (r) => original[r]!);
      },
      ['dob'],
    );
    expect(isReleased(mcp.hashes.dob!)).toBe(true);
    expect(mcp.hashes.dob!.length).toBe(original.length);
    expect(mcp.hashes.dob!.every((v) => v === 0)).toBe(true);
    expect(isReleased(mcp.hashes.first!)).toBe(false);
    // A value read refuses the stand-in; the presence check passes.
    const cols = new BatchColumns(mcp, 'plan');
    expect(() => cols.hash('dob')).toThrow(/released to the row store/);
    expect(() => cols.check('hash', 'dob')).not.toThrow();
    expect(cols.hash('first')).toBe(mcp.hashes.first);
    // Gathering reads the released column back: the same records as before the release.
    const back = gatherBatch(mcp, [9, 3, 9]);
    expect(back.hashes.dob).toEqual(kept.hashes.dob);
    expect(back.hashes.first).toEqual(kept.hashes.first);
  });

  it('a released keyed hash is never counted for term frequencies (its table must be preset)', async () => {
    const ds = await sampleDataset();
    const coc = new RecordEncoder(KEY, { party: 'coc' }).encodeBatch(ds.coc.slice(0, 20));
    const mcp = new RecordEncoder(KEY, { party: 'mcp' }).encodeBatch(ds.mcp.slice(0, 50));
    const original = mcp.hashes.last!.slice();
    const own = frequencyTable(coc.hashes.first!, mcp.hashes.first!);
    releaseColumns(mcp, [], [], (_, rows) => Uint32Array.from(rows, (r) => original[r]!), ['last']);
    expect(() => frequencyTable(coc.hashes.last!, mcp.hashes.last!)).toThrow(/released keyed-hash column/);
    const counted = { counts: new Map([[coc.hashes.last![0]!, 2]]), total: 70 };
    presetFrequencyTable(coc.hashes.last!, mcp.hashes.last!, counted);
    expect(frequencyTable(coc.hashes.last!, mcp.hashes.last!)).toBe(counted);
    // A column not released is counted as before.
    expect(frequencyTable(coc.hashes.first!, mcp.hashes.first!)).toBe(own);
    expect(own.total).toBe(70);
  });
});
