import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedHash } from '../../../src/encode/hmac.js';
import { HMAC_BATCH, HmacKernel } from '../../../src/encode/kernel/sha256.js';
import { hmacModuleBytes } from '../../../src/encode/kernel/sha256-module.js';
import { HMAC_SIMD_WASM } from '../../../src/encode/kernel/sha256-wasm.js';

const hex = (words: ArrayLike<number>): string =>
  Array.from(words, (w) => (w >>> 0).toString(16).padStart(8, '0')).join('');
const bytesHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The key's inner and outer pad states, as KeyedHash computes them (JS). */
function states(key: Uint8Array): { inner: Int32Array; outer: Int32Array } {
  const h = new KeyedHash(key, { kernel: false }) as unknown as { inner: Int32Array; outer: Int32Array };
  return { inner: h.inner.slice(), outer: h.outer.slice() };
}

describe('WebAssembly HMAC-SHA256 kernel', () => {
  it('compiles here and validates, with and without SIMD', () => {
    expect(WebAssembly.validate(hmacModuleBytes())).toBe(true);
    expect(WebAssembly.validate(hmacModuleBytes({ simd: false }))).toBe(true);
    expect(HmacKernel.get()).toBeDefined();
    expect(HmacKernel.get()?.simd).toBe(true);
  });

  it('ships the bytes the module writer emits (regenerate with scripts/gen-hmac-wasm.ts)', () => {
    expect(Buffer.from(HMAC_SIMD_WASM, 'base64').equals(hmacModuleBytes({ simd: true }))).toBe(true);
  });

  it('equals @noble/hashes for any keys and one-block messages, single and batched (SIMD lanes and scalar)', () => {
    expect(HmacKernel.get()!.simd).toBe(true);
    const scalar = HmacKernel.create({ simd: false })!;
    expect(scalar.simd).toBe(false);
    for (const k of [HmacKernel.get()!, scalar])
      fc.assert(
        fc.property(
          fc.array(
            fc.record({
              key: fc.uint8Array({ minLength: 1, maxLength: 100 }),
              message: fc.string({ maxLength: 30 }),
            }),
            { minLength: 1, maxLength: 23 },
          ),
          (reqs) => {
            const slots = reqs.map(({ key }) => {
              const { inner, outer } = states(key);
              return k.addState(inner, outer);
            });
            try {
              k.begin();
              const queued = reqs.map(({ message }, x) => k.queue(slots[x]!, message));
              // A single digest in between must not disturb the queued batch.
              const out = new Int32Array(8);
              const first = reqs[0]!;
              if (k.digest(slots[0]!, first.message, out))
                expect(hex(out)).toBe(
                  bytesHex(hmac(sha256, first.key, new TextEncoder().encode(first.message))),
                );
              k.flush();
              reqs.forEach(({ key, message }, x) => {
                const want = hmac(sha256, key, new TextEncoder().encode(message));
                const fits = new TextEncoder().encode(message).length <= 55;
                expect(queued[x]! >= 0).toBe(fits);
                if (fits) expect(k.firstWord(queued[x]!)).toBe(new DataView(want.buffer).getUint32(0));
              });
            } finally {
              for (const slot of slots) k.freeState(slot);
            }
          },
        ),
        { numRuns: 150 },
      );
  });

  it('gives all eight words of every lane of a batch, for messages of every length that fits', () => {
    // firstWord checks one word a request; the encoder reads all eight (hashes, filter positions).
    const k = HmacKernel.get()!;
    expect(k.simd).toBe(true);
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 70 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 55 }), fc.nat()), {
          minLength: 1,
          maxLength: HMAC_BATCH,
        }),
        (keys, reqs) => {
          const slots = keys.map((key) => {
            const { inner, outer } = states(key);
            return k.addState(inner, outer);
          });
          try {
            k.begin();
            const messages = reqs.map(([, len, seed]) =>
              Array.from({ length: len }, (_, i) => String.fromCharCode(32 + ((seed + 7 * i) % 95))).join(''),
            );
            const queued = reqs.map(([which], x) => k.queue(slots[which % slots.length]!, messages[x]!));
            k.flush();
            const words = new Int32Array(8);
            reqs.forEach(([which], x) => {
              expect(queued[x]).toBe(x);
              k.words(queued[x]!, words, 0);
              const want = hmac(sha256, keys[which % keys.length]!, new TextEncoder().encode(messages[x]!));
              expect(hex(words)).toBe(bytesHex(want));
            });
          } finally {
            for (const slot of slots) k.freeState(slot);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('queues masks without building them, as the mask strings would hash', () => {
    const k = HmacKernel.get()!;
    const key = new Uint8Array(32).fill(3);
    const { inner, outer } = states(key);
    const slot = k.addState(inner, outer);
    k.begin();
    const value = '123456789';
    const idx = Array.from(value, (_, i) => k.queueMask(slot, value, i));
    k.flush();
    idx.forEach((q, i) => {
      const m = `${i}:${value.slice(0, i)}_${value.slice(i + 1)}`;
      const want = hmac(sha256, key, new TextEncoder().encode(m));
      expect(k.firstWord(q)).toBe(new DataView(want.buffer).getUint32(0));
    });
    expect(k.queueMask(slot, 'caf\u00e9', 0)).toBe(-1); // not ASCII
    expect(k.queueMask(slot, 'x'.repeat(60), 0)).toBe(-1); // too long
    k.freeState(slot);
  });

  it('refuses (returns false / −1 for) messages of 56 bytes or more, and requests beyond a batch', () => {
    const k = HmacKernel.get()!;
    const { inner, outer } = states(new Uint8Array([1, 2, 3]));
    const slot = k.addState(inner, outer);
    const out = new Int32Array(8);
    expect(k.digest(slot, 'x'.repeat(55), out)).toBe(true);
    expect(k.digest(slot, 'x'.repeat(56), out)).toBe(false);
    expect(k.digest(slot, '\u00e9'.repeat(28), out)).toBe(false); // 56 bytes of UTF-8
    expect(k.digest(slot, new Uint8Array(56), out)).toBe(false);
    k.begin();
    for (let i = 0; i < HMAC_BATCH; i++) expect(k.queue(slot, 'a')).toBe(i);
    expect(k.queue(slot, 'a')).toBe(-1);
    k.freeState(slot);
  });

  it('KeyedHash gives the same digests with and without the kernel, for short and long messages', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 80 }), fc.string({ maxLength: 90 }), (key, m) => {
        const a = new Int32Array(8);
        const b = new Int32Array(8);
        const wasm = new KeyedHash(key);
        const js = new KeyedHash(key, { kernel: false });
        wasm.digestWords(m, a);
        js.digestWords(m, b);
        expect(hex(a)).toBe(hex(b));
        expect(hex(a)).toBe(bytesHex(hmac(sha256, key, new TextEncoder().encode(m))));
        wasm.dispose();
        js.dispose();
      }),
      { numRuns: 200 },
    );
  });

  it('wipes and reuses the state slots of disposed keys', () => {
    const k = HmacKernel.get()!;
    const a = new KeyedHash(new Uint8Array(32).fill(7));
    const slot = (a as unknown as { slot: number }).slot;
    a.dispose();
    const b = new KeyedHash(new Uint8Array(32).fill(9));
    expect((b as unknown as { slot: number }).slot).toBe(slot);
    const out = new Int32Array(8);
    b.digestWords('abc', out);
    expect(hex(out)).toBe(
      bytesHex(hmac(sha256, new Uint8Array(32).fill(9), new TextEncoder().encode('abc'))),
    );
    b.dispose();
    void k;
  });
});
