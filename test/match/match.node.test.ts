/**
 * Matching on worker threads gives exactly the single-threaded result (links, model, statistics,
 * histogram, explanations), with blocking and with exhaustive generation, for any thread count and
 * with either Dice kernel. Workers start from source here (through tsx); built-cli.slow.test.ts covers
 * the built package.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, sampleDataset } from '../../bench/lib/eval.js';
import { clearTextComparisons } from '../../src/compare/clear-comparisons.js';
import { DEFAULT_COMPARISONS } from '../../src/compare/comparisons.js';
import { clearTextEncoder } from '../../src/encode/clear.js';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { EncodedBatch, EncodedMeta } from '../../src/encoded/batch.js';
import { toShared } from '../../src/encoded/shared.js';
import { gatherBatch } from '../../src/encoded/slice.js';
import { matchBatches } from '../../src/match/match.js';
import { matchBatchesParallel } from '../../src/match/match.node.js';
import { storedColumns } from '../../src/match/release-plan.js';

const KEY = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');

let ds: Dataset;
let coc: EncodedBatch;
let mcp: EncodedBatch;
let meta: EncodedMeta;
beforeAll(async () => {
  ds = await sampleDataset();
  const enc = new RecordEncoder(KEY, { party: 'coc' });
  meta = enc.meta;
  coc = enc.encodeBatch(ds.coc.slice(0, 800));
  mcp = new RecordEncoder(KEY, { party: 'mcp' }).encodeBatch(ds.mcp.slice(0, 2500));
});

describe('matchBatchesParallel', () => {
  it('equals matchBatches with blocking (2 and 3 threads, truth given)', async () => {
    const opts = { meta, truth: ds.truth, uSamplePairs: 100_000 };
    const single = matchBatches(coc, mcp, opts);
    expect(single.links.length).toBeGreaterThan(50);
    for (const threads of [2, 3]) {
      const par = await matchBatchesParallel(coc, mcp, { ...opts, threads });
      expect(JSON.stringify(par)).toBe(JSON.stringify(single));
    }
  });

  it('equals matchBatches with exhaustive generation, and with the JS Dice kernel', async () => {
    const opts = { meta, truth: ds.truth, uSamplePairs: 100_000, exhaustive: { threshold: 0.75 } };
    const single = matchBatches(coc, mcp, opts);
    const par = await matchBatchesParallel(coc, mcp, { ...opts, threads: 2, dice: 'js' });
    expect(JSON.stringify(par)).toBe(JSON.stringify(single));
    expect(single.blocking.passes[0]!.name).toContain('exhaustive');
  });

  it('equals matchBatches in clear-text mode with string levels (the strings reach the workers)', async () => {
    const enc = clearTextEncoder('coc');
    const c = enc.encodeBatch(ds.coc.slice(0, 400));
    const m = clearTextEncoder('mcp').encodeBatch(ds.mcp.slice(0, 1200));
    const opts = { meta: enc.meta, uSamplePairs: 50_000, comparisons: clearTextComparisons() };
    const single = matchBatches(c, m, opts);
    const par = await matchBatchesParallel(c, m, { ...opts, threads: 2 });
    expect(JSON.stringify(par)).toBe(JSON.stringify(single));
  });

  it('runs on this thread for threads = 1 and refuses a bad thread count', async () => {
    const r = await matchBatchesParallel(coc, mcp, { meta, threads: 1, uSamplePairs: 50_000 });
    expect(r.links.length).toBeGreaterThan(0);
    await expect(matchBatchesParallel(coc, mcp, { threads: 0 })).rejects.toThrow(RangeError);
  });
});

describe('matchBatchesParallel with releasePlan', () => {
  it('gives the same result, leaves stand-ins in the plan batch and reads records back from the row store', async () => {
    const opts = { meta, truth: ds.truth, uSamplePairs: 100_000 };
    const single = matchBatches(coc, mcp, opts);
    // The batch given is changed in place: a copy of the plan with its own column records.
    // Its block lists in shared memory, as a plan file read in place holds them: the pass indexes
    // are written over them, and the columns left empty.
    const lists = Object.fromEntries(
      Object.entries(mcp.blocks).map(([n, c]) => [
        n,
        { offsets: toShared(c.offsets), keys: toShared(c.keys) },
      ]),
    );
    const own = { ...mcp, blooms: { ...mcp.blooms }, sets: { ...mcp.sets }, blocks: { ...lists } };
    const par = await matchBatchesParallel(coc, own, { ...opts, threads: 2, releasePlan: true });
    expect(JSON.stringify(par)).toBe(JSON.stringify(single));
    expect(par.expected).toBeDefined();
    expect(Object.keys(own.blocks)).toEqual(Object.keys(mcp.blocks));
    for (const [n, c] of Object.entries(own.blocks)) {
      expect(c.keys.length).toBe(0);
      expect(c).not.toBe(lists[n]);
    }
    // Lists outside shared memory are left as they are (a fresh index is built beside them).
    const plain = { ...mcp, blooms: { ...mcp.blooms }, sets: { ...mcp.sets }, blocks: { ...mcp.blocks } };
    const again = await matchBatchesParallel(coc, plain, { ...opts, threads: 2, releasePlan: true });
    expect(JSON.stringify(again)).toBe(JSON.stringify(single));
    for (const n of Object.keys(mcp.blocks)) expect(plain.blocks[n]).toBe(mcp.blocks[n]);
    const { blooms, sets } = storedColumns(DEFAULT_COMPARISONS, mcp);
    expect(blooms.length).toBeGreaterThan(0);
    expect(sets.length).toBeGreaterThan(0);
    const rows = [0, 7, mcp.length - 1, 7];
    const back = gatherBatch(own, rows);
    const want = gatherBatch(mcp, rows);
    for (const f of blooms) {
      expect(own.blooms[f]).not.toBe(mcp.blooms[f]);
      expect(own.blooms[f]!.length).toBe(mcp.blooms[f]!.length);
      expect(own.blooms[f]!.some((x) => x !== 0)).toBe(false);
      expect(back.blooms[f]).toEqual(want.blooms[f]);
    }
    for (const f of sets) {
      expect(own.sets[f]!.length).toBe(mcp.sets[f]!.length);
      expect(back.sets[f]).toEqual(want.sets[f]);
    }
    // Not released with exhaustive generation (its layout reads the plan's filters later).
    const ex = { ...mcp, blooms: { ...mcp.blooms }, sets: { ...mcp.sets } };
    await matchBatchesParallel(coc, ex, {
      ...opts,
      threads: 2,
      releasePlan: true,
      exhaustive: { threshold: 0.75 },
    });
    for (const f of blooms) expect(ex.blooms[f]).toBe(mcp.blooms[f]);
  }, 240_000);
});
