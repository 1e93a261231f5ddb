import { describe, expect, it } from 'vitest';
import {
  classifyDob,
  dateParts,
  daysBetween,
  daysFromCivil,
  daysInMonth,
  isIsoDate,
  parseDate,
} from '../../src/normalise/date.js';

const ref = { referenceYear: 2025 };

describe('parseDate', () => {
  it.each([
    ['2024-02-29', '2024-02-29', 'YYYY-MM-DD'],
    ['1967-05-08', '1967-05-08', 'YYYY-MM-DD'],
    ['  1967-05-08 ', '1967-05-08', 'YYYY-MM-DD'],
    ['1967-5-8', '1967-05-08', 'YYYY-MM-DD'],
    ['2024-01-31 13:45:07', '2024-01-31', 'YYYY-MM-DD hh:mm:ss'],
    ['2024-01-31T13:45:07', '2024-01-31', 'YYYY-MM-DD hh:mm:ss'],
    ['2024-01-31T13:45:07.123Z', '2024-01-31', 'YYYY-MM-DD hh:mm:ss'],
    ['2024-01-31 00:00', '2024-01-31', 'YYYY-MM-DD hh:mm:ss'],
    ['1967/05/08', '1967-05-08', 'YYYY/MM/DD'],
    ['19670508', '1967-05-08', 'YYYYMMDD'],
    ['05/08/1967', '1967-05-08', 'MM/DD/YYYY'],
    ['9/10/2015', '2015-09-10', 'MM/DD/YYYY'],
    ['9/10/2015 0:00', '2015-09-10', 'MM/DD/YYYY hh:mm:ss'],
    ['9/10/2015 12:00:00 AM', '2015-09-10', 'MM/DD/YYYY hh:mm:ss'],
    ['7/14/16', '2016-07-14', 'M/D/YY'],
    ['07/14/16', '2016-07-14', 'M/D/YY'],
    ['05-08-1967', '1967-05-08', 'MM-DD-YYYY'],
    ['5-8-67', '1967-05-08', 'MM-DD-YY'],
    ['08-MAY-67', '1967-05-08', 'DD-MON-YY'],
    ['17-jun-20', '2020-06-17', 'DD-MON-YY'],
    ['8-May-1967', '1967-05-08', 'DD-MON-YYYY'],
    ['08 Sept 1967', '1967-09-08', 'DD-MON-YYYY'],
    ['08/December/1967', '1967-12-08', 'DD-MON-YYYY'],
    ['08-Dec.-1967', '1967-12-08', 'DD-MON-YYYY'],
  ])('%j → %s (%s)', (raw, iso, format) => {
    expect(parseDate(raw, ref)).toEqual({ ok: true, iso, format });
  });

  it('pivots two-digit years to the latest year not after next year', () => {
    const iso = (raw: string, referenceYear: number): string | undefined => {
      const r = parseDate(raw, { referenceYear });
      return r.ok ? r.iso : undefined;
    };
    expect(iso('1/1/26', 2025)).toBe('2026-01-01');
    expect(iso('1/1/27', 2025)).toBe('1927-01-01');
    expect(iso('1/1/00', 2025)).toBe('2000-01-01');
    expect(iso('1/1/99', 2025)).toBe('1999-01-01');
    expect(iso('1/1/99', 2098)).toBe('2099-01-01');
    expect(iso('1/1/00', 2099)).toBe('2100-01-01');
    expect(iso('1/1/01', 2099)).toBe('2001-01-01');
    expect(iso('08-MAY-67', 1966)).toBe('1967-05-08');
    expect(iso('08-MAY-67', 1965)).toBe('1867-05-08');
  });

  it('defaults the reference year to the current UTC year', () => {
    const next = (new Date().getUTCFullYear() + 1) % 100;
    const yy = String(next).padStart(2, '0');
    const r = parseDate(`1/1/${yy}`);
    expect(r.ok && r.iso).toBe(`${new Date().getUTCFullYear() + 1}-01-01`);
  });

  it.each([
    ['2023-02-29', 'not a leap year'],
    ['1900-02-29', 'century not divisible by 400'],
    ['2024-04-31', 'April has 30 days'],
    ['2024-13-01', 'month 13'],
    ['2024-00-10', 'month 0'],
    ['2024-01-00', 'day 0'],
    ['0000-01-01', 'year 0'],
    ['13/02/2020', 'day-first date'],
    ['02/30/2020', 'February 30'],
    ['20230229', 'compact, not a leap year'],
    ['31-APR-2020', 'April 31'],
    ['2024-01-31 24:00:00', 'hour 24'],
    ['2024-01-31 12:60', 'minute 60'],
    ['9/10/2015 13:00 PM', 'hour 13 with PM'],
  ])('%j is impossible (%s)', (raw) => {
    expect(parseDate(raw, ref)).toEqual({ ok: false, reason: 'impossible' });
  });

  it('accepts leap days that exist', () => {
    expect(parseDate('2000-02-29', ref)).toMatchObject({ ok: true, iso: '2000-02-29' });
    expect(parseDate('02/29/1996', ref)).toMatchObject({ ok: true, iso: '1996-02-29' });
    expect(parseDate('29-FEB-24', ref)).toMatchObject({ ok: true, iso: '2024-02-29' });
  });

  it.each([
    '',
    '   ',
    'unknown',
    '1967',
    '196705',
    '1967-05',
    '05/08',
    '1967-05-08x',
    '08-MAI-67',
    '08-XYZ-67',
    '1967.05.08',
    'May 8, 1967',
    '05/08/196',
    '123/08/1967',
    '2024-01-31 1:2',
    `1967-05-08${' '.repeat(50)}x`,
  ])('%j is unparseable', (raw) => {
    expect(parseDate(raw, ref)).toEqual({ ok: false, reason: 'unparseable' });
  });

  it('does not throw on a non-string at run time', () => {
    expect(parseDate(undefined as unknown as string)).toEqual({ ok: false, reason: 'unparseable' });
  });
});

