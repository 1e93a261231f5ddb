/** Row selections and re-batching of encoded batches keep every column of every row they keep. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';
import { concatBatches } from '../../src/encoded/concat.js';
import { Rebatcher } from '../../src/encoded/rebatch.js';
import { filterBatch, gatherBatch, sliceBatch } from '../../src/encoded/slice.js';

const KEY = parseKey('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
const names = ['Ann', 'Bob', 'Cy', 'Dee', 'Ed', 'Flo', 'Gus'];
const enc = new RecordEncoder(KEY, { party: 'mcp' });
const batch = enc.encodeMany(
  Array.from({ length: 40 }, (_, i) => ({
    id: `M${i}`,
    firstName: names[i % names.length]!,
    lastName: names[(i * 3) % names.length]!,
    ...(i % 4 === 0 ? {} : { dob: `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}` }),
    ...(i % 3 === 0 ? { ssn: `12345${String(1000 + i)}` } : {}),
    nameDataQuality: 1,
    dobDataQuality: i % 4 === 0 ? 99 : 1,
    ssnDataQuality: i % 3 === 0 ? 1 : 99,
  })),
);
/** Each row on its own, as plain arrays (so views and copies compare equal). */
const rows = (b: EncodedBatch) =>
  Array.from({ length: b.length }, (_, i) => {
    const r = sliceBatch(b, i, i + 1);
    return JSON.stringify({
      id: r.ids,
      dq: [...r.nameDq, ...r.dobDq, ...r.ssnDq],
      blooms: Object.entries(r.blooms).map(([k, v]) => [k, [...v]]),
      hashes: Object.entries(r.hashes).map(([k, v]) => [k, [...v]]),
      sets: Object.entries(r.sets).map(([k, v]) => [k, [...v]]),
      blocks: Object.entries(r.blocks).map(([k, c]) => [k, [...c.offsets], [...c.keys]]),
    });
  });

describe('sliceBatch, filterBatch, Rebatcher', () => {
  const all = rows(batch);

  it('slices any range and filters by any mask', () => {
    fc.assert(
      fc.property(
        fc.nat(40),
        fc.nat(40),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        (a, b, mask) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          expect(rows(sliceBatch(batch, from, to))).toEqual(all.slice(from, to));
          const keep = Uint8Array.from(mask, (m) => (m ? 1 : 0));
          expect(rows(filterBatch(batch, keep))).toEqual(all.filter((_, i) => mask[i]));
        },
      ),
    );
    expect(() => sliceBatch(batch, 3, 2)).toThrow(RangeError);
    expect(() => filterBatch(batch, new Uint8Array(3))).toThrow(RangeError);
    expect(sliceBatch(batch, 0, 40)).toBe(batch);
  });

  it('re-cuts batches of any sizes into batches of exactly the size asked, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(40), { maxLength: 6 }), fc.integer({ min: 1, max: 17 }), (cuts, size) => {
        const points = [0, ...cuts.sort((x, y) => x - y), 40];
        const r = new Rebatcher(size);
        const out: EncodedBatch[] = [];
        for (let k = 1; k < points.length; k++)
          out.push(...r.push(sliceBatch(batch, points[k - 1]!, points[k]!)));
        const last = r.flush();
        if (last) out.push(last);
        expect(out.map((b) => b.length)).toEqual(
          Array.from({ length: Math.ceil(40 / size) }, (_, i) => Math.min(size, 40 - i * size)),
        );
        expect(rows(concatBatches(out))).toEqual(all);
      }),
    );
    expect(new Rebatcher(5).flush()).toBeUndefined();
    expect(() => new Rebatcher(0)).toThrow(RangeError);
  });

  it('gathers any records, in any order, as slices concatenated would', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: batch.length - 1 }), { maxLength: 60 }), (picked) => {
        const got = gatherBatch(batch, picked);
        const want =
          picked.length === 0
            ? sliceBatch(batch, 0, 0)
            : concatBatches(picked.map((r) => sliceBatch(batch, r, r + 1)));
        expect(got.length).toBe(picked.length);
        expect(rows(got)).toEqual(rows(want));
      }),
    );
    expect(() => gatherBatch(batch, [batch.length])).toThrow(RangeError);
    expect(() => gatherBatch(batch, [-1])).toThrow(RangeError);
    expect(() => gatherBatch(batch, [0.5])).toThrow(RangeError);
  });
});
