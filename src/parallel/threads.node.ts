/** How many threads to use by default. */
import { availableParallelism } from 'node:os';

/**
 * The default number of worker threads: the cores available to this process.
 * @example
 * ```ts
 * defaultThreads(); // e.g. 2
 * ```
 */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}
