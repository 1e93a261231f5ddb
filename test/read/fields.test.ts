import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cell,
  columnAt,
  dobAfter,
  endDate,
  eventDateParser,
  isOpenEndDate,
  optionalDate,
  parseCoverage,
  parseDob,
  parseEventDate,
  parseId,
  parseNpi,
  requiredDate,
  timestampDate,
} from '../../src/read/fields.js';
import { IssueCollector } from '../../src/read/row-issues.js';

const codes = (c: IssueCollector): string[] => c.take(1).map((i) => `${i.field} ${i.code}`);

describe('cell', () => {
  it('trims, and reads absent columns and short rows as blank', () => {
    expect(cell([' a ', undefined], 0)).toBe('a');
    expect(cell([' a '], -1)).toBe('');
    expect(cell(['a', undefined], 1)).toBe('');
    expect(cell(['a'], 5)).toBe('');
  });
});

describe('columnAt', () => {
  it('finds a mapped column and gives -1, read as blank, for an absent one', () => {
    const at = columnAt(new Map([['DOB', 1]]));
    expect(at('DOB')).toBe(1);
    expect(at('SSN')).toBe(-1);
    expect(cell(['x', ' 1980-01-01 '], at('DOB'))).toBe('1980-01-01');
    expect(cell(['x', 'y'], at('SSN'))).toBe('');
  });
});

describe('parseId', () => {
  it('requires 1 to 32 characters and keeps them byte-exact', () => {
    expect(parseId('007')).toEqual({ ok: true, value: '007' });
    expect(parseId('x'.repeat(32))).toEqual({ ok: true, value: 'x'.repeat(32) });
    expect(parseId('')).toEqual({ ok: false, code: 'ID_MISSING' });
    expect(parseId('x'.repeat(33))).toEqual({ ok: false, code: 'ID_TOO_LONG' });
  });
});

describe('parseCoverage', () => {
  it.each([
    ['Medi-Cal', 'Medi-Cal'],
    ['MEDI CAL', 'Medi-Cal'],
    ['medical', 'Medi-Cal'],
    ['Medicaid', 'Medi-Cal'],
    ['D-SNP', 'D-SNP'],
    ['dsnp', 'D-SNP'],
    ['Medi-Medi Plan', 'D-SNP'],
    ['EAE D-SNP', 'D-SNP'],
  ])('%s → %s', (raw, value) => {
    expect(parseCoverage(raw)).toEqual({ ok: true, value });
  });
  it('rejects other lines of business', () => {
    for (const raw of ['Covered California', 'Medicare', 'Commercial', 'SNP']) {
      expect(parseCoverage(raw)).toEqual({ ok: false, code: 'COVERAGE_INVALID' });
    }
  });
});

describe('parseNpi', () => {
  it('accepts NPIs with a valid CMS check digit', () => {
    for (const npi of ['1234567893', '1245319599', '1003000126'])
      expect(parseNpi(npi)).toEqual({ ok: true, value: npi });
  });
  it('rejects a wrong check digit, wrong length or non-digits', () => {
    for (const npi of ['1234567890', '123456789', '12345678930', '12345678a3']) {
      expect(parseNpi(npi)).toEqual({ ok: false, code: 'NPI_INVALID' });
    }
  });
  it('exactly one check digit completes any nine digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{9}$/), (nine) => {
        const valid = [...'0123456789'].filter((d) => parseNpi(nine + d).ok);
        expect(valid).toHaveLength(1);
      }),
    );
  });
});

