import { describe, expect, it } from 'vitest';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';
import { type EncodedFormat, readEncoded, writeEncoded } from '../../src/encoded/file.js';
import { BloomlinkError } from '../../src/errors.js';
import { concatBytes } from '../../src/util/bytes.js';

const KEY = parseKey('00112233445566778899aabbccddeeff');

const people: PersonToEncode[] = Array.from({ length: 300 }, (_, i) => ({
  id: `C${i}`,
  firstName: ['Ann', 'Bob', 'Carla', ''][i % 4]!,
  lastName: ['Lee', 'Nguyen-Tran', 'Smith'][i % 3]!,
  ...(i % 5 === 0 ? {} : { dob: `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}` }),
  nameDataQuality: 1,
  dobDataQuality: i % 5 === 0 ? 99 : 1,
  ssnDataQuality: 99,
}));

async function bytesOf(
  format: EncodedFormat,
  batches: EncodedBatch[],
  enc: RecordEncoder,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await writeEncoded(format, enc.meta, batches, (c) => {
    chunks.push(c.slice());
  });
  return concatBytes(chunks);
}

async function* once(b: Uint8Array, chunk = 4096): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += chunk) yield b.subarray(i, i + chunk);
}

describe.each(['arrow', 'jsonl'] as const)('encoded %s files', (format) => {
  const enc = new RecordEncoder(KEY, { party: 'coc' });
  const batches = [enc.encodeBatch(people.slice(0, 120)), enc.encodeBatch(people.slice(120))];

  it('round-trips every column and the metadata', async () => {
    const bytes = await bytesOf(format, batches, enc);
    const back = await readEncoded(once(bytes), 'test');
    expect(back.meta.schemaFingerprint).toBe(enc.meta.schemaFingerprint);
    expect(back.meta.keyCheck).toBe(enc.meta.keyCheck);
    expect(back.batch.length).toBe(300);
    expect(back.batch.ids.slice(118, 122)).toEqual(['C118', 'C119', 'C120', 'C121']);
    const whole = enc.encodeBatch(people);
    expect(Array.from(back.batch.hashes.dob!)).toEqual(Array.from(whole.hashes.dob!));
    expect(Array.from(back.batch.blooms.lastBloom!)).toEqual(Array.from(whole.blooms.lastBloom!));
    expect(Array.from(back.batch.sets.lastParts!)).toEqual(Array.from(whole.sets.lastParts!));
    expect(Array.from(back.batch.blocks.initialDob!.offsets)).toEqual(
      Array.from(whole.blocks.initialDob!.offsets),
    );
    expect(Array.from(back.batch.blocks.initialDob!.keys)).toEqual(Array.from(whole.blocks.initialDob!.keys));
    expect(Array.from(back.batch.dobDq)).toEqual(Array.from(whole.dobDq));
  });

  it('keeps IDs that are not ASCII', async () => {
    const b = enc.encodeBatch(['C-1', 'Ñ-2', '客户3', 'C-4'].map((id, i) => ({ ...people[i]!, id })));
    const back = await readEncoded(once(await bytesOf(format, [b], enc)), 'test');
    expect(back.batch.ids).toEqual(['C-1', 'Ñ-2', '客户3', 'C-4']);
  });

  it('contains no clear-text name or date', async () => {
    const text = new TextDecoder('latin1').decode(await bytesOf(format, batches, enc));
    for (const v of ['Nguyen', 'NGUYEN', 'Carla', 'CARLA', '1951-02-11', '19510211'])
      expect(text).not.toContain(v);
  });

  it('refuses a truncated file', async () => {
    const bytes = await bytesOf(format, batches, enc);
    for (const cut of [bytes.length - 3, Math.floor(bytes.length * 0.6)]) {
      await expect(readEncoded(once(bytes.subarray(0, cut)), 'cut')).rejects.toSatisfy(
        (e: unknown) => e instanceof BloomlinkError && ['FILE_TRUNCATED', 'FILE_CORRUPT'].includes(e.code),
      );
    }
  });

  it('refuses an empty file and garbage', async () => {
    await expect(readEncoded(once(new Uint8Array(0)), 'empty')).rejects.toMatchObject({ code: 'FILE_EMPTY' });
    await expect(
      readEncoded(once(new TextEncoder().encode('PersonalID,FirstName\n1,A\n')), 'csv'),
    ).rejects.toMatchObject({
      code: 'FILE_CORRUPT',
    });
  });
});
