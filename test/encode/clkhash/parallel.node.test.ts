/**
 * encodeClksParallel on one thread (no workers; the worker runs are in parallel.node.slow.test.ts):
 * clkhash 0.18.3's CLKs bit for bit, in input order, in the chunks asked for.
 */
import { describe, expect, it } from 'vitest';
import { parseClkhashSchema } from '../../../src/encode/clkhash/index.js';
import { type ClkRecord, encodeClksParallel } from '../../../src/encode/clkhash/parallel.node.js';
import { loadVectors } from './vectors.js';

const vectors = loadVectors();
const records: ClkRecord[] = vectors.records.map((record, i) => ({ record, line: i + 2 }));

describe('encodeClksParallel, one thread', () => {
  for (const c of vectors.cases)
    it(`${c.name}: clkhash's CLKs, in chunks of 7 records`, async () => {
      const chunks: string[][] = [];
      for await (const chunk of encodeClksParallel(parseClkhashSchema(c.schema), vectors.secret, [records], {
        threads: 1,
        chunkRecords: 7,
        allowWeakSecret: true,
      }))
        chunks.push(chunk);
      expect(chunks.flat()).toEqual(c.clks);
      expect(chunks.map((k) => k.length)).toEqual(
        Array.from({ length: Math.ceil(records.length / 7) }, (_, i) => Math.min(7, records.length - 7 * i)),
      );
    });

  it('checks its options', async () => {
    const c = vectors.cases[0];
    if (!c) throw new Error('no vector case');
    const schema = parseClkhashSchema(c.schema);
    for (const opts of [{ threads: 0 }, { chunkRecords: 0 }, { threads: 1.5 }])
      await expect(
        encodeClksParallel(schema, vectors.secret, [records], { allowWeakSecret: true, ...opts }).next(),
      ).rejects.toThrow(RangeError);
  });
});
