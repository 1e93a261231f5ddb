import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CACHE_PROBE, RootTable } from '../../src/encode/root-table.js';
import {
  DOB_KEYS,
  dobYearOf,
  nameFieldKey,
  type RootKey,
  rootKeys,
  rootSources,
} from '../../src/encode/sources.js';
import { doeNameCode, isDoePair, normaliseName } from '../../src/normalise/names.js';

const DQ = { nameDataQuality: 1, dobDataQuality: 1, ssnDataQuality: 1 } as const;
const keysOf = (p: Parameters<typeof rootKeys>[0]) => {
  const out: (RootKey | undefined)[] = [];
  rootKeys(p, out);
  return out;
};
const iso = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

describe('rootKeys', () => {
  it('keys names by their parts only where the parts change an output', () => {
    const [first, , last] = keysOf({ ...DQ, firstName: 'Bob', lastName: 'García-López' });
    expect(first).toBe('BOB');
    expect(last).toBe('GARCIALOPEZ\u001fGARCIA LOPEZ');
    expect(keysOf({ ...DQ, firstName: 'Mary Ann', lastName: 'Lee' }).slice(0, 3)).toEqual([
      'MARYANN\u001fMARY ANN',
      undefined,
      'LEE',
    ]);
  });

  it('gives a number to ISO dates and SSN last fours, the string to anything else', () => {
    const k = keysOf({ ...DQ, dob: '1980-03-04', ssn: '123456789' });
    expect(typeof k[4]).toBe('number');
    expect(k[5]).toBe('123456789');
    expect(k[6]).toBe(6789);
    expect(keysOf({ ...DQ, dob: '1700-03-04', ssn: 'xxxxx0012' }).slice(4, 7)).toEqual([
      '1700-03-04',
      undefined,
      12,
    ]);
    expect(keysOf({ ...DQ, ssn: '12345xxxx' }).slice(5, 7)).toEqual([undefined, undefined]);
  });

  it('keys the plan member ID normalised (case, spaces, dashes), and only when one is given', () => {
    const member = (id?: string) => {
      const out: (RootKey | undefined)[] = [];
      rootKeys(DQ, out, id);
      return out[7];
    };
    expect(member('M123456789')).toBe('M123456789');
    expect(member(' m-1234 56789 ')).toBe('M123456789');
    expect(member(undefined)).toBeUndefined();
    expect(member(' - ')).toBeUndefined();
    expect(rootSources('memberId', 'M1')).toEqual({
      values: { memberId: 'M1' },
      sets: {},
      parts: { memberId: ['M1'] },
    });
  });

  it('a numeric DOB key yields what its string yields', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        (y, m, d) => {
          const dob = iso(y, m, d);
          const key = keysOf({ ...DQ, dob })[4]!;
          if (typeof key === 'number') expect(key).toBeLessThan(DOB_KEYS);
          expect(rootSources('dob', key)).toEqual(rootSources('dob', dob));
          expect(dobYearOf(key)).toBe(rootSources('dob', dob).values.dobYear);
        },
      ),
    );
  });

  it('a name key without its parts yields what the key with them yields', () => {
    const word = fc.stringMatching(/^[A-Z]{1,8}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), fc.boolean(), (words, asFirst) => {
        const p = asFirst ? { ...DQ, firstName: words.join(' ') } : { ...DQ, lastName: words.join(' ') };
        const r = asFirst ? 0 : 2;
        const key = keysOf(p)[r];
        if (typeof key !== 'string' || key.includes('\u001f')) return;
        const root = asFirst ? 'first' : 'last';
        expect(rootSources(root, key)).toEqual(rootSources(root, `${key}\u001f${key}`));
      }),
    );
  });
});

