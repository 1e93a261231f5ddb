/**
 * The counts of a read: every row read is either accepted or rejected, so
 * `rowsRead === accepted + rejected` always holds.
 */

import type { IssueCode } from '../issue-codes.js';
import type { RowIssue } from '../records.js';

/** Counts of one list read. */
export interface ReadSummary {
  /** Data rows read (the header is not a row). */
  readonly rowsRead: number;
  /** Rows that became records. */
  readonly accepted: number;
  /** Rows rejected (at least one `error` code). */
  readonly rejected: number;
  /** Issues with severity `warning`, i.e. problems on accepted rows. */
  readonly warnings: number;
  /** Number of issues per code, over accepted and rejected rows; codes that never occurred are absent. */
  readonly byCode: Readonly<Partial<Record<IssueCode, number>>>;
  /**
   * Member lists only, once the whole list was read: distinct MemberIDs among the accepted rows.
   * `accepted` counts coverage spans (rows); `members` counts people (one encoded record each).
   */
  readonly members?: number;
}

/**
 * Running counts; {@link SummaryCounter.snapshot} gives an immutable {@link ReadSummary}.
 *
 * @example
 * ```ts
 * const counter = new SummaryCounter();
 * counter.count(true, []);
 * counter.count(false, [{ line: 3, field: 'PersonalID', code: 'ID_MISSING', severity: 'error' }]);
 * counter.snapshot(); // { rowsRead: 2, accepted: 1, rejected: 1, warnings: 0, byCode: { ID_MISSING: 1 } }
 * ```
 */
export class SummaryCounter {
  #accepted = 0;
  #rejected = 0;
  #warnings = 0;
  #members: number | undefined;
  readonly #byCode = new Map<IssueCode, number>();

  /** Counts one row: whether it was accepted, and its issues. */
  count(accepted: boolean, issues: readonly RowIssue[]): void {
    if (accepted) this.#accepted++;
    else this.#rejected++;
    for (const issue of issues) {
      if (issue.severity === 'warning') this.#warnings++;
      this.#byCode.set(issue.code, (this.#byCode.get(issue.code) ?? 0) + 1);
    }
  }

  /**
   * Counts the issues found once the whole list was read (the coverage-span warnings of a member
   * list: rows already counted as accepted) and the number of distinct members.
   */
  grouped(members: number, issues: readonly RowIssue[]): void {
    this.#members = members;
    for (const issue of issues) {
      if (issue.severity === 'warning') this.#warnings++;
      this.#byCode.set(issue.code, (this.#byCode.get(issue.code) ?? 0) + 1);
    }
  }

  /** Rows counted so far. */
  get rowsRead(): number {
    return this.#accepted + this.#rejected;
  }

  /** The counts so far, as a frozen object with codes in alphabetical order. */
  snapshot(): ReadSummary {
    const byCode: Partial<Record<IssueCode, number>> = {};
    for (const [code, n] of [...this.#byCode].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      byCode[code] = n;
    return Object.freeze({
      rowsRead: this.rowsRead,
      accepted: this.#accepted,
      rejected: this.#rejected,
      warnings: this.#warnings,
      byCode: Object.freeze(byCode),
      ...(this.#members !== undefined && { members: this.#members }),
    });
  }
}
