/**
 * Encoded files as Apache Arrow IPC streams: one column per feature, the file-level facts
 * (schema, fingerprint, key check, party, library version) in the Arrow schema metadata. Written and
 * read batch by batch. A truncated stream (no end-of-stream marker) or a corrupt one is refused.
 * Key-free: these files hold no key and no clear text.
 */
import { BloomlinkError } from '../errors.js';
import type { DataQuality } from '../records.js';
import { checkedArrowStream } from '../util/arrow-framing.js';
import { defined } from '../util/defined.js';
import {
  ARROW_FIXED_SIZE_BINARY,
  ARROW_INT,
  ARROW_LIST,
  ARROW_UTF8,
  type ArrowField,
  type ArrowMessage,
  arrowMessage,
  BatchCursor,
} from './arrow-read.js';
import {
  type ArrowColumnData,
  type ArrowFieldSpec,
  endOfStream,
  recordBatchChunks,
  schemaMessage,
} from './arrow-write.js';
import {
  bloomBytes,
  type EncodedBatch,
  type EncodedMeta,
  type EncodedTrailer,
  type WriteEncodedOptions,
} from './batch.js';
import { batchCrc, bytesOf, crc32c, crcHex, type Utf8Ids, utf8Ids } from './checksum.js';
import { refuseClearText } from './clear-text.js';
import { checkEndRecord, checkMeta, emptyBatch, endRecord } from './integrity.js';
import { lazyIds } from './lazy-ids.js';
import { batchParts, type RowRange, rangeBlocks, rangeColumn, rowBytes } from './parted.js';

const META_KEY = 'bloomlink.meta';
const META_CRC_KEY = 'bloomlink.meta.crc32c';
const BATCH_CRC_KEY = 'bloomlink.crc32c';
const END_KEY = 'bloomlink.end';
// ignoreBOM: an ID that starts with U+FEFF is read back as written (the default strips it).
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The encoded-file layout's fields: ID, data-quality codes, one per feature, one per blocking pass. */
function layoutFields(meta: EncodedMeta): ArrowFieldSpec[] {
  const fields: ArrowFieldSpec[] = [
    { name: 'id', column: { type: ARROW_UTF8 } },
    { name: 'nameDq', column: { type: ARROW_INT, bits: 8 } },
    { name: 'dobDq', column: { type: ARROW_INT, bits: 8 } },
    { name: 'ssnDq', column: { type: ARROW_INT, bits: 8 } },
  ];
  for (const f of meta.schema.features) {
    if (f.kind === 'bloom')
      fields.push({
        name: f.name,
        column: { type: ARROW_FIXED_SIZE_BINARY, bytes: bloomBytes(meta.schema, f.bits) },
      });
    else if (f.kind === 'hash') fields.push({ name: f.name, column: { type: ARROW_INT, bits: 32 } });
    else fields.push({ name: f.name, column: { type: ARROW_FIXED_SIZE_BINARY, bytes: f.max * 4 } });
  }
  for (const p of meta.schema.blocking)
    fields.push({ name: `block:${p.name}`, column: { type: ARROW_LIST } });
  return fields;
}

/** A batch's columns in the layout's order. */
function layoutColumns(meta: EncodedMeta, b: EncodedBatch, ids: Utf8Ids = utf8Ids(b.ids)): ArrowColumnData[] {
  const columns: ArrowColumnData[] = [
    { kind: 'utf8', offsets: ids.offsets, bytes: ids.bytes },
    { kind: 'flat', values: b.nameDq, width: 1 },
    { kind: 'flat', values: b.dobDq, width: 1 },
    { kind: 'flat', values: b.ssnDq, width: 1 },
  ];
  for (const f of meta.schema.features) {
    if (f.kind === 'bloom')
      columns.push({
        kind: 'flat',
        values: defined(b.blooms[f.name], `bloom column ${f.name}`),
        width: bloomBytes(meta.schema, f.bits),
      });
    else if (f.kind === 'hash')
      columns.push({ kind: 'flat', values: defined(b.hashes[f.name], `hash column ${f.name}`), width: 4 });
    else
      columns.push({
        kind: 'flat',
        values: defined(b.sets[f.name], `hash-set column ${f.name}`),
        width: f.max * 4,
      });
  }
  for (const p of meta.schema.blocking) {
    const col = defined(b.blocks[p.name], `blocking pass ${p.name}`);
    columns.push({ kind: 'list', offsets: col.offsets, keys: col.keys });
  }
  return columns;
}

