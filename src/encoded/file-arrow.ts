/**
 * Encoded files as Apache Arrow IPC streams: one column per feature, the file-level facts
 * (schema, fingerprint, key check, party, library version) in the Arrow schema metadata. Written and
 * read batch by batch. A truncated stream (no end-of-stream marker) or a corrupt one is refused.
 * Key-free: these files hold no key and no clear text.
 */
import type { Data, Field, RecordBatch, RecordBatchReader, Schema } from 'apache-arrow';
import { BloomlinkError } from '../errors.js';
import type { DataQuality } from '../records.js';
import { type Arrow, loadArrow } from '../util/arrow.js';
import { checkedArrowStream } from '../util/arrow-framing.js';
import { at, defined } from '../util/defined.js';
import {
  bloomBytes,
  type EncodedBatch,
  type EncodedMeta,
  type EncodedTrailer,
  type WriteEncodedOptions,
} from './batch.js';
import { batchCrc, crc32c, crcHex, type Utf8Ids, utf8Ids } from './checksum.js';
import { refuseClearText } from './clear-text.js';
import { checkEndRecord, checkMeta, emptyBatch, endRecord } from './integrity.js';

const META_KEY = 'bloomlink.meta';
const META_CRC_KEY = 'bloomlink.meta.crc32c';
const BATCH_CRC_KEY = 'bloomlink.crc32c';
const END_KEY = 'bloomlink.end';
const EOS = [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0];

function arrowSchema(A: Arrow, meta: EncodedMeta): Schema {
  const { Field, FixedSizeBinary, List, Schema, Uint8, Uint32, Utf8 } = A;
  const fields: Field[] = [
    new Field('id', new Utf8(), false),
    new Field('nameDq', new Uint8(), false),
    new Field('dobDq', new Uint8(), false),
    new Field('ssnDq', new Uint8(), false),
  ];
  for (const f of meta.schema.features) {
    if (f.kind === 'bloom')
      fields.push(new Field(f.name, new FixedSizeBinary(bloomBytes(meta.schema, f.bits)), false));
    else if (f.kind === 'hash') fields.push(new Field(f.name, new Uint32(), false));
    else fields.push(new Field(f.name, new FixedSizeBinary(f.max * 4), false));
  }
  for (const p of meta.schema.blocking) {
    fields.push(new Field(`block:${p.name}`, new List(new Field('key', new Uint32(), false)), false));
  }
  const json = JSON.stringify(meta);
  return new Schema(
    fields,
    new Map([
      [META_KEY, json],
      [META_CRC_KEY, crcHex(crc32c(new TextEncoder().encode(json)))],
    ]),
  );
}

function toRecordBatch(
  A: Arrow,
  schema: Schema,
  meta: EncodedMeta,
  b: EncodedBatch,
  metadata: Map<string, string>,
  ids: Utf8Ids = utf8Ids(b.ids),
): RecordBatch {
  const { Field, FixedSizeBinary, List, makeData, RecordBatch, Struct, Uint8, Uint32, Utf8 } = A;
  const { offsets, bytes: idBytes } = ids;
  const n = b.length;
  const children: Data[] = [
    makeData({ type: new Utf8(), length: n, valueOffsets: offsets, data: idBytes }),
    makeData({ type: new Uint8(), length: n, data: b.nameDq }),
    makeData({ type: new Uint8(), length: n, data: b.dobDq }),
    makeData({ type: new Uint8(), length: n, data: b.ssnDq }),
  ];
  for (const f of meta.schema.features) {
    if (f.kind === 'bloom') {
      children.push(
        makeData({
          type: new FixedSizeBinary(bloomBytes(meta.schema, f.bits)),
          length: n,
          data: defined(b.blooms[f.name], `bloom column ${f.name}`),
        }),
      );
    } else if (f.kind === 'hash') {
      children.push(
        makeData({ type: new Uint32(), length: n, data: defined(b.hashes[f.name], `hash column ${f.name}`) }),
      );
    } else {
      const v = defined(b.sets[f.name], `hash-set column ${f.name}`);
      children.push(
        makeData({
          type: new FixedSizeBinary(f.max * 4),
          length: n,
          data: new Uint8Array(v.buffer, v.byteOffset, v.byteLength),
        }),
      );
    }
  }
  for (const p of meta.schema.blocking) {
    const col = defined(b.blocks[p.name], `blocking pass ${p.name}`);
    const child = makeData({ type: new Uint32(), length: col.keys.length, data: col.keys });
    children.push(
      makeData({
        type: new List(new Field('key', new Uint32(), false)),
        length: n,
        valueOffsets: Int32Array.from(col.offsets),
        child,
      }),
    );
  }
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: n, children }),
    metadata,
  );
}