describe('event dates', () => {
  it('parses, and flags placeholders', () => {
    expect(parseEventDate('1/2/24', 2025)).toEqual({ ok: true, value: '2024-01-02' });
    expect(parseEventDate('1/2/26', 2025)).toEqual({ ok: true, value: '2026-01-02' });
    expect(parseEventDate('1/2/27', 2025)).toEqual({ ok: true, value: '1927-01-02' });
    expect(parseEventDate('1900-01-01', 2025)).toEqual({ ok: false, code: 'DATE_PLACEHOLDER' });
    expect(parseEventDate('9999-12-31', 2025)).toEqual({ ok: false, code: 'DATE_PLACEHOLDER' });
    expect(parseEventDate('2024-02-30', 2025)).toEqual({ ok: false, code: 'DATE_IMPOSSIBLE' });
    expect(parseEventDate('soon', 2025)).toEqual({ ok: false, code: 'DATE_UNPARSEABLE' });
  });

  it('recognises far-future end dates as open', () => {
    for (const raw of ['12/31/9999', '9999-12-31', '2299-12-31', '31-DEC-2999'])
      expect(isOpenEndDate(raw), raw).toBe(true);
    for (const raw of ['2199-12-31', '12/31/99', 'never', '']) expect(isOpenEndDate(raw), raw).toBe(false);
  });

  it('optionalDate: blank → none, no issue; unusable → none, the date issue', () => {
    const parse = eventDateParser(2025);
    const c = new IssueCollector();
    expect(optionalDate([' 5/1/24 '], 0, 'InformationDate', parse, c)).toBe('2024-05-01');
    expect(optionalDate([''], 0, 'InformationDate', parse, c)).toBeUndefined();
    expect(optionalDate([], 3, 'InformationDate', parse, c)).toBeUndefined();
    expect(codes(c)).toEqual([]);
    expect(optionalDate(['2024-13-01'], 0, 'InformationDate', parse, c)).toBeUndefined();
    expect(codes(c)).toEqual(['InformationDate DATE_IMPOSSIBLE']);
  });

  it('requiredDate: blank or unusable → REQUIRED_MISSING (plus the date issue)', () => {
    const parse = eventDateParser(2025);
    const c = new IssueCollector();
    expect(requiredDate(['2024-05-01'], 0, 'StartDate', parse, c)).toBe('2024-05-01');
    expect(codes(c)).toEqual([]);
    expect(requiredDate([''], 0, 'StartDate', parse, c)).toBeUndefined();
    expect(codes(c)).toEqual(['StartDate REQUIRED_MISSING']);
    expect(requiredDate(['2024-13-01'], 0, 'StartDate', parse, c)).toBeUndefined();
    expect(codes(c)).toEqual(['StartDate DATE_IMPOSSIBLE', 'StartDate REQUIRED_MISSING']);
  });

  it('endDate: open, unusable, before the start', () => {
    const parse = eventDateParser(2025);
    const c = new IssueCollector();
    expect(endDate(['12/31/9999'], 0, 'EndDate', '2024-01-01', parse, c)).toBeUndefined();
    expect(endDate([''], 0, 'EndDate', '2024-01-01', parse, c)).toBeUndefined();
    expect(endDate(['2024-01-01'], 0, 'EndDate', '2024-01-01', parse, c)).toBe('2024-01-01');
    expect(codes(c)).toEqual([]);
    expect(endDate(['x'], 0, 'EndDate', '2024-01-01', parse, c)).toBeUndefined();
    expect(codes(c)).toEqual(['EndDate DATE_UNPARSEABLE']);
    expect(endDate(['2023-12-31'], 0, 'EndDate', '2024-01-01', parse, c)).toBe('2023-12-31');
    expect(c.rejected).toBe(true);
    expect(codes(c)).toEqual(['EndDate END_BEFORE_START']);
  });

  it('timestampDate cuts the time of HUD T values and never reports', () => {
    const parse = eventDateParser(2025);
    expect(timestampDate('2024-10-01 13:45:00', parse)).toBe('2024-10-01');
    expect(timestampDate('2024-10-01T13:45:00Z', parse)).toBe('2024-10-01');
    expect(timestampDate('10/01/2024 1:45 PM', parse)).toBe('2024-10-01');
    expect(timestampDate('garbage', parse)).toBeUndefined();
    expect(timestampDate('', parse)).toBeUndefined();
  });
});

describe('parseDob', () => {
  const today = '2025-06-01';
  it('classifies against the run day', () => {
    expect(parseDob('03/04/1980', today)).toEqual({ dob: '1980-03-04' });
    expect(parseDob('6/1/25', today)).toEqual({ dob: '2025-06-01' });
    expect(parseDob('6/2/25', today)).toEqual({ code: 'DATE_FUTURE' });
    expect(parseDob('1/1/26', today)).toEqual({ dob: '1926-01-01' });
    expect(parseDob('1111-11-11', today)).toEqual({ code: 'DATE_PLACEHOLDER' });
    expect(parseDob('1914-12-31', today)).toEqual({ dob: '1914-12-31', code: 'DATE_BEFORE_1915' });
    expect(parseDob('1915-01-01', today)).toEqual({ dob: '1915-01-01' });
    expect(parseDob('2/29/2023', today)).toEqual({ code: 'DATE_IMPOSSIBLE' });
    expect(parseDob('N/A', today)).toEqual({ code: 'DATE_UNPARSEABLE' });
  });
  it('dobAfter compares with the information date when there is one', () => {
    expect(dobAfter('2020-01-02', '2020-01-01')).toBe(true);
    expect(dobAfter('2020-01-01', '2020-01-01')).toBe(false);
    expect(dobAfter('2020-01-02', undefined)).toBe(false);
  });
});
