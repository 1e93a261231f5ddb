import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysFromCivil } from '../../src/normalise/date.js';
import { civilFromDays, isoDay, isValidCivil, parseIsoDay, spellDate } from '../../src/synth/civil-date.js';

describe('civil-date', () => {
  it('agrees with Date for any day from 1800 to 2200', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_000, max: 84_000 }), (days) => {
        const d = new Date(days * 86_400_000);
        const c = civilFromDays(days);
        return (
          c.year === d.getUTCFullYear() &&
          c.month === d.getUTCMonth() + 1 &&
          c.day === d.getUTCDate() &&
          daysFromCivil(c.year, c.month, c.day) === days &&
          isoDay(days) === d.toISOString().slice(0, 10)
        );
      }),
    );
  });

  it('validates and parses dates', () => {
    expect(isValidCivil(2024, 2, 29)).toBe(true);
    expect(isValidCivil(2023, 2, 29)).toBe(false);
    expect(isValidCivil(2023, 13, 1)).toBe(false);
    expect(parseIsoDay('1970-01-02')).toBe(1);
    expect(parseIsoDay('2023-02-29')).toBeUndefined();
    expect(parseIsoDay('01/02/1970')).toBeUndefined();
  });

  it('spells dates in the contract formats', () => {
    const c = { year: 1967, month: 5, day: 8 };
    expect(spellDate(c, 'iso')).toBe('1967-05-08');
    expect(spellDate(c, 'us')).toBe('05/08/1967');
    expect(spellDate(c, 'us-short')).toBe('5/8/67');
    expect(spellDate(c, 'compact')).toBe('19670508');
    expect(spellDate(c, 'oracle')).toBe('08-MAY-67');
  });
});
