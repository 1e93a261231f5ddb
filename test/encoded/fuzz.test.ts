/**
 * Fuzzing the encoded-file readers: a written file, damaged at random (flipped bits, cut, bytes
 * inserted or deleted, a stretch or a line repeated) and fed in random chunks, reads back either
 * identical or as a coded `BloomlinkError`: never a different list, never another exception, never a
 * hang (each case must settle within a time limit).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { type EncodedFormat, readEncoded, writeEncoded } from '../../src/encoded/file.js';
import { BloomlinkError } from '../../src/errors.js';
import { checkArrowIpc } from '../../src/util/arrow-framing.js';

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

function mutation(size: number): fc.Arbitrary<Mutation> {
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

/** Resolves to the read's outcome, or to 'TIMEOUT' when it has not settled in `ms`. */
async function settle(p: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve('TIMEOUT'), ms);
  });
  try {
    return await Promise.race([
      p.then(
        (v) => v,
        (e: unknown) => e,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Per-case limit: a good read of this file takes milliseconds; a hang or a huge allocation does not. */
const CASE_MS = 5_000;

describe.each(['arrow', 'jsonl'] as const)('fuzzing the encoded %s reader', (format) => {
  it('reads a damaged file back identical or refuses it with a code', async () => {
    const bytes = await write(format);
    const good = await readEncoded(bytes, 'good');
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        mutation(bytes.length),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 4 }),
        async (mutate, sizes) => {
          const bad = mutate(bytes);
          const r = await settle(readEncoded(chunked(bad, sizes), 'fuzz'), CASE_MS);
          expect(r).not.toBe('TIMEOUT');
          if (r instanceof BloomlinkError) refused++;
          else expect(r).toEqual(good);
        },
      ),
      { numRuns: 200, seed: 14 },
    );
    expect(refused).toBeGreaterThan(100);
  });
});

// Bytes inserted, deleted or repeated *inside* an Arrow message (its metadata flatbuffer or its
// body) once made apache-arrow loop or allocate for minutes before any checksum was read; our own
// framing walk (src/util/arrow-framing.ts) now refuses them first.
describe('fuzzing the encoded arrow reader inside messages', () => {
  it('gives the identical list or a coded error, in time, for every splice inside a message', async () => {
    const bytes = await write('arrow');
    const good = await readEncoded(bytes, 'good');
    const frames = checkArrowIpc(bytes, 'good');
    const inside = fc
      .constantFrom(...frames)
      .chain((f) =>
        fc.tuple(
          fc.constant(f),
          fc.boolean(),
          fc.nat({ max: Math.max(0, (f.bodyLength > 0 ? f.bodyLength : f.metadataLength) - 1) }),
        ),
      )
      .map(([f, inMeta, k]) =>
        inMeta || f.bodyLength === 0
          ? f.offset + 8 + (k % f.metadataLength)
          : f.offset + 8 + f.metadataLength + k,
      );
    const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
    const splice = fc.oneof(
      fc.tuple(inside, fc.uint8Array({ minLength: 1, maxLength: 16 })).map(
        ([i, ins]) =>
          (b: Uint8Array) =>
            cat(b.subarray(0, i), ins, b.subarray(i)),
      ),
      fc.tuple(inside, fc.integer({ min: 1, max: 64 })).map(
        ([i, n]) =>
          (b: Uint8Array) =>
            cat(b.subarray(0, i), b.subarray(i + n)),
      ),
      fc.tuple(inside, fc.integer({ min: 1, max: 512 })).map(
        ([i, n]) =>
          (b: Uint8Array) =>
            cat(b.subarray(0, i + n), b.subarray(i)),
      ),
    );
    let refused = 0;
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(splice, fc.integer({ min: 1, max: 5000 }), async (mutate, size) => {
        const bad = mutate(bytes);
        const t0 = performance.now();
        const r = await settle(readEncoded(chunked(bad, [size]), 'fuzz'), CASE_MS);
        slowest = Math.max(slowest, performance.now() - t0);
        expect(r).not.toBe('TIMEOUT');
        if (r instanceof BloomlinkError) refused++;
        else expect(r).toEqual(good);
      }),
      { numRuns: 300, seed: 15 },
    );
    expect(refused).toBeGreaterThan(250);
    expect(slowest).toBeLessThan(CASE_MS);
  });
});
