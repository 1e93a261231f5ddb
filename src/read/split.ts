/**
 * A CSV file cut into pieces of whole records, for reading on several threads: the bytes are decoded
 * here (encoding detection as in `readCsvRows`), the header row is parsed here, and the text after
 * it is handed out in pieces that each parse on their own (`parseCsvSync` with `startLine`) to exactly
 * the rows the whole file parses to, with the same line numbers. Only a light scan for record
 * boundaries runs on this thread; the parsing itself happens wherever the pieces go.
 * Runtime-neutral.
 * @module
 */
import { BloomlinkError } from '../errors.js';
import {
  type CsvOptions,
  type CsvRow,
  countLineBreaks,
  parseCsvSync,
  recordsEnd,
  sniffDelimiter,
} from './csv.js';
import { decodeChunks } from './decode.js';
import { type ByteInput, bytesFrom, type ReadCsvOptions } from './source.js';

/** A piece of a CSV file's text: whole records (and blank lines), and where it starts. */
export interface TextPiece {
  readonly text: string;
  /** Physical line of the piece's first line (pass it as `startLine` when parsing the piece). */
  readonly startLine: number;
  /** Input bytes consumed when the piece was cut (for progress). */
  readonly bytesRead: number;
}

/** A CSV file opened for split reading. */
export interface SplitCsv {
  readonly header: CsvRow;
  /** The delimiter given or detected. */
  readonly delimiter: string;
  /** The text after the header in pieces of about `pieceChars` characters, in order; iterate once. */
  pieces(): AsyncGenerator<TextPiece>;
  /** Stops reading (not needed after a complete iteration). */
  close(): Promise<void>;
}

/** Options of {@link splitCsv}. */
export interface SplitCsvOptions extends ReadCsvOptions {
  /**
   * Characters per piece, at least (a piece ends at the first record boundary after this many); at
   * most 30,000 once the text has a character above U+00FF (see TWO_BYTE_PIECE_CHARS).
   */
  readonly pieceChars?: number;
  /** Longest record accepted (see `CsvOptions.maxRecordLength`). */
  readonly maxRecordLength?: number;
}

const DEFAULT_PIECE_CHARS = 1 << 20;
/**
 * Longest piece once the text has a character above U+00FF: V8 then holds it as a two-byte string
 * (2 bytes a character), and a piece, or the join of the text left over with the next decoded chunk
 * that cutting flattens, over 128 KiB is a large object on fresh pages — 30–50 ns a character
 * instead of about 1 (docs/scaling.md, "Encoding, round four").
 */
const TWO_BYTE_PIECE_CHARS = 30_000;
/** Any character a one-byte (Latin-1) string cannot hold. */
const TWO_BYTE = /[\u0100-\uffff]/;
const DEFAULT_MAX_RECORD = 1024 * 1024;
const CR = 13;
const LF = 10;

/**
 * Opens CSV bytes for reading on several threads: decodes them, parses the header, and cuts the rest
 * into pieces of whole records.
 *
 * @throws BloomlinkError `FILE_EMPTY` when the input has no header row, and whatever decoding and
 *   parsing throw (the same errors, with the same lines, as `readCsvRows`)
 * @example
 * ```ts
 * const file = await splitCsv(bytes, { label: 'members.csv' });
 * for await (const piece of file.pieces()) {
 *   const rows = parseCsvSync(piece.text, { delimiter: file.delimiter, startLine: piece.startLine });
 * }
 * ```
 */
export async function splitCsv(input: ByteInput, opts: SplitCsvOptions = {}): Promise<SplitCsv> {
  const label = opts.label ?? 'input';
  const pieceChars = opts.pieceChars ?? DEFAULT_PIECE_CHARS;
  const maxRecord = opts.maxRecordLength ?? DEFAULT_MAX_RECORD;
  if (!Number.isInteger(pieceChars) || pieceChars < 1)
    throw new RangeError('pieceChars must be a positive integer');
  let bytesRead = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of bytesFrom(input)) {
      bytesRead += chunk.length;
      yield chunk;
    }
  }
  const text = decodeChunks(counted(), {
    label,
    ...(opts.encoding !== undefined && { encoding: opts.encoding }),
    ...(opts.onEncoding !== undefined && { onEncoding: opts.onEncoding }),
  });
  let buf = '';
  let done = false;
  let size = pieceChars;
  const more = async (): Promise<boolean> => {
    if (done) return false;
    const r = await text.next();
    if (r.done) {
      done = true;
      return false;
    }
    if (size > TWO_BYTE_PIECE_CHARS && TWO_BYTE.test(r.value)) size = TWO_BYTE_PIECE_CHARS;
    buf = buf.length === 0 ? r.value : buf + r.value;
    return true;
  };
  try {
    while (buf.length === 0 && (await more()));
    // A BOM left in the text would stick to the first column name (as in the parser).
    if (buf.charCodeAt(0) === 0xfeff) buf = buf.slice(1);
    const csvOpts: CsvOptions = {
      label,
      ...(opts.maxRecordLength !== undefined && { maxRecordLength: opts.maxRecordLength }),
    };
    const delimiter = opts.delimiter ?? (await detect());
    let end = recordsEnd(buf, delimiter, { ...csvOpts, stopAfter: 1 });
    while (end === 0 && (await more())) end = recordsEnd(buf, delimiter, { ...csvOpts, stopAfter: 1 });
    const headText = end === 0 ? buf : buf.slice(0, end);
    const header = parseCsvSync(headText, { ...csvOpts, delimiter })[0];
    if (header === undefined)
      throw new BloomlinkError('FILE_EMPTY', `${label}: file has no rows, not even a header`);
    buf = end === 0 ? '' : buf.slice(end);
    let startLine = 1 + countLineBreaks(headText);
    let claimed = false;
    return {
      header,
      delimiter,
      async *pieces() {
        if (claimed) throw new TypeError(`${label}: the pieces can be read only once`);
        claimed = true;
        try {
          for (;;) {
            while (buf.length < size && (await more()));
            if (buf.length === 0) return;
            // The records within the first pieceChars characters; none complete there (a long
            // record): a window twice as long, and so on; none in all that is read: read on.
            let cut = 0;
            for (let window = size; cut === 0; window *= 2) {
              if (done && window >= buf.length) {
                cut = buf.length;
                break;
              }
              cut = recordsEnd(window >= buf.length ? buf : buf.slice(0, window), delimiter, {
                ...csvOpts,
                startLine,
              });
              if (cut === 0 && window >= buf.length && !(await more())) cut = buf.length;
            }
            const piece = cut === buf.length ? buf : buf.slice(0, cut);
            buf = cut === buf.length ? '' : buf.slice(cut);
            yield { text: piece, startLine, bytesRead };
            startLine += countLineBreaks(piece);
          }
        } finally {
          await text.return(undefined);
        }
      },
      async close() {
        buf = '';
        await text.return(undefined);
      },
    };
  } catch (e) {
    await text.return(undefined);
    throw e;
  }

  /** The parser's rule: the most frequent candidate on the first non-blank line. */
  async function detect(): Promise<string> {
    for (;;) {
      let start = 0;
      while (start < buf.length && (buf.charCodeAt(start) === LF || buf.charCodeAt(start) === CR)) start++;
      let end = start;
      while (end < buf.length && buf.charCodeAt(end) !== LF && buf.charCodeAt(end) !== CR) end++;
      // A first line longer than any record stops here; cutting the header then reports it.
      if (end < buf.length || end - start > maxRecord || !(await more()))
        return sniffDelimiter(buf.slice(start, end));
    }
  }
}
