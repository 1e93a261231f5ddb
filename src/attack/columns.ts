/**
 * What an attacker reads out of an encoded batch: per-record keys of one feature (to count
 * frequencies) and the distinct Bloom filters of a feature as a bit matrix (to mine bit patterns).
 * Nothing here needs the key — everything comes from the file the attacker holds.
 */
import type { EncodedBatch } from '../encoded/batch.js';
import { popcount32 } from '../kernel/popcount.js';

/** One record's encoded value as a comparable key; `undefined` when the value is missing. */
export type RecordKey = string | number | undefined;

/**
 * The keyed hash of one hash feature per record (0, the missing marker, becomes `undefined`).
 * @example
 * ```ts
 * const keys = hashKeys(batch, 'first');
 * ```
 */
export function hashKeys(batch: EncodedBatch, feature: string): RecordKey[] {
  const col = batch.hashes[feature];
  if (!col) throw new RangeError(`feature '${feature}' is not a hash feature of this batch`);
  return Array.from(col, (h) => (h === 0 ? undefined : h));
}

/**
 * The whole filter of one Bloom feature per record, as a string key (an all-zero filter, the missing
 * marker, becomes `undefined`). Identical values give identical keys unless the encoding is salted.
 * @example
 * ```ts
 * const keys = filterKeys(batch, 'firstBloom');
 * ```
 */
export function filterKeys(batch: EncodedBatch, feature: string): RecordKey[] {
  const bytes = batch.blooms[feature];
  if (!bytes) throw new RangeError(`feature '${feature}' is not a Bloom feature of this batch`);
  const width = batch.length === 0 ? 0 : bytes.length / batch.length;
  const out: RecordKey[] = new Array(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const row = bytes.subarray(i * width, (i + 1) * width);
    out[i] = row.some((b) => b !== 0) ? String.fromCharCode(...row) : undefined;
  }
  return out;
}

/**
 * The blocking key of one pass per record, for records that have exactly one key in that pass (a
 * record with several — a two-part surname — is left out: it is not one value to align).
 * @example
 * ```ts
 * const keys = blockKeys(batch, 'lastSoundexInitial');
 * ```
 */
export function blockKeys(batch: EncodedBatch, pass: string): RecordKey[] {
  const col = batch.blocks[pass];
  if (!col) throw new RangeError(`'${pass}' is not a blocking pass of this batch`);
  const out: RecordKey[] = new Array(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const a = col.offsets[i] ?? 0;
    out[i] = (col.offsets[i + 1] ?? 0) - a === 1 ? col.keys[a] : undefined;
  }
  return out;
}

/**
 * The distinct filters of one Bloom feature: `rows` holds filter r in words `r*words .. r*words+words`
 * (bit i of the filter is bit `i & 31` of word `i >> 5`), `weights[r]` counts the records that have
 * it and `recordRow[i]` is record i's row (−1 when missing).
 */
export interface FilterMatrix {
  readonly bits: number;
  readonly words: number;
  readonly rows: Uint32Array;
  readonly weights: Float64Array;
  readonly recordRow: Int32Array;
}

/**
 * Builds a {@link FilterMatrix} from per-record filter bytes in bloomlink's bit order (bit i is bit
 * 7 − i % 8 of byte i / 8).
 * @example
 * ```ts
 * const m = filterMatrix(batch.blooms.firstBloom!, batch.length);
 * ```
 */
export function filterMatrix(bytes: Uint8Array, records: number): FilterMatrix {
  const width = records === 0 ? 0 : bytes.length / records;
  if (!Number.isInteger(width) || width % 4 !== 0)
    throw new RangeError('filters must be a whole number of 32-bit words');
  const words = width / 4;
  const index = new Map<string, number>();
  const rows: number[] = [];
  const weights: number[] = [];
  const recordRow = new Int32Array(records);
  for (let i = 0; i < records; i++) {
    const row = bytes.subarray(i * width, (i + 1) * width);
    if (!row.some((b) => b !== 0)) {
      recordRow[i] = -1;
      continue;
    }
    const key = String.fromCharCode(...row);
    let r = index.get(key);
    if (r === undefined) {
      r = weights.length;
      index.set(key, r);
      weights.push(0);
      for (let w = 0; w < words; w++) {
        let x = 0;
        for (let b = 0; b < 32; b++) {
          const bit = w * 32 + b;
          if (((row[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1) x |= 1 << b;
        }
        rows.push(x >>> 0);
      }
    }
    weights[r] = (weights[r] ?? 0) + 1;
    recordRow[i] = r;
  }
  return {
    bits: words * 32,
    words,
    rows: Uint32Array.from(rows),
    weights: Float64Array.from(weights),
    recordRow,
  };
}

/**
 * Whether bit `bit` of row `r` is set.
 * @example
 * ```ts
 * hasBit(filterMatrix(bytes, n), 0, 17); // true when the first distinct filter has bit 17
 * ```
 */
export function hasBit(m: FilterMatrix, r: number, bit: number): boolean {
  return (((m.rows[r * m.words + (bit >> 5)] ?? 0) >>> (bit & 31)) & 1) === 1;
}

/**
 * Number of set bits of row `r`.
 * @example
 * ```ts
 * rowPopcount(m, 0); // e.g. 52 for a 256-bit name filter
 * ```
 */
export function rowPopcount(m: FilterMatrix, r: number): number {
  let n = 0;
  for (let w = 0; w < m.words; w++) n += popcount32(m.rows[r * m.words + w] ?? 0);
  return n;
}

/**
 * Builds a matrix with the same distinct rows and record mapping but new row bits (`bits` wide), as
 * computed by `fill(r, out)` into a zeroed word array.
 * @example
 * ```ts
 * const inverted = mapRows(m, m.bits, (r, out) => { ... });
 * ```
 */
export function mapRows(
  m: FilterMatrix,
  bits: number,
  fill: (r: number, out: Uint32Array) => void,
): FilterMatrix {
  const words = Math.ceil(bits / 32);
  const n = m.weights.length;
  const rows = new Uint32Array(n * words);
  for (let r = 0; r < n; r++) fill(r, rows.subarray(r * words, (r + 1) * words));
  return { bits, words, rows, weights: m.weights, recordRow: m.recordRow };
}
