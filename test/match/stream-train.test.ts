/**
 * Streamed training: `matchStreaming` without a model trains, chunk by chunk over readings of the
 * plan file, the model `matchBatches` trains on the whole plan — the same model JSON and the same
 * result, byte for byte — for any chunk size, with capped training blocks, and when plan IDs share
 * a hash of the seeded ID order (their order comes from the IDs, which only a reading gives).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EncodedBatch, EncodedMeta } from '../../src/encoded/batch.js';
import { concatBatches } from '../../src/encoded/concat.js';
import { readEncoded } from '../../src/encoded/file.js';
import { sliceBatch } from '../../src/encoded/slice.js';
import { type MatchOptions, matchBatches } from '../../src/match/match.js';
import { matchStreaming } from '../../src/match/stream.js';
import { modelToJson } from '../../src/model/model.js';
import { idHash } from '../../src/util/id-order.js';
import { planFileBytes, sampleLists } from '../helpers/plan-file.js';

let coc: EncodedBatch;
let cocMeta: EncodedMeta;
let mcp: EncodedBatch;
let mcpMeta: EncodedMeta;

function planFile(plan: EncodedBatch, per: number): Promise<Uint8Array> {
  return planFileBytes(mcpMeta, plan, per);
}

/** `pairs` pairs of distinct IDs whose hashes in the plan's seeded ID order are equal. */
function collidingIds(seed: number, pairs: number): string[] {
  const seen = new Map<number, string>();
  const out: string[] = [];
  for (let n = 0; out.length < 2 * pairs; n++) {
    const id = `T${n}`;
    const h = idHash(id, seed ^ 0x5bd1e995);
    const other = seen.get(h);
    if (other === undefined) seen.set(h, id);
    else out.push(other, id);
  }
  return out;
}

/** Streamed without a model, for each chunk size: the same model JSON and result as the whole file. */
async function expectSame(plan: EncodedBatch, opts: MatchOptions, chunkSizes: readonly number[]) {
  const bytes = await planFile(plan, 300);
  const whole = matchBatches(coc, (await readEncoded(bytes, 'mcp')).batch, { ...opts, meta: cocMeta });
  let readings = 0;
  for (const chunkRecords of chunkSizes) {
    const s = await matchStreaming(
      coc,
      () => {
        readings++;
        return bytes;
      },
      { ...opts, meta: cocMeta, chunkRecords },
    );
    expect(modelToJson(s.model)).toBe(modelToJson(whole.model));
    expect(JSON.stringify(s)).toBe(JSON.stringify(whole));
  }
  // Counting (with the match's first reading), u, EM, scoring.
  expect(readings).toBe(4 * chunkSizes.length);
  return whole;
}

beforeAll(async () => {
  ({ coc, cocMeta, mcp, mcpMeta } = await sampleLists());
});

describe('matchStreaming without a model (streamed training)', () => {
  it('trains the whole-file model for any chunk size, with every training session', async () => {
    const whole = await expectSame(mcp, { uSamplePairs: 100_000 }, [97, 700, 100_000]);
    expect(whole.links.length).toBeGreaterThan(50);
    const sessions = whole.model.training?.sessions ?? [];
    for (const name of ['same DOB', 'same first and last name'])
      expect(sessions.find((s) => s.pass === name)?.pairs ?? 0).toBeGreaterThan(100);
    expect(whole.model.training?.deterministicLinks ?? 0).toBeGreaterThan(0);
  });

  it('equals the whole file with capped training blocks, sampled training records and another seed', async () => {
    const whole = await expectSame(
      mcp,
      { uSamplePairs: 50_000, maxBlockSize: 1, trainingRecords: 300, seed: 7 },
      [999, 64],
    );
    const capped = matchBatches(coc, mcp, { uSamplePairs: 50_000, trainingRecords: 300, seed: 7 });
    // The cap changed the sessions' pairs: blocks above it were left out.
    expect(whole.model.training?.sessions).not.toEqual(capped.model.training?.sessions);
  });

  it('equals the whole file when every pair is sampled for u (few pairs)', async () => {
    await expectSame(sliceBatch(mcp, 0, 900), { uSamplePairs: 800 * 900 }, [250]);
  });

  it('orders plan IDs of equal hash by ID, as the whole file does, in any row order', async () => {
    const ids = collidingIds(42, 6);
    const plan = {
      ...mcp,
      ids: mcp.ids.map((id, j) => (j % 200 === 0 && j / 200 < ids.length ? ids[j / 200]! : id)),
    };
    expect(new Set(plan.ids).size).toBe(plan.length);
    // u sampled densely (each plan rank drawn about 80 times), so tied ranks are drawn.
    const opts = { uSamplePairs: 200_000 };
    const whole = await expectSame(plan, opts, [333]);
    // Reversed rows: a tie broken by position would give other pairs, other u counts.
    const reversed = concatBatches(
      Array.from({ length: plan.length }, (_, j) => sliceBatch(plan, plan.length - 1 - j, plan.length - j)),
    );
    expect(modelToJson(matchBatches(coc, reversed, { ...opts, meta: cocMeta }).model)).toBe(
      modelToJson(whole.model),
    );
  });
});
