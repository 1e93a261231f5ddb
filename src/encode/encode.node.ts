/**
 * Encoding on all cores. File input is read on the worker threads too: this thread decodes the
 * bytes and cuts the text into pieces of whole records (see `splitCsv`), each worker parses,
 * validates and encodes its pieces, and this thread settles IDs duplicated across pieces, replays
 * the issues and counts in file order, and re-cuts the encoded rows into the pipeline's batches —
 * so the issues, counts and encoded file are identical to `encodeList`'s for any thread count.
 * Object input (the API path) is read on this thread, and its batches are encoded on the workers.
 */

import type { ResourceLimits } from 'node:worker_threads';
import type { EncodedBatch, EncodedMeta } from '../encoded/batch.js';
import { batchParts, partedBatch } from '../encoded/parted.js';
import { Rebatcher } from '../encoded/rebatch.js';
import { BloomlinkError } from '../errors.js';
import { WORKER_FILE, WorkerEntry } from '../parallel/entry.node.js';
import { queued, type WorkerPool } from '../parallel/pool.node.js';
import type { InitOf } from '../parallel/protocol.js';
import { defaultThreads, threadsForWork } from '../parallel/threads.node.js';
import { mapHeader } from '../read/header.js';
import { classifyInput, type ListInput, type ObjectRow } from '../read/input.js';
import { detectLayout, LIST_COLUMNS } from '../read/layouts.js';
import type { ListReader } from '../read/list-reader.js';
import { MemberSpans } from '../read/member-spans.js';
import { checkReadOptions } from '../read/reader.js';
import { replayable } from '../read/replay.js';
import { type ByteInput, knownSize } from '../read/source.js';
import { type SplitCsv, splitCsv } from '../read/split.js';
import { buildValidator, expectLayout, resolveToday } from '../read/validate.js';
import type { ClientRecord, MemberRecord } from '../records.js';
import { at, defined } from '../util/defined.js';
import { type encodeRole, packPersons } from './encode-task.js';
import { RecordEncoder } from './encoder.js';
import { checkEncodeArgs } from './options.js';
import {
  type EncodeListOptions,
  type EncodingRun,
  encodeList,
  encodeProgress,
  newPseudonym,
  openEncoding,
} from './pipeline.js';
import type { PieceResult, ReadEncodeInit, readEncodeRole } from './read-encode-task.js';
import { Reconciler } from './reconcile.js';

/** The worker roles encoding starts (served by src/worker.node.ts). */
type EncodeRoles = { readonly encode: typeof encodeRole; readonly readEncode: typeof readEncodeRole };

const WORKERS = new WorkerEntry<EncodeRoles>(WORKER_FILE);

/**
 * The smallest input, in bytes of file text, that encoding starts worker threads for when the
 * caller does not set `threads`: below it the workers' start-up (loading their code, compiling the
 * HMAC kernel, deriving subkeys: about 0.2–0.3 s of CPU each) costs more than they save. About 10⁵
 * CoC clients or 7·10⁴ plan members of the contract layouts; measured in docs/scaling.md ("Small
 * jobs").
 * @example
 * ```ts
 * import { statSync } from 'node:fs';
 * import { availableParallelism } from 'node:os';
 * const threads = statSync(path).size >= ENCODE_PARALLEL_MIN_BYTES ? availableParallelism() : 1;
 * ```
 */
export const ENCODE_PARALLEL_MIN_BYTES = 8 << 20;

/** Options of {@link encodeParallel}. */
export interface ParallelEncodeOptions extends EncodeListOptions {
  /**
   * Worker threads; 1 runs {@link encodeList} on this thread. Default: for a byte array or a Blob,
   * all cores from {@link ENCODE_PARALLEL_MIN_BYTES} up and 1 below; for a stream or objects, all
   * cores.
   */
  readonly threads?: number;
  /**
   * Characters of file text per worker task, at least (default 64 Ki, about 600 rows of a member
   * list); the output does not depend on it.
   */
  readonly pieceChars?: number;
}

