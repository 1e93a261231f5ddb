/**
 * The worker side of clkhash-compatible encoding on all cores: each worker holds its own CLK
 * encoder (keys derived from the secret bytes it was given, which it wipes) and turns chunks of
 * records into base64 CLKs. The main thread reads the CSV and hands out the chunks in file order,
 * then writes the results in the same order, so the output is the one-thread output for any number
 * of threads (src/encode/clkhash/parallel.node.ts). Runtime-neutral.
 *
 * A chunk crosses between threads as few objects as possible (measured: cloning a string per value
 * and per CLK, and the objects kept alive meanwhile, cost the workers a quarter to a third of their
 * time in garbage collection): one string of all its values with their lengths going out, and the
 * bytes of its CLKs' JSON text (`"…","…"`) coming back in one buffer, copied (not transferred: see `TaskOutput`).
 */
import type { WorkerRole } from '../../parallel/protocol.js';
import { parseCsvTextBatches } from '../../read/csv.js';
import { grown } from '../../util/bytes.js';
import { type ClkEncoder, createClkEncoder, writeQuotedClk } from './encoder.js';
import type { ClkhashSchema } from './schema-types.js';

/**
 * What a clkhash worker is started with: the parsed schema and the secret's UTF-8 bytes, already
 * checked on the main thread (weak-secret rule, Unicode), copied to the worker and wiped there.
 */
export interface ClkhashInit {
  readonly schema: ClkhashSchema;
  readonly secret: Uint8Array;
  /** Token cache entries per feature and generation (the encoder's default when absent). */
  readonly tokenCacheSize?: number;
  /**
   * A counter shared by the workers (over a `SharedArrayBuffer`): each adds 1 to element 0 when it
   * has encoded a task, before it answers, so the main thread knows how many are still waiting
   * without handling their answers (it cannot while it encodes a piece of its own).
   */
  readonly finished?: Int32Array;
}

/** A clkhash worker's state: its encoder and the shared count of tasks finished, if given. */
export interface ClkhashWorkerState {
  readonly encoder: ClkEncoder;
  readonly finished: Int32Array | undefined;
}

/**
 * A chunk of records, packed: every value of every record (schema feature order) concatenated in
 * `text`, their lengths in `lengths` (records × features), and each record's line for errors.
 */
export interface ClkhashChunk {
  readonly text: string;
  readonly lengths: Int32Array;
  readonly lines: Int32Array;
}

/**
 * A piece of a CSV file's text (whole records, see `splitCsv`), parsed and encoded where it goes:
 * `columns[f]` is the CSV column of schema feature `f` (−1: absent, encoded as the empty string, as
 * a field missing from a short row is). The header is not in the piece.
 */
export interface ClkhashPiece {
  readonly text: string;
  /** Physical line of the piece's first line (its rows' lines, for errors). */
  readonly startLine: number;
  readonly columns: Int32Array;
  readonly delimiter: string;
  /** The file's name in parse errors. */
  readonly label: string;
}

/** A chunk's CLKs: the ASCII bytes of `"clk1","clk2",…` (no brackets, no outer comma). */
export interface ClkhashChunkResult {
  readonly bytes: Uint8Array;
  readonly count: number;
}

/**
 * Encodes one packed chunk into the bytes of its CLKs' JSON strings, in order: what a worker runs,
 * and what the main thread runs itself when it starts no workers. Throws the encoder's error for
 * the chunk's first record clkhash would reject.
 * @example
 * ```ts
 * const chunk = { text: '1ANA2BO', lengths: Int32Array.of(1, 3, 1, 2), lines: Int32Array.of(2, 3) };
 * const { bytes, count } = encodeClkChunk(encoder, chunk); // count 2
 * new TextDecoder().decode(bytes); // '"JFIg…","AAQg…"'
 * ```
 */
export function encodeClkChunk(encoder: ClkEncoder, chunk: ClkhashChunk): ClkhashChunkResult {
  const { text, lengths, lines } = chunk;
  const count = lines.length;
  const width = count === 0 ? 0 : lengths.length / count;
  const bytes = new Uint8Array(count * (encoder.base64Length + 3));
  const record = new Array<string>(width);
  let o = 0;
  let at = 0;
  let k = 0;
  for (let r = 0; r < count; r++) {
    for (let f = 0; f < width; f++) {
      const end = at + (lengths[k++] ?? 0);
      record[f] = text.substring(at, end);
      at = end;
    }
    o = writeQuotedClk(encoder, record, bytes, o, r === 0, lines[r]);
  }
  return { bytes: bytes.subarray(0, o), count };
}

/**
 * Parses a piece of CSV text and encodes its rows into the bytes of their CLKs' JSON strings, in
 * order: what a worker runs on a piece, and what the main thread runs on the pieces it keeps. Rows
 * are taken as they are parsed (a batch of 64 Ki characters at a time, so they die young) and each
 * CLK is written straight into the result's bytes. Throws the parser's error or the encoder's for
 * the piece's first row that has one, as reading the whole file row by row does.
 * @example
 * ```ts
 * const piece = { text: '1,ANA,LEE\n2,BO,KIM\n', startLine: 2, columns: Int32Array.of(0, 1, 2), delimiter: ',', label: 'a.csv' };
 * const { bytes, count } = encodeClkPiece(encoder, piece); // count 2
 * ```
 */
