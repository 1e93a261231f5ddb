import { blake2b } from '@noble/hashes/blake2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from '../../../src/encode/clkhash/base64.js';
import { BlakeHasher } from '../../../src/encode/clkhash/blake-hasher.js';
import { KeyedBlake2b } from '../../../src/encode/clkhash/blake2b-keyed.js';
import { BLAKE_OUT, BLAKE_STATES, blake2bKernel } from '../../../src/encode/clkhash/blake2b-wasm.js';
import { foldXor, setBit } from '../../../src/encode/clkhash/filter.js';
import { KeyedLegacyHmac } from '../../../src/encode/clkhash/hmac-legacy.js';
import { canEncode, textEncoder, textEncoderInto } from '../../../src/encode/clkhash/text-encoding.js';
import { TokenCache } from '../../../src/encode/clkhash/token-cache.js';
import { compileTokenizer } from '../../../src/encode/clkhash/tokenize.js';

describe('KeyedBlake2b', () => {
  it('equals @noble/hashes blake2b with key and salt for any key, salt and message', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ maxLength: 400 }),
        (key, salt, message) => {
          const out = new Uint8Array(64);
          const mac = new KeyedBlake2b(key, salt);
          mac.digest(message, out);
          expect(out).toEqual(blake2b(message, { key, salt }));
          mac.digest(message, out); // reusable
          expect(out).toEqual(blake2b(message, { key, salt }));
          mac.dispose();
        },
      ),
    );
  });

  it('refuses bad key and salt sizes', () => {
    expect(() => new KeyedBlake2b(new Uint8Array(0), new Uint8Array(16))).toThrow(RangeError);
    expect(() => new KeyedBlake2b(new Uint8Array(65), new Uint8Array(16))).toThrow(RangeError);
    expect(() => new KeyedBlake2b(new Uint8Array(8), new Uint8Array(8))).toThrow(RangeError);
  });
});

describe('tokenizers', () => {
  it('pads n-grams with n − 1 spaces and numbers positional ones from 1', () => {
    expect(compileTokenizer({ type: 'ngram', n: 2, positional: false })('clkhash')).toEqual([
      ' c',
      'cl',
      'lk',
      'kh',
      'ha',
      'as',
      'sh',
      'h ',
    ]);
    expect(compileTokenizer({ type: 'ngram', n: 2, positional: true })('ab')).toEqual([
      '1  a',
      '2 ab',
      '3 b ',
    ]);
    expect(compileTokenizer({ type: 'ngram', n: 3, positional: false })('陈😀')).toEqual([
      '  陈',
      ' 陈😀',
      '陈😀 ',
      '😀  ',
    ]);
    expect(compileTokenizer({ type: 'ngram', n: 0, positional: true })('ab')).toEqual(['1 ', '2 ', '3 ']);
    expect(compileTokenizer({ type: 'ngram', n: 2, positional: false })('')).toEqual([]);
  });

  it('gives exact comparison one token, or none for an empty value', () => {
    const exact = compileTokenizer({ type: 'exact' });
    expect(exact('19850706')).toEqual(['19850706']);
    expect(exact('')).toEqual([]);
  });

  it('quantises numbers as clkhash does (round half to even, Python modulo for negatives)', () => {
    const num = compileTokenizer({
      type: 'numeric',
      thresholdDistance: 8,
      resolution: 2,
      fractionalPrecision: 0,
    });
    // The docstring example of clkhash's NumericComparison: x = 25 → [88, 96, 104, 112, 120].
    expect(num('25')).toEqual(['88', '96', '104', '112', '120']);
    expect(num('-3')).toEqual(['-24', '-16', '-8', '0', '8']); // Python: -12 % 8 == 4, not below 8 / 2
    expect(num('24.99')).toEqual(num('24'));
    expect(num('abc')).toBeUndefined();
    expect(num('inf')).toBeUndefined();
    expect(num('')).toEqual([]);
    const frac = compileTokenizer({
      type: 'numeric',
      thresholdDistance: 0.1,
      resolution: 1,
      fractionalPrecision: 1,
    });
    expect(frac('0.25')).toEqual(['3', '4', '5']); // round(2.5) == 2 in Python
    expect(frac('0.35')).toEqual(['7', '8', '9']); // 0.35 * 10 == 3.5 → 4
    expect(frac('7')).toEqual(['139', '140', '141']); // integers are scaled exactly
  });
});

describe('filter bytes', () => {
  it('uses big-endian bit order within bytes', () => {
    const f = new Uint8Array(2);
    setBit(f, 0);
    setBit(f, 15);
    expect([...f]).toEqual([0x80, 0x01]);
  });

  it('folds byte-aligned and unaligned halves alike', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.nat(), { maxLength: 50 }),
        (l, folds, picks) => {
          const bits = l * 2 ** folds;
          const f = new Uint8Array(Math.ceil(bits / 8));
          const plain = new Array<number>(bits).fill(0);
          for (const p of picks) {
            setBit(f, p % bits);
            plain[p % bits] = 1;
          }
          let expected = plain;
          for (let i = 0; i < folds; i++) {
            const half = expected.length / 2;
            expected = expected.slice(0, half).map((b, j) => b ^ expected[j + half]!);
          }
          const got = foldXor(f, bits, folds);
          expect(got).toHaveLength(Math.ceil(l / 8));
          expect(Array.from({ length: l }, (_, i) => (got[i >>> 3]! >>> (7 - (i & 7))) & 1)).toEqual(
            expected,
          );
        },
      ),
    );
  });
});

