/**
 * Measured precision, recall and F1 of the links against known true pairs, at every threshold of
 * the table at once: each link is looked up in the labels once, counted in the bucket between two
 * adjacent thresholds, and suffix sums give "links with probability ≥ t" for every t. O(L log T)
 * for L links and T thresholds, without sorting the links.
 */
import type { Link } from '../match/match.js';
import { at } from '../util/defined.js';
import type { ReportMeasured } from './types.js';

/**
 * Distinct true pairs, keyed PersonalID → MemberID(s). Most clients have one true member, so a
 * single string is stored until a second one appears (a million Sets would dominate the cost).
 * No composite string keys: IDs may hold any character.
 * @throws TypeError if a pair is not two strings.
 * @example
 * ```ts
 * const truth = new TruthSet([['p1', 'm1'], ['p1', 'm1'], ['p2', 'm2']]);
 * truth.size; // 2
 * truth.has('p1', 'm1'); // true
 * ```
 */
export class TruthSet {
  private readonly byLeft = new Map<string, string | Set<string>>();
  /** Distinct pairs. */
  size = 0;

  constructor(pairs: Iterable<readonly [string, string]>) {
    for (const pair of pairs) {
      if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
        throw new TypeError('opts.truth must be pairs [PersonalID, MemberID] of strings');
      }
      const [l, r] = pair;
      const cur = this.byLeft.get(l);
      if (cur === undefined) this.byLeft.set(l, r);
      else if (typeof cur === 'string') {
        if (cur === r) continue;
        this.byLeft.set(l, new Set([cur, r]));
      } else {
        if (cur.has(r)) continue;
        cur.add(r);
      }
      this.size++;
    }
  }

  has(personalId: string, memberId: string): boolean {
    const cur = this.byLeft.get(personalId);
    return cur === undefined ? false : typeof cur === 'string' ? cur === memberId : cur.has(memberId);
  }
}

/**
 * Which links the labels confirm (1) or not (0), one lookup per link.
 * @example
 * ```ts
 * const flags = truthFlags(result.links, new TruthSet(truePairs));
 * ```
 */
export function truthFlags(links: readonly Link[], truth: TruthSet): Uint8Array {
  const flags = new Uint8Array(links.length);
  for (const [i, l] of links.entries()) if (truth.has(l.personalId, l.memberId)) flags[i] = 1;
  return flags;
}

/**
 * Precision/recall/F1 from counts, with the conventions of `linkageMetrics` (precision 1 when
 * nothing is predicted, recall 1 when there is no true pair).
 * @example
 * ```ts
 * measured(8, 10, 16); // { truePositives: 8, falsePositives: 2, falseNegatives: 8, precision: 0.8, recall: 0.5, … }
 * ```
 */
export function measured(truePositives: number, predicted: number, truePairs: number): ReportMeasured {
  const precision = predicted > 0 ? truePositives / predicted : 1;
  const recall = truePairs > 0 ? truePositives / truePairs : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return {
    truePositives,
    falsePositives: predicted - truePositives,
    falseNegatives: truePairs - truePositives,
    precision,
    recall,
    f1,
  };
}

/** Number of sorted values ≤ p. */
function upperBound(sorted: Float64Array, p: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) <= p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Metrics of "the links with probability ≥ t" for each threshold t, in the order given.
 * @example
 * ```ts
 * const flags = truthFlags(result.links, truth);
 * measureByThreshold(result.links, flags, truth.size, [0.5, 0.9]); // [metrics at 0.5, metrics at 0.9]
 * ```
 */
export function measureByThreshold(
  links: readonly Link[],
  flags: Uint8Array,
  truePairs: number,
  thresholds: readonly number[],
): ReportMeasured[] {
  const sorted = Float64Array.from(thresholds).sort();
  // Bucket b holds the links with sorted[b-1] ≤ p < sorted[b]: at or above exactly b thresholds.
  const count = new Float64Array(sorted.length + 1);
  const tp = new Float64Array(sorted.length + 1);
  for (const [i, link] of links.entries()) {
    const b = upperBound(sorted, link.probability);
    count[b] = (count[b] ?? 0) + 1;
    tp[b] = (tp[b] ?? 0) + (flags[i] ?? 0);
  }
  // Suffix sums: above[j] = links at or above sorted[j] = buckets j+1 … end.
  const above = new Float64Array(sorted.length + 1);
  const aboveTp = new Float64Array(sorted.length + 1);
  for (let b = sorted.length; b >= 1; b--) {
    above[b - 1] = (above[b] ?? 0) + (count[b] ?? 0);
    aboveTp[b - 1] = (aboveTp[b] ?? 0) + (tp[b] ?? 0);
  }
  return thresholds.map((t) => {
    // The first index of t among equal sorted values: all links ≥ t are in the buckets after it.
    let j = upperBound(sorted, t) - 1;
    while (j > 0 && sorted[j - 1] === t) j--;
    return measured(at(aboveTp, j), at(above, j), truePairs);
  });
}
