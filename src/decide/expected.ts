/**
 * The expected precision and recall of the links, from a one-to-one mixture over the scored pairs
 * (issue #13). The pairwise Fellegi–Sunter probability p of a pair ignores the other pairs of its
 * records: it treats every pair as an independent draw with prior λ. But a record of the smaller
 * list has at most one true partner, so its candidates compete: when one candidate carries strong
 * evidence and the others none, the probability that the record has a match concentrates on it,
 * and when a record's only candidate is weak, whether the record has a match at all decides.
 * The mixture models exactly that — each record of the smaller list has a match with probability
 * π, uniformly among the other list's records a priori — and fits π by EM on the pairs' likelihood
 * ratios (their match weights without the prior). It never uses λ, so λ's errors do not reach it,
 * and it does not choose anything: the links stay those the thresholds chose.
 */

/** The scored pairs the mixture reads: pair k is `left[k]` ↔ `right[k]` with match weight `weight[k]`. */
export interface MixturePairs {
  readonly left: ArrayLike<number>;
  readonly right: ArrayLike<number>;
  readonly weight: ArrayLike<number>;
}

/** The fitted one-to-one mixture. */
export interface OneToOneMixture {
  /** The list the mixture is taken over (the smaller one; the CoC list on a tie). */
  readonly side: 'left' | 'right';
  /** π: the share of that list's records with a true match among their compared pairs. */
  readonly share: number;
  /**
   * Expected true matches among the compared pairs: Σ over that list's records of the probability
   * that the record has a match (= π × the list's length at the fit).
   */
  readonly trueMatches: number;
  /** β as given: the share of true pairs never scored (no blocking pass caught them). */
  readonly unseen: number;
  /** Of `trueMatches`, the expected true matches whose partner was never scored (Σ_i π β / ((1 − π) + a_i)). */
  readonly unseenMatches: number;
  /** P(pair k is a true match), given all the scored pairs of its record. */
  readonly probability: Float64Array;
  /**
   * Σ h (1 − h) over that list's records, h = P(the record has a match): how far `trueMatches`
   * moves if every likelihood ratio were off by a factor e (d T / d ln c). Large when many records
   * rest on weak evidence (one name, or the DOB alone).
   */
  readonly trueMatchesSensitivity: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** EM stops when π moves less than this. */
const TOLERANCE = 1e-10;
const MAX_ITERATIONS = 2000;
/** |ln LR| above this is certainty either way (e^1e4 is far beyond any double's reach of 1). */
const LN_LR_BOUND = 1e4;
/** π stays inside (0, 1) so that log(1 − π) and log π are finite. */
const PI_BOUND = 1e-12;

/**
 * Fits the one-to-one mixture: record i of the smaller list (n records; the other list has M) has
 * a match with probability π, each other-list record equally likely a priori (π / M). Given the
 * likelihood ratios LR_k = 2^(w_k − priorWeight) of its scored pairs (pairs never scored count
 * as LR 0), P(i has a match) = a_i / ((1 − π) + a_i) with a_i = (π / M) Σ_k LR_k, and the pair k
 * of i is the match with probability (π / M) LR_k / ((1 − π) + a_i). EM updates π to the mean of
 * P(i has a match) until it settles. Every sum runs over sorted values, so the result does not
 * depend on the order of the records or of the pairs (row-order independence, test/match).
 *
 * @param pairs - the scored pairs: left and right record indices and match weights.
 * @param o - `leftCount` and `rightCount`, the two lists' sizes (the whole lists, not only the
 *   records with pairs), and `priorWeight`, log2(λ / (1 − λ)) of the model that scored the pairs
 *   (removed from each weight, so λ itself plays no part).
 * @throws RangeError when a list length is not a positive integer, the arrays differ in length, or
 *   a record index is out of range.
 * @example
 * ```ts
 * // Record 0 has one strong candidate, record 1 a weak one, record 2 none.
 * const mix = oneToOneMixture(
 *   { left: [0, 1], right: [0, 1], weight: [20, -5] },
 *   { leftCount: 3, rightCount: 1000, priorWeight: -10 },
 * );
 * mix.probability[0]; // ≈ 1
 * mix.trueMatches; // ≈ 1 to 2
 * ```
 */
export function oneToOneMixture(
  pairs: MixturePairs,
  o: {
    readonly leftCount: number;
    readonly rightCount: number;
    readonly priorWeight: number;
    readonly unseen?: number;
  },
): OneToOneMixture {
  const { leftCount, rightCount, priorWeight } = o;
  const beta = o.unseen ?? 0;
  if (!(beta >= 0 && beta < 1)) throw new RangeError('unseen must be in [0, 1)');
  for (const [name, v] of [
    ['leftCount', leftCount],
    ['rightCount', rightCount],
  ] as const)
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer`);
  if (!Number.isFinite(priorWeight)) throw new RangeError('priorWeight must be finite');
  const n = pairs.weight.length;
  if (pairs.left.length !== n || pairs.right.length !== n)
    throw new RangeError('pairs.left, pairs.right and pairs.weight must have the same length');
  const side = leftCount <= rightCount ? 'left' : 'right';
  const own = side === 'left' ? pairs.left : pairs.right;
  const records = side === 'left' ? leftCount : rightCount;
  const others = side === 'left' ? rightCount : leftCount;
  // ln LR of each pair, grouped by record (counting sort), and ln Σ LR per record, summed over the
  // record's values in ascending order: the same bits whatever the order of the rows and pairs.
  const lnLr = new Float64Array(n);
  const start = new Uint32Array(records + 1);
  for (let k = 0; k < n; k++) {
    const i = own[k] ?? -1;
    if (!Number.isInteger(i) || i < 0 || i >= records) throw new RangeError(`pair ${k}: record out of range`);
    const v = ((pairs.weight[k] ?? Number.NaN) - priorWeight) * Math.LN2;
    if (Number.isNaN(v)) throw new RangeError(`pair ${k}: weight is not a number`);
    // An infinite weight (a level with u = 0 or m = 0) is certainty either way: finite stand-ins
    // keep the log-sum-exp finite.
    lnLr[k] = Math.min(Math.max(v, -LN_LR_BOUND), LN_LR_BOUND);
    start[i + 1] = (start[i + 1] ?? 0) + 1;
  }
  for (let i = 0; i < records; i++) start[i + 1] = (start[i + 1] ?? 0) + (start[i] ?? 0);
  const grouped = new Float64Array(n);
  const fill = start.slice(0, records);
  for (let k = 0; k < n; k++) {
    const i = own[k] ?? 0;
    const at = fill[i] ?? 0;
    grouped[at] = lnLr[k] ?? 0;
    fill[i] = at + 1;
  }
  const lnS = new Float64Array(records).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < records; i++) {
    const from = start[i] ?? 0;
    const to = start[i + 1] ?? 0;
    if (to === from) continue;
    sortRange(grouped, from, to);
    const peak = grouped[to - 1] ?? 0;
    let sum = 0;
    for (let q = from; q < to; q++) sum += Math.exp((grouped[q] ?? 0) - peak);
    lnS[i] = peak + Math.log(sum);
  }
  // Records in ascending ln S: EM's sums then do not depend on the record order either.
  const sortedLnS = lnS.slice().sort();
  const lnM = Math.log(others);
  const lnBeta = Math.log(beta);
  // ln a_i = ln π + (ln Σ LR_i − ln M) with no unseen share, and ln π + ln(Σ LR_i / M + β) with one:
  // a per-iteration term plus a per-record one, the latter computed once (EM's iterations then cost
  // one exp a record). Evaluated as (ln π − ln M) + ln Σ LR_i, resp. ln π + logAddExp(…), in that
  // order, so every bit is what the per-record formula gave.
  const lnC = new Float64Array(records);
  for (let r = 0; r < records; r++) {
    const v = sortedLnS[r] ?? Number.NEGATIVE_INFINITY;
    lnC[r] = beta > 0 ? logAddExp(v - lnM, lnBeta) : v;
  }
  // Runs of equal ln C (sorted, so equal values are adjacent; many records share their evidence):
  // each run's term is computed once and added once per record, in the same order, so the sums
  // are the per-record loop's to the bit. Runs of −∞ (records without pairs) add 0 and are dropped.
  const { values: runC, lengths: runN } = runsOf(lnC);
  const runs = runC.length;
  /** The per-iteration term of ln a_i. */
  const lnPiTerm = (pi: number): number => (beta > 0 ? Math.log(pi) : Math.log(pi) - lnM);
  let pi = 0.5;
  let iterations = 0;
  let converged = false;
  while (iterations < MAX_ITERATIONS) {
    const total = matchedTotal(runC, runN, lnPiTerm(pi), Math.log1p(-pi));
    const next = Math.min(Math.max(total / records, PI_BOUND), 1 - PI_BOUND);
    iterations++;
    const moved = Math.abs(next - pi);
    pi = next;
    if (moved < TOLERANCE) {
      converged = true;
      break;
    }
  }
  let trueMatches = 0;
  let trueMatchesSensitivity = 0;
  let unseenMatches = 0;
  const lp = lnPiTerm(pi);
  const ln1mPi = Math.log1p(-pi);
  for (let d = 0; d < runs; d++) {
    const c = runC[d] as number;
    const lnA = lp + c;
    if (lnA === Number.NEGATIVE_INFINITY) continue;
    const h = 1 / (1 + Math.exp(ln1mPi - lnA));
    const s = h * (1 - h);
    // The part of h that is the unseen partner: π β / ((1 − π) + a).
    const u = beta > 0 ? h * Math.exp(lnBeta - c) : 0;
    for (let q = runN[d] as number; q > 0; q--) {
      trueMatches += h;
      trueMatchesSensitivity += s;
      if (beta > 0) unseenMatches += u;
    }
  }
  // ln((1 − π) + a_i) per record, stably, then each pair's share of it.
  const lnDen = new Float64Array(records);
  for (let i = 0; i < records; i++) {
    const lnS_i = lnS[i] ?? Number.NEGATIVE_INFINITY;
    const lnA = lp + (beta > 0 ? logAddExp(lnS_i - lnM, lnBeta) : lnS_i);
    lnDen[i] =
      lnA > ln1mPi ? lnA + Math.log1p(Math.exp(ln1mPi - lnA)) : ln1mPi + Math.log1p(Math.exp(lnA - ln1mPi));
  }
  const probability = new Float64Array(n);
  const lnPiM = Math.log(pi) - lnM;
  for (let k = 0; k < n; k++) {
    const i = own[k] ?? 0;
    probability[k] = Math.min(1, Math.exp(lnPiM + (lnLr[k] ?? 0) - (lnDen[i] as number)));
  }
  return {
    side,
    share: pi,
    trueMatches,
    unseen: beta,
    unseenMatches,
    probability,
    trueMatchesSensitivity,
    iterations,
    converged,
  };
}

/**
 * Sorts `a[from..to)` in place, ascending, as `subarray(from, to).sort()` would (the values are
 * finite): insertion sort for the few values most records have, the typed array's sort beyond.
 */
function sortRange(a: Float64Array, from: number, to: number): void {
  if (to - from > 16) {
    a.subarray(from, to).sort();
    return;
  }
  for (let q = from + 1; q < to; q++) {
    const v = a[q] ?? 0;
    let p = q - 1;
    while (p >= from && (a[p] ?? 0) > v) {
      a[p + 1] = a[p] ?? 0;
      p--;
    }
    a[p + 1] = v;
  }
}

/** Runs of equal adjacent values (−∞ runs dropped): each run's value and length. */
function runsOf(xs: Float64Array): { values: Float64Array; lengths: Uint32Array } {
  const values = new Float64Array(xs.length);
  const lengths = new Uint32Array(xs.length);
  let runs = 0;
  for (let r = 0; r < xs.length; ) {
    const v = xs[r] ?? 0;
    let e = r + 1;
    while (e < xs.length && Object.is(xs[e], v)) e++;
    if (v !== Number.NEGATIVE_INFINITY) {
      values[runs] = v;
      lengths[runs] = e - r;
      runs++;
    }
    r = e;
  }
  return { values: values.subarray(0, runs), lengths: lengths.subarray(0, runs) };
}

/**
 * One EM iteration's Σ_i P(record i has a match) over the runs of equal ln C (`runC`, `runN`):
 * P = a / ((1 − π) + a) = 1 / (1 + (1 − π) / a), 0 when a = 0, with ln a = `lp` + ln C. A function
 * of its own (typed arrays and numbers only) so that the optimising compiler takes it whole after a
 * few iterations: inside {@link oneToOneMixture} the loop ran in baseline code, its optimised
 * version dropped (deoptimised) on reaching code after the loop that had not run yet. The same
 * operations in the same order as before: the same bits.
 */
function matchedTotal(runC: Float64Array, runN: Uint32Array, lp: number, ln1mPi: number): number {
  let total = 0;
  for (let d = 0; d < runC.length; d++) {
    const lnA = lp + (runC[d] as number);
    if (lnA === Number.NEGATIVE_INFINITY) continue;
    const h = 1 / (1 + Math.exp(ln1mPi - lnA));
    for (let c = runN[d] as number; c > 0; c--) total += h;
  }
  return total;
}

/** ln(e^x + e^y), stably (either may be −∞). */
function logAddExp(x: number, y: number): number {
  if (x === Number.NEGATIVE_INFINITY) return y;
  if (y === Number.NEGATIVE_INFINITY) return x;
  return x > y ? x + Math.log1p(Math.exp(y - x)) : y + Math.log1p(Math.exp(x - y));
}

/** The expected quality of the automatic links (`MatchResult.expected`; docs/scoring.md §8). */
export interface ExpectedQuality {
  /** How the figures were estimated. */
  readonly method: 'one-to-one mixture';
  /** The list the mixture was taken over (the smaller one). */
  readonly side: 'coc' | 'mcp';
  /** π: share of that list's records with a true match among their compared pairs. */
  readonly share: number;
  /** Expected true matches among the compared pairs (the denominator of `recall`). */
  readonly trueMatches: number;
  /** Automatic links (status `match`). */
  readonly links: number;
  /** Expected true links among them: Σ P over the automatic links. */
  readonly trueLinks: number;
  /** Standard deviation of the wrong automatic links: √Σ P (1 − P). */
  readonly wrongSd: number;
  /**
   * How far the expected counts move if every likelihood ratio were off by a factor e (the model's
   * calibration, not chance): wrong links by Σ P (1 − P) over the automatic links, true matches by
   * the mixture's `trueMatchesSensitivity`. The trust panel widens its intervals by these.
   */
  readonly sensitivity: { readonly wrong: number; readonly trueMatches: number };
  /**
   * The true pairs no blocking pass caught (`block/unseen.ts`): β, the estimated share of true pairs
   * never scored, and the expected true matches of `trueMatches` whose partner was never scored
   * (0 and 0 when not estimated).
   */
  readonly unseen: { readonly share: number; readonly matches: number };
  /** Expected true pairs among the review links: Σ P over them. */
  readonly reviewTrueLinks: number;
  /** trueLinks / links (1 without links). */
  readonly precision: number;
  /** trueLinks / trueMatches (1 when no match is expected). */
  readonly recall: number;
  /**
   * The pairwise model's own figures for the same links, for comparison: wrong = Σ (1 − p) over the
   * automatic links, and its estimate of all true matches (λ × possible pairs, `estimateTrueMatches`).
   * Where the two disagree, the comparisons are not independent given a match (FEBRL 4).
   */
  readonly pairwise: { readonly wrong: number; readonly trueMatches: number };
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Summarises a fitted mixture over the links: Σ P over the automatic links (`match`, pair indices
 * into the mixture's pairs) and over the review links, with the pairwise model's figures beside.
 * @example
 * ```ts
 * const pairs = { left: [0, 1], right: [0, 1], weight: [20, -5] };
 * const mix = oneToOneMixture(pairs, { leftCount: 3, rightCount: 1000, priorWeight: -10 });
 * const q = expectedQuality(mix, { match: [0], review: [1] }, { wrong: 0.2, trueMatches: 2 });
 * q.precision; // expected share of right automatic links
 * ```
 */
export function expectedQuality(
  mix: OneToOneMixture,
  links: { readonly match: ArrayLike<number>; readonly review: ArrayLike<number> },
  pairwise: { readonly wrong: number; readonly trueMatches: number },
): ExpectedQuality {
  const pick = (k: number): number => {
    const p = mix.probability[k];
    if (p === undefined) throw new RangeError(`link pair ${k} is not a pair of the mixture`);
    return p;
  };
  // Sums in sorted order: the same total whatever order the links come in.
  const sortedSum = (xs: Float64Array): number => xs.sort().reduce((a, x) => a + x, 0);
  const matchP = Float64Array.from(links.match, pick);
  const reviewP = Float64Array.from(links.review, pick);
  const trueLinks = sortedSum(matchP.slice());
  const variance = sortedSum(matchP.map((p) => p * (1 - p)));
  const n = matchP.length;
  return {
    method: 'one-to-one mixture',
    side: mix.side === 'left' ? 'coc' : 'mcp',
    share: mix.share,
    trueMatches: mix.trueMatches,
    links: n,
    trueLinks,
    wrongSd: Math.sqrt(variance),
    sensitivity: { wrong: variance, trueMatches: mix.trueMatchesSensitivity },
    unseen: { share: mix.unseen, matches: mix.unseenMatches },
    reviewTrueLinks: sortedSum(reviewP),
    precision: n > 0 ? trueLinks / n : 1,
    recall: mix.trueMatches > 0 ? Math.min(1, trueLinks / mix.trueMatches) : 1,
    pairwise,
    iterations: mix.iterations,
    converged: mix.converged,
  };
}
