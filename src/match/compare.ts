/**
 * Compiles comparisons into fast functions over two encoded batches: `(i, j) → level` for record i of
 * the left (CoC) batch and record j of the right (plan) batch. Works on keyed hashes and Bloom
 * filters only; never sees a key or clear text.
 */
import type { EncodedBatch } from '../encode/batch.js';
import { BloomlinkError } from '../errors.js';
import type { ComparisonSpec, DqField, LevelCondition } from './comparisons.js';
import { NULL_LEVEL } from './patterns.js';
import { andCount, asWords, popcounts } from './popcount.js';

/** A compiled comparison: level of pair (i, j), or NULL_LEVEL. */
export type LevelFn = (i: number, j: number) => number;

type Cond = (i: number, j: number) => boolean;

interface BloomView {
  readonly words: Uint32Array;
  readonly per: number;
  readonly counts: Uint16Array;
}

/** Per-side lookups shared by all compiled comparisons. */
class Side {
  private readonly blooms = new Map<string, BloomView>();
  constructor(
    readonly batch: EncodedBatch,
    private readonly label: string,
  ) {}
  hash(f: string): Uint32Array {
    const h = this.batch.hashes[f];
    if (!h)
      throw new BloomlinkError(
        'MODEL_INVALID',
        `comparison uses hash feature '${f}', which the ${this.label} file does not have`,
      );
    return h;
  }
  set(f: string): { values: Uint32Array; max: number } {
    const s = this.batch.sets[f];
    if (!s)
      throw new BloomlinkError(
        'MODEL_INVALID',
        `comparison uses set feature '${f}', which the ${this.label} file does not have`,
      );
    return { values: s, max: this.batch.length === 0 ? 1 : s.length / this.batch.length };
  }
  bloom(f: string): BloomView {
    let v = this.blooms.get(f);
    if (!v) {
      const b = this.batch.blooms[f];
      if (!b)
        throw new BloomlinkError(
          'MODEL_INVALID',
          `comparison uses Bloom feature '${f}', which the ${this.label} file does not have`,
        );
      const words = asWords(b);
      const per = this.batch.length === 0 ? 1 : words.length / this.batch.length;
      v = { words, per, counts: popcounts(words, per) };
      this.blooms.set(f, v);
    }
    return v;
  }
  private readonly sims = new Map<string, (i: number, j: number) => number>();
  /** The shared, memoised similarity of this side's feature `a` with the other side's feature `b`. */
  similarity(a: string, other: Side, b: string): (i: number, j: number) => number {
    const key = `${a}\u0000${b}`;
    let f = this.sims.get(key);
    if (!f) {
      f = similarityFn(this.bloom(a), other.bloom(b));
      this.sims.set(key, f);
    }
    return f;
  }
  has(f: string): boolean {
    return f in this.batch.hashes || f in this.batch.sets || f in this.batch.blooms;
  }
  /** Whether feature f of record i is present. */
  present(f: string): (i: number) => boolean {
    if (f in this.batch.hashes) {
      const h = this.batch.hashes[f]!;
      return (i) => h[i] !== 0;
    }
    if (f in this.batch.sets) {
      const { values, max } = this.set(f);
      return (i) => values[i * max] !== 0;
    }
    const b = this.bloom(f);
    return (i) => b.counts[i] !== 0;
  }
  dq(field: DqField): Uint8Array {
    return field === 'name' ? this.batch.nameDq : field === 'dob' ? this.batch.dobDq : this.batch.ssnDq;
  }
}

function setsOverlap(
  a: Uint32Array,
  ai: number,
  an: number,
  b: Uint32Array,
  bi: number,
  bn: number,
): boolean {
  for (let x = 0; x < an; x++) {
    const v = a[ai + x]!;
    if (v === 0) break;
    for (let y = 0; y < bn; y++) {
      const w = b[bi + y]!;
      if (w === 0) break;
      if (v === w) return true;
    }
  }
  return false;
}

function inSet(v: number, s: Uint32Array, si: number, n: number): boolean {
  if (v === 0) return false;
  for (let y = 0; y < n; y++) {
    const w = s[si + y]!;
    if (w === 0) return false;
    if (w === v) return true;
  }
  return false;
}

/**
 * Dice similarity of left[a] and right[b], memoised for the last pair: several levels of a
 * comparison test the same similarity against different thresholds.
 */
function similarityFn(L: BloomView, R: BloomView): (i: number, j: number) => number {
  const per = L.per;
  if (R.per !== per)
    throw new BloomlinkError('SCHEMA_MISMATCH', 'Bloom filter sizes differ between the two files');
  let li = -1;
  let lj = -1;
  let last = 0;
  return (i, j) => {
    if (i === li && j === lj) return last;
    li = i;
    lj = j;
    const tot = L.counts[i]! + R.counts[j]!;
    last = tot === 0 ? 0 : (2 * andCount(L.words, i * per, R.words, j * per, per)) / tot;
    return last;
  };
}

