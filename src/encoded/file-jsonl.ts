/**
 * Encoded files as JSON Lines, the human-inspectable alternative to Arrow: a header line with the
 * file-level facts, one line per record (filters in base64, hashes as numbers), check lines and an end
 * line with the record count and CRC-32C checksums, so a truncated or damaged file is detected. Key-free.
 */

import { BloomlinkError } from '../errors.js';
import { DATA_QUALITY_CODES, type DataQuality } from '../records.js';
import {
  BatchBuilder,
  type BlockColumn,
  bloomBytes,
  type EncodedBatch,
  type EncodedMeta,
  type EncodedTrailer,
  type WriteEncodedOptions,
} from './batch.js';
import { crc32c, crcHex } from './checksum.js';
import { refuseClearText } from './clear-text.js';
import { checkEndRecord, checkMeta, endRecord } from './integrity.js';

interface JsonRecord {
  id: string;
  dq: [number, number, number];
  f: Record<string, string | number | number[]>;
  b: Record<string, number[]>;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const byte of bytes) s += String.fromCharCode(byte);
  return btoa(s);
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Records between two check lines, at most (the reader holds them until their check). */
const CHECK_EVERY = 65_536;

/**
 * Serialises encoded batches as JSON Lines, passing each chunk of text to `sink`: a header line
 * (the metadata and its CRC-32C), the records, a check line after every 65,536 records at most and
 * an end line, each check and end line with the CRC-32C of every byte before it.
 * @example
 * ```ts
 * await writeEncodedJsonl(meta, batches, (text) => out.write(text));
 * ```
 */
export async function writeEncodedJsonl(
  meta: EncodedMeta,
  batches: AsyncIterable<EncodedBatch> | Iterable<EncodedBatch>,
  sink: (chunk: string) => void | Promise<void>,
  opts: WriteEncodedOptions = {},
): Promise<{ records: number }> {
  const enc = new TextEncoder();
  refuseClearText('encoded file', meta);
  let crc = 0;
  const emit = async (text: string) => {
    crc = crc32c(enc.encode(text), crc);
    await sink(text);
  };
  const metaJson = JSON.stringify(meta);
  await emit(`{"bloomlink":${metaJson},"crc32c":"${crcHex(crc32c(enc.encode(metaJson)))}"}\n`);
  let records = 0;
  for await (const b of batches) {
    refuseClearText('encoded file', meta, b);
    for (let from = 0; from < b.length; from += CHECK_EVERY) {
      const to = Math.min(b.length, from + CHECK_EVERY);
      const lines: string[] = [];
      for (let i = from; i < to; i++) lines.push(recordLine(meta, b, i));
      records += to - from;
      await emit(`${lines.join('\n')}\n`);
      await emit(`${JSON.stringify({ check: { records, crc32c: crcHex(crc) } })}\n`);
    }
  }
  await sink(`${endRecord({ end: true, records, crc32c: crcHex(crc) }, opts.rows?.())}\n`);
  return { records };
}

