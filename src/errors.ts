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
  | 'KEY_WEAK'
  | 'CLEAR_TEXT_REFUSED'
  | 'SCHEMA_INVALID'
  | 'SCHEMA_MISMATCH'
  | 'MODEL_INVALID'
  | 'INPUT_INVALID'
  | 'CLIENT_MISSING'
  | 'FILE_UNWRITABLE'
  | 'OUTPUT_IS_INPUT'
  | 'OUTPUT_LOCKED'
  | 'OPTION_INVALID'
  | 'DECISION_INVALID'
  | 'DECISION_CONFLICT'
  | 'DECISION_UNKNOWN_ID'
  | 'INTERNAL';

/**
 * The brand every `BloomlinkError` carries, from any copy of the class: the registry symbol is the
 * same in every bundle (`bloomlink`, `bloomlink/encode`, ESM and CommonJS), so `instanceof` works
 * across them.
 */
const BRAND: unique symbol = Symbol.for('bloomlink.error') as never;

/**
 * A domain failure with a stable `code`; the message is one line and names files, columns and rows,
 * never values.
 *
 * One class across all entry points: each published bundle holds its own copy of this code, so
 * `instanceof` is decided by a brand (`Symbol.for('bloomlink.error')`) rather than by the prototype
 * chain; an error thrown by `bloomlink/encode` (ESM or CommonJS) is an `instanceof` the
 * `BloomlinkError` imported from `bloomlink`.
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
  /** Marks this copy of the class as the base class (own property: subclasses do not have it). */
  static readonly [BRAND] = true;

  /**
   * `instanceof` by brand for the base class (any copy of it); a subclass keeps the prototype check.
   * @example
   * ```ts
   * import { BloomlinkError } from 'bloomlink';
   * import { parseKey } from 'bloomlink/encode';
   * try { parseKey(''); } catch (e) { e instanceof BloomlinkError; } // true, from another bundle
   * ```
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of instanceof, a subclass or another copy
    if (!Object.hasOwn(this, BRAND)) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BloomlinkError';
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}
