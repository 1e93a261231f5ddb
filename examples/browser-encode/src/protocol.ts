/**
 * The messages between the page and its encoding worker. Everything that crosses is structured-
 * cloneable: `File`/`Blob` handles (no copy of their bytes), numbers and strings. Nothing here ever
 * carries a value from the list or the key — only counts, codes and file-level messages.
 */
import type { EncodedFormat } from '../../../src/encoded/file.js';
import type { ReadSummary } from '../../../src/read/summary.js';

/**
 * Page → worker: encode `list` with the key in `key`. Sent once per worker; a new run gets a new worker.
 *
 * @example
 * ```ts
 * const request: EncodeRequest = { type: 'encode', list, key, format: 'arrow', today: '2026-01-15' };
 * worker.postMessage(request);
 * ```
 */
export interface EncodeRequest {
  readonly type: 'encode';
  /** The CoC client list or plan member list, as picked (CSV, any encoding the CLI reads). */
  readonly list: Blob;
  /** The list's file name, used in messages exactly as the CLI uses `basename(--in)`. */
  readonly listName: string;
  /** The key file (hex, as `bloomlink keygen` writes). */
  readonly key: Blob;
  readonly keyName: string;
  /** An agreed linkage schema (bloomlink JSON); absent for the built-in one, as in the CLI. */
  readonly schema?: Blob;
  readonly schemaName?: string;
  readonly format: EncodedFormat;
  /** The run's day, `YYYY-MM-DD`: DOBs after it are unusable (the CLI's `--today`). */
  readonly today: string;
}

/**
 * Worker → page: how far the run is.
 *
 * @example
 * ```ts
 * const p: EncodeProgress = { type: 'progress', rowsRead: 10_000, bytesRead: 1_048_576, totalBytes: 4_194_304, encoded: 9_950 };
 * ```
 */
export interface EncodeProgress {
  readonly type: 'progress';
  readonly rowsRead: number;
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly encoded: number;
}

/**
 * Worker → page: the run finished; both files are ready to download.
 *
 * @example
 * ```ts
 * if (message.type === 'done') link.href = URL.createObjectURL(message.encoded);
 * ```
 */
export interface EncodeDone {
  readonly type: 'done';
  /** The encoded file, byte for byte what `bloomlink encode` writes for the same input, key and day. */
  readonly encoded: Blob;
  /** The rejection report, byte for byte the CLI's `<out>.rejects.csv`. */
  readonly rejects: Blob;
  readonly format: EncodedFormat;
  readonly kind: 'coc' | 'members';
  readonly records: number;
  readonly summary: ReadSummary;
  /** The key check stored in the file: both parties see the same one exactly when their keys are equal. */
  readonly keyCheck: string;
  readonly schemaFingerprint: string;
}

/**
 * Worker → page: the run stopped. `code` is a `BloomlinkError` code when the failure is about the
 * files (wrong layout, bad key, …); the message names files and columns, never values.
 *
 * @example
 * ```ts
 * const f: EncodeFailed = { type: 'failed', code: 'KEY_TOO_SHORT', message: 'linkage.key: key is 64 bits; …' };
 * ```
 */
export interface EncodeFailed {
  readonly type: 'failed';
  readonly code?: string;
  readonly message: string;
}

/**
 * Anything the worker posts.
 *
 * @example
 * ```ts
 * worker.onmessage = (e: MessageEvent<WorkerMessage>) => { if (e.data.type === 'progress') show(e.data); };
 * ```
 */
export type WorkerMessage = EncodeProgress | EncodeDone | EncodeFailed;
