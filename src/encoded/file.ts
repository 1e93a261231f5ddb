/**
 * Reading and writing encoded files in either format, from and to byte streams (browser-safe).
 */
import { BloomlinkError } from '../errors.js';
import { readStream } from '../util/read-stream.js';
import type {
  EncodedBatch,
  EncodedMeta,
  EncodedRowCounts,
  EncodedTrailer,
  WriteEncodedOptions,
} from './batch.js';
import { concatBatches } from './concat.js';
import { arrowIdBytes, readEncodedArrow, writeEncodedArrow } from './file-arrow.js';
import { readEncodedJsonl, writeEncodedJsonl } from './file-jsonl.js';
import { checkRecords, emptyBatch } from './integrity.js';

export { emptyBatch };

/** Encoded file formats. */
export type EncodedFormat = 'arrow' | 'jsonl';

/** An encoded list held in memory. */
export interface EncodedList {
  readonly meta: EncodedMeta;
  readonly batch: EncodedBatch;
  /** Rows of the clear-text list read and rejected, when the file records them. */
  readonly rows?: EncodedRowCounts;
}

async function* lines(bytes: AsyncIterable<Uint8Array>, label: string): AsyncGenerator<string> {
  const dec = new TextDecoder('utf-8', { fatal: true });
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk ? dec.decode(chunk, { stream: true }) : dec.decode();
    } catch (e) {
      throw new BloomlinkError('FILE_CORRUPT', `${label}: the encoded file is not valid UTF-8`, { cause: e });
    }
  };
  let rest = '';
  for await (const chunk of bytes) {
    rest += decode(chunk);
    let nl = rest.indexOf('\n');
    while (nl >= 0) {
      yield rest.slice(0, nl).replace(/\r$/, '');
      rest = rest.slice(nl + 1);
      nl = rest.indexOf('\n');
    }
  }
  rest += decode();
  if (rest.length > 0) yield rest;
}

/** Peeks at the first byte of a stream and returns a stream that still yields everything. */
async function peek(
  source: AsyncIterable<Uint8Array>,
): Promise<{ first: number | undefined; bytes: AsyncIterable<Uint8Array> }> {
  const it = source[Symbol.asyncIterator]();
  let head = await it.next();
  while (!head.done && head.value.length === 0) head = await it.next();
  const firstChunk = head.done ? undefined : head.value;
  return {
    first: firstChunk?.[0],
    bytes: (async function* () {
      if (firstChunk) yield firstChunk;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    })(),
  };
}

/**
 * Where an encoded file's bytes come from: the whole file, a Node readable stream, a web
 * `ReadableStream` or any (async) iterable of byte chunks.
 */
export type EncodedSource =
  | Uint8Array
  | ArrayBuffer
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>
  | ReadableStream<Uint8Array>;

async function* chunksOf(source: EncodedSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) return yield source;
  if (source instanceof ArrayBuffer) return yield new Uint8Array(source);
  const s: unknown = source;
  let chunks: AsyncIterable<unknown> | Iterable<unknown>;
  if (s !== null && typeof s === 'object' && (Symbol.asyncIterator in s || Symbol.iterator in s))
    chunks = s as AsyncIterable<unknown>;
  else if (typeof ReadableStream !== 'undefined' && s instanceof ReadableStream)
    chunks = readStream(s as ReadableStream<Uint8Array>);
  else
    throw new TypeError(
      'source must be a Uint8Array, an ArrayBuffer, a stream or an iterable of Uint8Array chunks',
    );
  for await (const c of chunks) {
    if (c instanceof Uint8Array) yield c;
    else if (c instanceof ArrayBuffer) yield new Uint8Array(c);
    else throw new TypeError('source must yield Uint8Array chunks (a stream in binary mode, no encoding)');
  }
}

/** Options of {@link openEncoded}. */
export interface OpenEncodedOptions {
  /**
   * Check that no two records share an ID (default true; it holds every ID until the batches end).
   * A second reading of a file already checked can leave it out.
   */
  readonly uniqueIds?: boolean;
  /**
   * Batches whose fixed-width columns are views of the file's bytes where they can be, not copies
   * (default false): for a caller that copies each batch into its own buffers before the next.
   */
  readonly views?: boolean;
  /**
   * With `views`, an Arrow file's IDs as a lazy list (`lazyIds`: each string made from the file's
   * bytes when read, none held) when they are ASCII (default false): for a caller that keeps the
   * file's bytes anyway and reads few IDs (`bloomlink match`'s plan).
   */
  readonly lazyIds?: boolean;
  /**
   * Continues a CRC-32C over a column of an Arrow file (default `crc32c`): a reader that
   * checksummed the file's bytes as they arrived (`CrcBlocks.crc`) answers from that. Must give
   * `crc32c`'s result.
   */
  readonly crcOf?: (bytes: Uint8Array, crc: number) => number;
}