/**
 * Writes encoded batches as an Arrow IPC stream, passing each chunk of bytes to `sink`.
 * @example
 * ```ts
 * import { once } from 'node:events';
 * import { createWriteStream } from 'node:fs';
 * const out = createWriteStream('coc.arrow');
 * // When the stream's buffer is full, wait for it to drain (backpressure): memory stays flat.
 * await writeEncodedArrow(encoder.meta, batches, async (chunk) => {
 *   if (!out.write(chunk)) await once(out, 'drain');
 * });
 * out.end();
 * ```
 */
export async function writeEncodedArrow(
  meta: EncodedMeta,
  batches: AsyncIterable<EncodedBatch> | Iterable<EncodedBatch>,
  sink: (chunk: Uint8Array) => void | Promise<void>,
  opts: WriteEncodedOptions = {},
): Promise<{ records: number }> {
  refuseClearText('encoded file', meta);
  const A = await loadArrow();
  const schema = arrowSchema(A, meta);
  const writer = new A.RecordBatchStreamWriter();
  const drained = (async () => {
    for await (const chunk of writer) await sink(chunk);
  })();
  let records = 0;
  let crc = Number.parseInt(schema.metadata.get(META_CRC_KEY) as string, 16);
  try {
    writer.reset(undefined, schema);
    for await (const b of batches) {
      refuseClearText('encoded file', meta, b);
      if (b.length === 0) continue;
      const ids = utf8Ids(b.ids);
      crc = batchCrc(b, meta.schema, crc, ids);
      writer.write(toRecordBatch(A, schema, meta, b, new Map([[BATCH_CRC_KEY, crcHex(crc)]]), ids));
      records += b.length;
    }
    const end = endRecord({ records, crc32c: crcHex(crc) }, opts.rows?.());
    writer.write(toRecordBatch(A, schema, meta, emptyBatch(meta), new Map([[END_KEY, end]])));
  } finally {
    writer.finish();
    await drained;
  }
  return { records };
}

function fixedBinaryBytes(
  col: { data: ReadonlyArray<{ values: Uint8Array; offset: number; length: number }> },
  width: number,
  view = false,
): Uint8Array {
  const chunks = col.data;
  if (chunks.length === 1) {
    const d = at(chunks, 0);
    const from = d.offset * width;
    const to = (d.offset + d.length) * width;
    return view ? d.values.subarray(from, to) : d.values.slice(from, to);
  }
  const total = chunks.reduce((a, d) => a + d.length, 0);
  const out = new Uint8Array(total * width);
  let pos = 0;
  for (const d of chunks) {
    out.set(d.values.subarray(d.offset * width, (d.offset + d.length) * width), pos);
    pos += d.length * width;
  }
  return out;
}

/** The Arrow `Data` of a List<Uint32> chunk, as far as it is read here. */
interface ListData {
  readonly offset: number;
  readonly length: number;
  readonly valueOffsets: Int32Array;
  readonly children: readonly { readonly offset: number; readonly values: Uint32Array }[];
}

/**
 * A List<Uint32> column as a block column, straight from the chunks' offset and value buffers (a
 * row-by-row `get` costs several objects per row: seconds per million records).
 */
function listColumn(
  c: { data: readonly ListData[] },
  n: number,
): { offsets: Uint32Array; keys: Uint32Array } {
  let total = 0;
  for (const d of c.data) total += at(d.valueOffsets, d.offset + d.length) - at(d.valueOffsets, d.offset);
  const offsets = new Uint32Array(n + 1);
  const keys = new Uint32Array(total);
  let row = 0;
  let pos = 0;
  for (const d of c.data) {
    const vo = d.valueOffsets;
    const child = at(d.children, 0);
    const first = at(vo, d.offset);
    const count = at(vo, d.offset + d.length) - first;
    keys.set(child.values.subarray(child.offset + first, child.offset + first + count), pos);
    for (let r = 0; r < d.length; r++) offsets[++row] = pos + (vo[d.offset + r + 1] ?? 0) - first;
    pos += count;
  }
  return { offsets, keys };
}

/** The parts of an Arrow `Data` chunk the bounds check reads. */
interface RawData {
  readonly offset: number;
  readonly length: number;
  readonly values?: ArrayLike<number>;
  readonly valueOffsets?: ArrayLike<number>;
  readonly children?: readonly RawData[];
}