/**
 * Characters of file text per worker task when {@link ParallelEncodeOptions.pieceChars} is not set:
 * 64 Ki, so that a piece's string (and the columns a worker encodes it into) stay below V8's and
 * malloc's large-object sizes. Pieces of 1 Mi characters were allocated as fresh pages each time
 * on both sides of `postMessage` and freed after use: page faults and zeroing were a tenth of the
 * CPU of `bloomlink encode` on 10⁶ members (`perf`; docs/scaling.md, "Encoding, round three"). Text
 * with a character above U+00FF (a two-byte string, as for `Nguyễn`) is cut into pieces of at most
 * 30,000 characters instead (`splitCsv`; docs/scaling.md, "Encoding, round four").
 * @example
 * ```ts
 * const run = await encodeParallel(bytes, key, { pieceChars: ENCODE_PIECE_CHARS * 4 });
 * ```
 */
export const ENCODE_PIECE_CHARS = 1 << 16;

/**
 * Like `encodeList`, with the reading and encoding spread over worker threads (all cores by
 * default): the encoded batches, issues and counts are the same as on one thread, for any number of
 * threads. Each worker gets a copy of the key, derives its own subkeys and wipes the copy; this
 * thread's copies are wiped once posted. Takes the secret key, as `bloomlink/encode` does.
 * @example
 * ```ts
 * import { open, readFile } from 'node:fs/promises';
 * import { writeEncoded } from 'bloomlink';
 * import { parseKey } from 'bloomlink/encode';
 * import { encodeParallel, fileBytes } from 'bloomlink/node';
 * const key = parseKey((await readFile('linkage.key', 'utf8')).trim());
 * const run = await encodeParallel(fileBytes('members.csv'), key, { threads: 2 });
 * const out = await open('members.arrow', 'w', 0o600);
 * // The sink returns a promise, so writing waits for the disk (backpressure).
 * const { records } = await writeEncoded('arrow', run.meta, run.batches, async (chunk) => { await out.write(chunk); }, {
 *   rows: () => run.reader.summary, // rows read and rejected travel in the file, for the match report
 * });
 * await out.close();
 * console.log(records, 'members encoded;', run.reader.summary.rejected, 'rows rejected');
 * ```
 */
export async function encodeParallel(
  input: ListInput,
  key: Uint8Array,
  opts: ParallelEncodeOptions = {},
): Promise<EncodingRun> {
  checkEncodeArgs('encodeParallel', key, opts);
  const { threads = autoThreads(input), pieceChars, ...rest } = opts;
  if (threads === 1) return encodeList(input, key, rest);
  const { onProgress: _p, schema: _s, batchSize: _b, onPseudonym: _o, ...readOpts } = rest;
  checkReadOptions(readOpts);
  // Our own copy, taken now: the workers start when the batches are first read, and a caller may
  // wipe its key as soon as this returns (as `encodeList` allows). Wiped once the workers have it.
  key = key.slice();
  // An array is taken as it is (objects unless it holds byte chunks); any other iterable is peeked
  // at to tell chunks from objects, and objects are handed on with the peeked one put back.
  if (Array.isArray(input) && !(input[0] instanceof Uint8Array))
    return encodeRecordsParallel(input, key, threads, rest);
  const classified = await classifyInput(input);
  if (classified.type === 'bytes')
    return encodeBytesParallel(classified.bytes, key, threads, rest, pieceChars);
  // Objects are read (twice for a member list) by `openEncoding`, which keeps them for the second pass.
  return encodeRecordsParallel(putBack(classified.first, classified.rest), key, threads, rest);
}

/** The default thread count for `input`: from its size when it is known before reading. */
function autoThreads(input: ListInput): number {
  if (input instanceof Uint8Array) return threadsForWork(input.byteLength, ENCODE_PARALLEL_MIN_BYTES);
  if (typeof Blob !== 'undefined' && input instanceof Blob)
    return threadsForWork(input.size, ENCODE_PARALLEL_MIN_BYTES);
  return defaultThreads();
}

/** The objects of a classified input again, the first one included. */
async function* putBack(
  first: ObjectRow | undefined,
  rest: AsyncIterator<unknown>,
): AsyncGenerator<ObjectRow> {
  try {
    if (first !== undefined) yield first;
    for (;;) {
      const r = await rest.next();
      if (r.done) return;
      yield r.value as ObjectRow;
    }
  } finally {
    await rest.return?.();
  }
}

/** The probe encoder's file-level facts (schema fingerprint, key check). */
function metaFor(key: Uint8Array, party: 'coc' | 'mcp', opts: EncodeListOptions) {
  const probe = new RecordEncoder(key, { party, ...(opts.schema ? { schema: opts.schema } : {}) });
  const meta = probe.meta;
  probe.dispose();
  return meta;
}

