/**
 * The return file as an Apache Arrow table, for plans and CoCs that load it into a data frame or a
 * database. Kept apart from the core, and `apache-arrow` is loaded on the first call, so nothing else
 * pulls it in. Same columns and order
 * as the CSV; date columns are Arrow `Date32<DAY>`, every other column `Utf8`; absent values are null.
 */
import type { Table, Vector } from 'apache-arrow';
import { loadArrow } from '../util/arrow.js';
import { type ReturnRow, returnFileColumns } from './return-columns.js';
import { returnRowValues } from './return-format.js';

const DATE_COLUMN = /(^DOB$|Date$)/;

/**
 * The rows as an Arrow table.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const result = await buildReturnRows({
 *   links: readFileSync('links.csv'),
 *   members: readFileSync('members.csv'),
 *   programs: readFileSync('programs.csv'),
 * });
 * const table = await returnRowsToArrow(result.rows, result.services);
 * table.getChild('MCPEnrollmentDate')?.type.toString(); // 'Date32<DAY>'
 * ```
 */
export async function returnRowsToArrow(
  rows: readonly ReturnRow[],
  services: readonly string[],
): Promise<Table> {
  const { Table: ArrowTable, DateDay, Utf8, vectorFromArray } = await loadArrow();
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
 * import { readFileSync } from 'node:fs';
 * import { writeFile } from 'node:fs/promises';
 * const result = await buildReturnRows({
 *   links: readFileSync('links.csv'),
 *   members: readFileSync('members.csv'),
 *   programs: readFileSync('programs.csv'),
 * });
 * await writeFile('mcp-return.arrow', await returnRowsToIpc(result.rows, result.services));
 * ```
 */
export async function returnRowsToIpc(
  rows: readonly ReturnRow[],
  services: readonly string[],
  format: 'stream' | 'file' = 'stream',
): Promise<Uint8Array> {
  const { tableToIPC } = await loadArrow();
  return tableToIPC(await returnRowsToArrow(rows, services), format);
}

/**
 * Reads Arrow IPC bytes of a return file back into a table (for checks and tests).
 *
 * @example
 * ```ts
 * const table = await readReturnIpc(bytes);
 * table.numRows;
 * ```
 */
export async function readReturnIpc(bytes: Uint8Array): Promise<Table> {
  const { tableFromIPC } = await loadArrow();
  return tableFromIPC(bytes);
}
