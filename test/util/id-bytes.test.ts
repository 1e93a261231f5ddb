import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Ids } from '../../src/encoded/checksum.js';
import { repeatedIds } from '../../src/util/id-bytes.js';

/** Records that repeat an earlier record's ID, counted with a Set of the strings. */
function reference(ids: readonly string[]): number {
  const seen = new Set<string>();
  let repeats = 0;
  for (const id of ids) {
    if (seen.has(id)) repeats++;
    else seen.add(id);
  }
  return repeats;
}

/** The IDs' UTF-8 bytes as an Arrow string column lies in a file: offsets not starting at 0. */
function column(ids: readonly string[], base = 0): { offsets: Int32Array; bytes: Uint8Array } {
  const u = utf8Ids(ids);
  return { offsets: u.offsets.map((o) => o + base), bytes: u.bytes };
}

describe('repeatedIds', () => {
  it('counts the records that repeat an earlier ID, as a set of the strings does', () => {
    const bytes = new TextEncoder().encode('M1M2M1');
    expect(repeatedIds(Int32Array.of(0, 2, 4, 6), bytes)).toBe(1);
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-C]{0,3}$/), { maxLength: 200 }),
        fc.nat(100),
        (ids, base) => {
          const { offsets, bytes } = column(ids, base);
          expect(repeatedIds(offsets, bytes)).toBe(reference(ids));
        },
      ),
    );
  });

  it('tells apart IDs whose hashes collide (2·10⁵ IDs: a few 32-bit collisions expected)', () => {
    let x = 12345;
    const next = () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x;
    };
    const ids = Array.from({ length: 200_000 }, () => `M${next().toString(36)}${next() % 7}`);
    for (let i = 0; i < 50; i++) ids.push(ids[(next() % 1000) * 7] as string);
    const { offsets, bytes } = column(ids);
    expect(repeatedIds(offsets, bytes)).toBe(reference(ids));
  });

  it('leaves IDs with a byte outside ASCII to the strings (malformed bytes can decode alike)', () => {
    expect(repeatedIds(Int32Array.of(0, 2, 4), Uint8Array.of(0x43, 0x80, 0x43, 0x81))).toBeUndefined();
    const { offsets, bytes } = column(['Zoë', 'Zoe']);
    expect(repeatedIds(offsets, bytes)).toBeUndefined();
    expect(repeatedIds(Int32Array.of(0), new Uint8Array(0))).toBe(0);
    expect(repeatedIds(Int32Array.of(3, 5), Uint8Array.of(0x41, 0xff))).toBe(0);
  });
});
