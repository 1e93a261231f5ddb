/**
 * The allocation-free fast paths the readers use must agree with the general functions they stand
 * in for, on every input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonDateKey, isoOfDateKey, parseCommonDate, parseDate } from '../../src/normalise/date.js';
import { isValidCin } from '../../src/normalise/ids.js';
import { isPlaceholderAlnum, isPlaceholderFolded } from '../../src/normalise/placeholders.js';
import { checkSsn, checkSsnCompact } from '../../src/normalise/ssn.js';
import { foldText } from '../../src/normalise/text.js';

const runs = { numRuns: 3000 };
const from = (chars: string, maxLength: number) =>
  fc.array(fc.constantFrom(...chars), { maxLength }).map((a) => a.join(''));

/** Date-like cells: real and impossible dates in every layout, and noise from date characters. */
const dateCell = fc.oneof(
  from('0123456789/-', 11),
  fc
    .tuple(
      fc.integer({ min: 0, max: 3000 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
    )
    .chain(([y, m, d]) => {
      const p = (n: number, w: number) => String(n).padStart(w, '0');
      return fc.constantFrom(
        `${p(y, 4)}-${p(m, 2)}-${p(d, 2)}`,
        `${p(y, 4)}${p(m, 2)}${p(d, 2)}`,
        `${m}/${d}/${p(y, 4)}`,
        `${p(m, 2)}/${p(d, 2)}/${p(y % 100, 2)}`,
        `${m}/${d}/${p(y % 100, 2)}`,
        `${p(d, 2)}-FEB-${p(y % 100, 2)}`,
      );
    }),
);

describe('commonDateKey / parseCommonDate', () => {
  it('give parseDate’s ISO date whenever they answer', () => {
    fc.assert(
      fc.property(dateCell, fc.integer({ min: 1950, max: 2150 }), (s, referenceYear) => {
        const iso = parseCommonDate(s, referenceYear);
        const key = commonDateKey(s, referenceYear);
        expect(key < 0).toBe(iso === undefined);
        if (iso === undefined) return;
        expect(parseDate(s, { referenceYear })).toMatchObject({ ok: true, iso });
        expect(isoOfDateKey(key)).toBe(iso);
      }),
      runs,
    );
  });

  it('answer for the common layouts and leave the rest to parseDate', () => {
    expect(
      ['1980-02-03', '19800203', '2/3/1980', '02/03/1980', '2/3/80'].map((s) => parseCommonDate(s, 2025)),
    ).toEqual(Array(5).fill('1980-02-03'));
    for (const s of ['03-FEB-80', '2023-02-29', '1980-2-3', '2/3/1980 10:00', ' 2/3/80', '0000-01-01']) {
      expect(commonDateKey(s, 2025)).toBe(-1);
    }
  });
});

describe('isPlaceholderAlnum', () => {
  const nameLike = fc.oneof(
    from('abcxyzABCXYZ019', 8),
    fc.constantFrom(
      'UNKNOWN',
      'Unknown',
      'na',
      'NA',
      'Test',
      'FNU',
      'nonamegiven',
      'JohnDoe',
      'Doe',
      'J',
      'Le',
    ),
    fc.string({ maxLength: 6 }),
  );
  it('agrees with folding and checking whenever it answers', () => {
    fc.assert(
      fc.property(nameLike, (raw) => {
        const fast = isPlaceholderAlnum(raw);
        if (fast === undefined) return;
        const folded = foldText(raw);
        expect(fast).toBe(folded === '' || isPlaceholderFolded(folded));
      }),
      runs,
    );
  });

  it('answers for plain names and leaves listed words and other characters to the caller', () => {
    expect(['Garcia', 'SMITH', 'xx', '123', 'J'].map(isPlaceholderAlnum)).toEqual([
      false,
      false,
      true,
      true,
      false,
    ]);
    expect(['Unknown', 'NA', "O'Brien", 'Mary Ann', 'José', ''].map(isPlaceholderAlnum)).toEqual(
      Array(6).fill(undefined),
    );
  });
});

describe('checkSsnCompact', () => {
  it('is checkSsn’s SSN, or its status when there is none', () => {
    const ssnLike = fc.oneof(from('0123456789xX- \t9', 12), fc.string({ maxLength: 11 }));
    fc.assert(
      fc.property(ssnLike, (raw) => {
        const check = checkSsn(raw);
        expect(checkSsnCompact(raw)).toBe(check.ssn ?? check.status);
      }),
      runs,
    );
    expect(checkSsnCompact(undefined)).toBe('missing');
  });

  it('knows every sequential placeholder', () => {
    const digits = '0123456789';
    for (let i = 0; i < 10; i++) {
      const rotation = (digits.slice(i) + digits.slice(0, i)).slice(0, 9);
      expect(checkSsnCompact(rotation)).toBe('placeholder');
      expect(checkSsnCompact([...rotation].reverse().join(''))).toBe('placeholder');
    }
    expect(checkSsnCompact('123456788')).toBe('123456788');
  });
});

describe('isValidCin', () => {
  it('applies /^9[0-9]{7}[AC-HMNT-Z]$/i to the trimmed cell', () => {
    const re = /^9[0-9]{7}[AC-HMNT-Z]$/i;
    const cinLike = fc.oneof(
      fc
        .tuple(from('0123456789', 8), fc.string({ minLength: 1, maxLength: 1 }))
        .map(([d, c]) => `9${d.slice(0, 7)}${c}`),
      fc.tuple(from('9 ', 2), from('0123456789', 8), from('abAJZzſK ', 2)).map((p) => p.join('')),
      fc.string({ maxLength: 10 }),
    );
    fc.assert(
      fc.property(cinLike, (raw) => {
        expect(isValidCin(raw)).toBe(re.test(raw.trim()));
      }),
      runs,
    );
    for (let c = 0; c < 0x3000; c++) {
      const raw = `91234567${String.fromCharCode(c)}`;
      expect(isValidCin(raw)).toBe(re.test(raw.trim()));
    }
  });
});
