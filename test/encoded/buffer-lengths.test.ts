/**
 * A damaged buffer length in an Arrow record batch's header (its metadata, which the batch's CRC-32C
 * does not cover): the reader takes a column's values from the buffer's start for the records it
 * holds (checked by the CRC), so a length too short for them is refused (`FILE_CORRUPT`) and a longer
 * one changes nothing read — never a different batch. Both readers, the plan's lazy IDs included.
 */
import { describe, expect, it } from 'vitest';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { arrowMessage } from '../../src/encoded/arrow-read.js';
import { BatchBuilder } from '../../src/encoded/batch.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { readEncoded, writeEncoded } from '../../src/encoded/file.js';
import { readEncodedShared } from '../../src/encoded/read-shared.js';
import { BloomlinkError } from '../../src/errors.js';

const KEY = parseKey('8899aabbccddeeff0011223344556677');
const people: PersonToEncode[] = Array.from({ length: 40 }, (_, i) => ({
  id: `M${1000 + i * 37}`,
  firstName: ['Ana', 'Luis', 'Mei', 'Olu'][i % 4] as string,
  lastName: ['Garcia', 'Wong', 'Okafor'][i % 3] as string,
  dob: `19${60 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`,
  nameDataQuality: 1,
  dobDataQuality: 1,
  ssnDataQuality: 99,
}));

/**
 * Where each buffer's length lies in the file (the 8 bytes after its offset in the first record
 * batch's metadata), with the length: found by the (offset, length) pair's 16 bytes.
 */
function bufferLengths(bytes: Uint8Array): { at: number; length: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const schemaEnd = 8 + view.getUint32(4, true);
  const metaFrom = schemaEnd + 8;
  const meta = Buffer.from(bytes.subarray(metaFrom, metaFrom + view.getUint32(schemaEnd + 4, true)));
  const buffers = arrowMessage(bytes.subarray(schemaEnd)).buffers ?? new Float64Array(0);
  const out: { at: number; length: number }[] = [];
  for (let b = 0; 2 * b + 1 < buffers.length; b++) {
    const pair = Buffer.alloc(16);
    pair.writeBigInt64LE(BigInt(buffers[2 * b] as number), 0);
    pair.writeBigInt64LE(BigInt(buffers[2 * b + 1] as number), 8);
    const i = meta.indexOf(pair);
    if (i >= 0 && meta.indexOf(pair, i + 1) < 0)
      out.push({ at: metaFrom + i + 8, length: buffers[2 * b + 1] as number });
  }
  return out;
}

describe('a damaged buffer length in a record batch header', () => {
  it('is refused (FILE_CORRUPT) or changes nothing read, by either reader', async () => {
    const enc = new RecordEncoder(KEY, { party: 'mcp' });
    const b = new BatchBuilder(DEFAULT_SCHEMA);
    for (const p of people) enc.encodeInto(p, b);
    const chunks: Uint8Array[] = [];
    await writeEncoded('arrow', enc.meta, [b.finish()], (c) => {
      chunks.push(c.slice());
    });
    enc.dispose();
    const bytes = Buffer.concat(chunks);
    const intact = await readEncoded(bytes, 'mcp.arrow');
    const lengths = bufferLengths(bytes).filter((l) => l.length > 0);
    // Every buffer with bytes: 3 columns of codes, IDs (offsets, data), features, blocking lists.
    expect(lengths.length).toBeGreaterThan(30);
    let refused = 0;
    let same = 0;
    for (const { at } of lengths)
      for (const [k, mask] of [
        [0, 0x04], // ± 4 bytes
        [0, 0x80],
        [1, 0x01], // ± 256
        [2, 0x10],
        [5, 0x01], // far beyond the file
      ] as const) {
        const bad = new Uint8Array(new SharedArrayBuffer(bytes.length));
        bad.set(bytes);
        bad[at + k] = (bad[at + k] as number) ^ mask;
        for (const reading of [
          () => readEncoded(bad, 'mcp.arrow'),
          () => readEncodedShared(bad, 'mcp.arrow', { blocks: false, sizeHint: bad.length, lazyIds: true }),
        ]) {
          const got = await reading().catch((e: unknown) => e);
          if (got instanceof BloomlinkError) {
            expect(got.code).toBe('FILE_CORRUPT');
            refused++;
          } else {
            const list = got as Awaited<ReturnType<typeof readEncoded>>;
            expect([...list.batch.ids]).toEqual(intact.batch.ids);
            expect({ ...list.batch, ids: [] }).toEqual({ ...intact.batch, ids: [] });
            same++;
          }
        }
      }
    // Both outcomes occur: shorter lengths are refused, longer ones read the same records.
    expect(refused).toBeGreaterThan(0);
    expect(same).toBeGreaterThan(0);
  }, 60_000);
});
