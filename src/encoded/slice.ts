/**
 * Row selections of encoded batches: a contiguous range (views, no copy, except the rebased block
 * offsets) and a filter by a keep mask (copies). The parallel encoder uses them to drop rows whose ID
 * turned out to be a duplicate and to cut batches to the pipeline's batch size.
 */

import { at } from '../util/defined.js';
import type { BlockColumn, EncodedBatch } from './batch.js';
import { gatherReleased } from './released.js';

function mapValues<T, U>(o: Readonly<Record<string, T>>, f: (v: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const [k, v] of Object.entries(o)) out[k] = f(v);
  return out;
}

/**
 * Rows `from .. to` of each of `n`-row columns (views). This and {@link blockRows} are module
 * functions, not closures made per call: V8 optimised each call's closure anew (docs/scaling.md,
 * "Encoding, round eight").
 */
function columnRows<T extends Uint8Array | Uint32Array>(
  o: Readonly<Record<string, T>>,
  n: number,
  from: number,
  to: number,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, a] of Object.entries(o)) {
    const w = n === 0 ? 0 : a.length / n;
    out[k] = a.subarray(from * w, to * w) as T;
  }
  return out;
}

/** Rows `from .. to` of a blocking-key column: its offsets rebased to 0 (a copy), its keys a view. */
function blockRows(c: BlockColumn, from: number, to: number): BlockColumn {
  const start = at(c.offsets, from);
  const offsets = new Uint32Array(to - from + 1);
  for (let i = 0; i <= to - from; i++) offsets[i] = (c.offsets[from + i] ?? 0) - start;
  return { offsets, keys: c.keys.subarray(start, at(c.offsets, to)) };
}

/**
 * Rows `from .. to − 1` of a batch. Fixed-width columns are views of the batch's buffers (no copy);
 * blocking-key offsets are rebased to start at 0.
 * @throws RangeError for a range outside the batch
 * @example
 * ```ts
 * const head = sliceBatch(batch, 0, 100); // the first 100 records
 * ```
 */
export function sliceBatch(b: EncodedBatch, from: number, to: number): EncodedBatch {
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to <= b.length))
    throw new RangeError('row range outside the batch');
  if (from === 0 && to === b.length) return b;
  const n = b.length;
  const blocks: Record<string, BlockColumn> = {};
  for (const [k, c] of Object.entries(b.blocks)) blocks[k] = blockRows(c, from, to);
  return {
    length: to - from,
    ids: b.ids.slice(from, to),
    nameDq: b.nameDq.subarray(from, to),
    dobDq: b.dobDq.subarray(from, to),
    ssnDq: b.ssnDq.subarray(from, to),
    blooms: columnRows(b.blooms, n, from, to),
    hashes: columnRows(b.hashes, n, from, to),
    sets: columnRows(b.sets, n, from, to),
    blocks,
  };
}

/**
 * The rows of a batch whose `keep` byte is not 0, in order (a copy).
 * @throws RangeError when `keep` does not have one byte per row
 * @example
 * ```ts
 * const kept = filterBatch(batch, Uint8Array.from(batch.ids, (id) => (dropped.has(id) ? 0 : 1)));
 * ```
 */
export function filterBatch(b: EncodedBatch, keep: Uint8Array): EncodedBatch {
  const n = b.length;
  if (keep.length !== n) throw new RangeError('keep must have one entry per row');
  let m = 0;
  for (let i = 0; i < n; i++) if (keep[i]) m++;
  if (m === n) return b;
  const pick = <T extends Uint8Array | Uint32Array>(a: T, make: (len: number) => T): T => {
    const w = n === 0 ? 0 : a.length / n;
    const out = make(m * w);
    for (let i = 0, j = 0; i < n; i++) if (keep[i]) out.set(a.subarray(i * w, (i + 1) * w), w * j++);
    return out;
  };
  const u8 = (len: number) => new Uint8Array(len);
  const u32 = (len: number) => new Uint32Array(len);
  const blocks = mapValues(b.blocks, (c): BlockColumn => {
    const offsets = new Uint32Array(m + 1);
    const keys: number[] = [];
    for (let i = 0, j = 0; i < n; i++) {
      if (!keep[i]) continue;
      for (let k = c.offsets[i] ?? 0, end = c.offsets[i + 1] ?? 0; k < end; k++) keys.push(c.keys[k] ?? 0);
      offsets[++j] = keys.length;
    }
    return { offsets, keys: Uint32Array.from(keys) };
  });
  return {
    length: m,
    ids: b.ids.filter((_, i) => keep[i]),
    nameDq: pick(b.nameDq, u8),
    dobDq: pick(b.dobDq, u8),
    ssnDq: pick(b.ssnDq, u8),
    blooms: mapValues(b.blooms, (a) => pick(a, u8)),
    hashes: mapValues(b.hashes, (a) => pick(a, u32)),
    sets: mapValues(b.sets, (a) => pick(a, u32)),
    blocks,
  };
}

