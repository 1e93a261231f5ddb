/**
 * A worker entry module: the file a worker thread starts on, and, as a type, the roles it serves.
 * bloomlink's is src/worker.node.ts, built as its own file (dist/worker.js), so that a built worker
 * loads that file and the role it is asked to be, nothing else.
 */
import type { ResourceLimits } from 'node:worker_threads';
import { WorkerPool } from './pool.node.js';
import type { InitOf, RoleMap } from './protocol.js';

const self = new URL(import.meta.url);

/**
 * The file bloomlink's worker threads start on: from source src/worker.node.ts (loaded through tsx),
 * from the build dist/worker.js beside the bundle that holds this code (dist/cli.js, dist/node.js,
 * dist/node.cjs; the CommonJS build gets `import.meta.url` from tsup's shim). The code that starts a
 * pool types it with the roles it uses, so no stage imports another's job types.
 * @example
 * ```ts
 * const entry = new WorkerEntry<{ readonly match: typeof matchRole }>(WORKER_FILE);
 * ```
 */
export const WORKER_FILE: URL = new URL(
  self.pathname.endsWith('.ts') ? '../worker.node.ts' : './worker.js',
  self,
);

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
