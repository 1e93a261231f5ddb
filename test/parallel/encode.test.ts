/**
 * Encoding on worker threads gives exactly the single-threaded batches (same sizes, same bytes),
 * the same issues in the same order and the same counts; packing persons for a worker loses nothing
 * the encoder reads.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EncodedBatch } from '../../src/encode/batch.js';
import type { PersonToEncode } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { encodeList } from '../../src/encode/pipeline.js';
import { encodeListParallel } from '../../src/parallel/encode.node.js';
import { packPersons, unpackPersons } from '../../src/parallel/encode-task.js';
import type { RowIssue } from '../../src/read/types.js';

const KEY = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const SAMPLE = fileURLToPath(new URL('../../data/sample/', import.meta.url));

async function run(threads: number | undefined, file: string) {
  const issues: RowIssue[] = [];
  const opts = { today: '2026-01-01', batchSize: 700, onIssue: (i: RowIssue) => issues.push(i) };
  const r =
    threads === undefined
      ? await encodeList(readFileSync(file), KEY, opts)
      : await encodeListParallel(readFileSync(file), KEY, { ...opts, threads });
  const batches: EncodedBatch[] = [];
  for await (const b of r.batches) batches.push(b);
  return { meta: r.meta, batches, issues, summary: r.reader.summary };
}

describe('encodeListParallel', () => {
  for (const list of ['clients.csv', 'members.csv']) {
    it(`encodes ${list} exactly as encodeList does (2 threads)`, async () => {
      const a = await run(undefined, SAMPLE + list);
      const b = await run(2, SAMPLE + list);
      expect(b.meta).toEqual(a.meta);
      expect(b.batches.map((x) => x.length)).toEqual(a.batches.map((x) => x.length));
      expect(b.batches).toEqual(a.batches);
      expect(b.issues).toEqual(a.issues);
      expect(b.summary).toEqual(a.summary);
    });
  }

  it('wipes its own copies of the key but not the caller’s key', async () => {
    const key = KEY.slice();
    await run(2, `${SAMPLE}members.csv`);
    const r = await encodeListParallel(readFileSync(`${SAMPLE}members.csv`), key, {
      threads: 2,
      today: '2026-01-01',
    });
    for await (const _ of r.batches) break;
    expect(key).toEqual(KEY);
  });
});

describe('packPersons', () => {
  it('round-trips every field the encoder reads', () => {
    const str = fc.option(fc.string({ maxLength: 12 }), { nil: undefined });
    const dq = fc.constantFrom(1, 2, 8, 9, 99);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.string({ minLength: 1, maxLength: 8 }),
            firstName: str,
            middleName: str,
            lastName: str,
            nameSuffix: str,
            dob: str,
            ssn: str,
            sex: fc.option(fc.constantFrom('F', 'M'), { nil: undefined }),
            nameDataQuality: dq,
            dobDataQuality: dq,
            ssnDataQuality: dq,
          }),
          { maxLength: 20 },
        ),
        (raw) => {
          const persons = raw.map((r) =>
            Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)),
          ) as unknown as PersonToEncode[];
          expect(unpackPersons(packPersons(persons))).toEqual(persons);
        },
      ),
    );
  });
});
