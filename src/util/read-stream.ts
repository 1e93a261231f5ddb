/**
 * Reading a Web stream chunk by chunk, for every reader of byte input (lists, encoded files):
 * Safari's streams are not async iterable, so a reader is used, and an early exit cancels the stream.
 */

/**
 * The chunks of a Web stream, each checked to be a `Uint8Array`; stopping early (break, throw)
 * cancels the stream and releases its lock.
 * @throws TypeError when the stream yields anything but a `Uint8Array`
 * @example
 * ```ts
 * for await (const chunk of readStream(blob.stream())) size += chunk.length;
 * ```
 */
export async function* readStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) {
        done = true;
        return;
      }
      if (!(r.value instanceof Uint8Array)) throw new TypeError('input stream must yield Uint8Array chunks');
      yield r.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
