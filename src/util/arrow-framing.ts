/**
 * Our own bounds-checked walk of Arrow IPC framing, run before any byte reaches apache-arrow.
 *
 * apache-arrow trusts the lengths it reads: bytes inserted into or deleted from a message can turn a
 * vector length or a body length into billions, and its decoder then loops or allocates for minutes
 * before any bloomlink checksum is seen. This walk checks each message first — continuation marker,
 * metadata length (non-negative, 8-byte aligned, within the bytes that remain), the flatbuffer
 * `Message` table (every table, vector and string it holds inside the metadata, `bodyLength`
 * non-negative, 8-byte aligned and within the bytes that remain), the record-batch field nodes and
 * buffers (within the body) — and the file format's magic and footer blocks. Anything else is a coded
 * `BloomlinkError`, never a hang. It reads the flatbuffer by hand (the Arrow `Message.fbs` layout): no
 * dependency, no trust in apache-arrow's generated readers.
 */
import { BloomlinkError } from '../errors.js';

/** Arrow `MessageHeader` union tags. */
const SCHEMA = 1;
const DICTIONARY_BATCH = 2;
const RECORD_BATCH = 3;
/** Arrow `Type` union tag of `Union` (the one type table holding a vector). */
const UNION = 14;
/** Highest `Type` union tag Arrow defines (`LargeListView`). */
const MAX_TYPE = 26;
const CONTINUATION = 0xffffffff;
/** `ARROW1` followed by two padding bytes: the file format's leading magic. */
const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31];

/** One message as the walk found it (offsets in the whole stream). */
export interface ArrowFrame {
  /** Offset of the message's first byte (its continuation marker). */
  readonly offset: number;
  /** `MessageHeader` tag: 1 schema, 2 dictionary batch, 3 record batch. */
  readonly headerType: number;
  /** Bytes of the flatbuffer metadata (padding included). */
  readonly metadataLength: number;
  /** Bytes of the message body. */
  readonly bodyLength: number;
}

/** Thrown inside the walk; turned into `FILE_CORRUPT` naming the offset. */
class Bad extends Error {}

function fail(why: string): never {
  throw new Bad(why);
}

/**
 * A bounds-checked reader of one flatbuffer (the metadata of one message), with a budget on the
 * tables visited so shared sub-tables cannot multiply the work.
 */
class Flat {
  private readonly view: DataView;
  private budget: number;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.budget = Math.max(64, buf.length);
  }
  private need(at: number, size: number, what: string): void {
    if (!Number.isSafeInteger(at) || at < 0 || at + size > this.buf.length) fail(`${what} out of bounds`);
  }
  u8(at: number): number {
    this.need(at, 1, 'byte');
    return this.view.getUint8(at);
  }
  u32(at: number): number {
    this.need(at, 4, 'offset');
    return this.view.getUint32(at, true);
  }
  i64(at: number, what: string): number {
    this.need(at, 8, what);
    const v = this.view.getBigInt64(at, true);
    if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`${what} negative or too large`);
    return Number(v);
  }
  /** The position of the table at `at` after checking its vtable, and the vtable. */
  table(at: number, what: string): { pos: number; vt: number; vtSize: number; size: number } {
    if (--this.budget < 0) fail('too many tables');
    this.need(at, 4, what);
    const vt = at - this.view.getInt32(at, true);
    this.need(vt, 4, `${what} vtable`);
    const vtSize = this.view.getUint16(vt, true);
    const size = this.view.getUint16(vt + 2, true);
    if (vtSize < 4 || vtSize % 2 !== 0 || size < 4) fail(`${what} vtable malformed`);
    this.need(vt, vtSize, `${what} vtable`);
    this.need(at, size, what);
    return { pos: at, vt, vtSize, size };
  }
  /** Where field `i` of a table is, or undefined when absent; its `width` bytes lie in the table. */
  field(
    t: { pos: number; vt: number; vtSize: number; size: number },
    i: number,
    width: number,
  ): number | undefined {
    const slot = 4 + 2 * i;
    if (slot + 2 > t.vtSize) return undefined;
    const off = this.view.getUint16(t.vt + slot, true);
    if (off === 0) return undefined;
    if (off + width > t.size) fail('field outside its table');
    return t.pos + off;
  }
  /** Follows the offset stored at `at`. */
  target(at: number): number {
    return at + this.u32(at);
  }
  /** The element count and first element of the vector referenced at `at`, checked to fit. */
  vector(at: number, elem: number, what: string): { start: number; length: number } {
    const v = this.target(at);
    const length = this.u32(v);
    this.need(v + 4, length * elem, what);
    return { start: v + 4, length };
  }
  string(at: number, what: string): void {
    const { start, length } = this.vector(at, 1, what);
    this.need(start + length, 1, what); // the terminating zero
  }
  /** A sub-table referenced by field `i` of `t` (if present). */
  sub(t: ReturnType<Flat['table']>, i: number, what: string): ReturnType<Flat['table']> | undefined {
    const at = this.field(t, i, 4);
    return at === undefined ? undefined : this.table(this.target(at), what);
  }
  /** Each table of a vector of tables referenced by field `i` of `t`. */
  tables(t: ReturnType<Flat['table']>, i: number, what: string): ReturnType<Flat['table']>[] {
    const at = this.field(t, i, 4);
    if (at === undefined) return [];
    const { start, length } = this.vector(at, 4, what);
    if (length > this.budget) fail(`${what}: too many entries`);
    const out = [];
    for (let k = 0; k < length; k++) out.push(this.table(this.target(start + 4 * k), what));
    return out;
  }
}

