import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedHash } from '../../src/encode/hmac.js';

const hex = (words: Int32Array): string =>
  Array.from(words, (w) => (w >>> 0).toString(16).padStart(8, '0')).join('');
const bytesHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const fromHex = (s: string): Uint8Array => new Uint8Array(s.match(/../g)!.map((h) => Number.parseInt(h, 16)));

describe('KeyedHash (HMAC-SHA256)', () => {
  it('matches RFC 4231 test case 1 and 2', () => {
    const out = new Int32Array(8);
    const h1 = new KeyedHash(fromHex('0b'.repeat(20)));
    h1.digestWords('Hi There', out);
    expect(hex(out)).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
    const h2 = new KeyedHash(new TextEncoder().encode('Jefe'));
    h2.digestWords('what do ya want for nothing?', out);
    expect(hex(out)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('matches RFC 4231 test case 6 (131-byte key)', () => {
    const out = new Int32Array(8);
    const h = new KeyedHash(fromHex('aa'.repeat(131)));
    h.digestWords('Test Using Larger Than Block-Size Key - Hash Key First', out);
    expect(hex(out)).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  });

  it('equals @noble/hashes hmac for any key and message (short and long)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.string({ maxLength: 120 }),
        (key, msg) => {
          const out = new Int32Array(8);
          new KeyedHash(key).digestWords(msg, out);
          expect(hex(out)).toBe(bytesHex(hmac(sha256, key, new TextEncoder().encode(msg))));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('word() is the first 32 bits and dispose() wipes the key', () => {
    const key = fromHex('01'.repeat(32));
    const h = new KeyedHash(key);
    const full = hmac(sha256, key, new TextEncoder().encode('SMITH'));
    expect(h.word('SMITH')).toBe(((full[0]! << 24) | (full[1]! << 16) | (full[2]! << 8) | full[3]!) >>> 0);
    h.dispose();
    expect(key[0]).toBe(1); // the caller's buffer is not ours to wipe
  });
});
