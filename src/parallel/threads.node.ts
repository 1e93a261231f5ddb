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

/**
 * Threads for a job of `work` units when the caller did not choose: one (no worker threads) below
 * `minWork`, where starting workers costs more than they save, else {@link defaultThreads}. Each
 * job states its unit and crossover (file bytes for encoding, CoC × plan records for matching;
 * measured in docs/scaling.md, "Small jobs").
 * @example
 * ```ts
 * threadsForWork(500_000, 8 << 20); // 1: a 0.5 MB file is encoded on this thread
 * threadsForWork(30 << 20, 8 << 20); // e.g. 2
 * ```
 */
export function threadsForWork(work: number, minWork: number): number {
  return work >= minWork ? defaultThreads() : 1;
}
