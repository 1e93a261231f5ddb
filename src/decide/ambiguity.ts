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
