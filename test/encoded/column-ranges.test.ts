/**
 * The pieces of a column range read without keeping its bytes (`RangeCrc`) give the CRC-32C of the
 * whole range, whatever order they land in, and a range with a gap, an overlap or a short end is
 * refused; `firstBatchRecords` reads the record count of an encoded file's first batch from its head.
 */
import { describe, expect, it } from 'vitest';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { crc32c } from '../../src/encoded/checksum.js';
import { firstBatchRecords, RangeCrc } from '../../src/encoded/column-ranges.js';
import { writeEncoded } from '../../src/encoded/file.js';

describe('RangeCrc', () => {
  it('continues a CRC over the whole range from pieces that land in any order', () => {
    const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 37 + (i >> 7)) & 0xff);
    for (const cuts of [
      [0, 10_000],
      [0, 1, 4096, 4097, 9999, 10_000],
      [0, 3333, 6666, 10_000],
    ]) {
      const r = new RangeCrc(bytes.length);
      // Last piece first.
      for (let c = cuts.length - 2; c >= 0; c--) r.add(cuts[c]!, bytes.subarray(cuts[c]!, cuts[c + 1]!));
      expect(r.continue(0)).toBe(crc32c(bytes));
      expect(r.continue(0x1234_5678)).toBe(crc32c(bytes, 0x1234_5678));
    }
    const gap = new RangeCrc(10);
    gap.add(0, bytes.subarray(0, 4));
    gap.add(5, bytes.subarray(5, 10));
    expect(() => gap.continue(0)).toThrow(/gap/);
    const short = new RangeCrc(10);
    short.add(0, bytes.subarray(0, 9));
    expect(() => short.continue(0)).toThrow(/short/);
    const overlap = new RangeCrc(10);
    overlap.add(0, bytes.subarray(0, 6));
    overlap.add(5, bytes.subarray(5, 10));
    expect(() => overlap.continue(0)).toThrow(/overlap/);
  });
});

describe('firstBatchRecords', () => {
  it("reads the first record batch's record count from the file's head, and nothing from other bytes", async () => {
    const people: PersonToEncode[] = Array.from({ length: 130 }, (_, i) => ({
      id: `C${i}`,
      firstName: ['Ann', 'Bob'][i % 2] as string,
      lastName: ['Lee', 'Smith', 'Ng'][i % 3] as string,
      dob: `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
      nameDataQuality: 1,
      dobDataQuality: 1,
      ssnDataQuality: 99,
    }));
    const enc = new RecordEncoder(parseKey('00112233445566778899aabbccddeeff'), { party: 'mcp' });
    const chunks: Uint8Array[] = [];
    await writeEncoded(
      'arrow',
      enc.meta,
      [enc.encodeBatch(people.slice(0, 97)), enc.encodeBatch(people.slice(97))],
      (c) => {
        chunks.push(c.slice());
      },
    );
    const bytes = Buffer.concat(chunks);
    expect(firstBatchRecords(bytes)).toBe(97);
    expect(firstBatchRecords(bytes.subarray(0, 200))).toBeUndefined(); // the schema, cut
    expect(firstBatchRecords(new TextEncoder().encode('id,first\n1,Ann\n'))).toBeUndefined();
    expect(firstBatchRecords(new Uint8Array(0))).toBeUndefined();
  });
});
