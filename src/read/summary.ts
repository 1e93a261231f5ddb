/**
 * The counts of a read: every row read is either accepted or rejected, so
 * `rowsRead === accepted + rejected` always holds.
 */

import type { IssueCode } from '../issue-codes.js';
import type { RowIssue, Severity } from '../records.js';

/**
 * Issues of one code, by severity.
 *
 * @example
 * ```ts
 * const { summary } = await collect(readClients(bytes));
 * const dq: SeverityCounts = summary.bySeverity.DQ_INCONSISTENT ?? { error: 0, warning: 0 };
 * ```
 */
export type SeverityCounts = Readonly<Record<Severity, number>>;

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
   * The same issues per code and severity (`byCode[c]` is `error + warning`): a code such as
   * `DQ_INCONSISTENT` is an error on one row and a warning on another, so a code's severity is not
   * the registry's alone. The `warning` counts add up to {@link ReadSummary.warnings}.
   */
  readonly bySeverity: Readonly<Partial<Record<IssueCode, SeverityCounts>>>;
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
 * counter.snapshot();
 * // { rowsRead: 2, accepted: 1, rejected: 1, warnings: 0, byCode: { ID_MISSING: 1 },
 * //   bySeverity: { ID_MISSING: { error: 1, warning: 0 } } }
 * ```
 */
export class SummaryCounter {
  #accepted = 0;
  #rejected = 0;
  #warnings = 0;
  #members: number | undefined;
  readonly #byCode = new Map<IssueCode, { error: number; warning: number }>();

  /** Counts one row: whether it was accepted, and its issues. */
  count(accepted: boolean, issues: readonly RowIssue[]): void {
    if (accepted) this.#accepted++;
    else this.#rejected++;
    this.#add(issues);
  }

  /**
   * Counts the issues found once the whole list was read (the coverage-span warnings of a member
   * list: rows already counted as accepted) and the number of distinct members.
   */
  grouped(members: number, issues: readonly RowIssue[]): void {
    this.#members = members;
    this.#add(issues);
  }

  #add(issues: readonly RowIssue[]): void {
    for (const issue of issues) {
      if (issue.severity === 'warning') this.#warnings++;
      const n = this.#byCode.get(issue.code) ?? { error: 0, warning: 0 };
      n[issue.severity]++;
      this.#byCode.set(issue.code, n);
    }
  }

  /** Rows counted so far. */
  get rowsRead(): number {
    return this.#accepted + this.#rejected;
  }

  /** The counts so far, as a frozen object with codes in alphabetical order. */
  snapshot(): ReadSummary {
    const byCode: Partial<Record<IssueCode, number>> = {};
    const bySeverity: Partial<Record<IssueCode, SeverityCounts>> = {};
    for (const [code, n] of [...this.#byCode].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      byCode[code] = n.error + n.warning;
      bySeverity[code] = Object.freeze({ ...n });
    }
    return Object.freeze({
      rowsRead: this.rowsRead,
      accepted: this.#accepted,
      rejected: this.#rejected,
      warnings: this.#warnings,
      byCode: Object.freeze(byCode),
      bySeverity: Object.freeze(bySeverity),
      ...(this.#members !== undefined && { members: this.#members }),
    });
  }
}
