/**
 * Our own writer of the Arrow IPC stream an encoded file is, without apache-arrow: the same bytes
 * apache-arrow 21's `RecordBatchStreamWriter` writes for the encoded-file layout (a schema message,
 * record batch messages with their bodies, the end-of-stream marker), for the column types encoded
 * files use (Utf8, unsigned Int, FixedSizeBinary, List of Uint32; no nulls).
 *
 * Why: `encode` on a small job compiled apache-arrow's 475 KB chunk and ran its generic assemblers
 * only to write a fixed layout (docs/scaling.md, "Small jobs", round five). The metadata is built as
 * the flatbuffers library builds it (back to front, the same alignment and padding, the same table
 * field order and shared vtables), so the files are byte-identical; `test/encoded/arrow-write.test.ts`
 * compares this writer's output with apache-arrow's on generated batches.
 */
import { ARROW_FIXED_SIZE_BINARY, ARROW_INT, ARROW_LIST, type ARROW_UTF8 } from './arrow-read.js';
import { bytesOf } from './checksum.js';

/**
 * A column type of the encoded-file layout.
 * @example
 * ```ts
 * const bloom: ArrowColumnType = { type: ARROW_FIXED_SIZE_BINARY, bytes: 128 };
 * ```
 */
export type ArrowColumnType =
  | { readonly type: typeof ARROW_UTF8 }
  | { readonly type: typeof ARROW_INT; readonly bits: 8 | 32 }
  | { readonly type: typeof ARROW_FIXED_SIZE_BINARY; readonly bytes: number }
  | { readonly type: typeof ARROW_LIST };

/**
 * A field of the schema: name and type (a List's child is a non-nullable Uint32 named `key`).
 * @example
 * ```ts
 * const field: ArrowFieldSpec = { name: 'id', column: { type: ARROW_UTF8 } };
 * ```
 */
export interface ArrowFieldSpec {
  readonly name: string;
  readonly column: ArrowColumnType;
}

/**
 * One column's values, in the layout's order.
 * @example
 * ```ts
 * const dq: ArrowColumnData = { kind: 'flat', values: Uint8Array.of(1, 2, 9), width: 1 };
 * ```
 */
export type ArrowColumnData =
  | { readonly kind: 'utf8'; readonly offsets: Int32Array; readonly bytes: Uint8Array }
  | { readonly kind: 'flat'; readonly values: Uint8Array | Uint32Array; readonly width: number }
  | { readonly kind: 'list'; readonly offsets: ArrayLike<number>; readonly keys: Uint32Array }
  /** A fixed-width column's bytes as parts written in sequence (exactly its `length` rows). */
  | { readonly kind: 'parts'; readonly parts: readonly Uint8Array[] }
  /** A list column with offsets from 0 (`length + 1`) and its keys' bytes as parts in sequence. */
  | { readonly kind: 'listParts'; readonly offsets: Int32Array; readonly keys: readonly Uint8Array[] };

const MESSAGE_SCHEMA = 1;
const MESSAGE_RECORD_BATCH = 3;
const METADATA_V5 = 4;

/**
 * The subset of the flatbuffers `Builder` (flatbuffers 25.9, JavaScript, as apache-arrow 21 installs it) that Arrow's message encoders
 * use, step for step: the same `prep` alignment, `pad`, vtable trimming and de-duplication, so the
 * same bytes.
 */
class FbBuilder {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  private space = 1024;
  private minalign = 1;
  private vtable: number[] = [];
  private vtableInUse = 0;
  private objectStart = 0;
  private readonly vtables: number[] = [];
  private vectorNumElems = 0;
  private static readonly encoder = new TextEncoder();

  private capacity(): number {
    return this.buf.length;
  }

  offset(): number {
    return this.capacity() - this.space;
  }