/** `custom_metadata`: a vector of KeyValue { key: string, value: string }. */
function keyValues(f: Flat, t: ReturnType<Flat['table']>, i: number): void {
  for (const kv of f.tables(t, i, 'custom metadata')) {
    for (const k of [0, 1]) {
      const at = f.field(kv, k, 4);
      if (at !== undefined) f.string(at, 'custom metadata');
    }
  }
}

/** A schema `Field` and its children, to a bounded depth. */
function field(f: Flat, t: ReturnType<Flat['table']>, depth: number): void {
  if (depth > 64) fail('fields nested too deeply');
  const name = f.field(t, 0, 4);
  if (name !== undefined) f.string(name, 'field name');
  const typeAt = f.field(t, 2, 1);
  const typeType = typeAt === undefined ? 0 : f.u8(typeAt);
  if (typeType < 1 || typeType > MAX_TYPE) fail('unknown column type');
  const type = f.sub(t, 3, 'column type');
  if (typeType === UNION && type) {
    const ids = f.field(type, 1, 4);
    if (ids !== undefined) f.vector(ids, 4, 'union type ids');
  }
  const dict = f.sub(t, 4, 'dictionary encoding');
  if (dict) f.sub(dict, 1, 'dictionary index type');
  for (const c of f.tables(t, 5, 'child fields')) field(f, c, depth + 1);
  keyValues(f, t, 6);
}

function schema(f: Flat, t: ReturnType<Flat['table']>): void {
  for (const c of f.tables(t, 1, 'fields')) field(f, c, 0);
  keyValues(f, t, 2);
  const features = f.field(t, 3, 4);
  if (features !== undefined) f.vector(features, 8, 'schema features');
}

/** A record batch: its row count, field nodes and buffers, every buffer inside the body. */
function recordBatch(f: Flat, t: ReturnType<Flat['table']>, bodyLength: number): void {
  const lengthAt = f.field(t, 0, 8);
  if (lengthAt !== undefined) f.i64(lengthAt, 'record batch length');
  const nodesAt = f.field(t, 1, 4);
  if (nodesAt !== undefined) {
    const nodes = f.vector(nodesAt, 16, 'field nodes');
    for (let k = 0; k < nodes.length; k++) {
      const length = f.i64(nodes.start + 16 * k, 'field node length');
      const nulls = f.i64(nodes.start + 16 * k + 8, 'field node null count');
      if (nulls > length) fail('field node null count above its length');
    }
  }
  const buffersAt = f.field(t, 2, 4);
  if (buffersAt !== undefined) {
    const buffers = f.vector(buffersAt, 16, 'buffers');
    for (let k = 0; k < buffers.length; k++) {
      const offset = f.i64(buffers.start + 16 * k, 'buffer offset');
      const length = f.i64(buffers.start + 16 * k + 8, 'buffer length');
      if (offset % 8 !== 0) fail('buffer offset not 8-byte aligned');
      if (offset + length > bodyLength) fail('buffer outside the message body');
    }
  }
  if (f.sub(t, 3, 'body compression')) fail('compressed record batches are not supported');
  const variadic = f.field(t, 4, 4);
  if (variadic !== undefined) f.vector(variadic, 8, 'variadic buffer counts');
}

/**
 * Checks one message's flatbuffer metadata and returns its header type and body length; the body
 * must fit in `room` bytes.
 */
