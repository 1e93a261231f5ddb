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

/** What a handler returns for a task: the result and the buffers to transfer (not copy). */
export interface TaskOutput<R> {
  readonly result: R;
  readonly transfer?: readonly ArrayBuffer[];
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
