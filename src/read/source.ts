/**
 * Where the bytes come from, for any runtime: buffers, Blobs/Files (browser uploads), Web streams
 * (`fetch` bodies) and async iterables (Node streams); and the bytes → text → rows pipeline over them.
 * @module
 */
import { BloomlinkError } from '../errors.js';
import { restoreFormula } from '../util/csv-write.js';
import { readStream } from '../util/read-stream.js';
import { type CsvRow, flattenBatches, parseCsvBatches } from './csv.js';
import { decodeChunks, type TextEncodingName } from './decode.js';
import { columnAt } from './fields.js';
import { type HeaderSpec, mapHeader } from './header.js';

/**
 * Anything {@link bytesFrom} accepts.
 *
 * @example
 * ```ts
 * const response = await fetch('https://example.org/clients.csv');
 * const input: ByteInput = response.body ?? new Uint8Array(await response.arrayBuffer());
 * ```
 */
export type ByteInput =
  | Uint8Array
  | ArrayBuffer
  | Blob
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>;

/**
 * Options of {@link readCsvRows} and {@link readCsvBatches}.
 *
 * @example
 * ```ts
 * const opts: ReadCsvOptions = { label: 'Client.csv', encoding: 'utf-8' };
 * ```
 */
export interface ReadCsvOptions {
  /** File name used in error messages (default `input`). */
  readonly label?: string;
  /** Skip encoding detection (see `decodeChunks`). */
  readonly encoding?: TextEncodingName;
  /** Field delimiter; detected from the header line when absent (see `parseCsv`). */
  readonly delimiter?: string;
  /** Called with the encoding the file is read in (see `decodeChunks`). */
  readonly onEncoding?: (encoding: TextEncodingName) => void;
  /**
   * Undo the formula neutralisation of bloomlink's own CSV outputs (see `restoreFormula`): for
   * reading back links, return and HMIS files. Default false (input lists are read as given).
   */
  readonly restoreFormulas?: boolean;
}

/**
 * The size in bytes of an input that knows it (`Uint8Array`, `ArrayBuffer`, `Blob`); `undefined` for
 * a stream or iterable, whose size is known only once read.
 * @example
 * ```ts
 * knownSize(new Uint8Array(10)); // 10
 * knownSize(fileBytes('clients.csv')); // undefined
 * ```
 */
export function knownSize(input: ByteInput): number | undefined {
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) return input.byteLength;
  if (typeof Blob !== 'undefined' && input instanceof Blob) return input.size;
  return undefined;
}

/**
 * Turns any byte source into an async iterable of byte chunks, without copying.
 *
 * @throws TypeError when `input` is none of the accepted kinds, or an iterable yields something other
 *   than a `Uint8Array`
 * @example
 * ```ts
 * // in a browser, from <input type="file">
 * const file = (document.getElementById('list') as HTMLInputElement).files?.[0];
 * if (file) for await (const chunk of bytesFrom(file)) console.log(chunk.length);
 * ```
 */
export async function* bytesFrom(input: ByteInput): AsyncGenerator<Uint8Array> {
  if (input instanceof Uint8Array) {
    yield input;
  } else if (input instanceof ArrayBuffer) {
    yield new Uint8Array(input);
  } else if (typeof Blob !== 'undefined' && input instanceof Blob) {
    yield* readStream(input.stream());
  } else if (typeof ReadableStream !== 'undefined' && input instanceof ReadableStream) {
    yield* readStream(input);
  } else if (isIterable(input)) {
    for await (const chunk of input) {
      if (!(chunk instanceof Uint8Array)) throw new TypeError('input must yield Uint8Array chunks');
      yield chunk;
    }
  } else {
    throw new TypeError(
      'input must be a Uint8Array, ArrayBuffer, Blob, ReadableStream or (async) iterable of Uint8Array',
    );
  }
}

