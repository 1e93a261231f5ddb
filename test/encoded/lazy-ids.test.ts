/**
 * A plan's IDs as a lazy list of the file's bytes (`lazyIds`): the same strings, order and array
 * behaviour as the decoded list, read-only; ASCII only; the byte paths (`idBytesOf`, `idStrings`,
 * `idComparison`, `idHashesOfAscii`) give what the strings give. Read through `readEncodedShared`
 * with `lazyIds`, an Arrow file of one batch gives the same batch and the same refusals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { BatchBuilder, type EncodedBatch } from '../../src/encoded/batch.js';
import { utf8Ids } from '../../src/encoded/checksum.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { readEncoded, writeEncoded } from '../../src/encoded/file.js';
import { idBytesOf, idComparison, idStrings, lazyIds } from '../../src/encoded/lazy-ids.js';
import { readEncodedShared } from '../../src/encoded/read-shared.js';
import { idHash, idHashesOfAscii } from '../../src/util/id-order.js';

const ascii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)) });

/** `ids` as a lazy list over bytes that start at an offset (as an Arrow column's do). */
function lazy(ids: readonly string[], lead = 3): readonly string[] {
  const { offsets, bytes } = utf8Ids(ids);
  const shifted = Int32Array.from(offsets, (o) => o + lead);
  const list = lazyIds({ offsets: shifted, bytes });
  if (!list) throw new Error('not lazy');
  return list;
}

describe('lazyIds', () => {
  it('reads as the array of strings it stands for', () => {
    fc.assert(
      fc.property(fc.array(ascii, { maxLength: 40 }), (ids) => {
        const l = lazy(ids);
        expect(l.length).toBe(ids.length);
        expect(Array.isArray(l)).toBe(true);
        expect([...l]).toEqual(ids);
        expect(l.map((s) => s)).toEqual(ids);
        expect(l.slice(1, 3)).toEqual(ids.slice(1, 3));
        expect(Object.keys(l)).toEqual(Object.keys(ids));
        for (let i = 0; i < ids.length; i++) {
          expect(l[i]).toBe(ids[i]);
          expect(i in l).toBe(true);
        }
        expect(l[ids.length]).toBeUndefined();
        expect(ids.length in l).toBe(false);
        expect(new Set(l)).toEqual(new Set(ids));
        expect(idStrings(l)).toEqual(ids);
        expect(idStrings(l, 1, Math.max(1, ids.length - 1))).toEqual(
          ids.slice(1, Math.max(1, ids.length - 1)),
        );
      }),
    );
  });

  it('answers only canonical indices, and refuses writes', () => {
    const l = lazy(['A', 'BB', 'CCC']) as unknown as Record<string, unknown> & string[];
    expect(l['1']).toBe('BB');
    for (const k of ['01', '1.0', ' 1', '+1', '-0', '1e0', '']) {
      expect(l[k]).toBeUndefined();
      expect(k in l).toBe(false);
    }
    expect(l.indexOf('CCC')).toBe(2);
    expect(l.includes('D')).toBe(false);
    expect(JSON.stringify(l)).toBe('["A","BB","CCC"]');
    expect(() => {
      l[0] = 'Z';
    }).toThrow(TypeError);
    expect(() => l.push('D')).toThrow(TypeError);
    expect(l[0]).toBe('A');
  });

  it('makes long IDs whole', () => {
    const long = 'x'.repeat(5000) + 'y'.repeat(3001);
    expect(lazy(['a', long, 'b'])[1]).toBe(long);
  });

  it('is not made for IDs with a non-ASCII byte (the strings are decoded instead)', () => {
    expect(lazyIds(utf8Ids(['M1', 'Zoë']))).toBeUndefined();
    expect(lazyIds(utf8Ids(['M1', 'M2']))).toBeDefined();
  });

  it('compares and hashes on the bytes as on the strings', () => {
    fc.assert(
      fc.property(fc.array(ascii, { minLength: 1, maxLength: 30 }), fc.integer(), (ids, seed) => {
        const l = lazy(ids);
        const onBytes = idComparison(l);
        const onStrings = idComparison(ids);
        for (let a = 0; a < ids.length; a++)
          for (let b = 0; b < ids.length; b++) {
            const x = ids[a] as string;
            const y = ids[b] as string;
            const want = x < y ? -1 : x > y ? 1 : 0;
            expect(onBytes(a, b)).toBe(want);
            expect(onStrings(a, b)).toBe(want);
          }
        const utf8 = idBytesOf(l);
        expect(utf8).toBeDefined();
        expect(idBytesOf(ids)).toBeUndefined();
        const out = new Uint32Array(ids.length + 2);
        idHashesOfAscii(utf8?.offsets ?? new Int32Array(1), utf8?.bytes ?? new Uint8Array(0), seed, out, 2);
        expect([...out.subarray(2)]).toEqual(ids.map((id) => idHash(id, seed)));
      }),
    );
  });
});

