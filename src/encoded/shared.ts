/**
 * Typed arrays in shared memory, so that worker threads read the same plan and CoC columns without
 * a copy each: an array backed by a SharedArrayBuffer is shared, not cloned, when posted.
 */
import type { BlockColumn, EncodedBatch } from './batch.js';
import { type ClearTextBatch, hasClearText } from './clear-text.js';
import { concatBatches } from './concat.js';

type Typed = Uint8Array | Uint16Array | Uint32Array;

/**
 * A copy of `a` in a SharedArrayBuffer (or `a` itself when it already is in one).
 * @example
 * ```ts
 * const shared = toShared(new Uint32Array([1, 2, 3]));
 * shared.buffer instanceof SharedArrayBuffer; // true
 * ```
 */
export function toShared<T extends Typed>(a: T): T {
  if (typeof SharedArrayBuffer === 'undefined')
    throw new TypeError('shared memory needs SharedArrayBuffer (in a browser: a cross-origin-isolated page)');
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (b: SharedArrayBuffer, offset: number, length: number) => T;
  const out = new Ctor(new SharedArrayBuffer(Math.max(a.byteLength, 8)), 0, a.length);
  out.set(a as never);
  return out;
}

/**
 * A u32 array of `n` elements in shared memory.
 * @example
 * ```ts
 * const keys = sharedU32(1024);
 * ```
 */
export function sharedU32(n: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(Math.max(n * 4, 8)), 0, n);
}

/** A column of an encoded batch. */
type Column = Uint8Array | Uint32Array;

/**
 * The batch without its IDs, each column (filters, hashes, sets, blocking offsets and keys) replaced
 * by `f`'s answer for it, `f` called in one fixed order: data-quality codes, filters, hashes, sets,
 * then each blocking column's offsets and keys.
 * @example
 * ```ts
 * const mine = mapColumns(chunk, (c) => c.slice() as typeof c); // each column in a buffer of its own
 * ```
 */
export function mapColumns(b: EncodedBatch, f: <T extends Column>(c: T) => T): EncodedBatch {
  const each = <T extends Column>(o: Readonly<Record<string, T>>): Record<string, T> =>
    Object.fromEntries(Object.entries(o).map(([k, a]) => [k, f(a)]));
  return {
    length: b.length,
    ids: [],
    nameDq: f(b.nameDq),
    dobDq: f(b.dobDq),
    ssnDq: f(b.ssnDq),
    blooms: each(b.blooms),
    hashes: each(b.hashes),
    sets: each(b.sets),
    blocks: Object.fromEntries(
      Object.entries(b.blocks).map(([k, c]): [string, BlockColumn] => [
        k,
        { offsets: f(c.offsets), keys: f(c.keys) },
      ]),
    ),
  };
}

/**
 * The batch with its columns in shared memory and without the record IDs (workers never need
 * them; they stay on the main thread). Block columns are shared when `blocks` is true, else left
 * out (the plan's blocks only serve to build the shared pass indexes).
 * @example
 * ```ts
 * const forWorkers = shareBatch(mcp, { blocks: false });
 * ```
 */
export function shareBatch(batch: EncodedBatch, opts: { blocks: boolean }): EncodedBatch {
  const shared = mapColumns(opts.blocks ? batch : { ...batch, blocks: {} }, toShared);
  if (!hasClearText(batch)) return shared;
  // Clear-text mode's strings (measurement only) are copied to each worker, not shared.
  const clear: ClearTextBatch = { ...shared, clearText: batch.clearText };
  return clear;
}

function sharedLike<T extends Typed>(
  make: new (b: SharedArrayBuffer, o: number, n: number) => T,
  n: number,
  bytes: number,
): T {
  return new make(new SharedArrayBuffer(Math.max(n * bytes, 8)), 0, n);
}

/**
 * Concatenates batches of one schema into one whose columns live in shared memory (block columns
 * too when `blocks` is true, else in ordinary memory: see {@link shareBatch}). Record IDs are kept.
 * @example
 * ```ts
 * const plan = concatShared(parts, { blocks: false });
 * ```
 */
export function concatShared(parts: readonly EncodedBatch[], opts: { blocks: boolean }): EncodedBatch {
  if (parts.length === 0) throw new RangeError('concatShared needs at least one batch');
  const u32 = (n: number) => sharedLike(Uint32Array, n, 4);
  return concatBatches(parts, {
    u8: (n) => sharedLike(Uint8Array, n, 1),
    u32,
    blockU32: opts.blocks ? u32 : (n) => new Uint32Array(n),
  });
}
