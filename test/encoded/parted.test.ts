/** Batches of row ranges: read as their concatenation, written as the same bytes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';
import { concatBatches } from '../../src/encoded/concat.js';
import { readEncoded } from '../../src/encoded/file.js';
import { writeEncodedArrow } from '../../src/encoded/file-arrow.js';
import { batchParts, partedBatch, rangeBlocks } from '../../src/encoded/parted.js';
import { Rebatcher } from '../../src/encoded/rebatch.js';
import { sliceBatch } from '../../src/encoded/slice.js';

const KEY = parseKey('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
const names = ['Ann', 'Bob', 'Cy', 'Dee', 'Ed', 'Flo', 'Gus', 'Zoë'];
const enc = new RecordEncoder(KEY, { party: 'mcp' });
const N = 60;
const batch = enc.encodeMany(
  Array.from({ length: N }, (_, i) => ({
    // Some IDs not ASCII: their UTF-8 lengths differ from their string lengths.
    id: i % 7 === 0 ? `Mé${i}` : `M${i}`,
    firstName: names[i % names.length]!,
    lastName: names[(i * 3) % names.length]!,
    ...(i % 4 === 0 ? {} : { dob: `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}` }),
    ...(i % 3 === 0 ? { ssn: `12345${String(1000 + i)}` } : {}),
    nameDataQuality: 1,
    dobDataQuality: i % 4 === 0 ? 99 : 1,
    ssnDataQuality: i % 3 === 0 ? 1 : 99,
  })),
);

/** `b` with every blocking pass's keys behind three words of other keys (offsets not from 0). */
function shifted(b: EncodedBatch): EncodedBatch {
  const blocks = Object.fromEntries(
    Object.entries(b.blocks).map(([k, c]) => [
      k,
      { offsets: c.offsets.map((o) => o + 3), keys: Uint32Array.of(7, 8, 9, ...c.keys) },
    ]),
  );
  return { ...b, blocks };
}

async function written(batches: readonly EncodedBatch[]): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await writeEncodedArrow(enc.meta, batches, (c) => void chunks.push(c.slice()));
  return Buffer.concat(chunks);
}

/** Each batch as an ordinary one: its columns concatenated (no ranges). */
const plain = (b: EncodedBatch): EncodedBatch =>
  concatBatches((batchParts(b) ?? []).map((r) => sliceBatch(r.batch, r.from, r.to)));

describe('partedBatch', () => {
  it('writes the bytes of its concatenation, for any cuts and batch size', async () => {
    const base = shifted(batch);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(N), { maxLength: 8 }),
        fc.integer({ min: 1, max: 25 }),
        async (cuts, size) => {
          const points = [0, ...cuts.sort((x, y) => x - y), N];
          const r = new Rebatcher(size);
          const out: EncodedBatch[] = [];
          for (let k = 1; k < points.length; k++) {
            const from = points[k - 1]!;
            const to = points[k]!;
            // Whole batches with offsets not from 0, and slices (offsets rebased to 0).
            out.push(...r.push(k % 2 === 0 && from === 0 && to === N ? base : sliceBatch(batch, from, to)));
          }
          const last = r.flush();
          if (last) out.push(last);
          expect(out.every((b) => batchParts(b) !== undefined)).toBe(true);
          const bytes = await written(out);
          expect(bytes).toEqual(await written(out.map(plain)));
          const back = await readEncoded(bytes, 'parted.arrow');
          expect(back.batch.ids).toEqual(batch.ids);
          expect(back.batch.blooms).toEqual(batch.blooms);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reads as the concatenation, keeps its columns through a spread, and takes other IDs', () => {
    const ranges = [
      { batch, from: 5, to: 9 },
      { batch: shifted(batch), from: 0, to: 3 },
      { batch, from: 59, to: 60 },
    ];
    const b = partedBatch(ranges);
    expect(batchParts(b)).toBe(ranges);
    expect(b.ids).toHaveLength(8);
    expect(batchParts(b)).toBe(ranges); // the IDs alone keep the ranges
    const want = concatBatches(ranges.map((r) => sliceBatch(r.batch, r.from, r.to)));
    expect(b.length).toBe(8);
    expect(b.ids).toEqual(want.ids);
    expect(b.nameDq).toEqual(want.nameDq);
    expect(b.hashes).toEqual(want.hashes);
    expect(b.blocks).toEqual(want.blocks);
    expect({ ...b }).toEqual({ ...want });
    expect(batchParts(b)).toBeUndefined(); // concatenated: the ranges let go
    expect(batchParts(want)).toBeUndefined();
    const pass = Object.keys(batch.blocks)[0]!;
    const blocks = rangeBlocks(ranges, pass, 8)!;
    expect([...blocks.offsets]).toEqual([...want.blocks[pass]!.offsets]);
    const renamed = partedBatch(ranges, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(renamed.ids).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(renamed.sets).toEqual(want.sets);
    expect(() => partedBatch(ranges, ['a'])).toThrow(RangeError);
    expect(() => partedBatch([{ batch, from: 3, to: 3 }])).toThrow(RangeError);
    expect(() => partedBatch([{ batch, from: 0, to: N + 1 }])).toThrow(RangeError);
  });
});
