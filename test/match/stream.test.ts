/**
 * Matching with the plan side streamed gives exactly the whole-file result (links, statistics,
 * histogram, explanations, counts) with the same model, for any chunk size, block cap and file format.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EncodedBatch, EncodedMeta } from '../../src/encoded/batch.js';
import { concatBatches } from '../../src/encoded/concat.js';
import { type EncodedFormat, readEncoded } from '../../src/encoded/file.js';
import { sliceBatch } from '../../src/encoded/slice.js';
import { BloomlinkError } from '../../src/errors.js';
import { matchBatches, scoreCandidates } from '../../src/match/match.js';
import { matchStreaming, scoreStreaming } from '../../src/match/stream.js';
import { scoreChunksOnThreads } from '../../src/match/stream.node.js';
import type { LinkageModel } from '../../src/model/model.js';
import { planFileBytes, sampleLists } from '../helpers/plan-file.js';

let coc: EncodedBatch;
let cocMeta: EncodedMeta;
let mcp: EncodedBatch;
let mcpMeta: EncodedMeta;
let model: LinkageModel;

/** The plan as a file of record batches of `per` records. */
function planFile(format: EncodedFormat, per: number): Promise<Uint8Array> {
  return planFileBytes(mcpMeta, mcp, per, format);
}

beforeAll(async () => {
  ({ coc, cocMeta, mcp, mcpMeta } = await sampleLists());
  model = matchBatches(coc, mcp, { meta: cocMeta, uSamplePairs: 100_000 }).model;
});

