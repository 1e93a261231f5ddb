/**
 * A streamed match's scoring pass on worker threads: this thread reads and decodes the plan's chunks
 * while the workers score earlier ones (each worker built its CoC index and model once), and the
 * chunks' scores are merged in file order — so the result is the one-thread result, byte for byte,
 * for any number of threads and any chunk size.
 */

import type { EncodedBatch } from '../encoded/batch.js';
import { mapColumns, shareBatch, toShared } from '../encoded/shared.js';
import { WORKER_FILE, WorkerEntry } from '../parallel/entry.node.js';
import { queued } from '../parallel/pool.node.js';
import type { ChunkRunner } from './stream.js';
import type { ChunkScores, ChunkScoringInit, CocPass } from './stream-score.js';
import type { StreamChunk, streamScoreRole } from './stream-task.js';

/** The worker role streamed scoring starts (served by src/worker.node.ts). */
const WORKERS = new WorkerEntry<{ readonly streamScore: typeof streamScoreRole }>(WORKER_FILE);

type Column = Uint8Array | Uint32Array;

/** The columns of a batch (filters, hashes, sets, blocking keys), each once, in a fixed order. */
function columnsOf(b: EncodedBatch): Column[] {
  const out: Column[] = [b.nameDq, b.dobDq, b.ssnDq];
  out.push(...Object.values(b.blooms), ...Object.values(b.hashes), ...Object.values(b.sets));
  for (const c of Object.values(b.blocks)) out.push(c.offsets, c.keys);
  return out;
}

/**
 * Shared memory that chunks are copied into on their way to a worker, reused: at most `threads + 1`
 * chunks are in flight and they are merged in order, so chunk k's slot (k mod slots) is free again
 * when chunk k is posted — the worker that read chunk k − slots has answered, and no answer views
 * a slot (a chunk kept whole comes back copied: `streamScoreRole`). Posting shares the
 * memory (no copy, no detached buffer on either thread: see `TaskOutput`), and what the chunks take
 * does not wait for either thread's garbage collector: a fresh buffer a chunk held until both
 * threads had collected it raised the peak by ≈ 20 % (docs/scaling.md, "Follow-ups, session 15").
 */
class ChunkSlots {
  private readonly buffers: (SharedArrayBuffer | undefined)[];
  private next = 0;

  constructor(slots: number) {
    this.buffers = new Array(slots).fill(undefined);
  }

  /** A copy of `b` without its IDs, its columns views of the next slot's shared memory. */
  copy(b: EncodedBatch): EncodedBatch {
    const columns = columnsOf(b);
    let bytes = 0;
    for (const c of columns) bytes += (c.byteLength + 7) & ~7;
    const slot = this.next;
    this.next = (slot + 1) % this.buffers.length;
    let buffer = this.buffers[slot];
    if (buffer === undefined || buffer.byteLength < bytes) {
      // The first chunk, or a longer one: room for a sixteenth more (chunks differ a little in
      // their blocking keys), not more — the slots are held until the match ends.
      buffer = new SharedArrayBuffer(Math.max(8, Math.ceil(bytes * 1.0625)));
      this.buffers[slot] = buffer;
    }
    const into = buffer;
    let at = 0;
    return mapColumns(b, <T extends Column>(c: T): T => {
      const Ctor = c.constructor as new (b: SharedArrayBuffer, offset: number, length: number) => T;
      const out = new Ctor(into, at, c.length);
      out.set(c as never);
      at += (c.byteLength + 7) & ~7;
      return out;
    });
  }
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
 * are copied into one of `threads + 1` reused blocks of shared memory for a worker (`ChunkSlots`),
 * and its kept records come back (copied) with their IDs restored here. At most `threads + 1` chunks
 * are in flight, so memory grows by about one chunk per thread.
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
    const slots = new ChunkSlots(threads + 1);
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
        const batch = slots.copy(chunk);
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
