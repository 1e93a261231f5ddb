import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseKey } from '../../src/encode/key.js';
import { encodeList } from '../../src/encode/pipeline.js';
import type { EncodedBatch, EncodedMeta } from '../../src/encoded/batch.js';
import { readEncoded, writeEncoded } from '../../src/encoded/file.js';
import { readEncodedShared } from '../../src/encoded/read-shared.js';
import { concatShared, shareBatch, toShared } from '../../src/encoded/shared.js';
import { firstBatchEnd } from '../../src/util/arrow-framing.js';

const KEY = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const SAMPLE = fileURLToPath(new URL('../../data/sample/members.csv', import.meta.url));

/** The first 2,500 sample members: three batches of 1,000, so reads concatenate batches. */
const ROWS = 2500;

let encodedRun: Promise<{ meta: EncodedMeta; batches: EncodedBatch[] }> | undefined;
const files = new Map<string, Promise<Uint8Array>>();

/** One encoding of the list for every test (both formats are written from the same batches). */
function encodedList(): Promise<{ meta: EncodedMeta; batches: EncodedBatch[] }> {
  encodedRun ??= (async () => {
    const lines = readFileSync(SAMPLE, 'utf8')
      .split('\r\n')
      .slice(0, ROWS + 1);
    const run = await encodeList(new TextEncoder().encode(`${lines.join('\r\n')}\r\n`), KEY, {
      today: '2026-01-01',
      batchSize: 1000,
    });
    const batches: EncodedBatch[] = [];
    for await (const b of run.batches) batches.push(b);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
    return { meta: run.meta, batches };
  })();
  return encodedRun;
}

function encoded(format: 'arrow' | 'jsonl'): Promise<Uint8Array> {
  let p = files.get(format);
  if (!p) {
    p = (async () => {
      const { meta, batches } = await encodedList();
      const chunks: Uint8Array[] = [];
      await writeEncoded(format, meta, batches, (c) => {
        chunks.push(c.slice());
      });
      return Buffer.concat(chunks);
    })();
    files.set(format, p);
  }
  return p;
}

async function* once(b: Uint8Array) {
  yield b;
}

describe('shared memory columns', () => {
  it('toShared copies into a SharedArrayBuffer once', () => {
    const a = toShared(Uint32Array.of(1, 2, 3));
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(a)).toEqual([1, 2, 3]);
    expect(toShared(a)).toBe(a);
  });

  for (const format of ['arrow', 'jsonl'] as const) {
    it(`readEncodedShared reads a ${format} file as readEncoded does, with and without a size hint`, async () => {
      const bytes = await encoded(format);
      const ref = await readEncoded(once(bytes), 'x');
      for (const sizeHint of [bytes.length, undefined]) {
        for (const blocks of [true, false]) {
          const got = await readEncodedShared(
            once(bytes),
            'x',
            sizeHint === undefined ? { blocks } : { blocks, sizeHint },
          );
          expect(got.meta).toEqual(ref.meta);
          expect(got.batch).toEqual(ref.batch);
          expect(got.batch.hashes.dob!.buffer).toBeInstanceOf(SharedArrayBuffer);
          expect(got.batch.blocks.dob!.keys.buffer instanceof SharedArrayBuffer).toBe(blocks);
        }
      }
    });
  }

  it('uses the columns of a one-batch file read into shared memory in place, and copies any other', async () => {
    const { meta, batches } = await encodedList();
    const write = async (bs: EncodedBatch[]) => {
      const chunks: Uint8Array[] = [];
      await writeEncoded('arrow', meta, bs, (c) => {
        chunks.push(c.slice());
      });
      const all = Buffer.concat(chunks);
      const shared = new Uint8Array(new SharedArrayBuffer(all.length));
      shared.set(all);
      return shared;
    };
    const one = concatShared(batches, { blocks: false });
    for (const [bytes, inPlace] of [
      [await write([one]), true],
      [await write(batches), false],
    ] as const) {
      const ref = await readEncoded(once(bytes.slice()), 'x');
      // The CLI tells the two apart from the file's head (firstBatchEnd): a one-batch file's first
      // batch ends just before its end batch; the batched one's ends long before.
      const end = firstBatchEnd(bytes.slice(0, 1 << 20)) ?? Number.NaN;
      expect(bytes.length - end < 65_536, `${bytes.length} - ${end}`).toBe(inPlace);
      expect(end).toBeGreaterThan(0);
      for (const blocks of [true, false]) {
        const got = await readEncodedShared(once(bytes), 'x', { blocks, sizeHint: bytes.length });
        expect(got.batch).toEqual(ref.batch);
        expect(got.batch.hashes.dob!.buffer === bytes.buffer).toBe(inPlace);
        expect(got.batch.blooms.firstBloom!.buffer === bytes.buffer).toBe(inPlace);
        expect(got.batch.sets.dobMasks!.buffer === bytes.buffer).toBe(inPlace);
        expect(got.batch.sets.dobMasks!.buffer).toBeInstanceOf(SharedArrayBuffer);
        // In place, the block lists are views of the file's (shared) bytes too; copied, they are
        // shared only when asked for.
        expect(got.batch.blocks.dob!.keys.buffer === bytes.buffer).toBe(inPlace);
        expect(got.batch.blocks.dob!.offsets.buffer === bytes.buffer).toBe(inPlace);
        expect(got.batch.blocks.dob!.keys.buffer instanceof SharedArrayBuffer).toBe(blocks || inPlace);
      }
    }
  });

  it('refuses a size hint that is too small', async () => {
    const bytes = await encoded('arrow');
    await expect(readEncodedShared(once(bytes), 'x', { blocks: false, sizeHint: 1000 })).rejects.toThrow(
      RangeError,
    );
  });

  it('concatShared and shareBatch keep every value', async () => {
    const ref = await readEncoded(once(await encoded('arrow')), 'x');
    const b = ref.batch;
    const half = Math.floor(b.length / 2);
    const part = (from: number, to: number): EncodedBatch => ({
      length: to - from,
      ids: b.ids.slice(from, to),
      nameDq: b.nameDq.slice(from, to),
      dobDq: b.dobDq.slice(from, to),
      ssnDq: b.ssnDq.slice(from, to),
      blooms: Object.fromEntries(
        Object.entries(b.blooms).map(([k, v]) => [
          k,
          v.slice((from * v.length) / b.length, (to * v.length) / b.length),
        ]),
      ),
      hashes: Object.fromEntries(Object.entries(b.hashes).map(([k, v]) => [k, v.slice(from, to)])),
      sets: Object.fromEntries(
        Object.entries(b.sets).map(([k, v]) => [
          k,
          v.slice((from * v.length) / b.length, (to * v.length) / b.length),
        ]),
      ),
      blocks: Object.fromEntries(
        Object.entries(b.blocks).map(([k, v]) => [
          k,
          {
            offsets: v.offsets.slice(from, to + 1).map((o) => o - v.offsets[from]!),
            keys: v.keys.slice(v.offsets[from], v.offsets[to]),
          },
        ]),
      ),
    });
    expect(concatShared([part(0, half), part(half, b.length)], { blocks: true })).toEqual(b);
    const shared = shareBatch(b, { blocks: false });
    expect(shared.ids).toEqual([]);
    expect(shared.blocks).toEqual({});
    expect(Array.from(shared.hashes.dob!)).toEqual(Array.from(b.hashes.dob!));
  });
});
