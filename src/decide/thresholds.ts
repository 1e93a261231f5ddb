/**
 * Threshold selection from match probabilities alone (no ground truth): if the model's probabilities
 * are calibrated, Σ p over the pairs above a threshold is the expected number of true matches there,
 * which gives expected precision, recall and F1 for every threshold.
 */
import { at } from '../util/defined.js';

/** One row of {@link thresholdTable}. */
export interface ThresholdRow {
  /** Pairs with probability ≥ threshold are "above". */
  readonly threshold: number;
  readonly pairsAbove: number;
  /** Σ p over the pairs above. */
  readonly expectedTruePositives: number;
  /** expectedTruePositives / pairsAbove (1 when no pair is above). */
  readonly expectedPrecision: number;
  /** expectedTruePositives / expected matches, at most 1 (1 when no match is expected). */
  readonly expectedRecall: number;
  /** Harmonic mean of expected precision and recall (0 when both are 0). */
  readonly expectedF1: number;
}

/** Options of {@link thresholdTable}. */
export interface ThresholdTableOptions {
  /** Expected number of true matches; default Σ p over all pairs given. */
  readonly expectedMatches?: number;
  /** Thresholds to evaluate, each in [0, 1]; default {@link DEFAULT_THRESHOLDS}. */
  readonly thresholds?: readonly number[];
}

/**
 * Default threshold grid: 0.01, 0.02, …, 0.99, then 0.995 and 0.999.
 *
 * @example
 * ```ts
 * DEFAULT_THRESHOLDS.length; // 101
 * ```
 */
export const DEFAULT_THRESHOLDS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, i) => (i + 1) / 100),
  0.995,
  0.999,
]);

/**
 * Expected precision, recall and F1 at each threshold, from the match probabilities of the scored
 * candidate pairs. Rows are in ascending threshold order. O(n log n) for n probabilities.
 *
 * @throws RangeError if a probability is not in [0, 1], a threshold not in [0, 1] or
 *   `expectedMatches` is negative or not finite.
 * @example
 * ```ts
 * const rows = thresholdTable(Float64Array.of(0.99, 0.9, 0.6, 0.2), { thresholds: [0.5, 0.95] });
 * rows[0]; // { threshold: 0.5, pairsAbove: 3, expectedTruePositives: 2.49, … }
 * ```
 */
export function thresholdTable(
  probabilities: Float64Array,
  opts: ThresholdTableOptions = {},
): ThresholdRow[] {
  return buildTable(probabilities, opts).rows;
}

function buildTable(
  probabilities: Float64Array,
  opts: ThresholdTableOptions,
): { rows: ThresholdRow[]; expected: number } {
  const cumulative = Cumulative.of(probabilities);
  const expected = opts.expectedMatches ?? cumulative.total;
  if (!(expected >= 0 && expected < Number.POSITIVE_INFINITY)) {
    throw new RangeError('opts.expectedMatches must be a finite number >= 0');
  }
  const thresholds = [...(opts.thresholds ?? DEFAULT_THRESHOLDS)].sort((a, b) => a - b);
  const rows = thresholds.map((t, i) => {
    if (!(t >= 0 && t <= 1)) throw new RangeError(`opts.thresholds[${i}] must be in [0, 1]`);
    return row(t, cumulative.countAbove(t), cumulative.sumAbove(t), expected);
  });
  return { rows, expected };
}

function row(threshold: number, pairsAbove: number, tp: number, expected: number): ThresholdRow {
  const expectedPrecision = pairsAbove > 0 ? tp / pairsAbove : 1;
  const expectedRecall = expected > 0 ? Math.min(1, tp / expected) : 1;
  const sum = expectedPrecision + expectedRecall;
  const expectedF1 = sum > 0 ? (2 * expectedPrecision * expectedRecall) / sum : 0;
  return { threshold, pairsAbove, expectedTruePositives: tp, expectedPrecision, expectedRecall, expectedF1 };
}

/** Options of {@link chooseThresholds}. */
export interface ChooseThresholdsOptions extends ThresholdTableOptions {
  /**
   * Whether the probabilities are of the pairs kept by one-to-one assignment (true) or of all
   * candidate pairs (false, default). Before assignment a record with several candidates is counted
   * more than once, so Σ p over-states the expected matches; the rationale says which was used.
   */
  readonly assigned?: boolean;
  /** Range the match threshold is chosen in; default [0.5, 0.99]. */
  readonly matchRange?: readonly [number, number];
  /** Least expected precision of the review band; default 0.1. */
  readonly minReviewPrecision?: number;
  /** Lowest review threshold; default 0.05. */
  readonly minReview?: number;
  /** How `expectedMatches` was obtained, for the rationale (default "given"). */
  readonly expectedMatchesSource?: string;
}

