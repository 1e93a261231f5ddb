/** Reading an input a second time (the two passes over a member list). */
import { describe, expect, it } from 'vitest';
import { replayable } from '../../src/read/replay.js';

async function drain(input: unknown): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const x of input as AsyncIterable<unknown>) out.push(x);
  return out;
}

describe('replayable', () => {
  it('reads buffers and arrays again as they are', () => {
    const bytes = new Uint8Array([1, 2]);
    expect(replayable(bytes).again()).toBe(bytes);
    const rows = [{ MemberID: 'M1' }];
    expect(replayable(rows).again()).toBe(rows);
  });

  it('keeps the chunks of a one-shot stream during the first read, once', async () => {
    async function* chunks() {
      yield new Uint8Array([1]);
      yield new Uint8Array([2]);
    }
    const r = replayable(chunks());
    expect(() => r.again()).toThrow(TypeError); // not read yet
    expect(await drain(r.first)).toEqual([new Uint8Array([1]), new Uint8Array([2])]);
    expect(await drain(r.again())).toEqual([new Uint8Array([1]), new Uint8Array([2])]);
    expect(() => r.again()).toThrow(TypeError); // handed over once
  });

  it('keeps nothing after stop(), and reopens with the function given', async () => {
    async function* chunks() {
      yield new Uint8Array([1]);
    }
    const r = replayable(chunks());
    r.stop();
    await drain(r.first);
    expect(() => r.again()).toThrow(TypeError);
    const again = new Uint8Array([9]);
    expect(replayable(chunks(), () => again).again()).toBe(again);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([3]));
        c.close();
      },
    });
    const s = replayable(stream);
    expect(await drain(s.first)).toEqual([new Uint8Array([3])]);
    expect(await drain(s.again())).toEqual([new Uint8Array([3])]);
  });
});
