/**
 * The registry of row-level issue codes: what each means, whether it rejects the row and what
 * bloomlink does with the field. docs/error-codes.md documents the same list (a test keeps them equal).
 *
 * A code's `severity` is what the code does on its own: an `error` code always rejects the row, a
 * `warning` code never does. A {@link RowIssue} carries the row's outcome instead, so every issue of a
 * rejected row is marked `error` (its warnings explain the rejection, e.g. why nothing was left to
 * match on) and an accepted row only ever has `warning`s.
 */

/** What one issue code means. Texts are fixed and never contain a value from the input. */
export interface IssueCodeInfo {
  /** `error`: the code rejects the row; `warning`: the row is used, the field handled as `effect` says. */
  readonly severity: 'error' | 'warning';
  /** One sentence: what is wrong. Used as the Description of the rejection report. */
  readonly summary: string;
  /** What bloomlink does about it. */
  readonly effect: string;
  /** How to fix the source data. */
  readonly fix: string;
}

// `satisfies` keeps the literal keys (for IssueCode) while checking every entry's shape.
const codes = {
  ROW_EMPTY: {
    severity: 'error',
    summary: 'The row has no values.',
    effect: 'The row is rejected.',
    fix: 'Delete blank rows (spreadsheets often leave them at the end of a sheet).',
  },
  ROW_SHORT: {
    severity: 'warning',
    summary: 'The row has fewer fields than the header.',
    effect:
      'The missing trailing fields are read as not given: blank values, data quality derived from the values.',
    fix: 'Check the row for a missing separator or a line break inside an unquoted value.',
  },
  ROW_LONG: {
    severity: 'warning',
    summary: 'The row has more non-blank fields than the header has columns.',
    effect: 'The extra fields are ignored; values may have shifted columns.',
    fix: 'Quote values that contain a comma, or remove the extra fields.',
  },
  ROW_DELETED: {
    severity: 'error',
    summary: 'The HMIS record is marked as deleted (DateDeleted is set).',
    effect: 'The row is rejected: a deleted record must not be linked.',
    fix: 'None needed; export only current records to avoid the message.',
  },
  ID_MISSING: {
    severity: 'error',
    summary: 'The record identifier is blank.',
    effect: 'The row is rejected.',
    fix: 'Fill in the identifier (PersonalID or MemberID).',
  },
  ID_TOO_LONG: {
    severity: 'error',
    summary: 'The record identifier is longer than 32 characters (HUD S32).',
    effect: 'The row is rejected.',
    fix: 'Use the system identifier, at most 32 characters.',
  },
  ID_DUPLICATE: {
    severity: 'error',
    summary: 'The record identifier already appeared on an earlier row of the file.',
    effect: 'The first row with the identifier is used; this row is rejected.',
    fix: 'Export one row per person, or give each person a distinct identifier.',
  },
  SPAN_REPEATED: {
    severity: 'warning',
    summary: 'The member row repeats an earlier row of the same MemberID cell for cell.',
    effect: 'The row is kept as the same coverage span; the span is used once.',
    fix: 'Export each coverage span once.',
  },
  SPAN_OVERLAP: {
    severity: 'warning',
    summary:
      'The coverage span starts on or before the end of an earlier-starting span of the same MemberID.',
    effect:
      'Both spans are kept; the most recent one (latest EnrollmentStartDate) gives the identity that is encoded.',
    fix: 'Check the enrollment dates with the plan: spans of one member should not overlap.',
  },
  SPAN_IDENTITY_DIFFERS: {
    severity: 'warning',
    summary:
      "The names, DOB, SSN, CIN or Sex of this row differ from those of the same MemberID's most recent coverage span.",
    effect:
      "The member is encoded once, from the most recent span's identity columns; this row's are not used.",
    fix: 'Check that the rows belong to one person; correct the older row or give the person their own MemberID.',
  },
  EPISODE_DUPLICATE: {
    severity: 'error',
    summary: 'An earlier row has the same MemberID, Program and StartDate.',
    effect: 'The first row is used; this row is rejected.',
    fix: 'Export each program episode once.',
  },
  REQUIRED_MISSING: {
    severity: 'error',
    summary: 'A required field is blank or its value could not be used.',
    effect: 'The row is rejected; another issue on the same field gives the reason when it was not blank.',
    fix: 'Fill in the field with a valid value.',
  },
  NOTHING_TO_MATCH: {
    severity: 'error',
    summary: 'The row has no usable name, date of birth or SSN.',
    effect:
      'The row is rejected: it cannot be matched; the other issues of the row say which values were unusable.',
    fix: 'Provide at least a name, a date of birth or an SSN.',
  },
  FIELD_TOO_LONG: {
    severity: 'warning',
    summary:
      'The value is longer than the field allows (HUD S50 for names, S32 for identifiers, 250 for a provider).',
    effect: 'The value is treated as missing.',
    fix: 'Check for values pasted into the wrong column.',
  },
  NAME_PLACEHOLDER: {
    severity: 'warning',
    summary: 'The name part is a placeholder (such as UNKNOWN, REFUSED or DOE), not a name.',
    effect: 'The name part is treated as missing.',
    fix: 'Leave the name part blank and record the reason in NameDataQuality.',
  },
  DATE_UNPARSEABLE: {
    severity: 'warning',
    summary: 'The date is not in a recognised format.',
    effect: 'The date is treated as missing.',
    fix: 'Use YYYY-MM-DD (MM/DD/YYYY, M/D/YY, YYYYMMDD and DD-MON-YY are also read).',
  },
  DATE_IMPOSSIBLE: {
    severity: 'warning',
    summary: 'The date does not exist in the calendar (for example February 30).',
    effect: 'The date is treated as missing.',
    fix: 'Correct the date.',
  },
  DATE_PLACEHOLDER: {
    severity: 'warning',
    summary: 'The date is a placeholder (such as 1900-01-01 or year 9999), not a real date.',
    effect: 'The date is treated as missing.',
    fix: 'Leave the date blank and record the reason in the data-quality field.',
  },
  DATE_FUTURE: {
    severity: 'warning',
    summary: 'The date of birth is after the day of the run.',
    effect: 'The date of birth is treated as missing.',
    fix: 'Correct the date of birth.',
  },
  DATE_AFTER_INFORMATION_DATE: {
    severity: 'warning',
    summary: 'The date of birth is after the date the information was collected.',
    effect: 'The date of birth is treated as missing.',
    fix: 'Correct the date of birth or the information date.',
  },
  DATE_BEFORE_1915: {
    severity: 'warning',
    summary: 'The date of birth is before 1915-01-01 (a HUD data-quality flag).',
    effect: 'The date of birth is used as given.',
    fix: 'Check the date of birth.',
  },
  END_BEFORE_START: {
    severity: 'error',
    summary: 'The end date is before the start date.',
    effect: 'The row is rejected: HUD requires an exit on or after the entry, and either date may be wrong.',
    fix: 'Correct the start or the end date.',
  },
  DQ_INVALID: {
    severity: 'warning',
    summary: 'The data-quality code is not one of 1, 2, 8, 9, 99, or is blank while the field has a value.',
    effect:
      'The code is treated as 99 (not collected); a value that is present is then used as approximate (2), as for DQ_INCONSISTENT.',
    fix: 'Use a code from HUD lists 3.01.5, 3.02.2 or 3.03.2.',
  },
  DQ_INCONSISTENT: {
    severity: 'warning',
    summary:
      'The data-quality code contradicts the field: a value is present with 8, 9 or 99, or it is blank with 1 or 2.',
    effect: 'A present value is used as approximate (data quality 2); a blank value keeps data quality 99.',
    fix: 'Make the data-quality code agree with the value.',
  },
  SSN_INVALID: {
    severity: 'warning',
    summary: 'The SSN fails HUD validity rules (length, characters, area, group or serial number).',
    effect: 'The SSN is treated as missing.',
    fix: 'Correct the SSN, or leave it blank and record the reason in SSNDataQuality.',
  },
  SSN_PLACEHOLDER: {
    severity: 'warning',
    summary: 'The SSN is a placeholder (such as all zeros, all nines or 123456789).',
    effect: 'The SSN is treated as missing.',
    fix: 'Leave the SSN blank and record the reason in SSNDataQuality.',
  },
  SSN_PARTIAL: {
    severity: 'warning',
    summary:
      'The SSN is partial (unknown digits written as x, or fewer than 9 digits) but is not marked as partial.',
    effect: 'The known digits are used and SSN data quality is set to 2 (partial).',
    fix: 'Set SSNDataQuality to 2 for partial SSNs, or complete the SSN.',
  },
  SEX_INVALID: {
    severity: 'warning',
    summary: 'The sex value is not recognised (expected 0, 1, 8, 9, 99 or F, M, U).',
    effect: 'Sex is treated as unknown.',
    fix: 'Use the HUD 4.21 codes or F/M/U.',
  },
  CIN_INVALID: {
    severity: 'warning',
    summary: 'The CIN is not 9 + 7 digits + a letter.',
    effect: 'The CIN is treated as missing.',
    fix: 'Correct the Medi-Cal Client Index Number.',
  },
  COVERAGE_INVALID: {
    severity: 'error',
    summary: 'The coverage type is not Medi-Cal or D-SNP.',
    effect: 'The row is rejected.',
    fix: 'Use Medi-Cal or D-SNP.',
  },
  PROGRAM_UNKNOWN: {
    severity: 'error',
    summary: 'The program is neither ECM nor a Community Supports service name.',
    effect: 'The row is rejected.',
    fix: 'Use ECM or a DHCS Community Supports service name (see docs/error-codes.md).',
  },
  NPI_INVALID: {
    severity: 'warning',
    summary: 'The provider NPI is not 10 digits with a valid check digit.',
    effect: 'The NPI is treated as missing.',
    fix: 'Correct the National Provider Identifier.',
  },
  FORMULA_LIKE_VALUE: {
    severity: 'warning',
    summary:
      'The value starts with =, +, -, @, a tab or a carriage return, so a spreadsheet could run it as a formula.',
    effect:
      'The value is used as given; in every CSV file bloomlink writes it is preceded by an apostrophe so that spreadsheets show it as text.',
    fix: 'Check the value: formulas and pasted spreadsheet content do not belong in a list of people.',
  },
} as const satisfies Record<string, IssueCodeInfo>;

