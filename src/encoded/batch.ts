/**
 * The in-memory, columnar form of encoded records — what encoders produce, files store and the
 * matcher reads. Key-free: holding a batch reveals no key and no clear text.
 */
import type { DataQuality } from '../records.js';
import { at, defined } from '../util/defined.js';
import type { LinkageSchema } from './schema.js';

/** Which side produced an encoded file. */
export type Party = 'coc' | 'mcp';

/** Blocking keys of one pass in compressed-row form: keys of record i are `keys[offsets[i]..offsets[i+1])`. */
export interface BlockColumn {
  readonly offsets: Uint32Array;
  readonly keys: Uint32Array;
}

/** A batch of encoded records, column by column. `0` marks a missing hash. */
export interface EncodedBatch {
  readonly length: number;
  readonly ids: readonly string[];
  readonly nameDq: Uint8Array;
  readonly dobDq: Uint8Array;
  readonly ssnDq: Uint8Array;
  /** Per Bloom feature: `length × bytes` bytes; an all-zero filter means missing. */
  readonly blooms: Readonly<Record<string, Uint8Array>>;
  /** Per hash feature: one keyed 32-bit hash per record, 0 when missing. */
  readonly hashes: Readonly<Record<string, Uint32Array>>;
  /** Per hash-set feature: `length × max` hashes, unused slots 0. */
  readonly sets: Readonly<Record<string, Uint32Array>>;
  /** Per blocking pass. */
  readonly blocks: Readonly<Record<string, BlockColumn>>;
}

/**
 * The encoded-file format version this library writes and reads (2: with CRC-32C checksums).
 * @example
 * ```ts
 * meta.formatVersion === ENCODED_FORMAT_VERSION;
 * ```
 */
export const ENCODED_FORMAT_VERSION = 2;

/** File-level facts stored with every encoded file. */
export interface EncodedMeta {
  readonly format: 'bloomlink-encoded';
  readonly formatVersion: typeof ENCODED_FORMAT_VERSION;
  readonly libraryVersion: string;
  readonly party: Party;
  readonly schema: LinkageSchema;
  readonly schemaFingerprint: string;
  readonly keyCheck: string;
}

/**
 * Rows of the clear-text list an encoded file came from: read, and rejected by validation. Counts
 * only (no key, no value); stored in the file's end record, since they are known only once every
 * row was read. Files written without them still read (the counts are then absent).
 * @example
 * ```ts
 * const { rows } = await readEncoded(bytes, 'coc.arrow'); // { rowsRead: 1000, rejected: 12 } or undefined
 * ```
 */
export interface EncodedRowCounts {
  readonly rowsRead: number;
  readonly rejected: number;
}

/**
 * Options of the encoded-file writers.
 * @example
 * ```ts
 * const run = await encodeList(bytes, key);
 * const opts: WriteEncodedOptions = { rows: () => run.reader.summary }; // { rowsRead, rejected, … }
 * ```
 */
export interface WriteEncodedOptions {
  /** The list's row counts, asked for once every batch was written (a read summary fits). */
  readonly rows?: () => EncodedRowCounts | undefined;
}

/**
 * What an encoded file's end record holds besides its checks; filled in when the batches end.
 * @example
 * ```ts
 * const { batches, trailer } = await openEncoded(bytes, 'coc.arrow');
 * for await (const b of batches) use(b);
 * trailer.rows; // known now
 * ```
 */
export interface EncodedTrailer {
  rows?: EncodedRowCounts;
  /**
   * The whole list's CRC-32C (hex), as its end record states and the reading checked, once the
   * batches have ended: two readings of one file agree on it.
   */
  crc32c?: string;
}

/**
 * Bytes per record of a Bloom feature after hardening (balance doubles, each fold halves).
 * @example
 * ```ts
 * bloomBytes(DEFAULT_SCHEMA, 256); // 32
 * ```
 */
export function bloomBytes(schema: LinkageSchema, bits: number): number {
  let b = bits;
  if (schema.hardening.balance) b *= 2;
  b >>= schema.hardening.xorFolds;
  return b / 8;
}

