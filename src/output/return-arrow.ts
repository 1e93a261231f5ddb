/**
 * The return file as an Apache Arrow table, for plans and CoCs that load it into a data frame or a
 * database. Kept apart from the core so nothing else pulls in `apache-arrow`. Same columns and order
 * as the CSV; date columns are Arrow `Date32<DAY>`, every other column `Utf8`; absent values are null.
 */
import {
  Table as ArrowTable,
  DateDay,
  type Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';
import { type ReturnRow, returnFileColumns } from './return-columns.js';
import { returnRowValues } from './return-format.js';

const DATE_COLUMN = /(^DOB$|Date$)/;

/**
 * The rows as an Arrow table.
 *
 * @example
 * ```ts
 * const table = returnRowsToArrow(result.rows, result.services);
 * table.getChild('MCPEnrollmentDate')?.type.toString(); // 'Date32<DAY>'
 * ```
 */
export function returnRowsToArrow(rows: readonly ReturnRow[], services: readonly string[]): Table {
  const columns = returnFileColumns(services);
  const values = rows.map((r) => returnRowValues(r, services));
  const vectors: Record<string, Vector> = {};
  columns.forEach((name, c) => {
    const cells = values.map((v) => v[c] ?? null);
    vectors[name] = DATE_COLUMN.test(name)
      ? vectorFromArray(
          cells.map((d) => (d === null ? null : new Date(`${d}T00:00:00Z`))),
          new DateDay(),
        )
      : vectorFromArray(cells, new Utf8());
  });
  return new ArrowTable(vectors);
}

/**
 * The rows as Arrow IPC bytes (`stream` format by default, `file` for random access).
 *
 * @example
 * ```ts
 * await writeFile('mcp-return.arrow', returnRowsToIpc(result.rows, result.services));
 * ```
 */
export function returnRowsToIpc(
  rows: readonly ReturnRow[],
  services: readonly string[],
  format: 'stream' | 'file' = 'stream',
): Uint8Array {
  return tableToIPC(returnRowsToArrow(rows, services), format);
}

/**
 * Reads Arrow IPC bytes of a return file back into a table (for checks and tests).
 *
 * @example
 * ```ts
 * const table = readReturnIpc(bytes);
 * table.numRows;
 * ```
 */
export function readReturnIpc(bytes: Uint8Array): Table {
  return tableFromIPC(bytes);
}