/**
 * The columns, in the layout's order, of a batch made of row `ranges` (`partedBatch`): each column
 * as the ranges' bytes in sequence, no copy; only the blocking passes' offsets are made anew.
 */
function partedColumns(
  meta: EncodedMeta,
  ranges: readonly RowRange[],
  length: number,
  ids: Utf8Ids,
): ArrowColumnData[] {
  const dq = (name: 'nameDq' | 'dobDq' | 'ssnDq'): ArrowColumnData => ({
    kind: 'parts',
    parts: ranges.map((r) => rowBytes(r.batch[name], r.batch.length, r.from, r.to)),
  });
  const columns: ArrowColumnData[] = [
    { kind: 'utf8', offsets: ids.offsets, bytes: ids.bytes },
    dq('nameDq'),
    dq('dobDq'),
    dq('ssnDq'),
  ];
  for (const f of meta.schema.features) {
    const kind = f.kind === 'bloom' ? 'blooms' : f.kind === 'hash' ? 'hashes' : 'sets';
    const parts = defined(rangeColumn(ranges, kind, f.name), `${kind} column ${f.name}`);
    columns.push({ kind: 'parts', parts });
  }
  for (const p of meta.schema.blocking) {
    const pass = defined(rangeBlocks(ranges, p.name, length), `blocking pass ${p.name}`);
    columns.push({ kind: 'listParts', offsets: pass.offsets, keys: pass.keys });
  }
  return columns;
}

/**
 * `batchCrc` of a batch given as {@link partedColumns}: the record count and the IDs' byte lengths,
 * then every column's bytes in the layout's order (which is `batchCrc`'s order), a column in parts
 * continuing the CRC across them — the same bytes, so the same CRC.
 */
function partedCrc(columns: readonly ArrowColumnData[], length: number, crc: number): number {
  let c = crc;
  for (const col of columns) {
    if (col.kind === 'utf8') {
      const o = col.offsets;
      const lengths = new Uint32Array(length + 1);
      lengths[0] = length;
      for (let i = 0; i < length; i++) lengths[i + 1] = (o[i + 1] as number) - (o[i] as number);
      c = crc32c(bytesOf(lengths), c);
      c = crc32c(col.bytes.subarray(o[0] as number, o[length] as number), c);
    } else if (col.kind === 'parts') {
      for (const p of col.parts) c = crc32c(p, c);
    } else if (col.kind === 'listParts') {
      c = crc32c(bytesOf(col.offsets), c);
      for (const p of col.keys) c = crc32c(p, c);
    } else throw new TypeError('partedCrc: a column not made by partedColumns');
  }
  return c;
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
  const json = JSON.stringify(meta);
  const metaCrc = crcHex(crc32c(new TextEncoder().encode(json)));
  let crc = Number.parseInt(metaCrc, 16);
  const metadata = new Map([
    [META_KEY, json],
    [META_CRC_KEY, metaCrc],
  ]);
  await sink(schemaMessage(layoutFields(meta), metadata));
  let records = 0;
  for await (const b of batches) {
    refuseClearText('encoded file', meta, b);
    if (b.length === 0) continue;
    const ids = utf8Ids(b.ids);
    // A batch of row ranges (the parallel encoder's) is written as its ranges: no concatenation.
    const ranges = batchParts(b);
    let columns: ArrowColumnData[];
    if (ranges !== undefined) {
      columns = partedColumns(meta, ranges, b.length, ids);
      crc = partedCrc(columns, b.length, crc);
    } else {
      crc = batchCrc(b, meta.schema, crc, ids);
      columns = layoutColumns(meta, b, ids);
    }
    const chunks = recordBatchChunks(b.length, columns, new Map([[BATCH_CRC_KEY, crcHex(crc)]]));
    for (const chunk of chunks) await sink(chunk);
    records += b.length;
  }
  const end = endRecord({ records, crc32c: crcHex(crc) }, opts.rows?.());
  const empty = emptyBatch(meta);
  for (const chunk of recordBatchChunks(0, layoutColumns(meta, empty), new Map([[END_KEY, end]])))
    await sink(chunk);
  await sink(endOfStream());
  return { records };
}

