/**
 * HUD data-quality codes (lists 3.01.5 name, 3.02.2 SSN, 3.03.2 DOB): 1 full, 2 partial or
 * approximate, 8 client doesn't know, 9 client prefers not to answer, 99 data not collected.
 */
import type { DataQuality } from '../records.js';
import { parseCode } from './code.js';

/**
 * Parses a data-quality cell: 1, 2, 8, 9 or 99, tolerating spreadsheet spellings (`01`, ` 1 `,
 * `1.0`); anything else (blank, other numbers, text) is `undefined`, for the caller to report.
 *
 * @param raw - the cell as read
 * @example
 * ```ts
 * parseDataQuality('1');    // 1
 * parseDataQuality(' 99 '); // 99
 * parseDataQuality('1.0');  // 1
 * parseDataQuality('3');    // undefined
 * ```
 */
export function parseDataQuality(raw: string | undefined): DataQuality | undefined {
  const code = parseCode(raw);
  return code === 1 || code === 2 || code === 8 || code === 9 || code === 99 ? code : undefined;
}

/**
 * Whether a data-quality code says the value is unknown (8, 9 or 99).
 *
 * @param dq - a parsed code, or `undefined`
 * @example
 * ```ts
 * isUnknownDq(99); // true
 * isUnknownDq(2);  // false
 * ```
 */
export function isUnknownDq(dq: DataQuality | undefined): boolean {
  return dq === 8 || dq === 9 || dq === 99;
}
