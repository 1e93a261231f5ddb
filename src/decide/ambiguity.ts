/**
 * The ambiguity rule: a link whose CoC record or plan record has another candidate almost as strong
 * (within `margin` bits of match weight, i.e. at least 2^−margin times as likely) goes to clerical
 * review instead of being accepted, because one-to-one assignment had to pick between two nearly
 * equal explanations (a nameless record matching on DOB alone, twins, a duplicate member record).
 */
import type { ScoredPairs } from './assign.js';

interface Best {
  best: Float64Array;
  count: Uint32Array;
  second: Float64Array;
}

function bestByRecord(ids: Uint32Array, weight: Float64Array): Map<number, number> & { stats: Best } {
  const index = new Map<number, number>();
  for (let k = 0; k < ids.length; k++) if (!index.has(ids[k]!)) index.set(ids[k]!, index.size);
  const n = index.size;
  const stats: Best = {
    best: new Float64Array(n).fill(Number.NEGATIVE_INFINITY),
    count: new Uint32Array(n),
    second: new Float64Array(n).fill(Number.NEGATIVE_INFINITY),
  };
  for (let k = 0; k < ids.length; k++) {
    const r = index.get(ids[k]!)!;
    const w = weight[k]!;
    if (w > stats.best[r]!) {
      stats.second[r] = stats.best[r]!;
      stats.best[r] = w;
      stats.count[r] = 1;
    } else if (w === stats.best[r]) {
      stats.count[r]!++;
    } else if (w > stats.second[r]!) {
      stats.second[r] = w;
    }
  }
  return Object.assign(index, { stats });
}

function competitor(w: number, s: Best, r: number): number {
  if (w < s.best[r]!) return s.best[r]!;
  return s.count[r]! > 1 ? s.best[r]! : s.second[r]!;
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
    const k = kept[x]!;
    const w = pairs.weight[k]!;
    const c = Math.max(
      competitor(w, L.stats, L.get(pairs.left[k]!)!),
      competitor(w, R.stats, R.get(pairs.right[k]!)!),
    );
    if (c >= w - margin) out[x] = 1;
  }
  return out;
}