/**
 * Heap settings of encoding workers: a young generation of 48 MiB (V8's default is smaller). Every
 * row makes short-lived strings and objects (cells, records, persons); a larger nursery lets more of
 * them die there instead of being copied and collected again (measured 2–8 % less CPU per record:
 * docs/scaling.md).
 * @example
 * ```ts
 * new Worker(file, { resourceLimits: ENCODE_WORKER_LIMITS });
 * ```
 */
export const ENCODE_WORKER_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 48 };

/**
 * How many pieces each read-and-encode worker has posted to it at once (`WorkerPool.pipeline`): it
 * starts its next piece as soon as it has answered one, without waiting for this thread to take the
 * answer and post again. With one posted, each worker waited for its next piece whenever this
 * thread was writing a batch, cutting text or off the core (4.7–5.0 s a worker in the second pass of
 * a traced 10⁶-member run at load 10–13: docs/scaling.md, "Encoding, round nine").
 */
const POSTED_PER_WORKER = 4;

/**
 * Pieces in flight per worker in the second pass (posted, queued, or answered and not yet settled):
 * answers are settled in file order, so a worker kept off its core for a while stops the others
 * once the pieces after its own fill the window. Each holds about 600 encoded rows (≈ 0.2 MB)
 * and its text: a few MB in all, whatever the file's size.
 */
const PIECES_PER_WORKER = 8;

/**
 * Pieces in flight per worker in the first pass over a member list: its pieces take a quarter of
 * the time (no encoding) and answer with a few bytes a row, so more of them cover as long a stall.
 */
const SPAN_PIECES_PER_WORKER = 16;

/**
 * Starts `threads` workers of `role`, each with its own copy of `key` (this function's copies and
 * `key` itself, the run's private copy, are wiped once posted).
 */
async function startPool<K extends 'encode' | 'readEncode'>(
  role: K,
  threads: number,
  key: Uint8Array,
  init: (key: Uint8Array) => InitOf<EncodeRoles[K]>,
): Promise<WorkerPool<EncodeRoles[K]>> {
  const copies: Uint8Array[] = [];
  try {
    return await WORKERS.start(
      role,
      threads,
      () => {
        const copy = key.slice();
        copies.push(copy);
        return init(copy);
      },
      ENCODE_WORKER_LIMITS,
    );
  } finally {
    for (const c of copies) c.fill(0);
    key.fill(0);
  }
}

