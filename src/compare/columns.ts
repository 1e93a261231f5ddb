/**
 * Checked access to the encoded columns one side's comparisons read: a feature a comparison names but
 * the file does not have is a model/file mismatch (`MODEL_INVALID`), reported with the side's label.
 */
import type { EncodedBatch } from '../encoded/batch.js';
import { hasClearText } from '../encoded/clear-text.js';
import { isReleased } from '../encoded/released.js';
import { BloomlinkError } from '../errors.js';
import type { DqField } from './comparisons.js';
import { asWords, popcounts } from './popcount.js';

/** The kinds of feature a condition reads (`text`: a clear-text batch's strings). */
export type FeatureKind = 'hash' | 'set' | 'bloom' | 'text';

/** A hash-set column: record i's values are `values[i·max .. i·max + max)`, zero-padded. */
export interface SetColumn {
  readonly values: Uint32Array;
  readonly max: number;
}

/** A released plan column (its values now in the row store) read for its values: a bug, not bad input. */
function released(kind: string, f: string): Error {
  return new Error(
    `internal: the plan's ${kind} column ${f} was released to the row store and read directly`,
  );
}

/**
 * The columns of one batch, by feature, as the comparisons read them.
 * @example
 * ```ts
 * const coc = new BatchColumns(cocBatch, 'CoC');
 * coc.hash('dob')[i]; // keyed hash of record i's DOB, 0 when missing
 * ```
 */
export class BatchColumns {
  private readonly counts = new Map<string, Uint16Array>();

  /** @param label - the side, for messages (`CoC` or `plan`). */
  constructor(
    readonly batch: EncodedBatch,
    private readonly label: string,
  ) {}

  /** Keyed hashes of feature `f`, one per record. */
  hash(f: string): Uint32Array {
    const h = this.batch.hashes[f];
    if (!h) throw this.missing('hash', f);
    if (isReleased(h)) throw released('keyed hash', f);
    return h;
  }

  /** Hash sets of feature `f`. */
  set(f: string): SetColumn {
    const s = this.present('set', f);
    if (isReleased(s)) throw released('hash-set', f);
    return { values: s, max: this.batch.length === 0 ? 1 : s.length / this.batch.length };
  }

  /** Bloom filter bytes of feature `f`, `bloomBytes(f)` per record. */
  bloom(f: string): Uint8Array {
    const b = this.present('bloom', f);
    if (isReleased(b)) throw released('Bloom filter', f);
    return b;
  }

  /** Bytes of one record's Bloom filter of feature `f`. */
  bloomBytes(f: string): number {
    const b = this.present('bloom', f);
    return this.batch.length === 0 ? 0 : b.length / this.batch.length;
  }

  /** Set bits of each record's Bloom filter of feature `f` (computed once). */
  bloomCounts(f: string): Uint16Array {
    let c = this.counts.get(f);
    if (!c) {
      const words = asWords(this.bloom(f));
      c = popcounts(words, this.batch.length === 0 ? 1 : words.length / this.batch.length);
      this.counts.set(f, c);
    }
    return c;
  }

  /**
   * The normalised strings of clear-text feature `f`, one per record ('' when missing): only a
   * clear-text batch has them, so a string level on encoded files is `MODEL_INVALID`.
   */
  text(f: string): readonly string[] {
    const t = hasClearText(this.batch)
      ? (this.batch.clearText as Record<string, readonly string[]>)[f]
      : undefined;
    if (!t) throw this.missing('clear-text', f);
    return t;
  }

  /** Checks that feature `f` is a column of kind `kind`. */
  check(kind: FeatureKind, f: string): void {
    if (kind === 'hash') {
      if (!this.batch.hashes[f]) throw this.missing('hash', f);
    } else if (kind === 'text') this.text(f);
    // Present is enough: a released plan column (values in the row store) passes the check.
    else this.present(kind, f);
  }

  /** Column `f` of a set or Bloom kind, released or not; MODEL_INVALID when the file lacks it. */
  private present(kind: 'set', f: string): Uint32Array;
  private present(kind: 'bloom', f: string): Uint8Array;
  private present(kind: 'set' | 'bloom', f: string): Uint32Array | Uint8Array;
  private present(kind: 'set' | 'bloom', f: string): Uint32Array | Uint8Array {
    const c = kind === 'set' ? this.batch.sets[f] : this.batch.blooms[f];
    if (!c) throw this.missing(kind === 'set' ? 'set' : 'Bloom', f);
    return c;
  }

  /**
   * Whether feature f of each record is present: `values[i · stride] !== 0` (a hash, a set's first
   * value or a filter's popcount).
   */
  presence(f: string): { readonly values: Uint32Array | Uint16Array; readonly stride: number } {
    if (f in this.batch.hashes) return { values: this.hash(f), stride: 1 };
    if (f in this.batch.sets) {
      const s = this.set(f);
      return { values: s.values, stride: s.max };
    }
    return { values: this.bloomCounts(f), stride: 1 };
  }

  /** Data-quality codes of a field, one per record. */
  dq(field: DqField): Uint8Array {
    return field === 'name' ? this.batch.nameDq : field === 'dob' ? this.batch.dobDq : this.batch.ssnDq;
  }

  private missing(kind: string, f: string): BloomlinkError {
    return new BloomlinkError(
      'MODEL_INVALID',
      `comparison uses ${kind} feature '${f}', which the ${this.label} file does not have${kind === 'clear-text' ? ' (string levels exist in clear-text mode only)' : ''}`,
    );
  }
}
