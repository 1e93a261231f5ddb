import type { Data, Field, Schema } from 'apache-arrow';
import * as A from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { endOfStream, recordBatchChunks, schemaMessage } from '../../src/encoded/arrow-write.js';
import { bloomBytes, type EncodedBatch, type EncodedMeta } from '../../src/encoded/batch.js';
import { batchCrc, crc32c, crcHex, utf8Ids } from '../../src/encoded/checksum.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { writeEncodedArrow } from '../../src/encoded/file-arrow.js';
import { emptyBatch, endRecord } from '../../src/encoded/integrity.js';
import { parseLinkageSchema } from '../../src/encoded/schema.js';

// The writer as it was before `arrow-write.ts`, through apache-arrow's RecordBatchStreamWriter: the
// reference the new writer must match byte for byte.
function arrowSchema(meta: EncodedMeta): Schema {
  const fields: Field[] = [
    new A.Field('id', new A.Utf8(), false),
    new A.Field('nameDq', new A.Uint8(), false),
    new A.Field('dobDq', new A.Uint8(), false),
    new A.Field('ssnDq', new A.Uint8(), false),
  ];
  for (const f of meta.schema.features) {
    if (f.kind === 'bloom')
      fields.push(new A.Field(f.name, new A.FixedSizeBinary(bloomBytes(meta.schema, f.bits)), false));
    else if (f.kind === 'hash') fields.push(new A.Field(f.name, new A.Uint32(), false));
    else fields.push(new A.Field(f.name, new A.FixedSizeBinary(f.max * 4), false));
  }
  for (const p of meta.schema.blocking)
    fields.push(new A.Field(`block:${p.name}`, new A.List(new A.Field('key', new A.Uint32(), false)), false));
  const json = JSON.stringify(meta);
  return new A.Schema(
    fields,
    new Map([
      ['bloomlink.meta', json],
      ['bloomlink.meta.crc32c', crcHex(crc32c(new TextEncoder().encode(json)))],
    ]),
  );
}

function toRecordBatch(schema: Schema, meta: EncodedMeta, b: EncodedBatch, metadata: Map<string, string>) {
  const { offsets, bytes } = utf8Ids(b.ids);
  const n = b.length;
  const children: Data[] = [
    A.makeData({ type: new A.Utf8(), length: n, valueOffsets: offsets, data: bytes }),
    A.makeData({ type: new A.Uint8(), length: n, data: b.nameDq }),
    A.makeData({ type: new A.Uint8(), length: n, data: b.dobDq }),
    A.makeData({ type: new A.Uint8(), length: n, data: b.ssnDq }),
  ];
  for (const f of meta.schema.features) {
    if (f.kind === 'bloom')
      children.push(
        A.makeData({
          type: new A.FixedSizeBinary(bloomBytes(meta.schema, f.bits)),
          length: n,
          data: b.blooms[f.name] as Uint8Array,
        }),
      );
    else if (f.kind === 'hash')
      children.push(A.makeData({ type: new A.Uint32(), length: n, data: b.hashes[f.name] as Uint32Array }));
    else {
      const v = b.sets[f.name] as Uint32Array;
      children.push(
        A.makeData({
          type: new A.FixedSizeBinary(f.max * 4),
          length: n,
          data: new Uint8Array(v.buffer, v.byteOffset, v.byteLength),
        }),
      );
    }
  }
  for (const p of meta.schema.blocking) {
    const col = b.blocks[p.name] as { offsets: Uint32Array; keys: Uint32Array };
    const child = A.makeData({ type: new A.Uint32(), length: col.keys.length, data: col.keys });
    children.push(
      A.makeData({
        type: new A.List(new A.Field('key', new A.Uint32(), false)),
        length: n,
        valueOffsets: Int32Array.from(col.offsets),
        child,
      }),
    );
  }
  return new A.RecordBatch(
    schema,
    A.makeData({ type: new A.Struct(schema.fields), length: n, children }),
    metadata,
  );
}

async function apacheArrowBytes(meta: EncodedMeta, batches: readonly EncodedBatch[]): Promise<Uint8Array> {
  const schema = arrowSchema(meta);
  const writer = new A.RecordBatchStreamWriter();
  writer.reset(undefined, schema);
  let crc = Number.parseInt(schema.metadata.get('bloomlink.meta.crc32c') as string, 16);
  let records = 0;
  for (const b of batches) {
    if (b.length === 0) continue;
    crc = batchCrc(b, meta.schema, crc, utf8Ids(b.ids));
    writer.write(toRecordBatch(schema, meta, b, new Map([['bloomlink.crc32c', crcHex(crc)]])));
    records += b.length;
  }
  const end = endRecord({ records, crc32c: crcHex(crc) }, undefined);
  writer.write(toRecordBatch(schema, meta, emptyBatch(meta), new Map([['bloomlink.end', end]])));
  writer.finish();
  return writer.toUint8Array(true);
}

