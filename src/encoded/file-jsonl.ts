/**
 * Encoded files as JSON Lines, the human-inspectable alternative to Arrow: a header line with the
 * file-level facts, one line per record (filters in base64, hashes as numbers), and an end line with
 * the record count, so a truncated file is detected. Key-free.
 */
import { BloomlinkError } from '../errors.js';
import type { DataQuality } from '../records.js';
import { at, defined } from '../util/defined.js';
import { BatchBuilder, type EncodedBatch, type EncodedMeta } from './batch.js';

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

/**
 * Serialises encoded batches as JSON Lines, passing each chunk of text to `sink`.
 * @example
 * ```ts
 * await writeEncodedJsonl(meta, batches, (text) => out.write(text));
 * ```
 */
export async function writeEncodedJsonl(
  meta: EncodedMeta,
  batches: AsyncIterable<EncodedBatch> | Iterable<EncodedBatch>,
  sink: (chunk: string) => void | Promise<void>,
): Promise<{ records: number }> {
  await sink(`${JSON.stringify({ bloomlink: meta })}\n`);
  let records = 0;
  for await (const b of batches) {
    const lines: string[] = [];
    for (let i = 0; i < b.length; i++) {
      const f: JsonRecord['f'] = {};
      for (const spec of meta.schema.features) {
        if (spec.kind === 'bloom') {
          const bloom = defined(b.blooms[spec.name], `bloom column ${spec.name}`);
          const size = bloom.length / b.length;
          f[spec.name] = toBase64(bloom.subarray(i * size, (i + 1) * size));
        } else if (spec.kind === 'hash') {
          f[spec.name] = defined(b.hashes[spec.name], `hash column ${spec.name}`)[i] ?? 0;
        } else {
          const set = defined(b.sets[spec.name], `hash-set column ${spec.name}`);
          f[spec.name] = Array.from(set.subarray(i * spec.max, (i + 1) * spec.max)).filter((x) => x !== 0);
        }
      }
      const blocks: JsonRecord['b'] = {};
      for (const p of meta.schema.blocking) {
        const col = defined(b.blocks[p.name], `blocking pass ${p.name}`);
        blocks[p.name] = Array.from(col.keys.subarray(col.offsets[i] ?? 0, col.offsets[i + 1] ?? 0));
      }
      const rec: JsonRecord = {
        id: at(b.ids, i),
        dq: [b.nameDq[i] ?? 0, b.dobDq[i] ?? 0, b.ssnDq[i] ?? 0],
        f,
        b: blocks,
      };
      lines.push(JSON.stringify(rec));
    }
    records += b.length;
    if (lines.length > 0) await sink(`${lines.join('\n')}\n`);
  }
  await sink(`${JSON.stringify({ end: true, records })}\n`);
  return { records };
}

/**
 * Reads an encoded JSON Lines file from its lines (without line terminators).
 * @example
 * ```ts
 * const { meta, batches } = await readEncodedJsonl(lines, 'coc.jsonl');
 * ```
 */
export async function readEncodedJsonl(
  lines: AsyncIterable<string>,
  label: string,
  batchSize = 65_536,
): Promise<{ meta: EncodedMeta; batches: AsyncIterable<EncodedBatch> }> {
  const it = lines[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.trim() === '') first = await it.next();
  if (first.done) throw new BloomlinkError('FILE_EMPTY', `${label}: the file is empty`);
  let meta: EncodedMeta;
  try {
    meta = (JSON.parse(first.value) as { bloomlink: EncodedMeta }).bloomlink;
  } catch (e) {
    throw new BloomlinkError('FILE_CORRUPT', `${label}: not a bloomlink encoded file`, { cause: e });
  }
  if (meta?.format !== 'bloomlink-encoded')
    throw new BloomlinkError('FILE_CORRUPT', `${label}: not a bloomlink encoded file`);
  async function* batches(): AsyncGenerator<EncodedBatch> {
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
      if (r.value.trim() === '') continue;
      let rec: JsonRecord & { end?: boolean; records?: number };
      try {
        rec = JSON.parse(r.value);
      } catch (e) {
        throw new BloomlinkError('FILE_CORRUPT', `${label}: line ${lineNo} is not valid JSON`, { cause: e });
      }
      if (rec.end) {
        if (rec.records !== count) {
          throw new BloomlinkError(
            'FILE_CORRUPT',
            `${label}: the end line counts ${rec.records} records but the file has ${count}`,
          );
        }
        if (builder.length > 0) yield builder.finish();
        return;
      }
      try {
        builder.start(rec.id, rec.dq[0] as DataQuality, rec.dq[1] as DataQuality, rec.dq[2] as DataQuality);
        for (const spec of meta.schema.features) {
          const v = rec.f[spec.name];
          if (spec.kind === 'bloom') builder.bloom(spec.name, fromBase64(v as string));
          else if (spec.kind === 'hash') builder.hash(spec.name, v as number);
          else builder.set(spec.name, v as number[]);
        }
        for (const p of meta.schema.blocking) builder.block(p.name, rec.b[p.name] ?? []);
      } catch (e) {
        throw new BloomlinkError('FILE_CORRUPT', `${label}: line ${lineNo} is not a valid encoded record`, {
          cause: e,
        });
      }
      count++;
      if (builder.length >= batchSize) {
        yield builder.finish();
        builder = new BatchBuilder(meta.schema);
      }
    }
  }
  return { meta, batches: batches() };
}
