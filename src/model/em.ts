/**
 * Expectation–maximisation for the Fellegi–Sunter model on pattern counts (as Splink and fastLink):
 * one pass over the distinct agreement patterns per iteration, whatever the number of pairs.
 */

import { assertPatternTable, NULL_LEVEL, type PatternTable } from '../compare/patterns.js';
import { at } from '../util/defined.js';
import { assertFsParams, type FsParams } from './weights.js';

/** Local copy: an imported binding may compile to a getter call in the hot loop under some loaders. */
const NULL = NULL_LEVEL;

/** Progress of one EM iteration. */
export interface EmIteration {
  /** 1-based iteration number. */
  readonly iteration: number;
  /** Log-likelihood (natural log) of the parameters after this iteration. */
  readonly logLikelihood: number;
  /** Largest absolute change of λ or any estimated m/u in this iteration. */
  readonly maxChange: number;
}

/** Options of {@link runEm}. */
export interface EmOptions {
  /** Iteration cap; default 100. */
  readonly maxIterations?: number;
  /** Stop when no estimated probability (λ, m, free u) moves more than this; default 1e-7. */
  readonly tolerance?: number;
  /**
   * Keep u at its initial value (default true, as Splink: u is estimated beforehand from random
   * pairs, which is both more accurate and keeps EM from converging to a "match" class that is
   * really some other cluster, e.g. family members).
   */
  readonly fixU?: boolean;
  /**
   * Keep λ at its initial value (default false). Used when λ is known from elsewhere — e.g. the
   * match rate of an exact-key training block, computed from the global λ and the blocked fields'
   * m and u — so that a session with a single informative comparison is still identifiable.
   */
  readonly fixLambda?: boolean;
  /**
   * Per comparison, whether it enters the likelihood (default all). Inactive comparisons are left out
   * entirely and keep their initial m and u: use it for the comparisons a blocking rule conditions on,
   * whose agreement among candidate pairs says nothing about m.
   */
  readonly active?: readonly boolean[];
  /**
   * Minimum for every estimated probability (λ, m and free u), default 1e-6; must be > 0 and below
   * 1 / (largest number of levels). A level never seen among matches would otherwise get m = 0 and
   * an infinite negative weight. The M-step maximises under
   * this bound exactly (levels at the bound, the rest proportional to their expected counts), and
   * the start is projected onto it, so the likelihood still never decreases.
   */
  readonly floor?: number;
  /**
   * A per-pair prior: an inactive comparison whose level l adds `shift[l]` (natural log) to the
   * match log-odds of every pattern with that level (null adds 0). Used with `fixLambda` for
   * training sessions whose pairs have very different prior match rates — in a same-name block the
   * chance that a pair matches falls with the name's frequency, which the block's average λ hides.
   * λ (when not fixed) is then the base rate: the λ whose shifted priors σ(logit λ + shift) add up,
   * over the pairs, to the expected matches (the exact M-step, so EM stays monotone).
   */
  readonly priorShift?: {
    readonly comparison: number;
    readonly shift: readonly number[];
    /**
     * Further shifts by level of other comparisons (natural log, added to every pattern at that
     * level): training's prior shifts were binned with the random pairs' u of a term-frequency
     * level, and this adds log(u / u_random), as if they had been binned with the u EM is given.
     */
    readonly levels?: readonly {
      readonly comparison: number;
      readonly level: number;
      readonly shift: number;
    }[];
  };
  /** Called after every iteration (e.g. for a progress log). */
  readonly onIteration?: (it: EmIteration) => void;
}

/** Result of {@link runEm}. */
export interface EmResult {
  /** Estimated parameters (new arrays; inactive comparisons and fixed u are copies of the start). */
  readonly params: { lambda: number; m: number[][]; u: number[][] };
  /** Iterations run. */
  readonly iterations: number;
  /** Whether the largest change fell below the tolerance before the cap. */
  readonly converged: boolean;
  /**
   * `logLikelihood[i]` is the log-likelihood after i iterations (index 0: the start, after
   * flooring), so it has `iterations + 1` entries and never decreases beyond rounding.
   */
  readonly logLikelihood: number[];
}

