/**
 * The identifier column of a list: the check both person row assemblers start with, and the claim
 * they end with. The CoC list's PersonalID is unique within the file; the member list's MemberID
 * repeats, one row per coverage span.
 */

import { IdSet } from '../util/id-set.js';
import { cell, type Fields, idIssue } from './fields.js';
import type { IssueCollector } from './row-issues.js';

/**
 * Reads a row's identifier and remembers the accepted ones: a missing or too long ID is an issue on
 * the column (`ID_MISSING`, `ID_TOO_LONG`), an ID an earlier accepted row has is `ID_DUPLICATE`.
 * Only an accepted row claims its ID, so a rejected row never hides a later good one.
 *
 * @example
 * ```ts
 * const ids = new UniqueIds(index, 'MemberID');
 * const id = ids.read(row.fields, issues); // undefined when the ID is unusable
 * if (id !== undefined && !issues.rejected) ids.claim(id);
 * ```
 */
export class UniqueIds {
  readonly #seen = new IdSet();
  readonly #column: string;
  readonly #at: number;

  readonly #repeatable: boolean;

  /**
   * `column` is the canonical column name, looked up in the mapped header `index`. `repeatable`
   * (the member list's MemberID: one row per coverage span) checks the ID but never reports
   * `ID_DUPLICATE`; grouping the rows of one ID is then the caller's job (see `MemberSpans`).
   */
  constructor(index: ReadonlyMap<string, number>, column: string, repeatable = false) {
    this.#column = column;
    this.#at = index.get(column) ?? -1;
    this.#repeatable = repeatable;
  }

  /**
   * The row's trimmed ID, or `undefined` (its issue added) when it is missing or too long. A
   * duplicate is returned, with `ID_DUPLICATE` added (an error: the row will be rejected).
   */
  read(fields: Fields, issues: IssueCollector): string | undefined {
    const id = cell(fields, this.#at);
    const code = idIssue(id);
    if (code !== undefined) {
      issues.add(this.#column, code);
      return undefined;
    }
    if (!this.#repeatable && this.#seen.has(id)) issues.add(this.#column, 'ID_DUPLICATE');
    return id;
  }

  /** Claims the ID {@link UniqueIds.read} just returned, once its row is accepted. */
  claim(id: string): void {
    if (!this.#repeatable) this.#seen.addChecked(id);
  }
}
