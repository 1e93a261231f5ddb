/**
 * Reading an input twice. A plan member list is read in two passes when it is encoded (the first
 * finds each member's most recent coverage span, see `MemberSpans`), but a stream can be read only
 * once: its chunks (or objects) are then kept while the first pass reads them, unless the caller can
 * open the input again (a file path) and says how.
 */
import { readStream } from '../util/read-stream.js';
import type { ListInput } from './input.js';

/**
 * An input that can be read a second time.
 *
 * @example
 * ```ts
 * const replay = replayable(input);
 * await firstPass(replay.first);
 * await secondPass(await replay.again());
 * ```
 */
export interface Replayable {
  /** The input for the first read. */
  readonly first: ListInput;
  /** The same input again, from its start; only after the first read has ended. */
  again(): ListInput | Promise<ListInput>;
  /** No second read will come: stop keeping chunks (call as soon as that is known). */
  stop(): void;
}

/**
 * Makes `input` readable twice: buffers, Blobs and arrays are simply read again; with `reopen` (for
 * example `() => fileBytes(path)`) the input is opened again; any other stream or iterable has its
 * chunks kept in memory during the first read (about the size of the file) until `stop()`.
 *
 * @example
 * ```ts
 * const replay = replayable(fileBytes('members.csv'), () => fileBytes('members.csv'));
 * ```
 */
export function replayable(input: ListInput, reopen?: () => ListInput | Promise<ListInput>): Replayable {
  if (reopen !== undefined) return { first: input, again: reopen, stop: () => {} };
  if (
    input instanceof Uint8Array ||
    input instanceof ArrayBuffer ||
    Array.isArray(input) ||
    (typeof Blob !== 'undefined' && input instanceof Blob)
  ) {
    return { first: input, again: () => input, stop: () => {} };
  }
  let kept: unknown[] | undefined = [];
  let read = false;
  const source = input as AsyncIterable<unknown> | Iterable<unknown> | ReadableStream<Uint8Array>;
  async function* recording(): AsyncGenerator<unknown> {
    for await (const item of iterate(source)) {
      kept?.push(item);
      yield item;
    }
    read = true;
  }
  return {
    first: recording() as ListInput,
    again() {
      if (kept === undefined || !read) throw new TypeError('the input cannot be read again');
      const out = kept;
      kept = undefined;
      return out as ListInput;
    },
    stop() {
      kept = undefined;
    },
  };
}

async function* iterate(
  source: AsyncIterable<unknown> | Iterable<unknown> | ReadableStream<Uint8Array>,
): AsyncGenerator<unknown> {
  if (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream) {
    yield* readStream(source);
  } else {
    yield* source as AsyncIterable<unknown>;
  }
}
