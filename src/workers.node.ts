/**
 * Where the main thread starts bloomlink's worker threads: the worker entry module next to this
 * one — from source src/worker.node.ts, from the build dist/worker.js beside the bundle (dist/cli.js,
 * dist/node.js, dist/node.cjs) that holds this code. The CommonJS build gets `import.meta.url` from
 * tsup's shim (tsup.config.ts: `shims`).
 */
import { WorkerEntry } from './parallel/entry.node.js';
import type { WorkerRoles } from './worker.node.js';

const self = new URL(import.meta.url);

/**
 * bloomlink's worker entry, typed by its roles.
 * @example
 * ```ts
 * const pool = await WORKERS.start('scan', 2, (t) => ({ ...init, scratch: scratch[t]! }));
 * ```
 */
export const WORKERS: WorkerEntry<WorkerRoles> = new WorkerEntry<WorkerRoles>(
  new URL(self.pathname.endsWith('.ts') ? './worker.node.ts' : './worker.js', self),
);
