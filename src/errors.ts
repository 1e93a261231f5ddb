/**
 * The one error class for domain failures (bad file, wrong key, schema mismatch, …).
 *
 * Programmer mistakes throw `TypeError`/`RangeError`; problems with a single row never throw,
 * they are collected as {@link RowIssue}s. Messages never contain a field's value (it may be PHI).
 */

/** Codes of file-level and run-level failures. Documented in docs/error-codes.md. */
export type ErrorCode =
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'FILE_EMPTY'
  | 'FILE_BINARY'
  | 'FILE_ENCODING'
  | 'FILE_TRUNCATED'
  | 'FILE_CORRUPT'
  | 'FILE_VERSION'
  | 'FILE_DUPLICATE_ID'
  | 'HEADER_MISSING'
  | 'COLUMN_MISSING'
  | 'COLUMN_DUPLICATE'
  | 'LAYOUT_UNKNOWN'
  | 'CSV_MALFORMED'
  | 'KEY_MISSING'
  | 'KEY_TOO_SHORT'
  | 'KEY_UNREADABLE'
  | 'KEY_MISMATCH'
  | 'SCHEMA_INVALID'
  | 'SCHEMA_MISMATCH'
  | 'MODEL_INVALID'
  | 'INPUT_INVALID';

/**
 * A domain failure with a stable `code`; the message is one line and names files, columns and rows,
 * never values.
 *
 * @example
 * ```ts
 * import { BloomlinkError } from 'bloomlink';
 * try {
 *   // ... read a file
 * } catch (e) {
 *   if (e instanceof BloomlinkError && e.code === 'COLUMN_MISSING') console.error(e.message);
 * }
 * ```
 */
export class BloomlinkError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BloomlinkError';
    this.code = code;
  }
}
