/**
 * clkhash-compatible encoding on worker threads (and this thread, which encodes the chunks the
 * busy workers cannot take) gives clkhash 0.18.3's CLKs bit for bit (the
 * vectors of test/vectors), in input order, for any number of threads and chunk size, and stops at
 * the first record clkhash would reject with the one-thread error; so does a CSV file encoded in
 * pieces that the workers parse themselves (what `encode --threads N` runs). Slow: each pool starts worker
 * threads that load the library from source.
 */
import { describe, expect, it } from 'vitest';
import { parseClkhashSchema } from '../../../src/encode/clkhash/index.js';
import { type ClkRecord, encodeClksParallel } from '../../../src/encode/clkhash/parallel.node.js';
import { badDates, piecesRun, rowsRun, vectorsCsv } from './csv-pieces.js';
import { loadVectors } from './vectors.js';

const vectors = loadVectors();
const records: ClkRecord[] = vectors.records.map((record, i) => ({ record, line: i + 2 }));

async function encodeAll(
  schemaJson: unknown,
  input: readonly ClkRecord[],
  threads: number,
  chunkRecords?: number,
): Promise<{ clks: string[]; chunks: number }> {
  const clks: string[] = [];
  let chunks = 0;
  // Batches of 10 records in, chunks of `chunkRecords` out.
  const batches = Array.from({ length: Math.ceil(input.length / 10) }, (_, i) =>
    input.slice(10 * i, 10 * i + 10),
  );
  const stream = encodeClksParallel(parseClkhashSchema(schemaJson), vectors.secret, batches, {
    threads,
    allowWeakSecret: true,
    ...(chunkRecords === undefined ? {} : { chunkRecords }),
  });
  for await (const chunk of stream) {
    clks.push(...chunk);
    chunks++;
  }
  return { clks, chunks };
}

async function failure(run: Promise<unknown>): Promise<{ code: unknown; message: string }> {
  try {
    await run;
  } catch (e) {
    return { code: (e as { code?: unknown }).code, message: (e as Error).message };
  }
  throw new Error('expected the run to fail');
}