/**
 * Estimates λ and m (and u unless `fixU`) by EM from agreement-pattern counts.
 *
 * Model: given match status, comparisons are independent; a null level contributes nothing (it is
 * marginalised out). Per iteration, for each distinct pattern γ with count c:
 * E-step P(match | γ) = λ·Πm / (λ·Πm + (1−λ)·Πu) over active, non-null comparisons; M-step
 * λ = Σ c·P / Σ c, m[k][l] ∝ Σ c·P over patterns with level l at k (u likewise with 1 − P),
 * each subject to `floor`. Cost per iteration is O(patterns × active comparisons).
 *
 * Inputs are never modified.
 *
 * @throws TypeError / RangeError for a malformed table, parameters or options.
 * @example
 * ```ts
 * const table = counter.toTable();
 * const { params, converged } = runEm(table, { lambda: 0.01, m: startM, u: uFromRandomPairs }, {
 *   active: comparisons.map((c) => !blockingRuleUses(c)),
 * });
 * ```
 */
export function runEm(table: PatternTable, init: FsParams, opts: EmOptions = {}): EmResult {
  assertPatternTable(table);
  const levelCounts = table.levelCounts;
  assertFsParams(init, levelCounts);
  const k = levelCounts.length;
  const maxIterations = opts.maxIterations ?? 100;
  const tolerance = opts.tolerance ?? 1e-7;
  const fixU = opts.fixU ?? true;
  const floor = opts.floor ?? 1e-6;
  const active = opts.active ?? levelCounts.map(() => true);
  if (!Number.isInteger(maxIterations) || maxIterations < 0) {
    throw new RangeError('opts.maxIterations must be an integer >= 0');
  }
  if (!(tolerance >= 0)) throw new RangeError('opts.tolerance must be >= 0');
  const maxLevels = Math.max(...levelCounts);
  if (!(floor > 0 && floor * Math.max(2, maxLevels) < 1)) {
    throw new RangeError('opts.floor must be > 0 and below 1 / (largest number of levels)');
  }
  if (active.length !== k) throw new RangeError(`opts.active must have ${k} entries`);
  const shift = opts.priorShift;
  if (shift !== undefined) {
    const c = shift.comparison;
    if (!(Number.isInteger(c) && c >= 0 && c < k) || active[c] === true) {
      throw new RangeError('opts.priorShift.comparison must be an inactive comparison');
    }
    if (shift.shift.length !== levelCounts[c] || !shift.shift.every(Number.isFinite)) {
      throw new RangeError(`opts.priorShift.shift must have ${levelCounts[c]} finite values`);
    }
    for (const lv of shift.levels ?? []) {
      const n = levelCounts[lv.comparison];
      if (n === undefined || !(Number.isInteger(lv.level) && lv.level >= 0 && lv.level < n)) {
        throw new RangeError('opts.priorShift.levels must name a level of a comparison');
      }
      if (!Number.isFinite(lv.shift)) throw new RangeError('opts.priorShift.levels shifts must be finite');
    }
  }

  const offsets = new Int32Array(k + 1);
  for (const [c, n] of levelCounts.entries()) offsets[c + 1] = at(offsets, c) + n;
  const activeIdx = Int32Array.from(levelCounts.keys()).filter((c) => active[c] === true);
  const size = at(offsets, k);
  const m = new Float64Array(size);
  const u = new Float64Array(size);
  for (let c = 0; c < k; c++) {
    m.set(at(init.m, c), at(offsets, c));
    u.set(at(init.u, c), at(offsets, c));
  }
  // Project the start onto the floored parameter space: EM is monotone only from a feasible point.
  let lambda = clamp(init.lambda, floor, 1 - floor);
  for (const c of activeIdx) {
    const [from, to] = [at(offsets, c), at(offsets, c + 1)];
    projectRow(m.slice(from, to), floor, m, from);
    if (!fixU) projectRow(u.slice(from, to), floor, u, from);
  }

  const stats: EStats = { sumM: new Float64Array(size), sumU: new Float64Array(size), matches: 0, ll: 0 };
  let total = 0;
  for (const n of table.counts) total += n;

  const params = (): EmResult['params'] => ({
    lambda,
    m: init.m.map((row, c) =>
      active[c] ? Array.from(m.subarray(at(offsets, c), at(offsets, c + 1))) : [...row],
    ),
    u: init.u.map((row, c) =>
      active[c] && !fixU ? Array.from(u.subarray(at(offsets, c), at(offsets, c + 1))) : [...row],
    ),
  });

  const cells = patternCells(table, offsets, activeIdx);
  const width = activeIdx.length;
  const rowShift = new Float64Array(table.counts.length);
  if (shift !== undefined) {
    for (let r = 0; r < rowShift.length; r++) {
      const level = table.patterns[r * k + shift.comparison] ?? NULL;
      rowShift[r] = level === NULL ? 0 : (shift.shift[level] ?? 0);
      for (const lv of shift.levels ?? [])
        if (table.patterns[r * k + lv.comparison] === lv.level) rowShift[r] = (rowShift[r] ?? 0) + lv.shift;
    }
  }
  // Pairs per distinct shift, for the λ M-step (a few dozen values, not one per pattern).
  const byShift = new Map<number, number>();
  for (let r = 0; r < rowShift.length; r++) {
    const sh = rowShift[r] ?? 0;
    byShift.set(sh, (byShift.get(sh) ?? 0) + (table.counts[r] ?? 0));
  }
  const shiftPairs = { shift: [...byShift.keys()], count: [...byShift.values()] };
  eStep(cells, width, table.counts, rowShift, lambda, m, u, stats);
  const logLikelihood = [stats.ll];
  if (total === 0) return { params: params(), iterations: 0, converged: true, logLikelihood };

  let iterations = 0;
  let converged = false;
  const next = new Float64Array(size);
  while (iterations < maxIterations) {
    iterations++;
    const newLambda = opts.fixLambda
      ? lambda
      : shift === undefined
        ? clamp(stats.matches / total, floor, 1 - floor)
        : clamp(baseRate(shiftPairs, stats.matches), floor, 1 - floor);
    let maxChange = Math.abs(newLambda - lambda);
    lambda = newLambda;
    maxChange = Math.max(maxChange, mStep(stats.sumM, m, next, activeIdx, offsets, floor));
    if (!fixU) maxChange = Math.max(maxChange, mStep(stats.sumU, u, next, activeIdx, offsets, floor));
    eStep(cells, width, table.counts, rowShift, lambda, m, u, stats);
    logLikelihood.push(stats.ll);
    opts.onIteration?.({ iteration: iterations, logLikelihood: stats.ll, maxChange });
    if (maxChange < tolerance) {
      converged = true;
      break;
    }
  }
  return { params: params(), iterations, converged, logLikelihood };
}

