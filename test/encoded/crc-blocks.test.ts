import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../src/encoded/checksum.js';
import { CrcBlocks, crc32cCombine } from '../../src/encoded/crc-blocks.js';

describe('crc32cCombine', () => {
  it('gives the CRC of A‖B from the CRCs of A (from any start) and B (from 0)', () => {
    const b = new TextEncoder().encode('123456789');
    expect(crc32cCombine(crc32c(b.subarray(0, 4)), crc32c(b.subarray(4)), 5)).toBe(0xe3069283);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.uint8Array({ maxLength: 400 }),
        fc.nat({ max: 0xffffffff }),
        (a, bb, start) => {
          const whole = new Uint8Array(a.length + bb.length);
          whole.set(a);
          whole.set(bb, a.length);
          expect(crc32cCombine(crc32c(a, start), crc32c(bb), bb.length)).toBe(crc32c(whole, start));
        },
      ),
    );
  });

  it('appends long runs (lengths with many bits set) as the direct CRC does', () => {
    for (const n of [1, 7, 65_535, 65_536, 1_000_003, 3 * 2 ** 20 - 1]) {
      const zeros = new Uint8Array(n);
      const head = Uint8Array.of(1, 2, 3);
      expect(crc32cCombine(crc32c(head), crc32c(zeros), n)).toBe(crc32c(zeros, crc32c(head)));
    }
    expect(crc32cCombine(0x1234, 0x5678, 0)).toBe(0x1234);
    // Appending m then n bytes is appending m + n, for lengths far past what can be checked
    // directly (the operator table once repeated every 32 squarings and broke from 2²⁹ bytes on).
    for (let k = 20; k <= 45; k++) {
      const n = 2 ** k;
      expect(crc32cCombine(crc32cCombine(0x1234567, 0, n), 0, n), `2^${k}`).toBe(
        crc32cCombine(0x1234567, 0, 2 * n),
      );
    }
    fc.assert(
      fc.property(
        fc.nat({ max: 2 ** 40 }),
        fc.nat({ max: 2 ** 40 }),
        fc.nat({ max: 0xffffffff }),
        (m, n, a) => {
          expect(crc32cCombine(crc32cCombine(a, 0, m), 0, n)).toBe(crc32cCombine(a, 0, m + n));
        },
      ),
    );
    expect(() => crc32cCombine(0, 0, -1)).toThrow(RangeError);
  });
});

describe('CrcBlocks', () => {
  it('gives crc32c of any range of the array, whichever pieces were added, in any order', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 0xffffffff })), { minLength: 1, maxLength: 8 }),
        (raw, block, pieces, ranges) => {
          // The array at an offset inside a larger buffer, as a file's bytes after a header.
          const buf = new Uint8Array(raw.length + 5);
          buf.set(raw, 5);
          const bytes = buf.subarray(5);
          const blocks = new CrcBlocks(bytes, block);
          for (const [x, y] of pieces) {
            const a = x % (bytes.length + 1);
            const b = y % (bytes.length + 1);
            blocks.add(Math.min(a, b), Math.max(a, b));
          }
          for (const [x, y, start] of ranges) {
            const a = x % (bytes.length + 1);
            const b = y % (bytes.length + 1);
            const view = bytes.subarray(Math.min(a, b), Math.max(a, b));
            expect(blocks.crc(view, start)).toBe(crc32c(view, start));
          }
          // The header before the array and a copy elsewhere are checksummed as they are.
          expect(blocks.crc(buf.subarray(0, 9), 7)).toBe(crc32c(buf.subarray(0, 9), 7));
          expect(blocks.crc(bytes.slice(), 0)).toBe(crc32c(bytes));
        },
      ),
    );
  });

  it('answers from the blocks added, not from the bytes as they are later', () => {
    // What makes it a checksum of the bytes as read: a block added before a change keeps its CRC.
    const bytes = new Uint8Array(64).map((_, i) => i);
    const blocks = new CrcBlocks(bytes, 16);
    blocks.add(0, 64);
    const before = crc32c(bytes);
    bytes[20] = 0xff;
    expect(blocks.crc(bytes, 0)).toBe(before);
    expect(crc32c(bytes)).not.toBe(before);
    expect(() => new CrcBlocks(bytes, 0)).toThrow(RangeError);
  });
});