describe('encodeClksParallel', () => {
  for (const c of vectors.cases) {
    it(`${c.name}: 1 and 2 threads give clkhash's CLKs in order, in chunks of 7 records`, async () => {
      const one = await encodeAll(c.schema, records, 1, 7);
      const two = await encodeAll(c.schema, records, 2, 7);
      expect(one.clks).toEqual(c.clks);
      expect(two.clks).toEqual(c.clks);
      // The chunking is the one asked for, so the workers really had several tasks each.
      expect(two.chunks).toBe(Math.ceil(records.length / 7));
    });
  }

  it('3 threads, the default chunk size and an async input give the same CLKs', async () => {
    const c = vectors.cases[0];
    if (!c) throw new Error('no vector case');
    async function* slowly(): AsyncGenerator<ClkRecord[]> {
      for (const r of records) {
        if (r.line % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
        yield [r];
      }
    }
    const clks: string[] = [];
    for await (const chunk of encodeClksParallel(parseClkhashSchema(c.schema), vectors.secret, slowly(), {
      threads: 3,
      allowWeakSecret: true,
    }))
      clks.push(...chunk);
    expect(clks).toEqual(c.clks);
  });

  it('the first record clkhash rejects stops the run with the one-thread error, on any thread count', async () => {
    const c = vectors.cases.find((k) => parseClkhashSchema(k.schema).features.length > 5);
    if (!c) throw new Error('no vector case with six features');
    const schema = parseClkhashSchema(c.schema);
    // A value every hashed format refuses: not a date, a number or an enum value.
    const column = schema.features.findIndex((f) => !f.ignored && f.format.type !== 'string');
    expect(column).toBeGreaterThanOrEqual(0);
    const bad = records.map((r, i) =>
      i === 30 || i === 100 ? { ...r, record: r.record.map((v, k) => (k === column ? 'x?' : v)) } : r,
    );
    const one = await failure(encodeAll(c.schema, bad, 1, 16));
    const two = await failure(encodeAll(c.schema, bad, 2, 16));
    expect(one.code).toBe('INPUT_INVALID');
    expect(one.message).toContain(`line ${30 + 2}`);
    expect(two).toEqual(one);
    // Only a late record bad: with one worker busy, this thread encodes that chunk itself.
    const late = records.map((r, i) =>
      i === 100 ? { ...r, record: r.record.map((v, k) => (k === column ? 'x?' : v)) } : r,
    );
    const lateOne = await failure(encodeAll(c.schema, late, 1, 4));
    expect(lateOne.message).toContain(`line ${100 + 2}`);
    expect(await failure(encodeAll(c.schema, late, 2, 4))).toEqual(lateOne);
    expect(await failure(encodeAll(c.schema, late, 3, 4))).toEqual(lateOne);
  });

  it('refuses a record of the wrong width or with a value not a string, in input order, on any thread count', async () => {
    const c = vectors.cases.find((k) => parseClkhashSchema(k.schema).features.length > 5);
    if (!c) throw new Error('no vector case with six features');
    const schema = parseClkhashSchema(c.schema);
    const column = schema.features.findIndex((f) => !f.ignored && f.format.type !== 'string');
    const short = records.map((r, i) => (i === 40 ? { ...r, record: r.record.slice(1) } : r));
    const long = records.map((r, i) => (i === 40 ? { ...r, record: [...r.record, 'extra'] } : r));
    const number = records.map((r, i) =>
      i === 40 ? { ...r, record: r.record.map((v, k) => (k === 1 ? (7 as unknown as string) : v)) } : r,
    );
    // A bad value at record 35, in the same chunk of 16 as the short record 40: the earlier error wins.
    const both = short.map((r, i) =>
      i === 35 ? { ...r, record: r.record.map((v, k) => (k === column ? 'x?' : v)) } : r,
    );
    for (const threads of [1, 2, 3]) {
      for (const input of [short, long]) {
        const e = await failure(encodeAll(c.schema, input, threads, 16));
        expect(e.code).toBe('INPUT_INVALID');
        expect(e.message).toContain(`line ${40 + 2} has`);
      }
      const e = await failure(encodeAll(c.schema, number, threads, 16));
      expect(e.message).toBe('record value 1 must be a string');
      const first = await failure(encodeAll(c.schema, both, threads, 16));
      expect(first.code).toBe('INPUT_INVALID');
      expect(first.message).toContain(`line ${35 + 2}`);
    }
  });

  it('refuses a weak secret before any worker starts, as one thread does', async () => {
    const c = vectors.cases[0];
    if (!c) throw new Error('no vector case');
    const run = async (threads: number) => {
      for await (const _ of encodeClksParallel(parseClkhashSchema(c.schema), 'short', [records], {
        threads,
      })) {
        // Never reached.
      }
    };
    const one = await failure(run(1));
    expect(one.code).toBe('KEY_TOO_SHORT');
    expect(await failure(run(2))).toEqual(one);
  });
});

describe('encodeClkPiecesParallel (CSV pieces parsed and encoded on the workers)', () => {
  const bytes = vectorsCsv(vectors);
  for (const c of vectors.cases)
    it(`${c.name}: 2 and 3 threads give clkhash's CLKs in file order, pieces of any size`, async () => {
      for (const threads of [2, 3])
        for (const pieceChars of [1, 97, 1 << 16])
          expect(
            await piecesRun(c.schema, vectors.secret, bytes, threads, pieceChars),
            `${threads} threads, pieces of ${pieceChars}`,
          ).toMatchObject({ clks: c.clks });
    });

  it('stops at the first bad row, CSV or value, with the one-thread error, on any thread count', async () => {
    const { c, spoil } = badDates(vectors);
    const text = new TextDecoder().decode(bytes);
    const inputs = [
      spoil(30, 100), // the first bad row in an early piece (a worker's), another later
      spoil(100), // only a late one: the workers busy, this thread may keep its piece
      new TextEncoder().encode(`${text.trimEnd()},"unclosed\n`), // the parser's error, last piece
    ];
    for (const input of inputs) {
      const one = await rowsRun(c.schema, vectors.secret, input);
      expect(one).toHaveProperty('code');
      for (const threads of [2, 3])
        for (const pieceChars of [1, 300])
          expect(await piecesRun(c.schema, vectors.secret, input, threads, pieceChars)).toEqual(one);
    }
  });

  it('reports a bad value before a later record too long to cut, on any thread count', async () => {
    const { c, spoil } = badDates(vectors);
    const spoiled = spoil(30);
    // A quote never closed, then 2 MiB: cutting the text finds the record too long (CSV_MALFORMED)
    // while the piece with the bad value may still be at a worker.
    const input = new TextEncoder().encode(
      `${new TextDecoder().decode(spoiled)}"unclosed,${'x'.repeat(2 << 20)}\n`,
    );
    const one = await rowsRun(c.schema, vectors.secret, input);
    expect(one).toMatchObject({ code: 'INPUT_INVALID' });
    for (const threads of [1, 2, 3])
      for (const pieceChars of [300, 1 << 16])
        expect(
          await piecesRun(c.schema, vectors.secret, input, threads, pieceChars),
          `${threads} threads, pieces of ${pieceChars}`,
        ).toEqual(one);
  });
});
