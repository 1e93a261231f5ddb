/**
 * The clerical decisions file read by `match --decisions`: `PersonalID,MemberID,Decision`, cumulative
 * from month to month. Extra columns are ignored, so the review file `match` wrote, with a `Decision`
 * column a person filled in, is a decisions file as it stands. A row with a blank `Decision` is a pair
 * not yet decided and is skipped; any other bad row stops the run with its line (never its values):
 * a decision applied to the wrong pair cannot be undone by the HMIS.
 */

import { BloomlinkError } from '../errors.js';
import type { PairDecision } from '../match/match.js';
import { cell, idIssue } from '../read/fields.js';
import { type ByteInput, readMappedBatches } from '../read/source.js';

/**
 * The decisions of a file, with the counts of its rows.
 * @example
 * ```ts
 * const { decisions, rows, undecided } = await readDecisions(bytes, { label: 'decisions.csv' });
 * ```
 */
export interface DecisionsRead {
  /** One per decided row, in file order, each with its line. */
  readonly decisions: readonly PairDecision[];
  /** Data rows read (rows = decisions + undecided). */
  readonly rows: number;
  /** Rows with a blank `Decision` (pairs not yet decided, review rows left for later, blank lines). */
  readonly undecided: number;
}

const SPEC = {
  required: ['PersonalID', 'MemberID', 'Decision'],
  aliases: { PersonalID: ['HMISClientID', 'HMIS Client ID'], MemberID: ['Member ID'] },
} as const;

/**
 * Reads a decisions file. `Decision` is `accept` or `reject` in any case (surrounding spaces
 * ignored); a blank one skips the row. Consistency between rows (one pair decided both ways, two
 * accepted pairs sharing a record) is checked by `match` (`DECISION_CONFLICT`).
 *
 * @throws BloomlinkError `DECISION_INVALID` naming the line and the column for a bad `Decision` or a
 *   blank or over-long ID on a decided row; `COLUMN_MISSING` for a missing column; the reader's file
 *   errors for an unreadable file
 * @example
 * ```ts
 * import { readDecisions } from 'bloomlink';
 * import { fileBytes } from 'bloomlink/node';
 * const { decisions } = await readDecisions(fileBytes('decisions.csv'), { label: 'decisions.csv' });
 * console.log(decisions.filter((d) => d.decision === 'accept').length, 'pairs accepted');
 * ```
 */
export async function readDecisions(
  input: ByteInput,
  opts: { readonly label?: string } = {},
): Promise<DecisionsRead> {
  const label = opts.label ?? 'decisions.csv';
  const decisions: PairDecision[] = [];
  let rows = 0;
  let undecided = 0;
  for await (const { rows: batch, col } of readMappedBatches(input, SPEC, label)) {
    for (const row of batch) {
      const fields = row.fields;
      // A row of empty cells has a blank Decision: an undecided pair, as a row left blank is.
      const at = (name: string): string => cell(fields, col(name));
      rows++;
      const word = at('Decision').toLowerCase();
      if (word === '') {
        undecided++;
        continue;
      }
      const bad = (field: string, why: string): BloomlinkError =>
        new BloomlinkError('DECISION_INVALID', `${label}: line ${row.line}, ${field}: ${why}`);
      if (word !== 'accept' && word !== 'reject')
        throw bad('Decision', "must be 'accept' or 'reject' (or blank for a pair not yet decided)");
      for (const field of ['PersonalID', 'MemberID']) {
        const issue = idIssue(at(field));
        if (issue === 'ID_MISSING') throw bad(field, 'blank on a decided row');
        if (issue === 'ID_TOO_LONG') throw bad(field, 'longer than 32 characters');
      }
      decisions.push({
        personalId: at('PersonalID'),
        memberId: at('MemberID'),
        decision: word,
        line: row.line,
      });
    }
  }
  return { decisions, rows, undecided };
}
