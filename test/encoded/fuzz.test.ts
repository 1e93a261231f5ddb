/**
 * Fuzzing the encoded-file readers: a written file, damaged at random (flipped bits, cut, bytes
 * inserted or deleted, a stretch or a line repeated) and fed in random chunks, reads back either
 * identical or as a coded `BloomlinkError`: never a different list, never another exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { type EncodedFormat, readEncoded, writeEncoded } from '../../src/encoded/file.js';
import { BloomlinkError } from '../../src/errors.js';

const enc = new RecordEncoder(parseKey('8899aabbccddeeff0011223344556677'), { party: 'mcp' });
const people: PersonToEncode[] = Array.from({ length: 12 }, (_, i) => ({
  id: `M${i}`,
  firstName: ['Ana', 'Luis', 'Mei'][i % 3] as string,
  lastName: ['Garcia', 'Wong', 'Okafor', 'Ruiz'][i % 4] as string,
  dob: `19${60 + i}-0${1 + (i % 9)}-2${i % 8}`,
  ...(i % 3 === 0 ? { ssn: `5${String(i).padStart(2, '0')}-12-345${i % 10}` } : {}),
  nameDataQuality: 1,
  dobDataQuality: 1,
  ssnDataQuality: i % 3 === 0 ? 1 : 99,
}));

async function write(format: EncodedFormat): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const batches = [enc.encodeBatch(people.slice(0, 5)), enc.encodeBatch(people.slice(5))];
  await writeEncoded(format, enc.meta, batches, (c) => {
    chunks.push(c.slice());
  });
  return Buffer.concat(chunks);
}

type Mutation = (b: Uint8Array) => Uint8Array;

function mutation(size: number, splices: boolean): fc.Arbitrary<Mutation> {
  const at = fc.nat({ max: size - 1 });
  const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
  const flips = fc.array(fc.tuple(at, fc.nat({ max: 7 })), { minLength: 1, maxLength: 3 }).map(
    (bits): Mutation =>
      (b) => {
        const out = b.slice();
        for (const [i, bit] of bits) out[i] = (out[i] as number) ^ (1 << bit);
        return out;
      },
  );
  const cut = at.map(
    (n): Mutation =>
      (b) =>
        b.slice(0, n),
  );
  if (!splices) return fc.oneof(flips, cut);
  const insert = fc.tuple(at, fc.uint8Array({ minLength: 1, maxLength: 8 })).map(
    ([i, ins]): Mutation =>
      (b) =>
        cat(b.subarray(0, i), ins, b.subarray(i)),
  );
  const remove = fc.tuple(at, fc.integer({ min: 1, max: 8 })).map(
    ([i, n]): Mutation =>
      (b) =>
        cat(b.subarray(0, i), b.subarray(i + n)),
  );
  const repeat = fc.tuple(at, fc.integer({ min: 1, max: 400 })).map(
    ([i, n]): Mutation =>
      (b) =>
        cat(b.subarray(0, i + n), b.subarray(i)),
  );
  const line = at.map(
    (i): Mutation =>
      (b) => {
        // Repeat the line holding byte i.
        const start = b.lastIndexOf(0x0a, i) + 1;
        const nl = b.indexOf(0x0a, i);
        const end = nl < 0 ? b.length : nl + 1;
        return cat(b.subarray(0, end), b.subarray(start, end), b.subarray(end));
      },
  );
  return fc.oneof(flips, cut, insert, remove, repeat, line);
}

function chunked(b: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (let k = 0; at < b.length; k++) {
    const n = sizes[k % sizes.length] as number;
    out.push(b.subarray(at, at + n));
    at += n;
  }
  return out;
}

// Arrow: flipped bits and cuts only. Inserted, deleted or repeated bytes inside an Arrow message can
// make apache-arrow's decoder hang or run out of memory before any checksum is seen (a known limit,
// docs/reliability.md); JSON Lines gets every mutation.
describe.each([
  ['arrow', false],
  ['jsonl', true],
] as const)('fuzzing the encoded %s reader', (format, splices) => {
  it('reads a damaged file back identical or refuses it with a code', async () => {
    const bytes = await write(format);
    const good = await readEncoded(bytes, 'good');
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        mutation(bytes.length, splices),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 4 }),
        async (mutate, sizes) => {
          const bad = mutate(bytes);
          const r = await readEncoded(chunked(bad, sizes), 'fuzz').then(
            (v) => v,
            (e: unknown) => e,
          );
          if (r instanceof BloomlinkError) refused++;
          else expect(r).toEqual(good);
        },
      ),
      { numRuns: 200, seed: 14 },
    );
    expect(refused).toBeGreaterThan(100);
  });
});
