import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedHash } from '../../../src/encode/hmac.js';
import { HmacKernel } from '../../../src/encode/kernel/sha256.js';

const utf8 = new TextEncoder();

describe('HMAC kernel block reuse', () => {
  it('gives @noble/hashes digests batch after batch, whatever longer or refused messages used the blocks before', () => {
    const k = HmacKernel.get()!;
    const key = new Uint8Array(32).fill(5);
    const h = new KeyedHash(key, { kernel: false }) as unknown as { inner: Int32Array; outer: Int32Array };
    const slot = k.addState(h.inner, h.outer);
    const message = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('', 'A', 'x'.repeat(55), 'é'.repeat(27), 'é'.repeat(28)),
    );
    // A mask request: a value and a position in it (refused when not ASCII or too long).
    const maskReq = fc
      .oneof(fc.string({ minLength: 1, maxLength: 54 }), fc.constant('1é3'))
      .chain((value) => fc.record({ value: fc.constant(value), i: fc.nat(value.length - 1) }));
    try {
      fc.assert(
        fc.property(
          fc.array(fc.array(fc.oneof(message, maskReq), { maxLength: 30 }), { maxLength: 4 }),
          (batches) => {
            for (const batch of batches) {
              k.begin();
              const queued = batch.map((r) =>
                typeof r === 'string' ? k.queue(slot, r) : k.queueMask(slot, r.value, r.i),
              );
              k.flush();
              batch.forEach((r, x) => {
                const m =
                  typeof r === 'string' ? r : `${r.i}:${r.value.slice(0, r.i)}_${r.value.slice(r.i + 1)}`;
                const q = queued[x]!;
                if (typeof r === 'string') expect(q >= 0).toBe(utf8.encode(m).length <= 55);
                if (q < 0) return;
                const want = hmac(sha256, key, utf8.encode(m));
                expect(k.firstWord(q)).toBe(new DataView(want.buffer).getUint32(0));
              });
            }
          },
        ),
        { numRuns: 200 },
      );
    } finally {
      k.freeState(slot);
    }
  });
});
