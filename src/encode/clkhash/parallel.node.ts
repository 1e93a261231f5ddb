/**
 * clkhash-compatible encoding on all cores: this thread reads the records and cuts them into chunks
 * in file order; worker threads (role `clkhash`, src/encode/clkhash/task.ts) encode the chunks, and
 * this thread encodes those the busy workers cannot take; the chunks' CLKs come back in file order,
 * so the output is the one-thread output for any number of threads, and the first record clkhash
 * would reject stops the run with the same error.
 */
import { WORKER_FILE, WorkerEntry } from '../../parallel/entry.node.js';
import { queued, type WorkerPool } from '../../parallel/pool.node.js';
import { defaultThreads } from '../../parallel/threads.node.js';
import type { TextPiece } from '../../read/split.js';
import { defined } from '../../util/defined.js';
import { type ClkEncoderOptions, createClkEncoder, recordWidthError, writeQuotedClk } from './encoder.js';
import type { ClkhashSchema } from './schema-types.js';
import {
  type ClkhashChunk,
  type ClkhashChunkResult,
  type ClkhashPiece,
  type clkhashRole,
  encodeClkPiece,
} from './task.js';

const WORKERS = new WorkerEntry<{ readonly clkhash: typeof clkhashRole }>(WORKER_FILE);

/**
 * The smallest input, in bytes of file text, that clkhash encoding starts worker threads for when
 * the caller does not set `threads`. The workers now parse and encode their own pieces of the file
 * and no longer wait for this thread (on 2 threads the busiest thread does 0.53–0.65 of one
 * thread's work on 10⁶ records), but that was measured as CPU per thread at load 26–30, not as wall
 * time; so workers start only for large files until a quiet-machine run shows the gain
 * (docs/scaling.md, "clkhash-compatible encoding on worker threads").
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
  /** Threads that encode: this one and `threads` − 1 workers; 1 starts none (default: all cores). */
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
 * step per record), into clkhash CLKs (base64) on `threads` threads (this one and `threads` − 1 workers), yielding the CLKs in
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
  const ascii = new TextDecoder();
  const width = schema.features.length;
  const chunks = encodeClkTextParallel(
    schema,
    secret,
    batches,
    (r, f) => {
      // What the encoder checks of a record, here too: a worker gets the values as one string.
      const values = r.record;
      if (f === 0) {
        if (!Array.isArray(values)) throw new TypeError('record must be an array of strings');
        if (values.length !== width) throw recordWidthError(r.line, values.length, width);
      }
      const v = values[f];
      if (typeof v !== 'string') throw new TypeError(`record value ${f} must be a string`);
      return v;
    },
    (r) => r.line,
    opts,
  );
  for await (const { bytes, count } of chunks) {
    if (count === 0) continue;
    // '"a","b"' → ['a', 'b'] (base64 holds no quote or comma).
    yield ascii.decode(bytes.subarray(1, bytes.length - 1)).split('","');
  }
}

/**
 * What {@link encodeClksParallel} runs, for writers of the JSON text (the CLI): records of any
 * shape (`value(record, feature)` gives a value in schema feature order, `line(record)` its line),
 * and each chunk's CLKs as the ASCII bytes of `"clk1","clk2",…` in input order. `value` is asked
 * for each feature in order; what it throws stops the run in input order, as the encoder's errors do.
 * @example
 * ```ts
 * for await (const { bytes } of encodeClkTextParallel(schema, secret, [rows], (r, f) => r.fields[f] ?? '', (r) => r.line))
 *   await out.write(bytes);
 * ```
 */
