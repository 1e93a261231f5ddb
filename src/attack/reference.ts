/**
 * The attacker's public background knowledge: US Census 1990 name frequencies (public domain, the
 * same tables the synthetic generator draws from — see data/third_party/census1990). An attacker
 * without the key aligns encodings with these frequencies; one with the key uses the names as a
 * dictionary.
 */
import { soundex } from '../normalise/phonetic.js';
import {
  FEMALE_FIRST_NAMES,
  FEMALE_FIRST_WEIGHTS,
  MALE_FIRST_NAMES,
  MALE_FIRST_WEIGHTS,
  SURNAME_NAMES,
  SURNAME_WEIGHTS,
} from '../synth/names-data.js';
import { at } from '../util/defined.js';

/** Values with non-negative weights, most frequent first (ties in first-seen order). */
export interface ReferenceTable {
  readonly values: readonly string[];
  readonly weights: Float64Array;
}

/**
 * Builds a reference table from `[value, weight]` entries: duplicates are summed, the result is sorted
 * by weight, descending (a stable sort, so ties keep their first-seen order).
 * @example
 * ```ts
 * referenceTable([['ANN', 1], ['BOB', 3], ['ANN', 1]]).values; // ['BOB', 'ANN']
 * ```
 */
export function referenceTable(entries: Iterable<readonly [string, number]>): ReferenceTable {
  const sums = new Map<string, number>();
  for (const [v, w] of entries) {
    if (!(w >= 0)) throw new RangeError('weights must be non-negative numbers');
    sums.set(v, (sums.get(v) ?? 0) + w);
  }
  const sorted = [...sums].sort((a, b) => b[1] - a[1]);
  return { values: sorted.map(([v]) => v), weights: Float64Array.from(sorted, ([, w]) => w) };
}

function unpack(names: string, weights: string): [string, number][] {
  const n = names.trim().split(/\s+/);
  const w = weights.trim().split(/\s+/).map(Number);
  return n.map((name, i) => [name, w[i] ?? 0]);
}

/**
 * A reference table from observed values (e.g. the names of another list from the same region — a
 * voter file is the classic example): each value weighted by its count.
 * @example
 * ```ts
 * observedReference(['ANN', 'BOB', 'ANN', undefined]).values; // ['ANN', 'BOB']
 * ```
 */
export function observedReference(values: Iterable<string | undefined>): ReferenceTable {
  const entries: [string, number][] = [];
  for (const v of values) if (v !== undefined) entries.push([v, 1]);
  return referenceTable(entries);
}

let firstCache: ReferenceTable | undefined;
let lastCache: ReferenceTable | undefined;

/**
 * Census 1990 first names, male and female lists merged for a population with as many women as men
 * (each list's frequencies are per sex, so the merged weight is their mean).
 * @example
 * ```ts
 * censusFirstNames().values.slice(0, 2); // ['JAMES', 'JOHN']
 * ```
 */
export function censusFirstNames(): ReferenceTable {
  firstCache ??= referenceTable(
    [
      ...unpack(MALE_FIRST_NAMES, MALE_FIRST_WEIGHTS),
      ...unpack(FEMALE_FIRST_NAMES, FEMALE_FIRST_WEIGHTS),
    ].map(([n, w]) => [n, w / 2] as const),
  );
  return firstCache;
}

/**
 * Census 1990 surnames (frequency ≥ 0.001 %, 18,839 names).
 * @example
 * ```ts
 * censusSurnames().values[0]; // 'SMITH'
 * ```
 */
export function censusSurnames(): ReferenceTable {
  lastCache ??= referenceTable(unpack(SURNAME_NAMES, SURNAME_WEIGHTS));
  return lastCache;
}

/**
 * The key of the `lastSoundexInitial` blocking pass in clear: the Soundex code of the surname and
 * the first initial, `S530|J`.
 * @example
 * ```ts
 * soundexInitialKey('SMITH', 'JOHN'); // 'S530|J'
 * ```
 */
export function soundexInitialKey(last: string, first: string): string {
  return `${soundex(last)}|${first[0] ?? ''}`;
}

/**
 * The expected distribution of {@link soundexInitialKey} values, assuming first and last names are
 * independent: P(Soundex(last)) × P(initial(first)).
 * @example
 * ```ts
 * soundexInitialTable(censusFirstNames(), censusSurnames()).values[0]; // e.g. 'S530|J'
 * ```
 */
export function soundexInitialTable(first: ReferenceTable, last: ReferenceTable): ReferenceTable {
  const initials = new Map<string, number>();
  first.values.forEach((v, i) => {
    const ini = v[0] ?? '';
    initials.set(ini, (initials.get(ini) ?? 0) + at(first.weights, i));
  });
  const codes = new Map<string, number>();
  last.values.forEach((v, i) => {
    const code = soundex(v);
    codes.set(code, (codes.get(code) ?? 0) + at(last.weights, i));
  });
  const entries: [string, number][] = [];
  for (const [code, wc] of codes) for (const [ini, wi] of initials) entries.push([`${code}|${ini}`, wc * wi]);
  return referenceTable(entries);
}
