import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlobBuilder } from '../../../examples/browser-encode/src/blob-builder.js';

describe('BlobBuilder', () => {
  it('yields exactly the appended bytes and text, in order, whatever the fold size', async () => {
    const part = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 32 }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(part, { maxLength: 40 }),
        fc.integer({ min: 1, max: 200 }),
        async (parts, fold) => {
          const b = new BlobBuilder('application/octet-stream', fold);
          for (const p of parts) b.append(p);
          const blob = b.finish();
          const expected = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
          expect(Buffer.from(await blob.arrayBuffer()).equals(expected)).toBe(true);
          expect(blob.type).toBe('application/octet-stream');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects a fold size that is not positive', () => {
    expect(() => new BlobBuilder('text/plain', 0)).toThrow(RangeError);
  });
});
