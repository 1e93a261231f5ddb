/**
 * The typed columns of a batch of known size, filled row by row: what `BatchBuilder` produces,
 * written in place (missing filters and set slots stay zero).
 */
import { at } from '../util/defined.js';
import { bloomBytes, type EncodedBatch } from './batch.js';
import type { LinkageSchema } from './schema.js';

const NONE8 = new Uint8Array(0);
const NONE32 = new Uint32Array(0);

/** Blocking keys a pass has room for before its column grows: two a record (at least 16). */
function keyRoom(n: number): number {
  return Math.max(16, 2 * n);
}

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
  private readonly rows: Int32Array;

  constructor(
    private readonly schema: LinkageSchema,
    private readonly n: number,
  ) {
    this.ids = new Array(n);
    // Every fixed-size column is a view of one buffer (32-bit columns first, each section a whole
    // number of words): a worker's batch is then two buffers to send (this one and the blocking
    // keys'), not four dozen — each buffer sent costs both threads an allocation, external
    // memory that the receiver's collector tracks, and a free (docs/scaling.md, "Encoding, round eight").
    const passes = schema.blocking.length;
    const hashWords = schema.features.map((f) =>
      f.kind === 'bloom' ? 0 : n * (f.kind === 'hash' ? 1 : f.max),
    );
    const bloomLengths = schema.features.map((f) =>
      f.kind === 'bloom' ? n * bloomBytes(schema, f.bits) : 0,
    );
    const wordsBefore = hashWords.reduce((a, w) => a + w, 0) + passes * (n + 1);
    const bloomBytesAll = bloomLengths.reduce((a, b) => a + ((b + 3) & ~3), 0);
    const buffer = new ArrayBuffer(4 * wordsBefore + bloomBytesAll + 3 * n);
    let at = 0;
    this.hashCols = hashWords.map((w) => {
      if (w === 0) return NONE32;
      const c = new Uint32Array(buffer, at, w);
      at += 4 * w;
      return c;
    });
    this.offsets = [];
    this.keys = [];
    // The keys are gathered in a scratch buffer of their own (copied out by `finish`), not sent.
    const scratch = new ArrayBuffer(4 * passes * keyRoom(n));
    for (let k = 0; k < passes; k++) {
      this.offsets.push(new Uint32Array(buffer, at, n + 1));
      at += 4 * (n + 1);
      this.keys.push(new Uint32Array(scratch, 4 * k * keyRoom(n), keyRoom(n)));
    }
    // Two arrays of one element type each, not one of both: the hot loop's reads stay monomorphic.
    this.bloomCols = bloomLengths.map((b) => {
      if (b === 0) return NONE8;
      const c = new Uint8Array(buffer, at, b);
      at += (b + 3) & ~3;
      return c;
    });
    this.bloomWords = this.bloomCols.map((c) =>
      c.length > 0 && c.length % 4 === 0 ? new Uint32Array(c.buffer, c.byteOffset, c.length >>> 2) : NONE32,
    );
    this.nameDq = new Uint8Array(buffer, at, n);
    this.dobDq = new Uint8Array(buffer, at + n, n);
    this.ssnDq = new Uint8Array(buffer, at + 2 * n, n);
    this.used = new Int32Array(passes);
    this.rows = new Int32Array(passes);
  }

  /** Appends the first `n` of `keys` as the keys of pass k for its next row. */
  block(k: number, keys: Uint32Array, n: number): void {
    // Checked here rather than with at(): this runs per record and pass.
    let col = this.keys[k];
    const offsets = this.offsets[k];
    if (col === undefined || offsets === undefined) throw new RangeError(`no blocking pass ${k}`);
    let used = this.used[k] ?? 0;
    if (used + n > col.length) {
      const grown = new Uint32Array(Math.max(2 * col.length, used + n));
      grown.set(col.subarray(0, used));
      this.keys[k] = grown;
      col = grown;
    }
    for (let i = 0; i < n; i++) col[used++] = keys[i] ?? 0;
    this.used[k] = used;
    const row = (this.rows[k] ?? 0) + 1;
    this.rows[k] = row;
    offsets[row] = used;
  }

  /** The batch (the columns, not copies). */
  finish(): EncodedBatch {
    const blooms: Record<string, Uint8Array> = {};
    const hashes: Record<string, Uint32Array> = {};
    const sets: Record<string, Uint32Array> = {};
    const features = this.schema.features;
    for (let i = 0; i < features.length; i++) {
      const f = at(features, i);
      if (f.kind === 'bloom') blooms[f.name] = at(this.bloomCols, i);
      else if (f.kind === 'hash') hashes[f.name] = at(this.hashCols, i);
      else sets[f.name] = at(this.hashCols, i);
    }
    // The keys of every pass in one buffer, as the fixed columns are (see the constructor).
    const keys = new Uint32Array(this.used.reduce((a, u) => a + u, 0));
    const blocks: Record<string, { offsets: Uint32Array; keys: Uint32Array }> = {};
    let from = 0;
    for (let k = 0; k < this.schema.blocking.length; k++) {
      const used = at(this.used, k);
      const own = keys.subarray(from, from + used);
      own.set(at(this.keys, k).subarray(0, used));
      from += used;
      blocks[at(this.schema.blocking, k).name] = { offsets: at(this.offsets, k), keys: own };
    }
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
