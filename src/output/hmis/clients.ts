/**
 * The CoC's own HMIS `Client.csv` (`hmis --clients`), read and written back byte-faithfully: the
 * import files' Client.csv holds, for every PersonalID in Enrollment.csv, the CoC's row with the same
 * columns and the same cell text, so importing the export changes no client record and nothing of the
 * plan's clear text reaches it. Cells are not trimmed or otherwise changed; CSV quoting is applied
 * where a cell needs it, and a cell a spreadsheet would run as a formula gets the leading `'` that
 * every HMIS file of the folder gives such a cell (so a PersonalID reads the same in Client.csv and
 * Enrollment.csv).
 */
import { BloomlinkError } from '../../errors.js';
import { cleanHeaderCell } from '../../read/header.js';
import { type ByteInput, readCsvBatches } from '../../read/source.js';
import { CSV_EOL, formatCsvRow } from '../../util/csv-write.js';

/**
 * A CoC Client.csv in memory: its header and rows exactly as read, indexed by PersonalID.
 *
 * @example
 * ```ts
 * const clients = await readClientFile(fileBytes('Client.csv'));
 * clients.byId.get('P17'); // that client's cells
 * ```
 */
export interface ClientTable {
  readonly columns: readonly string[];
  /** Row cells by PersonalID (the first row of an ID). */
  readonly byId: ReadonlyMap<string, readonly string[]>;
}

/**
 * Reads the CoC's Client.csv (any HUD edition, or any CSV with a PersonalID column, matched
 * case-insensitively). A byte-order mark is not part of the first header cell.
 *
 * @throws BloomlinkError `FILE_EMPTY`, `COLUMN_MISSING` (no PersonalID column), `INPUT_INVALID` when
 *   a PersonalID is blank or appears on more than one row (the message gives the count), or a read error
 * @example
 * ```ts
 * const clients = await readClientFile(fileBytes('hmis-export/Client.csv'), 'Client.csv');
 * ```
 */
export async function readClientFile(input: ByteInput, label = 'Client.csv'): Promise<ClientTable> {
  let columns: string[] | undefined;
  let at = -1;
  const byId = new Map<string, readonly string[]>();
  let repeated = 0;
  let blank = 0;
  for await (const batch of readCsvBatches(input, { label, delimiter: ',' })) {
    for (const row of batch) {
      if (columns === undefined) {
        columns = row.fields.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, '') : c));
        at = columns.findIndex((c) => cleanHeaderCell(c).toLowerCase() === 'personalid');
        if (at < 0)
          throw new BloomlinkError('COLUMN_MISSING', `${label}: missing required column 'PersonalID'`);
        continue;
      }
      const id = (row.fields[at] ?? '').trim();
      if (id === '') blank++;
      else if (byId.has(id)) repeated++;
      else byId.set(id, row.fields);
    }
  }
  if (columns === undefined)
    throw new BloomlinkError('FILE_EMPTY', `${label}: file has no rows, not even a header`);
  if (blank + repeated > 0) {
    throw new BloomlinkError(
      'INPUT_INVALID',
      `${label}: ${blank} row(s) without a PersonalID and ${repeated} row(s) repeating a PersonalID; a HUD Client.csv has one row per client`,
    );
  }
  return { columns, byId };
}

/**
 * The Client.csv lines of an export: the header and, in the given order, the row of each PersonalID,
 * every cell as read (CRLF line ends, minimal quoting, formula-like cells neutralised as in the
 * other files).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const clients = await readClientFile(readFileSync('Client.csv'));
 * const text = [...clientFileLines(clients, ['P1', 'P2'])].join('');
 * ```
 */
export function* clientFileLines(
  clients: ClientTable,
  personalIds: Iterable<string>,
): Generator<string, void, undefined> {
  const opts = { formulas: 'neutralise' } as const;
  yield formatCsvRow(clients.columns, opts) + CSV_EOL;
  for (const id of personalIds) {
    const row = clients.byId.get(id);
    if (row !== undefined) yield formatCsvRow(row.length === 0 ? [''] : row, opts) + CSV_EOL;
  }
}
