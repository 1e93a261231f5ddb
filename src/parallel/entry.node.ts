/**
 * A worker entry module: the file a worker thread starts on, and, as a type, the roles it serves.
 * bloomlink's is src/worker.node.ts, built as its own file (dist/worker.js), so that a built worker
 * loads that file and the role it is asked to be, nothing else.
 */
import type { ResourceLimits } from 'node:worker_threads';
import { WorkerPool } from './pool.node.js';
import type { InitOf, RoleMap } from './protocol.js';

/**
 * A worker entry module serving the roles `M`, from which pools of one role start.
 * @example
 * ```ts
 * const entry = new WorkerEntry<{ scan: typeof scanRole }>(new URL('./worker.js', import.meta.url));
 * const pool = await entry.start('scan', 2, (t) => ({ ...init, scratch: scratch[t]! }));
 * ```
 */
export class WorkerEntry<M extends RoleMap> {
  /**
   * @param url - the module: built JavaScript, or a `.ts` file (from source; loaded through tsx).
   */
  constructor(readonly url: URL) {}

  /**
   * Starts `threads` workers of `role` on this entry (see {@link WorkerPool.start}); the role fixes
   * the types of init data, tasks and results.
   */
  start<K extends keyof M & string>(
    role: K,
    threads: number,
    init: (t: number) => InitOf<M[K]>,
    resourceLimits?: ResourceLimits,
  ): Promise<WorkerPool<M[K]>> {
    return WorkerPool.start<M, K>(this, role, threads, init, resourceLimits);
  }
}
