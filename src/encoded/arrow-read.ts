/**
 * Our own reader of the Arrow IPC messages an encoded file holds, without apache-arrow: the schema
 * message (its fields' names and types, its key-value metadata) and record batches (row count,
 * field nodes, buffers, the message's key-value metadata), columns taken straight from the body.
 *
 * Why: `match` on a small job spent about a fifth of its start-up compiling apache-arrow's 475 KB
 * chunk and running its generic decoders (docs/scaling.md, "Small jobs"), for files whose layout is
 * ours and fixed. Every message reaching here has already passed `checkedArrowStream`'s
 * bounds-checked walk (`src/util/arrow-framing.ts`: each table, vector and string inside the
 * metadata, each buffer inside the body), so this reads the same fields without re-checking them;
 * a buffer too short for its column is still refused here.
 */

/** Arrow `Type` union tags of the column types encoded files use. */
export const ARROW_INT = 2;
/** `Utf8`. */
export const ARROW_UTF8 = 5;
/** `List`. */
export const ARROW_LIST = 12;
/** `FixedSizeBinary`. */
export const ARROW_FIXED_SIZE_BINARY = 15;

/** One schema field as far as encoded files need it. */
export interface ArrowField {
  readonly name: string;
  /** `Type` union tag. */
  readonly type: number;
  /** Int: bits; FixedSizeBinary: bytes a value; else 0. */
  readonly width: number;
  /** Int: whether signed. */
  readonly signed: boolean;
  readonly children: readonly ArrowField[];
}

/** One IPC message: its header type, metadata, and (record batch) row count, nodes, buffers, body. */
export interface ArrowMessage {
  /** `MessageHeader` tag: 1 schema, 2 dictionary batch, 3 record batch; 0 the end-of-stream marker. */
  readonly headerType: number;
  /** The message's `custom_metadata` (a record batch's metadata lives here). */
  readonly metadata: ReadonlyMap<string, string>;
  /** Schema: its fields and `custom_metadata`. */
  readonly fields?: readonly ArrowField[];
  readonly schemaMetadata?: ReadonlyMap<string, string>;
  /** Record batch: rows, `[length, nullCount]` per node, `[offset, length]` per buffer, the body. */
  readonly length?: number;
  readonly nodes?: Float64Array;
  readonly buffers?: Float64Array;
  readonly body?: Uint8Array;
}

const utf8 = new TextDecoder();