  private grow(): void {
    const old = this.buf;
    const size = old.length * 2;
    const next = new Uint8Array(size);
    next.set(old, size - old.length);
    this.space += size - old.length;
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  prep(size: number, additional: number): void {
    if (size > this.minalign) this.minalign = size;
    const alignSize = (~(this.capacity() - this.space + additional) + 1) & (size - 1);
    while (this.space < alignSize + size + additional) this.grow();
    for (let i = 0; i < alignSize; i++) this.buf[--this.space] = 0;
  }

  private writeInt8(v: number): void {
    this.view.setInt8(--this.space, v);
  }
  private writeInt16(v: number): void {
    this.space -= 2;
    this.view.setInt16(this.space, v, true);
  }
  private writeInt32(v: number): void {
    this.space -= 4;
    this.view.setInt32(this.space, v, true);
  }
  /** A non-negative integer below 2⁵³ as a little-endian 64-bit word. */
  writeInt64(v: number): void {
    this.space -= 8;
    this.view.setUint32(this.space, v % 0x100000000, true);
    this.view.setUint32(this.space + 4, Math.floor(v / 0x100000000), true);
  }

  private addInt8(v: number): void {
    this.prep(1, 0);
    this.writeInt8(v);
  }
  private addInt16(v: number): void {
    this.prep(2, 0);
    this.writeInt16(v);
  }
  addInt32(v: number): void {
    this.prep(4, 0);
    this.writeInt32(v);
  }
  private addInt64(v: number): void {
    this.prep(8, 0);
    this.writeInt64(v);
  }

  private slot(voffset: number): void {
    this.vtable[voffset] = this.offset();
  }
  addFieldInt8(voffset: number, v: number, dflt: number): void {
    if (v !== dflt) {
      this.addInt8(v);
      this.slot(voffset);
    }
  }
  addFieldInt16(voffset: number, v: number, dflt: number): void {
    if (v !== dflt) {
      this.addInt16(v);
      this.slot(voffset);
    }
  }
  addFieldInt32(voffset: number, v: number, dflt: number): void {
    if (v !== dflt) {
      this.addInt32(v);
      this.slot(voffset);
    }
  }
  addFieldInt64(voffset: number, v: number): void {
    if (v !== 0) {
      this.addInt64(v);
      this.slot(voffset);
    }
  }
  addFieldOffset(voffset: number, v: number): void {
    if (v !== 0) {
      this.addOffset(v);
      this.slot(voffset);
    }
  }
  addOffset(offset: number): void {
    this.prep(4, 0);
    this.writeInt32(this.offset() - offset + 4);
  }

  startObject(numFields: number): void {
    this.vtableInUse = numFields;
    for (let i = 0; i < numFields; i++) this.vtable[i] = 0;
    this.objectStart = this.offset();
  }

  endObject(): number {
    this.addInt32(0);
    const vtableloc = this.offset();
    let i = this.vtableInUse - 1;
    while (i >= 0 && this.vtable[i] === 0) i--;
    const trimmed = i + 1;
    for (; i >= 0; i--) this.addInt16(this.vtable[i] !== 0 ? vtableloc - (this.vtable[i] as number) : 0);
    this.addInt16(vtableloc - this.objectStart);
    const len = (trimmed + 2) * 2;
    this.addInt16(len);
    let existing = 0;
    const vt1 = this.space;
    outer: for (const vt of this.vtables) {
      const vt2 = this.capacity() - vt;
      if (len === this.view.getInt16(vt2, true)) {
        for (let j = 2; j < len; j += 2)
          if (this.view.getInt16(vt1 + j, true) !== this.view.getInt16(vt2 + j, true)) continue outer;
        existing = vt;
        break;
      }
    }
    if (existing) {
      this.space = this.capacity() - vtableloc;
      this.view.setInt32(this.space, existing - vtableloc, true);
    } else {
      this.vtables.push(this.offset());
      this.view.setInt32(this.capacity() - vtableloc, this.offset() - vtableloc, true);
    }
    return vtableloc;
  }

  startVector(elemSize: number, numElems: number, alignment: number): void {
    this.vectorNumElems = numElems;
    this.prep(4, elemSize * numElems);
    this.prep(alignment, elemSize * numElems);
  }
  endVector(): number {
    this.writeInt32(this.vectorNumElems);
    return this.offset();
  }
  /** A vector of table offsets (Arrow's `create…Vector`). */
  offsetVector(offsets: readonly number[]): number {
    this.startVector(4, offsets.length, 4);
    for (let i = offsets.length - 1; i >= 0; i--) this.addOffset(offsets[i] as number);
    return this.endVector();
  }

  createString(s: string): number {
    const utf8 = FbBuilder.encoder.encode(s);
    this.addInt8(0);
    this.startVector(1, utf8.length, 1);
    this.space -= utf8.length;
    this.buf.set(utf8, this.space);
    return this.endVector();
  }

  /** Finishes with `root` as the root table; the finished bytes (a view). */
  finish(root: number): Uint8Array {
    this.prep(this.minalign, 4);
    this.addOffset(root);
    return this.buf.subarray(this.space);
  }
}

/** Key-value pairs as Arrow's encoders write `custom_metadata` (each pair's strings, then its table). */
function keyValues(b: FbBuilder, map: ReadonlyMap<string, string>): number {
  const offsets = [...map].map(([k, v]) => {
    const key = b.createString(k);
    const val = b.createString(v);
    b.startObject(2);
    b.addFieldOffset(0, key);
    b.addFieldOffset(1, val);
    return b.endObject();
  });
  return b.offsetVector(offsets);
}

/** Arrow's `encodeField` for one field (`nullable` false), its type table first. */
function encodeField(b: FbBuilder, name: string, column: ArrowColumnType | { type: 'key' }): number {
  let typeId: number;
  let typeOffset: number;
  let children: number[] = [];
  if (column.type === 'key' || column.type === ARROW_INT) {
    typeId = ARROW_INT;
    b.startObject(2);
    b.addFieldInt32(0, column.type === 'key' ? 32 : column.bits, 0);
    typeOffset = b.endObject(); // isSigned false: the default, not written
  } else if (column.type === ARROW_FIXED_SIZE_BINARY) {
    typeId = ARROW_FIXED_SIZE_BINARY;
    b.startObject(1);
    b.addFieldInt32(0, column.bytes, 0);
    typeOffset = b.endObject();
  } else {
    typeId = column.type;
    b.startObject(0);
    typeOffset = b.endObject();
    if (column.type === ARROW_LIST) children = [encodeField(b, 'key', { type: 'key' })];
  }
  const childrenVector = b.offsetVector(children);
  const nameOffset = name ? b.createString(name) : 0;
  b.startObject(7);
  b.addFieldOffset(3, typeOffset);
  b.addFieldInt8(2, typeId, 0);
  b.addFieldOffset(5, childrenVector);
  // nullable false: the default, not written
  b.addFieldOffset(0, nameOffset);
  return b.endObject();
}

/** A message's flatbuffer bytes: `header` (built by `build`), its type, body length and metadata. */
function message(
  headerType: number,
  bodyLength: number,
  metadata: ReadonlyMap<string, string> | undefined,
  build: (b: FbBuilder) => number,
): Uint8Array {
  const b = new FbBuilder();
  const header = build(b);
  const meta = metadata && metadata.size > 0 ? keyValues(b, metadata) : 0;
  b.startObject(5);
  b.addFieldInt16(0, METADATA_V5, 0);
  b.addFieldOffset(2, header);
  b.addFieldInt8(1, headerType, 0);
  b.addFieldInt64(3, bodyLength);
  b.addFieldOffset(4, meta);
  return b.finish(b.endObject());
}

/** A message framed as the stream writer frames it: continuation, length, flatbuffer, padding to 8. */
function framed(fb: Uint8Array): Uint8Array {
  const aligned = (fb.length + 8 + 7) & ~7;
  const out = new Uint8Array(aligned);
  const v = new DataView(out.buffer);
  v.setInt32(0, -1, true);
  v.setInt32(4, aligned - 8, true);
  out.set(fb, 8);
  return out;
}

/**
 * The schema message of an encoded file, framed: `fields` in order, `metadata` as the schema's
 * `custom_metadata`.
 * @example
 * ```ts
 * await sink(schemaMessage([{ name: 'id', column: { type: ARROW_UTF8 } }], new Map([['k', 'v']])));
 * ```
 */
export function schemaMessage(
  fields: readonly ArrowFieldSpec[],
  metadata: ReadonlyMap<string, string>,
): Uint8Array {
  return framed(
    message(MESSAGE_SCHEMA, 0, undefined, (b) => {
      const offsets = fields.map((f) => encodeField(b, f.name, f.column));
      b.startVector(4, offsets.length, 4); // Arrow calls startFieldsVector, then createFieldsVector
      const fieldsVector = b.offsetVector(offsets);
      const meta = metadata.size > 0 ? keyValues(b, metadata) : 0;
      b.startObject(4);
      b.addFieldOffset(1, fieldsVector);
      // endianness Little: the default, not written
      b.addFieldOffset(2, meta);
      return b.endObject();
    }),
  );
}

/**
 * The first `length + 1` offsets less the first: a column's offsets as a batch of its own. At module
 * level, not a closure per call: V8 optimised each call's closure anew (docs/scaling.md, "Encoding,
 * round eight").
 */
function rebased(offsets: ArrayLike<number>, length: number): Int32Array {
  const out = new Int32Array(length + 1);
  const begin = offsets[0] as number;
  for (let i = 0; i <= length; i++) out[i] = (offsets[i] as number) - begin;
  return out;
}

/**
 * A record batch of `length` rows, framed, followed by its body: the chunks to write in order (the
 * columns' buffers are views of the given arrays, not copies; a column given as parts is its parts
 * in sequence, then the padding). `columns` in the schema's field order.
 * @example
 * ```ts
 * for (const chunk of recordBatchChunks(n, columns, new Map([['bloomlink.crc32c', crc]]))) await sink(chunk);
 * ```
 */
export function recordBatchChunks(
  length: number,
  columns: readonly ArrowColumnData[],
  metadata: ReadonlyMap<string, string>,
): Uint8Array[] {
  const nodes: number[] = []; // length, nullCount (0) per node
  const regions: number[] = []; // offset, length per buffer
  const body: (readonly Uint8Array[])[] = [];
  let bodyLength = 0;
  const add = (parts: readonly Uint8Array[]) => {
    let n = 0;
    for (const p of parts) n += p.length;
    // `& ~7` and Arrow's Int32 offsets stop at 2³¹: a larger buffer would wrap into a corrupt file.
    if (n > 0x7fff_fff8)
      throw new RangeError(
        'recordBatchChunks: a column buffer reaches 2 GiB; write the records in smaller batches',
      );
    const padded = (n + 7) & ~7;
    regions.push(bodyLength, padded);
    bodyLength += padded;
    body.push(parts);
  };
  const none: readonly Uint8Array[] = [];
  for (const c of columns) {
    nodes.push(length);
    add(none); // validity: no nulls
    if (c.kind === 'flat') add([bytesOf(c.values).subarray(0, length * c.width)]);
    else if (c.kind === 'parts') add(c.parts);
    else if (c.kind === 'utf8') {
      const begin = c.offsets[0] as number;
      const end = c.offsets[length] as number;
      add([bytesOf(begin === 0 ? c.offsets.subarray(0, length + 1) : rebased(c.offsets, length))]);
      add([c.bytes.subarray(begin, begin + Math.min(end - begin, c.bytes.length - begin))]);
    } else if (c.kind === 'listParts') {
      add([bytesOf(c.offsets)]);
      nodes.push(c.offsets[length] as number);
      add(none);
      add(c.keys);
    } else {
      const begin = c.offsets[0] as number;
      const end = c.offsets[length] as number;
      if (end - begin > 0x7fff_ffff)
        throw new RangeError(
          'recordBatchChunks: a list column passes 2³¹ values; write the records in smaller batches',
        );
      add([bytesOf(rebased(c.offsets, length))]);
      nodes.push(end - begin);
      add(none);
      add([bytesOf(c.keys.subarray(begin, end))]);
    }
  }
  const fb = message(MESSAGE_RECORD_BATCH, bodyLength, metadata, (b) => {
    b.startVector(16, nodes.length, 8);
    for (let i = nodes.length - 1; i >= 0; i--) {
      b.prep(8, 16);
      b.writeInt64(0);
      b.writeInt64(nodes[i] as number);
    }
    const nodesVector = b.endVector();
    const nBuffers = regions.length / 2;
    b.startVector(16, nBuffers, 8);
    for (let i = nBuffers - 1; i >= 0; i--) {
      b.prep(8, 16);
      b.writeInt64(regions[2 * i + 1] as number);
      b.writeInt64(regions[2 * i] as number);
    }
    const buffersVector = b.endVector();
    b.startObject(5);
    b.addFieldInt64(0, length);
    b.addFieldOffset(1, nodesVector);
    b.addFieldOffset(2, buffersVector);
    return b.endObject();
  });
  const out = [framed(fb)];
  for (const parts of body) {
    let n = 0;
    for (const bytes of parts) {
      if (bytes.length === 0) continue;
      out.push(bytes);
      n += bytes.length;
    }
    const pad = ((n + 7) & ~7) - n;
    if (pad > 0) out.push(new Uint8Array(pad));
  }
  return out;
}

/**
 * The end-of-stream marker (continuation, zero length).
 * @example
 * ```ts
 * await sink(endOfStream());
 * ```
 */
export function endOfStream(): Uint8Array {
  return new Uint8Array(Int32Array.of(-1, 0).buffer);
}
