import { describe, expect, it } from 'vitest';
import type { CsvRow } from '../../src/read/csv.js';
import { bytesFrom, readCsvBatches, readCsvRows } from '../../src/read/source.js';

const enc = (s: string) => new TextEncoder().encode(s);

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const joined = (chunks: Uint8Array[]) => new TextDecoder().decode(Buffer.concat(chunks));

describe('bytesFrom', () => {
  const text = 'PersonalID,DOB\r\n1,1980-01-02\r\n';

  it('reads a Uint8Array, an ArrayBuffer and a Blob', async () => {
    expect(joined(await all(bytesFrom(enc(text))))).toBe(text);
    expect(joined(await all(bytesFrom(enc(text).buffer as ArrayBuffer)))).toBe(text);
    expect(joined(await all(bytesFrom(new Blob([enc(text)]))))).toBe(text);
  });

  it('reads a ReadableStream and cancels it when the consumer stops early', async () => {
    let cancelled = false;
    const stream = () =>
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(enc('ab'));
          c.enqueue(enc('cd'));
        },
        cancel() {
          cancelled = true;
        },
      });
    const s = stream();
    for await (const chunk of bytesFrom(s)) {
      expect(chunk).toEqual(enc('ab'));
      break;
    }
    expect(cancelled).toBe(true);
    const closed = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(enc('a'));
        c.enqueue(enc('b'));
        c.close();
      },
    });
    expect(joined(await all(bytesFrom(closed)))).toBe('ab');
  });

  it('reads sync and async iterables of chunks', async () => {
    expect(joined(await all(bytesFrom([enc('a'), enc('b')])))).toBe('ab');
    async function* gen() {
      yield enc('x');
      yield enc('y');
    }
    expect(joined(await all(bytesFrom(gen())))).toBe('xy');
  });

  it('rejects other inputs with a TypeError', async () => {
    await expect(all(bytesFrom('text' as unknown as Uint8Array))).rejects.toThrow(TypeError);
    await expect(all(bytesFrom(42 as unknown as Uint8Array))).rejects.toThrow(TypeError);
    await expect(all(bytesFrom([[1, 2]] as unknown as Uint8Array[]))).rejects.toThrow(TypeError);
  });
});

describe('readCsvRows', () => {
  it('detects the encoding, strips the BOM and parses, header first', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc('PersonalID;LastName\r\n1;"Pe\u00f1a"\r\n')]);
    expect(await all(readCsvRows(bytes, { label: 'Client.csv' }))).toEqual<CsvRow[]>([
      { line: 1, fields: ['PersonalID', 'LastName'] },
      { line: 2, fields: ['1', 'Pe\u00f1a'] },
    ]);
  });

  it('reads Windows-1252 files and reports the encoding', async () => {
    const seen: string[] = [];
    const bytes = new Uint8Array([...enc('LastName\nO'), 0x92, ...enc('Neil\n')]);
    const rows = await all(readCsvRows(bytes, { onEncoding: (e) => seen.push(e) }));
    expect(rows[1]!.fields).toEqual(['O\u2019Neil']);
    expect(seen).toEqual(['windows-1252']);
  });

  it('reads a header-only file as one row', async () => {
    expect(await all(readCsvRows(enc('MemberID,DOB\n')))).toEqual([{ line: 1, fields: ['MemberID', 'DOB'] }]);
  });

  it('fails with FILE_EMPTY on 0 bytes, a lone BOM or only blank lines', async () => {
    for (const input of [new Uint8Array(0), new Uint8Array([0xef, 0xbb, 0xbf]), enc('\r\n\r\n')]) {
      await expect(all(readCsvRows(input, { label: 'e.csv' }))).rejects.toMatchObject({
        code: 'FILE_EMPTY',
        message: expect.stringMatching(/^e\.csv: /),
      });
    }
  });

  it('passes on binary, truncation and delimiter options', async () => {
    await expect(
      all(readCsvRows(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]))),
    ).rejects.toMatchObject({
      code: 'FILE_BINARY',
    });
    await expect(all(readCsvRows(enc('a,b\n1,"2\n')))).rejects.toMatchObject({ code: 'FILE_TRUNCATED' });
    expect((await all(readCsvRows(enc('a;b,c\n'), { delimiter: ',' })))[0]!.fields).toEqual(['a;b', 'c']);
  });

  it('yields the same rows in batches', async () => {
    const bytes = enc(`h\n${'x\n'.repeat(100_000)}`);
    const batches = await all(readCsvBatches(bytes));
    expect(batches.flat()).toEqual(await all(readCsvRows(bytes)));
    expect(batches.length).toBeLessThan(100);
    await expect(all(readCsvBatches(new Uint8Array(0)))).rejects.toMatchObject({ code: 'FILE_EMPTY' });
  });
});
