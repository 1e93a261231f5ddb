/**
 * Batches made of row ranges of other batches, not copied: what the parallel encoder's `Rebatcher`
 * hands out. The Arrow writer writes such a batch's columns as its ranges in sequence (the same
 * bytes as the concatenation, with the CRC carried across them), so a worker's rows go from the
 * copy its message arrived in straight to the file; any other reader of the batch gets ordinary
 * concatenated columns, made on first read (docs/scaling.md, "Encoding, round fourteen").
 */
import { defined } from '../util/defined.js';
import type { EncodedBatch } from './batch.js';
import { bytesOf } from './checksum.js';
import { concatBatches } from './concat.js';
import { sliceBatch } from './slice.js';

/**
 * Rows `from .. to − 1` of `batch`.
 * @example
 * ```ts
 * const head: RowRange = { batch, from: 0, to: 100 };
 * ```
 */
export interface RowRange {
  readonly batch: EncodedBatch;
  readonly from: number;
  readonly to: number;
}

const PARTS = new WeakMap<EncodedBatch, readonly RowRange[]>();

/**
 * The row ranges a batch made by {@link partedBatch} consists of (undefined for any other batch).
 * @example
 * ```ts
 * const ranges = batchParts(batch);
 * if (ranges) for (const r of ranges) console.log(r.to - r.from);
 * ```
 */
export function batchParts(b: EncodedBatch): readonly RowRange[] | undefined {
  return PARTS.get(b);
}

/**
 * A batch of the rows of `ranges`, in order, without copying them: its columns (own enumerable
 * properties, so a spread or a clone sees them) are concatenated on first read, the IDs apart from
 * the rest; `ids`, when given, replace the ranges' IDs (pseudonyms). {@link batchParts} gives the
 * ranges back until a column other than the IDs is read (then the batch holds its concatenation
 * and lets the ranges go).
 * @throws RangeError for an empty or out-of-bounds range, or `ids` of the wrong length
 * @example
 * ```ts
 * const b = partedBatch([{ batch: x, from: 5, to: 9 }, { batch: y, from: 0, to: 3 }]);
 * b.length; // 7
 * ```
 */
export function partedBatch(ranges: readonly RowRange[], ids?: readonly string[]): EncodedBatch {
  let length = 0;
  for (const r of ranges) {
    if (
      !(
        Number.isInteger(r.from) &&
        Number.isInteger(r.to) &&
        r.from >= 0 &&
        r.from < r.to &&
        r.to <= r.batch.length
      )
    )
      throw new RangeError('partedBatch: a row range is empty or outside its batch');
    length += r.to - r.from;
  }
  if (ids !== undefined && ids.length !== length)
    throw new RangeError('partedBatch: ids must have one entry per row');
  // Once the columns are concatenated the ranges are let go (the pieces they hold can be freed),
  // and the batch is an ordinary one to the writer too.
  let parts: readonly RowRange[] | undefined = ranges;
  let whole: EncodedBatch | undefined;
  let ownIds = ids;
  const b = {} as EncodedBatch;
  const all = (): EncodedBatch => {
    if (whole === undefined) {
      whole = concatBatches((parts ?? []).map((r) => sliceBatch(r.batch, r.from, r.to)));
      ownIds ??= whole.ids;
      parts = undefined;
      PARTS.delete(b);
    }
    return whole;
  };
  const column = (name: keyof EncodedBatch) => ({ enumerable: true, get: () => all()[name] });
  Object.defineProperties(b, {
    length: { enumerable: true, value: length },
    ids: {
      enumerable: true,
      get: () => {
        ownIds ??= parts === undefined ? all().ids : rangeIds(parts);
        return ownIds;
      },
    },
    nameDq: column('nameDq'),
    dobDq: column('dobDq'),
    ssnDq: column('ssnDq'),
    blooms: column('blooms'),
    hashes: column('hashes'),
    sets: column('sets'),
    blocks: column('blocks'),
  });
  PARTS.set(b, ranges);
  return b;
}

/** The IDs of the rows of `ranges`, in order. */
function rangeIds(ranges: readonly RowRange[]): string[] {
  const out: string[] = [];
  for (const r of ranges) {
    const ids = r.batch.ids;
    for (let i = r.from; i < r.to; i++) out.push(ids[i] as string);
  }
  return out;
}

/**
 * The bytes of rows `from .. to − 1` of a column of an `n`-row batch (a view).
 * @example
 * ```ts
 * rowBytes(batch.hashes.dob, batch.length, 2, 4); // 8 bytes: rows 2 and 3
 * ```
 */
export function rowBytes(column: Uint8Array | Uint32Array, n: number, from: number, to: number): Uint8Array {
  const w = column.length / n;
  return bytesOf(column.subarray(from * w, to * w));
}

/**
 * One named column (`blooms`, `hashes` or `sets`) of each range, as bytes, in order; undefined when
 * the first range's batch has no such column (as `batchCrc` skips it).
 * @example
 * ```ts
 * const parts = rangeColumn(ranges, 'hashes', 'dob');
 * ```
 */
export function rangeColumn(
  ranges: readonly RowRange[],
  kind: 'blooms' | 'hashes' | 'sets',
  name: string,
): Uint8Array[] | undefined {
  const first = ranges[0];
  if (first === undefined || first.batch[kind][name] === undefined) return undefined;
  return ranges.map((r) =>
    rowBytes(defined(r.batch[kind][name], `column ${name}`), r.batch.length, r.from, r.to),
  );
}

/**
 * A blocking pass of the rows of `ranges`: its offsets from 0 (`length + 1` of them, as Int32:
 * below 2³¹, the same bytes as Uint32) and its keys as each range's bytes; undefined when the first
 * range's batch has no such pass.
 * @example
 * ```ts
 * const pass = rangeBlocks(ranges, 'name', 7);
 * ```
 */
export function rangeBlocks(
  ranges: readonly RowRange[],
  name: string,
  length: number,
): { readonly offsets: Int32Array; readonly keys: Uint8Array[] } | undefined {
  const first = ranges[0];
  if (first === undefined || first.batch.blocks[name] === undefined) return undefined;
  const offsets = new Int32Array(length + 1);
  const keys: Uint8Array[] = [];
  let row = 0;
  let base = 0;
  for (const r of ranges) {
    const col = defined(r.batch.blocks[name], `blocking pass ${name}`);
    const o = col.offsets;
    const start = o[r.from] as number;
    for (let i = r.from; i < r.to; i++) offsets[++row] = base + (o[i + 1] as number) - start;
    const end = o[r.to] as number;
    base += end - start;
    if (base > 0x7fff_ffff)
      throw new RangeError('a list column passes 2³¹ values; write the records in smaller batches');
    keys.push(bytesOf(col.keys.subarray(start, end)));
  }
  return { offsets, keys };
}