export async function* encodeClkTextParallel<T>(
  schema: ClkhashSchema,
  secret: string,
  batches: AsyncIterable<readonly T[]> | Iterable<readonly T[]>,
  value: (record: T, feature: number) => string,
  line: (record: T) => number,
  opts: ClkParallelOptions = {},
): AsyncGenerator<ClkhashChunkResult> {
  const { threads = defaultThreads(), chunkRecords = 2048, ...encoderOpts } = opts;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError('threads must be a positive integer');
  if (!Number.isInteger(chunkRecords) || chunkRecords < 1)
    throw new RangeError('chunkRecords must be a positive integer');
  // Checks the schema and the secret, and encodes on this thread when no workers are wanted.
  const encoder = createClkEncoder(schema, secret, encoderOpts);
  const width = schema.features.length;
  let pool: WorkerPool<typeof clkhashRole> | undefined;
  const inflight: Promise<ClkhashChunkResult>[] = [];
  try {
    // This thread encodes too: N threads are this one and N − 1 workers.
    const workers = threads - 1;
    // Two chunks wait at each worker (posted at once): a worker goes on to its next chunk while
    // this thread encodes one of its own.
    if (workers > 0)
      pool = (await startWorkers(schema, secret, workers, encoderOpts.tokenCacheSize)).pipeline(2);
    // Chunks in input order, each encoded by a worker or by this thread. A chunk goes to a worker
    // while fewer than two per worker are in flight, else this thread encodes it itself (and reads
    // on meanwhile): the work balances between this thread, which also reads the CSV, and the
    // workers, whatever the machine's load. Each record is taken as it arrives (no row kept alive
    // until its chunk is full): for a worker its values go into one string with their lengths, for
    // this thread its CLK is written straight into the chunk's bytes.
    const record = new Array<string>(width);
    const size = encoder.base64Length + 3;
    const limit = pool === undefined ? 1 : 4 * threads + 8;
    let busy = 0;
    let toWorker = false;
    let failed = false;
    let parts: string[] = [];
    let lengths = new Int32Array(0);
    let lines = new Int32Array(0);
    let out = new Uint8Array(0);
    let o = 0;
    let n = 0;
    let k = 0;
    const finish = (): void => {
      if (toWorker && pool !== undefined) {
        const packed: ClkhashChunk =
          n === chunkRecords
            ? { text: parts.join(''), lengths, lines }
            : { text: parts.join(''), lengths: lengths.slice(0, k), lines: lines.slice(0, n) };
        busy++;
        const run = pool.run(packed);
        run.then(
          () => busy--,
          () => busy--,
        );
        inflight.push(queued(run));
        parts = [];
      } else inflight.push(Promise.resolve({ bytes: out.subarray(0, o), count: n }));
      n = 0;
      k = 0;
      o = 0;
    };
    reading: for await (const batch of batches)
      for (const r of batch) {
        if (n === 0) {
          toWorker = pool !== undefined && busy < 2 * workers;
          if (toWorker) {
            lengths = new Int32Array(chunkRecords * width);
            lines = new Int32Array(chunkRecords);
          } else out = new Uint8Array(chunkRecords * size);
        }
        try {
          // The values first (`value` may refuse a record), then into the worker's string or a CLK.
          for (let f = 0; f < width; f++) record[f] = value(r, f);
          if (toWorker) {
            lines[n] = line(r);
            for (let f = 0; f < width; f++) {
              const v = record[f] as string;
              parts.push(v);
              lengths[k++] = v.length;
            }
          } else {
            o = writeQuotedClk(encoder, record, out, o, n === 0, line(r));
          }
        } catch (e) {
          // The records before this one, not yet encoded when their chunk goes to a worker, may hold
          // an earlier error: they are sent, and this error is raised after them, in input order.
          if (toWorker && n > 0) finish();
          inflight.push(queued(Promise.reject(e)));
          failed = true;
          break reading;
        }
        if (++n < chunkRecords) continue;
        finish();
        // At most `limit` chunks wait: memory stays flat however long the input.
        while (inflight.length >= limit) yield await defined(inflight.shift(), 'chunk in flight');
      }
    if (n > 0 && !failed) finish();
    while (inflight.length > 0) yield await defined(inflight.shift(), 'chunk in flight');
  } finally {
    // Settle what is still running before the workers go, so no rejection is left unhandled.
    await Promise.allSettled(inflight);
    await pool?.close();
    encoder.dispose();
  }
}

/**
 * Pieces posted to each worker before this thread keeps one: the worker is not left waiting while
 * this thread encodes a piece of its own (a few milliseconds) or cuts and writes.
 */
const PIECES_PER_WORKER = 4;

/** Where a CSV file's values are: what {@link encodeClkPiecesParallel} parses each piece with. */
export interface ClkCsvLayout {
  /** CSV column of each schema feature, in feature order; −1 (or `undefined`) for a feature without one. */
  readonly columns: readonly (number | undefined)[];
  readonly delimiter: string;
  /** The file's name in parse errors. */
  readonly label: string;
}

/**
 * Starts the clkhash workers: each gets the schema and its own copy of the secret's UTF-8 bytes,
 * and every copy here is wiped once they have started.
 */
async function startWorkers(
  schema: ClkhashSchema,
  secret: string,
  workers: number,
  tokenCacheSize: number | undefined,
  finished?: Int32Array,
): Promise<WorkerPool<typeof clkhashRole>> {
  // createClkEncoder accepted the secret: well-formed text, so its UTF-8 bytes are the ones it hashed.
  const bytes = new TextEncoder().encode(secret);
  const copies: Uint8Array[] = [];
  try {
    return await WORKERS.start('clkhash', workers, () => {
      const copy = bytes.slice();
      copies.push(copy);
      return {
        schema,
        secret: copy,
        ...(tokenCacheSize === undefined ? {} : { tokenCacheSize }),
        ...(finished === undefined ? {} : { finished }),
      };
    });
  } finally {
    for (const c of copies) c.fill(0);
    bytes.fill(0);
  }
}

