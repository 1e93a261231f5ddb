/**
 * Builds a large `Blob` from many small chunks without holding them all on the JavaScript heap:
 * chunks are folded into an intermediate Blob every few megabytes, which the browser may keep
 * outside the heap (Chromium moves large Blobs to disk). An encoded list of millions of records is
 * hundreds of megabytes, so an array of chunks would not do.
 */

/** Bytes buffered before they are folded into a Blob, by default. */
const FOLD_BYTES = 8 * 1024 * 1024;

/**
 * An append-only Blob under construction.
 *
 * @example
 * ```ts
 * const out = new BlobBuilder('application/octet-stream');
 * out.append(new Uint8Array([1, 2]));
 * out.append('text is UTF-8');
 * const blob = out.finish();
 * ```
 */
export class BlobBuilder {
  readonly #type: string;
  readonly #foldBytes: number;
  readonly #folded: Blob[] = [];
  #pending: BlobPart[] = [];
  #pendingBytes = 0;

  /**
   * @param type - the MIME type of the finished Blob
   * @param foldBytes - bytes buffered before they are folded into an intermediate Blob
   */
  constructor(type: string, foldBytes: number = FOLD_BYTES) {
    if (!(foldBytes > 0)) throw new RangeError('foldBytes must be positive');
    this.#type = type;
    this.#foldBytes = foldBytes;
  }

  /**
   * Appends bytes or text (as UTF-8). Bytes are copied when folded, so a caller may reuse a buffer
   * only after the next fold; the writers used here never reuse theirs.
   */
  append(part: Uint8Array | string): void {
    // The writers hand over ArrayBuffer-backed views (never shared memory), which Blob accepts.
    this.#pending.push(typeof part === 'string' ? part : (part as Uint8Array<ArrayBuffer>));
    // Strings count their UTF-16 length: close enough for deciding when to fold.
    this.#pendingBytes += part.length;
    if (this.#pendingBytes >= this.#foldBytes) this.#fold();
  }

  /** The complete Blob. The builder must not be used afterwards. */
  finish(): Blob {
    this.#fold();
    return new Blob(this.#folded, { type: this.#type });
  }

  #fold(): void {
    if (this.#pending.length === 0) return;
    this.#folded.push(new Blob(this.#pending));
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}