/**
 * Whether a chunk's buffers hold what its length says (fixed width: `width` values a row; variable:
 * ascending offsets within the values or the child): a damaged length must not make the decoder
 * build millions of rows out of a few bytes.
 */
function inBounds(d: RawData, width: number, variable: boolean): boolean {
  if (!Number.isSafeInteger(d.offset) || !Number.isSafeInteger(d.length) || d.offset < 0 || d.length < 0)
    return false;
  if (!variable) return (d.values?.length ?? -1) >= (d.offset + d.length) * width;
  const vo = d.valueOffsets;
  if (!vo || vo.length < d.offset + d.length + 1) return false;
  for (let i = d.offset; i < d.offset + d.length; i++)
    if ((vo[i] as number) > (vo[i + 1] as number)) return false;
  const child = d.children?.[0];
  const room = child ? (child.values?.length ?? 0) - child.offset : (d.values?.length ?? 0);
  return (vo[d.offset] as number) >= 0 && (vo[d.offset + d.length] as number) <= room;
}

/**
 * A column's values as one typed array: a view of the record batch's body when `view` and the
 * column is one chunk, else a copy.
 */
function valuesOf<T extends Uint8Array | Uint32Array>(
  c: { data: readonly unknown[]; toArray(): unknown },
  make: { from(a: ArrayLike<number>): T },
  view: boolean,
): T {
  const a = c.toArray() as T;
  return view && c.data.length === 1 ? a : make.from(a);
}

/**
 * Converts one Arrow record batch back into an EncodedBatch. With `views`, the fixed-width columns
 * are views of the message's body where they can be (no copy): for a reader that copies each batch
 * into its own buffers at once (`readEncodedShared`); the views keep the body alive while they live.
 */
function fromRecordBatch(rb: RecordBatch, meta: EncodedMeta, label: string, views = false): EncodedBatch {
  const n = rb.numRows;
  const widths = new Map<string, [number, boolean]>([
    ['id', [0, true]],
    ['nameDq', [1, false]],
    ['dobDq', [1, false]],
    ['ssnDq', [1, false]],
  ]);
  for (const f of meta.schema.features)
    widths.set(f.name, [
      f.kind === 'bloom' ? bloomBytes(meta.schema, f.bits) : f.kind === 'hash' ? 1 : f.max * 4,
      false,
    ]);
  for (const p of meta.schema.blocking) widths.set(`block:${p.name}`, [0, true]);
  const col = (name: string) => {
    const c = rb.getChild(name);
    const [width, variable] = widths.get(name) ?? [0, true];
    if (!c || c.length !== n || !(c.data as unknown as RawData[]).every((d) => inBounds(d, width, variable)))
      throw new BloomlinkError(
        'FILE_CORRUPT',
        `${label}: column '${name}' is missing or has the wrong length; the file is damaged, encode it again`,
      );
    return c;
  };
  const ids = col('id').toArray() as unknown as string[];
  const u8 = (name: string) => valuesOf(col(name) as never, Uint8Array, views);
  const blooms: Record<string, Uint8Array> = {};
  const hashes: Record<string, Uint32Array> = {};
  const sets: Record<string, Uint32Array> = {};
  const blocks: Record<string, { offsets: Uint32Array; keys: Uint32Array }> = {};
  for (const f of meta.schema.features) {
    const c = col(f.name);
    if (f.kind === 'bloom')
      blooms[f.name] = fixedBinaryBytes(c as never, bloomBytes(meta.schema, f.bits), views);
    else if (f.kind === 'hash') hashes[f.name] = valuesOf(c as never, Uint32Array, views);
    else {
      let bytes = fixedBinaryBytes(c as never, f.max * 4, views);
      // A view lies where the body put it: copied when it is not on a 4-byte boundary.
      if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice();
      sets[f.name] = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    }
  }
  for (const p of meta.schema.blocking) blocks[p.name] = listColumn(col(`block:${p.name}`) as never, n);
  return {
    length: n,
    ids,
    nameDq: u8('nameDq') as Uint8Array & { [i: number]: DataQuality },
    dobDq: u8('dobDq'),
    ssnDq: u8('ssnDq'),
    blooms,
    hashes,
    sets,
    blocks,
  };
}

/** Wraps a byte source and remembers whether it ended with the Arrow end-of-stream marker. */
function trackTail(source: AsyncIterable<Uint8Array>): {
  bytes: AsyncIterable<Uint8Array>;
  endedWithEos: () => boolean;
  total: () => number;
} {
  const tail: number[] = [];
  let total = 0;
  return {
    bytes: (async function* () {
      for await (const chunk of source) {
        total += chunk.length;
        for (const byte of chunk.subarray(Math.max(0, chunk.length - 8))) {
          tail.push(byte);
          if (tail.length > 8) tail.shift();
        }
        yield chunk;
      }
    })(),
    endedWithEos: () => tail.length === 8 && tail.every((b, i) => b === EOS[i]),
    total: () => total,
  };
}

