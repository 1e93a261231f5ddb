/**
 * Frequency alignment (the classic attack on deterministic encodings, the "frequent Bloom filters"
 * attacks that Christen et al., PAKDD 2018, build on): sort the encoded values by how many records
 * carry them, sort the public reference values by frequency, and guess that the i-th most frequent
 * encoding is the i-th most frequent name. It
 * needs no key — only the encoded file and public name frequencies — and works on anything that
 * encodes equal values equally: keyed hashes, blocking keys and unsalted Bloom filters alike.
 */
import { at } from '../util/defined.js';
import type { RecordKey } from './columns.js';
import type { ReferenceTable } from './reference.js';

/** Options of {@link frequencyAlignment}. */
export interface FrequencyOptions {
  /** Align only the `top` most frequent encodings of each group (default 100). */
  readonly top?: number;
  /**
   * A grouping key per record: align within each group separately (default: one group). An attacker
   * facing a salted encoding groups by the salt's own keyed hash (e.g. the `dobYear` feature).
   */
  readonly groups?: readonly RecordKey[];
  /** Ignore groups with fewer records (default 1). */
  readonly minGroup?: number;
}

/**
 * Guesses each record's clear value by aligning encoding frequencies with reference frequencies.
 * Returns one guess per record (`undefined` where the record's encoding is missing or ranks below
 * `top`).
 * @example
 * ```ts
 * const guesses = frequencyAlignment(hashKeys(batch, 'last'), censusSurnames(), { top: 100 });
 * ```
 */
export function frequencyAlignment(
  keys: readonly RecordKey[],
  reference: ReferenceTable,
  opts: FrequencyOptions = {},
): (string | undefined)[] {
  const top = opts.top ?? 100;
  const minGroup = opts.minGroup ?? 1;
  if (!Number.isInteger(top) || top < 0) throw new RangeError('top must be a non-negative integer');
  if (opts.groups && opts.groups.length !== keys.length)
    throw new RangeError('groups must have one entry per record');
  // group → (encoding → count), in first-seen order so ties break deterministically.
  const groups = new Map<RecordKey, Map<RecordKey, number>>();
  const size = new Map<RecordKey, number>();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const g = opts.groups ? opts.groups[i] : 0;
    if (k === undefined || g === undefined) continue;
    let counts = groups.get(g);
    if (!counts) {
      counts = new Map();
      groups.set(g, counts);
    }
    counts.set(k, (counts.get(k) ?? 0) + 1);
    size.set(g, (size.get(g) ?? 0) + 1);
  }
  const guessOf = new Map<RecordKey, Map<RecordKey, string>>();
  for (const [g, counts] of groups) {
    const aligned = new Map<RecordKey, string>();
    guessOf.set(g, aligned);
    if ((size.get(g) ?? 0) < minGroup) continue;
    const ranked = [...counts].sort((a, b) => b[1] - a[1]);
    const n = Math.min(top, ranked.length, reference.values.length);
    ranked.slice(0, n).forEach(([key], r) => {
      aligned.set(key, at(reference.values, r));
    });
  }
  return keys.map((k, i) => {
    const g = opts.groups ? opts.groups[i] : 0;
    return k === undefined || g === undefined ? undefined : guessOf.get(g)?.get(k);
  });
}
