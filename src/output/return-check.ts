/**
 * The return file's self-check, run before anything is written: a failure here is a bug or a bad
 * hand-built row, never a data problem (those are issues), so it stops the run instead of writing a
 * wrong file.
 */
import { BloomlinkError } from '../errors.js';
import { isIsoDate } from '../normalise/date.js';
import { csColumns, type ProgramStatus, type ReturnRow } from './return-columns.js';

/**
 * One broken rule of one row: the row's 0-based index, the column and the rule. No value.
 *
 * @example
 * ```ts
 * const p: ReturnProblem = { row: 0, field: 'MCPExitDate', rule: 'before MCPEnrollmentDate' };
 * ```
 */
export interface ReturnProblem {
  readonly row: number;
  readonly field: string;
  readonly rule: string;
}

const ID_MAX = 32;

/**
 * Every rule the rows break: IDs present, at most 32 characters and one-to-one; MCP and coverage
 * present; dates real ISO dates; an exit or discharge not before its start; `enrolled` only with an
 * enrollment date and provider; provider and dates only with an enrollment date; exactly the chosen
 * services.
 *
 * @example
 * ```ts
 * returnRowProblems(rows, ['Housing Deposits']); // [] when the rows are valid
 * ```
 */
export function returnRowProblems(rows: readonly ReturnRow[], services: readonly string[]): ReturnProblem[] {
  const out: ReturnProblem[] = [];
  const persons = new Set<string>();
  const members = new Set<string>();
  rows.forEach((r, row) => {
    const bad = (field: string, rule: string): void => void out.push({ row, field, rule });
    checkId(r.personalId, 'PersonalID', persons, bad);
    checkId(r.memberId, 'MemberID', members, bad);
    if (typeof r.mcp !== 'string' || r.mcp.trim() === '') bad('MCP', 'missing');
    if (r.coverageType !== 'Medi-Cal' && r.coverageType !== 'D-SNP')
      bad('CoverageType', 'not Medi-Cal or D-SNP');
    if (r.dob !== undefined && !isIsoDate(r.dob)) bad('DOB', 'not an ISO date');
    if (!isIsoDate(r.mcpEnrollmentDate)) bad('MCPEnrollmentDate', 'not an ISO date');
    if (r.mcpExitDate !== undefined) {
      if (!isIsoDate(r.mcpExitDate)) bad('MCPExitDate', 'not an ISO date');
      else if (r.mcpExitDate < r.mcpEnrollmentDate) bad('MCPExitDate', 'before MCPEnrollmentDate');
    }
    checkProgram(r.ecm, ['ECM', 'ECMProvider', 'ECMEnrollmentDate', 'ECMDischargeDate'], bad);
    const keys = Object.keys(r.cs);
    if (keys.length !== services.length || services.some((s) => r.cs[s] === undefined))
      bad('CS', 'services differ from the header');
    for (const s of services) {
      const p = r.cs[s];
      if (p !== undefined) checkProgram(p, csColumns(s), bad);
    }
  });
  return out;
}

/**
 * Throws when {@link returnRowProblems} finds anything.
 *
 * @throws BloomlinkError `INPUT_INVALID` naming the first broken rule (row and column, no value)
 * @example
 * ```ts
 * checkReturnRows(result.rows, result.services); // returns quietly for valid rows
 * ```
 */
export function checkReturnRows(rows: readonly ReturnRow[], services: readonly string[]): void {
  const problems = returnRowProblems(rows, services);
  const first = problems[0];
  if (first === undefined) return;
  throw new BloomlinkError(
    'INPUT_INVALID',
    `return file self-check failed: row ${first.row + 1}, ${first.field}: ${first.rule}` +
      (problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''),
  );
}

function checkId(id: unknown, field: string, seen: Set<string>, bad: (f: string, r: string) => void): void {
  if (typeof id !== 'string' || id.trim() === '') bad(field, 'missing');
  else if (id.length > ID_MAX) bad(field, 'longer than 32 characters');
  else if (seen.has(id)) bad(field, 'repeated (links must be one-to-one)');
  else seen.add(id);
}

function checkProgram(
  p: ProgramStatus,
  [status, provider, start, end]: readonly [string, string, string, string],
  bad: (f: string, r: string) => void,
): void {
  if (p.status !== 'enrolled' && p.status !== 'not enrolled') {
    bad(status, 'neither enrolled nor not enrolled');
    return;
  }
  if (p.enrollmentDate === undefined) {
    if (p.status === 'enrolled') bad(start, 'missing while enrolled');
    if (p.provider !== undefined) bad(provider, 'without an enrollment date');
    if (p.dischargeDate !== undefined) bad(end, 'without an enrollment date');
    return;
  }
  if (!isIsoDate(p.enrollmentDate)) bad(start, 'not an ISO date');
  if (p.provider === undefined || p.provider.trim() === '') bad(provider, 'missing');
  if (p.dischargeDate !== undefined) {
    if (!isIsoDate(p.dischargeDate)) bad(end, 'not an ISO date');
    else if (p.dischargeDate < p.enrollmentDate) bad(end, 'before the enrollment date');
  }
}