/**
 * Encodes a CSV file given as pieces of whole records (the pieces of `splitCsv`, header excluded)
 * on `threads` threads (this one and `threads` − 1 workers), yielding each piece's CLKs as the
 * ASCII bytes of `"clk1","clk2",…` in file order: the same bytes for any number of threads and
 * piece size as encoding the rows one by one. A worker parses and encodes the pieces it is given,
 * so this thread only cuts the text, hands out the pieces and passes the results on in order; it
 * keeps (parses and encodes) a piece itself when every worker already has four waiting. A parse
 * error or a record clkhash rejects stops the run with its error, in file order.
 * @throws BloomlinkError `KEY_*` for the secret (before any worker starts); the parser's errors
 *   (as `readCsvRows` raises them) and `INPUT_INVALID`, for the first row in file order with one
 * @example
 * ```ts
 * const file = await splitCsv(fileBytes('records.csv'), { label: 'records.csv', pieceChars: 1 << 16 });
 * const index = new Map(file.header.fields.map((name, i) => [name, i]));
 * const layout = { columns: schema.features.map((f) => index.get(f.identifier)), delimiter: file.delimiter, label: 'records.csv' };
 * for await (const { bytes } of encodeClkPiecesParallel(schema, secret, file.pieces(), layout, { threads: 2 }))
 *   await out.write(bytes);
 * ```
 */
export async function* encodeClkPiecesParallel(
  schema: ClkhashSchema,
  secret: string,
  pieces: AsyncIterable<TextPiece> | Iterable<TextPiece>,
  layout: ClkCsvLayout,
  opts: Omit<ClkParallelOptions, 'chunkRecords'> = {},
): AsyncGenerator<ClkhashChunkResult> {
  const { threads = defaultThreads(), ...encoderOpts } = opts;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError('threads must be a positive integer');
  if (layout.columns.length !== schema.features.length)
    throw new RangeError('layout.columns must give one column per schema feature');
  const encoder = createClkEncoder(schema, secret, encoderOpts);
  const columns = Int32Array.from(layout.columns, (c) => c ?? -1);
  const { delimiter, label } = layout;
  let pool: WorkerPool<typeof clkhashRole> | undefined;
  const inflight: Promise<ClkhashChunkResult>[] = [];
  const iter = Symbol.asyncIterator in pieces ? pieces[Symbol.asyncIterator]() : pieces[Symbol.iterator]();
  /** The pieces were read to their end or to a cutting error (else they are closed on the way out). */
  let cut = false;
  /** The workers' start, if any: settled (never rejected) once they are ready or have failed. */
  let starting: Promise<void> | undefined;
  let startFailure: { readonly error: unknown } | undefined;
  try {
    const workers = threads - 1;
    // The pieces wait at the workers, not here: a worker goes on to its next piece while this
    // thread is busy with one of its own. The workers count the pieces they finish in shared
    // memory, so this thread knows how many still wait without handling their answers first.
    const finished = new Int32Array(new SharedArrayBuffer(4));
    const limit = workers === 0 ? 1 : (PIECES_PER_WORKER + 2) * threads + 8;
    // The workers start while this thread cuts and encodes the first pieces itself (their start
    // and warm-up take a tenth of a second or more: this thread is not left waiting for them). The
    // pool posts every piece at once (its own count of a worker's pieces waits for their answers to
    // be handled); the shared count keeps PIECES_PER_WORKER unfinished at each.
    if (workers > 0)
      starting = startWorkers(schema, secret, workers, encoderOpts.tokenCacheSize, finished).then(
        (p) => {
          pool = p.pipeline(limit);
        },
        (error: unknown) => {
          startFailure = { error };
        },
      );
    let sent = 0;
    for (;;) {
      let next: IteratorResult<TextPiece>;
      try {
        next = await iter.next();
      } catch (e) {
        // Cutting failed (a record too long, undecodable bytes): every piece before it comes
        // first in the file, and any of them may hold an earlier error, so this one is raised
        // after them, in file order, whatever the number of threads.
        inflight.push(queued(Promise.reject(e)));
        cut = true;
        break;
      }
      if (next.done) {
        cut = true;
        break;
      }
      if (startFailure !== undefined) throw startFailure.error;
      const { text, startLine } = next.value;
      const piece: ClkhashPiece = { text, startLine, columns, delimiter, label };
      if (pool !== undefined && sent - Atomics.load(finished, 0) < PIECES_PER_WORKER * workers) {
        sent++;
        inflight.push(queued(pool.run(piece)));
      } else {
        try {
          inflight.push(Promise.resolve(encodeClkPiece(encoder, piece)));
        } catch (e) {
          // Raised after the pieces before it, which may hold an earlier error.
          inflight.push(queued(Promise.reject(e)));
          break;
        }
      }
      // At most `limit` pieces wait: memory stays flat however long the input.
      while (inflight.length >= limit) yield await defined(inflight.shift(), 'piece in flight');
    }
    // Workers that could not start stop the run whatever the input's size (a broken install is not
    // hidden by a file small enough for this thread to have encoded alone).
    await starting;
    if (startFailure !== undefined) throw startFailure.error;
    while (inflight.length > 0) yield await defined(inflight.shift(), 'piece in flight');
  } finally {
    // Settle what is still running before the workers go, so no rejection is left unhandled.
    await Promise.allSettled(inflight);
    await starting;
    await pool?.close();
    encoder.dispose();
    if (!cut) await iter.return?.();
  }
}
