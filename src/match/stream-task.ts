/**
 * The worker side of a streamed match's scoring pass: each worker holds the CoC side, its index and
 * the model (sent once, at start), and scores the plan chunks it is sent (their columns in shared
 * memory) with the same {@link ChunkScorer} as the one-thread loop; the scores are copied back, as
 * every worker's answer is (`TaskOutput`), and the main thread merges them in file order
 * (src/match/stream.node.ts). Runtime-neutral.
 */

import type { EncodedBatch } from '../encoded/batch.js';
import type { WorkerRole } from '../parallel/protocol.js';
import { ChunkScorer, type ChunkScores, type ChunkScoringInit } from './stream-score.js';

/** One chunk of the plan (without its IDs: workers never see IDs) and its first record's number. */
export interface StreamChunk {
  readonly chunk: EncodedBatch;
  readonly base: number;
}

/**
 * The streamed-scoring worker role.
 * @example
 * ```ts
 * const scorer = streamScoreRole.init(init);
 * const { result } = streamScoreRole.run(scorer, { chunk, base: 0 });
 * ```
 */
export const streamScoreRole: WorkerRole<ChunkScoringInit, StreamChunk, ChunkScores, ChunkScorer> = {
  init: (d) => new ChunkScorer(d),
  run: (scorer, task) => {
    const scores = scorer.score(task.chunk, task.base);
    // A chunk whose every record is kept comes back as the chunk itself: views of the shared slot
    // the main thread reuses for a later chunk. The answer gets columns of its own.
    return {
      result:
        scores.records === task.chunk ? { ...scores, records: mapColumns(scores.records, own) } : scores,
    };
  },
};

/** A column of an encoded batch. */
type Column = Uint8Array | Uint32Array;

/** A copy of `c` in a buffer of its own (not shared memory). */
const own = <T extends Column>(c: T): T => c.slice() as T;

/**
 * The batch without its IDs, each column (filters, hashes, sets, blocking offsets and keys) replaced
 * by `f`'s answer for it, `f` called in one fixed order: data-quality codes, filters, hashes, sets,
 * then each blocking column's offsets and keys.
 * @example
 * ```ts
 * const mine = mapColumns(chunk, (c) => c.slice() as typeof c); // each column in a buffer of its own
 * ```
 */
export function mapColumns(b: EncodedBatch, f: <T extends Column>(c: T) => T): EncodedBatch {
  const each = <T extends Column>(o: Readonly<Record<string, T>>): Record<string, T> =>
    Object.fromEntries(Object.entries(o).map(([k, a]) => [k, f(a)]));
  return {
    length: b.length,
    ids: [],
    nameDq: f(b.nameDq),
    dobDq: f(b.dobDq),
    ssnDq: f(b.ssnDq),
    blooms: each(b.blooms),
    hashes: each(b.hashes),
    sets: each(b.sets),
    blocks: Object.fromEntries(
      Object.entries(b.blocks).map(([k, c]) => [k, { offsets: f(c.offsets), keys: f(c.keys) }]),
    ),
  };
}