const COLUMN_KINDS = { utf8: 0, u8: 1, u32: 2, fixed: 3, list: 4 } as const;
type ColumnKind = (typeof COLUMN_KINDS)[keyof typeof COLUMN_KINDS];

/** Whether a schema field has the type the encoded-file layout gives column `kind` (`width` bytes). */
function hasType(f: ArrowField, kind: ColumnKind, width: number): boolean {
  const uint = (bits: number, g: ArrowField) => g.type === ARROW_INT && g.width === bits && !g.signed;
  if (kind === COLUMN_KINDS.utf8) return f.type === ARROW_UTF8;
  if (kind === COLUMN_KINDS.u8) return uint(8, f);
  if (kind === COLUMN_KINDS.u32) return uint(32, f);
  if (kind === COLUMN_KINDS.fixed) return f.type === ARROW_FIXED_SIZE_BINARY && f.width === width;
  const child = f.children[0];
  return f.type === ARROW_LIST && f.children.length === 1 && child !== undefined && uint(32, child);
}

/** A copy of the first `n` bytes in a fresh (aligned) buffer (a Buffer's `slice` would be a view). */
function copy(bytes: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  out.set(bytes.subarray(0, n));
  return out;
}

/**
 * `n + 1` Arrow offsets (int32) from a buffer, ascending, the first ≥ 0 and the last ≤ `room`; with
 * `views`, a view of the buffer when it lies on a 4-byte boundary, else a copy.
 */
function offsetsOf(buf: Uint8Array, n: number, room: number, views = false): Int32Array | undefined {
  if (buf.length < 4 * (n + 1)) return undefined;
  const vo =
    views && buf.byteOffset % 4 === 0
      ? new Int32Array(buf.buffer, buf.byteOffset, n + 1)
      : new Int32Array(copy(buf, 4 * (n + 1)).buffer);
  if ((vo[0] as number) < 0 || (vo[n] as number) > room) return undefined;
  for (let i = 0; i < n; i++) if ((vo[i] as number) > (vo[i + 1] as number)) return undefined;
  return vo;
}

/** An ID column: the strings, and the file's UTF-8 bytes of them (what the batch's CRC covers). */
interface IdColumn {
  readonly ids: readonly string[];
  readonly utf8: Utf8Ids;
}

/** One column's values as the layout says. */
type Column = Uint8Array | IdColumn | { offsets: Uint32Array; keys: Uint32Array };

/**
 * Reads the next column; undefined when its node or buffers do not fit `n` rows without nulls. With
 * `views`, a fixed-width column, and a list column whose offsets start at 0, is a view of the
 * message's body (no copy) when it lies on a 4-byte boundary; the view keeps the body alive while it
 * lives. With `lazy` (and `views`), an ASCII ID column's strings are made from its bytes when read
 * (`lazyIds`), not decoded here.
 */
