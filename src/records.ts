/**
 * Types of the validated records every later stage consumes. Values are trimmed clear text as
 * entered (normalisation is a separate stage); dates are ISO `YYYY-MM-DD` strings of real calendar
 * dates; a field that is missing, a placeholder or unusable is `undefined`.
 */
import type { IssueCode } from './issue-codes.js';

/** HUD data-quality code (lists 3.01.5, 3.02.2, 3.03.2): 1 full, 2 partial/approximate, 8, 9, 99. */
export type DataQuality = 1 | 2 | 8 | 9 | 99;

/**
 * HUD's data-quality codes, as a set (what an encoded file's DQ columns may hold).
 * @example
 * ```ts
 * DATA_QUALITY_CODES.has(99); // true
 * ```
 */
export const DATA_QUALITY_CODES: ReadonlySet<number> = new Set<DataQuality>([1, 2, 8, 9, 99]);

/** Sex in one representation (HUD FY2026 4.21: 0 female, 1 male); unknown is `undefined`. */
export type Sex = 'F' | 'M';

/** The three input list kinds of the data contract. */
export type ListKind = 'coc' | 'members' | 'programs';

/** Which header layout a CoC list used. */
export type CocLayout = 'contract' | 'hmis-fy2024' | 'hmis-fy2026';

/** `error`: the row was rejected; `warning`: the row was used, the field treated as stated by the code. */
export type Severity = 'error' | 'warning';

/** A problem with one field of one row. Never carries the value (it may be PHI). */
export interface RowIssue {
  /** 1-based physical line number in the file where the row starts (header is line 1). */
  readonly line: number;
  /** Column name as in the data contract (e.g. `DOB`), or `*` for the whole row. */
  readonly field: string;
  /** Stable code, documented in docs/error-codes.md. */
  readonly code: IssueCode;
  /** Whether the row was rejected (`error`) or used (`warning`). */
  readonly severity: Severity;
  /**
   * The record's own ID (PersonalID of a CoC list, MemberID of a member or program list), so staff
   * can find the record; absent when the row has none or the ID itself is the problem (an issue on
   * the ID column).
   */
  readonly id?: string;
}

/** Identifying fields shared by CoC clients and plan members. */
export interface PersonFields {
  readonly firstName?: string;
  readonly middleName?: string;
  readonly lastName?: string;
  readonly nameSuffix?: string;
  readonly nameDataQuality: DataQuality;
  /** ISO date, only when it is a real, non-placeholder date. */
  readonly dob?: string;
  readonly dobDataQuality: DataQuality;
  /** 9 characters of digits and lower-case `x`, only when it passes HUD's validity rules. */
  readonly ssn?: string;
  readonly ssnDataQuality: DataQuality;
  readonly sex?: Sex;
}

/** One accepted row of a CoC client list. */
export interface ClientRecord extends PersonFields {
  readonly line: number;
  readonly personalId: string;
  readonly mcpMemberId?: string;
  readonly informationDate?: string;
}

/** Coverage types of the contract. */
export type CoverageType = 'Medi-Cal' | 'D-SNP';

/** One accepted row of an MCP member list. */
export interface MemberRecord extends PersonFields {
  readonly line: number;
  readonly memberId: string;
  readonly cin?: string;
  readonly mcp: string;
  readonly coverageType: CoverageType;
  readonly enrollmentStartDate: string;
  readonly enrollmentEndDate?: string;
}

/** One accepted row of an MCP program list (one program episode). */
export interface ProgramRecord {
  readonly line: number;
  readonly memberId: string;
  /** `ECM` or a Community Supports service name, canonical spelling. */
  readonly program: string;
  readonly provider: string;
  readonly providerNpi?: string;
  readonly startDate: string;
  readonly endDate?: string;
}