/**
 * The M-step for λ under per-pattern prior shifts s_r: the base rate λ whose priors
 * σ(logit λ + s_r) sum, over the pairs, to the expected matches of the E-step — the exact maximiser
 * of the expected log-likelihood in λ (Σ c_r·(post_r − σ(logit λ + s_r)) = 0), so EM stays
 * monotone. The sum is increasing in logit λ: bisection on it, then a few Newton steps.
 */
function baseRate(pairs: { readonly shift: number[]; readonly count: number[] }, matches: number): number {
  const sum = (b: number): [number, number] => {
    let s = 0;
    let d = 0;
    for (let r = 0; r < pairs.count.length; r++) {
      const c = pairs.count[r] ?? 0;
      const p = 1 / (1 + Math.exp(-(b + (pairs.shift[r] ?? 0))));
      s += c * p;
      d += c * p * (1 - p);
    }
    return [s, d];
  };
  let lo = -60;
  let hi = 60;
  for (let it = 0; it < 60 && hi - lo > 1e-9; it++) {
    const mid = (lo + hi) / 2;
    if (at(sum(mid), 0) < matches) lo = mid;
    else hi = mid;
  }
  let b = (lo + hi) / 2;
  for (let it = 0; it < 3; it++) {
    const [s, d] = sum(b);
    if (!(d > 0)) break;
    const nb = b - (s - matches) / d;
    if (!(nb >= lo - 1 && nb <= hi + 1)) break;
    b = nb;
  }
  return 1 / (1 + Math.exp(-b));
}

/** Expected sufficient statistics of one E-step plus the log-likelihood of the parameters used. */
interface EStats {
  sumM: Float64Array;
  sumU: Float64Array;
  matches: number;
  ll: number;
}

/**
 * Flat parameter index (offset of the comparison + level) of every active comparison of every
 * pattern, −1 for null: computed once so the E-step inner loop is two loads and two additions.
 */
function patternCells(table: PatternTable, offsets: Int32Array, activeIdx: Int32Array): Int32Array {
  const k = table.levelCounts.length;
  const a = activeIdx.length;
  const cells = new Int32Array(table.counts.length * a);
  for (let r = 0; r < table.counts.length; r++) {
    for (let j = 0; j < a; j++) {
      const comp = activeIdx[j] ?? 0;
      const level = table.patterns[r * k + comp] ?? 0;
      cells[r * a + j] = level === NULL ? -1 : (offsets[comp] ?? 0) + level;
    }
  }
  return cells;
}

