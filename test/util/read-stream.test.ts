import { describe, expect, it } from 'vitest';
import { readStream } from '../../src/util/read-stream.js';

function streamOf(chunks: unknown[], onCancel: () => void = () => {}): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++] as Uint8Array);
      else c.close();
    },
    cancel: onCancel,
  });
}

describe('readStream', () => {
  it("yields a Web stream's chunks in order and releases the stream", async () => {
    const s = streamOf([Uint8Array.of(1), Uint8Array.of(2, 3)]);
    const got: number[] = [];
    for await (const c of readStream(s)) got.push(...c);
    expect(got).toEqual([1, 2, 3]);
    expect(s.locked).toBe(false);
  });

  it('cancels the stream when the reader stops early', async () => {
    let cancelled = false;
    const s = streamOf([Uint8Array.of(1), Uint8Array.of(2)], () => {
      cancelled = true;
    });
    for await (const _ of readStream(s)) break;
    expect(cancelled).toBe(true);
    expect(s.locked).toBe(false);
  });

  it('refuses a chunk that is not a Uint8Array', async () => {
    const s = streamOf(['text']);
    await expect(async () => {
      for await (const _ of readStream(s)) {
        // drain
      }
    }).rejects.toThrow(TypeError);
  });
});