/**
 * Opens an encoded file (Arrow IPC stream or JSON Lines, detected from the first byte). Batches are
 * read, checked (CRC-32C checksums, record values) and yielded one by one; duplicate IDs are
 * reported when the batches end; `trailer.rows` holds the list's row counts once they have ended
 * (when the file records them). Throws `BloomlinkError` `FILE_EMPTY`, `FILE_CORRUPT`,
 * `FILE_TRUNCATED`, `FILE_VERSION` or `FILE_DUPLICATE_ID`.
 * @example
 * ```ts
 * const { meta, batches } = await openEncoded(bytes, 'coc.arrow');
 * ```
 */
export async function openEncoded(
  source: EncodedSource,
  label: string,
  opts: OpenEncodedOptions = {},
): Promise<{
  meta: EncodedMeta;
  format: EncodedFormat;
  batches: AsyncIterable<EncodedBatch>;
  trailer: EncodedTrailer;
}> {
  const { first, bytes } = await peek(chunksOf(source));
  if (first === undefined) throw new BloomlinkError('FILE_EMPTY', `${label}: the file is empty`);
  if (first === 0x7b /* { */) {
    const { meta, batches, trailer } = await readEncodedJsonl(lines(bytes, label), label);
    // Each line's ID and codes were checked as it was read (naming the line and field): only uniqueness is left.
    return {
      meta,
      format: 'jsonl',
      batches: checkRecords(batches, label, { valuesChecked: true, ...opts }),
      trailer,
    };
  }
  if (first === 0xff) {
    const { meta, batches, trailer } = await readEncodedArrow(bytes, label, {
      views: opts.views === true,
      lazyIds: opts.lazyIds === true,
      ...(opts.crcOf ? { crcOf: opts.crcOf } : {}),
    });
    return {
      meta,
      format: 'arrow',
      batches: checkRecords(batches, label, { ...opts, idBytes: arrowIdBytes }),
      trailer,
    };
  }
  throw new BloomlinkError(
    'FILE_CORRUPT',
    `${label}: not a bloomlink encoded file (neither Arrow nor JSON Lines)`,
  );
}

/**
 * Reads a whole encoded file into memory as one batch.
 * @example
 * ```ts
 * const coc = await readEncoded(bytes, 'coc.arrow');
 * coc.batch.length; // records
 * ```
 */
export async function readEncoded(source: EncodedSource, label: string): Promise<EncodedList> {
  const { meta, batches, trailer } = await openEncoded(source, label);
  const parts: EncodedBatch[] = [];
  for await (const b of batches) parts.push(b);
  const batch = parts.length === 0 ? emptyBatch(meta) : concatBatches(parts);
  return { meta, batch, ...(trailer.rows ? { rows: trailer.rows } : {}) };
}

/**
 * Writes batches in the chosen format to a byte sink; `opts.rows` (e.g. `() => run.reader.summary`)
 * records the list's rows read and rejected in the file's end record, for the match report.
 * @example
 * ```ts
 * import { once } from 'node:events';
 * import { createWriteStream, readFileSync } from 'node:fs';
 * import { encodeList, parseKey } from 'bloomlink/encode';
 * const run = await encodeList(readFileSync('clients.csv'), parseKey(readFileSync('linkage.key', 'utf8')));
 * const out = createWriteStream('coc.arrow', { mode: 0o600 });
 * // When the stream's buffer is full, wait for it to drain (backpressure): memory stays flat.
 * // `rows` records the list's rows read and rejected in the file's end record.
 * await writeEncoded(
 *   'arrow',
 *   run.meta,
 *   run.batches,
 *   async (chunk) => {
 *     if (!out.write(chunk)) await once(out, 'drain');
 *   },
 *   { rows: () => run.reader.summary },
 * );
 * out.end();
 * ```
 */
export async function writeEncoded(
  format: EncodedFormat,
  meta: EncodedMeta,
  batches: AsyncIterable<EncodedBatch> | Iterable<EncodedBatch>,
  sink: (chunk: Uint8Array) => void | Promise<void>,
  opts: WriteEncodedOptions = {},
): Promise<{ records: number }> {
  if (format === 'arrow') return writeEncodedArrow(meta, batches, sink, opts);
  const enc = new TextEncoder();
  return writeEncodedJsonl(meta, batches, (text) => sink(enc.encode(text)), opts);
}
