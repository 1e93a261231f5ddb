/**
 * A small reader for the HMIS CSV files bloomlink writes (and for a CoC's export of the same project,
 * used by incremental runs): bytes → {@link HmisTable} with HUD's column spelling. Header names are
 * matched case-insensitively (Green River spells `WorkPlaceViolenceThreats`); cells are trimmed.
 */
import { BloomlinkError } from '../../errors.js';
import { cleanHeaderCell } from '../../read/header.js';
import { type ByteInput, readCsvBatches } from '../../read/source.js';
import { CSV_VERSION, HMIS_LAYOUTS, type HmisFileName, type HmisVersion } from './layouts.js';
import type { HmisTable } from './table.js';

/**
 * The files of one export, by file name; absent files are simply missing.
 *
 * @example
 * ```ts
 * const files: HmisFiles = await readHmisDir('hmis-export');
 * const enrollments = files.get('Enrollment.csv')?.rows.length ?? 0;
 * ```
 */
export type HmisFiles = ReadonlyMap<HmisFileName, HmisTable>;

/**
 * Reads one HMIS CSV file. Every column the spec requires for `file` must be present (in any case);
 * unknown extra columns are kept under their own names.
 *
 * @throws BloomlinkError `FILE_EMPTY`, `COLUMN_MISSING`, `COLUMN_DUPLICATE`, or a read/parse error
 * @example
 * ```ts
 * const table = await readHmisTable(bytes, 'Enrollment.csv');
 * table.rows.length;
 * ```
 */
export async function readHmisTable(
  input: ByteInput,
  file: HmisFileName,
  label: string = file,
): Promise<HmisTable> {
  const known = new Map<string, string>();
  for (const v of ['2026', '2024'] as const) {
    for (const f of HMIS_LAYOUTS[v][file]) known.set(f.name.toLowerCase(), f.name);
  }
  let columns: string[] | undefined;
  const rows: string[][] = [];
  for await (const batch of readCsvBatches(input, { label, delimiter: ',', restoreFormulas: true })) {
    for (const row of batch) {
      if (columns === undefined) {
        columns = row.fields.map((h) => {
          const cell = cleanHeaderCell(h);
          return known.get(cell.toLowerCase()) ?? cell;
        });
        checkHeader(columns, file, label);
        continue;
      }
      const cells = new Array<string>(columns.length);
      for (let i = 0; i < columns.length; i++) cells[i] = (row.fields[i] ?? '').trim();
      rows.push(cells);
    }
  }
  if (columns === undefined)
    throw new BloomlinkError('FILE_EMPTY', `${label}: file has no rows, not even a header`);
  return { file, columns, rows };
}

function checkHeader(columns: readonly string[], file: HmisFileName, label: string): void {
  const seen = new Map<string, number>();
  columns.forEach((c, i) => {
    const first = seen.get(c);
    if (first !== undefined) {
      throw new BloomlinkError(
        'COLUMN_DUPLICATE',
        `${label}: column '${c}' appears twice (columns ${first + 1} and ${i + 1})`,
      );
    }
    seen.set(c, i);
  });
  // Required in both editions: the columns an import cannot do without.
  const required = HMIS_LAYOUTS['2026'][file].filter(
    (f) => f.required && HMIS_LAYOUTS['2024'][file].some((g) => g.name === f.name && g.required),
  );
  const missing = required.filter((f) => !seen.has(f.name)).map((f) => `'${f.name}'`);
  if (missing.length > 0) {
    throw new BloomlinkError(
      'COLUMN_MISSING',
      `${label}: missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    );
  }
}

/**
 * Reads the files of an export given as bytes by file name.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const files = await readHmisFiles({
 *   'Export.csv': readFileSync('hmis-export/Export.csv'),
 *   'Enrollment.csv': readFileSync('hmis-export/Enrollment.csv'),
 * });
 * ```
 */
export async function readHmisFiles(inputs: Partial<Record<HmisFileName, ByteInput>>): Promise<HmisFiles> {
  const out = new Map<HmisFileName, HmisTable>();
  for (const [file, bytes] of Object.entries(inputs) as [HmisFileName, ByteInput | undefined][]) {
    if (bytes !== undefined) out.set(file, await readHmisTable(bytes, file));
  }
  return out;
}

/**
 * Which edition a set of files is in: from the Enrollment.csv header (FY2024 has
 * `SexualOrientation`, FY2026 `MentalHealthConsultation`), else Export.csv's `CSVVersion`, else 2026.
 *
 * @example
 * ```ts
 * detectHmisVersion(await readHmisDir('hmis-export')); // '2024'
 * ```
 */
export function detectHmisVersion(files: HmisFiles): HmisVersion {
  const enrollment = files.get('Enrollment.csv')?.columns;
  if (enrollment?.includes('SexualOrientation')) return '2024';
  if (enrollment?.includes('MentalHealthConsultation')) return '2026';
  const exp = files.get('Export.csv');
  const i = exp?.columns.indexOf('CSVVersion') ?? -1;
  const version = i >= 0 ? exp?.rows[0]?.[i] : undefined;
  return version?.startsWith(CSV_VERSION['2024'].slice(0, 4)) ? '2024' : '2026';
}