/**
 * Every row-level issue code with its severity, summary, effect and fix. Frozen.
 *
 * @example
 * ```ts
 * import { ISSUE_CODES } from 'bloomlink';
 * ISSUE_CODES.ID_DUPLICATE.severity; // 'error'
 * ISSUE_CODES.DATE_PLACEHOLDER.effect; // 'The date is treated as missing.'
 * ```
 */
export const ISSUE_CODES: Readonly<Record<keyof typeof codes, IssueCodeInfo>> = deepFreeze(codes);

/**
 * A stable row-level issue code, documented in docs/error-codes.md.
 *
 * @example
 * ```ts
 * import type { IssueCode } from 'bloomlink';
 * const code: IssueCode = 'NOTHING_TO_MATCH';
 * ```
 */
export type IssueCode = keyof typeof codes;

/**
 * Whether a string is a registered issue code.
 *
 * @example
 * ```ts
 * isIssueCode('ID_MISSING'); // true
 * isIssueCode('NOPE'); // false
 * ```
 */
export function isIssueCode(code: string): code is IssueCode {
  return Object.hasOwn(codes, code);
}

function deepFreeze<T extends Record<string, object>>(o: T): T {
  for (const v of Object.values(o)) Object.freeze(v);
  return Object.freeze(o);
}