describe('matchStreaming', () => {
  it('equals matchBatches with the same model for any chunk size (Arrow, batches of 300)', async () => {
    const bytes = await planFile('arrow', 300);
    const whole = matchBatches(coc, (await readEncoded(bytes, 'mcp')).batch, { model, meta: cocMeta });
    expect(whole.links.length).toBeGreaterThan(50);
    expect(whole.explanations.length).toBeGreaterThan(10);
    for (const chunkRecords of [1, 700, 100_000]) {
      const s = await matchStreaming(coc, () => bytes, { model, meta: cocMeta, chunkRecords });
      expect(JSON.stringify(s)).toBe(JSON.stringify(whole));
    }
  });

  it('keeps the same pairs in the same order as scoreCandidates (CoC record, pass, key, plan record)', async () => {
    const bytes = await planFile('arrow', 256);
    // A high prior keeps most pairs, so records have many kept pairs each.
    const generous = { ...model, lambda: 0.99 };
    const whole = scoreCandidates(coc, mcp, generous, { maxBlockSize: 40 });
    const s = await scoreStreaming(coc, () => bytes, {
      model: generous,
      maxBlockSize: 40,
      chunkRecords: 600,
    });
    const ids = (left: Uint32Array, right: Uint32Array, plan: EncodedBatch) =>
      Array.from(left, (i, x) => `${coc.ids[i]}|${plan.ids[right[x]!]}`);
    const expected = ids(whole.pairs.left, whole.pairs.right, mcp);
    // Some CoC record has kept pairs out of plan-record order (found by a later pass or key first).
    expect(
      Array.from(whole.pairs.left).some(
        (i, x) => x > 0 && whole.pairs.left[x - 1] === i && whole.pairs.right[x - 1]! > whole.pairs.right[x]!,
      ),
    ).toBe(true);
    expect(ids(s.scored.pairs.left, s.scored.pairs.right, s.records)).toEqual(expected);
    expect(Array.from(s.scored.pairs.weight)).toEqual(Array.from(whole.pairs.weight));
    expect(s.scored.hist).toEqual(whole.hist);
    expect(s.scored.passes).toEqual(whole.passes);
    expect(s.planRecords).toBe(mcp.length);
    expect(s.records.length).toBe(new Set(whole.pairs.right).size);
  });

  it('equals matchBatches with capped blocks and a JSON Lines file', async () => {
    const bytes = await planFile('jsonl', 1000);
    for (const maxBlockSize of [2, 6]) {
      const whole = matchBatches(coc, mcp, { model, meta: cocMeta, maxBlockSize });
      expect(whole.blocking.passes.some((p) => p.cappedBlocks > 0)).toBe(true);
      const s = await matchStreaming(coc, () => bytes, {
        model,
        meta: cocMeta,
        maxBlockSize,
        chunkRecords: 999,
      });
      expect(JSON.stringify(s)).toBe(JSON.stringify(whole));
    }
  });

  it('reports progress over the plan records and reads the plan twice', async () => {
    const bytes = await planFile('arrow', 512);
    let opened = 0;
    const seen: number[] = [];
    const units = new Set<string | undefined>();
    await matchStreaming(
      coc,
      () => {
        opened++;
        return bytes;
      },
      {
        model,
        chunkRecords: 1024,
        onProgress: (p) => {
          seen.push(p.done);
          units.add(p.unit);
        },
      },
    );
    expect(opened).toBe(2);
    expect(seen.at(-1)).toBe(mcp.length);
    expect([...units]).toEqual(['plan records']);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('scores chunks on 1, 2 and 3 worker threads with the one-thread result, for any chunk size', async () => {
    const bytes = await planFile('arrow', 300);
    const here = await matchStreaming(coc, () => bytes, { model, meta: cocMeta });
    const whole = matchBatches(coc, (await readEncoded(bytes, 'mcp')).batch, { model, meta: cocMeta });
    expect(JSON.stringify(here)).toBe(JSON.stringify(whole));
    // Worker start-up from source (tsx in each worker) is most of this test's time: each thread count
    // with the chunk sizes that matter for it (slices of record batches, several chunks per worker,
    // one chunk for all; chunks of one record, most of them kept whole, while their shared slots are
    // reused for later chunks).
    const runs: [number, number][] = [
      [1, 333],
      [2, 1],
      [2, 97],
      [2, 100_000],
      [3, 333],
    ];
    for (const [threads, chunkRecords] of runs) {
      const s = await matchStreaming(coc, () => bytes, {
        model,
        meta: cocMeta,
        chunkRecords,
        scoreChunks: scoreChunksOnThreads(threads),
      });
      expect(JSON.stringify(s), `${threads} threads, chunks of ${chunkRecords}`).toBe(JSON.stringify(whole));
    }
  }, 240_000);

  it('on worker threads keeps the pairs in the same order, with capped blocks and a JSON Lines file', async () => {
    const bytes = await planFile('jsonl', 256);
    const generous = { ...model, lambda: 0.99 };
    const opts = { model: generous, maxBlockSize: 6, chunkRecords: 450 };
    const here = await scoreStreaming(coc, () => bytes, opts);
    expect(here.scored.passes.some((p) => p.cappedBlocks > 0)).toBe(true);
    expect(here.scored.pairs.left.length).toBeGreaterThan(100);
    for (const threads of [2, 3]) {
      const s = await scoreStreaming(coc, () => bytes, {
        ...opts,
        scoreChunks: scoreChunksOnThreads(threads),
      });
      expect(Array.from(s.scored.pairs.left)).toEqual(Array.from(here.scored.pairs.left));
      expect(Array.from(s.scored.pairs.right)).toEqual(Array.from(here.scored.pairs.right));
      expect(Array.from(s.scored.pairs.weight)).toEqual(Array.from(here.scored.pairs.weight));
      expect(s.scored.hist).toEqual(here.scored.hist);
      expect(s.scored.passes).toEqual(here.scored.passes);
      expect(s.records.ids).toEqual(here.records.ids);
      expect(JSON.stringify(s.records)).toBe(JSON.stringify(here.records));
    }
  }, 240_000);

  it('on worker threads reads a plan held in one record batch, with a blocking pass that has no keys', async () => {
    // Chunks are views of the file's one record batch; an empty column is a view covering its whole
    // (empty) buffer: posting a chunk must not take a buffer the next chunk's slice still reads.
    const whole = mcp;
    const [empty] = Object.keys(mcp.blocks);
    mcp = {
      ...whole,
      blocks: {
        ...whole.blocks,
        [empty!]: { offsets: new Uint32Array(whole.length + 1), keys: new Uint32Array(0) },
      },
    };
    try {
      const bytes = await planFile('arrow', mcp.length);
      const expected = matchBatches(coc, (await readEncoded(bytes, 'mcp')).batch, { model, meta: cocMeta });
      expect(expected.blocking.passes.find((p) => p.name === empty)?.pairs).toBe(0);
      const s = await matchStreaming(coc, () => bytes, {
        model,
        meta: cocMeta,
        chunkRecords: 700,
        scoreChunks: scoreChunksOnThreads(2),
      });
      expect(JSON.stringify(s)).toBe(JSON.stringify(expected));
    } finally {
      mcp = whole;
    }
  }, 240_000);

  it('on worker threads refuses a plan file that changes between its readings, and a bad thread count', async () => {
    const bytes = await planFile('arrow', 300);
    const shorter = await (async () => {
      const whole = mcp;
      mcp = sliceBatch(whole, 0, 1200);
      try {
        return await planFile('arrow', 300);
      } finally {
        mcp = whole;
      }
    })();
    let opened = 0;
    const changing = () => (opened++ === 0 ? bytes : shorter);
    await expect(
      matchStreaming(coc, changing, { model, chunkRecords: 500, scoreChunks: scoreChunksOnThreads(2) }),
    ).rejects.toMatchObject({ code: 'FILE_CORRUPT' });
    expect(() => scoreChunksOnThreads(0)).toThrow(RangeError);
    expect(() => scoreChunksOnThreads(1.5)).toThrow(RangeError);
  }, 240_000);

  it('refuses a plan file replaced between readings by one with as many records (model given or trained)', async () => {
    const bytes = await planFile('arrow', 300);
    const half = Math.floor(mcp.length / 2);
    const swapped = concatBatches([sliceBatch(mcp, half, mcp.length), sliceBatch(mcp, 0, half)]);
    const other = await planFileBytes(mcpMeta, swapped, 300);
    // The first reading sees the file; the reading `at` (1: scoring with a model; 1 or 2: training's
    // u and EM readings without one) sees the other list.
    for (const [withModel, at] of [
      [true, 1],
      [false, 1],
      [false, 2],
    ] as const) {
      let opened = 0;
      const changing = () => (opened++ === at ? other : bytes);
      await expect(
        matchStreaming(coc, changing, { ...(withModel ? { model } : {}), chunkRecords: 500 }),
        `model ${withModel}, reading ${at}`,
      ).rejects.toMatchObject({
        code: 'FILE_CORRUPT',
        message: expect.stringMatching(/changed between its readings/),
      });
    }
  }, 240_000);

  it('applies the monthly cycle (decisions, previous) as matchBatches does, for any chunk size and thread count', async () => {
    const bytes = await planFile('arrow', 300);
    const plain = matchBatches(coc, mcp, { model, meta: cocMeta });
    const matches = plain.links.filter((l) => l.status === 'match');
    const linkedMembers = new Set(plain.links.map((l) => l.memberId));
    const linkedPersons = new Set(plain.links.map((l) => l.personalId));
    // A pair no blocking pass proposes: two records no link names, far apart in the files.
    const person = coc.ids.find((id) => !linkedPersons.has(id)) ?? '';
    const member = [...mcp.ids].reverse().find((id) => !linkedMembers.has(id)) ?? '';
    const [m0, m1, m2] = matches;
    if (!m0 || !m1 || !m2) throw new Error('the sample has too few links');
    const decisions = [
      { personalId: m0.personalId, memberId: m0.memberId, decision: 'reject' as const },
      // Another client's member, and two strangers: pairs scored directly, not candidates.
      { personalId: m1.personalId, memberId: m0.memberId, decision: 'accept' as const },
      { personalId: person, memberId: member, decision: 'accept' as const },
      { personalId: m2.personalId, memberId: 'NOT-IN-THE-PLAN', decision: 'accept' as const },
    ];
    // Last month: most of this month's links, one to another member, one to a member who left.
    const previous = [
      ...matches.slice(3).map((l) => ({ personalId: l.personalId, memberId: l.memberId })),
      { personalId: m2.personalId, memberId: mcp.ids[0] ?? '' },
      { personalId: m0.personalId, memberId: 'LEFT-THE-PLAN' },
    ];
    const cycle = { model, meta: cocMeta, decisions, previous };
    const whole = matchBatches(coc, mcp, cycle);
    const y = whole.cycle?.counts;
    expect(y?.acceptedLinked).toBe(2);
    expect(y?.acceptedInactive).toBe(1);
    expect(y?.rejectedCandidates).toBe(1);
    expect(whole.cycle?.changes?.some((c) => c.change === 'removed')).toBe(true);
    expect(whole.links.some((l) => l.personalId === person && l.memberId === member)).toBe(true);
    const runs: [number, number][] = [
      [1, 97],
      [1, 100_000],
      [2, 333],
    ];
    for (const [threads, chunkRecords] of runs) {
      const s = await matchStreaming(coc, () => bytes, {
        ...cycle,
        chunkRecords,
        ...(threads > 1 ? { scoreChunks: scoreChunksOnThreads(threads) } : {}),
      });
      expect(JSON.stringify(s), `${threads} threads, chunks of ${chunkRecords}`).toBe(JSON.stringify(whole));
    }
  }, 240_000);

  it('refuses what it does not support, swapped files and an empty plan', async () => {
    const bytes = await planFile('arrow', 1000);
    const plan = () => bytes;
    await expect(matchStreaming(coc, plan, { model, exhaustive: {} })).rejects.toThrow(RangeError);
    await expect(matchStreaming(coc, plan, { model, truth: [] })).rejects.toThrow(RangeError);
    await expect(matchStreaming(coc, plan, { model, chunkRecords: 0 })).rejects.toThrow(RangeError);
    await expect(matchStreaming(coc, plan, { model, meta: mcpMeta })).rejects.toThrow(BloomlinkError);
    const whole = mcp;
    mcp = concatBatches([whole, sliceBatch(whole, 7, 8)]);
    const repeated = await planFile('arrow', 1000);
    await expect(matchStreaming(coc, () => repeated, { model })).rejects.toMatchObject({
      code: 'FILE_DUPLICATE_ID',
    });
    mcp = sliceBatch(whole, 0, 0);
    const empty = await planFile('arrow', 1000);
    await expect(matchStreaming(coc, () => empty, { model })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    let opened = 0;
    const counted = () => {
      opened++;
      return bytes;
    };
    await expect(matchStreaming(sliceBatch(coc, 0, 0), counted, { model })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    expect(opened).toBe(0);
  });
  it('tells which plan IDs the cycle names once the first reading ends, before any training or scoring', async () => {
    // Fresh lists: the tests above leave `mcp` emptied.
    const lists = await sampleLists();
    const bytes = await planFileBytes(lists.mcpMeta, lists.mcp, 300, 'arrow');
    const present = lists.mcp.ids[5] as string;
    const previous = [
      { personalId: lists.coc.ids[0] as string, memberId: present },
      { personalId: 'GONE', memberId: 'NOT-IN-THE-PLAN' },
    ];
    let chunksScored = 0;
    let answers: boolean[] | undefined;
    const stopped = await scoreStreaming(lists.coc, () => bytes, {
      previous,
      chunkRecords: 500,
      scoreChunks: async (_init, chunks) => {
        for await (const _ of chunks) chunksScored++;
      },
      onPlanIdsRead: (has) => {
        answers = [has(present), has('NOT-IN-THE-PLAN')];
        throw new BloomlinkError('INPUT_INVALID', 'wrong previous links');
      },
    }).catch((e: unknown) => e);
    expect(answers).toEqual([true, false]);
    expect(stopped).toMatchObject({ code: 'INPUT_INVALID' });
    // No model given: a model would have been trained (two more readings), then chunks scored.
    expect(chunksScored).toBe(0);
  });
});
