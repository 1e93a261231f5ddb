/**
 * `match --truth FILE`: known true pairs (CSV `PersonalID,MemberID`, other columns ignored) for the
 * report's measured quality. A missing column or an empty ID is a one-line coded error naming the
 * file, line and column, never a value.
 */
import { basename } from 'node:path';
import { BloomlinkError } from '../errors.js';
import { mapHeader } from '../read/header.js';
import { readCsvBatches } from '../read/source.js';
import { fileBytes } from '../read/source.node.js';

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
  let map: ReturnType<typeof mapHeader> | undefined;
  for await (const batch of readCsvBatches(fileBytes(path), { label, restoreFormulas: true })) {
    for (const row of batch) {
      if (map === undefined) {
        map = mapHeader(row.fields, SPEC, label);
        continue;
      }
      const at = (name: string): string => (row.fields[map?.index.get(name) ?? -1] ?? '').trim();
      const [p, m] = [at('PersonalID'), at('MemberID')];
      if (p === '' && m === '' && row.fields.every((f) => f.trim() === '')) continue;
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
