/**
 * The typed columns of a batch of known size, filled row by row: what `BatchBuilder` produces,
 * written in place (missing filters and set slots stay zero).
 */
import { at } from '../util/defined.js';
import { bloomBytes, type EncodedBatch } from './batch.js';
import type { LinkageSchema } from './schema.js';

const NONE8 = new Uint8Array(0);
const NONE32 = new Uint32Array(0);

/**
 * Columns of `n` records under a schema.
 * @example
 * ```ts
 * const w = new ColumnWriter(DEFAULT_SCHEMA, persons.length);
 * w.hashCols[2]![row] = hash; // feature 2 is a hash
 * const batch = w.finish();
 * ```
 */
export class ColumnWriter {
  readonly ids: string[];
  readonly nameDq: Uint8Array;
  readonly dobDq: Uint8Array;
  readonly ssnDq: Uint8Array;
  /** Per feature index: a Bloom feature's column (n × bytes); empty for other kinds. */
  readonly bloomCols: Uint8Array[];
  /**
   * Per feature index: a Bloom feature's column as 32-bit words when its filters are a whole number
   * of words (the same memory, for word copies); empty otherwise.
   */
  readonly bloomWords: Uint32Array[];
  /** Per feature index: a hash (n) or hash-set (n × max) feature's column; empty for Bloom features. */
  readonly hashCols: Uint32Array[];
  private readonly offsets: Uint32Array[];
  private readonly keys: Uint32Array[];
  private readonly used: Int32Array;

  constructor(
    private readonly schema: LinkageSchema,
    private readonly n: number,
  ) {
    // Filled at once, so the array holds strings (object elements) before the encoder's `copyRow`
    // writes the first ID: left to that first write, the first batch's array changed map there and
    // later ones (pre-transitioned by V8's allocation site) came with the other map, and `copyRow`'s
    // optimised code was thrown away (docs/scaling.md, round fifteen).
    this.ids = new Array<string>(n).fill('');
    this.nameDq = new Uint8Array(n);
    this.dobDq = new Uint8Array(n);
    this.ssnDq = new Uint8Array(n);
    // Two arrays of one element type each, not one of both: the hot loop's reads stay monomorphic.
    this.bloomCols = schema.features.map((f) =>
      f.kind === 'bloom' ? new Uint8Array(n * bloomBytes(schema, f.bits)) : NONE8,
    );
    this.bloomWords = this.bloomCols.map((c) =>
      c.length > 0 && c.length % 4 === 0 ? new Uint32Array(c.buffer, c.byteOffset, c.length >>> 2) : NONE32,
    );
    this.hashCols = schema.features.map((f) =>
      f.kind === 'bloom' ? NONE32 : new Uint32Array(n * (f.kind === 'hash' ? 1 : f.max)),
    );
    this.offsets = schema.blocking.map(() => new Uint32Array(n + 1));
    this.keys = schema.blocking.map(() => new Uint32Array(Math.max(16, 2 * n)));
    this.used = new Int32Array(schema.blocking.length);
  }

  /**
   * Appends the first `n` of `keys` as the keys of pass k for row `row`, the row after the last
   * one written (rows are written in order, every pass of each; the caller counts them, not this).
   */
  block(k: number, row: number, keys: Uint32Array, n: number): void {
    let used = this.used[k] ?? 0;
    const col = this.room(k, used, n);
    for (let i = 0; i < n; i++) col[used++] = keys[i] ?? 0;
    this.endRow(k, row, used);
  }

  /** {@link ColumnWriter.block} of one key: the keys of pass k for row `row` are `[key]`. */
  blockOne(k: number, row: number, key: number): void {
    const used = this.used[k] ?? 0;
    this.room(k, used, 1)[used] = key;
    this.endRow(k, row, used + 1);
  }

  /** Pass k's key column with room for `n` keys after its first `used` (grown when it has not). */
  private room(k: number, used: number, n: number): Uint32Array {
    // Checked here rather than with at(): this runs per record and pass.
    const col = this.keys[k];
    if (col === undefined || this.offsets[k] === undefined) throw new RangeError(`no blocking pass ${k}`);
    if (used + n <= col.length) return col;
    const grown = new Uint32Array(Math.max(2 * col.length, used + n));
    grown.set(col.subarray(0, used));
    this.keys[k] = grown;
    return grown;
  }

  /** Ends pass k's row `row` with its keys ending at `used`. */
  private endRow(k: number, row: number, used: number): void {
    this.used[k] = used;
    (this.offsets[k] as Uint32Array)[row + 1] = used;
  }

  /** The batch (the columns, not copies). */
  finish(): EncodedBatch {
    const blooms: Record<string, Uint8Array> = {};
    const hashes: Record<string, Uint32Array> = {};
    const sets: Record<string, Uint32Array> = {};
    this.schema.features.forEach((f, i) => {
      if (f.kind === 'bloom') blooms[f.name] = at(this.bloomCols, i);
      else if (f.kind === 'hash') hashes[f.name] = at(this.hashCols, i);
      else sets[f.name] = at(this.hashCols, i);
    });
    const blocks = Object.fromEntries(
      this.schema.blocking.map((p, k) => [
        p.name,
        { offsets: at(this.offsets, k), keys: at(this.keys, k).slice(0, at(this.used, k)) },
      ]),
    );
    return {
      length: this.n,
      ids: this.ids,
      nameDq: this.nameDq,
      dobDq: this.dobDq,
      ssnDq: this.ssnDq,
      blooms,
      hashes,
      sets,
      blocks,
    };
  }
}
