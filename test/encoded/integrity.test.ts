import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';
import { batchCrc, crc32c, utf8Ids } from '../../src/encoded/checksum.js';
import { type EncodedFormat, readEncoded, writeEncoded } from '../../src/encoded/file.js';
import { BloomlinkError } from '../../src/errors.js';
import { loadArrow } from '../../src/util/arrow.js';

const KEY = parseKey('00112233445566778899aabbccddeeff');
const enc = new RecordEncoder(KEY, { party: 'coc' });
const people: PersonToEncode[] = Array.from({ length: 40 }, (_, i) => ({
  id: `C${i}`,
  firstName: ['Ann', 'Bob', 'Carla'][i % 3] as string,
  lastName: ['Lee', 'Nguyen-Tran', 'Smith'][i % 3] as string,
  dob: `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
  nameDataQuality: 1,
  dobDataQuality: 1,
  ssnDataQuality: 99,
}));

async function bytesOf(format: EncodedFormat, batches: EncodedBatch[]): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await writeEncoded(format, enc.meta, batches, (c) => {
    chunks.push(c.slice());
  });
  return Buffer.concat(chunks);
}

const codeOf = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof BloomlinkError ? e.code : `uncoded ${String(e)}`),
  );

describe('crc32c', () => {
  it('gives the CRC-32C check value and runs chunk by chunk', () => {
    const b = new TextEncoder().encode('123456789');
    expect(crc32c(b)).toBe(0xe3069283);
    expect(crc32c(b.subarray(4), crc32c(b.subarray(0, 4)))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
  });

  it('equals the bit-by-bit definition at any offset and length (the word-at-a-time path included)', () => {
    // CRC-32C straight from its definition: reflected polynomial 0x82f63b78, one bit at a time.
    const reference = (bytes: Uint8Array, crc: number): number => {
      let c = ~crc >>> 0;
      for (const byte of bytes) {
        c ^= byte;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      return ~c >>> 0;
    };
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 300, size: 'max' }),
        fc.nat(7),
        fc.nat({ max: 0xffffffff }),
        (raw, offset, crc) => {
          const bytes = raw.subarray(Math.min(offset, raw.length));
          expect(crc32c(bytes, crc)).toBe(reference(bytes, crc));
        },
      ),
    );
  });
});

describe('utf8Ids', () => {
  it('gives each ID its UTF-8 bytes, ASCII or not, and the batch CRC is the same with them given', () => {
    for (const ids of [
      ['C1', 'C22', ''],
      ['C1', 'Zoë', '', '名前'],
    ]) {
      const { offsets, bytes } = utf8Ids(ids);
      const te = new TextEncoder();
      expect(ids.map((_, i) => new TextDecoder().decode(bytes.subarray(offsets[i], offsets[i + 1])))).toEqual(
        ids,
      );
      expect(offsets.at(-1)).toBe(te.encode(ids.join('')).length);
      const batch = { ...enc.encodeBatch(people.slice(0, ids.length)), ids };
      expect(batchCrc(batch, enc.meta.schema, 5, utf8Ids(ids))).toBe(batchCrc(batch, enc.meta.schema, 5));
    }
  });
});

describe.each(['arrow', 'jsonl'] as const)('integrity of encoded %s files', (format) => {
  const batches = [enc.encodeBatch(people.slice(0, 25)), enc.encodeBatch(people.slice(25))];

  it('turns every single flipped bit into a coded error or the identical result', async () => {
    const bytes = await bytesOf(format, batches);
    const good = await readEncoded(bytes, 'good');
    let refused = 0;
    let tried = 0;
    const step = Math.max(1, Math.floor((bytes.length * 8) / 1500));
    for (let bit = 0; bit < bytes.length * 8; bit += step) {
      tried++;
      const bad = bytes.slice();
      bad[bit >> 3] = (bad[bit >> 3] as number) ^ (1 << (bit & 7));
      const r = await readEncoded(bad, 'bad').then(
        (v) => v,
        (e: unknown) => e,
      );
      if (r instanceof BloomlinkError) refused++;
      else expect(r, `bit ${bit}`).toEqual(good);
    }
    // Arrow pads buffers to 8 bytes; a flip there changes nothing read. Everything else is refused.
    expect(refused / tried).toBeGreaterThan(format === 'arrow' ? 0.6 : 0.99);
  });

  it('refuses a flipped bit in a record ID', async () => {
    const bytes = await bytesOf(format, batches);
    const at = Buffer.from(bytes).indexOf('C17');
    const bad = bytes.slice();
    bad[at + 2] = (bad[at + 2] as number) ^ 0x01; // C17 -> C16, another record's ID
    expect(await codeOf(readEncoded(bad, 'bad'))).toBe('FILE_CORRUPT');
  });

  it('refuses duplicate IDs, naming the count and not the ID', async () => {
    const dup = enc.encodeBatch(people.map((p, i) => ({ ...p, id: i % 10 === 3 ? 'DUPL' : p.id })));
    const err = await readEncoded(await bytesOf(format, [dup]), 'dup.enc').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BloomlinkError);
    expect((err as BloomlinkError).code).toBe('FILE_DUPLICATE_ID');
    expect((err as BloomlinkError).message).toContain('3 records');
    expect((err as BloomlinkError).message).not.toContain('DUPL');
  });

  it('counts duplicate IDs across batches, and non-ASCII ones, as in one batch', async () => {
    // Arrow's one-batch files check IDs on their bytes; a second batch, or an ID outside ASCII,
    // takes the set of strings: the same count either way.
    const ids = people.map((p, i) => (i % 10 === 3 ? 'DUPL' : i === 5 || i === 6 ? 'Zoë' : p.id));
    const all = enc.encodeBatch(people.map((p, i) => ({ ...p, id: ids[i] as string })));
    const ascii = enc.encodeBatch(people.map((p, i) => ({ ...p, id: i % 10 === 3 ? 'DUPL' : p.id })));
    const split = (b: EncodedBatch) => [
      enc.encodeBatch(people.slice(0, 17).map((p, i) => ({ ...p, id: b.ids[i] as string }))),
      enc.encodeBatch(people.slice(17).map((p, i) => ({ ...p, id: b.ids[17 + i] as string }))),
    ];
    for (const [batches, count] of [
      [[all], 4],
      [split(all), 4],
      [split(ascii), 3],
    ] as const) {
      const err = await readEncoded(await bytesOf(format, [...batches]), 'dup.enc').catch((e: unknown) => e);
      expect((err as BloomlinkError).code).toBe('FILE_DUPLICATE_ID');
      expect((err as BloomlinkError).message).toContain(`${count} records`);
    }
  });

  it('reads a file with zero records', async () => {
    const back = await readEncoded(await bytesOf(format, []), 'empty.enc');
    expect(back.batch.length).toBe(0);
    expect(back.meta.keyCheck).toBe(enc.meta.keyCheck);
  });

  it('reads from a Uint8Array, an ArrayBuffer, a Node stream, a web stream and an iterable', async () => {
    const bytes = await bytesOf(format, batches);
    const sources = [
      bytes,
      bytes.slice().buffer,
      Readable.from([Buffer.from(bytes.subarray(0, 100)), Buffer.from(bytes.subarray(100))]),
      new Blob([bytes.slice().buffer as ArrayBuffer]).stream(),
      [bytes.subarray(0, 7), bytes.subarray(7)],
    ];
    for (const s of sources) expect((await readEncoded(s, 'src')).batch.ids).toEqual(people.map((p) => p.id));
    await expect(readEncoded(Readable.from(['text']), 'src')).rejects.toBeInstanceOf(TypeError);
  });
});

interface Rec {
  id: string;
  dq: number[];
  f: Record<string, unknown>;
  b: Record<string, unknown>;
}

describe('encoded JSON Lines fields', () => {
  const batch = enc.encodeBatch(people.slice(0, 3));
  const edit = async (change: (rec: Rec) => void): Promise<BloomlinkError> => {
    const lines = new TextDecoder().decode(await bytesOf('jsonl', [batch])).split('\n');
    const rec = JSON.parse(lines[2] as string);
    change(rec);
    lines[2] = JSON.stringify(rec);
    const err = await readEncoded(new TextEncoder().encode(lines.join('\n')), 'x.jsonl').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BloomlinkError);
    return err as BloomlinkError;
  };
  it.each([
    ['a 3-byte filter', (r: Rec) => (r.f.lastBloom = 'AAAA'), 'f.lastBloom'],
    ['a data-quality code of 1000', (r: Rec) => (r.dq[1] = 1000), 'dq[1]'],
    ['a data-quality code of -1', (r: Rec) => (r.dq[0] = -1), 'dq[0]'],
    ['a hash as a string', (r: Rec) => (r.f.dob = String(r.f.dob)), 'f.dob'],
    ['a hash as a float', (r: Rec) => (r.f.dob = 1.5), 'f.dob'],
    ['a negative hash', (r: Rec) => (r.f.dob = -5), 'f.dob'],
    ['a hash over 32 bits', (r: Rec) => (r.f.dob = 2 ** 32), 'f.dob'],
    ['an empty ID', (r: Rec) => (r.id = ''), 'id'],
    ['a block key as a string', (r: Rec) => (r.b.initialDob = ['1']), 'b.initialDob'],
    ['an unknown feature', (r: Rec) => (r.f.extra = 1), 'f.extra'],
    ['a missing blocking pass', (r: Rec) => delete r.b.initialDob, 'b.initialDob'],
  ])('refuses %s, naming the line and the field', async (_what, change, field) => {
    const err = await edit(change);
    expect(err.code).toBe('FILE_CORRUPT');
    expect(err.message).toContain(`line 3, field ${field}:`);
  });

  it('refuses a record edited in a valid way through its checksum', async () => {
    const err = await edit((r) => {
      r.f.dob = ((r.f.dob as number) + 1) >>> 0;
    });
    expect(err.code).toBe('FILE_CORRUPT');
    expect(err.message).toContain('CRC-32C');
  });
});

describe('files of format version 1 (no checksums)', () => {
  const v1 = { ...enc.meta, formatVersion: 1 };
  it('refuses a JSON Lines file, naming the version to encode again with', async () => {
    const text = `${JSON.stringify({ bloomlink: v1 })}\n${JSON.stringify({ end: true, records: 0 })}\n`;
    const err = await readEncoded(new TextEncoder().encode(text), 'old.jsonl').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FILE_VERSION' });
    expect((err as Error).message).toMatch(/encode the list again with bloomlink \d+\.\d+\.\d+/);
  });
  it('refuses an Arrow file', async () => {
    const A = await loadArrow();
    const schema = new A.Schema([], new Map([['bloomlink.meta', JSON.stringify(v1)]]));
    const bytes = A.tableToIPC(new A.Table(schema), 'stream');
    expect(await codeOf(readEncoded(bytes, 'old.arrow'))).toBe('FILE_VERSION');
  });
});
