import { describe, expect, it } from 'vitest';
import { parseCsvSync } from '../../src/read/csv.js';
import type { Fields } from '../../src/read/fields.js';
import { spanDay } from '../../src/read/member-spans.js';
import { memberValidator } from '../../src/read/validate.js';
import { type CheckedSpan, memberSpanCheck } from '../../src/read/validate-member.js';
import type { MemberRecord } from '../../src/records.js';
import { Random } from '../../src/util/prng.js';
import { fuzzRows, synth } from './member-fuzz.js';

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
