/**
 * Reads a Blob (a picked file) in fixed-size chunks. `Blob.stream()` leaves the chunk size to the
 * browser, and Chromium hands out a few megabytes at a time; the reader reports progress per chunk
 * consumed, so smaller, even chunks give a smooth progress bar. The chunking never changes what is
 * decoded: the reader sniffs the encoding over its own window and decodes across chunk boundaries.
 */

/** Big enough that per-chunk overhead vanishes, small enough for a progress step of ~0.25 MiB. */
const CHUNK_BYTES = 256 * 1024;

/**
 * The bytes of `blob`, in order, in chunks of `chunkBytes` (the last may be shorter). An empty Blob
 * yields one empty chunk, so readers still see byte input and report an empty file as such.
 *
 * @example
 * ```ts
 * let size = 0;
 * for await (const chunk of blobChunks(file)) size += chunk.length;
 * ```
 */
export async function* blobChunks(blob: Blob, chunkBytes: number = CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1)
    throw new RangeError('chunkBytes must be a positive integer');
  if (blob.size === 0) {
    yield new Uint8Array(0);
    return;
  }
  for (let at = 0; at < blob.size; at += chunkBytes) {
    yield new Uint8Array(await blob.slice(at, at + chunkBytes).arrayBuffer());
  }
}
