/**
 * Fellegi–Sunter scoring: match weights (log2 Bayes factors), probabilities and Splink-style
 * term-frequency adjustment.
 */
import { NULL_LEVEL } from '../compare/patterns.js';
import { at } from '../util/defined.js';

/** Local copy: an imported binding may compile to a getter call in the hot loop under some loaders. */
const NULL = NULL_LEVEL;

/**
 * Fellegi–Sunter parameters: `lambda` = P(match) for a candidate pair, and per comparison k and
 * non-null level l, `m[k][l]` = P(level l | match), `u[k][l]` = P(level l | non-match); each row sums to 1.
 */
export interface FsParams {
  readonly lambda: number;
  readonly m: readonly (readonly number[])[];
  readonly u: readonly (readonly number[])[];
}

/** Rows must sum to 1 within this (absolute) tolerance. */
const ROW_SUM_TOLERANCE = 1e-6;

/**
 * Checks that `params` is well formed: 0 < λ < 1, `m` and `u` of equal shape, each row non-empty with
 * probabilities in [0, 1] summing to 1 (±1e-6), and matching `levelCounts` when given.
 *
 * @throws TypeError / RangeError naming the offending entry.
 * @example
 * ```ts
 * assertFsParams({ lambda: 0.01, m: [[0.9, 0.1]], u: [[0.05, 0.95]] }, [2]);
 * ```
 */
export function assertFsParams(params: FsParams, levelCounts?: readonly number[]): void {
  const { lambda, m, u } = params;
  if (!(lambda > 0 && lambda < 1)) throw new RangeError('params.lambda must be in (0, 1)');
  if (!Array.isArray(m) || !Array.isArray(u)) throw new TypeError('params.m and params.u must be arrays');
  if (m.length !== u.length) throw new RangeError('params.m and params.u must have the same length');
  if (levelCounts !== undefined && levelCounts.length !== m.length) {
    throw new RangeError(`params must have ${levelCounts.length} comparisons, got ${m.length}`);
  }
  for (let k = 0; k < m.length; k++) {
    const mk = m[k];
    const uk = u[k];
    const want = levelCounts?.[k] ?? mk?.length ?? 0;
    if (!Array.isArray(mk) || !Array.isArray(uk) || mk.length !== want || uk.length !== want || want === 0) {
      throw new RangeError(`params.m[${k}] and params.u[${k}] must both have ${want} levels`);
    }
    checkRow(mk, `params.m[${k}]`);
    checkRow(uk, `params.u[${k}]`);
  }
}

function checkRow(row: readonly number[], name: string): void {
  let sum = 0;
  for (const [l, p] of row.entries()) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`${name}[${l}] must be a probability in [0, 1]`);
    sum += p;
  }
  if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) throw new RangeError(`${name} must sum to 1`);
}

/**
 * The prior weight log2(λ / (1 − λ)): the match weight of a pair before any comparison.
 *
 * @example
 * ```ts
 * priorWeight(1 / 1025); // -10
 * ```
 */
export function priorWeight(lambda: number): number {
  if (!(lambda > 0 && lambda < 1)) throw new RangeError('lambda must be in (0, 1)');
  return Math.log2(lambda / (1 - lambda));
}

/**
 * The partial weight of a level, log2(m / u): the one weight formula (the scorer's tables, a match
 * weight's partials and the term-frequency adjusted weights all come from it). No validation: the
 * hot path of building weight tables.
 *
 * u = 0 gives +∞ and m = 0 gives −∞; EM output never has either (it floors probabilities), but a
 * hand-written model may.
 *
 * @example
 * ```ts
 * levelWeight(0.9, 0.01); // log2(90) ≈ 6.49
 * ```
 */
export function levelWeight(m: number, u: number): number {
  return Math.log2(m / u);
}

/**
 * Precomputes the partial weights {@link levelWeight} log2(m/u) of every comparison level, for scoring
 * millions of pairs with one addition per comparison (see {@link scoreLevels}).
 *
 * @example
 * ```ts
 * const params: FsParams = { lambda: 0.01, m: [[0.9, 0.1]], u: [[0.05, 0.95]] }; // one comparison, two levels
 * const w = levelWeights(params);
 * w[0]?.[0]; // log2(m[0][0] / u[0][0]) = log2(18)
 * ```
 */
export function levelWeights(params: FsParams): Float64Array[] {
  assertFsParams(params);
  return params.m.map((mk, k) => {
    const uk = at(params.u, k);
    return Float64Array.from(mk, (mkl, l) => levelWeight(mkl, at(uk, l)));
  });
}