export function encodeClkPiece(encoder: ClkEncoder, piece: ClkhashPiece): ClkhashChunkResult {
  const { text, startLine, columns, delimiter, label } = piece;
  const width = columns.length;
  const size = encoder.base64Length + 3;
  // The CLKs go into this thread's scratch buffer (kept from piece to piece, doubled when a piece
  // holds more), and the result is an exact copy: one allocation of the bytes written per piece.
  const out = written;
  if (out.bytes.length < 64 * size) out.bytes = new Uint8Array(2048 * size);
  out.o = 0;
  out.count = 0;
  const record = new Array<string>(width);
  if (text.length <= QUOTE_FREE_MAX && text.indexOf('"') < 0)
    encodeQuoteFree(encoder, text, startLine, columns, delimiter.charCodeAt(0), record, out);
  else
    for (const rows of parseCsvTextBatches(text, { delimiter, startLine, label }))
      for (const row of rows) {
        const fields = row.fields;
        for (let f = 0; f < width; f++) {
          const c = columns[f] ?? -1;
          record[f] = c < 0 ? '' : (fields[c] ?? '');
        }
        write(encoder, record, row.line, out);
      }
  return { bytes: out.bytes.slice(0, out.o), count: out.count };
}

/** Where a piece's CLKs are being written: the buffer, the offset after them, how many. */
interface Written {
  bytes: Uint8Array<ArrayBuffer>;
  o: number;
  count: number;
}

/**
 * This thread's {@link Written}, reused for every piece: one object whose fields keep their types
 * (a fresh object per piece let V8 generalise its `bytes` field's type after the scan was compiled,
 * which threw the compiled scan away).
 */
const written: Written = { bytes: new Uint8Array(0), o: 0, count: 0 };

/** Writes the record's CLK (a comma first unless it is the piece's first), growing the buffer. */
function write(encoder: ClkEncoder, record: readonly string[], line: number, out: Written): void {
  if (out.o + encoder.base64Length + 3 > out.bytes.length) {
    out.bytes = grown(out.bytes, out.o + encoder.base64Length + 3);
  }
  out.o = writeQuotedClk(encoder, record, out.bytes, out.o, out.count === 0, line);
  out.count++;
}

/**
 * Longest piece read by {@link encodeQuoteFree}: no record in it can then be longer than the
 * parser's default `maxRecordLength` (1 MiB), whose error it does not raise.
 */
const QUOTE_FREE_MAX = 1 << 20;
const LF = 10;
const CR = 13;

/**
 * Encodes the records of a piece without a quote character, as `parseCsvTextBatches` reads them
 * (blank lines skipped but counted, CRLF, CR or LF ending a record, a short row's missing fields
 * empty), without its row objects: only the fields the schema reads become strings, each record's
 * values go straight to the encoder, and nothing of a record outlives it (the parser's rows of a
 * whole piece, alive while it is encoded, were what its young-generation collections copied).
 */
function encodeQuoteFree(
  encoder: ClkEncoder,
  text: string,
  startLine: number,
  columns: Int32Array,
  dc: number,
  record: string[],
  out: Written,
): void {
  const width = columns.length;
  let wanted = 0;
  for (let f = 0; f < width; f++) wanted = Math.max(wanted, (columns[f] ?? -1) + 1);
  const starts = new Int32Array(wanted);
  const ends = new Int32Array(wanted);
  const n = text.length;
  let line = startLine;
  let pos = 0;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (c === LF || c === CR) {
      // A blank line: skipped, counted.
      pos += c === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
      line++;
      continue;
    }
    let k = 0;
    let i = pos;
    for (;;) {
      let j = i;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === dc || d === LF || d === CR) break;
      }
      if (k < wanted) {
        starts[k] = i;
        ends[k] = j;
      }
      k++;
      if (j < n && text.charCodeAt(j) === dc) {
        i = j + 1;
        continue;
      }
      pos = j === n ? n : j + (text.charCodeAt(j) === CR && text.charCodeAt(j + 1) === LF ? 2 : 1);
      break;
    }
    for (let f = 0; f < width; f++) {
      const col = columns[f] ?? -1;
      record[f] = col < 0 || col >= k ? '' : text.substring(starts[col] ?? 0, ends[col] ?? 0);
    }
    write(encoder, record, line, out);
    line++;
  }
}

/**
 * The clkhash worker role: init builds the encoder (and wipes the secret bytes), each task is a
 * packed chunk of records or a piece of CSV text, each result the bytes of its CLKs (copied, not transferred: see `TaskOutput`).
 * @example
 * ```ts
 * const pool = await WORKERS.start('clkhash', 2, () => ({ schema, secret: secretBytes.slice() }));
 * const { bytes, count } = await pool.run({ text: '1ANA', lengths: Int32Array.of(1, 3), lines: Int32Array.of(2) });
 * ```
 */
export const clkhashRole: WorkerRole<
  ClkhashInit,
  ClkhashChunk | ClkhashPiece,
  ClkhashChunkResult,
  ClkhashWorkerState
> = {
  init(data) {
    try {
      const encoder = createClkEncoder(data.schema, data.secret, {
        // The main thread applied the weak-secret rule before any worker started.
        allowWeakSecret: true,
        ...(data.tokenCacheSize === undefined ? {} : { tokenCacheSize: data.tokenCacheSize }),
      });
      return { encoder, finished: data.finished };
    } finally {
      data.secret.fill(0);
    }
  },
  run({ encoder, finished }, task) {
    try {
      const result = 'startLine' in task ? encodeClkPiece(encoder, task) : encodeClkChunk(encoder, task);
      return { result };
    } finally {
      if (finished !== undefined) Atomics.add(finished, 0, 1);
    }
  },
};
