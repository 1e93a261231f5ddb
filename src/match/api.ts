/** The one-call matching API for scripts: two encoded lists in, links and everything else out. */
import type { EncodedList } from '../encoded/file.js';
import { checkCompatible, type MatchOptions, type MatchResult, matchBatches } from './match.js';

/**
 * Matches an encoded CoC list with an encoded plan list (as read by `readEncoded`). Refuses two lists
 * encoded with different schemas or keys (`SCHEMA_MISMATCH`, `KEY_MISMATCH`) or from the wrong sides.
 * Never needs the key.
 * @example
 * ```ts
 * import { match, readEncoded } from 'bloomlink';
 * import { fileBytes } from 'bloomlink/node';
 * const coc = await readEncoded(fileBytes('coc.arrow'), 'coc.arrow');
 * const mcp = await readEncoded(fileBytes('mcp.arrow'), 'mcp.arrow');
 * const { links, counts } = match(coc, mcp);
 * ```
 */
export function match(coc: EncodedList, mcp: EncodedList, opts: MatchOptions = {}): MatchResult {
  checkCompatible(coc.meta, mcp.meta);
  return matchBatches(coc.batch, mcp.batch, { ...opts, meta: coc.meta });
}