/**
 * The match weight of a level vector from precomputed {@link levelWeights}: `prior + Σ weights[k][levels[k]]`,
 * null levels adding 0. No allocation and no validation beyond what indexing gives: the hot path.
 * A level outside the table yields NaN.
 *
 * @example
 * ```ts
 * const params: FsParams = { lambda: 0.01, m: [[0.9, 0.1]], u: [[0.05, 0.95]] }; // one comparison, two levels
 * const weights = levelWeights(params);
 * const prior = priorWeight(params.lambda);
 * const w = scoreLevels(weights, prior, Uint8Array.of(0)); // the pair's level per comparison
 * ```
 */
export function scoreLevels(
  weights: readonly Float64Array[],
  prior: number,
  levels: ArrayLike<number>,
): number {
  let w = prior;
  for (let k = 0; k < weights.length; k++) {
    const l = levels[k] ?? Number.NaN; // a missing level indexes nothing: NaN, as one outside the table
    if (l !== NULL) w += weights[k]?.[l] ?? Number.NaN;
  }
  return w;
}

/**
 * Term-frequency input for one comparison of one pair (Splink's `tf_adjustment_column`).
 *
 * - `uTf`: the frequency of the compared value among all records, in (0, 1]; for a fuzzy level, the
 *   larger of the two values' frequencies (as Splink does).
 * - `strength`: Splink's `tf_adjustment_weight`, 0 (off) … 1 (full); default 1.
 * - `levels`: the levels the adjustment applies to; default `[exactLevel]`.
 * - `exactLevel`: the exact-match level whose u is the average the value's frequency replaces; default 0.
 */
export interface TfInput {
  readonly uTf: number;
  readonly strength?: number;
  readonly levels?: readonly number[];
  readonly exactLevel?: number;
}

/** Options of {@link matchWeight}. */
export interface MatchWeightOptions {
  /** Per comparison, the term-frequency input of this pair, or undefined for no adjustment. */
  readonly tf?: readonly (TfInput | undefined)[];
}

/** A pair's match weight with its per-comparison contributions. */
export interface MatchWeight {
  /** log2(λ/(1−λ)) + Σ partial. */
  readonly weight: number;
  /** partial[k] = log2(m/u) of comparison k's level (term-frequency adjusted if asked), 0 for null. */
  readonly partial: Float64Array;
}

/**
 * The match weight of one level vector with its per-comparison partial weights (for explaining a
 * score; use {@link levelWeights} + {@link scoreLevels} to score many pairs).
 *
 * @throws RangeError if `levels` has the wrong length or an out-of-range level.
 * @example
 * ```ts
 * const params: FsParams = { lambda: 0.01, m: [[0.9, 0.1], [0.8, 0.2]], u: [[0.05, 0.95], [0.1, 0.9]] };
 * // Level 0 of the first comparison; 255: the second could not be compared (a value missing).
 * const { weight, partial } = matchWeight(params, Uint8Array.of(0, 255));
 * const p = weightToProbability(weight);
 * ```
 */
export function matchWeight(
  params: FsParams,
  levels: ArrayLike<number>,
  opts: MatchWeightOptions = {},
): MatchWeight {
  const { m, u } = params;
  const k = m.length;
  if (levels.length !== k) throw new RangeError(`levels must have length ${k}, got ${levels.length}`);
  const partial = new Float64Array(k);
  let weight = priorWeight(params.lambda);
  for (let c = 0; c < k; c++) {
    const l = levels[c] ?? Number.NaN; // a missing level is refused below, as one out of range
    if (l === NULL_LEVEL) continue;
    const mc = at(m, c);
    const uc = at(u, c);
    if (!Number.isInteger(l) || l < 0 || l >= mc.length) {
      throw new RangeError(`levels[${c}] must be an integer in 0..${mc.length - 1} or NULL_LEVEL`);
    }
    let ul = uc[l] ?? Number.NaN;
    const tf = opts.tf?.[c];
    if (tf !== undefined) {
      const exact = tf.exactLevel ?? 0;
      const uExact = uc[exact];
      if (uExact === undefined) throw new RangeError(`tf[${c}].exactLevel is not a level of comparison ${c}`);
      if (tf.levels === undefined ? l === exact : tf.levels.includes(l)) {
        ul = tfAdjustedU(ul, tf.uTf, uExact, tf.strength ?? 1);
      }
    }
    const p = levelWeight(mc[l] ?? Number.NaN, ul);
    partial[c] = p;
    weight += p;
  }
  return { weight, partial };
}

