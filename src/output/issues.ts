/**
 * Issues of the output stage and their rejection report. The output commands read several files
 * (links, member list, program list; or a return file and an existing export), so each issue also
 * names its file, and the report has a leading `File` column. Like the list readers' report it names
 * the record's own ID (PersonalID or MemberID) so staff can find the row, and holds no other value
 * from the input: file, line, ID, field and code.
 */
import { ISSUE_CODES, type IssueCode, type IssueCodeInfo } from '../issue-codes.js';
import { REJECTION_REPORT_COLUMNS } from '../read/report.js';
import type { RowIssue, Severity } from '../records.js';
import { CSV_EOL, formatCsvRow, isFormulaLike } from '../util/csv-write.js';
import { OUTPUT_ISSUE_CODES, type OutputIssueCode } from './issue-codes.js';

/**
 * A problem with one field of one row of one input file of the output stage. Never carries a value.
 *
 * @example
 * ```ts
 * const issue: OutputIssue = { file: 'links.csv', line: 4, field: 'MemberID', code: 'LINK_MEMBER_UNKNOWN', severity: 'error' };
 * ```
 */
export interface OutputIssue {
  /** Base name of the file the row is in (or the API's label for it). */
  readonly file: string;
  /** 1-based physical line where the row starts (header is line 1). */
  readonly line: number;
  /**
   * The record's own ID (PersonalID of a links, return-file, history or existing-export row; MemberID
   * of a member or program row), so staff can find it; absent when unknown or when an issue of the
   * row is on the ID column itself (an invalid ID is never reported).
   */
  readonly id?: string;
  /** Column name, or `*` for the whole row. */
  readonly field: string;
  readonly code: IssueCode | OutputIssueCode;
  /** `error`: the row was not used; `warning`: it was used as the code's effect says. */
  readonly severity: Severity;
}

/**
 * The registry entry of a reader or output issue code.
 *
 * @throws TypeError for an unregistered code
 * @example
 * ```ts
 * issueInfo('LINK_DUPLICATE').effect; // 'The first link is used; this link is not.'
 * issueInfo('DATE_UNPARSEABLE').severity; // 'warning'
 * ```
 */
export function issueInfo(code: IssueCode | OutputIssueCode): IssueCodeInfo {
  const info =
    (OUTPUT_ISSUE_CODES as Record<string, IssueCodeInfo>)[code] ??
    (ISSUE_CODES as Record<string, IssueCodeInfo>)[code];
  if (info === undefined) throw new TypeError('code must be a registered issue code');
  return info;
}

/**
 * A reader issue as an output issue of `file`, optionally with the row's final outcome (a row the
 * output stage rejects turns its warnings into errors, as the reader does for its own rejections).
 *
 * @example
 * ```ts
 * fromRowIssue({ line: 3, id: 'M1', field: 'EndDate', code: 'DATE_UNPARSEABLE', severity: 'warning' }, 'programs.csv', 'error');
 * // { file: 'programs.csv', line: 3, id: 'M1', field: 'EndDate', code: 'DATE_UNPARSEABLE', severity: 'error' }
 * ```
 */
export function fromRowIssue(
  issue: RowIssue,
  file: string,
  severity: Severity = issue.severity,
): OutputIssue {
  return {
    file,
    line: issue.line,
    ...(issue.id !== undefined && { id: issue.id }),
    field: issue.field,
    code: issue.code,
    severity,
  };
}

/**
 * One row's issues with the record's own ID, by the list reports' rule: left out when `id` is
 * unknown, blank or formula-like, or when any issue of the row is on the ID column `idField` itself.
 *
 * @example
 * ```ts
 * withRecordId([{ file: 'links.csv', line: 4, field: 'Status', code: 'LINK_STATUS_INVALID', severity: 'error' }], 'PersonalID', 'P1');
 * // [{ file: 'links.csv', line: 4, field: 'Status', ..., id: 'P1' }]
 * ```
 */
