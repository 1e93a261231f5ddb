/**
 * The worker-thread side of the pool: when this module is loaded in a worker started by
 * pool.node.ts (marked in its `workerData`), it serves init and task messages for the roles of
 * roles.ts. Loaded anywhere else, it does nothing, so it can live inside any bundle: the built CLI
 * starts its workers on its own file (see entry.node.ts).
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerRole } from './protocol.js';
import { serializeError } from './protocol.js';
import { WORKER_ROLES } from './roles.js';

/**
 * The `workerData` key that marks a bloomlink worker.
 * @example
 * ```ts
 * new Worker(file, { workerData: { [WORKER_MARK]: true } });
 * ```
 */
export const WORKER_MARK = 'bloomlinkWorker';

function serve(): void {
  const port = parentPort!;
  let role: WorkerRole<never, never, unknown> | undefined;
  let state: unknown;
  const send = (m: FromWorker, transfer?: readonly ArrayBuffer[]) =>
    port.postMessage(m, transfer as ArrayBuffer[]);
  port.on('message', (m: ToWorker) => {
    const id = m.type === 'task' ? m.id : -1;
    try {
      if (m.type === 'init') {
        role = WORKER_ROLES[m.role];
        if (!role) throw new TypeError(`unknown worker role ${m.role}`);
        state = role.init(m.data as never);
        send({ type: 'ready' });
      } else {
        if (!role) throw new TypeError('task before init');
        const out = role.run(state as never, m.data as never);
        send({ type: 'result', id, data: out.result }, out.transfer);
      }
    } catch (e) {
      send({ type: 'error', id, error: serializeError(e) });
    }
  });
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_MARK] === true) serve();