describe('isIsoDate, dateParts, daysBetween', () => {
  it('checks ISO calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-2-9')).toBe(false);
    expect(isIsoDate('2024-02-29 00:00:00')).toBe(false);
  });

  it('splits a date into numbers', () => {
    expect(dateParts('1967-05-08')).toEqual({ year: 1967, month: 5, day: 8 });
    expect(() => dateParts('1967-5-8')).toThrow(TypeError);
    expect(() => dateParts('2023-02-29')).toThrow(TypeError);
  });

  it('counts days across months, leap years and centuries', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1);
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
    expect(daysBetween('1970-01-01', '2000-01-01')).toBe(10957);
    expect(daysBetween('1899-12-31', '1900-03-01')).toBe(60);
    expect(daysBetween('2000-01-01', '2001-01-01')).toBe(366);
    expect(daysBetween('1967-05-08', '1967-05-08')).toBe(0);
    expect(() => daysBetween('1967-05-08', 'x')).toThrow(TypeError);
  });

  it('agrees with Date.UTC on any pair of dates', () => {
    const toIso = (t: number): string => new Date(t).toISOString().slice(0, 10);
    for (let i = 0; i < 500; i++) {
      const a = Date.UTC(1850, 0, 1) + Math.floor(((i * 7919) % 100000) * 86400000 * 0.91);
      const b = Date.UTC(1900, 0, 1) + Math.floor(((i * 104729) % 60000) * 86400000);
      expect(daysBetween(toIso(a), toIso(b))).toBe(
        Math.round((Date.parse(toIso(b)) - Date.parse(toIso(a))) / 86400000),
      );
    }
  });
});

describe('daysFromCivil, daysInMonth', () => {
  it('numbers days from 1970-01-01 as Date.UTC does, before the epoch too', () => {
    for (const [y, m, d] of [
      [1970, 1, 1],
      [1969, 12, 31],
      [1900, 3, 1],
      [2000, 2, 29],
      [1600, 1, 1],
      [2199, 12, 31],
    ] as const) {
      expect(daysFromCivil(y, m, d)).toBe(Date.UTC(y, m - 1, d) / 86400000);
    }
  });

  it('knows the month lengths of leap and century years', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    for (let m = 1; m <= 12; m++)
      expect(daysInMonth(2023, m)).toBe(new Date(Date.UTC(2023, m, 0)).getUTCDate());
  });
});

describe('classifyDob', () => {
  const today = '2025-06-01';

  it.each(['1900-01-01', '1899-12-31', '1000-06-15', '1111-11-11', '9000-01-01', '9999-12-31'])(
    '%s is a placeholder',
    (iso) => {
      expect(classifyDob(iso, { today })).toBe('placeholder');
    },
  );

  it('flags dates after the information date or today as future', () => {
    expect(classifyDob('2025-06-02', { today })).toBe('future');
    expect(classifyDob('2025-05-02', { today, informationDate: '2025-05-01' })).toBe('future');
    expect(classifyDob('2025-05-01', { today, informationDate: '2025-05-01' })).toBe('ok');
    expect(classifyDob('2025-06-01', { today })).toBe('ok');
  });

  it('flags dates from 1900-01-02 to 1914-12-31 as before-1915', () => {
    expect(classifyDob('1900-01-02', { today })).toBe('before-1915');
    expect(classifyDob('1914-12-31', { today })).toBe('before-1915');
    expect(classifyDob('1915-01-01', { today })).toBe('ok');
  });

  it('accepts ordinary dates, including 01-01 of a real year', () => {
    expect(classifyDob('1980-07-15', { today })).toBe('ok');
    expect(classifyDob('1970-01-01', { today })).toBe('ok');
  });

  it('rejects a non-date argument', () => {
    expect(() => classifyDob('1980-7-15', { today })).toThrow(TypeError);
  });
});
