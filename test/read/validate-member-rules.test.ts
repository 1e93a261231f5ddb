import { describe, expect, it } from 'vitest';
import { ISSUE_CODES, type IssueCode } from '../../src/issue-codes.js';
import type { Fields } from '../../src/read/fields.js';
import { MEMBER_COLUMNS } from '../../src/read/layouts.js';
import { memberValidator } from '../../src/read/validate.js';
import { fuzzRows, synth } from './member-fuzz.js';

/**
 * `memberSpanCheck` (src/read/validate-member.ts) copies the member validator's rules for the common
 * row. These pins fail when what it copies changes — the codes that reject a member row and the
 * member columns — so whoever changes them reviews it (validate-member-spans.test.ts then checks the
 * two agree on generated rows).
 */
const REVIEW = 'changed: review memberSpanCheck (src/read/validate-member.ts)';
const TODAY = '2026-01-01';

/** The `error`-severity codes the member validator's rejected rows carry, over the generator's rows. */
function rejectingCodes(): string[] {
  const { header, rows } = synth(50, 3);
  const all: Fields[] = [...synth(2_000, 16).rows];
  for (const [i, base] of rows.entries()) all.push(...fuzzRows(header, base, 400, i + 1));
  all.push(
    [],
    header.map(() => ''),
    header.map(() => ' '),
  );
  const validator = memberValidator(header, { today: TODAY });
  const codes = new Set<IssueCode>();
  let rejected = 0;
  all.forEach((fields, i) => {
    const r = validator.validate({ line: i + 2, fields });
    if (r.record !== undefined) return;
    rejected++;
    const own = r.issues.map((issue) => issue.code).filter((code) => ISSUE_CODES[code].severity === 'error');
    // A rejected row always carries a code that rejects on its own.
    expect(own.length, `line ${i + 2}`).toBeGreaterThan(0);
    for (const code of own) codes.add(code);
  });
  expect(rejected).toBeGreaterThan(all.length / 10);
  return [...codes].sort();
}

describe('the member validator rules memberSpanCheck copies', () => {
  it('rejects member rows with exactly the pinned error codes', () => {
    expect(rejectingCodes(), `the member validator's rejecting issue codes ${REVIEW}`).toEqual([
      'COVERAGE_INVALID',
      'END_BEFORE_START',
      'ID_MISSING',
      'ID_TOO_LONG',
      'NOTHING_TO_MATCH',
      'REQUIRED_MISSING',
      'ROW_EMPTY',
    ]);
  });

  it('reads exactly the pinned member columns', () => {
    expect(
      { required: MEMBER_COLUMNS.required, optional: MEMBER_COLUMNS.optional },
      `MEMBER_COLUMNS ${REVIEW}`,
    ).toEqual({
      required: ['MemberID', 'FirstName', 'LastName', 'DOB', 'MCP', 'CoverageType', 'EnrollmentStartDate'],
      optional: [
        'CIN',
        'MiddleName',
        'NameSuffix',
        'Sex',
        'SSN',
        'EnrollmentEndDate',
        'NameDataQuality',
        'DOBDataQuality',
        'SSNDataQuality',
      ],
    });
  });
});
