import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { BloomlinkError } from '../../src/errors.js';
import {
  type ArrowFrame,
  checkArrowIpc,
  checkedArrowStream,
  firstBatchEnd,
} from '../../src/util/arrow-framing.js';

const table = tableFromArrays({
  id: ['a', 'bb', 'ccc', 'dddd'],
  n: Int32Array.from([1, 2, 3, 4]),
  f: Float64Array.from([0.5, 1.5, 2.5, 3.5]),
});
const stream = tableToIPC(table, 'stream');
const file = tableToIPC(table, 'file');

async function* chunks(b: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < b.length; at += size) yield b.subarray(at, at + size);
}

async function streamed(b: Uint8Array, size = 7): Promise<{ out: Uint8Array; frames: ArrowFrame[] }> {
  const frames: ArrowFrame[] = [];
  const parts: Uint8Array[] = [];
  for await (const c of checkedArrowStream(chunks(b, size), 'x.arrow', 'write it again', (f) =>
    frames.push(f),
  ))
    parts.push(c);
  return { out: new Uint8Array(Buffer.concat(parts)), frames };
}

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return e instanceof BloomlinkError ? e.code : `uncoded ${String(e)}`;
  }
};
const asyncCodeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof BloomlinkError ? e.code : `uncoded ${String(e)}`),
  );

const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** The absolute position of field `i` of the flatbuffer table at `table` in the metadata at `base`. */
function fieldAt(b: Uint8Array, base: number, table: number, i: number): number {
  const v = dv(b);
  const vt = table - v.getInt32(base + table, true);
  const off = v.getUint16(base + vt + 4 + 2 * i, true);
  if (off === 0) throw new Error(`field ${i} absent`);
  return base + table + off;
}

/** Positions in `b` of the record batch message at frame `f`: body length, node and buffer vectors. */
function recordBatchParts(b: Uint8Array, f: ArrowFrame) {
  const base = f.offset + 8;
  const v = dv(b);
  const root = v.getUint32(base, true);
  const bodyLength = fieldAt(b, base, root, 3);
  const headerRef = fieldAt(b, base, root, 2);
  const header = headerRef - base + v.getUint32(headerRef, true);
  const vec = (i: number) => {
    const ref = fieldAt(b, base, header, i);
    return ref + v.getUint32(ref, true); // the vector's length; elements follow
  };
  return { bodyLength, nodes: vec(1), buffers: vec(2) };
}

describe('checkArrowIpc and checkedArrowStream on good data', () => {
  it('walks the stream format: the schema, the batches, nothing else', async () => {
    const frames = checkArrowIpc(stream, 's.arrow');
    expect(frames[0]).toMatchObject({ offset: 0, headerType: 1, bodyLength: 0 });
    expect(frames.slice(1).every((f) => f.headerType === 2 || f.headerType === 3)).toBe(true);
    for (const f of frames) {
      expect((8 + f.metadataLength) % 8).toBe(0);
      expect(f.bodyLength % 8).toBe(0);
    }
    const last = frames.at(-1) as ArrowFrame;
    expect(last.offset + 8 + last.metadataLength + last.bodyLength + 8).toBe(stream.length);
  });

  it('passes a stream on unchanged, message by message, whatever the chunking', async () => {
    for (const size of [1, 3, 64, 100_000]) {
      const { out, frames } = await streamed(stream, size);
      expect(out).toEqual(stream);
      expect(frames).toEqual(checkArrowIpc(stream, 's.arrow'));
    }
  });

  it('walks the file format and checks each footer block against the messages', () => {
    const frames = checkArrowIpc(file, 'f.arrow');
    expect(frames.map((f) => f.headerType)).toContain(3);
    // A footer block that names another offset: the last record-batch block of the footer moved by 8.
    const bad = file.slice();
    const v = dv(bad);
    const first = frames.find((f) => f.headerType === 3) as ArrowFrame;
    let hits = 0;
    for (let at = bad.length - 10; at > first.offset; at -= 8) {
      if (
        v.getBigInt64(at, true) === BigInt(first.offset) &&
        v.getInt32(at + 8, true) === first.metadataLength + 8
      ) {
        v.setBigInt64(at, BigInt(first.offset + 8), true);
        hits++;
        break;
      }
    }
    expect(hits).toBe(1);
    expect(codeOf(() => checkArrowIpc(bad, 'f.arrow'))).toBe('FILE_CORRUPT');
  });
});

