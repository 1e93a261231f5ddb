import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../src/encoded/checksum.js';
import { CRC32C_TABLES, crc32cJs, crc32cWasm, crc32cWasmAvailable } from '../../src/kernel/crc32c.js';
import { CRC32C_LAYOUT, crc32cModuleBytes } from '../../src/kernel/crc32c-module.js';

/** CRC-32C straight from its definition: reflected polynomial 0x82f63b78, one bit at a time. */
function reference(bytes: Uint8Array, crc: number): number {
  let c = ~crc >>> 0;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}

const ascii = (s: string) => new TextEncoder().encode(s);

describe('CRC-32C kernels', () => {
  it('runs in WebAssembly here, from a module small enough for a browser main thread', () => {
    expect(crc32cWasmAvailable()).toBe(true);
    expect(crc32cModuleBytes().length).toBeLessThan(4096);
    expect(CRC32C_LAYOUT.buffer + CRC32C_LAYOUT.bufferBytes).toBeLessThanOrEqual(CRC32C_LAYOUT.pages * 65536);
    expect(CRC32C_TABLES[1]).toBe(0xf26b8303 | 0);
  });

  it('give the known check values', () => {
    for (const k of [crc32cJs, crc32cWasm, crc32c]) {
      expect(k(ascii('123456789'))).toBe(0xe3069283);
      expect(k(new Uint8Array(32))).toBe(0x8a9136aa);
      expect(k(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
      expect(k(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
      expect(k(new Uint8Array(0), 0x1234)).toBe(0x1234);
    }
  });

  it('agree with each other and the definition at any length, offset and start value', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.nat({ max: 40 }),
        fc.nat({ max: 0xffffffff }),
        (raw, offset, crc) => {
          const bytes = raw.subarray(Math.min(offset, raw.length));
          const want = reference(bytes, crc);
          expect(crc32cJs(bytes, crc)).toBe(want);
          expect(crc32cWasm(bytes, crc)).toBe(want);
          expect(crc32c(bytes, crc)).toBe(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agree across the 64 KiB buffer boundaries, on plain and shared memory, chunk by chunk', () => {
    const n = 3 * CRC32C_LAYOUT.bufferBytes + 77;
    const plain = Uint8Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 24);
    const shared = new Uint8Array(new SharedArrayBuffer(n));
    shared.set(plain);
    fc.assert(
      fc.property(fc.nat({ max: n }), fc.nat({ max: n }), fc.nat({ max: 0xffffffff }), (a, b, crc) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const want = crc32cJs(plain.subarray(from, to), crc);
        expect(crc32cWasm(plain.subarray(from, to), crc)).toBe(want);
        expect(crc32cWasm(shared.subarray(from, to), crc)).toBe(want);
        // Continued over two parts: the same as over the whole.
        const mid = (from + to) >> 1;
        expect(crc32cWasm(plain.subarray(mid, to), crc32cWasm(plain.subarray(from, mid), crc))).toBe(want);
      }),
      { numRuns: 40 },
    );
    expect(crc32cWasm(plain)).toBe(reference(plain, 0));
  });
});