/**
 * The records `rows` of a batch, in that order, as a batch of their own (a copy): what
 * `concatBatches(rows.map((r) => sliceBatch(b, r, r + 1)))` gives, without a batch per record (a
 * few thousand explained links are picked out of a plan of millions).
 * @throws RangeError for a row outside the batch
 * @example
 * ```ts
 * const some = gatherBatch(batch, [7, 2, 40]); // records 7, 2 and 40, in that order
 * ```
 */
export function gatherBatch(b: EncodedBatch, rows: readonly number[]): EncodedBatch {
  const n = b.length;
  const m = rows.length;
  const at32 = Uint32Array.from(rows);
  for (let j = 0; j < m; j++)
    if (!(rows[j] === at32[j] && (at32[j] ?? 0) < n)) throw new RangeError('row outside the batch');
  // One function per element type (each stays monomorphic); a row of a few elements copied by hand,
  // a wider one (a Bloom filter, a hash set) with one `set`.
  const pick8 = (a: Uint8Array): Uint8Array => {
    const w = n === 0 ? 0 : a.length / n;
    const out = new Uint8Array(m * w);
    for (let j = 0; j < m; j++) {
      const r = at32[j] ?? 0;
      if (w <= 4) for (let q = 0; q < w; q++) out[j * w + q] = a[r * w + q] ?? 0;
      else out.set(a.subarray(r * w, r * w + w), j * w);
    }
    return out;
  };
  const pick32 = (a: Uint32Array): Uint32Array => {
    const w = n === 0 ? 0 : a.length / n;
    const out = new Uint32Array(m * w);
    for (let j = 0; j < m; j++) {
      const r = at32[j] ?? 0;
      if (w <= 4) for (let q = 0; q < w; q++) out[j * w + q] = a[r * w + q] ?? 0;
      else out.set(a.subarray(r * w, r * w + w), j * w);
    }
    return out;
  };
  const blocks = mapValues(b.blocks, (c): BlockColumn => {
    const { offsets: from, keys: all } = c;
    const offsets = new Uint32Array(m + 1);
    let total = 0;
    for (let j = 0; j < m; j++) {
      const r = at32[j] ?? 0;
      total += (from[r + 1] ?? 0) - (from[r] ?? 0);
      offsets[j + 1] = total;
    }
    const keys = new Uint32Array(total);
    for (let j = 0, o = 0; j < m; j++) {
      const r = at32[j] ?? 0;
      for (let q = from[r] ?? 0, end = from[r + 1] ?? 0; q < end; q++) keys[o++] = all[q] ?? 0;
    }
    return { offsets, keys };
  });
  return {
    length: m,
    ids: rows.map((r) => at(b.ids, r)),
    nameDq: pick8(b.nameDq),
    dobDq: pick8(b.dobDq),
    ssnDq: pick8(b.ssnDq),
    // A released column (the whole-file match's plan, once its row store holds it) is read back.
    blooms: mapValues(b.blooms, (a) => (gatherReleased(a, at32) as Uint8Array | undefined) ?? pick8(a)),
    hashes: mapValues(b.hashes, (a) => (gatherReleased(a, at32) as Uint32Array | undefined) ?? pick32(a)),
    sets: mapValues(b.sets, (a) => (gatherReleased(a, at32) as Uint32Array | undefined) ?? pick32(a)),
    blocks,
  };
}
