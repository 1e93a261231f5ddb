import { describe, expect, it } from 'vitest';
import { PROGRAM_COLUMNS } from '../../src/read/layouts.js';
import { byteSource, objectSource } from '../../src/read/row-source.js';

describe('byteSource', () => {
  it('splits off the header, counts bytes and closes the input', async () => {
    let closed = false;
    async function* chunks() {
      try {
        yield new TextEncoder().encode('a,b\n1,2\n');
        yield new TextEncoder().encode('3,4\n');
      } finally {
        closed = true;
      }
    }
    const source = await byteSource(chunks(), { label: 'x.csv' });
    expect(source.header).toEqual(['a', 'b']);
    const rows = [...source.pending];
    for (let b = await source.nextBatch(); b !== undefined; b = await source.nextBatch()) rows.push(...b);
    expect(rows.map((r) => [r.line, ...r.fields])).toEqual([
      [2, '1', '2'],
      [3, '3', '4'],
    ]);
    expect(source.bytesRead()).toBe(12);
    await source.close();
    expect(closed).toBe(true);
  });
});

describe('objectSource', () => {
  it('lays objects out on every column of the list, lines from 2, in batches', async () => {
    async function* rest() {
      for (let i = 1; i < 2500; i++) yield { memberid: `M${i}`, NPI: i };
    }
    const source = objectSource({ MemberID: 'M0', program: 'ECM' }, rest(), PROGRAM_COLUMNS);
    expect(source.header).toEqual(['MemberID', 'Program', 'Provider', 'StartDate', 'ProviderNPI', 'EndDate']);
    expect(source.pending).toEqual([
      { line: 2, fields: ['M0', 'ECM', undefined, undefined, undefined, undefined] },
    ]);
    const sizes: number[] = [];
    let last: unknown;
    for (let b = await source.nextBatch(); b !== undefined; b = await source.nextBatch()) {
      sizes.push(b.length);
      last = b.at(-1);
    }
    expect(sizes).toEqual([1024, 1024, 451]);
    expect(last).toEqual({
      line: 2501,
      fields: ['M2499', undefined, undefined, undefined, '2499', undefined],
    });
    expect(source.bytesRead()).toBeUndefined();
  });
});