async function encodeBytesParallel(
  bytes: ByteInput,
  key: Uint8Array,
  threads: number,
  opts: EncodeListOptions,
  pieceChars: number | undefined,
): Promise<EncodingRun> {
  const label = opts.label ?? 'input';
  const batchSize = opts.batchSize ?? 16_384;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer');
  const splitOpts = {
    label,
    pieceChars: pieceChars ?? ENCODE_PIECE_CHARS,
    ...(opts.encoding !== undefined && { encoding: opts.encoding }),
    ...(opts.delimiter !== undefined && { delimiter: opts.delimiter }),
  };
  // A member list is read twice (the first pass finds each member's most recent coverage span).
  const replay = replayable(bytes, opts.reopen);
  const file = await splitCsv(replay.first as ByteInput, {
    ...splitOpts,
    ...(opts.onEncoding !== undefined && { onEncoding: opts.onEncoding }),
  });
  let kind: 'coc' | 'members';
  let init: Omit<ReadEncodeInit, 'key'>;
  let columns: string[];
  let meta: EncodedMeta;
  try {
    const header = file.header.fields;
    // Header problems name the header's own line, never a data row's.
    const where = `${label}: line ${file.header.line} (header)`;
    const detected = detectLayout(header, where).kind;
    if (detected === 'programs')
      throw new BloomlinkError(
        'LAYOUT_UNKNOWN',
        `${where}: this is a program list; encode the CoC client list or the plan member list`,
      );
    kind = detected;
    const layout = expectLayout(kind, header, where);
    const today = resolveToday(opts.today);
    // Header errors (missing or duplicate columns) stop here, before any worker starts.
    buildValidator(kind, header, { today, label: where }, layout);
    columns = [...mapHeader(header, LIST_COLUMNS[kind], where).index.keys()];
    const party = kind === 'coc' ? 'coc' : 'mcp';
    meta = metaFor(key, party, opts);
    init = {
      party,
      schema: meta.schema,
      kind,
      layout,
      header,
      delimiter: file.delimiter,
      label,
      today,
    };
  } catch (e) {
    replay.stop();
    await file.close();
    throw e;
  }
  if (kind !== 'members') replay.stop();
  const settle = new Reconciler({
    idField: kind === 'coc' ? 'PersonalID' : 'MemberID',
    ...(opts.onIssue !== undefined && { onIssue: opts.onIssue }),
  });
  let encoded = 0;
  let bytesRead = 0;
  const totalBytes = opts.totalBytes ?? knownSize(bytes);
  const sized = (p: { rowsRead: number; bytesRead: number }) =>
    totalBytes === undefined ? p : { ...p, totalBytes };
  const progress = () =>
    opts.onProgress?.(encodeProgress('encode', sized({ rowsRead: settle.rowsRead, bytesRead }), encoded));
  const withPseudonyms = (b: EncodedBatch): EncodedBatch => {
    const onPseudonym = opts.onPseudonym;
    if (!onPseudonym) return b;
    const ids = b.ids.map((id) => {
      const p = newPseudonym();
      onPseudonym(p, id);
      return p;
    });
    // The rebatcher's batches are row ranges of the workers' batches: keep them so (a spread would
    // concatenate every column), with the pseudonyms as their IDs.
    const ranges = batchParts(b);
    return ranges === undefined ? { ...b, ids } : partedBatch(ranges, ids);
  };

  /**
   * The first pass over a member list, on the workers: every accepted row as a coverage span, and
   * which rows are superseded. The warnings need the fingerprints of the grouped rows (members with
   * several rows), which the second pass reports.
   */
  async function firstPass(pool: WorkerPool<EncodeRoles['readEncode']>): Promise<MemberSpans> {
    const spans = new MemberSpans();
    type InFlight = { result: Promise<PieceResult>; bytesRead: number; chars: number };
    const inflight: InFlight[] = [];
    let spanRows = 0;
    const add = async (next: InFlight): Promise<void> => {
      const s = defined((await next.result).spans, 'spans of a spans-only piece');
      // Room for the whole file's rows, estimated from the first piece's characters a row (its
      // `bytesRead` counts whole read chunks, not the piece), so the columns of millions of rows
      // are not copied at every doubling. Characters ≤ bytes: at most an over-estimate.
      if (spanRows === 0 && totalBytes !== undefined && next.chars > 0 && s.lines.length > 0) {
        const rows = Math.ceil((1.02 * totalBytes * s.lines.length) / next.chars);
        spans.reserve(rows, Math.ceil((rows * s.idCodes.length) / s.lines.length));
      }
      spanRows += s.lines.length;
      opts.onProgress?.(encodeProgress('spans', sized({ rowsRead: spanRows, bytesRead: next.bytesRead }), 0));
      spans.addPacked(s.idCodes, s.idEnds, s.idHashes, s.lines, s.starts, s.ends);
    };
    try {
      for await (const piece of file.pieces()) {
        inflight.push({
          result: queued(pool.run({ ...piece, spansOnly: true, idSeed: spans.seed })),
          bytesRead: piece.bytesRead,
          chars: piece.text.length,
        });
        while (inflight.length >= SPAN_PIECES_PER_WORKER * threads)
          await add(defined(inflight.shift(), 'a piece in flight'));
      }
      for (let next = inflight.shift(); next !== undefined; next = inflight.shift()) await add(next);
    } finally {
      await Promise.allSettled(inflight.map((f) => f.result));
      await file.close();
    }
    return spans;
  }

  async function* batches(): AsyncGenerator<EncodedBatch> {
    const pool = (await startPool('readEncode', threads, key, (k) => ({ ...init, key: k }))).pipeline(
      POSTED_PER_WORKER,
    );
    let current: SplitCsv = file;
    const rebatch = new Rebatcher(batchSize);
    // A fixed number of pieces per worker in flight: memory stays flat however long the file.
    const inflight: { result: Promise<PieceResult>; bytesRead: number }[] = [];
    let spans: MemberSpans | undefined;
    let grouped: Uint8Array | undefined;
    let superseded: Uint8Array | undefined;
    function* settled(r: PieceResult, readTo: number): Generator<EncodedBatch> {
      const fp = r.fingerprints;
      if (fp !== undefined && spans !== undefined)
        for (let i = 0; i < fp.lines.length; i++)
          spans.setFingerprints(at(fp.lines, i), at(fp.identity, i), at(fp.rows, i));
      const kept = settle.piece(r);
      bytesRead = readTo;
      for (const b of rebatch.push(kept)) {
        encoded += b.length;
        yield withPseudonyms(b);
      }
      progress();
    }
    try {
      if (kind === 'members') {
        spans = await firstPass(pool);
        const decision = spans.decide();
        settle.usePlan(decision);
        // Shared, not copied into every task; none at all when every member has one row.
        if (decision.spans > decision.members) {
          grouped = new Uint8Array(new SharedArrayBuffer(decision.groupedLines.length));
          grouped.set(decision.groupedLines);
          // Older spans are not encoded at all (the workers skip them), rather than dropped after.
          superseded = new Uint8Array(new SharedArrayBuffer(decision.supersededLines.length));
          superseded.set(decision.supersededLines);
        }
        const again = await replay.again();
        const bytesAgain = opts.reopen === undefined ? again : await bytesOf(again);
        current = await splitCsv(bytesAgain as ByteInput, splitOpts);
      }
      for await (const piece of current.pieces()) {
        const task =
          grouped === undefined || superseded === undefined ? piece : { ...piece, grouped, superseded };
        inflight.push({ result: queued(pool.run(task)), bytesRead: piece.bytesRead });
        while (inflight.length >= PIECES_PER_WORKER * threads) {
          const next = defined(inflight.shift(), 'piece in flight');
          yield* settled(await next.result, next.bytesRead);
        }
      }
      while (inflight.length > 0) {
        const next = defined(inflight.shift(), 'piece in flight');
        yield* settled(await next.result, next.bytesRead);
      }
      settle.finish(spans?.warnings());
      const last = rebatch.flush();
      if (last) {
        encoded += last.length;
        yield withPseudonyms(last);
      }
      progress();
    } finally {
      // Settle what is still running before the workers go, so no rejection is left unhandled.
      await Promise.allSettled(inflight.map((f) => f.result));
      await pool.close();
      await current.close();
    }
  }

  const claimed = (): never => {
    throw new TypeError(`${label}: the records are being encoded; read the list with readList instead`);
  };
  const reader = {
    kind,
    layout: init.layout,
    label,
    columns,
    get issues() {
      return settle.issues;
    },
    get summary() {
      return settle.summary;
    },
    get spanPlan() {
      return undefined;
    },
    results: claimed,
    batches: claimed,
    [Symbol.asyncIterator]: claimed,
    close: () => file.close(),
  } as unknown as ListReader<ClientRecord> | ListReader<MemberRecord>;
  return { meta, kind, reader, batches: batches() };
}

