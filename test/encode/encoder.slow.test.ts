/**
 * The encoder's groups of records past the switch-off of a root cache (`CACHE_PROBE` lookups of
 * unique SSNs): slow (≈ 10 s, 60,000 records encoded twice), so beside the fast encoder tests.
 */
import { describe, expect, it } from 'vitest';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { CACHE_PROBE, type RootTable } from '../../src/encode/root-table.js';
import { ROOTS } from '../../src/encode/sources.js';

const KEY = parseKey('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');

describe('RecordEncoder groups, root caches switched off', () => {
  it('encodes in groups exactly as one at a time past the switch-off of the SSN and member-ID caches', () => {
    // More unique SSNs than CACHE_PROBE lookups: the SSN and member-ID tables stop caching, and the
    // entries of a group's records then share the table's spare words (`RootTable.spare`/`rewind`).
    // 60,000 records: 54,545 SSN and 55,384 member-ID lookups, both past CACHE_PROBE.
    const n = CACHE_PROBE + 10_000;
    const names = ['Ann', 'Bo', 'Garcia Lopez', 'Nguyễn', 'John', 'Doe', 'Mary-Jo', 'Lee'];
    const persons = Array.from(
      { length: n },
      (_, i): PersonToEncode => ({
        id: `M${i}`,
        firstName: names[i % 8]!,
        lastName: names[(i * 7 + 3) % 8]!,
        dob: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
        sex: i % 3 === 0 ? 'F' : 'M',
        ...(i % 11 === 0 ? {} : { ssn: String(100_000_000 + i * 7919) }),
        ...(i % 13 === 0 ? {} : { memberId: `MB${i.toString(36).toUpperCase()}` }),
        nameDataQuality: 1,
        dobDataQuality: 1,
        ssnDataQuality: 1,
      }),
    );
    const enc = new RecordEncoder(KEY, { party: 'mcp' });
    const grouped = enc.encodeMany(persons);
    // The premise: exactly the SSN and member-ID tables stopped caching (a private field, read here only).
    const tables = (enc as unknown as { tables: RootTable[] }).tables;
    expect(tables.flatMap((t, r) => (t.cached ? [] : [ROOTS[r]]))).toEqual(['ssn', 'memberId']);
    const single = new RecordEncoder(KEY, { party: 'mcp' });
    const same = (a: ArrayLike<number>, b: ArrayLike<number>, at: number) => {
      for (let k = 0; k < b.length; k++) if (a[at + k] !== b[k]) return false;
      return true;
    };
    // Rows that differ from their encoding alone (collected, not one expect per value: 10⁵ rows).
    const differ: string[] = [];
    persons.forEach((p, i) => {
      const alone = single.encodeMany([p]);
      for (const [f, col] of Object.entries({ ...alone.blooms, ...alone.hashes, ...alone.sets })) {
        const all = grouped.blooms[f] ?? grouped.hashes[f] ?? grouped.sets[f]!;
        if (!same(all, col, i * col.length)) differ.push(`${i}:${f}`);
      }
      for (const [pass, { keys }] of Object.entries(alone.blocks)) {
        const { offsets, keys: all } = grouped.blocks[pass]!;
        if (offsets[i + 1]! - offsets[i]! !== keys.length || !same(all, keys, offsets[i]!))
          differ.push(`${i}:${pass}`);
      }
    });
    expect(differ.slice(0, 5)).toEqual([]);
  }, 60_000);
});
