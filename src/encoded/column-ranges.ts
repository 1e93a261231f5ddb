/**
 * Where an encoded Arrow file's fixed-size-binary columns (the Bloom filters and the hash sets) lie,
 * told from the file's first bytes (its schema and first record batch's metadata), so that a reader
 * can read those byte ranges into buffers of their own — which can then be dropped on their own once
 * the plan's row store holds their values (docs/scaling.md, "The plan's filters and hash sets apart").
 */
import {
  ARROW_FIXED_SIZE_BINARY,
  ARROW_INT,
  ARROW_LIST,
  ARROW_UTF8,
  type ArrowField,
  arrowMessage,
} from './arrow-read.js';
import type { EncodedBatch } from './batch.js';
import { crc32c } from './checksum.js';
import { type CrcBlocks, crc32cCombine } from './crc-blocks.js';

/**
 * A column's values buffer in the file: bytes `from..to−1`.
 * @example
 * ```ts
 * const r: ColumnRange = { name: 'firstBloom', from: 4096, to: 4096 + 128 * n };
 * ```
 */
export interface ColumnRange {
  readonly name: string;
  readonly from: number;
  readonly to: number;
}

const CONTINUATION = 0xffffffff;

/**
 * The values buffers of the fixed-size-binary columns of the first record batch of the Arrow stream
 * whose first bytes are `head`, ascending, as absolute file ranges — or undefined when `head` does
 * not hold a schema followed by a record batch's metadata, or when such a buffer is not 4-byte
 * aligned, or shares a byte with any other buffer of the batch or with its metadata (the reader
 * would then read those bytes as something else too). Nothing here is trusted beyond that: the
 * reader that follows checks the whole file as before.
 * @example
 * ```ts
 * const ranges = fixedColumnRanges(firstMiB); // [{ name: 'firstName', from: 4096, to: 100_004_096 }, …]
 * ```
 */
export function fixedColumnRanges(head: Uint8Array): ColumnRange[] | undefined {
  return valueRanges(head, (f) => f.type === ARROW_FIXED_SIZE_BINARY);
}

/**
 * The values buffers of the unsigned 32-bit integer columns (the keyed hashes) of the first record
 * batch whose first bytes are `head`, under the conditions of {@link fixedColumnRanges}.
 * @example
 * ```ts
 * const ranges = hashColumnRanges(firstMiB); // [{ name: 'first', from: 1024, to: 1024 + 4 * n }, …]
 * ```
 */
export function hashColumnRanges(head: Uint8Array): ColumnRange[] | undefined {
  return valueRanges(head, (f) => f.type === ARROW_INT && f.width === 32 && !f.signed);
}

function valueRanges(head: Uint8Array, wanted: (f: ArrowField) => boolean): ColumnRange[] | undefined {
  try {
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const frame = (at: number) => {
      if (at + 8 > head.length || view.getUint32(at, true) !== CONTINUATION) return undefined;
      const metaLength = view.getUint32(at + 4, true);
      if (metaLength === 0 || metaLength % 8 !== 0 || at + 8 + metaLength > head.length) return undefined;
      return { message: arrowMessage(head.subarray(at)), end: at + 8 + metaLength };
    };
    const schema = frame(0);
    if (schema?.message.headerType !== 1 || !schema.message.fields) return undefined;
    // A schema message has no body: the record batch's frame follows its metadata.
    const batch = frame(schema.end);
    if (batch?.message.headerType !== 3) return undefined;
    const buffers = batch.message.buffers ?? new Float64Array(0);
    const bodyStart = batch.end;
    let b = 0;
    const all: { from: number; to: number }[] = [];
    const take = () => {
      if (2 * b + 1 >= buffers.length) throw new Error('too few buffers');
      const from = bodyStart + (buffers[2 * b] as number);
      const to = from + (buffers[2 * b + 1] as number);
      b++;
      all.push({ from, to });
      return { from, to };
    };
    const out: ColumnRange[] = [];
    // The buffers in the order the reader takes them (`readColumn` in file-arrow.ts).
    const walk = (f: ArrowField) => {
      take(); // validity
      if (f.type === ARROW_UTF8) {
        take();
        take();
      } else if (f.type === ARROW_LIST) {
        take();
        take(); // the child's validity
        take();
      } else {
        const r = take();
        if (wanted(f) && r.to > r.from) out.push({ name: f.name, ...r });
      }
    };
    for (const f of schema.message.fields) walk(f);
    out.sort((x, y) => x.from - y.from);
    for (const r of out) {
      if (r.from % 4 !== 0 || r.from < bodyStart) return undefined;
      const shared = all.filter((o) => o.from < r.to && r.from < o.to && o.to > o.from);
      if (shared.length !== 1) return undefined;
    }
    return out;
  } catch {
    return undefined;
  }
}

/** Where range k's bytes are, or undefined when `[from, from + length)` of the file lies in none. */
function rangeOf(ranges: readonly ColumnRange[], from: number, length: number): number | undefined {
  for (let k = 0; k < ranges.length; k++) {
    const r = ranges[k] as ColumnRange;
    if (from + length <= r.from || r.to <= from) continue;
    if (from < r.from || from + length > r.to) throw new Error('a column across a range read apart');
    return k;
  }
  return undefined;
}

