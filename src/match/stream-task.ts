/**
 * The worker side of a streamed match's scoring pass: each worker holds the CoC side, its index and
 * the model (sent once, at start), and scores the plan chunks it is sent (their columns in shared
 * memory) with the same {@link ChunkScorer} as the one-thread loop; the scores are copied back, as
 * every worker's answer is (`TaskOutput`), and the main thread merges them in file order
 * (src/match/stream.node.ts). Runtime-neutral.
 */

import type { EncodedBatch } from '../encoded/batch.js';
import { mapColumns } from '../encoded/shared.js';
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

/** A copy of `c` in a buffer of its own (not shared memory). */
const own = <T extends Uint8Array | Uint32Array>(c: T): T => c.slice() as T;