function eStep(
  cells: Int32Array,
  width: number,
  counts: Float64Array,
  rowShift: Float64Array,
  lambda: number,
  m: Float64Array,
  u: Float64Array,
  out: EStats,
): void {
  const logM = m.map(Math.log);
  const logU = u.map(Math.log);
  const logLambda = Math.log(lambda);
  const logNonLambda = Math.log1p(-lambda);
  const { sumM, sumU } = out;
  sumM.fill(0);
  sumU.fill(0);
  let matches = 0;
  let ll = 0;
  for (let r = 0; r < counts.length; r++) {
    const c = counts[r] ?? 0;
    if (c === 0) continue;
    const base = r * width;
    const end = base + width;
    let lm = logLambda + (rowShift[r] ?? 0);
    let lu = logNonLambda;
    for (let p = base; p < end; p++) {
      const i = cells[p] ?? 0;
      if (i < 0) continue;
      lm += logM[i] ?? 0;
      lu += logU[i] ?? 0;
    }
    // Posterior and log(λΠm + (1−λ)Πu) in log space: with 10+ comparisons the products underflow.
    let post: number;
    let postNon: number;
    if (lm >= lu) {
      const e = Math.exp(lu - lm);
      post = 1 / (1 + e);
      postNon = e / (1 + e);
      ll += c * (lm + Math.log1p(e));
    } else if (lu > lm) {
      const e = Math.exp(lm - lu);
      post = e / (1 + e);
      postNon = 1 / (1 + e);
      ll += c * (lu + Math.log1p(e));
    } else {
      // Both −∞ cannot happen (λ and m are floored > 0); guarded so NaN never enters the sums.
      post = lambda;
      postNon = 1 - lambda;
      ll = Number.NEGATIVE_INFINITY;
    }
    // With a prior shift s the pattern's prior is σ(logit λ + s), i.e. the mixture weights are
    // λe^s and 1 − λ over their sum: the likelihood divides by it (log 1 = 0 without a shift).
    const sh = rowShift[r] ?? 0;
    if (sh !== 0) ll -= c * Math.log1p(lambda * Math.expm1(sh));
    const wm = c * post;
    const wu = c * postNon;
    matches += wm;
    for (let p = base; p < end; p++) {
      const i = cells[p] ?? 0;
      if (i < 0) continue;
      sumM[i] = (sumM[i] ?? 0) + wm;
      sumU[i] = (sumU[i] ?? 0) + wu;
    }
  }
  out.matches = matches;
  out.ll = ll;
}

/** Replaces each active row of `probs` by its floored maximiser; returns the largest change. */
function mStep(
  sums: Float64Array,
  probs: Float64Array,
  scratch: Float64Array,
  activeIdx: Int32Array,
  offsets: Int32Array,
  floor: number,
): number {
  let maxChange = 0;
  for (const c of activeIdx) {
    const start = at(offsets, c);
    const end = at(offsets, c + 1);
    // A comparison null in every pattern carries no information: keep its row.
    if (!projectRow(sums.subarray(start, end), floor, scratch, start)) continue;
    for (let i = start; i < end; i++) {
      const s = scratch[i] ?? 0;
      maxChange = Math.max(maxChange, Math.abs(s - (probs[i] ?? 0)));
      probs[i] = s;
    }
  }
  return maxChange;
}

/**
 * Writes to `out[offset..]` the maximiser of Σ w_l·log p_l subject to p_l ≥ floor and Σ p_l = 1: by the
 * KKT conditions the levels at the bound get `floor` and the rest share the remaining mass in
 * proportion to w_l. Levels are moved to the bound until none of the rest falls below it (the
 * largest never does while floor·L < 1). Returns false (writing nothing) if Σ w = 0.
 */
function projectRow(weights: Float64Array, floor: number, out: Float64Array, offset: number): boolean {
  let freeSum = 0;
  for (const w of weights) freeSum += w;
  if (!(freeSum > 0)) return false;
  const atFloor = new Uint8Array(weights.length);
  let mass = 1;
  for (let changed = true; changed; ) {
    changed = false;
    for (const [l, w] of weights.entries()) {
      if (atFloor[l] === 1 || (w / freeSum) * mass >= floor) continue;
      atFloor[l] = 1;
      mass -= floor;
      freeSum -= w;
      changed = true;
    }
  }
  for (const [l, w] of weights.entries()) {
    out[offset + l] = atFloor[l] === 1 ? floor : (w / freeSum) * mass;
  }
  return true;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}