/**
 * Reads an encoded Arrow IPC stream batch by batch. Throws `BloomlinkError` `FILE_EMPTY`,
 * `FILE_CORRUPT` (not an encoded file, unreadable metadata or columns) or `FILE_TRUNCATED`.
 * @example
 * ```ts
 * const { meta, batches } = await readEncodedArrow(fileBytes('coc.arrow'), 'coc.arrow');
 * for await (const b of batches) console.log(b.length);
 * ```
 */
export async function readEncodedArrow(
  source: AsyncIterable<Uint8Array>,
  label: string,
  opts: { readonly views?: boolean } = {},
): Promise<{ meta: EncodedMeta; batches: AsyncIterable<EncodedBatch>; trailer: EncodedTrailer }> {
  const { RecordBatchReader } = await loadArrow();
  const trailer: EncodedTrailer = {};
  // Every message is bounds-checked by our own walk before apache-arrow decodes it.
  const tracked = trackTail(checkedArrowStream(source, label, 'encode it again'));
  let reader: Awaited<ReturnType<typeof RecordBatchReader.from>>;
  try {
    reader = await RecordBatchReader.from(tracked.bytes);
    await reader.open();
  } catch (e) {
    if (e instanceof BloomlinkError) throw e;
    if (tracked.total() === 0) throw new BloomlinkError('FILE_EMPTY', `${label}: the file is empty`);
    throw new BloomlinkError(
      'FILE_CORRUPT',
      `${label}: not a bloomlink encoded file (unreadable Arrow stream)`,
      { cause: e },
    );
  }
  if (tracked.total() === 0) throw new BloomlinkError('FILE_EMPTY', `${label}: the file is empty`);
  const raw = reader.schema?.metadata.get(META_KEY);
  if (!raw)
    throw new BloomlinkError(
      'FILE_CORRUPT',
      `${label}: not a bloomlink encoded file (no bloomlink metadata)`,
    );
  const metaCrc = crcHex(crc32c(new TextEncoder().encode(raw)));
  const stored = reader.schema?.metadata.get(META_CRC_KEY);
  const meta = checkMeta(raw, stored, metaCrc, label);
  const it = reader as unknown as AsyncIterable<RecordBatch>;
  async function* batches(): AsyncGenerator<EncodedBatch> {
    let crc = Number.parseInt(metaCrc, 16);
    let records = 0;
    let index = 0;
    let ended = false;
    try {
      for await (const rb of it) {
        index++;
        if (ended)
          throw new BloomlinkError('FILE_CORRUPT', `${label}: record batch ${index} follows the end batch`);
        const end = rb.metadata.get(END_KEY);
        if (end !== undefined) {
          const damaged = `${label}: the end batch does not match the file's ${records} records and checksum; the file is damaged, encode it again`;
          if (rb.numRows !== 0) throw new BloomlinkError('FILE_CORRUPT', damaged);
          let parsed: unknown;
          try {
            parsed = JSON.parse(end);
          } catch {
            throw new BloomlinkError('FILE_CORRUPT', damaged);
          }
          const rows = checkEndRecord(parsed, { records, crc32c: crcHex(crc) }, damaged);
          if (rows) trailer.rows = rows;
          ended = true;
          continue;
        }
        const b = fromRecordBatch(rb, meta, label, opts.views === true);
        crc = batchCrc(b, meta.schema, crc);
        if (rb.metadata.get(BATCH_CRC_KEY) !== crcHex(crc))
          throw new BloomlinkError(
            'FILE_CORRUPT',
            `${label}: record batch ${index} fails its CRC-32C checksum; the file is damaged, encode it again`,
          );
        records += b.length;
        if (b.length > 0) yield b;
      }
    } catch (e) {
      if (e instanceof BloomlinkError) throw e;
      throw new BloomlinkError('FILE_TRUNCATED', `${label}: the encoded file is truncated or corrupt`, {
        cause: e,
      });
    }
    if (!tracked.endedWithEos() || !ended) {
      throw new BloomlinkError(
        'FILE_TRUNCATED',
        `${label}: the encoded file is truncated (no end-of-stream marker); encode it again`,
      );
    }
  }
  return { meta, batches: batches(), trailer };
}
