/**
 * Node-only: reads the HMIS CSV files of a folder (a CoC's export of the project, or a previous run's
 * output) for incremental runs.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BloomlinkError } from '../../errors.js';
import { fileBytes } from '../../read/source.node.js';
import { HMIS_FILES, type HmisFileName } from './layouts.js';
import { type HmisFiles, readHmisTable } from './read.js';
import type { HmisTable } from './table.js';

/**
 * Reads every file of {@link HMIS_FILES} present in `dir` (file names matched case-insensitively;
 * other files, such as Client.csv, are ignored).
 *
 * @throws BloomlinkError `FILE_NOT_FOUND` when `dir` does not exist, or a read error of a file
 * @example
 * ```ts
 * const existing = await readHmisDir('exports/2025-12');
 * existing.get('Enrollment.csv')?.rows.length;
 * ```
 */
export async function readHmisDir(dir: string): Promise<HmisFiles> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new BloomlinkError(
      code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE',
      `${dir}: cannot read the folder (${code})`,
    );
  }
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const out = new Map<HmisFileName, HmisTable>();
  for (const file of HMIS_FILES) {
    const name = byLower.get(file.toLowerCase());
    if (name !== undefined) out.set(file, await readHmisTable(fileBytes(join(dir, name)), file, name));
  }
  return out;
}

/**
 * Reads several folders and joins their rows per file (the union of the exports), e.g. a full export
 * followed by later deltas. Rows keep the folder order.
 *
 * @example
 * ```ts
 * const existing = await readHmisDirs(['full-2025-10', 'delta-2025-11']);
 * ```
 */
export async function readHmisDirs(dirs: readonly string[]): Promise<HmisFiles> {
  const out = new Map<HmisFileName, HmisTable>();
  for (const dir of dirs) {
    for (const [file, table] of await readHmisDir(dir)) {
      const prev = out.get(file);
      out.set(file, prev === undefined ? table : mergeTables(prev, table));
    }
  }
  return out;
}

function mergeTables(a: HmisTable, b: HmisTable): HmisTable {
  // Align b's rows to a's columns (the editions differ only in Enrollment.csv columns bloomlink leaves null).
  const at = a.columns.map((c) => b.columns.indexOf(c));
  const rows = [...a.rows, ...b.rows.map((r) => at.map((i) => (i < 0 ? '' : (r[i] ?? ''))))];
  return { file: a.file, columns: a.columns, rows };
}