export function withRecordId(
  issues: readonly OutputIssue[],
  idField: string,
  id: string | undefined,
): OutputIssue[] {
  if (!reportableId(id) || issues.some((i) => i.field === idField)) return [...issues];
  return issues.map((i) => ({ ...i, id }));
}

/**
 * Whether `id` may name a record in a report: known, not blank and not formula-like (a formula-like
 * ID is itself an issue of its row, so it is never reported).
 *
 * @example
 * ```ts
 * reportableId('00123'); // true
 * reportableId('=1+1'); // false
 * ```
 */
export function reportableId(id: string | undefined): id is string {
  return id !== undefined && id !== '' && !isFormulaLike(id);
}

/**
 * Columns of the output-stage rejection report, in order.
 *
 * @example
 * ```ts
 * OUTPUT_REPORT_COLUMNS.join(','); // 'File,Line,ID,Field,Code,Severity,Description'
 * ```
 */
export const OUTPUT_REPORT_COLUMNS = Object.freeze(['File', ...REJECTION_REPORT_COLUMNS] as const);

/**
 * One issue as a report line, terminated by CRLF. The description is the code's fixed summary.
 *
 * @example
 * ```ts
 * formatOutputIssue({ file: 'links.csv', line: 4, id: 'P1', field: 'MemberID', code: 'LINK_MEMBER_UNKNOWN', severity: 'error' });
 * // 'links.csv,4,P1,MemberID,LINK_MEMBER_UNKNOWN,error,The MemberID of the link is not among ...\r\n'
 * ```
 */
export function formatOutputIssue(issue: OutputIssue): string {
  return (
    formatCsvRow([
      issue.file,
      issue.line,
      reportableId(issue.id) ? issue.id : '',
      issue.field,
      issue.code,
      issue.severity,
      issueInfo(issue.code).summary,
    ]) + CSV_EOL
  );
}

/**
 * The report as CRLF-terminated lines, header first; `join('')` them for the whole file.
 *
 * @example
 * ```ts
 * const csv = [...outputReportLines(result.issues)].join('');
 * ```
 */
export function* outputReportLines(issues: Iterable<OutputIssue>): Generator<string, void, undefined> {
  yield formatCsvRow(OUTPUT_REPORT_COLUMNS) + CSV_EOL;
  for (const issue of issues) yield formatOutputIssue(issue);
}

/**
 * Counts of one input file of the output stage: every row read is used or not used, so
 * `rowsRead === used + rejected`.
 *
 * @example
 * ```ts
 * const s: FileCounts = { rowsRead: 10, used: 9, rejected: 1, warnings: 0 };
 * ```
 */
export interface FileCounts {
  readonly rowsRead: number;
  /** Rows that passed validation (for links and lists: accepted; not all of them need to be written). */
  readonly used: number;
  readonly rejected: number;
  /** Issues of severity `warning`. */
  readonly warnings: number;
}

/**
 * Running {@link FileCounts} of one file.
 *
 * @example
 * ```ts
 * const c = new FileCounter();
 * c.row(true, []);
 * c.snapshot(); // { rowsRead: 1, used: 1, rejected: 0, warnings: 0 }
 * ```
 */
export class FileCounter {
  #used = 0;
  #rejected = 0;
  #warnings = 0;

  /** Counts one row, used or not, with its issues. */
  row(used: boolean, issues: readonly { readonly severity: Severity }[]): void {
    if (used) this.#used++;
    else this.#rejected++;
    for (const i of issues) if (i.severity === 'warning') this.#warnings++;
  }

  /** Counts the warnings among issues found after the rows were counted (rows unchanged). */
  extra(issues: readonly { readonly severity: Severity }[]): void {
    for (const i of issues) if (i.severity === 'warning') this.#warnings++;
  }

  /** The counts so far. */
  snapshot(): FileCounts {
    return Object.freeze({
      rowsRead: this.#used + this.#rejected,
      used: this.#used,
      rejected: this.#rejected,
      warnings: this.#warnings,
    });
  }
}
