import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, zipStored } from '../../src/read/zip.js';
import { unzip } from './helpers.js';

describe('crc32', () => {
  it('matches the standard check value and zlib', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(crc32(b)).toBe(zlibCrc32(b));
      }),
    );
  });
});

describe('zipStored', () => {
  it('round-trips entries through a reader of the format', () => {
    const enc = new TextEncoder();
    const zip = zipStored([
      { name: 'a.txt', data: enc.encode('hello') },
      { name: 'dir/b.bin', data: new Uint8Array([0, 255, 1]) },
      { name: 'empty', data: new Uint8Array(0) },
    ]);
    const files = unzip(zip);
    expect([...files.keys()]).toEqual(['a.txt', 'dir/b.bin', 'empty']);
    expect(new TextDecoder().decode(files.get('a.txt'))).toBe('hello');
    expect([...files.get('dir/b.bin')!]).toEqual([0, 255, 1]);
  });

  it('is deterministic and checks names', () => {
    const e = [{ name: 'x', data: new Uint8Array([1]) }];
    expect(zipStored(e)).toEqual(zipStored(e));
    expect(() => zipStored([{ name: 'é', data: new Uint8Array(0) }])).toThrow(RangeError);
    expect(() => zipStored([{ name: '', data: new Uint8Array(0) }])).toThrow(RangeError);
  });
});
