import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileBytes, fileBytesShared, fileBytesSharedApart, readCsvFile } from '../../src/read/source.node.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bloomlink-source-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('fileBytes', () => {
  it('streams a file in chunks of highWaterMark bytes', async () => {
    const path = join(dir, 'bytes.bin');
    await writeFile(path, Buffer.alloc(10_000, 0x41));
    const chunks = await all(fileBytes(path, { highWaterMark: 4096 }));
    expect(chunks.map((c) => c.length)).toEqual([4096, 4096, 1808]);
    expect(chunks.every((c) => c instanceof Uint8Array)).toBe(true);
  });

  it('maps a missing file to FILE_NOT_FOUND and a directory to FILE_UNREADABLE', async () => {
    const missing = join(dir, 'nope.csv');
    await expect(all(fileBytes(missing))).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: `${missing}: file not found`,
    });
    const sub = join(dir, 'sub');
    await mkdir(sub);
    await expect(all(fileBytes(sub))).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
  });

  it('rejects bad arguments', async () => {
    await expect(all(fileBytes(''))).rejects.toThrow(TypeError);
    await expect(all(fileBytes(join(dir, 'x'), { highWaterMark: 0 }))).rejects.toThrow(RangeError);
  });
});

describe('fileBytesShared', () => {
  it('reads a whole file into one array over shared memory', async () => {
    const path = join(dir, 'shared.bin');
    const data = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) & 0xff));
    await writeFile(path, data);
    const bytes = await fileBytesShared(path);
    expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.from(bytes).equals(data)).toBe(true);
    const empty = join(dir, 'empty.bin');
    await writeFile(empty, '');
    expect((await fileBytesShared(empty)).length).toBe(0);
  });

  it('hands the apart ranges over in whole units instead of keeping them (scatter)', async () => {
    const path = join(dir, 'scatter.bin');
    const data = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 13 + (i >> 9)) & 0xff));
    await writeFile(path, data);
    const ranges = [
      { from: 1000, to: 1000 + 12 * 2000, unit: 12 },
      { from: 30_000, to: 30_000 + 7 * 1000, unit: 7 },
    ];
    for (const pieceBytes of [5, 4096, 1 << 20]) {
      const got = ranges.map((r) => Buffer.alloc(r.to - r.from));
      const seen = ranges.map(() => 0);
      const into = new Set<ArrayBufferLike>();
      const { bytes, apart } = await fileBytesSharedApart(path, ranges, {
        pieceBytes,
        onPiece: (all) => {
          into.add(all.buffer);
        },
        scatter: (k, piece, at) => {
          const r = ranges[k]!;
          expect(at % r.unit).toBe(0);
          expect(piece.length % r.unit === 0 || at + piece.length === r.to - r.from).toBe(true);
          got[k]!.set(piece, at);
          seen[k]! += piece.length;
        },
      });
      expect(apart).toEqual([]);
      // onPiece saw only pieces of the file's own array.
      expect([...into]).toEqual([bytes.buffer]);
      ranges.forEach((r, k) => {
        expect(seen[k]).toBe(r.to - r.from);
        expect(got[k]!.equals(data.subarray(r.from, r.to)), `range ${k}, pieces of ${pieceBytes}`).toBe(true);
      });
      // The file's other bytes are in place; the ranges' bytes were never written there.
      const expected = Buffer.from(data);
      for (const r of ranges) expected.fill(0, r.from, r.to);
      expect(Buffer.from(bytes).equals(expected)).toBe(true);
    }
    await expect(
      fileBytesSharedApart(path, [{ from: 0, to: 10, unit: 0 }], { scatter: () => {} }),
    ).rejects.toThrow(RangeError);
  });

  it('puts every piece where it belongs when the file is read in many pieces at once', async () => {
    const path = join(dir, 'pieces.bin');
    const data = Buffer.from(Array.from({ length: 70_001 }, (_, i) => (i * 31 + (i >> 8)) & 0xff));
    await writeFile(path, data);
    for (const pieceBytes of [1, 4096, 9999, 70_000, 70_001, 1 << 20]) {
      // onPiece sees each piece once, after its bytes are in place, and the pieces cover the file.
      const seen: [number, number][] = [];
      const bytes = await fileBytesShared(path, {
        pieceBytes,
        onPiece: (all, from, to) => {
          expect(Buffer.from(all.subarray(from, to)).equals(data.subarray(from, to))).toBe(true);
          seen.push([from, to]);
        },
      });
      expect(Buffer.from(bytes).equals(data), `pieces of ${pieceBytes}`).toBe(true);
      seen.sort((a, b) => a[0] - b[0]);
      expect(seen.length).toBe(Math.ceil(data.length / pieceBytes));
      seen.forEach(([from, to], k) => {
        expect(from).toBe(k * pieceBytes);
        expect(to).toBe(Math.min(data.length, (k + 1) * pieceBytes));
      });
    }
    await expect(fileBytesShared(path, { pieceBytes: 0 })).rejects.toThrow(RangeError);
    // A failing onPiece fails the read, with the reads already started waited for.
    await expect(
      fileBytesShared(path, {
        pieceBytes: 4096,
        onPiece: () => {
          throw new Error('piece');
        },
      }),
    ).rejects.toThrow('piece');
  });

  it('maps a missing file to FILE_NOT_FOUND and a directory to FILE_UNREADABLE', async () => {
    await expect(fileBytesShared(join(dir, 'nope.bin'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    const sub = join(dir, 'a-dir-shared');
    await mkdir(sub);
    await expect(fileBytesShared(sub)).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
    await expect(fileBytesShared('')).rejects.toThrow(TypeError);
  });
});

describe('readCsvFile', () => {
  it('reads a UTF-16LE file with a BOM, naming it by its base name in errors', async () => {
    const path = join(dir, 'Client.csv');
    const text = 'PersonalID,LastName\r\n1,"Pe\u00f1a"\r\n';
    await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(await all(readCsvFile(path))).toEqual([
      { line: 1, fields: ['PersonalID', 'LastName'] },
      { line: 2, fields: ['1', 'Pe\u00f1a'] },
    ]);
    const empty = join(dir, 'Empty.csv');
    await writeFile(empty, '');
    await expect(all(readCsvFile(empty))).rejects.toMatchObject({
      code: 'FILE_EMPTY',
      message: expect.stringMatching(/^Empty\.csv: /),
    });
  });

  it('reads a file larger than one chunk with rows across chunk boundaries', async () => {
    const path = join(dir, 'big.csv');
    const rows = Array.from({ length: 60_000 }, (_, i) => `${i},"name ${i}\nline two",x`);
    await writeFile(path, `id,name,x\n${rows.join('\r\n')}`);
    let count = 0;
    let last = 0;
    for await (const row of readCsvFile(path)) {
      count++;
      last = row.line;
    }
    expect(count).toBe(60_001);
    expect(last).toBe(1 + 2 * 59_999 + 1);
  });
});
