/**
 * The rejection report a data holder sends back to whoever produced the list: one CSV line per issue
 * (`Line,ID,Field,Code,Severity,Description`), like the DHCS and plan portal error reports: the line,
 * the record's own ID (PersonalID or MemberID, blank when the ID itself is the problem) so staff can
 * find it, the field and the code. Descriptions come from the issue-code registry, so the report
 * holds no other value from the input.
 */

import { ISSUE_CODES } from '../issue-codes.js';
import type { RowIssue, Severity } from '../records.js';
import { CSV_EOL, formatCsvRow } from '../util/csv-write.js';
import type { ReadSummary } from './summary.js';

/**
 * Columns of the rejection report, in order.
 *
 * @example
 * ```ts
 * REJECTION_REPORT_COLUMNS.join(','); // 'Line,ID,Field,Code,Severity,Description'
 * ```
 */
export const REJECTION_REPORT_COLUMNS = Object.freeze([
  'Line',
  'ID',
  'Field',
  'Code',
  'Severity',
  'Description',
] as const);

const HEADER_LINE = formatCsvRow(REJECTION_REPORT_COLUMNS) + CSV_EOL;

/**
 * One issue as a report line, terminated by CRLF.
 *
 * @example
 * ```ts
 * formatIssueLine({ line: 4, id: '0042', field: 'DOB', code: 'DATE_IMPOSSIBLE', severity: 'warning' });
 * // '4,0042,DOB,DATE_IMPOSSIBLE,warning,The date does not exist in the calendar (for example February 30).\r\n'
 * ```
 */
export function formatIssueLine(issue: RowIssue): string {
  const info = ISSUE_CODES[issue.code];
  if (info === undefined) throw new TypeError('issue.code must be a registered issue code');
  return (
    formatCsvRow([issue.line, issue.id ?? '', issue.field, issue.code, issue.severity, info.summary]) +
    CSV_EOL
  );
}

/**
 * The report as lines (header first), each terminated by CRLF: write them one by one to a stream, or
 * `join('')` them for the whole file. Lazy, so millions of issues never sit in memory as text.
 *
 * @example
 * ```ts
 * const { issues } = await collect(readClients(bytes));
 * const csv = [...rejectionReportLines(issues)].join('');
 * ```
 */
export function* rejectionReportLines(issues: Iterable<RowIssue>): Generator<string, void, undefined> {
  yield HEADER_LINE;
  for (const issue of issues) yield formatIssueLine(issue);
}

/**
 * {@link rejectionReportLines} for issues that arrive asynchronously (e.g. a reader's results).
 *
 * @example
 * ```ts
 * import { createWriteStream } from 'node:fs';
 * // The rows' issues as they are found (a reader's `onIssue`), written after the read.
 * const { issues } = await collect(readClients(bytes));
 * const out = createWriteStream('rejects.csv');
 * for await (const line of rejectionReportLinesAsync(issues)) out.write(line);
 * out.end();
 * ```
 */
export async function* rejectionReportLinesAsync(
  issues: AsyncIterable<RowIssue> | Iterable<RowIssue>,
): AsyncGenerator<string, void, undefined> {
  yield HEADER_LINE;
  for await (const issue of issues) yield formatIssueLine(issue);
}

/**
 * The summary as text, one count per line: rows read, accepted, rejected, warnings, then each code
 * that occurred with its severity (a code found as an error on some rows and as a warning on others
 * gets a line for each, so the warning lines add up to `Warnings`).
 *
 * @example
 * ```ts
 * summaryText({
 *   rowsRead: 3, accepted: 2, rejected: 1, warnings: 0,
 *   byCode: { ID_MISSING: 1 }, bySeverity: { ID_MISSING: { error: 1, warning: 0 } },
 * });
 * // 'Rows read: 3\nAccepted: 2\nRejected: 1\nWarnings: 0\nID_MISSING (error): 1\n'
 * ```
 */
export function summaryText(summary: ReadSummary): string {
  let out =
    `Rows read: ${summary.rowsRead}\n` +
    `Accepted: ${summary.accepted}\n` +
    (summary.members === undefined
      ? ''
      : `Members: ${summary.members} (accepted rows are coverage spans; one record per member)\n`) +
    `Rejected: ${summary.rejected}\n` +
    `Warnings: ${summary.warnings}\n`;
  for (const [code, severity, n] of issueCountLines(summary)) out += `${code} (${severity}): ${n}\n`;
  return out;
}

/**
 * One line per code and severity that occurred, errors before warnings: a code can be an error on
 * one row and a warning on another, and each line's label is true of every issue it counts.
 *
 * @example
 * ```ts
 * const { summary } = await collect(readClients(bytes));
 * issueCountLines(summary); // [['DQ_INCONSISTENT', 'error', 2], ['DQ_INCONSISTENT', 'warning', 6], …]
 * ```
 */
export function issueCountLines(summary: ReadSummary): [code: string, severity: Severity, count: number][] {
  const lines: [string, Severity, number][] = [];
  for (const [code, n] of Object.entries(summary.bySeverity)) {
    if (n === undefined) continue;
    if (n.error > 0) lines.push([code, 'error', n.error]);
    if (n.warning > 0) lines.push([code, 'warning', n.warning]);
  }
  return lines;
}
