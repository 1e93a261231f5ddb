/**
 * The worker side of a streamed match's scoring pass: each worker holds the CoC side, its index and
 * the model (sent once, at start), and scores the plan chunks it is sent (their buffers transferred,
 * not copied) with the same {@link ChunkScorer} as the one-thread loop; the main thread merges the
 * chunks' scores in file order (src/match/stream.node.ts). Runtime-neutral.
 */

import type { EncodedBatch } from '../encoded/batch.js';
import type { WorkerRole } from '../parallel/protocol.js';
import { ChunkScorer, type ChunkScores, type ChunkScoringInit } from './stream-score.js';

/** One chunk of the plan (without its IDs: workers never see IDs) and its first record's number. */
export interface StreamChunk {
  readonly chunk: EncodedBatch;
  readonly base: number;
}

/** The typed arrays of a batch (columns, blocking keys), each once. */
export function batchArrays(b: EncodedBatch): (Uint8Array | Uint32Array)[] {
  const out: (Uint8Array | Uint32Array)[] = [b.nameDq, b.dobDq, b.ssnDq];
  for (const a of Object.values(b.blooms)) out.push(a);
  for (const a of Object.values(b.hashes)) out.push(a);
  for (const a of Object.values(b.sets)) out.push(a);
  for (const c of Object.values(b.blocks)) out.push(c.offsets, c.keys);
  return out;
}

/**
 * The buffers that can move to another thread with `arrays`: each `ArrayBuffer` (never a shared
 * one) once.
 * @example
 * ```ts
 * port.postMessage(batch, transferList(batchArrays(batch)));
 * ```
 */
export function transferList(arrays: readonly ArrayBufferView[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  return [...out];
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
  run(scorer, task) {
    const r = scorer.score(task.chunk, task.base);
    const arrays = [
      r.left,
      r.right,
      r.tag,
      r.weight,
      r.hist,
      r.newPairs,
      r.keptRows,
      ...batchArrays(r.records),
    ];
    return { result: r, transfer: transferList(arrays) };
  },
};
