import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidCin, MAX_ID_LENGTH, normaliseId, normaliseMemberId } from '../../src/normalise/ids.js';

describe('isValidCin', () => {
  it.each([
    '91234567A',
    '90000000Z',
    '91234567c',
    ' 91234567H ',
    ...'ACDEFGHMNTUVWXYZ'.split('').map((l) => `91234567${l}`),
  ])('%j is well formed', (cin) => {
    expect(isValidCin(cin)).toBe(true);
  });

  it.each([
    '',
    '81234567A',
    '9123456A',
    '912345678A',
    '912345678',
    '9123456 7A',
    ...'BIJKLOPQRS'.split('').map((l) => `91234567${l}`),
  ])('%j is not', (cin) => {
    expect(isValidCin(cin)).toBe(false);
  });
});

describe('normaliseId', () => {
  it('trims and keeps the rest byte-exact', () => {
    expect(normaliseId('  A-0012 ')).toBe('A-0012');
    expect(normaliseId('00123')).toBe('00123');
    expect(normaliseId('abcDEF')).toBe('abcDEF');
  });

  it('rejects blank and over-long IDs', () => {
    expect(normaliseId(undefined)).toBeUndefined();
    expect(normaliseId('   ')).toBeUndefined();
    expect(normaliseId('x'.repeat(MAX_ID_LENGTH))).toBe('x'.repeat(32));
    expect(normaliseId('x'.repeat(MAX_ID_LENGTH + 1))).toBeUndefined();
    expect(normaliseId('x'.repeat(40), 64)).toBe('x'.repeat(40));
  });
});

describe('normaliseMemberId', () => {
  it('upper-cases and removes surrounding space, inner spaces and dashes', () => {
    expect(normaliseMemberId(' m-1234 567 ')).toBe('M1234567');
    expect(normaliseMemberId('M1234567')).toBe('M1234567');
    expect(normaliseMemberId('a\u2013b')).toBe('AB');
  });
  it('gives undefined for blank, formatting-only or over-long IDs', () => {
    expect(normaliseMemberId(undefined)).toBeUndefined();
    expect(normaliseMemberId('   ')).toBeUndefined();
    expect(normaliseMemberId(' - - ')).toBeUndefined();
    expect(normaliseMemberId('x'.repeat(33))).toBeUndefined();
  });
  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const once = normaliseMemberId(s);
        expect(once === undefined ? undefined : normaliseMemberId(once)).toBe(once);
      }),
    );
  });
});

describe('normaliseMemberId on plain IDs', () => {
  // The rules as written before the plain-ID shortcut: trim, length, formatting out, ASCII letters up.
  const reference = (raw: string, max: number) => {
    const t = raw.trim();
    if (t === '' || t.length > max) return undefined;
    const out = t.replace(/[\s\-\u2010-\u2014]/g, '').replace(/[a-z]+/g, (x) => x.toUpperCase());
    return out === '' ? undefined : out;
  };

  it('gives what the full rules give, plain or not', () => {
    const ch = fc.constantFrom(...'09AZMaz -\u2012\t\u00e9_');
    fc.assert(
      fc.property(fc.array(ch, { maxLength: 14 }), fc.integer({ min: 1, max: 12 }), (cs, max) => {
        const raw = cs.join('');
        expect(normaliseMemberId(raw, max)).toBe(reference(raw, max));
      }),
      { numRuns: 3000 },
    );
    expect(normaliseMemberId('M925744710')).toBe('M925744710');
    expect(normaliseMemberId('M12', 2)).toBeUndefined();
  });

  it('gives what the full rules give on any ASCII ID (the path without regular expressions)', () => {
    const ascii = fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c));
    const spaced = fc.constantFrom(...'\t\n\u000b\f\r -aZ9');
    fc.assert(
      fc.property(fc.array(fc.oneof(ascii, spaced), { maxLength: 20 }), (cs) => {
        const raw = cs.join('');
        expect(normaliseMemberId(raw, 16)).toBe(reference(raw, 16));
      }),
      { numRuns: 3000 },
    );
    expect(normaliseMemberId('rec-561-dup-0')).toBe('REC561DUP0');
    expect(normaliseMemberId('a\u000bb\fc\rd')).toBe('ABCD');
  });
});
