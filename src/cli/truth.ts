/**
 * `match --truth FILE`: known true pairs (CSV `PersonalID,MemberID`, other columns ignored) for the
 * report's measured quality. A missing column or an empty ID is a one-line coded error naming the
 * file, line and column, never a value.
 */
import { basename } from 'node:path';
import { BloomlinkError } from '../errors.js';
import { cell, isBlankRow } from '../read/fields.js';
import { readMappedBatches } from '../read/source.js';
import { inputBytes } from './input.js';

const SPEC = { required: ['PersonalID', 'MemberID'], optional: [] } as const;

/**
 * Reads a truth file into pairs [PersonalID, MemberID].
 * @throws BloomlinkError `COLUMN_MISSING` (a column is missing), `INPUT_INVALID` (an empty ID),
 *   or the file codes of an unreadable file.
 * @example
 * ```ts
 * const truth = await readTruthFile('truth.csv'); // [['4143774', 'M592691177'], …]
 * ```
 */
export async function readTruthFile(path: string): Promise<[string, string][]> {
  const label = basename(path);
  const pairs: [string, string][] = [];
  for await (const { rows, col } of readMappedBatches(inputBytes(path), SPEC, label)) {
    for (const row of rows) {
      const fields = row.fields;
      // A row of empty cells (an emptied spreadsheet row) holds no pair.
      if (isBlankRow(fields)) continue;
      const [p, m] = [cell(fields, col('PersonalID')), cell(fields, col('MemberID'))];
      for (const [field, v] of [
        ['PersonalID', p],
        ['MemberID', m],
      ] as const)
        if (v === '')
          throw new BloomlinkError('INPUT_INVALID', `${label}: line ${row.line} has an empty ${field}`);
      pairs.push([p, m]);
    }
  }
  return pairs;
}
