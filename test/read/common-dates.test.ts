import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoOfDateKey, parseDate } from '../../src/normalise/date.js';
import { CommonDates } from '../../src/read/common-dates.js';
import { cell, dobIssue, eventDateParser, idIssue, parseDob, parseEventDate } from '../../src/read/fields.js';

describe('CommonDates', () => {
  it('gives the ISO date of every common layout, one shared string per date when built', () => {
    const dates = new CommonDates(2025);
    const a = dates.iso(dates.key('2/3/80'), '2/3/80');
    const b = dates.iso(dates.key('19800203'), '19800203');
    const c = dates.iso(dates.key('02/03/1980'), '02/03/1980');
    expect([a, b, c, dates.iso(dates.key('1980-02-03'), '1980-02-03')]).toEqual(Array(4).fill('1980-02-03'));
    // Past the table's bound (it starts over), every date still comes out right. `expect` runs
    // only on a wrong date: 150,000 expect calls took seconds.
    for (let i = 0; i < 150_000; i++) {
      const cell = `1/${1 + (i % 28)}/${1000 + (i % 2000)}`;
      const key = dates.key(cell);
      const iso = dates.iso(key, cell);
      if (iso !== isoOfDateKey(key)) expect(iso, cell).toBe(isoOfDateKey(key));
    }
    expect(dates.key('03-FEB-80')).toBe(-1);
  });

  it('gives parseDate’s date for any common cell, years outside the shared range included', () => {
    const dates = new CommonDates(2025);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        (y, m, d) => {
          const cell = `${m}/${d}/${String(y).padStart(4, '0')}`;
          const key = dates.key(cell);
          expect(dates.iso(key, cell)).toBe((parseDate(cell) as { iso: string }).iso);
        },
      ),
    );
  });
});

describe('field fast paths', () => {
  it('cell trims only when needed, with the same result as trim()', () => {
    for (const v of ['a', ' a', 'a ', '\u00a0a\u00a0', '\ufeffa', 'a\t', '', '  ', 'a b']) {
      expect(cell([v], 0)).toBe(v.trim());
    }
    expect(cell([undefined], 0)).toBe('');
    expect(cell(['a'], -1)).toBe('');
  });

  it('idIssue', () => {
    expect([idIssue('A1'), idIssue(''), idIssue('x'.repeat(32)), idIssue('x'.repeat(33))]).toEqual([
      undefined,
      'ID_MISSING',
      undefined,
      'ID_TOO_LONG',
    ]);
  });

  it('dobIssue follows classifyDob on date numbers', () => {
    const today = 20250601;
    expect(
      [19800304, 19000101, 18991231, 11111111, 90000101, 20250602, 20250601, 19141231, 19150101].map((d) =>
        dobIssue(d, today),
      ),
    ).toEqual([
      undefined,
      'DATE_PLACEHOLDER',
      'DATE_PLACEHOLDER',
      'DATE_PLACEHOLDER',
      'DATE_PLACEHOLDER',
      'DATE_FUTURE',
      undefined,
      'DATE_BEFORE_1915',
      undefined,
    ]);
  });

  it('eventDateParser agrees with parseEventDate; parseDob keeps its results', () => {
    const parse = eventDateParser(2025);
    const cells = fc.oneof(
      fc.array(fc.constantFrom(...'0123456789/-'), { maxLength: 11 }).map((a) => a.join('')),
      fc.constantFrom('1/1/24', '2024-01-01', '12/31/9999', '1900-01-01', '01-JAN-24', '2024-02-30', 'x'),
    );
    fc.assert(
      fc.property(cells, (s) => {
        expect(parse(s)).toEqual(parseEventDate(s, 2025));
      }),
      { numRuns: 2000 },
    );
    expect(parseDob('03/04/1980', '2025-06-01')).toEqual({ dob: '1980-03-04' });
    expect(parseDob('1910-05-05', '2025-06-01')).toEqual({ dob: '1910-05-05', code: 'DATE_BEFORE_1915' });
    expect(parseDob('2025-06-02', '2025-06-01')).toEqual({ code: 'DATE_FUTURE' });
    expect(parseDob('05-MAY-10', '2025-06-01')).toEqual({ dob: '2010-05-05' });
  });
});