/**
 * Appends records column by column; `finish()` returns an {@link EncodedBatch}.
 * @example
 * ```ts
 * const encoder = new RecordEncoder(key, { party: 'coc' });
 * const b = new BatchBuilder(DEFAULT_SCHEMA);
 * encoder.encodeInto({ id: 'C1', firstName: 'Ann', lastName: 'Lee', nameDataQuality: 1, dobDataQuality: 99, ssnDataQuality: 99 }, b);
 * const batch = b.finish();
 * encoder.dispose();
 * ```
 */
export class BatchBuilder {
  readonly ids: string[] = [];
  private readonly dq: [number[], number[], number[]] = [[], [], []];
  private readonly blooms: Record<string, Uint8Array[]> = {};
  private readonly hashes: Record<string, number[]> = {};
  private readonly sets: Record<string, number[]> = {};
  private readonly blocks: Record<string, { offsets: number[]; keys: number[] }> = {};
  private readonly bloomSize: Record<string, number> = {};
  private readonly setMax: Record<string, number> = {};

  constructor(schema: LinkageSchema) {
    for (const f of schema.features) {
      if (f.kind === 'bloom') {
        this.blooms[f.name] = [];
        this.bloomSize[f.name] = bloomBytes(schema, f.bits);
      } else if (f.kind === 'hash') this.hashes[f.name] = [];
      else {
        this.sets[f.name] = [];
        this.setMax[f.name] = f.max;
      }
    }
    for (const p of schema.blocking) this.blocks[p.name] = { offsets: [0], keys: [] };
  }

  get length(): number {
    return this.ids.length;
  }

  /** Starts a record; then call the setters for each feature exactly once. */
  start(id: string, nameDq: DataQuality, dobDq: DataQuality, ssnDq: DataQuality): void {
    this.ids.push(id);
    this.dq[0].push(nameDq);
    this.dq[1].push(dobDq);
    this.dq[2].push(ssnDq);
  }
  bloom(name: string, bytes: Uint8Array | undefined): void {
    const rows = defined(this.blooms[name], `bloom feature ${name}`);
    rows.push(bytes ?? new Uint8Array(defined(this.bloomSize[name], `size of bloom feature ${name}`)));
  }
  hash(name: string, h: number): void {
    defined(this.hashes[name], `hash feature ${name}`).push(h);
  }
  set(name: string, hs: ArrayLike<number>): void {
    const arr = defined(this.sets[name], `hash-set feature ${name}`);
    const max = defined(this.setMax[name], `size of hash-set feature ${name}`);
    for (let i = 0; i < max; i++) arr.push(hs[i] ?? 0);
  }
  block(name: string, keys: ArrayLike<number>): void {
    const col = defined(this.blocks[name], `blocking pass ${name}`);
    for (let i = 0; i < keys.length; i++) col.keys.push(at(keys, i));
    col.offsets.push(col.keys.length);
  }

  /** Builds the columnar batch. */
  finish(): EncodedBatch {
    const blooms: Record<string, Uint8Array> = {};
    for (const [name, rows] of Object.entries(this.blooms)) {
      const size = defined(this.bloomSize[name], `size of bloom feature ${name}`);
      const out = new Uint8Array(rows.length * size);
      rows.forEach((r, i) => {
        out.set(r, i * size);
      });
      blooms[name] = out;
    }
    const mapU32 = (o: Record<string, number[]>) =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Uint32Array.from(v)]));
    return {
      length: this.ids.length,
      ids: this.ids,
      nameDq: Uint8Array.from(this.dq[0]),
      dobDq: Uint8Array.from(this.dq[1]),
      ssnDq: Uint8Array.from(this.dq[2]),
      blooms,
      hashes: mapU32(this.hashes),
      sets: mapU32(this.sets),
      blocks: Object.fromEntries(
        Object.entries(this.blocks).map(([k, v]) => [
          k,
          { offsets: Uint32Array.from(v.offsets), keys: Uint32Array.from(v.keys) },
        ]),
      ),
    };
  }
}
