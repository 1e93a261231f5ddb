/**
 * encodeClksParallel and encodeClkPiecesParallel on one thread (no workers; the worker runs are in
 * parallel.node.slow.test.ts): clkhash 0.18.3's CLKs bit for bit, in input order, in the chunks
 * asked for; from CSV pieces, what reading the rows one by one gives, errors included.
 */
import { describe, expect, it, vi } from 'vitest';
import { parseClkhashSchema } from '../../../src/encode/clkhash/index.js';
import {
  type ClkRecord,
  encodeClkPiecesParallel,
  encodeClksParallel,
} from '../../../src/encode/clkhash/parallel.node.js';
import { WorkerEntry } from '../../../src/parallel/entry.node.js';
import { splitCsv } from '../../../src/read/split.js';
import { badDates, piecesRun, rowsRun, vectorsCsv } from './csv-pieces.js';
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

describe('encodeClkPiecesParallel, one thread', () => {
  const bytes = vectorsCsv(vectors);
  for (const c of vectors.cases)
    it(`${c.name}: clkhash's CLKs from CSV pieces of any size, as the rows read one by one`, async () => {
      expect(await rowsRun(c.schema, vectors.secret, bytes)).toEqual({ clks: c.clks, pieces: -1 });
      for (const pieceChars of [1, 97, 1 << 16]) {
        const out = await piecesRun(c.schema, vectors.secret, bytes, 1, pieceChars);
        expect(out, `pieces of ${pieceChars}`).toMatchObject({ clks: c.clks });
        if (pieceChars === 1) expect(out).toMatchObject({ pieces: vectors.records.length });
      }
    });

  it('takes the columns by name, in any order', async () => {
    const c = vectors.cases[0];
    if (!c) throw new Error('no vector case');
    const order = [...vectors.header.keys()].reverse();
    expect(await piecesRun(c.schema, vectors.secret, vectorsCsv(vectors, order), 1, 50)).toMatchObject({
      clks: c.clks,
    });
  });

  it('stops at the first bad row, CSV or value, with the error reading row by row gives', async () => {
    const { c, spoil } = badDates(vectors);
    const bad = spoil(40);
    const expected = await rowsRun(c.schema, vectors.secret, bad);
    expect(expected).toMatchObject({ code: 'INPUT_INVALID' });
    expect((expected as { message: string }).message).toContain(`line ${40 + 2}`);
    for (const pieceChars of [1, 200])
      expect(await piecesRun(c.schema, vectors.secret, bad, 1, pieceChars)).toEqual(expected);
    // A quoted field never closed (the parser's one error: it reads any other quote leniently): on
    // the last record, after every other piece has been encoded.
    const text = new TextDecoder().decode(vectorsCsv(vectors));
    const unclosed = new TextEncoder().encode(`${text.trimEnd()},"unclosed\n`);
    const parse = await rowsRun(c.schema, vectors.secret, unclosed);
    expect(parse).toMatchObject({ code: 'FILE_TRUNCATED' });
    expect((parse as { message: string }).message).toContain(`line ${vectors.records.length + 1}`);
    for (const pieceChars of [1, 200])
      expect(await piecesRun(c.schema, vectors.secret, unclosed, 1, pieceChars)).toEqual(parse);
  });

  it('checks its options', async () => {
    const c = vectors.cases[0];
    if (!c) throw new Error('no vector case');
    const schema = parseClkhashSchema(c.schema);
    const layout = { columns: schema.features.map(() => 0), delimiter: ',', label: 'x' };
    await expect(
      encodeClkPiecesParallel(schema, vectors.secret, [], layout, { threads: 0 }).next(),
    ).rejects.toThrow(RangeError);
    await expect(
      encodeClkPiecesParallel(
        schema,
        vectors.secret,
        [],
        { ...layout, columns: [0] },
        { allowWeakSecret: true },
      ).next(),
    ).rejects.toThrow(RangeError);
  });
});

describe('encodeClkPiecesParallel, workers that cannot start', () => {
  it('stops the run even when this thread alone has encoded the whole (small) input', async () => {
    const c = vectors.cases[0];
    if (!c) throw new Error('no vector case');
    const schema = parseClkhashSchema(c.schema);
    // The workers' start fails (as with dist/worker.js missing) after this thread has taken the
    // file's only piece itself.
    const start = vi
      .spyOn(WorkerEntry.prototype, 'start')
      .mockImplementation(
        () => new Promise((_, reject) => setTimeout(() => reject(new Error('no worker file')), 20)),
      );
    try {
      const file = await splitCsv(vectorsCsv(vectors), { label: 'clk.csv', pieceChars: 1 << 16 });
      const index = new Map(file.header.fields.map((name, i) => [name, i]));
      const layout = {
        columns: schema.features.map((f) => index.get(f.identifier)),
        delimiter: file.delimiter,
        label: 'clk.csv',
      };
      const run = async (): Promise<number> => {
        let n = 0;
        for await (const r of encodeClkPiecesParallel(schema, vectors.secret, file.pieces(), layout, {
          threads: 2,
          allowWeakSecret: true,
        }))
          n += r.count;
        return n;
      };
      await expect(run()).rejects.toThrow('no worker file');
      expect(start).toHaveBeenCalledTimes(1);
    } finally {
      start.mockRestore();
    }
  });
});