function recordLine(meta: EncodedMeta, b: EncodedBatch, i: number): string {
  const f: JsonRecord['f'] = {};
  for (const spec of meta.schema.features) {
    if (spec.kind === 'bloom') {
      const col = b.blooms[spec.name] as Uint8Array;
      const size = col.length / b.length;
      f[spec.name] = toBase64(col.subarray(i * size, (i + 1) * size));
    } else if (spec.kind === 'hash') f[spec.name] = (b.hashes[spec.name] as Uint32Array)[i] as number;
    else
      f[spec.name] = Array.from(
        (b.sets[spec.name] as Uint32Array).subarray(i * spec.max, (i + 1) * spec.max),
      ).filter((x) => x !== 0);
  }
  const blocks: JsonRecord['b'] = {};
  for (const p of meta.schema.blocking) {
    const col = b.blocks[p.name] as BlockColumn;
    blocks[p.name] = Array.from(col.keys.subarray(col.offsets[i] as number, col.offsets[i + 1] as number));
  }
  const rec: JsonRecord = {
    id: b.ids[i] as string,
    dq: [b.nameDq[i] as number, b.dobDq[i] as number, b.ssnDq[i] as number],
    f,
    b: blocks,
  };
  return JSON.stringify(rec);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isU32 = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const RECORD_KEYS: ReadonlySet<string> = new Set(['id', 'dq', 'f', 'b']);

/** The schema's feature and blocking-pass names, built once per schema (not once per record). */
const schemaNames = new WeakMap<EncodedMeta['schema'], { features: Set<string>; passes: Set<string> }>();
function namesOf(schema: EncodedMeta['schema']): { features: Set<string>; passes: Set<string> } {
  let names = schemaNames.get(schema);
  if (names === undefined) {
    names = {
      features: new Set(schema.features.map((x) => x.name)),
      passes: new Set(schema.blocking.map((x) => x.name)),
    };
    schemaNames.set(schema, names);
  }
  return names;
}

/** Checks one record line against the schema and appends it; throws naming the line and the field. */
function addRecord(
  builder: BatchBuilder,
  meta: EncodedMeta,
  rec: Record<string, unknown>,
  bad: (field: string, what: string) => never,
): void {
  for (const k of Object.keys(rec)) if (!RECORD_KEYS.has(k)) bad(k, 'is not a field of an encoded record');
  const { id, dq, f, b } = rec;
  if (typeof id !== 'string' || id === '') bad('id', 'must be a non-empty string');
  if (!Array.isArray(dq) || dq.length !== 3) bad('dq', 'must be three data-quality codes');
  dq.forEach((c, i) => {
    if (!DATA_QUALITY_CODES.has(c as number))
      bad(`dq[${i}]`, "is not one of HUD's data-quality codes 1, 2, 8, 9, 99");
  });
  if (!isObject(f)) bad('f', 'must be an object of features');
  if (!isObject(b)) bad('b', 'must be an object of blocking keys');
  const { features, passes } = namesOf(meta.schema);
  for (const k of Object.keys(f)) if (!features.has(k)) bad(`f.${k}`, 'is not a feature of the schema');
  for (const k of Object.keys(b)) if (!passes.has(k)) bad(`b.${k}`, 'is not a blocking pass of the schema');
  builder.start(id, dq[0] as DataQuality, dq[1] as DataQuality, dq[2] as DataQuality);
  for (const spec of meta.schema.features) {
    const v = f[spec.name];
    const field = `f.${spec.name}`;
    if (spec.kind === 'bloom') {
      const size = bloomBytes(meta.schema, spec.bits);
      if (typeof v !== 'string' || !BASE64.test(v)) bad(field, 'must be a base64 filter');
      const bytes = fromBase64(v);
      if (bytes.length !== size) bad(field, `must be a filter of ${size} bytes, not ${bytes.length}`);
      builder.bloom(spec.name, bytes);
    } else if (spec.kind === 'hash') {
      if (!isU32(v)) bad(field, 'must be an unsigned 32-bit integer');
      builder.hash(spec.name, v);
    } else {
      if (!Array.isArray(v) || v.length > spec.max || !v.every((x) => isU32(x) && x !== 0))
        bad(field, `must be a list of at most ${spec.max} non-zero unsigned 32-bit integers`);
      builder.set(spec.name, v as number[]);
    }
  }
  for (const p of meta.schema.blocking) {
    const v = b[p.name];
    if (!Array.isArray(v) || !v.every(isU32))
      bad(`b.${p.name}`, 'must be a list of unsigned 32-bit integers');
    builder.block(p.name, v as number[]);
  }
}

/**
 * Reads an encoded JSON Lines file from its lines (without line terminators), checking every
 * record against the schema and the CRC-32C of each stretch of records before yielding it. Throws
 * `BloomlinkError` `FILE_EMPTY`, `FILE_CORRUPT` (naming the line and the field), `FILE_VERSION` or
 * `FILE_TRUNCATED`.
 * @example
 * ```ts
 * const { meta, batches } = await readEncodedJsonl(lines, 'coc.jsonl');
 * ```
 */
export async function readEncodedJsonl(
  lines: AsyncIterable<string>,
  label: string,
): Promise<{ meta: EncodedMeta; batches: AsyncIterable<EncodedBatch>; trailer: EncodedTrailer }> {
  const enc = new TextEncoder();
  const trailer: EncodedTrailer = {};
  const it = lines[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done || first.value === '') throw new BloomlinkError('FILE_EMPTY', `${label}: the file is empty`);
  let header: unknown;
  try {
    header = JSON.parse(first.value);
  } catch (e) {
    throw new BloomlinkError('FILE_CORRUPT', `${label}: not a bloomlink encoded file`, { cause: e });
  }
  if (!isObject(header) || !isObject(header.bloomlink))
    throw new BloomlinkError('FILE_CORRUPT', `${label}: not a bloomlink encoded file`);
  const metaJson = JSON.stringify(header.bloomlink);
  const stored = typeof header.crc32c === 'string' ? header.crc32c : undefined;
  const meta = checkMeta(metaJson, stored, crcHex(crc32c(enc.encode(metaJson))), label);
  if (Object.keys(header).length !== 2)
    throw new BloomlinkError(
      'FILE_CORRUPT',
      `${label}: line 1 has fields that are not of a bloomlink header`,
    );
  async function* batches(): AsyncGenerator<EncodedBatch> {
    let crc = crc32c(enc.encode(`${first.value}\n`));
    let builder = new BatchBuilder(meta.schema);
    let lineNo = 1;
    let count = 0;
    for (;;) {
      const r = await it.next();
      if (r.done)
        throw new BloomlinkError(
          'FILE_TRUNCATED',
          `${label}: the encoded file is truncated (no end line); encode it again`,
        );
      lineNo++;
      const at = lineNo;
      const bad = (field: string, what: string): never => {
        throw new BloomlinkError('FILE_CORRUPT', `${label}: line ${at}, field ${field}: ${what}`);
      };
      let rec: unknown;
      try {
        rec = JSON.parse(r.value);
      } catch (e) {
        // A line cut short is the file's last: truncation; one with lines after it is damage (and so
        // is one whose next bytes cannot even be read as lines).
        const last = await it.next().then(
          (n) => n.done === true,
          () => false,
        );
        if (last)
          throw new BloomlinkError(
            'FILE_TRUNCATED',
            `${label}: the encoded file is truncated (line ${at} is cut short, no end line); encode it again`,
            { cause: e },
          );
        throw new BloomlinkError('FILE_CORRUPT', `${label}: line ${at} is not valid JSON`, { cause: e });
      }
      if (!isObject(rec))
        throw new BloomlinkError('FILE_CORRUPT', `${label}: line ${at} is not a JSON object`);
      if ('check' in rec || 'end' in rec) {
        const damaged = `${label}: line ${at}: the records before it fail their CRC-32C checksum or count; the file is damaged, encode it again`;
        if ('end' in rec) {
          const rows = checkEndRecord(rec, { end: true, records: count, crc32c: crcHex(crc) }, damaged);
          if (rows) trailer.rows = rows;
          trailer.crc32c = crcHex(crc);
        } else if (JSON.stringify(rec) !== JSON.stringify({ check: { records: count, crc32c: crcHex(crc) } }))
          throw new BloomlinkError('FILE_CORRUPT', damaged);
        crc = crc32c(enc.encode(`${r.value}\n`), crc);
        if (builder.length > 0) yield builder.finish();
        builder = new BatchBuilder(meta.schema);
        if (!('end' in rec)) continue;
        if (!(await it.next()).done)
          throw new BloomlinkError('FILE_CORRUPT', `${label}: there are lines after the end line`);
        return;
      }
      crc = crc32c(enc.encode(`${r.value}\n`), crc);
      addRecord(builder, meta, rec, bad);
      count++;
      if (builder.length > CHECK_EVERY)
        throw new BloomlinkError(
          'FILE_CORRUPT',
          `${label}: line ${at}: more than ${CHECK_EVERY} records without a check line`,
        );
    }
  }
  return { meta, batches: batches(), trailer };
}
