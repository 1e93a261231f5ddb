import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blobChunks } from '../../../examples/browser-encode/src/blob-chunks.js';

async function chunksOf(blob: Blob, size: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of blobChunks(blob, size)) out.push(c);
  return out;
}

describe('blobChunks', () => {
  it('yields the Blob’s bytes in order, in full chunks but the last', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 64 }),
        async (bytes, size) => {
          const chunks = await chunksOf(new Blob([bytes]), size);
          expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true);
          expect(chunks.slice(0, -1).every((c) => c.length === size)).toBe(true);
          expect(chunks.at(-1)!.length).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('yields one empty chunk for an empty Blob, so it still reads as (empty) bytes', async () => {
    const chunks = await chunksOf(new Blob([]), 8);
    expect(chunks.map((c) => c.length)).toEqual([0]);
  });

  it('rejects a chunk size that is not a positive integer', async () => {
    await expect(chunksOf(new Blob(['x']), 0)).rejects.toThrow(RangeError);
    await expect(chunksOf(new Blob(['x']), 1.5)).rejects.toThrow(RangeError);
  });
});
