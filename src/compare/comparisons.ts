/**
 * Comparisons as typed, serialisable data (as Splink does it): each comparison is an ordered list of
 * levels, the first that holds wins, and a null level (no evidence, weight 0) when a value is missing
 * or its data-quality code is 8, 9 or 99. With `splitByDq`, every level is duplicated for pairs where
 * either side's data-quality code is 2 (partial/approximate), so those get their own m and u.
 */
import { at } from '../util/defined.js';

/**
 * A condition on a record pair, evaluated on encoded features; only `jaroWinkler` and `levenshtein`
 * read strings, which only clear-text mode's batches carry.
 */
export type LevelCondition =
  /** Both keyed hashes present and equal. */
  | { readonly type: 'exact'; readonly feature: string }
  /** left[a] = right[b] or left[b] = right[a] (e.g. first ↔ last swapped, DOB ↔ day/month-swapped DOB). */
  | { readonly type: 'cross'; readonly a: string; readonly b: string }
  /** The two hash sets share a value (e.g. nickname variants, one-digit masks). */
  | { readonly type: 'overlap'; readonly feature: string }
  /** One side's whole value is one of the other side's parts, or the part sets share a value. */
  | { readonly type: 'partOf'; readonly whole: string; readonly parts: string }
  /** Dice similarity of the two Bloom filters ≥ min. */
  | { readonly type: 'dice'; readonly feature: string; readonly min: number }
  /**
   * Dice similarity of left[a] with right[b] (or left[b] with right[a]) ≥ min; with `both`, of
   * left[a] with right[b] *and* left[b] with right[a] (a full swap, not one name in the other's place).
   */
  | {
      readonly type: 'crossDice';
      readonly a: string;
      readonly b: string;
      readonly min: number;
      readonly both?: boolean;
    }
  /**
   * Clear-text mode only (the strings of `clearTextComparisons`): Jaro–Winkler similarity of the
   * two normalised strings ≥ min, both non-empty.
   */
  | { readonly type: 'jaroWinkler'; readonly feature: string; readonly min: number }
  /**
   * Clear-text mode only: Jaro–Winkler of left[a] with right[b] (or left[b] with right[a]) ≥ min;
   * with `both`, of both (a full swap), as `crossDice` on strings. Empty strings never agree.
   */
  | {
      readonly type: 'crossJaroWinkler';
      readonly a: string;
      readonly b: string;
      readonly min: number;
      readonly both?: boolean;
    }
  /** Clear-text mode only: Levenshtein distance of the two normalised strings ≤ max, both non-empty. */
  | { readonly type: 'levenshtein'; readonly feature: string; readonly max: number }
  /** All conditions hold. */
  | { readonly type: 'all'; readonly of: readonly LevelCondition[] }
  /** Always holds (the last level, "else"). */
  | { readonly type: 'else' };

/** One level of a comparison. */
export interface LevelSpec {
  /** Short label shown in reports (e.g. `exact`, `nickname`, `dice ≥ 0.88`). */
  readonly label: string;
  readonly when: LevelCondition;
  /** Apply a term-frequency adjustment on this level using the frequency of this hash feature's value. */
  readonly tf?: string;
}

/** Which data-quality code governs a comparison. */
export type DqField = 'name' | 'dob' | 'ssn';

/** One comparison: null rule and ordered levels. */
export interface ComparisonSpec {
  readonly name: string;
  /** The comparison is null when any of these features is missing on either side. */
  readonly requires: readonly string[];
  /** Data-quality code of the compared field: 8/9/99 on either side → null. */
  readonly dq?: DqField;
  /** Separate levels (and parameters) when either side's data quality is 2. */
  readonly splitByDq?: boolean;
  /**
   * The comparison is also null (no evidence, weight 0) for pairs where this condition holds: for
   * evidence that another comparison's agreement nearly implies, so it is not counted twice (Sex
   * beside an exact first name; docs/scoring.md §4).
   */
  readonly nullWhen?: LevelCondition;
  readonly levels: readonly LevelSpec[];
}

/**
 * Number of non-null levels of a comparison (doubled when split by data quality).
 * @example
 * ```ts
 * levelCount(DEFAULT_COMPARISONS[3]!); // DOB: 8 levels × 2 (data quality 1 and 2) = 16
 * ```
 */
export function levelCount(c: ComparisonSpec): number {
  return c.levels.length * (c.splitByDq ? 2 : 1);
}

/**
 * Label of level `l` of a comparison, with the data-quality suffix where split.
 * @example
 * ```ts
 * levelLabel(DEFAULT_COMPARISONS[3]!, 1); // 'day/month swapped'
 * ```
 */
export function levelLabel(c: ComparisonSpec, l: number): string {
  const n = c.levels.length;
  return l < n ? at(c.levels, l).label : `${at(c.levels, l - n).label} (DQ 2)`;
}

