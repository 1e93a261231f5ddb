import type { Rng } from './prng.js';

/**
 * Samples strings in proportion to integer weights: a cumulative `Float64Array` and a binary
 * search, O(log n) per draw with no allocation.
 *
 * @example
 * ```ts
 * const t = new WeightedTable(['SMITH', 'JONES'], [3, 1]);
 * t.sample(rng); // 'SMITH' three times out of four
 * ```
 */
export class WeightedTable {
  /** The values, in the order given. */
  readonly values: readonly string[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(values: readonly string[], weights: ArrayLike<number>) {
    if (values.length === 0 || values.length !== weights.length) {
      throw new RangeError('values must be non-empty and as long as weights');
    }
    this.values = values;
    this.cumulative = new Float64Array(values.length);
    let sum = 0;
    for (let i = 0; i < values.length; i++) {
      const w = weights[i] as number;
      if (!(w > 0)) throw new RangeError('weights must be positive');
      sum += w;
      this.cumulative[i] = sum;
    }
    this.total = sum;
  }

  /** A value drawn with probability weight / total. */
  sample(rng: Rng): string {
    return this.values[this.indexFor(rng.float() * this.total)] as string;
  }

  /** Index of the first cumulative weight above `r` (0 ≤ r < total). */
  private indexFor(r: number): number {
    const c = this.cumulative;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((c[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/**
 * Unpacks a generated whitespace-separated table (see `names-data.ts`) into a {@link WeightedTable}.
 *
 * @example
 * ```ts
 * const t = unpackTable('SMITH JONES', '3 1');
 * ```
 */
export function unpackTable(names: string, weights: string): WeightedTable {
  const n = names.trim().split(/\s+/);
  const w = weights.trim().split(/\s+/).map(Number);
  return new WeightedTable(n, w);
}
