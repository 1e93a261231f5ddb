/**
 * An HMIS CSV file in memory: its header and its rows as the exact cell texts that are written
 * (`''` is null). Checks and the writer work on these cells, so what is checked is what is written.
 */
import type { HmisFileName } from './layouts.js';

/**
 * One HMIS CSV file's content.
 *
 * @example
 * ```ts
 * const t: HmisTable = { file: 'User.csv', columns: ['UserID'], rows: [['bloomlink']] };
 * ```
 */
export interface HmisTable {
  readonly file: HmisFileName;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * A row given by column name; `undefined` is null. Numbers are written in decimal.
 *
 * @example
 * ```ts
 * const v: HmisValues = { UserID: 'bloomlink', DateDeleted: undefined };
 * ```
 */
export type HmisValues = Readonly<Record<string, string | number | undefined>>;

/**
 * The cells of a row in `columns` order.
 *
 * @throws RangeError when `values` names a column that is not in `columns` (a programming error)
 * @example
 * ```ts
 * makeRow(['UserID', 'UserFirstName'], { UserID: 'u1' }); // ['u1', '']
 * ```
 */
export function makeRow(columns: readonly string[], values: HmisValues): string[] {
  const out = new Array<string>(columns.length).fill('');
  for (const [k, v] of Object.entries(values)) {
    const i = columns.indexOf(k);
    if (i < 0) throw new RangeError(`values has a column that is not in the file: ${k}`);
    if (v !== undefined) out[i] = String(v);
  }
  return out;
}

/**
 * A column's cell of one row (`''` when the column is absent).
 *
 * @example
 * ```ts
 * cellOf({ file: 'User.csv', columns: ['UserID'], rows: [] }, ['u1'], 'UserID'); // 'u1'
 * ```
 */
export function cellOf(table: Pick<HmisTable, 'columns'>, row: readonly string[], column: string): string {
  const i = table.columns.indexOf(column);
  return i < 0 ? '' : (row[i] ?? '');
}

/**
 * A getter for one column of a table, resolved once (for loops over many rows).
 *
 * @example
 * ```ts
 * const entry = columnGetter(enrollments, 'EntryDate');
 * enrollments.rows.map(entry);
 * ```
 */
export function columnGetter(
  table: Pick<HmisTable, 'columns'>,
  column: string,
): (row: readonly string[]) => string {
  const i = table.columns.indexOf(column);
  return (row) => (i < 0 ? '' : (row[i] ?? ''));
}