/** Thresholds chosen by {@link chooseThresholds}, with the figures behind them. */
export interface ChosenThresholds {
  /** Pairs with probability ≥ match are links. */
  readonly match: number;
  /** Pairs with review ≤ probability < match go to clerical review (review = match: no review band). */
  readonly review: number;
  /** Expected precision, recall and F1 at the match threshold. */
  readonly expectedPrecision: number;
  readonly expectedRecall: number;
  readonly expectedF1: number;
  /** Pairs in the review band and their expected precision (1 if the band is empty). */
  readonly reviewPairs: number;
  readonly reviewPrecision: number;
  /** One paragraph explaining the choice, with the figures (no data values). */
  readonly rationale: string;
}

/**
 * Chooses the match and clerical-review thresholds from the match probabilities.
 *
 * **Match threshold:** among the grid thresholds in `matchRange` (default [0.5, 0.99]), the one with
 * the highest expected F1 (see {@link thresholdTable}); on a tie the higher threshold, since it links
 * fewer pairs for the same expected quality. The range keeps a badly calibrated model from linking
 * pairs it itself rates as more likely non-matches (< 0.5) or from linking almost nothing (> 0.99).
 *
 * **Review threshold:** walking the grid down from the match threshold (not below `minReview`,
 * default 0.05), the band [t, match) grows; the review threshold is the lowest t reached before the
 * band's expected precision (Σ p / pairs in the band) first drops below `minReviewPrecision`
 * (default 0.1: a reviewer should confirm at least one link per ten pairs examined). Stopping at the
 * first drop, rather than taking the lowest t anywhere that passes, keeps the band contiguous: a
 * cluster of good pairs far below cannot pull in a poor stretch above it. If no pair lies in any
 * acceptable band, review = match (no review band).
 *
 * @throws RangeError as {@link thresholdTable}, or if `matchRange` contains no grid threshold.
 * @example
 * ```ts
 * const result = match(coc, mcp);
 * // The match probabilities of the assigned pairs (one-to-one), ascending or not.
 * const probabilities = Float64Array.from(result.links, (l) => l.probability);
 * const { match: atLeast, review, rationale } = chooseThresholds(probabilities, { assigned: true });
 * ```
 */
export function chooseThresholds(
  probabilities: Float64Array,
  opts: ChooseThresholdsOptions = {},
): ChosenThresholds {
  const [lo, hi] = opts.matchRange ?? [0.5, 0.99];
  const minPrecision = opts.minReviewPrecision ?? 0.1;
  const minReview = opts.minReview ?? 0.05;
  if (!(lo >= 0 && lo <= hi && hi <= 1))
    throw new RangeError('opts.matchRange must satisfy 0 <= lo <= hi <= 1');
  if (!(minPrecision >= 0 && minPrecision <= 1))
    throw new RangeError('opts.minReviewPrecision must be in [0, 1]');
  if (!(minReview >= 0 && minReview <= 1)) throw new RangeError('opts.minReview must be in [0, 1]');
  const { rows, expected } = buildTable(probabilities, opts);

  let best: ThresholdRow | undefined;
  let overall: ThresholdRow | undefined;
  for (const r of rows) {
    if (overall === undefined || r.expectedF1 >= overall.expectedF1) overall = r;
    if (r.threshold < lo || r.threshold > hi) continue;
    if (best === undefined || r.expectedF1 >= best.expectedF1) best = r;
  }
  if (best === undefined) throw new RangeError('opts.matchRange contains none of the thresholds');

  let review = best.threshold;
  let reviewPairs = 0;
  let reviewTp = 0;
  for (let i = rows.indexOf(best) - 1; i >= 0; i--) {
    const r = at(rows, i);
    if (r.threshold < minReview) break;
    const pairs = r.pairsAbove - best.pairsAbove;
    const tp = r.expectedTruePositives - best.expectedTruePositives;
    if (pairs > 0 && tp / pairs < minPrecision) break;
    review = r.threshold;
    reviewPairs = pairs;
    reviewTp = tp;
  }
  if (reviewPairs === 0) review = best.threshold;
  const reviewPrecision = reviewPairs > 0 ? reviewTp / reviewPairs : 1;

  const f = (x: number): string => x.toFixed(3);
  const parts = [
    `Match threshold ${best.threshold}: the highest expected F1 (${f(best.expectedF1)}; expected precision ` +
      `${f(best.expectedPrecision)}, recall ${f(best.expectedRecall)}, ${best.pairsAbove} pairs) among ` +
      `thresholds ${lo}–${hi}.`,
  ];
  if (overall !== undefined && overall.threshold !== best.threshold && overall.expectedF1 > best.expectedF1) {
    parts.push(`(Unrestricted, ${overall.threshold} would give expected F1 ${f(overall.expectedF1)}.)`);
  }
  parts.push(
    reviewPairs > 0
      ? `Review threshold ${review}: the lowest (down to ${minReview}) for which the ${reviewPairs} pairs ` +
          `between it and the match threshold keep an expected precision of at least ${minPrecision} ` +
          `(${f(reviewPrecision)}).`
      : `No review band: no pair lies between ${minReview} and the match threshold with an expected ` +
          `precision of at least ${minPrecision}.`,
  );
  parts.push(
    opts.expectedMatches !== undefined
      ? `Expected matches: ${f(opts.expectedMatches)} (${opts.expectedMatchesSource ?? 'given'}).`
      : `Expected matches: ${f(expected)} (sum of match probabilities ` +
          (opts.assigned === true
            ? 'of the pairs kept by one-to-one assignment).'
            : 'of all candidate pairs, before one-to-one assignment: records with several candidates ' +
              'are counted more than once, so expected recall is understated).'),
  );
  return {
    match: best.threshold,
    review,
    expectedPrecision: best.expectedPrecision,
    expectedRecall: best.expectedRecall,
    expectedF1: best.expectedF1,
    reviewPairs,
    reviewPrecision,
    rationale: parts.join(' '),
  };
}

