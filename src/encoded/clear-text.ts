/**
 * Clear-text mode's batches: an encoded batch (made with the public all-zero key) that also carries
 * the normalised name strings, so its comparisons can use string similarities (Jaro–Winkler,
 * Levenshtein). It exists to measure what privacy costs and must never become a file: the strings
 * are clear text, and the public key makes every encoding reversible.
 *
 * Why it cannot leak into an exchanged file, by construction:
 * - the string columns are not a feature kind of the linkage schema (a schema file cannot ask for
 *   them), and the encoded-file format has no column for them;
 * - the only code that adds them is the clear-text encoder (`src/encode/clear.ts`), which takes no
 *   key: it always uses the public one, whose key check {@link CLEAR_TEXT_KEY_CHECK} marks its meta;
 * - the file writers refuse a batch that carries strings and a meta with the public key check, and
 *   the readers refuse a file with that key check ({@link refuseClearText}).
 */
import { BloomlinkError } from '../errors.js';
import type { EncodedBatch, EncodedMeta } from './batch.js';

/**
 * The string columns of a clear-text batch: the normalised first, middle and last name (as the
 * keyed `first`, `middle` and `last` hashes are computed from), '' when missing.
 * @example
 * ```ts
 * CLEAR_TEXT_FEATURES; // ['firstText', 'middleText', 'lastText']
 * ```
 */
export const CLEAR_TEXT_FEATURES = ['firstText', 'middleText', 'lastText'] as const;
/** A string column of a clear-text batch. */
export type ClearTextFeature = (typeof CLEAR_TEXT_FEATURES)[number];

/** A batch of clear-text mode: encoded columns plus the normalised strings, one per record. */
export interface ClearTextBatch extends EncodedBatch {
  readonly clearText: Readonly<Record<ClearTextFeature, readonly string[]>>;
}

/**
 * The key check of clear-text mode's public all-zero key (`keyCheck(new Uint8Array(32))`; a test
 * recomputes it): every encoding made with that key is reversible by anyone.
 * @example
 * ```ts
 * clearTextEncoder('coc').meta.keyCheck === CLEAR_TEXT_KEY_CHECK; // true
 * ```
 */
export const CLEAR_TEXT_KEY_CHECK = '91e236cfa208acc0442ec8388499d6de';

/**
 * Whether a batch carries clear-text strings.
 * @example
 * ```ts
 * import type { PersonToEncode } from 'bloomlink/encode';
 * declare const persons: PersonToEncode[];
 * hasClearText(clearTextEncoder('coc').encodeBatch(persons)); // true
 * hasClearText(new RecordEncoder(key, { party: 'coc' }).encodeBatch(persons)); // false
 * ```
 */
export function hasClearText(batch: EncodedBatch): batch is ClearTextBatch {
  return 'clearText' in batch;
}

/**
 * Refuses clear-text mode where files are written or read: a meta made with the public key, or a
 * batch carrying strings. `where` names the file or the step, for the one-line message.
 * @throws BloomlinkError `CLEAR_TEXT_REFUSED`
 * @example
 * ```ts
 * refuseClearText('coc.arrow', meta);        // throws for clear-text mode's meta
 * refuseClearText('coc.arrow', meta, batch); // and for a batch with strings, whatever its meta
 * ```
 */
export function refuseClearText(where: string, meta: EncodedMeta, batch?: EncodedBatch): void {
  if (meta.keyCheck === CLEAR_TEXT_KEY_CHECK || (batch !== undefined && hasClearText(batch)))
    throw new BloomlinkError(
      'CLEAR_TEXT_REFUSED',
      `${where}: clear-text mode (public key, reversible by anyone) is for measurement only and never goes into an encoded file`,
    );
}

/**
 * `to` (records `rows` of `from`, in that order, e.g. gathered with `sliceBatch`) with those
 * records' strings when `from` is a clear-text batch; `to` itself otherwise.
 * @example
 * ```ts
 * const some = withClearTextOf(batch, concatBatches(rows.map((r) => sliceBatch(batch, r, r + 1))), rows);
 * ```
 */
export function withClearTextOf(from: EncodedBatch, to: EncodedBatch, rows: readonly number[]): EncodedBatch {
  if (!hasClearText(from)) return to;
  const pick = (f: ClearTextFeature) => rows.map((r) => from.clearText[f][r] ?? '');
  const clearText = Object.fromEntries(CLEAR_TEXT_FEATURES.map((f) => [f, pick(f)])) as Record<
    ClearTextFeature,
    string[]
  >;
  const out: ClearTextBatch = { ...to, clearText };
  return out;
}