function message(meta: Uint8Array, room: number): { headerType: number; bodyLength: number } {
  const f = new Flat(meta);
  const m = f.table(f.u32(0), 'message');
  const typeAt = f.field(m, 1, 1);
  const headerType = typeAt === undefined ? 0 : f.u8(typeAt);
  const bodyAt = f.field(m, 3, 8);
  const bodyLength = bodyAt === undefined ? 0 : f.i64(bodyAt, 'body length');
  if (bodyLength % 8 !== 0) fail('body length not a multiple of 8');
  if (bodyLength > room) fail('body longer than the bytes that remain');
  const header = f.sub(m, 2, 'message header');
  if (!header) fail('message without a header');
  if (headerType === SCHEMA) {
    if (bodyLength !== 0) fail('schema message with a body');
    schema(f, header);
  } else if (headerType === RECORD_BATCH) recordBatch(f, header, bodyLength);
  else if (headerType === DICTIONARY_BATCH) {
    const data = f.sub(header, 1, 'dictionary data');
    if (data) recordBatch(f, data, bodyLength);
  } else fail('unsupported message type');
  keyValues(f, m, 4);
  return { headerType, bodyLength };
}

/** The queue of bytes read but not yet passed on, pulled from the source as needed. */
class Bytes {
  private chunks: Uint8Array[] = [];
  private head = 0;
  /** Bytes held. */
  held = 0;
  /** Bytes taken so far (the stream offset of the next byte). */
  taken = 0;
  private done = false;
  constructor(private readonly it: AsyncIterator<Uint8Array>) {}
  /** Reads until `n` bytes are held or the source ends; whether they are. */
  async fill(n: number): Promise<boolean> {
    while (this.held < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else if (r.value.length > 0) {
        this.chunks.push(r.value);
        this.held += r.value.length;
      }
    }
    return this.held >= n;
  }
  /** Whether the source has ended with nothing held. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }
  /** The next `n` bytes (held), as one array: a view of the chunk when they lie in one. */
  private read(n: number, consume: boolean): Uint8Array {
    const c0 = this.chunks[0] as Uint8Array;
    if (this.head + n <= c0.length) {
      const view = c0.subarray(this.head, this.head + n);
      if (consume) this.drop(n);
      return view;
    }
    const out = new Uint8Array(n);
    let at = 0;
    let k = 0;
    let head = this.head;
    while (at < n) {
      const c = this.chunks[k] as Uint8Array;
      const m = Math.min(n - at, c.length - head);
      out.set(c.subarray(head, head + m), at);
      at += m;
      k++;
      head = 0;
    }
    if (consume) this.drop(n);
    return out;
  }
  private drop(n: number): void {
    let left = n;
    while (left > 0) {
      const c = this.chunks[0] as Uint8Array;
      const m = Math.min(left, c.length - this.head);
      left -= m;
      this.head += m;
      if (this.head === c.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.held -= n;
    this.taken += n;
  }
  /** The next `n` bytes (held), left in the queue. */
  peek(n: number): Uint8Array {
    return this.read(n, false);
  }
  /** The next `n` bytes (held), taken from the queue. */
  take(n: number): Uint8Array {
    return this.read(n, true);
  }
}

const u32le = (b: Uint8Array, at = 0): number =>
  ((b[at] as number) |
    ((b[at + 1] as number) << 8) |
    ((b[at + 2] as number) << 16) |
    ((b[at + 3] as number) << 24)) >>>
  0;

/**
 * Passes an Arrow IPC *stream* on message by message, each only once its framing and metadata are
 * checked and its body has arrived in full, and the end-of-stream marker only once nothing follows
 * it. The first message must be the schema; a record or dictionary batch follows it. `onFrame`
 * sees each message. Throws `BloomlinkError` `FILE_EMPTY` (no bytes), `FILE_TRUNCATED` (the bytes
 * end inside a message or before the end-of-stream marker) or `FILE_CORRUPT` (a length, marker or
 * table that does not fit, naming the byte offset).
 * @example
 * ```ts
 * const reader = await RecordBatchReader.from(checkedArrowStream(bytes, 'coc.arrow'));
 * ```
 */
export async function* checkedArrowStream(
  source: AsyncIterable<Uint8Array>,
  label: string,
  again = 'write it again',
  onFrame?: (frame: ArrowFrame) => void,
): AsyncGenerator<Uint8Array> {
  const q = new Bytes(source[Symbol.asyncIterator]());
  if (await q.atEnd()) throw new BloomlinkError('FILE_EMPTY', `${label}: the file is empty`);
  const truncated = (): never => {
    throw new BloomlinkError(
      'FILE_TRUNCATED',
      `${label}: the file is truncated (it ends inside an Arrow message or before the end-of-stream marker); ${again}`,
    );
  };
  let first = true;
  for (;;) {
    const offset = q.taken;
    if (!(await q.fill(8))) truncated();
    const prefix = q.peek(8);
    try {
      if (u32le(prefix) !== CONTINUATION) fail('no continuation marker');
      const metadataLength = u32le(prefix, 4);
      if (metadataLength === 0) {
        if (first) fail('end-of-stream marker before the schema');
        const eos = q.take(8);
        if (!(await q.atEnd())) fail('bytes after the end-of-stream marker');
        yield eos;
        return;
      }
      if (metadataLength > 0x7fffffff) fail('negative metadata length');
      if (metadataLength % 8 !== 0) fail('metadata length not a multiple of 8');
      if (!(await q.fill(8 + metadataLength))) truncated();
      const meta = q.peek(8 + metadataLength).subarray(8);
      // The body must fit in what the source still holds; a stream's rest is unknown until read,
      // so fill up to it (a body is one record batch) and fail as truncated when it is not there.
      const { headerType, bodyLength } = message(meta, Number.MAX_SAFE_INTEGER);
      if (first !== (headerType === SCHEMA)) fail(first ? 'first message is not a schema' : 'second schema');
      first = false;
      if (!(await q.fill(8 + metadataLength + bodyLength))) truncated();
      onFrame?.({ offset, headerType, metadataLength, bodyLength });
      // One array per message: a view of the source's chunk when it lies in one, else one copy.
      yield q.take(8 + metadataLength + bodyLength);
    } catch (e) {
      if (e instanceof Bad)
        throw new BloomlinkError(
          'FILE_CORRUPT',
          `${label}: damaged Arrow message at byte ${offset} (${e.message}); the file is damaged, ${again}`,
        );
      throw e;
    }
  }
}

/**
 * Checks a whole Arrow IPC buffer — stream format, or file format (`ARROW1` magic, the messages, the
 * footer with its length and the closing magic; every footer block must name a message the walk
 * found) — before apache-arrow sees it. Returns the messages found. Throws `BloomlinkError`
 * `FILE_EMPTY`, `FILE_TRUNCATED` or `FILE_CORRUPT` as {@link checkedArrowStream} does.
 * @example
 * ```ts
 * checkArrowIpc(bytes, 'clients.arrow').length; // messages, the schema first
 * ```
 */
export function checkArrowIpc(bytes: Uint8Array, label: string, again = 'write it again'): ArrowFrame[] {
  if (bytes.length === 0) throw new BloomlinkError('FILE_EMPTY', `${label}: the file is empty`);
  const corrupt = (offset: number, why: string): never => {
    throw new BloomlinkError(
      'FILE_CORRUPT',
      `${label}: damaged Arrow data at byte ${offset} (${why}); the file is damaged, ${again}`,
    );
  };
  const isFile = MAGIC.every((b, i) => bytes[i] === b);
  let end = bytes.length;
  let footer: Uint8Array | undefined;
  if (isFile) {
    // ARROW1 \0\0 <stream> <footer> <int32 footer length> ARROW1
    const tail = bytes.length - 6;
    if (bytes.length < 8 + 4 + 6 || !MAGIC.every((b, i) => bytes[tail + i] === b))
      throw new BloomlinkError(
        'FILE_TRUNCATED',
        `${label}: the Arrow file is truncated (no closing magic); ${again}`,
      );
    const footerLength = u32le(bytes, tail - 4);
    if (footerLength > 0x7fffffff || footerLength > tail - 4 - 8) corrupt(tail - 4, 'footer length');
    end = tail - 4 - footerLength;
    footer = bytes.subarray(end, tail - 4);
  }
  const frames: ArrowFrame[] = [];
  let at = isFile ? 8 : 0;
  let sawEos = false;
  while (at < end) {
    if (end - at < 8) {
      if (isFile) corrupt(at, 'stray bytes before the footer');
      throw new BloomlinkError('FILE_TRUNCATED', `${label}: the Arrow data is truncated; ${again}`);
    }
    try {
      if (u32le(bytes, at) !== CONTINUATION) fail('no continuation marker');
      const metadataLength = u32le(bytes, at + 4);
      if (metadataLength === 0) {
        if (frames.length === 0 && !isFile) fail('end-of-stream marker before the schema');
        sawEos = true;
        at += 8;
        if (at !== end) fail('bytes after the end-of-stream marker');
        break;
      }
      if (metadataLength > 0x7fffffff) fail('negative metadata length');
      if (metadataLength % 8 !== 0) fail('metadata length not a multiple of 8');
      if (metadataLength > end - at - 8) fail('metadata longer than the bytes that remain');
      const meta = bytes.subarray(at + 8, at + 8 + metadataLength);
      const room = end - at - 8 - metadataLength;
      const { headerType, bodyLength } = message(meta, room);
      // A stream starts with its schema; a file holds it in the footer (apache-arrow writes no
      // schema message there), but a schema message, if any, comes first.
      if (headerType === SCHEMA ? frames.length > 0 : frames.length === 0 && !isFile)
        fail(headerType === SCHEMA ? 'second schema' : 'first message is not a schema');
      frames.push({ offset: at, headerType, metadataLength, bodyLength });
      at += 8 + metadataLength + bodyLength;
    } catch (e) {
      if (e instanceof Bad) corrupt(at, e.message);
      throw e;
    }
  }
  if (frames.length === 0 && !isFile)
    throw new BloomlinkError('FILE_TRUNCATED', `${label}: the Arrow data has no schema; ${again}`);
  if (!isFile && !sawEos)
    throw new BloomlinkError(
      'FILE_TRUNCATED',
      `${label}: the Arrow stream has no end-of-stream marker; ${again}`,
    );
  if (footer) {
    try {
      checkFooter(footer, frames);
    } catch (e) {
      if (e instanceof Bad) corrupt(end, e.message);
      throw e;
    }
  }
  return frames;
}

/** The file footer: its schema, and each dictionary and record-batch block naming a found message. */
function checkFooter(footer: Uint8Array, frames: readonly ArrowFrame[]): void {
  const f = new Flat(footer);
  const t = f.table(f.u32(0), 'footer');
  const s = f.sub(t, 1, 'footer schema');
  if (s) schema(f, s);
  const byOffset = new Map(frames.map((fr) => [fr.offset, fr]));
  for (const [i, type] of [
    [2, DICTIONARY_BATCH],
    [3, RECORD_BATCH],
  ] as const) {
    const at = f.field(t, i, 4);
    if (at === undefined) continue;
    // Block { offset: long, metaDataLength: int, (pad), bodyLength: long }: 24 bytes.
    const blocks = f.vector(at, 24, 'footer blocks');
    for (let k = 0; k < blocks.length; k++) {
      const b = blocks.start + 24 * k;
      const frame = byOffset.get(f.i64(b, 'block offset'));
      const metaLength = f.u32(b + 8);
      if (
        !frame ||
        frame.headerType !== type ||
        frame.metadataLength + 8 !== metaLength ||
        frame.bodyLength !== f.i64(b + 16, 'block body length')
      )
        fail('a footer block names no message of the file');
    }
  }
  keyValues(f, t, 4);
}

/**
 * Where the first record batch of an Arrow IPC stream ends (its byte offset past the body), read
 * from the stream's first bytes `head`: the schema message and the first batch's metadata, not its
 * body. Undefined when `head` does not reach that far or is not a well-formed stream's start. Lets a
 * reader tell a file of one big record batch from the encoder's batches without reading it.
 * @example
 * ```ts
 * const end = firstBatchEnd(head); // head: the file's first 1 MiB
 * const oneBatch = end !== undefined && fileSize - end < 1 << 20;
 * ```
 */
export function firstBatchEnd(head: Uint8Array): number | undefined {
  let at = 0;
  try {
    for (;;) {
      if (at + 8 > head.length) return undefined;
      const prefix = head.subarray(at, at + 8);
      if (u32le(prefix) !== CONTINUATION) return undefined;
      const metadataLength = u32le(prefix, 4);
      if (metadataLength === 0 || metadataLength % 8 !== 0 || at + 8 + metadataLength > head.length)
        return undefined;
      const meta = head.subarray(at + 8, at + 8 + metadataLength);
      const { headerType, bodyLength } = message(meta, Number.MAX_SAFE_INTEGER);
      const end = at + 8 + metadataLength + bodyLength;
      if (headerType === RECORD_BATCH) return end;
      at = end;
    }
  } catch {
    return undefined;
  }
}
