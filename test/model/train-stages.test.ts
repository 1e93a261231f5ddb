/**
 * Training's stages: the plan counted whole keeps each training block's plan records, and the EM
 * sessions counted from them are those counted by looking the plan's keys up chunk by chunk.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_COMPARISONS } from '../../src/compare/comparisons.js';
import { PatternCounter } from '../../src/compare/patterns.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';
import { sliceBatch } from '../../src/encoded/slice.js';
import { BatchLevels } from '../../src/model/score.js';
import { ModelTraining } from '../../src/model/train.js';
import {
  countSessionPairs,
  ruleKey,
  type SessionCounting,
  sessionPieces,
} from '../../src/model/train-stages.js';
import { sampleBatches } from './sample-batches.js';

let coc: EncodedBatch;
let mcp: EncodedBatch;

beforeAll(async () => {
  ({ coc, mcp } = await sampleBatches(600, 2000));
});

/** The sessions' counting after u, the plan counted whole or in chunks of `chunk` records. */
function counting(whole: boolean, chunk: number, maxBlockSize: number): SessionCounting {
  const t = new ModelTraining(coc, DEFAULT_COMPARISONS, { uSamplePairs: 5_000, seed: 5, maxBlockSize });
  if (whole) t.count(mcp, { whole: true });
  else
    for (let a = 0; a < mcp.length; a += chunk) t.count(sliceBatch(mcp, a, Math.min(mcp.length, a + chunk)));
  t.endCounting();
  let base = 0;
  for (let a = 0; a < mcp.length; a += chunk) {
    const c = sliceBatch(mcp, a, Math.min(mcp.length, a + chunk));
    t.uChunk(c, base);
    base += c.length;
  }
  t.endU();
  return t.sessionCounting();
}

/** The sessions' tables and linked records of `c` over the whole plan, in `pieces` pieces. */
function sessions(c: SessionCounting, pieces: number) {
  const levels = new BatchLevels(DEFAULT_COMPARISONS, coc, mcp);
  const counters = c.rules.map(() => new PatternCounter(c.levelCounts));
  const linked = new Uint8Array(c.sampled);
  for (const p of sessionPieces(c, pieces))
    countSessionPairs(c, mcp, 0, mcp.length, () => levels, counters, linked, p);
  return { tables: counters.map((x) => x.toTable()), linked: Array.from(linked) };
}

describe('TrainingStages.count(plan, { whole: true })', () => {
  it('keeps each training block’s plan records, and counts the sessions the chunked look-up counts', () => {
    for (const maxBlock of [500, 2]) {
      const kept = counting(true, 500, maxBlock);
      const looked = counting(false, 333, maxBlock);
      expect(looked.rules.every((r) => r.blocks === undefined)).toBe(true);
      for (const r of kept.rules) {
        const b = r.blocks;
        if (!b) throw new Error('no blocks kept');
        expect(b.planRecords).toBe(mcp.length);
        // Each entry's plan records hold its key, in plan order, and number its block's size.
        const cols = r.features.map((f) => mcp.hashes[f] as Uint32Array);
        let held = 0;
        for (let e = 0; e < r.keys.length; e++) {
          const n = r.planCount[e] ?? 0;
          if (n > maxBlock) continue;
          const recs = Array.from(b.records.subarray(b.start[e], (b.start[e] ?? 0) + n));
          expect(recs).toEqual([...recs].sort((x, y) => x - y));
          expect(new Set(recs).size).toBe(n);
          for (const j of recs) expect(ruleKey(cols, j)).toBe(r.keys[e]);
          held += n;
        }
        expect(held).toBeGreaterThan(0);
      }
      const want = sessions(looked, 1);
      expect(want.tables.some((t) => t.counts.length > 0)).toBe(true);
      for (const pieces of [1, 3]) expect(sessions(kept, pieces)).toEqual(want);
    }
  });

  it('refuses part of the plan with the blocks of the whole, and a whole plan after a chunk', () => {
    const c = counting(true, 500, 500);
    const levels = new BatchLevels(DEFAULT_COMPARISONS, coc, mcp);
    const counters = c.rules.map(() => new PatternCounter(c.levelCounts));
    expect(() =>
      countSessionPairs(c, mcp, 0, 1000, () => levels, counters, new Uint8Array(c.sampled)),
    ).toThrow('session blocks');
    const t = new ModelTraining(coc, DEFAULT_COMPARISONS, {});
    t.count(sliceBatch(mcp, 0, 10));
    expect(() => t.count(mcp, { whole: true })).toThrow('after another chunk');
  });
});
