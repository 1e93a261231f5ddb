/**
 * HMIS CSV text: the header unquoted, `S` values in double quotes (HUD's rule, so IDs with leading
 * zeros survive spreadsheets), integers, dates and timestamps bare, null as an empty field; CRLF line
 * ends; UTF-8 without a byte-order mark.
 */
import { CSV_EOL, neutraliseFormula } from '../../util/csv-write.js';
import { HMIS_LAYOUTS, type HmisVersion } from './layouts.js';
import type { HmisTable } from './table.js';

/**
 * One file's CSV lines (header first), each ending in CRLF.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const exp = buildHmisExport(await readReturnFile(readFileSync('mcp-return.csv')), {
 *   projectId: 'MCP-GSHP',
 *   cocCode: 'CA-500',
 *   clients: await readClientFile(readFileSync('Client.csv')),
 * });
 * const exit = exp.files.get('Exit.csv');
 * const text = exit ? [...hmisFileLines(exit, exp.version)].join('') : '';
 * ```
 */
export function* hmisFileLines(table: HmisTable, version: HmisVersion): Generator<string, void, undefined> {
  const specs = HMIS_LAYOUTS[version][table.file];
  const quoted = specs.map((s) => s.type === 'S');
  if (table.columns.length !== specs.length) throw new RangeError('table.columns do not match the layout');
  yield table.columns.join(',') + CSV_EOL;
  for (const row of table.rows) {
    let line = '';
    let i = 0;
    for (const v of row) {
      if (i > 0) line += ',';
      // S values come from input (names, IDs, provider names): never let a spreadsheet run them.
      if (v !== '') line += quoted[i] ? `"${neutraliseFormula(v).replaceAll('"', '""')}"` : v;
      i++;
    }
    yield line + CSV_EOL;
  }
}

/**
 * One file's whole CSV text.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { writeFile } from 'node:fs/promises';
 * const exp = buildHmisExport(await readReturnFile(readFileSync('mcp-return.csv')), {
 *   projectId: 'MCP-GSHP',
 *   cocCode: 'CA-500',
 *   clients: await readClientFile(readFileSync('Client.csv')),
 * });
 * const enrollment = exp.files.get('Enrollment.csv');
 * if (enrollment) await writeFile('out/Enrollment.csv', hmisFileText(enrollment, exp.version));
 * ```
 */
export function hmisFileText(table: HmisTable, version: HmisVersion): string {
  return [...hmisFileLines(table, version)].join('');
}
