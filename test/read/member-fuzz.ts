/**
 * The differential generator of member rows shared by the `memberSpanCheck` tests
 * (validate-member-spans.test.ts, validate-member-rules.test.ts): every case of every member column
 * the validator tells apart, alone in a good row and in random combinations, with short and long rows.
 */
import type { Fields } from '../../src/read/fields.js';
import { synthesize } from '../../src/synth/synthesize.js';
import { Random } from '../../src/util/prng.js';

/** A synthetic member list (header and rows). */
export const synth = (members: number, seed: number) => {
  const data = synthesize({ seed, clients: 0, members });
  return { header: data.columns.members, rows: [...data.rows('members')] };
};

// What each column may hold: every case the validator tells apart, with spaces and odd layouts.
export const CASES: Readonly<Record<string, readonly (string | undefined)[]>> = {
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

/** `base` with each case of each column in turn, then `n` random combinations (seeded). */
export function fuzzRows(
  header: readonly string[],
  base: readonly string[],
  n: number,
  seed: number,
): Fields[] {
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

/**
 * Spoils one cell of `c` in place as messy exports do, from one draw of `rnd` (and a second for an
 * extra cell): a line break, spaces and a tab around the value, a blank, one cell short, one cell
 * more; with `formula`, a value that reads as a spreadsheet formula. Most rows (two draws each) are
 * left as they are.
 */
export function spoilCell(c: string[], rnd: Random, formula = false): void {
  const u = rnd.next();
  const col = rnd.below(c.length);
  if (u < 0.1) c[col] = `${c[col]}\r\nX`;
  else if (u < 0.2) c[col] = ` ${c[col]}\t`;
  else if (u < 0.25) c[col] = '';
  else if (u < 0.3) c.pop();
  else if (u < 0.32) c.push(rnd.next() < 0.5 ? '' : 'x');
  else if (formula && u < 0.34) c[col] = `=${c[col]}`;
}