describe('base64', () => {
  it('round-trips and matches Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(decodeBase64(text)).toEqual(bytes);
      }),
    );
  });

  it('rejects text that is not base64', () => {
    expect(decodeBase64('a')).toBeUndefined();
    expect(decodeBase64('ab!c')).toBeUndefined();
    expect(decodeBase64('')).toEqual(new Uint8Array());
    expect(decodeBase64('YW Jj\n')).toEqual(new Uint8Array([97, 98, 99]));
  });
});

describe('text encodings', () => {
  it('writes what Python str.encode writes on a little-endian machine', () => {
    expect([...textEncoder('utf-16')('Aé')]).toEqual([0xff, 0xfe, 0x41, 0x00, 0xe9, 0x00]);
    expect([...textEncoder('utf-32')('😀')]).toEqual([0xff, 0xfe, 0, 0, 0x00, 0xf6, 0x01, 0x00]);
    expect([...textEncoder('utf-8')('é')]).toEqual([0xc3, 0xa9]);
  });

  it('knows what cannot be encoded', () => {
    expect(canEncode('abc', 'ascii')).toBe(true);
    expect(canEncode('é', 'ascii')).toBe(false);
    expect(canEncode('\ud800', 'utf-8')).toBe(false);
    expect(canEncode('😀', 'utf-16')).toBe(true);
  });
});

describe('TokenCache', () => {
  it('keeps at most two generations and promotes old hits', () => {
    const cache = new TokenCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3); // a, b become the old generation
    expect(cache.get('a')).toBe(1); // promoted into the young one
    cache.set('d', 4); // young full: old = {c, a}
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBe(3);
    cache.clear();
    expect(cache.get('c')).toBeUndefined();
  });

  it('caches nothing with capacity 0 and refuses a bad capacity', () => {
    const cache = new TokenCache<number>(0);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
    expect(() => new TokenCache(-1)).toThrow(RangeError);
  });
});

describe('BLAKE2b in WebAssembly', () => {
  it('gives KeyedBlake2b’s digest for any key, salt and 1–128-byte message', () => {
    const kernel = blake2bKernel();
    expect(kernel).toBeDefined();
    if (kernel === undefined) return;
    const mem = new Uint8Array(kernel.memory.buffer);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 1, maxLength: 128 }),
        fc.integer({ min: 0, max: 5 }),
        (key, salt, message, slot) => {
          const mac = new KeyedBlake2b(key, salt);
          mac.keyedState(mem, BLAKE_STATES + 64 * slot);
          mem.fill(0, 0, 128);
          mem.set(message);
          kernel.digest(BLAKE_STATES + 64 * slot, message.length);
          expect(mem.slice(BLAKE_OUT, BLAKE_OUT + 64)).toEqual(blake2b(message, { key, salt }));
          mac.dispose();
        },
      ),
    );
  });
});

describe('KeyedLegacyHmac', () => {
  it('equals @noble/hashes HMAC-SHA1 and HMAC-MD5, read big-endian, modulo l, for any key and message', () => {
    const big = (d: Uint8Array, l: number) =>
      Number(BigInt(`0x${Buffer.from(d).toString('hex')}`) % BigInt(l));
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.integer({ min: 1, max: 1 << 24 }),
        (key, message, l) => {
          for (const [name, hash] of [
            ['sha1', sha1],
            ['md5', md5],
          ] as const) {
            const mac = new KeyedLegacyHmac(name, key);
            const padded = new Uint8Array(message.length + 7).fill(0xaa);
            padded.set(message);
            expect(mac.mod(padded, message.length, l)).toBe(big(hmac(hash, key, message), l));
            expect(mac.mod(message, message.length, l)).toBe(big(hmac(hash, key, message), l)); // reusable
            mac.dispose();
          }
        },
      ),
    );
  });
});

describe('textEncoderInto', () => {
  it('writes what textEncoder returns, or −1 when it does not fit', () => {
    for (const enc of ['ascii', 'utf-8', 'utf-16', 'utf-32'] as const) {
      for (const s of ['', 'AN', 'ZOË', '😀x', 'A'.repeat(40)]) {
        const want = textEncoder(enc)(s);
        const buf = new Uint8Array(64);
        const n = textEncoderInto(enc)(s, buf);
        if (want.length > 64) expect(n).toBe(-1);
        else expect(buf.subarray(0, n)).toEqual(want);
      }
    }
  });
});

describe('BlakeHasher', () => {
  it('sets clkhash’s bits for short, long (> 128 bytes) and multi-digest tokens, cache or none', () => {
    const key = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff);
    const want = (token: string, k: number): Uint8Array => {
      const f = new Uint8Array(128);
      const bytes = new TextEncoder().encode(token);
      for (let m = 0; 32 * m < k; m++) {
        const salt = new Uint8Array(16);
        salt.set(new TextEncoder().encode(String(m)));
        const d = blake2b(bytes, { key, salt });
        for (let j = 0; j < 32 && 32 * m + j < k; j++) setBit(f, (d[2 * j]! | (d[2 * j + 1]! << 8)) % 1024);
      }
      return f;
    };
    for (const cache of [0, 16]) {
      const h = new BlakeHasher(key, 1024, 'utf-8', cache);
      for (const [token, k] of [
        ['AN', 20],
        ['Ë'.repeat(100), 20],
        ['1 9', 70],
        ['X', 5],
        ['Ë'.repeat(100), 40],
        ['AN', 40],
      ] as const) {
        const f = new Uint8Array(128);
        h.insert(f, token, k);
        expect(f).toEqual(want(token, k));
      }
      h.dispose();
    }
  });
});