/**
 * The first index whose value is not in [0, 1] (NaN included), −1 if none. Indexed loops in
 * functions of their own (this one and `runningSums`): `for…of entries()` paid an iterator and a
 * destructuring per pair in cold code, and the loop's optimised code was dropped at the next line.
 */
function firstOutside01(ps: Float64Array): number {
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i] as number;
    if (!(p >= 0 && p <= 1)) return i;
  }
  return -1;
}

/** `prefix[i + 1] = prefix[i] + xs[i]`, in order. */
function runningSums(xs: Float64Array, prefix: Float64Array): void {
  for (let i = 0; i < xs.length; i++) prefix[i + 1] = (prefix[i] as number) + (xs[i] as number);
}

/** Probabilities sorted descending with running sums, for counts and sums above any threshold. */
class Cumulative {
  private constructor(
    private readonly desc: Float64Array,
    private readonly prefix: Float64Array,
  ) {}

  static of(probabilities: Float64Array): Cumulative {
    if (!(probabilities instanceof Float64Array)) throw new TypeError('probabilities must be a Float64Array');
    const bad = firstOutside01(probabilities);
    if (bad >= 0) throw new RangeError(`probabilities[${bad}] must be in [0, 1]`);
    const desc = probabilities.slice().sort().reverse();
    // Summing from the largest keeps the running sums accurate where they matter (high thresholds).
    const prefix = new Float64Array(desc.length + 1);
    runningSums(desc, prefix);
    return new Cumulative(desc, prefix);
  }

  get total(): number {
    return at(this.prefix, this.desc.length);
  }

  /** Number of probabilities ≥ t. */
  countAbove(t: number): number {
    let lo = 0;
    let hi = this.desc.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.desc[mid] ?? 0) >= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Σ of the probabilities ≥ t. */
  sumAbove(t: number): number {
    return at(this.prefix, this.countAbove(t));
  }
}

/**
 * The model's estimate of the number of true matches between the two lists — the denominator of
 * expected recall: λ × |CoC| × |plan| (λ counts the true pairs no blocking rule compared and those
 * scored below the keep threshold too), capped at the smaller list (one-to-one), and never below
 * `keptSum`, Σ p of the pairs kept by one-to-one assignment (what the scores already show). Σ p of
 * the kept pairs alone sees only the compared pairs: expected recall was 6–9 points too high where
 * blocking misses true pairs (issue #13).
 * @example
 * ```ts
 * estimateTrueMatches(1.2e-5, 10_000, 35_000, 3_950); // 4,200: λ × pairs, above Σ p of the kept pairs
 * ```
 */
export function estimateTrueMatches(lambda: number, nLeft: number, nRight: number, keptSum: number): number {
  const prior = Math.min(lambda * nLeft * nRight, Math.min(nLeft, nRight));
  return Math.max(Number.isFinite(prior) ? prior : 0, keptSum);
}
