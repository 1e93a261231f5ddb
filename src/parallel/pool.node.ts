/**
 * A pool of worker threads serving one role (matching, encoding): tasks go to whichever worker is
 * free, results come back as promises. A worker failure rejects every pending task and closes the
 * pool; `close` ends all workers.
 */
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { workerEntry } from './entry.node.js';
import { deserializeError, type FromWorker, type ToWorker } from './protocol.js';

interface Pending {
  readonly data: unknown;
  readonly transfer: readonly ArrayBuffer[];
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  busy: Pending | undefined;
}

/**
 * Worker threads serving one role.
 * @example
 * ```ts
 * const pool = await WorkerPool.start('match', 2, (t) => ({ ...init, thread: t }));
 * const result = await pool.run({ from: 0, to: 256 });
 * await pool.close();
 * ```
 */
export class WorkerPool {
  private readonly queue: Pending[] = [];
  private failure: Error | undefined;
  private nextId = 0;

  private constructor(private readonly slots: Slot[]) {}

  /**
   * Starts `threads` workers and initialises worker t with `init(t)`; `resourceLimits` sizes their
   * heaps (Node's `Worker` option).
   */
  static async start(
    role: string,
    threads: number,
    init: (t: number) => unknown,
    resourceLimits?: ResourceLimits,
  ): Promise<WorkerPool> {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError('threads must be a positive integer');
    const entry = workerEntry();
    const file = entry.file;
    const options = resourceLimits ? { ...entry.options, resourceLimits } : entry.options;
    const slots: Slot[] = [];
    try {
      await Promise.all(
        Array.from({ length: threads }, async (_, t) => {
          const worker = new Worker(file, options);
          // A private stdout (bundle entry) must still be drained.
          worker.stdout?.resume();
          slots.push({ worker, busy: undefined });
          await new Promise<void>((resolve, reject) => {
            const onMessage = (m: FromWorker) => {
              worker.off('error', reject);
              worker.off('message', onMessage);
              if (m.type === 'ready') resolve();
              else if (m.type === 'error') reject(deserializeError(m.error));
            };
            worker.on('message', onMessage);
            worker.once('error', reject);
            worker.postMessage({ type: 'init', role, data: init(t) } satisfies ToWorker);
          });
        }),
      );
    } catch (e) {
      await Promise.all(slots.map((s) => s.worker.terminate()));
      throw e;
    }
    const pool = new WorkerPool(slots);
    for (const s of slots) pool.listen(s);
    return pool;
  }

  /** Number of workers. */
  get size(): number {
    return this.slots.length;
  }

  /** Runs one task on the next free worker; `transfer` lists buffers to move instead of copy. */
  run<R>(data: unknown, transfer: readonly ArrayBuffer[] = []): Promise<R> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ data, transfer, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Ends every worker. */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private listen(slot: Slot): void {
    slot.worker.on('message', (m: FromWorker) => {
      const p = slot.busy;
      slot.busy = undefined;
      if (!p) return;
      if (m.type === 'result') p.resolve(m.data);
      else if (m.type === 'error') p.reject(deserializeError(m.error));
      this.dispatch();
    });
    const fail = (e: Error) => {
      this.failure ??= e;
      slot.busy?.reject(this.failure);
      slot.busy = undefined;
      for (const p of this.queue.splice(0)) p.reject(this.failure);
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      if (slot.busy || this.queue.length > 0) fail(new Error(`a worker thread stopped (exit code ${code})`));
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.busy) continue;
      const p = this.queue.shift()!;
      slot.busy = p;
      slot.worker.postMessage(
        { type: 'task', id: this.nextId++, data: p.data } satisfies ToWorker,
        p.transfer as ArrayBuffer[],
      );
    }
  }
}