describe('nameFieldKey', () => {
  // The definition, through normaliseName of the field alone (as before the one-word shortcut).
  const reference = (root: 'first' | 'middle' | 'last', raw: string) => {
    if (root === 'middle') return { key: normaliseName({ middleName: raw }).middle || undefined, code: 0 };
    const n = root === 'first' ? normaliseName({ firstName: raw }) : normaliseName({ lastName: raw });
    const whole = root === 'first' ? n.first : n.last;
    const parts = root === 'first' ? n.firstParts : n.lastParts;
    const key =
      whole === undefined
        ? undefined
        : root === 'first'
          ? parts.length > 1
            ? `${whole}\u001f${parts.join(' ')}`
            : whole
          : parts.length === 0 || (parts.length === 1 && parts[0] === whole)
            ? whole
            : `${whole}\u001f${parts.join(' ')}`;
    return { key, code: key === undefined ? 0 : doeNameCode(whole as string) };
  };

  it('gives what normaliseName of the field alone gives, one word or several', () => {
    const piece = fc.constantFrom(
      ...[
        'ann',
        'JOHN',
        'Doe',
        'jr',
        'III',
        'V',
        'unknown',
        'xx',
        '123',
        'García',
        'Nguyễn',
        "O'",
        '-',
        ' ',
        '.',
        'Mc',
        'de',
      ],
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 4 }),
        fc.constantFrom('first', 'middle', 'last'),
        (ps, root) => {
          const raw = ps.join('');
          expect(nameFieldKey(root as 'first' | 'middle' | 'last', raw)).toEqual(
            reference(root as 'first' | 'middle' | 'last', raw),
          );
        },
      ),
      { numRuns: 4000 },
    );
    expect(nameFieldKey('middle', 'Jr')).toEqual({ key: undefined, code: 0 });
    expect(nameFieldKey('first', 'jane')).toEqual({ key: 'JANE', code: 6 });
    expect(nameFieldKey('last', 'unknown')).toEqual({ key: undefined, code: 0 });
  });

  // Words that exercise every cross-field rule: the Doe pair, suffixes, particles, placeholders.
  const word = fc.constantFrom(
    'John',
    'JANE',
    'j',
    'Baby',
    'BABY BOY',
    'babygirl',
    'Doe',
    'DOE',
    'doe jr',
    'Ann',
    'Mary Ann',
    'de la',
    'Cruz',
    'García-López',
    'Jr.',
    'III',
    'V',
    'Sr',
    'unknown',
    'N/A',
    'test',
    'Mc Donald',
    'Nguyễn',
    ' ',
    '',
    'X',
    'y',
    'St',
    "O'Brien",
  );
  const field = fc.option(
    fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
    {
      nil: undefined,
    },
  );

  it('gives each name root the key rootKeys gives it, whenever both fields decide and no Doe pair', () => {
    fc.assert(
      fc.property(field, field, field, field, (firstName, middleName, lastName, nameSuffix) => {
        const fields = Object.fromEntries(
          Object.entries({ firstName, middleName, lastName, nameSuffix }).filter(([, v]) => v !== undefined),
        );
        const whole = keysOf({ ...DQ, ...fields });
        const f = firstName === undefined ? { key: undefined, code: 0 } : nameFieldKey('first', firstName);
        const l = lastName === undefined ? { key: undefined, code: 0 } : nameFieldKey('last', lastName);
        const m = middleName === undefined ? undefined : nameFieldKey('middle', middleName).key;
        // The encoder normalises the whole name when a present field yields no key alone.
        if (
          (firstName !== undefined && f.key === undefined) ||
          (lastName !== undefined && l.key === undefined)
        )
          return;
        if (isDoePair(f.code, l.code)) expect(whole.slice(0, 3)).toEqual([undefined, undefined, undefined]);
        else expect(whole.slice(0, 3)).toEqual([f.key, m, l.key]);
      }),
      { numRuns: 3000 },
    );
  });

  it('marks the Doe placeholders', () => {
    expect(isDoePair(nameFieldKey('first', 'John').code, nameFieldKey('last', 'Doe').code)).toBe(true);
    expect(isDoePair(nameFieldKey('first', 'Doe').code, nameFieldKey('last', 'Jane').code)).toBe(true);
    expect(isDoePair(nameFieldKey('first', 'Ann').code, nameFieldKey('last', 'Doe').code)).toBe(false);
    expect(keysOf({ ...DQ, firstName: 'Baby Girl', lastName: 'Doe' }).slice(0, 3)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('RootTable', () => {
  it('finds committed entries, by map and by dense index', () => {
    const t = new RootTable(4, 100);
    for (const key of ['ANN', 7, 1_000_000]) {
      expect(t.find(key)).toBe(-1);
      const s = t.open(3, key);
      t.words[s + 1] = 42;
      t.commit(key, s, 3);
      expect(t.find(key)).toBe(s);
      expect(t.words[t.find(key) + 1]).toBe(42);
    }
  });

  it('keeps string keys apart from numbers of the same text, across growth and a full cache', () => {
    const t = new RootTable(0, 10);
    const starts = new Map<RootKey, number>();
    // Enough string keys to grow the string index several times; every one repeats once, so the
    // root stays cached.
    for (let i = 0; i < 5_000; i++) {
      for (const key of [`N${i}`, `N${i}`]) {
        const s = t.find(key);
        if (s >= 0) expect(s).toBe(starts.get(key));
        else {
          const at = t.open(2, key);
          t.words[at + 1] = i;
          t.commit(key, at, 2);
          starts.set(key, at);
        }
      }
    }
    for (let i = 0; i < 5_000; i += 97) expect(t.words[t.find(`N${i}`) + 1]).toBe(i);
    const s = t.open(2, '12');
    t.commit('12', s, 2);
    expect(t.find(12)).toBe(-1); // the number 12 is another key than the string '12'
    expect(t.find('12')).toBe(s);
  });

  it("keeps each entry's Bloom bytes apart, word-aligned, zeroed when opened, across growth", () => {
    const t = new RootTable(6); // 6 bytes of filters: two words before each entry
    const starts: number[] = [];
    for (let i = 0; i < 3_000; i++) {
      const s = t.open(3, `K${i}`);
      const at = t.bloomAt(s);
      expect(at % 4).toBe(0);
      for (let b = 0; b < 6; b++) {
        expect(t.bytes[at + b]).toBe(0);
        t.bytes[at + b] = (i + b) & 0xff;
      }
      t.words[s + 1] = i;
      t.words[s + 2] = i ^ 0xffff;
      t.commit(`K${i}`, s, 3);
      starts.push(s);
    }
    // The words array grew many times: every entry's words and filters are still its own.
    for (let i = 0; i < 3_000; i += 7) {
      const s = t.find(`K${i}`);
      expect(s).toBe(starts[i]);
      expect([t.words[s + 1], t.words[s + 2]]).toEqual([i, i ^ 0xffff]);
      const at = t.bloomAt(s);
      expect([...t.bytes.subarray(at, at + 6)]).toEqual([0, 1, 2, 3, 4, 5].map((b) => (i + b) & 0xff));
      expect(t.bytes32[at >>> 2]).toBe(new Uint32Array(t.bytes.buffer, at, 1)[0]);
    }
    // An entry opened but not committed is overwritten by the next one, its filters zeroed again.
    const s = t.open(3);
    t.bytes[t.bloomAt(s)] = 9;
    expect(t.open(3)).toBe(s);
    expect(t.bytes[t.bloomAt(s)]).toBe(0);
  });

  it('tells string keys apart by every code unit and their length, kept in the entry words', () => {
    const t = new RootTable(6, 0);
    // Odd and even lengths (the last word half used), a trailing NUL, two-byte and astral text.
    const keys = [
      'A',
      'A\u0000',
      'AB',
      'ABC',
      'BA',
      'ABCD',
      'ABCE',
      '',
      'Nguyễn',
      'Nguyễn ',
      '\u{1F600}x',
      'x\u{1F600}',
    ];
    const starts = new Map<string, number>();
    for (const [i, key] of keys.entries()) {
      expect(t.find(key)).toBe(-1);
      const s = t.open(2, key);
      t.words[s + 1] = i;
      t.commit(key, s, 2);
      starts.set(key, s);
    }
    for (const [i, key] of keys.entries()) {
      expect(t.find(key)).toBe(starts.get(key));
      expect(t.words[t.find(key) + 1]).toBe(i);
    }
    for (const other of ['B', 'A\u0001', 'ABCF', 'Nguyen', ' ', '\u0000']) expect(t.find(other)).toBe(-1);
    expect(() => t.commit('Z', t.open(2), 2)).toThrow(TypeError);
  });

  it('moves string keys to a map when probing degenerates, finding every one as before', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 200 }), (keys) => {
        const t = new RootTable(4, 0, 0); // any collision counts as degenerate
        const starts = new Map<string, number>();
        for (const key of keys) {
          expect(t.find(key)).toBe(-1);
          const s = t.open(3, key);
          t.words[s + 1] = key.length;
          t.commit(key, s, 3);
          starts.set(key, s);
          expect(t.find(key)).toBe(s);
        }
        for (const key of keys) expect(t.find(key)).toBe(starts.get(key));
        expect(t.find(`${keys[0]}\u0001`)).toBe(
          keys.includes(`${keys[0]}\u0001`) ? starts.get(`${keys[0]}\u0001`) : -1,
        );
      }),
      { numRuns: 50 },
    );
  });

  it('stops caching a root whose values do not repeat', () => {
    const t = new RootTable(0);
    for (let i = 0; i < CACHE_PROBE; i++) {
      const key = `K${i}`;
      if (t.find(key) < 0) t.commit(key, t.open(2, key), 2);
    }
    t.rewind();
    const s = t.open(2, 'K0');
    t.commit('K0', s, 2);
    expect(t.find('K0')).toBe(-1);
    // Nothing kept: entries opened since the last rewind() stay apart (a kernel flush's records'
    // entries), then the next entry takes the first one's place.
    expect(t.open(2)).toBe(s + 2);
    t.rewind();
    expect(t.open(2)).toBe(s);
  });
});
