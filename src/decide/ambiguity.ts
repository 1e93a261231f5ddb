/**
 * The ambiguity rule: a link whose CoC record or plan record has another candidate almost as strong
 * (within `margin` bits of match weight, i.e. at least 2^−margin times as likely) goes to clerical
 * review instead of being accepted, because one-to-one assignment had to pick between two nearly
 * equal explanations (a nameless record matching on DOB alone, twins, a duplicate member record).
 */
import { type Compacted, compactIds, type ScoredPairs } from './assign.js';

/** Per record (dense id): the best weight, how many pairs have it, and the best weight below it. */
interface Best {
  best: Float64Array;
  count: Uint32Array;
  second: Float64Array;
}

function bestByRecord(slots: Compacted, weight: Float64Array): Best {
  const n = slots.count;
  const s: Best = {
    best: new Float64Array(n).fill(Number.NEGATIVE_INFINITY),
    count: new Uint32Array(n),
    second: new Float64Array(n).fill(Number.NEGATIVE_INFINITY),
  };
  const { best, count, second } = s;
  const ids = slots.ids;
  for (let k = 0; k < ids.length; k++) {
    const r = ids[k]!;
    const w = weight[k]!;
    const b = best[r]!;
    if (w > b) {
      second[r] = b;
      best[r] = w;
      count[r] = 1;
    } else if (w === b) {
      count[r]!++;
    } else if (w > second[r]!) {
      second[r] = w;
    }
  }
  return s;
}

function competitor(w: number, s: Best, r: number): number {
  const best = s.best[r]!;
  if (w < best) return best;
  return s.count[r]! > 1 ? best : s.second[r]!;
}

/**
 * For each kept pair, whether another candidate of its left or right record comes within `margin`
 * bits of its weight. (The same flags as {@link ambiguousOf} on {@link closestCompetitors}' weights,
 * which `assembleMatch` uses, the competitors being needed anyway.)
 * @example
 * ```ts
 * const flags = ambiguousPairs(pairs, kept, 1); // flags[x] = 1 when kept[x] is ambiguous
 * ```
 */
export function ambiguousPairs(pairs: ScoredPairs, kept: Uint32Array, margin: number): Uint8Array {
  const out = new Uint8Array(kept.length);
  if (!(margin > 0)) return out;
  const lSlots = compactIds(pairs.left);
  const rSlots = compactIds(pairs.right);
  const L = bestByRecord(lSlots, pairs.weight);
  const R = bestByRecord(rSlots, pairs.weight);
  for (let x = 0; x < kept.length; x++) {
    const k = kept[x]!;
    const w = pairs.weight[k]!;
    const c = Math.max(competitor(w, L, lSlots.ids[k]!), competitor(w, R, rSlots.ids[k]!));
    if (c >= w - margin) out[x] = 1;
  }
  return out;
}

/**
 * The ambiguity flags of the kept pairs from their closest competitors: kept pair x is ambiguous
 * when its strongest competitor's weight comes within `margin` bits of its own (none with a margin
 * ≤ 0). The strongest other pair of a record has the largest weight among that record's other
 * pairs, whatever the tie rule, so these are exactly {@link ambiguousPairs}' flags, without a second
 * pass over the pairs.
 * @example
 * ```ts
 * const flags = ambiguousOf(pairs, kept, closestCompetitors(pairs, kept), 1);
 * ```
 */
export function ambiguousOf(
  pairs: ScoredPairs,
  kept: Uint32Array,
  competitors: Competitors,
  margin: number,
): Uint8Array {
  const out = new Uint8Array(kept.length);
  if (!(margin > 0)) return out;
  for (let x = 0; x < kept.length; x++)
    if (competitors.weight[x]! >= pairs.weight[kept[x]!]! - margin) out[x] = 1;
  return out;
}

/** The strongest other candidate of each kept pair, from {@link closestCompetitors}. */
export interface Competitors {
  /** Weight of the strongest other pair sharing the CoC or the plan record; −∞ when there is none. */
  readonly weight: Float64Array;
  /** Index (into the scored pairs) of that pair; −1 when there is none. */
  readonly pair: Int32Array;
}

interface Ranked {
  /** Per pair, its record's dense id. */
  slot: Uint32Array;
  /** The best and second-best pair of each record (dense id), by weight and then by `tie` (−1: none). */
  firstK: Int32Array;
  secondK: Int32Array;
}

function rankByRecord(
  index: Uint32Array,
  weight: Float64Array,
  tie: (a: number, b: number) => number,
): Ranked {
  const { ids: slot, count } = compactIds(index);
  const firstK = new Int32Array(count).fill(-1);
  const secondK = new Int32Array(count).fill(-1);
  // A total order (weight, then the caller's tie-break), so the competitor named does not depend on
  // the order of the pairs.
  for (let k = 0; k < slot.length; k++) {
    const r = slot[k]!;
    const w = weight[k]!;
    const first = firstK[r]!;
    if (first < 0) {
      firstK[r] = k;
      continue;
    }
    const wf = weight[first]!;
    if (w > wf || (w === wf && tie(k, first) < 0)) {
      secondK[r] = first;
      firstK[r] = k;
      continue;
    }
    const second = secondK[r]!;
    if (second < 0) {
      secondK[r] = k;
      continue;
    }
    const ws = weight[second]!;
    if (w > ws || (w === ws && tie(k, second) < 0)) secondK[r] = k;
  }
  return { slot, firstK, secondK };
}

/** The strongest pair other than `k` of the record of pair `k` (−1: none). */
function strongestOther(s: Ranked, k: number): number {
  const r = s.slot[k]!;
  const first = s.firstK[r]!;
  return first !== k ? first : s.secondK[r]!;
}

/**
 * For each kept pair, the strongest other candidate pair of its CoC record or its plan record (the
 * "close competitor" that the ambiguity rule measures): its weight and its index, so a report can
 * say which pair competed and by how many bits. Equal weights are ordered by `tie` (default: pair
 * index; a caller passes an order by record IDs so the answer does not depend on row order).
 * @example
 * ```ts
 * const c = closestCompetitors(pairs, kept);
 * const margin = pairs.weight[kept[0]] - c.weight[0]; // bits ahead of the competitor
 * ```
 */
export function closestCompetitors(
  pairs: ScoredPairs,
  kept: Uint32Array,
  tie: (a: number, b: number) => number = (a, b) => a - b,
): Competitors {
  const L = rankByRecord(pairs.left, pairs.weight, tie);
  const R = rankByRecord(pairs.right, pairs.weight, tie);
  const weight = new Float64Array(kept.length).fill(Number.NEGATIVE_INFINITY);
  const pair = new Int32Array(kept.length).fill(-1);
  for (let x = 0; x < kept.length; x++) {
    const k = kept[x]!;
    const lk = strongestOther(L, k);
    const rk = strongestOther(R, k);
    const wl = pairs.weight[lk] ?? 0;
    const wr = pairs.weight[rk] ?? 0;
    const ck = lk < 0 ? rk : rk < 0 ? lk : wr > wl || (wr === wl && tie(rk, lk) < 0) ? rk : lk;
    if (ck >= 0) {
      weight[x] = pairs.weight[ck]!;
      pair[x] = ck;
    }
  }
  return { weight, pair };
}
