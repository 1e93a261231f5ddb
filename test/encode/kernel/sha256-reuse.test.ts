import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedHash } from '../../../src/encode/hmac.js';
import { HmacKernel } from '../../../src/encode/kernel/sha256.js';

const utf8 = new TextEncoder();

describe('HMAC kernel block reuse', () => {
  it('gives @noble/hashes digests batch after batch, whatever longer or refused messages used the blocks before (single requests, masks, runs of masks)', () => {
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
    // Masks 0 to m − 1 of a value in one call (queueMasks: later blocks from the first one's words).
    const masksReq = fc
      .oneof(fc.string({ minLength: 1, maxLength: 54 }), fc.stringMatching(/^[0-9]{9}$/), fc.constant('1é3'))
      .chain((value) =>
        fc.record({ value: fc.constant(value), m: fc.integer({ min: 1, max: Math.min(10, value.length) }) }),
      );
    const maskText = (value: string, i: number) => `${i}:${value.slice(0, i)}_${value.slice(i + 1)}`;
    try {
      fc.assert(
        fc.property(
          fc.array(fc.array(fc.oneof(message, maskReq, message, masksReq), { maxLength: 30 }), {
            maxLength: 4,
          }),
          (batches) => {
            for (const batch of batches) {
              k.begin();
              const queued = batch.map((r) =>
                typeof r === 'string'
                  ? k.queue(slot, r)
                  : 'm' in r
                    ? k.queueMasks(slot, r.value, r.m)
                    : k.queueMask(slot, r.value, r.i),
              );
              k.flush();
              batch.forEach((r, x) => {
                if (typeof r !== 'string' && 'm' in r) {
                  const first = queued[x]!;
                  const fits = r.value.length + 3 <= 55 && [...r.value].every((c) => c.charCodeAt(0) <= 0x7f);
                  if (!fits) expect(first).toBe(-1);
                  if (first < 0) return;
                  for (let j = 0; j < r.m; j++) {
                    const want = hmac(sha256, key, utf8.encode(maskText(r.value, j)));
                    expect(k.firstWord(first + j)).toBe(new DataView(want.buffer).getUint32(0));
                  }
                  return;
                }
                const m = typeof r === 'string' ? r : maskText(r.value, r.i);
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
