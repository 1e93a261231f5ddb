/**
 * The worker-thread side of the pool: answers the init message by loading the role it names (only
 * that role's modules are imported) and building the worker's state, then answers task messages.
 * A worker entry module (src/worker.node.ts) calls `serveRoles` with its role loaders.
 */
import { parentPort } from 'node:worker_threads';
import type { AnyWorkerRole, FromWorker, RoleLoaders, ToWorker } from './protocol.js';
import { serializeError } from './protocol.js';

/**
 * Serves the pool that started this worker thread, as the role its init message names.
 * @example
 * ```ts
 * serveRoles({ scan: async () => (await import('./block/scan-task.js')).scanRole });
 * ```
 */
export function serveRoles(loaders: RoleLoaders): void {
  const port = parentPort;
  if (!port) throw new TypeError('serveRoles must run in a worker thread');
  let role: AnyWorkerRole | undefined;
  let state: unknown;
  // No transfer list, ever: answers are copied (see `TaskOutput`), so no buffer of this thread is
  // detached and its typed-array code keeps V8's fast path.
  const send = (m: FromWorker) => port.postMessage(m);
  const init = async (name: string, data: unknown) => {
    // Own properties only: a role name such as 'toString' must not reach Object.prototype.
    const load = Object.hasOwn(loaders, name) ? loaders[name] : undefined;
    if (!load) throw new TypeError(`unknown worker role ${name}`);
    const loaded = await load();
    // Init data crosses the thread boundary untyped; the pool's caller typed it by role.
    state = loaded.init(data as never);
    role = loaded;
  };
  port.on('message', (m: ToWorker) => {
    if (m.type === 'init') {
      init(m.role, m.data).then(
        () => send({ type: 'ready' }),
        (e: unknown) => send({ type: 'error', id: -1, error: serializeError(e) }),
      );
      return;
    }
    try {
      if (!role) throw new TypeError('task before init');
      send({ type: 'result', id: m.id, data: role.run(state, m.data as never).result });
    } catch (e) {
      send({ type: 'error', id: m.id, error: serializeError(e) });
    }
  });
}
