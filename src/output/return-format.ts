/**
 * The return file as CSV text: the contract's columns in order, CRLF line ends, fields quoted only
 * where needed (provider names often hold commas).
 */
import { CSV_EOL, formatCsvRow } from '../util/csv-write.js';
import { type ProgramStatus, type ReturnRow, returnFileColumns } from './return-columns.js';

/**
 * One row's values in column order; absent values are `undefined` (an empty field).
 *
 * @example
 * ```ts
 * const { rows } = await readReturnFile(bytes);
 * for (const row of rows) console.log(returnRowValues(row, ['Housing Deposits']).length); // 20
 * ```
 */
export function returnRowValues(row: ReturnRow, services: readonly string[]): (string | undefined)[] {
  const out: (string | undefined)[] = [
    row.personalId,
    row.firstName,
    row.middleName,
    row.lastName,
    row.nameSuffix,
    row.dob,
    row.mcp,
    row.coverageType,
    row.memberId,
    row.cin,
    row.mcpEnrollmentDate,
    row.mcpExitDate,
  ];
  pushProgram(out, row.ecm);
  for (const s of services) pushProgram(out, row.cs[s] ?? NONE);
  return out;
}

const NONE: ProgramStatus = { status: 'not enrolled' };

function pushProgram(out: (string | undefined)[], p: ProgramStatus): void {
  out.push(p.status, p.provider, p.enrollmentDate, p.dischargeDate);
}

/**
 * The whole file as CRLF-terminated lines, header first: write them in turn, or `join('')`.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const result = await buildReturnRows({
 *   links: readFileSync('links.csv'),
 *   members: readFileSync('members.csv'),
 *   programs: readFileSync('programs.csv'),
 * });
 * const csv = [...returnFileLines(result.rows, result.services)].join('');
 * ```
 */
export function* returnFileLines(
  rows: Iterable<ReturnRow>,
  services: readonly string[],
): Generator<string, void, undefined> {
  yield formatCsvRow(returnFileColumns(services)) + CSV_EOL;
  for (const row of rows) yield formatCsvRow(returnRowValues(row, services)) + CSV_EOL;
}
