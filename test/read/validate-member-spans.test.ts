import { describe, expect, it } from 'vitest';
import { parseCsvSync } from '../../src/read/csv.js';
import type { Fields } from '../../src/read/fields.js';
import { spanDay } from '../../src/read/member-spans.js';
import { memberValidator } from '../../src/read/validate.js';
import { type CheckedSpan, memberSpanCheck } from '../../src/read/validate-member.js';
import type { MemberRecord } from '../../src/records.js';
import { synthesize } from '../../src/synth/synthesize.js';
import { Random } from '../../src/util/prng.js';

/**
 * The first pass's cheap test against the validator, row by row: whenever `memberSpanCheck` says a
 * row is accepted, the validator accepts it with the same MemberID, start and end days. (When it is
 * not sure the first pass asks the validator, so those rows agree by construction.)
 */
const TODAY = '2026-01-01';

interface Tally {
  rows: number;
  checked: number;
}

function compare(header: readonly string[], rows: readonly Fields[], today = TODAY): Tally {
  const validator = memberValidator(header, { today });
  const check = memberSpanCheck(validator.columns, today);
  const span: CheckedSpan = { id: '', start: 0, end: 0 };
  const tally = { rows: 0, checked: 0 };
  rows.forEach((fields, i) => {
    tally.rows++;
    span.id = '';
    const sure = check(fields, span);
    const rec = validator.validate({ line: i + 2, fields }).record as MemberRecord | undefined;
    if (!sure) return;
    tally.checked++;
    const want =
      rec === undefined
        ? 'rejected'
        : [rec.memberId, spanDay(rec.enrollmentStartDate), spanDay(rec.enrollmentEndDate)];
    // The row itself in the message: these are synthetic test rows, never real data.
    expect([span.id, span.start, span.end], JSON.stringify(fields)).toEqual(want);
  });
  return tally;
}

const synth = (members: number, seed: number) => {
  const data = synthesize({ seed, clients: 0, members });
  return { header: data.columns.members, rows: [...data.rows('members')] };
};

// What each column may hold: every case the validator tells apart, with spaces and odd layouts.
const CASES: Readonly<Record<string, readonly (string | undefined)[]>> = {
  MemberID: [
    'M1',
    ' M1 ',
    '',
    ' ',
    '\u00a0',
    'x'.repeat(32),
    'x'.repeat(33),
    ` ${'y'.repeat(32)} `,
    'M 1',
    '@M1',
    undefined,
  ],
  CIN: ['', '90381289N', '90381289n', 'ABC', '9'.repeat(40), '=1+1'],
  FirstName: [
    '',
    'ANA',
    'John',
    'JANE',
    'DOE',
    'Doe',
    'UNKNOWN',
    'XXX',
    'A',
    'a'.repeat(51),
    '123',
    "O'Neil",
    'José',
    '=X()',
    undefined,
  ],
  MiddleName: ['', 'M', 'NOMIDDLENAME', 'x'.repeat(51), 'DOE', undefined],
  LastName: [
    '',
    'RUIZ',
    'DOE',
    'doe',
    'UNKNOWN',
    'ZZZZ',
    'De La Cruz',
    'Nguyễn',
    'b'.repeat(51),
    '+SUM(A1)',
    undefined,
  ],
  NameSuffix: ['', 'JR', 'III', 'XX', 'UNKNOWN'],
  DOB: [
    '',
    '1980-02-03',
    ' 1980-02-03 ',
    '02/03/1980',
    '2/3/80',
    '19800203',
    '1980-2-3',
    '1980-02-30',
    '1900-01-01',
    '1900-01-02',
    '1910-05-05',
    '1915-01-01',
    '11/11/1111',
    '2026-01-01',
    '2026-01-02',
    '2030-01-01',
    '1890-01-01',
    '9999-12-31',
    'unknown',
    'Feb 3 1980',
    '12/31/25',
    '1/1/26',
    '1/2/26',
    '2024-02-29',
    '2023-02-29',
    undefined,
  ],
  Sex: ['', 'F', 'M', 'x', 'female', '9', undefined],
  SSN: [
    '',
    '123-45-6789',
    '123456789',
    '000000000',
    'xxxxxxxxx',
    '123xx6789',
    '123-45-678',
    'abc',
    '078-05-1120',
    undefined,
  ],
  MCP: ['Plan', '', ' ', '\t', 'Golden State Health Plan', '-1', undefined],
  CoverageType: [
    'Medi-Cal',
    'D-SNP',
    'MEDI CAL',
    'medi-cal',
    'dsnp',
    'Medi-Medi Plan',
    'Covered CA',
    '',
    ' Medi-Cal ',
    undefined,
  ],
  EnrollmentStartDate: [
    '2024-01-01',
    '1/1/24',
    '01/01/2024',
    '20240101',
    '2024-1-1',
    '2024/01/01',
    'Jan 1 2024',
    '',
    '1900-01-01',
    '1900-01-02',
    '8999-12-31',
    '9000-01-01',
    '9999-12-31',
    '2024-02-30',
    '2030-01-01',
    '2026-13-01',
    '2199-06-01',
    '2300-01-01',
    undefined,
  ],
  EnrollmentEndDate: [
    '',
    '2024-12-31',
    '12/31/9999',
    '2299-12-31',
    '2199-12-31',
    '2200-01-01',
    '2023-12-31',
    '2024-01-01',
    '1/1/24',
    '12/31/23',
    '1900-01-01',
    '1900-01-02',
    '9000-01-01',
    '8999-12-31',
    'ongoing',
    '2024-13-01',
    '2025-02-29',
    'Dec 31 2024',
    '2024/12/31',
    '20241231',
    '12/31/99',
    ' 2024-12-31 ',
    undefined,
  ],
};