function diceFn(side: Side, other: Side, a: string, b: string, min: number): Cond {
  const L = side.bloom(a);
  const R = other.bloom(b);
  const sim = side.similarity(a, other, b);
  return (i, j) => {
    const ci = L.counts[i]!;
    const cj = R.counts[j]!;
    // Popcount-difference pruning: Dice ≤ 2·min(a,b)/(a+b).
    if (2 * Math.min(ci, cj) < min * (ci + cj)) return false;
    return sim(i, j) >= min;
  };
}

function compileCond(c: LevelCondition, l: Side, r: Side): Cond {
  switch (c.type) {
    case 'else':
      return () => true;
    case 'exact': {
      const a = l.hash(c.feature);
      const b = r.hash(c.feature);
      return (i, j) => a[i] !== 0 && a[i] === b[j];
    }
    case 'cross': {
      const la = l.hash(c.a);
      const lb = l.hash(c.b);
      const ra = r.hash(c.a);
      const rb = r.hash(c.b);
      return (i, j) => (la[i] !== 0 && la[i] === rb[j]) || (lb[i] !== 0 && lb[i] === ra[j]);
    }
    case 'overlap': {
      const a = l.set(c.feature);
      const b = r.set(c.feature);
      return (i, j) => setsOverlap(a.values, i * a.max, a.max, b.values, j * b.max, b.max);
    }
    case 'partOf': {
      const lw = l.hash(c.whole);
      const rw = r.hash(c.whole);
      const lp = l.set(c.parts);
      const rp = r.set(c.parts);
      return (i, j) =>
        inSet(lw[i]!, rp.values, j * rp.max, rp.max) ||
        inSet(rw[j]!, lp.values, i * lp.max, lp.max) ||
        setsOverlap(lp.values, i * lp.max, lp.max, rp.values, j * rp.max, rp.max);
    }
    case 'dice':
      return diceFn(l, r, c.feature, c.feature, c.min);
    case 'crossDice': {
      const ab = diceFn(l, r, c.a, c.b, c.min);
      const ba = diceFn(l, r, c.b, c.a, c.min);
      return (i, j) => ab(i, j) || ba(i, j);
    }
    case 'all': {
      const parts = c.of.map((x) => compileCond(x, l, r));
      return (i, j) => parts.every((p) => p(i, j));
    }
  }
}

const UNKNOWN_DQ = new Uint8Array(256);
UNKNOWN_DQ[8] = 1;
UNKNOWN_DQ[9] = 1;
UNKNOWN_DQ[99] = 1;

/**
 * Compiles one comparison for a left and a right batch.
 * @example
 * ```ts
 * const level = compileComparison(DEFAULT_COMPARISONS[3]!, coc, mcp); // DOB
 * level(0, 0); // e.g. 0 (exact) or NULL_LEVEL
 * ```
 */
export function compileComparison(spec: ComparisonSpec, left: EncodedBatch, right: EncodedBatch): LevelFn {
  return compileWithSides(spec, new Side(left, 'CoC'), new Side(right, 'plan'));
}

/**
 * Compiles all comparisons, sharing per-side caches (popcounts).
 * @example
 * ```ts
 * const fns = compileComparisons(DEFAULT_COMPARISONS, coc, mcp);
 * const levels = fns.map((f) => f(i, j));
 * ```
 */
export function compileComparisons(
  specs: readonly ComparisonSpec[],
  left: EncodedBatch,
  right: EncodedBatch,
): LevelFn[] {
  const l = new Side(left, 'CoC');
  const r = new Side(right, 'plan');
  return specs.map((s) => compileWithSides(s, l, r));
}

function compileWithSides(spec: ComparisonSpec, l: Side, r: Side): LevelFn {
  const reqL = spec.requires.map((f) => l.present(f));
  const reqR = spec.requires.map((f) => r.present(f));
  const conds = spec.levels.map((lv) => compileCond(lv.when, l, r));
  const n = conds.length;
  const dqL = spec.dq ? l.dq(spec.dq) : undefined;
  const dqR = spec.dq ? r.dq(spec.dq) : undefined;
  const split = spec.splitByDq === true;
  return (i, j) => {
    for (let k = 0; k < reqL.length; k++) if (!reqL[k]!(i) || !reqR[k]!(j)) return NULL_LEVEL;
    let offset = 0;
    if (dqL && dqR) {
      const a = dqL[i]!;
      const b = dqR[j]!;
      if (UNKNOWN_DQ[a] || UNKNOWN_DQ[b]) return NULL_LEVEL;
      if (split && (a === 2 || b === 2)) offset = n;
    }
    for (let k = 0; k < n; k++) if (conds[k]!(i, j)) return k + offset;
    return n - 1 + offset;
  };
}