/**
 * The u a term-frequency adjusted level uses in place of its own: `u × (uTf / uExact)^strength`,
 * evaluated as `(u / uExact^strength) × uTf^strength` so that the exact-match level at full strength
 * gets exactly `uTf` and strength 0 leaves `u` exactly as it is.
 *
 * Splink multiplies a tf-adjusted level's Bayes factor m/u by `(u_exact / u_tf)^strength`, where
 * u_exact is the exact-match level's u (the average chance two non-matching records agree) and u_tf
 * is the frequency of this particular value: agreeing on a rare value (u_tf < u_exact) is stronger
 * evidence, on a common value weaker. The level's weight is then {@link levelWeight}(m, adjusted u).
 *
 * @param u - u of the adjusted level.
 * @param uTf - frequency of the value, in (0, 1].
 * @param uExact - u of the exact-match level, in (0, 1] (`u` itself for the exact-match level).
 * @param strength - 0 (no adjustment) … 1 (full); default 1.
 * @throws RangeError for arguments outside those ranges.
 * @example
 * ```ts
 * tfAdjustedU(0.01, 0.001, 0.01); // 0.001: the exact level's u replaced by the value's frequency
 * levelWeight(0.9, tfAdjustedU(0.01, 0.001, 0.01)); // log2(0.9 / 0.001) ≈ 9.81
 * ```
 */
export function tfAdjustedU(u: number, uTf: number, uExact: number, strength = 1): number {
  if (!(uTf > 0 && uTf <= 1)) throw new RangeError('uTf must be in (0, 1]');
  if (!(uExact > 0 && uExact <= 1)) throw new RangeError('uExact must be in (0, 1]');
  if (!(strength >= 0 && strength <= 1)) throw new RangeError('strength must be in [0, 1]');
  return (u / uExact ** strength) * uTf ** strength;
}

/**
 * The term-frequency adjustment term, in bits: `strength × log2(uExact / uTf)`, what
 * {@link tfAdjustedU} adds to a level's weight.
 *
 * @param uTf - frequency of the value, in (0, 1].
 * @param uExact - u of the exact-match level, in (0, 1].
 * @param strength - 0 (no adjustment) … 1 (full); default 1.
 * @throws RangeError for arguments outside those ranges.
 * @example
 * ```ts
 * tfAdjustment(0.001, 0.004); // 2 bits: a value 4× rarer than average
 * ```
 */
export function tfAdjustment(uTf: number, uExact: number, strength = 1): number {
  return -Math.log2(tfAdjustedU(1, uTf, uExact, strength));
}

/**
 * The term-frequency adjusted partial weight of an exact-match level, following Splink:
 *
 *     partial = log2(m / uLevel) + strength × log2(uLevel / uTf)
 *
 * With strength 1 this is log2(m / uTf) — the level's u replaced by the value's frequency; with
 * strength 0 it is the unadjusted log2(m / uLevel); in between it interpolates on the log scale
 * (Splink's `tf_adjustment_weight`). Computed as {@link levelWeight}(m, {@link tfAdjustedU}(…)).
 *
 * @param m - m of the level.
 * @param uTf - frequency of the value, in (0, 1].
 * @param uLevel - u of the exact-match level, in (0, 1].
 * @param strength - 0 … 1; default 1.
 * @example
 * ```ts
 * tfAdjustedPartial(0.9, 0.001, 0.01); // log2(0.9 / 0.001) ≈ 9.81
 * tfAdjustedPartial(0.9, 0.001, 0.01, 0); // log2(0.9 / 0.01) ≈ 6.49
 * ```
 */
export function tfAdjustedPartial(m: number, uTf: number, uLevel: number, strength = 1): number {
  if (!(m >= 0 && m <= 1)) throw new RangeError('m must be in [0, 1]');
  return levelWeight(m, tfAdjustedU(uLevel, uTf, uLevel, strength));
}

/**
 * Converts a match weight (log2 odds) to a match probability 2^w / (1 + 2^w), without overflow for
 * large |w| (±∞ give 1 and 0; NaN gives NaN).
 *
 * @example
 * ```ts
 * weightToProbability(0); // 0.5
 * weightToProbability(10); // ≈ 0.99902
 * ```
 */
export function weightToProbability(w: number): number {
  if (w >= 0) return 1 / (1 + 2 ** -w);
  const t = 2 ** w;
  return t / (1 + t);
}

/**
 * Converts a probability to a match weight log2(p / (1 − p)). 0 gives −∞ and 1 gives +∞. The round
 * trip through {@link weightToProbability} is limited by p's precision near 1: its error is about
 * 2^(w − 52) bits for w > 0 (under 1e-6 for w ≤ 30; at w ≥ 54 p is exactly 1), ~1e-15 relative for w ≤ 0.
 *
 * @throws RangeError if p is not in [0, 1].
 * @example
 * ```ts
 * probabilityToWeight(0.5); // 0
 * probabilityToWeight(0.999); // ≈ 9.96
 * ```
 */
export function probabilityToWeight(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError('p must be a probability in [0, 1]');
  // log2(p) − log2(1 − p): 1 − p is exact for p ≥ 0.5 (Sterbenz), log2(p) exact near 0.
  return Math.log2(p) - Math.log2(1 - p);
}