/** A flatbuffer reader over bytes already bounds-checked by the framing walk. */
class Fb {
  private readonly v: DataView;
  constructor(private readonly b: Uint8Array) {
    this.v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  root(): number {
    return this.v.getUint32(0, true);
  }
  /** Position of field `i` of the table at `t`, or -1 when absent. */
  field(t: number, i: number): number {
    const vt = t - this.v.getInt32(t, true);
    const slot = 4 + 2 * i;
    if (slot + 2 > this.v.getUint16(vt, true)) return -1;
    const off = this.v.getUint16(vt + slot, true);
    return off === 0 ? -1 : t + off;
  }
  deref(at: number): number {
    return at + this.v.getUint32(at, true);
  }
  u8(t: number, i: number): number {
    const at = this.field(t, i);
    return at < 0 ? 0 : this.v.getUint8(at);
  }
  i32(t: number, i: number): number {
    const at = this.field(t, i);
    return at < 0 ? 0 : this.v.getInt32(at, true);
  }
  i64(at: number): number {
    return Number(this.v.getBigInt64(at, true));
  }
  str(t: number, i: number): string {
    const at = this.field(t, i);
    if (at < 0) return '';
    const s = this.deref(at);
    return utf8.decode(this.b.subarray(s + 4, s + 4 + this.v.getUint32(s, true)));
  }
  /** Start and length of the vector in field `i` (length 0 when absent). */
  vec(t: number, i: number): [start: number, length: number] {
    const at = this.field(t, i);
    if (at < 0) return [0, 0];
    const v = this.deref(at);
    return [v + 4, this.v.getUint32(v, true)];
  }
  /** The tables of the vector of tables in field `i`. */
  tables(t: number, i: number): number[] {
    const [start, n] = this.vec(t, i);
    return Array.from({ length: n }, (_, k) => this.deref(start + 4 * k));
  }
  keyValues(t: number, i: number): Map<string, string> {
    return new Map(this.tables(t, i).map((kv) => [this.str(kv, 0), this.str(kv, 1)]));
  }
  /** `n` structs of two int64 each, from field `i`. */
  pairs(t: number, i: number): Float64Array {
    const [start, n] = this.vec(t, i);
    const out = new Float64Array(2 * n);
    for (let k = 0; k < 2 * n; k++) out[k] = this.i64(start + 8 * k);
    return out;
  }
}

function arrowField(f: Fb, t: number): ArrowField {
  const type = f.u8(t, 2);
  const typeAt = f.field(t, 3);
  const tt = typeAt < 0 ? -1 : f.deref(typeAt);
  const width = tt < 0 ? 0 : type === ARROW_INT || type === ARROW_FIXED_SIZE_BINARY ? f.i32(tt, 0) : 0;
  const signed = tt >= 0 && type === ARROW_INT && f.u8(tt, 1) !== 0;
  return { name: f.str(t, 0), type, width, signed, children: f.tables(t, 5).map((c) => arrowField(f, c)) };
}

/**
 * Decodes one message as `checkedArrowStream` yields it (continuation marker, metadata length,
 * flatbuffer metadata, body). Throws (a plain error) on anything it cannot read.
 * @example
 * ```ts
 * for await (const bytes of checkedArrowStream(source, 'coc.arrow')) {
 *   const m = arrowMessage(bytes);
 *   if (m.headerType === 3) console.log(m.length);
 * }
 * ```
 */
export function arrowMessage(bytes: Uint8Array): ArrowMessage {
  const metaLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (metaLength === 0) return { headerType: 0, metadata: new Map() };
  const f = new Fb(bytes.subarray(8, 8 + metaLength));
  const m = f.root();
  const headerType = f.u8(m, 1);
  const headerAt = f.field(m, 2);
  if (headerAt < 0) throw new Error('message without a header');
  const h = f.deref(headerAt);
  const metadata = f.keyValues(m, 4);
  if (headerType === 1)
    return {
      headerType,
      metadata,
      fields: f.tables(h, 1).map((t) => arrowField(f, t)),
      schemaMetadata: f.keyValues(h, 2),
    };
  if (headerType !== 3) return { headerType, metadata };
  if (f.field(h, 3) >= 0) throw new Error('compressed record batch');
  const lengthAt = f.field(h, 0);
  return {
    headerType,
    metadata,
    length: lengthAt < 0 ? 0 : f.i64(lengthAt),
    nodes: f.pairs(h, 1),
    buffers: f.pairs(h, 2),
    body: bytes.subarray(8 + metaLength),
  };
}

/**
 * Walks a record batch's nodes and buffers in schema order (depth first, as Arrow lays them out):
 * `next()` gives the next node's `[length, nullCount]`, `buffer()` the next buffer's bytes (a view
 * of the body).
 * @example
 * ```ts
 * const cols = new BatchCursor(message);
 * const [rows] = cols.node();
 * cols.buffer(); // validity
 * const values = cols.buffer();
 * ```
 */
export class BatchCursor {
  private n = 0;
  private b = 0;
  private readonly nodes: Float64Array;
  private readonly buffers: Float64Array;
  private readonly body: Uint8Array;
  constructor(m: ArrowMessage) {
    this.nodes = m.nodes ?? new Float64Array(0);
    this.buffers = m.buffers ?? new Float64Array(0);
    this.body = m.body ?? new Uint8Array(0);
  }
  node(): [length: number, nullCount: number] {
    if (2 * this.n + 1 >= this.nodes.length) throw new Error('too few field nodes');
    const k = 2 * this.n++;
    return [this.nodes[k] as number, this.nodes[k + 1] as number];
  }
  buffer(): Uint8Array {
    if (2 * this.b + 1 >= this.buffers.length) throw new Error('too few buffers');
    const k = 2 * this.b++;
    const offset = this.buffers[k] as number;
    return this.body.subarray(offset, offset + (this.buffers[k + 1] as number));
  }
  /** Whether every node and buffer was taken. */
  get done(): boolean {
    return 2 * this.n === this.nodes.length && 2 * this.b === this.buffers.length;
  }
}