/**
 * Reads CSV records from bytes: detects the encoding, decodes, parses. The header is the first row
 * (line 1 unless blank lines precede it).
 *
 * @throws BloomlinkError `FILE_EMPTY` when the input has no bytes or only blank lines, and whatever
 *   `decodeChunks` and `parseCsv` throw
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode('MemberID,DOB\n M1 ,1990-05-06\n');
 * for await (const row of readCsvRows(bytes, { label: 'members.csv' })) console.log(row.line, row.fields);
 * // 1 ['MemberID', 'DOB'], then 2 [' M1 ', '1990-05-06']
 * ```
 */
export function readCsvRows(input: ByteInput, opts: ReadCsvOptions = {}): AsyncGenerator<CsvRow> {
  return flattenBatches(readCsvBatches(input, opts));
}

/**
 * Like {@link readCsvRows} but yields the rows of each decoded chunk as one array, which saves the
 * per-row cost of async iteration when reading millions of rows.
 *
 * @example
 * ```ts
 * let rows = 0;
 * for await (const batch of readCsvBatches(bytes, { label: 'members.csv' })) rows += batch.length;
 * ```
 */
export async function* readCsvBatches(input: ByteInput, opts: ReadCsvOptions = {}): AsyncGenerator<CsvRow[]> {
  const label = opts.label ?? 'input';
  const text = decodeChunks(bytesFrom(input), {
    label,
    ...(opts.encoding !== undefined && { encoding: opts.encoding }),
    ...(opts.onEncoding !== undefined && { onEncoding: opts.onEncoding }),
  });
  let any = false;
  for await (const batch of parseCsvBatches(text, {
    label,
    ...(opts.delimiter !== undefined && { delimiter: opts.delimiter }),
  })) {
    any = true;
    if (opts.restoreFormulas === true) {
      for (const row of batch) {
        const f = row.fields;
        for (let i = 0; i < f.length; i++) {
          const v = f[i];
          if (v !== undefined && v.charCodeAt(0) === 39) f[i] = restoreFormula(v);
        }
      }
    }
    yield batch;
  }
  if (!any) throw new BloomlinkError('FILE_EMPTY', `${label}: file has no rows, not even a header`);
}

function isIterable(x: unknown): x is AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  return (
    typeof x === 'object' &&
    x !== null &&
    (typeof (x as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function' ||
      typeof (x as Record<symbol, unknown>)[Symbol.iterator] === 'function')
  );
}

/**
 * The data rows of a CSV file a tool wrote (links, decisions, return history, changes, truth), in
 * batches, each with the column lookup of the file's header: the first row is mapped with
 * `mapHeader` against `spec` (a missing required column stops with `COLUMN_MISSING`), formulas
 * neutralised on writing are restored, and `col(name)` is a column's position or -1 (which `cell`
 * reads as blank). An empty file gives no batch, or with `requireHeader` stops with `FILE_EMPTY`.
 * @example
 * ```ts
 * const spec = { required: ['PersonalID', 'MemberID'], optional: [] };
 * for await (const { rows, col } of readMappedBatches(bytes, spec, 'truth.csv'))
 *   for (const row of rows) console.log(row.line, cell(row.fields, col('PersonalID')));
 * ```
 */
export async function* readMappedBatches(
  input: ByteInput,
  spec: HeaderSpec,
  label: string,
  opts: { readonly requireHeader?: boolean } = {},
): AsyncGenerator<{ readonly rows: readonly CsvRow[]; readonly col: (name: string) => number }> {
  let col: ((name: string) => number) | undefined;
  for await (const batch of readCsvBatches(input, { label, restoreFormulas: true })) {
    let rows: readonly CsvRow[] = batch;
    if (col === undefined) {
      const header = batch[0];
      if (header === undefined) continue;
      col = columnAt(mapHeader(header.fields, spec, label).index);
      rows = batch.slice(1);
    }
    if (rows.length > 0) yield { rows, col };
  }
  if (col === undefined && opts.requireHeader === true)
    throw new BloomlinkError('FILE_EMPTY', `${label}: file has no rows, not even a header`);
}
