import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keygen } from '../../src/cli/commands/keygen.js';
import {
  checkKeyStrength,
  generateKeyHex,
  parseKey,
  WEAK_KEY_MAX_PERIOD,
  weakKeyReason,
} from '../../src/encode/key.js';
import { BloomlinkError } from '../../src/errors.js';

function rejection(f: () => unknown): BloomlinkError {
  try {
    f();
  } catch (e) {
    if (e instanceof BloomlinkError) return e;
    throw e;
  }
  throw new Error('expected a BloomlinkError');
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('key strength (KEY_WEAK)', () => {
  it.each([
    ['all zero', '00'.repeat(32)],
    ['64 × a', 'a'.repeat(64)],
    ['0123456789abcdef repeated', '0123456789abcdef'.repeat(4)],
    ['two bytes alternating', 'ab01'.repeat(16)],
    ['an 8-byte block repeated, cut short', `${'5a3c91e07bd24f68'.repeat(3)}5a3c91e0`],
    ['16 bytes with 3 distinct values', '00000001000000010000000100000002'],
    ['a long key of few byte values', '00010203'.repeat(20).replace(/^00/, 'ff')],
  ])('refuses %s, naming the rule and never the key', (_, text) => {
    const e = rejection(() => parseKey(text, '--key'));
    expect(e.code).toBe('KEY_WEAK');
    expect(e.message).toMatch(/^--key: the key is not random \((it has \d+ distinct|it is a block of)/);
    expect(e.message).not.toContain(text);
    expect(e.message).not.toMatch(/[0-9a-f]{8}/);
  });

  it('accepts keys that are not patterns: the test keys, a block repeated with a different end', () => {
    for (const text of [
      '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
      '00112233445566778899aabbccddeeff',
      `${'5a3c91e07bd24f68'.repeat(3)}0f1e2d3c4b5a6978`,
    ])
      expect(weakKeyReason(parseKey(text))).toBeUndefined();
  });

  it('finds every period up to the limit; checkKeyStrength throws exactly when there is a reason', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 12 }),
        fc.integer({ min: 16, max: 64 }),
        (block, length) => {
          const key = Uint8Array.from({ length }, (_, i) => block[i % block.length]!);
          if (block.length <= WEAK_KEY_MAX_PERIOD) expect(weakKeyReason(key)).toBeDefined();
          expect(throws(() => checkKeyStrength(key))).toBe(weakKeyReason(key) !== undefined);
        },
      ),
    );
  });

  it('keygen output always passes, from the function and from the command', async () => {
    for (let i = 0; i < 2000; i++) expect(weakKeyReason(parseKey(generateKeyHex()))).toBeUndefined();
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stdout.write;
    try {
      for (let i = 0; i < 50; i++) expect(await keygen.run({})).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(written).toHaveLength(50);
    for (const line of written) {
      expect(line).toMatch(/^[0-9a-f]{64}\n$/);
      expect(hex(parseKey(line))).toBe(line.trim());
    }
  });

  it('random keys of the minimum length pass', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 64 }), (bytes) => {
        fc.pre(new Set(bytes).size >= bytes.length / 2);
        const period = bytes.findIndex((_, p) => p > 0 && bytes.every((b, i) => i < p || b === bytes[i - p]));
        fc.pre(period < 0 || period > WEAK_KEY_MAX_PERIOD);
        expect(weakKeyReason(bytes)).toBeUndefined();
      }),
    );
  });
});

function throws(f: () => void): boolean {
  try {
    f();
    return false;
  } catch {
    return true;
  }
}