function readColumn(
  c: BatchCursor,
  f: ArrowField,
  n: number,
  views: boolean,
  lazy: boolean,
): Column | undefined {
  const [length, nulls] = c.node();
  const ok = length === n && nulls === 0;
  c.buffer(); // validity (no nulls)
  if (f.type === ARROW_UTF8) {
    const offsets = c.buffer();
    const data = c.buffer();
    const vo = ok ? offsetsOf(offsets, n, data.length, views) : undefined;
    if (!vo) return undefined;
    const first = vo[0] as number;
    const utf8 = { offsets: vo, bytes: data.subarray(first, vo[n]) };
    const made = views && lazy ? lazyIds(utf8) : undefined;
    if (made) return { ids: made, utf8 };
    const all = utf8Decoder.decode(data.subarray(first, vo[n]));
    const ids: string[] = new Array(n);
    // One decode for the whole column when it is ASCII (string offsets = byte offsets), else each.
    if (all.length === (vo[n] as number) - first)
      for (let i = 0; i < n; i++)
        ids[i] = all.slice((vo[i] as number) - first, (vo[i + 1] as number) - first);
    else for (let i = 0; i < n; i++) ids[i] = utf8Decoder.decode(data.subarray(vo[i], vo[i + 1]));
    // The CRC runs over these bytes as read: the writer's UTF-8 of the same strings when the file is
    // intact, so encoding the decoded strings again (3·10⁶ of them in a large plan) is not needed.
    return { ids, utf8 };
  }
  if (f.type === ARROW_LIST) {
    const offsets = c.buffer();
    const [childLength, childNulls] = c.node();
    c.buffer(); // the child's validity
    const values = c.buffer();
    if (!ok || childNulls !== 0 || values.length < 4 * childLength) return undefined;
    const vo = offsetsOf(offsets, n, childLength, views);
    if (!vo) return undefined;
    const first = vo[0] as number;
    // With views, a list whose offsets start at 0 (as the writer makes them) is used as it lies:
    // offsets ascending from 0 are the same bits as u32, and the keys are the values' first words.
    if (views && first === 0 && vo.byteOffset % 4 === 0 && values.byteOffset % 4 === 0)
      return {
        offsets: new Uint32Array(vo.buffer, vo.byteOffset, n + 1),
        keys: new Uint32Array(values.buffer, values.byteOffset, vo[n] as number),
      };
    const keys = new Uint32Array(copy(values.subarray(4 * first), 4 * ((vo[n] as number) - first)).buffer);
    const out = new Uint32Array(n + 1);
    for (let r = 1; r <= n; r++) out[r] = (vo[r] as number) - first;
    return { offsets: out, keys };
  }
  const values = c.buffer();
  const width = f.type === ARROW_INT ? f.width / 8 : f.width;
  if (!ok || !Number.isSafeInteger(width) || width <= 0 || values.length < n * width) return undefined;
  if (views && values.byteOffset % 4 === 0) return values.subarray(0, n * width);
  return copy(values, n * width);
}

/** Reads every column of a record batch, by name (the layout's and any other). */
function readColumns(
  m: ArrowMessage,
  fields: readonly ArrowField[],
  views: boolean,
  lazy: boolean,
): Map<string, Column | undefined> {
  const c = new BatchCursor(m);
  const n = m.length ?? 0;
  const out = new Map<string, Column | undefined>();
  for (const f of fields) {
    const known =
      f.type === ARROW_UTF8 ||
      f.type === ARROW_INT ||
      f.type === ARROW_FIXED_SIZE_BINARY ||
      (f.type === ARROW_LIST && f.children.length === 1 && f.children[0]?.type === ARROW_INT);
    if (!known) throw new Error('a column of a type encoded files do not use');
    out.set(f.name, readColumn(c, f, n, views, lazy));
  }
  if (!c.done) throw new Error('field nodes or buffers left over');
  return out;
}

/** The expected kind and width of each column of `meta`'s layout. */
function layoutOf(meta: EncodedMeta): Map<string, [ColumnKind, number]> {
  const layout = new Map<string, [ColumnKind, number]>([
    ['id', [COLUMN_KINDS.utf8, 0]],
    ['nameDq', [COLUMN_KINDS.u8, 1]],
    ['dobDq', [COLUMN_KINDS.u8, 1]],
    ['ssnDq', [COLUMN_KINDS.u8, 1]],
  ]);
  for (const f of meta.schema.features)
    layout.set(
      f.name,
      f.kind === 'bloom'
        ? [COLUMN_KINDS.fixed, bloomBytes(meta.schema, f.bits)]
        : f.kind === 'hash'
          ? [COLUMN_KINDS.u32, 4]
          : [COLUMN_KINDS.fixed, f.max * 4],
    );
  for (const p of meta.schema.blocking) layout.set(`block:${p.name}`, [COLUMN_KINDS.list, 0]);
  return layout;
}

