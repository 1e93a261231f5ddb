/**
 * Blocking keys of one record: every combination of a pass's part hashes (read from the root
 * entries of `RootTable`s), mixed into the pass's keyed seed, finalised, duplicates removed. Runs
 * for every pass of every record, so it works in reused typed arrays and allocates nothing.
 */

import { defined } from '../util/defined.js';
import type { RootTable } from './root-table.js';

/**
 * A blocking pass resolved to table positions.
 * @example
 * ```ts
 * const plan: PassPlan = { seed, roots: Int32Array.of(2, 4), heads: Int32Array.of(5, 9), pair: Int32Array.of(0, 0, 0) };
 * ```
 */
export interface PassPlan {
  /** The keyed per-pass seed. */
  readonly seed: number;
  /** Per part: the root index whose entry holds it, or −1 for the first/last-name Soundex pair. */
  readonly roots: Int32Array;
  /** Per part: the entry word holding the offset of the part's `[count, hashes…]` run. */
  readonly heads: Int32Array;
  /** The Soundex pair's heads: first-name Soundex and canonical Soundex (first root), last-name Soundex (last root). */
  readonly pair: Int32Array;
}

/** murmur3's 32-bit block mix, to combine keyed component hashes into a blocking key. */
function mix(h: number, x: number): number {
  let k = Math.imul(x, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let r = h ^ k;
  r = (r << 13) | (r >>> 19);
  return (Math.imul(r, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0 || 1;
}

/**
 * Computes blocking keys into a reused buffer.
 * @example
 * ```ts
 * const keyer = new BlockKeyer(FIRST, LAST);
 * const n = keyer.keys(plan, tables, starts);
 * column.append(keyer.out, n);
 * ```
 */
export class BlockKeyer {
  private a = new Int32Array(64);
  private b = new Int32Array(64);
  /** The keys of the last {@link BlockKeyer.keys} call (its return value says how many). */
  out = new Uint32Array(64);

  /** @param first - index of the first-name root; @param last - of the last-name root. */
  constructor(
    private readonly first: number,
    private readonly last: number,
  ) {}

  /**
   * The keys of one pass for the record whose root entries start at `starts` (−1: root absent);
   * 0 when a part has no value.
   */
  keys(plan: PassPlan, tables: readonly RootTable[], starts: Int32Array): number {
    // Most parts hold one value (one Soundex, one year, one initial): while they do, the pass has
    // one partial key, mixed here without the arrays; the first part with more (or none, or the
    // Soundex pair) hands that partial key to `spread`, which continues from there.
    const roots = plan.roots;
    const heads = plan.heads;
    let h = plan.seed;
    for (let p = 0; p < roots.length; p++) {
      const root = roots[p] ?? 0;
      if (root >= 0) {
        const s = starts[root] ?? -1;
        if (s < 0) return 0;
        const w = defined(tables[root], 'root table').words;
        const o = s + (w[s + (heads[p] ?? 0)] ?? 0);
        if (w[o] === 1) {
          h = mix(h, w[o + 1] ?? 0);
          continue;
        }
      }
      return this.spread(plan, tables, starts, p, h);
    }
    this.out[0] = fmix(h);
    return 1;
  }

  /**
   * {@link BlockKeyer.keys} from part `from` on, every combination of the parts' values after the
   * partial key `h` of the parts before it.
   */
  private spread(
    plan: PassPlan,
    tables: readonly RootTable[],
    starts: Int32Array,
    from: number,
    h: number,
  ): number {
    let a = this.a;
    let b = this.b;
    let na = 1;
    a[0] = h;
    const roots = plan.roots;
    for (let p = from; p < roots.length; p++) {
      const root = roots[p] ?? 0;
      let nb = 0;
      if (root < 0) {
        const sl = starts[this.last] ?? -1;
        const sf = starts[this.first] ?? -1;
        if (sl < 0 || sf < 0) return 0;
        const wl = defined(tables[this.last], 'last-name root table').words;
        const ol = sl + (wl[sl + (plan.pair[2] ?? 0)] ?? 0);
        if (wl[ol] === 0) return 0;
        const l = wl[ol + 1] ?? 0;
        const wf = defined(tables[this.first], 'first-name root table').words;
        const o1 = sf + (wf[sf + (plan.pair[0] ?? 0)] ?? 0);
        const o2 = sf + (wf[sf + (plan.pair[1] ?? 0)] ?? 0);
        const n1 = wf[o1] ?? 0;
        const n2 = wf[o2] ?? 0;
        if (n1 + n2 === 0) return 0;
        if (na * (n1 + n2) > b.length) b = new Int32Array(2 * na * (n1 + n2));
        for (let c = 0; c < na; c++) {
          const x = a[c] ?? 0;
          for (let j = 1; j <= n1; j++) {
            const f = wf[o1 + j] ?? 0;
            b[nb++] = mix(mix(x, Math.min(f, l)), Math.max(f, l));
          }
          for (let j = 1; j <= n2; j++) {
            const f = wf[o2 + j] ?? 0;
            b[nb++] = mix(mix(x, Math.min(f, l)), Math.max(f, l));
          }
        }
      } else {
        const s = starts[root] ?? -1;
        if (s < 0) return 0;
        const w = defined(tables[root], 'root table').words;
        const o = s + (w[s + (plan.heads[p] ?? 0)] ?? 0);
        const n = w[o] ?? 0;
        if (n === 0) return 0;
        if (na * n > b.length) b = new Int32Array(2 * na * n);
        for (let c = 0; c < na; c++) {
          const x = a[c] ?? 0;
          for (let j = 1; j <= n; j++) b[nb++] = mix(x, w[o + j] ?? 0);
        }
      }
      const t = a;
      a = b;
      b = t;
      na = nb;
    }
    this.a = a;
    this.b = b;
    if (na > this.out.length) this.out = new Uint32Array(2 * na);
    const keys = this.out;
    let nk = 0;
    for (let c = 0; c < na; c++) {
      const k = fmix(a[c] ?? 0);
      let seen = false;
      for (let q = 0; q < nk && !seen; q++) seen = keys[q] === k;
      if (!seen) keys[nk++] = k;
    }
    return nk;
  }
}