async function ourBytes(meta: EncodedMeta, batches: readonly EncodedBatch[]): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await writeEncodedArrow(meta, batches, (c) => {
    chunks.push(c.slice());
  });
  return Buffer.concat(chunks);
}

const KEY = parseKey('00112233445566778899aabbccddeeff');
const people: PersonToEncode[] = Array.from({ length: 257 }, (_, i) => ({
  id: i % 7 === 0 ? `Zoë-${i}` : `C${i}`,
  firstName: ['Ann', 'Bob', 'Carla', 'José', 'Mary Ann'][i % 5] as string,
  lastName: ['Lee', 'Smith', 'Nguyễn', 'García López'][i % 4] as string,
  ...(i % 11 === 0 ? {} : { dob: `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}` }),
  nameDataQuality: 1,
  dobDataQuality: i % 11 === 0 ? 99 : 1,
  ssnDataQuality: 99,
}));

describe('the encoded-file Arrow writer (no apache-arrow)', () => {
  it('writes the bytes apache-arrow writes, batch sizes 1 to 200, non-ASCII IDs', async () => {
    const enc = new RecordEncoder(KEY, { party: 'mcp' });
    const batches = [
      enc.encodeBatch(people.slice(0, 1)),
      enc.encodeBatch(people.slice(1, 201)),
      enc.encodeBatch(people.slice(201)),
    ];
    const ours = await ourBytes(enc.meta, batches);
    expect(ours.length).toBeGreaterThan(1000);
    expect(Buffer.compare(ours, await apacheArrowBytes(enc.meta, batches))).toBe(0);
  });

  it('writes the bytes apache-arrow writes with no records, and for another schema', async () => {
    const enc = new RecordEncoder(KEY, { party: 'coc' });
    expect(Buffer.compare(await ourBytes(enc.meta, []), await apacheArrowBytes(enc.meta, []))).toBe(0);
    const schema = parseLinkageSchema({
      ...DEFAULT_SCHEMA,
      hardening: { ...DEFAULT_SCHEMA.hardening, balance: true, xorFolds: 1 },
      blocking: DEFAULT_SCHEMA.blocking.slice(0, 2),
    });
    const other = new RecordEncoder(KEY, { party: 'coc', schema });
    const batches = [other.encodeBatch(people.slice(0, 60)), other.encodeBatch(people.slice(60, 61))];
    expect(other.meta.schema.blocking.length).toBe(2);
    expect(
      Buffer.compare(await ourBytes(other.meta, batches), await apacheArrowBytes(other.meta, batches)),
    ).toBe(0);
  });

  it('writes blocking-key lists whose offsets do not start at 0 as apache-arrow rebases them', async () => {
    const enc = new RecordEncoder(KEY, { party: 'coc' });
    const b = enc.encodeBatch(people.slice(0, 40));
    const shifted: EncodedBatch = {
      ...b,
      blocks: Object.fromEntries(
        Object.entries(b.blocks).map(([name, c]) => {
          const keys = new Uint32Array(c.keys.length + 5);
          keys.set(c.keys, 5);
          return [name, { offsets: c.offsets.map((o) => o + 5), keys }];
        }),
      ),
    };
    const columns = (x: EncodedBatch) =>
      Object.values(x.blocks).map((c) => ({ kind: 'list' as const, offsets: c.offsets, keys: c.keys }));
    const meta = new Map([['k', 'v']]);
    const a = Buffer.concat(recordBatchChunks(b.length, columns(b), meta));
    expect(Buffer.compare(a, Buffer.concat(recordBatchChunks(b.length, columns(shifted), meta)))).toBe(0);
  });

  it('frames each message at 8 bytes and ends with the end-of-stream marker', () => {
    const s = schemaMessage([{ name: 'id', column: { type: 5 } }], new Map([['k', 'v']]));
    const v = new DataView(s.buffer, s.byteOffset, s.byteLength);
    expect(v.getInt32(0, true)).toBe(-1);
    expect(v.getInt32(4, true)).toBe(s.length - 8);
    expect(s.length % 8).toBe(0);
    expect([...endOfStream()]).toEqual([255, 255, 255, 255, 0, 0, 0, 0]);
  });

  it('refuses a column past the 32-bit Arrow offsets instead of writing a wrapped, corrupt file', () => {
    const list = { kind: 'list', offsets: [0, 2 ** 31], keys: new Uint32Array(0) } as const;
    expect(() => recordBatchChunks(1, [list], new Map())).toThrow(RangeError);
    const fine = { kind: 'list', offsets: [0, 2], keys: Uint32Array.of(7, 9) } as const;
    expect(() => recordBatchChunks(1, [fine], new Map())).not.toThrow();
  });
});