/**
 * The `crcOf` of a file read with `ranges` apart (`fileBytesSharedApart`): a view of `bytes` inside
 * range k is checksummed over the same bytes in `apart[k]`, every other view as it is — each from
 * the blocks its array's pieces were checksummed in as they landed (`CrcBlocks`), when there are
 * any. The CRC is that of the file's bytes, as when the file is read whole.
 * @example
 * ```ts
 * const crcOf = apartCrc(bytes, ranges, apart, blocksByArray);
 * ```
 */
export function apartCrc(
  bytes: Uint8Array,
  ranges: readonly ColumnRange[],
  apart: readonly Uint8Array[],
  blocks: ReadonlyMap<Uint8Array, CrcBlocks>,
  scattered?: ReadonlyMap<number, RangeCrc>,
): (view: Uint8Array, crc: number) => number {
  return (view, crc) => {
    const k =
      view.buffer === bytes.buffer
        ? rangeOf(ranges, view.byteOffset - bytes.byteOffset, view.length)
        : undefined;
    if (k === undefined) return blocks.get(bytes)?.crc(view, crc) ?? crc32c(view, crc);
    const whole = scattered?.get(k);
    if (whole) {
      // A range whose bytes were not kept: checksummed piece by piece as they landed.
      const r = ranges[k] as ColumnRange;
      if (view.byteOffset - bytes.byteOffset !== r.from || view.length !== r.to - r.from)
        throw new Error('a part of a column range read without its bytes');
      return whole.continue(crc);
    }
    const own = apart[k] as Uint8Array;
    const at = view.byteOffset - bytes.byteOffset - (ranges[k] as ColumnRange).from;
    const same = own.subarray(at, at + view.length);
    return blocks.get(own)?.crc(same, crc) ?? crc32c(same, crc);
  };
}

/**
 * The CRC-32C of a byte range whose pieces are checksummed as they land, in any order, and not kept
 * (`fileBytesSharedApart`'s `scatter`): {@link RangeCrc.continue} gives `crc32c(range, crc)`, put
 * together from the pieces' CRCs; a range not wholly covered by its pieces is refused.
 * @example
 * ```ts
 * const r = new RangeCrc(8);
 * r.add(4, piece2);
 * r.add(0, piece1);
 * r.continue(0) === crc32c(concat(piece1, piece2)); // true
 * ```
 */
export class RangeCrc {
  readonly #length: number;
  readonly #pieces: { at: number; length: number; crc: number }[] = [];

  /** `length`: the range's bytes. */
  constructor(length: number) {
    this.#length = length;
  }

  /** Checksums `piece`, the range's bytes `at..at + piece.length − 1`. */
  add(at: number, piece: Uint8Array): void {
    this.#pieces.push({ at, length: piece.length, crc: crc32c(piece) });
  }

  /** The CRC of the whole range continued from `crc`. */
  continue(crc: number): number {
    const pieces = this.#pieces.slice().sort((x, y) => x.at - y.at);
    let c = crc >>> 0;
    let at = 0;
    for (const p of pieces) {
      if (p.at !== at) throw new Error('a column range read with a gap or an overlap');
      c = crc32cCombine(c, p.crc, p.length);
      at += p.length;
    }
    if (at !== this.#length) throw new Error('a column range read short');
    return c;
  }
}

/**
 * Records in the first record batch of the Arrow stream whose first bytes are `head` (as
 * {@link fixedColumnRanges} reads them), or undefined when `head` does not hold its metadata.
 * @example
 * ```ts
 * const n = firstBatchRecords(firstMiB); // 3_000_000
 * ```
 */
export function firstBatchRecords(head: Uint8Array): number | undefined {
  try {
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    if (head.length < 8 || view.getUint32(0, true) !== CONTINUATION) return undefined;
    const at = 8 + view.getUint32(4, true);
    if (at + 8 > head.length || view.getUint32(at, true) !== CONTINUATION) return undefined;
    if (at + 8 + view.getUint32(at + 4, true) > head.length) return undefined;
    const m = arrowMessage(head.subarray(at));
    return m.headerType === 3 && m.length !== undefined ? m.length : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Points the Bloom filter and hash-set columns of `batch` (read in place from `bytes`, a file read
 * with `ranges` apart) at their bytes in `apart` — the same values; `bytes` holds zeros there.
 * @example
 * ```ts
 * relocateColumns(list.batch, bytes, ranges, apart);
 * ```
 */
export function relocateColumns(
  batch: EncodedBatch,
  bytes: Uint8Array,
  ranges: readonly ColumnRange[],
  apart: readonly Uint8Array[],
): void {
  if (ranges.length === 0) return;
  const place = <T extends Uint8Array | Uint32Array>(
    col: T,
    make: new (b: ArrayBufferLike, o: number, n: number) => T,
  ): T => {
    const k =
      col.buffer === bytes.buffer
        ? rangeOf(ranges, col.byteOffset - bytes.byteOffset, col.byteLength)
        : undefined;
    if (k === undefined) return col;
    const own = apart[k] as Uint8Array;
    return new make(
      own.buffer,
      own.byteOffset + col.byteOffset - bytes.byteOffset - (ranges[k] as ColumnRange).from,
      col.length,
    );
  };
  const blooms = batch.blooms as Record<string, Uint8Array>;
  const sets = batch.sets as Record<string, Uint32Array>;
  for (const name of Object.keys(blooms)) blooms[name] = place(blooms[name] as Uint8Array, Uint8Array);
  for (const name of Object.keys(sets)) sets[name] = place(sets[name] as Uint32Array, Uint32Array);
}