/**
 * Converts one record batch message back into an EncodedBatch. With `views`, the fixed-width
 * columns are views of the message's body where they can be (no copy): for a reader that copies each
 * batch into its own buffers at once, or uses a shared file's bytes as they are (`readEncodedShared`).
 */
function fromMessage(
  m: ArrowMessage,
  fields: readonly ArrowField[],
  layout: ReadonlyMap<string, [ColumnKind, number]>,
  meta: EncodedMeta,
  label: string,
  views: boolean,
  lazy: boolean,
): { batch: EncodedBatch; ids: Utf8Ids } {
  const n = m.length ?? 0;
  const columns = readColumns(m, fields, views, lazy);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const col = <T extends Column>(name: string): T => {
    const f = byName.get(name);
    const [kind, width] = layout.get(name) ?? [COLUMN_KINDS.fixed, 0];
    const c = columns.get(name);
    if (!f || !c || !hasType(f, kind, width))
      throw new BloomlinkError(
        'FILE_CORRUPT',
        `${label}: column '${name}' is missing or has the wrong length; the file is damaged, encode it again`,
      );
    return c as T;
  };
  const { ids, utf8 } = col<IdColumn>('id');
  const nameDq = col<Uint8Array>('nameDq');
  const dobDq = col<Uint8Array>('dobDq');
  const ssnDq = col<Uint8Array>('ssnDq');
  const blooms: Record<string, Uint8Array> = {};
  const hashes: Record<string, Uint32Array> = {};
  const sets: Record<string, Uint32Array> = {};
  const blocks: Record<string, { offsets: Uint32Array; keys: Uint32Array }> = {};
  for (const f of meta.schema.features) {
    const c = col<Uint8Array>(f.name);
    if (f.kind === 'bloom') blooms[f.name] = c;
    else if (f.kind === 'hash') hashes[f.name] = new Uint32Array(c.buffer, c.byteOffset, n);
    else sets[f.name] = new Uint32Array(c.buffer, c.byteOffset, c.byteLength / 4);
  }
  for (const p of meta.schema.blocking)
    blocks[p.name] = col<{ offsets: Uint32Array; keys: Uint32Array }>(`block:${p.name}`);
  const batch: EncodedBatch = {
    length: n,
    ids,
    nameDq: nameDq as Uint8Array & { [i: number]: DataQuality },
    dobDq,
    ssnDq,
    blooms,
    hashes,
    sets,
    blocks,
  };
  return { batch, ids: utf8 };
}

/** The file's UTF-8 bytes of the IDs of each batch this module's reader yielded (see {@link arrowIdBytes}). */
const ID_BYTES = new WeakMap<EncodedBatch, Utf8Ids>();

/**
 * The IDs of a batch that {@link readEncodedArrow} yielded, as the file's UTF-8 bytes and offsets
 * (undefined for any other batch): the ID checks run on these without the strings
 * (`checkRecords`).
 * @example
 * ```ts
 * for await (const b of batches) arrowIdBytes(b)?.bytes.length; // the IDs' bytes
 * ```
 */