async function encodeRecordsParallel(
  input: ListInput,
  key: Uint8Array,
  threads: number,
  opts: EncodeListOptions,
): Promise<EncodingRun> {
  const open = await openEncoding(input, opts);
  const meta = metaFor(key, open.party, opts);
  async function* batches(): AsyncGenerator<EncodedBatch> {
    // Two batches posted to each worker: it holds its next one, so it does not wait for this thread.
    const pool = (
      await startPool('encode', threads, key, (k) => ({
        key: k,
        party: open.party,
        schema: meta.schema,
      }))
    ).pipeline(2);
    // At most two batches per worker in flight: memory stays flat however long the list.
    const inflight: Promise<EncodedBatch>[] = [];
    try {
      for await (const persons of open.persons()) {
        const packed = packPersons(persons);
        inflight.push(queued(pool.run(packed)));
        while (inflight.length >= 2 * threads) {
          const b = await defined(inflight.shift(), 'batch in flight');
          open.encoded(b.length);
          yield b;
        }
      }
      while (inflight.length > 0) {
        const b = await defined(inflight.shift(), 'batch in flight');
        open.encoded(b.length);
        yield b;
      }
    } finally {
      // Settle what is still running before the workers go, so no rejection is left unhandled.
      await Promise.allSettled(inflight);
      await pool.close();
    }
  }
  return { meta, kind: open.kind, reader: open.reader, batches: batches() };
}

/** The bytes of a reopened input (`EncodeListOptions.reopen`); objects cannot follow bytes. */
async function bytesOf(input: ListInput): Promise<ByteInput> {
  const c = await classifyInput(input);
  if (c.type !== 'bytes') throw new TypeError('opts.reopen must open the same input again');
  return c.bytes;
}
