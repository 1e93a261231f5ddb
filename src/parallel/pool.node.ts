/**
 * A pool of worker threads serving one role (matching, encoding): tasks go to whichever worker is
 * free, results come back as promises. A worker failure rejects every pending task and closes the
 * pool; `close` ends all workers. The pool is typed by its role: init data, tasks and results.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { type ResourceLimits, Worker, type WorkerOptions } from 'node:worker_threads';
import { defined } from '../util/defined.js';
import type { WorkerEntry } from './entry.node.js';
import {
  type AnyWorkerRole,
  deserializeError,
  type FromWorker,
  type InitOf,
  type ResultOf,
  type RoleMap,
  type TaskOf,
  type ToWorker,
} from './protocol.js';

/**
 * What `new Worker` is given for an entry module: its file, or from source (`.ts`) a small ES module
 * that registers tsx and then imports it.
 */
function workerStart(url: URL): { file: URL | string; options: WorkerOptions } {
  if (!url.pathname.endsWith('.ts')) return { file: url, options: {} };
  // A worker does not share the main thread's TypeScript loading (vitest's transform, tsx's hooks):
  // register tsx inside the worker, then load the entry.
  const pkg = createRequire(url).resolve('tsx/package.json');
  const api = pathToFileURL(pkg.replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return { file: code, options: { eval: true } };
}

interface Pending {
  readonly data: unknown;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  /** Tasks posted to the worker and not yet answered, in the order posted (it answers in order). */
  readonly sent: Pending[];
}

/**
 * Worker threads serving one role `R`.
 * @example
 * ```ts
 * const pool = await WorkerPool.start(WORKERS, 'match', 2, (t): MatchInit => ({ ...init, thread: t }));
 * const result = await pool.run({ from: 0, to: 256 }); // MatchChunkResult
 * await pool.close();
 * ```
 */
export class WorkerPool<R extends AnyWorkerRole> {
  private readonly queue: Pending[] = [];
  private failure: Error | undefined;
  private nextId = 0;
  private depth = 1;

  private constructor(private readonly slots: Slot[]) {}

  /**
   * Starts `threads` workers on `entry` as `role` and initialises worker t with `init(t)`;
   * `resourceLimits` sizes their heaps (Node's `Worker` option). `entry.start(role, …)` is the same
   * with the entry's role map fixed, so object literals returned by `init` keep their literal types.
   * Every worker's init message is posted — `init(t)` called and its data cloned — synchronously,
   * before `start` returns its promise: the caller may change or drop what `init` gave as soon as
   * `start` is called (the whole-file match's `releasePlan` relies on it; keep no `await` before the
   * `postMessage` below).
   */
  static async start<M extends RoleMap, K extends keyof M & string>(
    entry: WorkerEntry<M>,
    role: K,
    threads: number,
    init: (t: number) => InitOf<M[K]>,
    resourceLimits?: ResourceLimits,
  ): Promise<WorkerPool<M[K]>> {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError('threads must be a positive integer');
    const start = workerStart(entry.url);
    const file = start.file;
    const options = resourceLimits ? { ...start.options, resourceLimits } : start.options;
    const slots: Slot[] = [];
    try {
      await Promise.all(
        Array.from({ length: threads }, async (_, t) => {
          const worker = new Worker(file, options);
          slots.push({ worker, sent: [] });
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
    const pool = new WorkerPool<M[K]>(slots);
    for (const s of slots) pool.listen(s);
    return pool;
  }

  /** Number of workers. */
  get size(): number {
    return this.slots.length;
  }

  /**
   * Runs one task on the next free worker. The task is copied (structured clone), never transferred:
   * no buffer of this thread is detached (see `TaskOutput`); arrays in shared memory are shared.
   */
  run(task: TaskOf<R>): Promise<ResultOf<R>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<ResultOf<R>>((resolve, reject) => {
      // A result arrives untyped from the worker, which ran this role on this task.
      this.queue.push({ data: task, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  /**
   * Lets up to `depth` tasks wait at each worker (default 1: a task is posted when its worker is
   * free). A worker answers its tasks in order, one at a time; with more than one posted, it starts
   * the next as soon as it has answered, without waiting for this thread to handle the answer (which
   * it cannot while busy itself).
   * @example
   * ```ts
   * const pool = (await WORKERS.start('clkhash', 1, init)).pipeline(4);
   * ```
   */
  pipeline(depth: number): this {
    if (!Number.isInteger(depth) || depth < 1) throw new RangeError('depth must be a positive integer');
    this.depth = depth;
    this.dispatch();
    return this;
  }

  /** Ends every worker. */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private listen(slot: Slot): void {
    slot.worker.on('message', (m: FromWorker) => {
      const p = slot.sent.shift();
      if (!p) return;
      if (m.type === 'result') p.resolve(m.data);
      else if (m.type === 'error') p.reject(deserializeError(m.error));
      this.dispatch();
    });
    const fail = (e: Error) => {
      this.failure ??= e;
      for (const p of slot.sent.splice(0)) p.reject(this.failure);
      for (const p of this.queue.splice(0)) p.reject(this.failure);
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      if (slot.sent.length > 0 || this.queue.length > 0)
        fail(new Error(`a worker thread stopped (exit code ${code})`));
    });
  }

  private dispatch(): void {
    // Free workers first, then a second task to each, and so on up to the depth.
    for (let d = 1; d <= this.depth; d++)
      for (const slot of this.slots) {
        if (this.queue.length === 0) return;
        if (slot.sent.length >= d) continue;
        const p = defined(this.queue.shift(), 'queued task');
        // Answers are matched to tasks by their order at the worker: a task counts as sent only once
        // it is posted (a task that cannot be posted, e.g. data that cannot be cloned, is rejected and
        // takes no answer of another's).
        try {
          slot.worker.postMessage({ type: 'task', id: this.nextId++, data: p.data } satisfies ToWorker);
        } catch (e) {
          p.reject(e instanceof Error ? e : new Error(String(e)));
          continue;
        }
        slot.sent.push(p);
      }
  }
}

/**
 * Marks a task's promise as handled while it waits in an in-flight queue, and returns it unchanged:
 * awaiting it later still throws its error. Without this, a task that fails while the caller awaits
 * an earlier one (or reads more input) is an unhandled rejection for Node until it is awaited.
 * @example
 * ```ts
 * inflight.push(queued(pool.run(chunk)));
 * const first = await inflight.shift(); // throws the first task's error, if any
 * ```
 */
export function queued<T>(task: Promise<T>): Promise<T> {
  task.catch(() => {});
  return task;
}