const KEY = parseKey('8899aabbccddeeff0011223344556677');
const people = (ids: readonly string[]): PersonToEncode[] =>
  ids.map((id, i) => ({
    id,
    firstName: ['Ana', 'Luis', 'Mei'][i % 3] as string,
    lastName: ['Garcia', 'Wong', 'Okafor'][i % 3] as string,
    dob: `19${60 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`,
    nameDataQuality: 1,
    dobDataQuality: 1,
    ssnDataQuality: 99,
  }));

async function fileOf(ids: readonly string[], edit?: (b: EncodedBatch) => EncodedBatch): Promise<Uint8Array> {
  const enc = new RecordEncoder(KEY, { party: 'mcp' });
  const b = new BatchBuilder(DEFAULT_SCHEMA);
  for (const p of people(ids)) enc.encodeInto(p, b);
  enc.dispose();
  const batch = edit ? edit(b.finish()) : b.finish();
  const chunks: Uint8Array[] = [];
  await writeEncoded('arrow', enc.meta, [batch], (c) => {
    chunks.push(c.slice());
  });
  const bytes = Buffer.concat(chunks);
  // In shared memory, as `bloomlink match` reads a plan of one batch.
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  return shared;
}

describe('readEncodedShared with lazyIds', () => {
  const read = (bytes: Uint8Array) =>
    readEncodedShared(bytes, 'mcp.arrow', { blocks: false, sizeHint: bytes.length, lazyIds: true });

  it('gives the batch the strings give, its IDs a lazy list when ASCII', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `M${(i * 7919) % 1000}`);
    const bytes = await fileOf(ids);
    const eager = await readEncoded(bytes, 'mcp.arrow');
    const list = await read(bytes);
    expect(idBytesOf(list.batch.ids)).toBeDefined();
    expect([...list.batch.ids]).toEqual(eager.batch.ids);
    expect({ ...list.batch, ids: [] }).toEqual({ ...eager.batch, ids: [] });
    // Not ASCII: strings, as before.
    const zoe = [...ids.slice(0, 10), 'Zoë'];
    const strings = await read(await fileOf(zoe));
    expect(idBytesOf(strings.batch.ids)).toBeUndefined();
    expect(strings.batch.ids).toEqual(zoe);
  });

  it('refuses an empty ID and a repeated one as before', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `M${i}`);
    const empty = await fileOf(ids, (b) => ({ ...b, ids: b.ids.map((id, i) => (i === 7 ? '' : id)) }));
    await expect(read(empty)).rejects.toMatchObject({
      code: 'FILE_CORRUPT',
      message: 'mcp.arrow: record 8 has an empty ID',
    });
    const repeated = await fileOf(ids, (b) => ({ ...b, ids: b.ids.map((id, i) => (i === 9 ? 'M3' : id)) }));
    await expect(read(repeated)).rejects.toMatchObject({ code: 'FILE_DUPLICATE_ID' });
  });
});
