/**
 * CLK output in clkhash / anonlink-client JSON form: `{"clks": ["<base64>", …]}`, one standard
 * base64 string (with padding) of the filter bytes per record, in input order.
 */
import { encodeBase64 } from './base64.js';
import type { ClkEncoder } from './encoder.js';

/**
 * Options of {@link encodeClkhashJson} and {@link clkhashJsonChunks}.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const encoder = createClkEncoder(parseClkhashSchema(JSON.parse(readFileSync('schema.json', 'utf8'))), 'shared secret of 16+ bytes');
 * const rows = [['17', 'ROBERT', 'GARCIA', '1987/06/21', 'M', '37']]; // the CSV's records after its header
 * const opts: ClkhashJsonOptions = { firstLine: 2 };
 * encodeClkhashJson(encoder, rows, opts);
 * ```
 */
export interface ClkhashJsonOptions {
  /** Line number given to the first record in error messages (default 1), then +1 per record. */
  readonly firstLine?: number;
}

/**
 * Base64 text of one CLK, as clkhash serialises it.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const encoder = createClkEncoder(parseClkhashSchema(JSON.parse(readFileSync('schema.json', 'utf8'))), 'shared secret of 16+ bytes');
 * const rows = [['17', 'ROBERT', 'GARCIA', '1987/06/21', 'M', '37']]; // the CSV's records after its header
 * clkToBase64(encoder.encode(rows[0] ?? [])); // 'JFIgBBKh…'
 * ```
 */
export function clkToBase64(bytes: Uint8Array): string {
  return encodeBase64(bytes);
}

/**
 * Encodes every record and returns anonlink-client's upload shape `{ clks }`.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const encoder = createClkEncoder(parseClkhashSchema(JSON.parse(readFileSync('schema.json', 'utf8'))), 'shared secret of 16+ bytes');
 * const rows = [['17', 'ROBERT', 'GARCIA', '1987/06/21', 'M', '37']]; // the CSV's records after its header
 * const json = JSON.stringify(encodeClkhashJson(encoder, rows));
 * ```
 */
export function encodeClkhashJson(
  encoder: ClkEncoder,
  records: Iterable<readonly string[]>,
  options: ClkhashJsonOptions = {},
): { clks: string[] } {
  let line = options.firstLine ?? 1;
  const clks: string[] = [];
  for (const record of records) clks.push(encodeBase64(encoder.encode(record, line++)));
  return { clks };
}

/**
 * Streams the same JSON text as `JSON.stringify(encodeClkhashJson(…))` in chunks (one per
 * record plus the opening and closing), so millions of records never sit in memory at once.
 *
 * @example
 * ```ts
 * import { once } from 'node:events';
 * import { createWriteStream, readFileSync } from 'node:fs';
 * const encoder = createClkEncoder(parseClkhashSchema(JSON.parse(readFileSync('schema.json', 'utf8'))), 'shared secret of 16+ bytes');
 * const rows = [['17', 'ROBERT', 'GARCIA', '1987/06/21', 'M', '37']]; // the CSV's records after its header
 * const out = createWriteStream('clks.json');
 * for await (const chunk of clkhashJsonChunks(encoder, rows)) if (!out.write(chunk)) await once(out, 'drain');
 * out.end();
 * ```
 */
export async function* clkhashJsonChunks(
  encoder: ClkEncoder,
  records: Iterable<readonly string[]> | AsyncIterable<readonly string[]>,
  options: ClkhashJsonOptions = {},
): AsyncGenerator<string, void, undefined> {
  let line = options.firstLine ?? 1;
  let first = true;
  yield '{"clks":[';
  for await (const record of records) {
    const b64 = encodeBase64(encoder.encode(record, line++));
    yield first ? `"${b64}"` : `,"${b64}"`;
    first = false;
  }
  yield ']}';
}
