import { RecordBatchReader } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { arrowMessage, BatchCursor } from '../../src/encoded/arrow-read.js';
import { writeEncoded } from '../../src/encoded/file.js';
import { readEncodedArrow } from '../../src/encoded/file-arrow.js';
import { checkedArrowStream } from '../../src/util/arrow-framing.js';

const KEY = parseKey('00112233445566778899aabbccddeeff');
const people: PersonToEncode[] = Array.from({ length: 300 }, (_, i) => ({
  id: i % 7 === 0 ? `Zoë-${i}` : `C${i}`, // some IDs not ASCII
  firstName: ['Ann', 'Bob', 'Carla', 'José'][i % 4] as string,
  lastName: ['Lee', 'Smith', 'Nguyễn'][i % 3] as string,
  dob: `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
  nameDataQuality: 1,
  dobDataQuality: 1,
  ssnDataQuality: 99,
}));
const enc = new RecordEncoder(KEY, { party: 'coc' });
const batches = [enc.encodeBatch(people.slice(0, 120)), enc.encodeBatch(people.slice(120))];

async function fileBytes(): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await writeEncoded('arrow', enc.meta, batches, (c) => {
    chunks.push(c.slice());
  });
  // A Buffer, so messages are views at odd offsets of a shared pool: the reader must copy, not view.
  return Buffer.concat(chunks);
}

async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b;
}

describe('the encoded-file Arrow reader (no apache-arrow)', () => {
  it('reads the schema and each batch as apache-arrow does', async () => {
    const bytes = await fileBytes();
    const theirs = await RecordBatchReader.from(once(bytes));
    await theirs.open();
    const ours = [];
    for await (const m of checkedArrowStream(once(bytes), 'f')) ours.push(arrowMessage(m));
    const schema = ours[0];
    expect(schema?.headerType).toBe(1);
    expect(schema?.fields?.map((f) => [f.name, f.type])).toEqual(
      theirs.schema.fields.map((f) => [f.name, f.typeId]),
    );
    expect(schema?.schemaMetadata).toEqual(theirs.schema.metadata);
    const rbs = [];
    for await (const rb of theirs as AsyncIterable<import('apache-arrow').RecordBatch>) rbs.push(rb);
    const ourBatches = ours.filter((m) => m.headerType === 3);
    expect(ourBatches.length).toBe(rbs.length);
    for (const [k, rb] of rbs.entries()) {
      const m = ourBatches[k];
      expect(m?.length).toBe(rb.numRows);
      expect(m?.metadata).toEqual(rb.metadata);
      if (!m || rb.numRows === 0) continue;
      // The first column, the IDs: node, validity, offsets, bytes.
      const c = new BatchCursor(m);
      expect(c.node()).toEqual([rb.numRows, 0]);
      c.buffer();
      const offsets = new Int32Array(Uint8Array.from(c.buffer()).buffer);
      const data = c.buffer();
      const ids = Array.from({ length: rb.numRows }, (_, i) =>
        new TextDecoder().decode(data.subarray(offsets[i], offsets[i + 1])),
      );
      expect(ids).toEqual(rb.getChild('id')?.toArray());
    }
    expect(ours.at(-1)?.headerType).toBe(0);
  });

  it('gives back an ID that starts with U+FEFF as written (a decoder strips it by default)', async () => {
    const bom = new RecordEncoder(KEY, { party: 'coc' });
    const b = bom.encodeBatch([
      { ...(people[1] as PersonToEncode), id: '\uFEFFC1' },
      people[2] as PersonToEncode,
    ]);
    const chunks: Uint8Array[] = [];
    await writeEncoded('arrow', bom.meta, [b], (c) => {
      chunks.push(c.slice());
    });
    const { batches: read } = await readEncodedArrow(once(Buffer.concat(chunks)), 'x');
    const ids: string[] = [];
    for await (const r of read) ids.push(...r.ids);
    expect(ids).toEqual(['\uFEFFC1', 'C2']);
  });

  it('gives back exactly the batches written, non-ASCII IDs included', async () => {
    const { batches: read } = await readEncodedArrow(once(await fileBytes()), 'f');
    const got = [];
    for await (const b of read) got.push(b);
    expect(got).toEqual(batches);
  });
});
