/** The staged API's all-cores form, for Node: `matchParallel` (worker threads, same result as `match`). */
import type { EncodedList } from '../encoded/file.js';
import { checkInputs } from './api.js';
import type { MatchOptions, MatchResult } from './match.js';
import { matchBatchesParallel } from './match.node.js';

/** Options of {@link matchParallel}: those of `match`, and the number of worker threads. */
export interface ParallelOptions extends MatchOptions {
  /**
   * Worker threads that score candidate pairs; 1 runs `match` on this thread. Default: all cores
   * for lists of at least `MATCH_PARALLEL_MIN_WORK` CoC × plan records, else 1 (workers would cost
   * more than they save).
   */
  readonly threads?: number;
}

/**
 * Like `match`, with candidate scoring spread over worker threads (all cores by default, for lists
 * large enough to pay for them). The
 * result is the same, byte for byte, for any number of threads. Workers start only for non-empty
 * lists; columns already in shared memory (the CLI reads files that way) are used in place.
 * @example
 * ```ts
 * import { readEncoded } from 'bloomlink';
 * import { fileBytes, matchParallel } from 'bloomlink/node';
 * const coc = await readEncoded(fileBytes('coc.arrow'), 'coc.arrow');
 * const mcp = await readEncoded(fileBytes('mcp.arrow'), 'mcp.arrow');
 * const { counts } = await matchParallel(coc, mcp, { threads: 2 });
 * console.log(counts.matches, 'matches from', counts.candidatePairs, 'candidate pairs');
 * ```
 */
export async function matchParallel(
  coc: EncodedList,
  mcp: EncodedList,
  options: ParallelOptions = {},
): Promise<MatchResult> {
  checkInputs('matchParallel', coc, mcp, options, options.model);
  return matchBatchesParallel(coc.batch, mcp.batch, { ...options, meta: coc.meta });
}
