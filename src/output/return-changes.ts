/**
 * The changes file of `match --previous … --changes` (data contract, "The monthly cycle"), as
 * `return-file --changes` reads it: `PersonalID,MemberID,Change,Reason`, one row per link added,
 * kept or removed since the previous month. Only a link removed because a person rejected it
 * (`REJECTED_BY_REVIEWER`) is withdrawn from the HMIS: it becomes a `retracted` history row.
 */
import { BloomlinkError } from '../errors.js';
import type { ChangeReason } from '../match/match.js';
import { cell, isBlankRow, parseId } from '../read/fields.js';
import { type ByteInput, readMappedBatches } from '../read/source.js';

/**
 * The reason code of a link removed because a person rejected it (the one reason that retracts).
 *
 * @example
 * ```ts
 * const changes = await readLinkChanges(bytes);
 * const retracted = changes.filter((change) => change.reason === REJECTED_BY_REVIEWER);
 * ```
 */
export const REJECTED_BY_REVIEWER: ChangeReason = 'REJECTED_BY_REVIEWER';

/**
 * One row of the changes file as read back, with its line (the shape `match` writes is
 * `LinkChange`; a reason this version does not know is kept as text and ignored).
 *
 * @example
 * ```ts
 * const c: LinkChangeRow = { line: 5, personalId: 'P1', memberId: 'M1', change: 'removed', reason: 'REJECTED_BY_REVIEWER' };
 * ```
 */
export interface LinkChangeRow {
  readonly line: number;
  readonly personalId: string;
  readonly memberId: string;
  readonly change: 'added' | 'kept' | 'removed';
  /** The reason code of a removal (blank otherwise). */
  readonly reason?: string;
}

const CHANGES: ReadonlySet<string> = new Set(['added', 'kept', 'removed']);

/**
 * Reads a changes file. The file is written by `match`, so any bad row stops the run with one
 * coded line naming the row and the column (never a value).
 *
 * @throws BloomlinkError `COLUMN_MISSING` for a missing column, `INPUT_INVALID` for a row with a
 *   missing or too long ID, a `Change` other than added, kept or removed, or a removal without a
 *   reason; `FILE_EMPTY` for a file without a header
 * @example
 * ```ts
 * const changes = await readLinkChanges(fileBytes('changes.csv'), 'changes.csv');
 * const retracted = changes.filter((c) => c.change === 'removed' && c.reason === REJECTED_BY_REVIEWER);
 * ```
 */
export async function readLinkChanges(input: ByteInput, label = 'changes.csv'): Promise<LinkChangeRow[]> {
  const out: LinkChangeRow[] = [];
  const spec = { required: ['PersonalID', 'MemberID', 'Change', 'Reason'], optional: [] };
  for await (const { rows, col: at } of readMappedBatches(input, spec, label, { requireHeader: true })) {
    for (const row of rows) {
      const fields = row.fields;
      const get = (c: string): string => cell(fields, at(c));
      // A row of empty cells (an emptied spreadsheet row) holds no change.
      if (isBlankRow(fields)) continue;
      const bad = (field: string, rule: string): never => {
        throw new BloomlinkError('INPUT_INVALID', `${label}: line ${row.line}, ${field}: ${rule}`);
      };
      const person = parseId(get('PersonalID'));
      if (!person.ok) bad('PersonalID', 'missing or longer than 32 characters');
      const member = parseId(get('MemberID'));
      if (!member.ok) bad('MemberID', 'missing or longer than 32 characters');
      const change = get('Change').toLowerCase();
      if (!CHANGES.has(change)) bad('Change', 'must be added, kept or removed');
      const reason = get('Reason');
      if (change === 'removed' && reason === '') bad('Reason', 'a removed link needs a reason code');
      out.push({
        line: row.line,
        personalId: get('PersonalID'),
        memberId: get('MemberID'),
        change: change as LinkChangeRow['change'],
        ...(reason !== '' && { reason }),
      });
    }
  }
  return out;
}