describe('damaged framing is a coded error naming the offset, never a value', () => {
  const frames = checkArrowIpc(stream, 's.arrow');
  const batch = frames.find((f) => f.headerType === 3) as ArrowFrame;
  const parts = recordBatchParts(stream, batch);
  const edit = (change: (v: DataView, b: Uint8Array) => void): Uint8Array => {
    const b = stream.slice();
    change(dv(b), b);
    return b;
  };
  const cases: [string, Uint8Array, string, string][] = [
    [
      'no continuation marker',
      edit((v) => v.setUint32(batch.offset, 0x12345678, true)),
      'FILE_CORRUPT',
      'continuation',
    ],
    [
      'a negative metadata length',
      edit((v) => v.setInt32(batch.offset + 4, -8, true)),
      'FILE_CORRUPT',
      'negative',
    ],
    [
      'a metadata length not 8-aligned',
      edit((v) => v.setInt32(batch.offset + 4, 12, true)),
      'FILE_CORRUPT',
      'multiple of 8',
    ],
    [
      'a negative body length',
      edit((v) => v.setBigInt64(parts.bodyLength, -8n, true)),
      'FILE_CORRUPT',
      'negative',
    ],
    [
      'a body length not 8-aligned',
      edit((v) => v.setBigInt64(parts.bodyLength, 12n, true)),
      'FILE_CORRUPT',
      'multiple of 8',
    ],
    [
      'two billion field nodes',
      edit((v) => v.setUint32(parts.nodes, 0x7fffffff, true)),
      'FILE_CORRUPT',
      'field nodes',
    ],
    [
      'two billion buffers',
      edit((v) => v.setUint32(parts.buffers, 0x7fffffff, true)),
      'FILE_CORRUPT',
      'buffers',
    ],
    [
      'a buffer beyond the body',
      edit((v) => v.setBigInt64(parts.buffers + 4 + 8, 1n << 40n, true)),
      'FILE_CORRUPT',
      'outside',
    ],
    [
      'a buffer offset not 8-aligned',
      edit((v) => v.setBigInt64(parts.buffers + 4, 3n, true)),
      'FILE_CORRUPT',
      'aligned',
    ],
    [
      'a node with more nulls than rows',
      edit((v) => v.setBigInt64(parts.nodes + 4 + 8, 1000n, true)),
      'FILE_CORRUPT',
      'null count',
    ],
    [
      'a root offset outside the metadata',
      edit((v) => v.setUint32(batch.offset + 8, 1 << 30, true)),
      'FILE_CORRUPT',
      'out of bounds',
    ],
    [
      'bytes after the end-of-stream marker',
      new Uint8Array([...stream, 1, 2, 3]),
      'FILE_CORRUPT',
      'after the end',
    ],
    ['a record batch first', stream.subarray(batch.offset), 'FILE_CORRUPT', 'not a schema'],
    [
      'the schema twice',
      new Uint8Array([...stream.subarray(0, batch.offset), ...stream]),
      'FILE_CORRUPT',
      'second schema',
    ],
  ];
  it.each(cases)('%s', async (_what, bad, code, words) => {
    const err = (() => {
      try {
        checkArrowIpc(bad, 'bad.arrow');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BloomlinkError);
    expect((err as BloomlinkError).code).toBe(code);
    expect((err as BloomlinkError).message).toContain(words);
    expect((err as BloomlinkError).message).toMatch(/^bad\.arrow: .* at byte \d+/);
    expect(await asyncCodeOf(streamed(bad))).toBe(code);
  });

  it('a body longer than the file: corrupt in a whole buffer, truncated in a stream', async () => {
    const bad = edit((v) => v.setBigInt64(parts.bodyLength, 1n << 50n, true));
    expect(codeOf(() => checkArrowIpc(bad, 'x'))).toBe('FILE_CORRUPT');
    expect(await asyncCodeOf(streamed(bad))).toBe('FILE_TRUNCATED');
  });

  it('empty, cut inside a message, cut before the end-of-stream marker', async () => {
    expect(codeOf(() => checkArrowIpc(new Uint8Array(0), 'x'))).toBe('FILE_EMPTY');
    expect(await asyncCodeOf(streamed(new Uint8Array(0)))).toBe('FILE_EMPTY');
    for (const n of [3, batch.offset + 20, stream.length - 8, stream.length - 1]) {
      expect(
        codeOf(() => checkArrowIpc(stream.subarray(0, n), 'x')),
        `cut at ${n}`,
      ).toMatch(/FILE_TRUNCATED|FILE_CORRUPT/);
      expect(await asyncCodeOf(streamed(stream.subarray(0, n))), `cut at ${n}`).toBe('FILE_TRUNCATED');
    }
    expect(codeOf(() => checkArrowIpc(stream.subarray(0, stream.length - 8), 'x'))).toBe('FILE_TRUNCATED');
  });

  it('a file without its closing magic, or with a footer length beyond the file', () => {
    expect(codeOf(() => checkArrowIpc(file.subarray(0, file.length - 1), 'x'))).toBe('FILE_TRUNCATED');
    const bad = file.slice();
    dv(bad).setInt32(bad.length - 10, 1 << 30, true);
    expect(codeOf(() => checkArrowIpc(bad, 'x'))).toBe('FILE_CORRUPT');
  });
});

describe('firstBatchEnd', () => {
  it('is undefined for bytes that are not the start of an Arrow stream, or too short to tell', () => {
    expect(firstBatchEnd(new Uint8Array(0))).toBeUndefined();
    expect(firstBatchEnd(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toBeUndefined();
    expect(firstBatchEnd(new Uint8Array([0xff, 0xff, 0xff, 0xff, 16, 0, 0, 0]))).toBeUndefined();
  });
});
