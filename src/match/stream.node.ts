/**
 * A streamed match's scoring pass on worker threads: this thread reads and decodes the plan's chunks
 * while the workers score earlier ones (each worker built its CoC index and model once), and the
 * chunks' scores are merged in file order — so the result is the one-thread result, byte for byte,
 * for any number of threads and any chunk size.
 */

import type { EncodedBatch } from '../encoded/batch.js';
import { shareBatch, toShared } from '../encoded/shared.js';
import { WORKER_FILE, WorkerEntry } from '../parallel/entry.node.js';
import { queued } from '../parallel/pool.node.js';
import type { ChunkRunner } from './stream.js';
import type { ChunkScores, ChunkScoringInit, CocPass } from './stream-score.js';
import type { StreamChunk, streamScoreRole } from './stream-task.js';

/** The worker role streamed scoring starts (served by src/worker.node.ts). */
const WORKERS = new WorkerEntry<{ readonly streamScore: typeof streamScoreRole }>(WORKER_FILE);

const mapValues = <T, U>(o: Readonly<Record<string, T>>, f: (v: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/**
 * A chunk as it is posted to a worker: without IDs, each column copied into shared memory (posting
 * a view of the file's record batch would clone its whole buffer; transferring a buffer would detach
 * it on this thread, see `TaskOutput`). The worker reads the shared copy; it is freed when both
 * threads have dropped it.
 */
function postable(b: EncodedBatch): EncodedBatch {
  return {
    length: b.length,
    ids: [],
    nameDq: toShared(b.nameDq),
    dobDq: toShared(b.dobDq),
    ssnDq: toShared(b.ssnDq),
    blooms: mapValues(b.blooms, toShared),
    hashes: mapValues(b.hashes, toShared),
    sets: mapValues(b.sets, toShared),
    blocks: mapValues(b.blocks, (c) => ({ offsets: toShared(c.offsets), keys: toShared(c.keys) })),
  };
}

/** The CoC index in shared memory: every worker reads the same copy. */
function sharePass(p: CocPass): CocPass {
  return {
    name: p.name,
    keys: toShared(p.keys),
    pos: toShared(p.pos),
    owner: toShared(p.owner),
    offsets: toShared(p.offsets),
    planCount: toShared(p.planCount),
    buckets: toShared(p.buckets),
  };
}

/**
 * A {@link ChunkRunner} scoring the plan's chunks on `threads` worker threads (`matchStreaming`'s
 * `scoreChunks` option). The CoC side and its index go to shared memory once; each chunk's columns
 * are copied to shared memory for a worker, and its kept records come back (copied) with their IDs
 * restored here. At most `threads + 1` chunks are in flight, so memory grows by about one chunk per
 * thread.
 * @throws RangeError when `threads` is not a positive integer.
 * @example
 * ```ts
 * import { matchStreaming } from 'bloomlink';
 * import { fileBytes, scoreChunksOnThreads } from 'bloomlink/node';
 * const result = await matchStreaming(coc.batch, () => fileBytes('mcp.arrow'), {
 *   model,
 *   meta: coc.meta,
 *   scoreChunks: scoreChunksOnThreads(2),
 * });
 * ```
 */
export function scoreChunksOnThreads(threads: number): ChunkRunner {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError('threads must be a positive integer');
  return async (init, chunks, merge) => {
    const shared: ChunkScoringInit = {
      ...init,
      coc: shareBatch(init.coc, { blocks: false }),
      passes: init.passes.map(sharePass),
    };
    const pool = await WORKERS.start('streamScore', threads, () => shared);
    const inflight: { readonly ids: readonly string[]; readonly task: Promise<ChunkScores> }[] = [];
    const mergeFirst = async () => {
      const first = inflight.shift();
      if (!first) return;
      const s = await first.task;
      const ids = Array.from(s.keptRows, (j) => first.ids[j] ?? '');
      merge({ ...s, records: { ...s.records, ids } });
    };
    try {
      let base = 0;
      for await (const chunk of chunks) {
        const batch = postable(chunk);
        const task: StreamChunk = { chunk: batch, base };
        inflight.push({ ids: chunk.ids, task: queued(pool.run(task)) });
        base += chunk.length;
        // One chunk more than workers: a worker finding its next chunk waiting while this thread reads.
        if (inflight.length > threads) await mergeFirst();
      }
      while (inflight.length > 0) await mergeFirst();
    } finally {
      await pool.close();
    }
  };
}
