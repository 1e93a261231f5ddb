/**
 * Node-only adapter: streaming a file from disk into the reader.
 * @module
 */
import { createReadStream, type Stats, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { BloomlinkError } from '../errors.js';
import type { CsvRow } from './csv.js';
import { type ReadCsvOptions, readCsvRows } from './source.js';

/** Default read size: large enough that per-chunk overhead vanishes, small enough to stay streaming. */
const CHUNK_BYTES = 1024 * 1024;

/** Bytes of a scattered piece (`fileBytesSharedApart`'s `scatter`): 4 MiB, two per reader. */
const SCATTER_BYTES = 4 * 1024 * 1024;

/** Positional reads in flight at once in {@link fileBytesShared} (libuv's thread pool has 4 threads). */
const READERS = 4;

/**
 * Streams a file's bytes in chunks of `highWaterMark` bytes (default 1 MiB).
 *
 * @throws BloomlinkError `FILE_NOT_FOUND` (no such file), `FILE_UNREADABLE` (no permission, a
 *   directory, or another I/O error; the cause is attached)
 * @example
 * ```ts
 * let size = 0;
 * for await (const chunk of fileBytes('Client.csv')) size += chunk.length;
 * ```
 */
export async function* fileBytes(
  path: string,
  opts: { readonly highWaterMark?: number } = {},
): AsyncGenerator<Uint8Array> {
  if (typeof path !== 'string' || path === '') throw new TypeError('path must be a non-empty string');
  const highWaterMark = opts.highWaterMark ?? CHUNK_BYTES;
  if (!Number.isInteger(highWaterMark) || highWaterMark < 1) {
    throw new RangeError('highWaterMark must be a positive integer');
  }
  // for-await destroys the stream (closing the file) when the consumer stops early.
  const stream = createReadStream(path, { highWaterMark });
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (e) {
    throw fileError(path, e);
  }
}

/**
 * Reads a whole file into one `Uint8Array` over a `SharedArrayBuffer`, read straight into it (no
 * chunk queue, no copy), in pieces of `pieceBytes` (default 64 MiB) several at once: an encoded file read this way (`readEncodedShared`) gives columns that are views
 * of these bytes, shared with worker threads as they are.
 *
 * @throws BloomlinkError `FILE_NOT_FOUND`, `FILE_UNREADABLE` as {@link fileBytes}
 * @example
 * ```ts
 * const mcp = await readEncodedShared(await fileBytesShared('mcp.arrow'), 'mcp.arrow', { blocks: false });
 * ```
 */
export async function fileBytesShared(
  path: string,
  opts: {
    readonly pieceBytes?: number;
    /**
     * Called on this thread with each piece's range once its bytes are in `bytes` (pieces in any
     * order; the next read is already under way): work on the file that can start before all of it
     * is read, such as its checksum (`CrcBlocks.add`). `bytes` is the array this call returns.
     */
    readonly onPiece?: (bytes: Uint8Array, from: number, to: number) => void;
  } = {},
): Promise<Uint8Array> {
  return (await fileBytesSharedApart(path, [], opts)).bytes;
}

/**
 * {@link fileBytesShared}, with the byte ranges `apart` (ascending, disjoint, within the file) read
 * into shared arrays of their own instead: `bytes` keeps the file's offsets, its bytes in those
 * ranges are left zero (and untouched: their pages take no memory), and `apart[k]` holds range k's
 * bytes. A range's array can then be dropped on its own once nothing needs it (a plan's filter
 * columns, once the row store holds them). `onPiece` gets the array a piece landed in (`bytes` or
 * one of `apart`) and the piece's range within it. A file that turns out shorter than a range
 * reaches gives `bytes` up to the first piece that came short, as {@link fileBytesShared}.
 *
 * @throws BloomlinkError `FILE_NOT_FOUND`, `FILE_UNREADABLE` as {@link fileBytes}
 * @example
 * ```ts
 * const { bytes, apart } = await fileBytesSharedApart('mcp.arrow', [{ from: 4096, to: 8192 }]);
 * apart[0]?.length; // 4096
 * ```
 */
export async function fileBytesSharedApart(
  path: string,
  apart: readonly { readonly from: number; readonly to: number; readonly unit?: number }[],
  opts: {
    readonly pieceBytes?: number;
    readonly onPiece?: (bytes: Uint8Array, from: number, to: number) => void;
    /**
     * Hands each piece of the `apart` ranges to this function instead of keeping it (`apart` is
     * then empty): range k's bytes `at..at + piece.length − 1` (relative to the range), in a
     * scratch array reused once the call returns. Pieces are cut at multiples of the range's `unit`
     * (default 1) and come in any order; `onPiece` is not called for them. A range's bytes are then
     * never held whole (the whole-file match copies them into the plan's row store as they land).
     */
    readonly scatter?: (k: number, piece: Uint8Array, at: number) => void;
  } = {},
): Promise<{ bytes: Uint8Array; apart: Uint8Array[] }> {
  if (typeof path !== 'string' || path === '') throw new TypeError('path must be a non-empty string');
  const piece = opts.pieceBytes ?? CHUNK_BYTES * 64;
  if (!Number.isInteger(piece) || piece < 1) throw new RangeError('pieceBytes must be a positive integer');
  let last = 0;
  for (const r of apart) {
    if (!(Number.isInteger(r.from) && Number.isInteger(r.to) && last <= r.from && r.from <= r.to))
      throw new RangeError('apart ranges must be ascending and disjoint');
    last = r.to;
  }
  try {
    const file = await open(path, 'r');
    try {
      const stat = await file.stat();
      if (!stat.isFile()) {
        if (apart.length > 0) throw new RangeError('apart ranges need a regular file');
        return { bytes: await sharedCopy(fileBytes(path)), apart: [] };
      }
      const size = stat.size;
      if (last > size) throw new RangeError('an apart range lies past the end of the file');
      const bytes = new Uint8Array(new SharedArrayBuffer(Math.max(size, 1)), 0, size);
      const scatter = opts.scatter;
      const own = scatter
        ? []
        : apart.map(
            (r) => new Uint8Array(new SharedArrayBuffer(Math.max(r.to - r.from, 1)), 0, r.to - r.from),
          );
      // The file's pieces in file order: each lands in `bytes` at its offset, or in the array of the
      // range it lies in, at its offset there — or, scattered, in a scratch array (`into` unset).
      type Piece = { at: number; to: number; into: Uint8Array | undefined; base: number; range: number };
      const pieces: Piece[] = [];
      const cut = (
        from: number,
        to: number,
        into: Uint8Array | undefined,
        base: number,
        range = -1,
        step = piece,
      ) => {
        for (let at = from; at < to; at += step)
          pieces.push({ at, to: Math.min(to, at + step), into, base, range });
      };
      // Scattered pieces are small (a reader's two scratch arrays stay in cache-friendly sizes).
      const wanted = Math.min(piece, SCATTER_BYTES);
      let scatterBytes = 1;
      let from = 0;
      apart.forEach((r, k) => {
        cut(from, r.from, bytes, 0);
        const unit = r.unit ?? 1;
        if (!Number.isInteger(unit) || unit < 1)
          throw new RangeError('an apart range unit must be a positive integer');
        if (scatter) {
          const step = Math.max(unit, wanted - (wanted % unit));
          scatterBytes = Math.max(scatterBytes, step);
          cut(r.from, r.to, undefined, r.from, k, step);
        } else cut(r.from, r.to, own[k] as Uint8Array, r.from);
        from = r.to;
      });
      cut(from, size, bytes, 0);
      const got = new Float64Array(pieces.length);
      let next = 0;
      const readPiece = async (k: number, scratch: () => Uint8Array) => {
        const p = pieces[k] as Piece;
        const into = p.into ?? scratch();
        const base = p.into ? p.base : p.at;
        let at = p.at;
        while (at < p.to) {
          const { bytesRead } = await file.read(into, at - base, p.to - at, at);
          if (bytesRead === 0) break;
          at += bytesRead;
        }
        got[k] = at - p.at;
        return { k, into };
      };
      const reader = async () => {
        // Two scratch arrays a reader: one being read into while the other is handed on.
        const spare: Uint8Array[] = [];
        let made = 0;
        const scratch = () => {
          const s = spare.pop();
          if (s) return s;
          if (made++ >= 2) throw new Error('a reader holds more than two scratch arrays');
          return new Uint8Array(scatterBytes);
        };
        let pending = next < pieces.length ? readPiece(next++, scratch) : undefined;
        while (pending) {
          const { k, into } = await pending;
          // The next piece's read is started before this one is handed on, so the disk and
          // libuv's threads stay busy while this thread works on the piece.
          pending = next < pieces.length ? readPiece(next++, scratch) : undefined;
          const p = pieces[k] as Piece;
          try {
            if (p.into) opts.onPiece?.(p.into, p.at - p.base, p.at - p.base + (got[k] as number));
            else {
              scatter?.(p.range, into.subarray(0, got[k] as number), p.at - p.base);
              spare.push(into);
            }
          } catch (e) {
            // The read already started is waited for (not left to reject unhandled, or to land
            // after the file is closed).
            await pending?.catch(() => {});
            throw e;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(READERS, pieces.length) }, reader));
      // A file that shrank while read: its bytes up to the first piece that came short.
      let at = 0;
      for (let k = 0; k < pieces.length; k++) {
        at += got[k] as number;
        if (at < (pieces[k] as Piece).to) break;
      }
      return { bytes: at === size ? bytes : bytes.subarray(0, at), apart: own };
    } finally {
      await file.close();
    }
  } catch (e) {
    throw fileError(path, e);
  }
}

/** A stream's bytes (a pipe, a device: no size known up front) copied into one shared array. */
async function sharedCopy(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const c of chunks) {
    parts.push(c);
    size += c.length;
  }
  const bytes = new Uint8Array(new SharedArrayBuffer(Math.max(size, 1)), 0, size);
  let at = 0;
  for (const c of parts) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

/**
 * Reads CSV records from a file (see `readCsvRows`); messages name the file by its base name.
 *
 * @example
 * ```ts
 * for await (const row of readCsvFile('exports/Client.csv')) {
 *   if (row.line === 1) console.log('columns:', row.fields.length);
 * }
 * ```
 */
export function readCsvFile(path: string, opts: ReadCsvOptions = {}): AsyncGenerator<CsvRow> {
  return readCsvRows(fileBytes(path), { ...opts, label: opts.label ?? basename(path) });
}

/**
 * The size and kind of an input file, or the same one-line error {@link fileBytes} gives when it is
 * missing or cannot be reached: for a command that must know an input's size before it reads it.
 *
 * @throws BloomlinkError `FILE_NOT_FOUND` (no such file), `FILE_UNREADABLE` (no permission on a folder
 *   of the path, or another I/O error)
 * @example
 * ```ts
 * const size = inputStat('mcp.arrow').size;
 * ```
 */
export function inputStat(path: string): Stats {
  try {
    return statSync(path);
  } catch (e) {
    throw fileError(path, e);
  }
}

function fileError(path: string, e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (e instanceof BloomlinkError || typeof code !== 'string') return e;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new BloomlinkError('FILE_NOT_FOUND', `${path}: file not found`, { cause: e });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new BloomlinkError('FILE_UNREADABLE', `${path}: permission denied`, { cause: e });
  }
  if (code === 'EISDIR') {
    return new BloomlinkError('FILE_UNREADABLE', `${path}: is a directory, not a file`, { cause: e });
  }
  return new BloomlinkError('FILE_UNREADABLE', `${path}: cannot be read (${code})`, { cause: e });
}
