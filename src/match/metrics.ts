/**
 * Evaluation against ground truth (synthetic data): linkage quality and blocking quality.
 * A pair is `[leftId, rightId]`; duplicates count once.
 */

/** An identifier of a record: a string ID or a numeric index (the two are never equal). */
export type RecordKey = string | number;

/** Quality of a set of predicted links against the true links. */
export interface LinkageMetrics {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  /** TP / (TP + FP); 1 when nothing is predicted. */
  readonly precision: number;
  /** TP / (TP + FN); 1 when there is no true link. */
  readonly recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  readonly f1: number;
}

/** A set of pairs keyed left → rights, without building composite string keys (IDs may contain any character). */
class PairSet<K extends RecordKey> {
  private readonly byLeft = new Map<K, Set<K>>();
  size = 0;

  static of<K extends RecordKey>(pairs: Iterable<readonly [K, K]>): PairSet<K> {
    const set = new PairSet<K>();
    for (const [l, r] of pairs) set.add(l, r);
    return set;
  }

  add(l: K, r: K): void {
    let rights = this.byLeft.get(l);
    if (rights === undefined) {
      rights = new Set();
      this.byLeft.set(l, rights);
    }
    if (!rights.has(r)) {
      rights.add(r);
      this.size++;
    }
  }

  has(l: K, r: K): boolean {
    return this.byLeft.get(l)?.has(r) === true;
  }

  /** Number of pairs of `this` also in `other`. */
  overlap(other: PairSet<K>): number {
    let n = 0;
    for (const [l, rights] of this.byLeft) for (const r of rights) if (other.has(l, r)) n++;
    return n;
  }
}

/**
 * Precision, recall and F1 of predicted links against the true links.
 *
 * @example
 * ```ts
 * linkageMetrics([['p1', 'm1'], ['p2', 'm9']], [['p1', 'm1'], ['p3', 'm3']]);
 * // { truePositives: 1, falsePositives: 1, falseNegatives: 1, precision: 0.5, recall: 0.5, f1: 0.5 }
 * ```
 */
export function linkageMetrics<K extends RecordKey>(
  predicted: Iterable<readonly [K, K]>,
  truth: Iterable<readonly [K, K]>,
): LinkageMetrics {
  const p = PairSet.of(predicted);
  const t = PairSet.of(truth);
  const tp = p.overlap(t);
  const fp = p.size - tp;
  const fn = t.size - tp;
  const precision = p.size > 0 ? tp / p.size : 1;
  const recall = t.size > 0 ? tp / t.size : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1 };
}

/** Quality of a set of candidate pairs (blocking) against the true links. */
export interface PairCompleteness {
  /** Distinct candidate pairs. */
  readonly candidatePairs: number;
  /** Distinct true links. */
  readonly truePairs: number;
  /** True links among the candidates. */
  readonly truePairsFound: number;
  /** truePairsFound / truePairs (1 when there is no true link): the recall ceiling of the matcher. */
  readonly pairCompleteness: number;
  /** truePairsFound / candidatePairs (1 when there is no candidate). */
  readonly pairQuality: number;
  /** 1 − candidatePairs / (leftCount × rightCount), when both counts are given. */
  readonly reductionRatio?: number;
}

/**
 * Pair completeness (share of true links that blocking keeps as candidates), pair quality and,
 * given the list sizes, reduction ratio.
 *
 * @throws RangeError if leftCount/rightCount are given and not positive integers.
 * @example
 * ```ts
 * const candidates: [string, string][] = [['C1', 'M1'], ['C1', 'M2'], ['C2', 'M3']];
 * const truth: [string, string][] = [['C1', 'M1'], ['C3', 'M4']];
 * const pc = pairCompleteness(candidates, truth, { leftCount: 1000, rightCount: 5000 });
 * pc.pairCompleteness; // e.g. 0.995
 * ```
 */
export function pairCompleteness<K extends RecordKey>(
  candidates: Iterable<readonly [K, K]>,
  truth: Iterable<readonly [K, K]>,
  opts: { readonly leftCount?: number; readonly rightCount?: number } = {},
): PairCompleteness {
  const c = PairSet.of(candidates);
  const t = PairSet.of(truth);
  const found = t.overlap(c);
  const base = {
    candidatePairs: c.size,
    truePairs: t.size,
    truePairsFound: found,
    pairCompleteness: t.size > 0 ? found / t.size : 1,
    pairQuality: c.size > 0 ? found / c.size : 1,
  };
  const { leftCount, rightCount } = opts;
  if (leftCount === undefined || rightCount === undefined) return base;
  for (const [name, v] of [
    ['leftCount', leftCount],
    ['rightCount', rightCount],
  ] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`opts.${name} must be a positive integer`);
  }
  return { ...base, reductionRatio: 1 - c.size / (leftCount * rightCount) };
}