function fuzzRows(header: readonly string[], base: readonly string[], n: number, seed: number): Fields[] {
  const rnd = new Random(seed);
  const out: Fields[] = [];
  // Every case of every column, in a good row.
  header.forEach((column, c) => {
    for (const value of CASES[column] ?? []) {
      const row: (string | undefined)[] = [...base];
      row[c] = value;
      out.push(row);
    }
  });
  // Random combinations, with short and long rows.
  for (let k = 0; k < n; k++) {
    const row: (string | undefined)[] = header.map((column, c) => {
      const cases = CASES[column] ?? [];
      return rnd.next() < 0.35 && cases.length > 0 ? cases[rnd.below(cases.length)] : base[c];
    });
    const shape = rnd.next();
    if (shape < 0.05) row.length = rnd.below(header.length);
    else if (shape < 0.1) row.push(rnd.next() < 0.5 ? '' : 'extra');
    out.push(row);
  }
  return out;
}

describe('memberSpanCheck against the member validator', () => {
  it('agrees on every generated member row and settles nearly all of them', () => {
    const { header, rows } = synth(20_000, 16);
    const t = compare(header, rows);
    expect(t.rows).toBe(20_000);
    // The common row needs no validator (rows without a usable DOB go to it).
    expect(t.checked / t.rows).toBeGreaterThan(0.9);
  });

  it('agrees on every case of every column, alone and combined, in short and long rows', () => {
    const { header, rows } = synth(50, 3);
    let checked = 0;
    let total = 0;
    for (const [i, base] of rows.entries()) {
      const t = compare(header, fuzzRows(header, base, 400, i + 1));
      checked += t.checked;
      total += t.rows;
    }
    // Both outcomes are exercised: many rows are settled, many left to the validator.
    expect(checked).toBeGreaterThan(total / 10);
    expect(checked).toBeLessThan(total * 0.9);
  });

  it('agrees on the edges of each band and on other reference days', () => {
    const header = [
      'MemberID',
      'FirstName',
      'LastName',
      'DOB',
      'MCP',
      'CoverageType',
      'EnrollmentStartDate',
      'EnrollmentEndDate',
    ];
    const rows: Fields[] = [];
    const days = [
      '1900-01-01',
      '1900-01-02',
      '1914-12-31',
      '1915-01-01',
      '2025-12-31',
      '2026-01-01',
      '2026-01-02',
      '2199-12-31',
      '2200-01-01',
      '8999-12-31',
      '9000-01-01',
    ];
    for (const dob of days)
      for (const start of days)
        for (const end of ['', ...days]) rows.push(['M1', '', '', dob, 'P', 'D-SNP', start, end]);
    for (const today of ['2026-01-01', '2025-12-31', '2000-02-29', '2099-06-30']) {
      const t = compare(header, rows, today);
      expect(t.checked).toBeGreaterThan(0);
    }
  });

  it('reads two-digit years of birth with the pivot of the validator (the only thing to match on)', () => {
    const header = ['MemberID', 'FirstName', 'LastName', 'DOB', 'MCP', 'CoverageType', 'EnrollmentStartDate'];
    const rows: Fields[] = [];
    for (const yy of ['00', '01', '25', '26', '27', '98', '99'])
      for (const md of ['1/1/', '2/29/', '6/30/', '7/1/', '12/31/'])
        rows.push(['M1', '', '', `${md}${yy}`, 'P', 'Medi-Cal', '1/1/00']);
    for (const today of ['2000-02-29', '2000-01-01', '2026-01-01', '2099-06-30', '2101-01-01']) {
      const t = compare(header, rows, today);
      expect(t.checked).toBeGreaterThan(0);
    }
  });

  it('agrees on a messy plan file as the CSV reader parses it (quotes, tabs, line breaks, blank cells)', () => {
    const { header, rows } = synth(3_000, 9);
    const rnd = new Random(5);
    const quote = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    const lines = [header.join(',')];
    for (const r of rows) {
      const c = [...r];
      const u = rnd.next();
      const col = rnd.below(c.length);
      if (u < 0.1) c[col] = `${c[col]}\r\nX`;
      else if (u < 0.2) c[col] = ` ${c[col]}\t`;
      else if (u < 0.25) c[col] = '';
      else if (u < 0.3) c.pop();
      else if (u < 0.32) c.push('x');
      lines.push(c.map(quote).join(','));
      if (u > 0.99) lines.push('');
    }
    const parsed = parseCsvSync(`${lines.join('\r\n')}\r\n`);
    const t = compare(
      header,
      parsed.slice(1).map((r) => r.fields),
    );
    expect(t.rows).toBe(3_000);
    expect(t.checked).toBeGreaterThan(2_000);
  });
});
