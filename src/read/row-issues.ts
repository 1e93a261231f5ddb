/**
 * Collects the issues of one row while it is validated and turns them into {@link RowIssue}s once
 * the row's outcome is known. One collector is reused for every row of a file: most rows have no
 * issue, and those then cost no allocation at all.
 */

import { ISSUE_CODES, type IssueCode } from '../issue-codes.js';
import type { RowIssue } from '../records.js';
import { at } from '../util/defined.js';

const NO_ISSUES: readonly RowIssue[] = Object.freeze([]);

/**
 * Issue collector for one row at a time.
 *
 * @example
 * ```ts
 * const c = new IssueCollector();
 * c.add('DOB', 'DATE_PLACEHOLDER');
 * c.rejected; // false
 * c.take(7); // [{ line: 7, field: 'DOB', code: 'DATE_PLACEHOLDER', severity: 'warning' }]
 * ```
 */
export class IssueCollector {
  #fields: string[] = [];
  #codes: IssueCode[] = [];
  /**
   * `#codes.length`, kept as a number: `count` and `clear` run for every row judged, and the arrays'
   * map changes at the first issue ever added (Smi elements → object elements), which made V8 throw
   * away the optimised validation code inlining them (docs/scaling.md, round fifteen).
   */
  #count = 0;
  #rejected = false;

  /** Whether an `error` code was added since the last {@link take}. */
  get rejected(): boolean {
    return this.#rejected;
  }

  /** How many issues were added since the last {@link take} or {@link clear}. */
  get count(): number {
    return this.#count;
  }

  /** Records that `field` of the current row has issue `code`. */
  add(field: string, code: IssueCode): void {
    this.#fields.push(field);
    this.#codes.push(code);
    this.#count++;
    if (ISSUE_CODES[code].severity === 'error') this.#rejected = true;
  }

  /**
   * The collected issues of the row at `line` (severity = the row's outcome, see issue-codes.ts),
   * and resets the collector for the next row.
   */
  take(line: number): readonly RowIssue[] {
    const n = this.#count;
    if (n === 0) return NO_ISSUES;
    const severity = this.#rejected ? 'error' : 'warning';
    const out: RowIssue[] = new Array(n);
    for (let i = 0; i < n; i++)
      out[i] = { line, field: at(this.#fields, i), code: at(this.#codes, i), severity };
    this.#fields.length = 0;
    this.#codes.length = 0;
    this.#count = 0;
    this.#rejected = false;
    return out;
  }

  /** Drops the collected issues without making them (a row judged again by the full path). */
  clear(): void {
    if (this.#count === 0) return;
    this.#fields.length = 0;
    this.#codes.length = 0;
    this.#count = 0;
    this.#rejected = false;
  }
}
