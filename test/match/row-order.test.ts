/**
 * Row-order independence: the same two lists with their rows in any order give byte-identical
 * links, review file, model JSON and report, on one thread and on two, with either assignment. Samples
 * (u pairs, EM training records) are drawn by record ID and tie-breaks are by ID, never by position.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleDataset } from '../../bench/lib/eval.js';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { BlockColumn, EncodedBatch, EncodedMeta } from '../../src/encoded/batch.js';
import { type MatchOptions, type MatchResult, matchBatches } from '../../src/match/match.js';
import { matchBatchesParallel } from '../../src/match/match.node.js';
import { modelToJson } from '../../src/model/model.js';
import { linksFileLines, reviewFileLines } from '../../src/output/links-write.js';
import { buildReport } from '../../src/report/build.js';
import { renderReportHtml } from '../../src/report/html.js';

const KEY = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');

/** The batch with its rows in the order `perm` (row i of the result is row perm[i] of `b`). */
function permuteBatch(b: EncodedBatch, perm: readonly number[]): EncodedBatch {
  const n = b.length;
  const rows = <T extends Uint8Array | Uint32Array>(a: T): T => {
    const w = n === 0 ? 0 : a.length / n;
    const copy = new (a.constructor as new (len: number) => T)(a.length);
    perm.forEach((from, to) => {
      copy.set(a.subarray(from * w, (from + 1) * w), to * w);
    });
    return copy;
  };
  const map = <T, U>(o: Readonly<Record<string, T>>, f: (v: T) => U) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
  const blocks = map(b.blocks, (c: BlockColumn): BlockColumn => {
    const offsets = new Uint32Array(n + 1);
    const keys: number[] = [];
    perm.forEach((from, to) => {
      keys.push(...c.keys.subarray(c.offsets[from]!, c.offsets[from + 1]!));
      offsets[to + 1] = keys.length;
    });
    return { offsets, keys: Uint32Array.from(keys) };
  });
  return {
    length: n,
    ids: perm.map((i) => b.ids[i]!),
    nameDq: rows(b.nameDq),
    dobDq: rows(b.dobDq),
    ssnDq: rows(b.ssnDq),
    blooms: map(b.blooms, rows),
    hashes: map(b.hashes, rows),
    sets: map(b.sets, rows),
    blocks,
  };
}

/** A random permutation of 0..n−1 from a seed (Fisher–Yates with a small LCG). */
function permutation(n: number, seed: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

/** The bytes a person or a later run would see: links file, review file, model JSON, report. */
function files(r: MatchResult): string {
  const report = buildReport(r, { generatedAt: '2026-01-01T00:00:00.000Z' });
  return [
    [...linksFileLines(r)].join(''),
    [...reviewFileLines(r)].join(''),
    modelToJson(r.model),
    JSON.stringify(report),
    renderReportHtml(report),
  ].join('\f');
}

let coc: EncodedBatch;
let mcp: EncodedBatch;
let meta: EncodedMeta;
beforeAll(async () => {
  const ds = await sampleDataset();
  const enc = new RecordEncoder(KEY, { party: 'coc' });
  meta = enc.meta;
  coc = enc.encodeBatch(ds.coc.slice(0, 800));
  mcp = new RecordEncoder(KEY, { party: 'mcp' }).encodeBatch(ds.mcp.slice(0, 2500));
});

// Sampling must matter: fewer u pairs than all pairs, fewer training records than CoC records.
const OPTS: MatchOptions = { uSamplePairs: 30_000, trainingRecords: 300 };

describe('row-order independence', () => {
  it('shuffled lists give byte-identical links, review file, model and report (1 and 2 threads)', async () => {
    const base = matchBatches(coc, mcp, { ...OPTS, meta });
    const expected = files(base);
    expect(base.links.some((l) => l.status === 'review')).toBe(true);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        async (a, b) => {
          const c = permuteBatch(coc, permutation(coc.length, a));
          const m = permuteBatch(mcp, permutation(mcp.length, b));
          expect(files(matchBatches(c, m, { ...OPTS, meta }))).toBe(expected);
          expect(files(await matchBatchesParallel(c, m, { ...OPTS, meta, threads: 2 }))).toBe(expected);
        },
      ),
      { numRuns: 3 },
    );
  });

  it('gives twins in both lists (exactly equal weights) the same links whatever the row order', async () => {
    const ds = await sampleDataset();
    const coc800 = new Set(ds.coc.slice(0, 800).map((p) => p.id));
    const mcp2500 = new Map(ds.mcp.slice(0, 2500).map((p) => [p.id, p]));
    const pair = ds.truth.find(([c, m]) => coc800.has(c) && mcp2500.has(m));
    expect(pair).toBeDefined();
    const [c, m] = pair as [string, string];
    const person = ds.coc.find((p) => p.id === c);
    const member = mcp2500.get(m);
    const cocT = new RecordEncoder(KEY, { party: 'coc' }).encodeBatch([
      ...ds.coc.slice(0, 800),
      { ...person!, id: 'twin-C' },
    ]);
    const mcpT = new RecordEncoder(KEY, { party: 'mcp' }).encodeBatch([
      ...ds.mcp.slice(0, 2500),
      { ...member!, id: 'twin-M' },
    ]);
    const rev = (n: number) => Array.from({ length: n }, (_, i) => n - 1 - i);
    for (const assignment of ['optimal', 'greedy'] as const) {
      const opts = { ...OPTS, meta, assignment };
      const a = matchBatches(cocT, mcpT, opts);
      const b = matchBatches(
        permuteBatch(cocT, rev(cocT.length)),
        permuteBatch(mcpT, rev(mcpT.length)),
        opts,
      );
      expect(files(b)).toBe(files(a));
      const twins = a.links.filter((l) => [c, 'twin-C'].includes(l.personalId)).map((l) => l.memberId);
      expect(twins.sort()).toEqual([m, 'twin-M'].sort());
    }
  });

  it('optimal assignment too, and the model does not depend on order for another seed', () => {
    const opts = { ...OPTS, meta, assignment: 'optimal' as const, seed: 9 };
    const expected = files(matchBatches(coc, mcp, opts));
    const rev = (n: number) => Array.from({ length: n }, (_, i) => n - 1 - i);
    const shuffled = files(
      matchBatches(permuteBatch(coc, rev(coc.length)), permuteBatch(mcp, rev(mcp.length)), opts),
    );
    expect(shuffled).toBe(expected);
  });
});
