/**
 * The ambiguity rule: a link whose CoC record or plan record has another candidate almost as strong
 * (within `margin` bits of match weight, i.e. at least 2^−margin times as likely) goes to clerical
 * review instead of being accepted, because one-to-one assignment had to pick between two nearly
 * equal explanations (a nameless record matching on DOB alone, twins, a duplicate member record).
 */
import { defined } from '../util/defined.js';
import type { ScoredPairs } from './assign.js';

interface Best {
  best: Float64Array;
  count: Uint32Array;
  second: Float64Array;
}

function bestByRecord(ids: Uint32Array, weight: Float64Array): Map<number, number> & { stats: Best } {
  const index = new Map<number, number>();
  for (const id of ids) if (!index.has(id)) index.set(id, index.size);
  const n = index.size;
  const stats: Best = {
    best: new Float64Array(n).fill(Number.NEGATIVE_INFINITY),
    count: new Uint32Array(n),
    second: new Float64Array(n).fill(Number.NEGATIVE_INFINITY),
  };
  for (let k = 0; k < ids.length; k++) {
    const r = defined(index.get(ids[k] ?? 0), 'record index');
    const w = weight[k] ?? 0;
    const best = stats.best[r] ?? 0;
    if (w > best) {
      stats.second[r] = best;
      stats.best[r] = w;
      stats.count[r] = 1;
    } else if (w === best) {
      stats.count[r] = (stats.count[r] ?? 0) + 1;
    } else if (w > (stats.second[r] ?? 0)) {
      stats.second[r] = w;
    }
  }
  return Object.assign(index, { stats });
}

function competitor(w: number, s: Best, r: number): number {
  const best = s.best[r] ?? 0;
  if (w < best) return best;
  return (s.count[r] ?? 0) > 1 ? best : (s.second[r] ?? 0);
}

/**
 * For each kept pair, whether another candidate of its left or right record comes within `margin`
 * bits of its weight.
 * @example
 * ```ts
 * const flags = ambiguousPairs(pairs, kept, 1); // flags[x] = 1 when kept[x] is ambiguous
 * ```
 */
export function ambiguousPairs(pairs: ScoredPairs, kept: Uint32Array, margin: number): Uint8Array {
  const out = new Uint8Array(kept.length);
  if (!(margin > 0)) return out;
  const L = bestByRecord(pairs.left, pairs.weight);
  const R = bestByRecord(pairs.right, pairs.weight);
  for (let x = 0; x < kept.length; x++) {
    const k = kept[x] ?? 0;
    const w = pairs.weight[k] ?? 0;
    const c = Math.max(
      competitor(w, L.stats, defined(L.get(pairs.left[k] ?? 0), 'CoC record of a kept pair')),
      competitor(w, R.stats, defined(R.get(pairs.right[k] ?? 0), 'plan record of a kept pair')),
    );
    if (c >= w - margin) out[x] = 1;
  }
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
  /** The best and second-best pair of each record, by weight and then by `tie` (−1: none). */
  firstK: Int32Array;
  secondK: Int32Array;
}

function rankByRecord(
  ids: Uint32Array,
  weight: Float64Array,
  tie: (a: number, b: number) => number,
): { index: Map<number, number>; s: Ranked } {
  const index = new Map<number, number>();
  for (const id of ids) if (!index.has(id)) index.set(id, index.size);
  const n = index.size;
  const s: Ranked = { firstK: new Int32Array(n).fill(-1), secondK: new Int32Array(n).fill(-1) };
  // A total order (weight, then the caller's tie-break), so the competitor named does not depend on
  // the order of the pairs. Indices come from the loops below, always in range: `?? ` defaults are
  // never taken.
  const better = (a: number, b: number): boolean =>
    b < 0 || (weight[a] ?? 0) > (weight[b] ?? 0) || (weight[a] === weight[b] && tie(a, b) < 0);
  for (let k = 0; k < ids.length; k++) {
    const r = index.get(ids[k] ?? 0) ?? 0;
    const first = s.firstK[r] ?? -1;
    if (better(k, first)) {
      s.secondK[r] = first;
      s.firstK[r] = k;
    } else if (better(k, s.secondK[r] ?? -1)) s.secondK[r] = k;
  }
  return { index, s };
}

/** The strongest pair other than `k` of record `r` (−1: none). */
function strongestOther(s: Ranked, r: number, k: number): number {
  return s.firstK[r] !== k ? (s.firstK[r] ?? -1) : (s.secondK[r] ?? -1);
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
    const k = kept[x] ?? 0;
    const lk = strongestOther(L.s, L.index.get(pairs.left[k] ?? 0) ?? 0, k);
    const rk = strongestOther(R.s, R.index.get(pairs.right[k] ?? 0) ?? 0, k);
    const wl = pairs.weight[lk] ?? 0;
    const wr = pairs.weight[rk] ?? 0;
    const ck = lk < 0 ? rk : rk < 0 ? lk : wr > wl || (wr === wl && tie(rk, lk) < 0) ? rk : lk;
    if (ck >= 0) {
      weight[x] = pairs.weight[ck] ?? 0;
      pair[x] = ck;
    }
  }
  return { weight, pair };
}
