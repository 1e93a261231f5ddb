/**
 * The messages between the main thread and a worker, and the handler contract of a worker role
 * (matching, encoding). Runtime-neutral: the same handlers could serve Web Workers.
 */
import { BloomlinkError, type ErrorCode } from '../errors.js';

/** An error as it crosses a thread boundary (name, message and BloomlinkError code only). */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: ErrorCode;
}

/** Main thread → worker. */
export type ToWorker =
  | { readonly type: 'init'; readonly role: string; readonly data: unknown }
  | { readonly type: 'task'; readonly id: number; readonly data: unknown };

/** Worker → main thread. */
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly data: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError };

/**
 * What a handler returns for a task. The result is always copied to the main thread (structured
 * clone, `serveRoles`), never transferred: transferring detaches the sent buffers, and the first
 * detached buffer in an isolate invalidates V8's `ArrayBufferDetaching` protector there, so every
 * compiled function that reads a typed array is deoptimised and recompiled with a detached check on
 * each access (docs/scaling.md, "Encoding, round eight", the clkhash "Round seven" and "Follow-ups,
 * session 15"). A result's typed arrays should each cover their own buffer: a view is sent with its
 * whole buffer.
 */
export interface TaskOutput<R> {
  readonly result: R;
}

/**
 * A worker role: `init` builds the worker's state from the init message, `run` does one task.
 * @example
 * ```ts
 * const echo: WorkerRole<null, number, number> = { init: () => null, run: (_s, n) => ({ result: n }) };
 * ```
 */
export interface WorkerRole<I, T, R, S = unknown> {
  init(data: I): S;
  run(state: S, task: T): TaskOutput<R>;
}

/**
 * Any worker role, as the runtime holds it: its init data and tasks arrive untyped from another
 * thread. Every `WorkerRole<I, T, R, S>` is one (method parameters are compared both ways).
 */
export type AnyWorkerRole = WorkerRole<never, never, unknown, unknown>;

/**
 * Worker roles by name, as loaders: a worker loads (imports) only the role it is asked to be.
 * @example
 * ```ts
 * const roles = { echo: async () => (await import('./echo.js')).echoRole } satisfies RoleLoaders;
 * ```
 */
export type RoleLoaders = Readonly<Record<string, () => Promise<AnyWorkerRole>>>;

/**
 * Worker roles by name, as the main thread sees them (types only: it never loads them).
 * @example
 * ```ts
 * const roles: RoleMap = { scan: scanRole };
 * ```
 */
export type RoleMap = Readonly<Record<string, AnyWorkerRole>>;

/**
 * Loaders of the roles `M`, by name (what a worker entry module serves).
 * @example
 * ```ts
 * const roles: LoadersOf<{ scan: typeof scanRole }> = {
 *   scan: async () => (await import('./scan-task.js')).scanRole,
 * };
 * ```
 */
export type LoadersOf<M extends RoleMap> = { readonly [K in keyof M]: () => Promise<M[K]> };

/**
 * What a role is started with.
 * @example
 * ```ts
 * const init: InitOf<typeof scanRole> = { memory, kind: 'auto', queries, records, threshold, scratch };
 * ```
 */
export type InitOf<R> = R extends { init(data: infer I): unknown } ? I : never;

/**
 * One task of a role.
 * @example
 * ```ts
 * const task: TaskOf<typeof scanRole> = { from: 0, to: 64 };
 * ```
 */
export type TaskOf<R> = R extends { run(state: never, task: infer T): unknown } ? T : never;

/**
 * What one task of a role gives back.
 * @example
 * ```ts
 * const found: ResultOf<typeof scanRole>['found'] = 0;
 * ```
 */
export type ResultOf<R> = R extends { run(state: never, task: never): TaskOutput<infer X> } ? X : never;

/**
 * An error in a form that survives `postMessage`; never carries more than the message had.
 * @example
 * ```ts
 * serializeError(new BloomlinkError('FILE_CORRUPT', 'x')); // { name: 'BloomlinkError', message: 'x', code: 'FILE_CORRUPT' }
 * ```
 */
export function serializeError(e: unknown): SerializedError {
  if (e instanceof BloomlinkError) return { name: e.name, message: e.message, code: e.code };
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: 'a worker failed' };
}

/**
 * The error a serialized one stands for: a `BloomlinkError` with its code, a `RangeError` or
 * `TypeError`, or an `Error`.
 * @example
 * ```ts
 * deserializeError({ name: 'RangeError', message: 'bad' }) instanceof RangeError; // true
 * ```
 */
export function deserializeError(e: SerializedError): Error {
  if (e.code) return new BloomlinkError(e.code, e.message);
  if (e.name === 'RangeError') return new RangeError(e.message);
  if (e.name === 'TypeError') return new TypeError(e.message);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}