export function arrowIdBytes(batch: EncodedBatch): Utf8Ids | undefined {
  return ID_BYTES.get(batch);
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
  opts: {
    readonly views?: boolean;
    /** With `views`: IDs made from the file's bytes when read (see `OpenEncodedOptions.lazyIds`). */
    readonly lazyIds?: boolean;
    /** Continues the CRC over a column (default `crc32c`; see `batchCrc`). */
    readonly crcOf?: (bytes: Uint8Array, crc: number) => number;
  } = {},
): Promise<{ meta: EncodedMeta; batches: AsyncIterable<EncodedBatch>; trailer: EncodedTrailer }> {
  const trailer: EncodedTrailer = {};
  // Every message is bounds-checked by our own walk before it is decoded here; apache-arrow is not
  // loaded to read (src/encoded/arrow-read.ts says why).
  const messages = checkedArrowStream(source, label, 'encode it again')[Symbol.asyncIterator]();
  let schema: ArrowMessage;
  try {
    const first = await messages.next();
    if (first.done) throw new Error('no schema');
    schema = arrowMessage(first.value);
    if (schema.headerType !== 1) throw new Error('no schema');
  } catch (e) {
    if (e instanceof BloomlinkError) throw e;
    throw new BloomlinkError(
      'FILE_CORRUPT',
      `${label}: not a bloomlink encoded file (unreadable Arrow stream)`,
      { cause: e },
    );
  }
  const raw = schema.schemaMetadata?.get(META_KEY);
  if (!raw)
    throw new BloomlinkError(
      'FILE_CORRUPT',
      `${label}: not a bloomlink encoded file (no bloomlink metadata)`,
    );
  const metaCrc = crcHex(crc32c(new TextEncoder().encode(raw)));
  const stored = schema.schemaMetadata?.get(META_CRC_KEY);
  const meta = checkMeta(raw, stored, metaCrc, label);
  const fields = schema.fields ?? [];
  const layout = layoutOf(meta);
  async function* batches(): AsyncGenerator<EncodedBatch> {
    let crc = Number.parseInt(metaCrc, 16);
    let records = 0;
    let index = 0;
    let ended = false;
    let endOfStream = false;
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await messages.next();
      } catch (e) {
        // The walk's own refusals (a cut file is FILE_TRUNCATED) and the source's pass as they are.
        if (e instanceof BloomlinkError) throw e;
        throw new BloomlinkError(
          'FILE_CORRUPT',
          `${label}: unreadable Arrow stream; the file is damaged, encode it again`,
          {
            cause: e,
          },
        );
      }
      if (next.done) break;
      let b: EncodedBatch | undefined;
      let ids: Utf8Ids | undefined;
      try {
        const m = arrowMessage(next.value);
        if (m.headerType === 0) {
          endOfStream = true;
          continue;
        }
        if (m.headerType !== 3) throw new Error('a message that is not a record batch');
        index++;
        if (ended)
          throw new BloomlinkError('FILE_CORRUPT', `${label}: record batch ${index} follows the end batch`);
        const end = m.metadata.get(END_KEY);
        if (end !== undefined) {
          const damaged = `${label}: the end batch does not match the file's ${records} records and checksum; the file is damaged, encode it again`;
          if (m.length !== 0) throw new BloomlinkError('FILE_CORRUPT', damaged);
          let parsed: unknown;
          try {
            parsed = JSON.parse(end);
          } catch {
            throw new BloomlinkError('FILE_CORRUPT', damaged);
          }
          const rows = checkEndRecord(parsed, { records, crc32c: crcHex(crc) }, damaged);
          if (rows) trailer.rows = rows;
          trailer.crc32c = crcHex(crc);
          ended = true;
          continue;
        }
        ({ batch: b, ids } = fromMessage(
          m,
          fields,
          layout,
          meta,
          label,
          opts.views === true,
          opts.lazyIds === true,
        ));
        crc = batchCrc(b, meta.schema, crc, ids, opts.crcOf);
        if (m.metadata.get(BATCH_CRC_KEY) !== crcHex(crc))
          throw new BloomlinkError(
            'FILE_CORRUPT',
            `${label}: record batch ${index} fails its CRC-32C checksum; the file is damaged, encode it again`,
          );
        records += b.length;
      } catch (e) {
        if (e instanceof BloomlinkError) throw e;
        // The walk found the whole message (a cut file stops there): what cannot be decoded in it
        // is damage, not truncation.
        throw new BloomlinkError(
          'FILE_CORRUPT',
          `${label}: a message after record batch ${index} cannot be decoded; the file is damaged, encode it again`,
          { cause: e },
        );
      }
      if (b !== undefined && ids !== undefined && b.length > 0) {
        ID_BYTES.set(b, ids);
        yield b;
      }
    }
    if (!endOfStream)
      throw new BloomlinkError(
        'FILE_TRUNCATED',
        `${label}: the encoded file is truncated (no end-of-stream marker); encode it again`,
      );
    if (!ended)
      throw new BloomlinkError(
        'FILE_CORRUPT',
        `${label}: the encoded file has no end batch (its records cannot be checked); the file is damaged, encode it again`,
      );
  }
  return { meta, batches: batches(), trailer };
}