const nameLevels = (self: 'first' | 'last', other: 'first' | 'last'): LevelSpec[] => [
  { label: 'exact', when: { type: 'exact', feature: self }, tf: self },
  ...(self === 'first'
    ? [{ label: 'nickname', when: { type: 'overlap', feature: 'firstVariants' } } as const]
    : []),
  { label: 'one part', when: { type: 'partOf', whole: self, parts: `${self}Parts` } },
  ...(self === 'first'
    ? [{ label: 'is the other middle name', when: { type: 'cross', a: 'first', b: 'middle' } } as const]
    : []),
  { label: 'dice ≥ 0.88', when: { type: 'dice', feature: `${self}Bloom`, min: 0.88 } },
  { label: 'dice ≥ 0.7', when: { type: 'dice', feature: `${self}Bloom`, min: 0.7 } },
  // First name: one of the names is in the other's place (client "A B", member "B C" or "C A").
  // Last name: only a full swap ("A B" ↔ "B A"): otherwise one cross agreement would count twice.
  {
    label: `swapped with ${other}`,
    when: {
      type: 'crossDice',
      a: `${self}Bloom`,
      b: `${other}Bloom`,
      min: 0.88,
      ...(self === 'last' ? { both: true } : {}),
    },
  },
  { label: 'dice ≥ 0.5', when: { type: 'dice', feature: `${self}Bloom`, min: 0.5 } },
  { label: 'else', when: { type: 'else' } },
];

/**
 * The default comparisons for the default linkage schema.
 * @example
 * ```ts
 * import { DEFAULT_COMPARISONS } from 'bloomlink';
 * DEFAULT_COMPARISONS.map((c) => c.name); // ['FirstName', 'LastName', 'MiddleName', 'DOB', 'Sex', 'SSN', 'MemberID']
 * ```
 */
export const DEFAULT_COMPARISONS: readonly ComparisonSpec[] = [
  {
    name: 'FirstName',
    requires: ['firstBloom'],
    dq: 'name',
    splitByDq: true,
    levels: nameLevels('first', 'last'),
  },
  {
    name: 'LastName',
    requires: ['lastBloom'],
    dq: 'name',
    splitByDq: true,
    levels: nameLevels('last', 'first'),
  },
  {
    name: 'MiddleName',
    requires: ['middleInitial'],
    dq: 'name',
    levels: [
      { label: 'exact', when: { type: 'exact', feature: 'middle' } },
      { label: 'initial', when: { type: 'exact', feature: 'middleInitial' } },
      { label: 'else', when: { type: 'else' } },
    ],
  },
  {
    name: 'DOB',
    requires: ['dob'],
    dq: 'dob',
    splitByDq: true,
    levels: [
      { label: 'exact', when: { type: 'exact', feature: 'dob' } },
      { label: 'day/month swapped', when: { type: 'cross', a: 'dob', b: 'dobSwapped' } },
      { label: 'one day off', when: { type: 'cross', a: 'dob', b: 'dobNextDay' } },
      { label: 'one digit off', when: { type: 'overlap', feature: 'dobMasks' } },
      {
        label: 'year ± 1',
        when: {
          type: 'all',
          of: [
            { type: 'exact', feature: 'dobMonthDay' },
            { type: 'cross', a: 'dobYear', b: 'dobYearPrev' },
          ],
        },
      },
      { label: 'same year and month', when: { type: 'exact', feature: 'dobYearMonth' } },
      { label: 'same year', when: { type: 'exact', feature: 'dobYear' } },
      { label: 'else', when: { type: 'else' } },
    ],
  },
  // Sex only where the first names differ: an exact first name nearly implies the sex, so beside it
  // sex agreement is no further evidence (conditional independence fails and every stranger sharing
  // a first name gained about a bit); there the comparison is null (docs/scoring.md §4).
  {
    name: 'Sex',
    requires: ['sex'],
    nullWhen: { type: 'overlap', feature: 'firstVariants' },
    levels: [
      { label: 'same', when: { type: 'exact', feature: 'sex' } },
      { label: 'else', when: { type: 'else' } },
    ],
  },
  {
    name: 'SSN',
    requires: ['ssnLast4'],
    dq: 'ssn',
    levels: [
      { label: 'exact', when: { type: 'exact', feature: 'ssn' } },
      { label: 'one digit off', when: { type: 'overlap', feature: 'ssnMasks' } },
      { label: 'last four', when: { type: 'exact', feature: 'ssnLast4' } },
      { label: 'else', when: { type: 'else' } },
    ],
  },
  // The plan's MemberID against the CoC's MCPMemberID (null for the many clients whose ID the CoC
  // does not know). Agreement is near-certain; a different ID is weak evidence (IDs are mistyped,
  // re-issued, or a family member's): m(exact) is bounded in training (DEFAULT_M_CAPS).
  {
    name: 'MemberID',
    requires: ['memberId'],
    levels: [
      { label: 'exact', when: { type: 'exact', feature: 'memberId' } },
      { label: 'else', when: { type: 'else' } },
    ],
  },
];
