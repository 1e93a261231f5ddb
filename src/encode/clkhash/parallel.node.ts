/**
 * clkhash-compatible encoding on all cores: this thread reads the records and cuts them into chunks
 * in file order; worker threads (role `clkhash`, src/encode/clkhash/task.ts) encode the chunks; the
 * chunks' CLKs come back in file order, so the output is the one-thread output for any number of
 * threads, and the first record clkhash would reject stops the run with the same error.
 */
import { WORKER_FILE, WorkerEntry } from '../../parallel/entry.node.js';
import { queued, type WorkerPool } from '../../parallel/pool.node.js';
import { defaultThreads } from '../../parallel/threads.node.js';
import { defined } from '../../util/defined.js';
import { type ClkEncoderOptions, createClkEncoder } from './encoder.js';
import { clkToBase64 } from './json.js';
import type { ClkhashSchema } from './schema-types.js';
import type { clkhashRole } from './task.js';

const WORKERS = new WorkerEntry<{ readonly clkhash: typeof clkhashRole }>(WORKER_FILE);

/**
 * The smallest input, in bytes of file text, that clkhash encoding starts worker threads for when
 * the caller does not set `threads`. This thread still turns every row into a record and clones
 * it to a worker, which costs about as much CPU as the encoding it hands out (measured on 2·10⁵
 * records, 6.8 MB, at load 14–17: 2 threads no faster than 1); so workers start only for large
 * files, in docs/scaling.md ("Small jobs").
 * @example
 * ```ts
 * import { statSync } from 'node:fs';
 * import { availableParallelism } from 'node:os';
 * const threads = statSync(path).size >= CLKHASH_PARALLEL_MIN_BYTES ? availableParallelism() : 1;
 * ```
 */
export const CLKHASH_PARALLEL_MIN_BYTES = 32 << 20;

/** Options of {@link encodeClksParallel}. */
export interface ClkParallelOptions extends ClkEncoderOptions {
  /** Worker threads; 1 encodes on this thread (default: all cores). */
  readonly threads?: number;
  /** Records per worker task (default 2,048); the output does not depend on it. */
  readonly chunkRecords?: number;
}

/** One record to encode: its values in schema feature order and its line (for errors). */
export interface ClkRecord {
  readonly record: readonly string[];
  readonly line: number;
}

/**
 * Encodes records, given in batches of any size (e.g. the row batches of `readCsvBatches`: no async
 * step per record), into clkhash CLKs (base64) on `threads` worker threads, yielding the CLKs in
 * chunks of `chunkRecords` (the last one shorter) in input order: the same strings, in the same order, for any number of threads and chunk
 * size. The secret is checked here (as `createClkEncoder` does) before any worker starts; each
 * worker gets a copy of its UTF-8 bytes and wipes it once its keys are derived.
 * @throws BloomlinkError `KEY_MISSING`, `KEY_TOO_SHORT`, `KEY_WEAK`, `KEY_UNREADABLE` for the
 *   secret; `INPUT_INVALID` for the first record (in input order) clkhash would reject
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { parseClkhashSchema } from 'bloomlink/encode';
 * import { type ClkRecord, encodeClksParallel } from 'bloomlink/node';
 * const schema = parseClkhashSchema(JSON.parse(readFileSync('schema.json', 'utf8')));
 * const secret = readFileSync('secret.txt', 'utf8').trim();
 * const records: ClkRecord[] = [{ record: ['1', 'Ana', 'Lee', '1980/01/02'], line: 2 }];
 * const clks: string[] = [];
 * for await (const chunk of encodeClksParallel(schema, secret, [records], { threads: 2 })) clks.push(...chunk);
 * ```
 */
export async function* encodeClksParallel(
  schema: ClkhashSchema,
  secret: string,
  batches: AsyncIterable<readonly ClkRecord[]> | Iterable<readonly ClkRecord[]>,
  opts: ClkParallelOptions = {},
): AsyncGenerator<string[]> {
  const { threads = defaultThreads(), chunkRecords = 2048, ...encoderOpts } = opts;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError('threads must be a positive integer');
  if (!Number.isInteger(chunkRecords) || chunkRecords < 1)
    throw new RangeError('chunkRecords must be a positive integer');
  // Checks the schema and the secret, and encodes on this thread when no workers are wanted.
  const encoder = createClkEncoder(schema, secret, encoderOpts);
  let pool: WorkerPool<typeof clkhashRole> | undefined;
  const inflight: Promise<string[]>[] = [];
  try {
    if (threads > 1) {
      // createClkEncoder accepted the secret: well-formed text, so its UTF-8 bytes are the ones it hashed.
      const bytes = new TextEncoder().encode(secret);
      const copies: Uint8Array[] = [];
      try {
        pool = await WORKERS.start('clkhash', threads, () => {
          const copy = bytes.slice();
          copies.push(copy);
          return {
            schema,
            secret: copy,
            ...(encoderOpts.tokenCacheSize === undefined
              ? {}
              : { tokenCacheSize: encoderOpts.tokenCacheSize }),
          };
        });
      } finally {
        for (const c of copies) c.fill(0);
        bytes.fill(0);
      }
    }
    if (pool === undefined) {
      // One thread: each record is encoded as it arrives (holding a chunk of records first would
      // keep them alive past a young-generation collection), and its CLKs leave in chunks.
      let done: string[] = [];
      for await (const batch of batches)
        for (const r of batch) {
          done.push(clkToBase64(encoder.encode(r.record, r.line)));
          if (done.length < chunkRecords) continue;
          yield done;
          done = [];
        }
      if (done.length > 0) yield done;
      return;
    }
    let chunk: { records: (readonly string[])[]; lines: number[] } = { records: [], lines: [] };
    for await (const batch of batches)
      for (const r of batch) {
        chunk.records.push(r.record);
        chunk.lines.push(r.line);
        if (chunk.records.length < chunkRecords) continue;
        inflight.push(queued(pool.run(chunk)));
        chunk = { records: [], lines: [] };
        // At most two chunks per worker in flight: memory stays flat however long the input.
        while (inflight.length >= 2 * threads) yield await defined(inflight.shift(), 'chunk in flight');
      }
    if (chunk.records.length > 0) inflight.push(queued(pool.run(chunk)));
    while (inflight.length > 0) yield await defined(inflight.shift(), 'chunk in flight');
  } finally {
    // Settle what is still running before the workers go, so no rejection is left unhandled.
    await Promise.allSettled(inflight);
    await pool?.close();
    encoder.dispose();
  }
}
