/**
 * Level conditions, evaluated for one left (CoC) record against a batch of its candidates at once:
 * each condition type says which encoded features it reads and compiles to one tight loop over the
 * candidates still undecided (left values hoisted), reading the right side from the plan's row store
 * (one record's fields in consecutive cache lines) and the Dice and-counts the kernel computed for
 * all candidates in one call. {@link condition} is the only place that knows the condition types.
 */
import { distance as levenshtein } from 'fastest-levenshtein';
import type { RowField, RowStore } from '../kernel/rows.js';
import type { BatchColumns, FeatureKind, SetColumn } from './columns.js';
import type { LevelCondition } from './comparisons.js';
import { jaroWinkler } from './jaro-winkler.js';

/** The and-counts of one left record's candidates, per pair of Bloom features (e.g. `CandidateDice`). */
export interface PreparedDice {
  /** Most candidates one `prepare` takes. */
  readonly capacity: number;
  /** Index of the (left `a`, right `b`) feature pair, or −1 when it is not prepared. */
  pairIndex(a: string, b: string): number;
  /** Popcounts of left feature `f` per record. */
  leftCounts(f: string): Uint16Array;
  /** And-counts of pair `p` with the candidates of the last `prepare` (index = candidate slot). */
  ands(p: number): Uint16Array;
  /** Computes the and-counts of left record `i` with candidates `J[0..n)`. */
  prepare(i: number, J: Uint32Array, n: number): void;
}

/**
 * One condition over the candidates of left record `i`: of the pending candidate slots
 * `pend[0..np)` (indices into `J`), those whose pair satisfies the condition go to
 * `hit[0..np − k)` and the others are compacted to `pend[0..k)`; returns k. `rows` is the right
 * list's row store as u32 words, `S` the words per row.
 */
export type Split = (
  i: number,
  J: Uint32Array,
  pend: Uint32Array,
  np: number,
  hit: Uint32Array,
  rows: Uint32Array,
  S: number,
) => number;

/**
 * What a condition compiles against: the left batch's columns, the right row store, the and-counts,
 * and the right batch's columns (read for strings only, which the row store does not hold).
 */
export interface ConditionContext {
  readonly left: BatchColumns;
  readonly right: BatchColumns;
  readonly store: RowStore;
  readonly dice: PreparedDice;
}

/** An encoded feature a condition reads (on both sides). */
export interface FeatureRead {
  readonly kind: FeatureKind;
  readonly name: string;
}

/** A level condition in batch form. */
export interface Condition {
  /** The features it reads, on both sides. */
  readonly reads: readonly FeatureRead[];
  /** The (left, right) Bloom feature pairs whose and-counts it reads. */
  readonly dicePairs: readonly (readonly [string, string])[];
  /** The condition's loop for a left batch and the right row store. */
  compile(ctx: ConditionContext): Split;
}

const hash = (name: string): FeatureRead => ({ kind: 'hash', name });
const set = (name: string): FeatureRead => ({ kind: 'set', name });
const bloom = (name: string): FeatureRead => ({ kind: 'bloom', name });
const text = (name: string): FeatureRead => ({ kind: 'text', name });

/**
 * The batch form of a level condition: what it reads and its loop (made once per condition object).
 * @example
 * ```ts
 * const c = condition({ type: 'exact', feature: 'dob' });
 * c.reads; // [{ kind: 'hash', name: 'dob' }]
 * const split = c.compile({ left: new BatchColumns(coc, 'CoC'), store, dice });
 * ```
 */
export function condition(c: LevelCondition): Condition {
  let known = conditionCache.get(c);
  if (!known) {
    known = batchCondition(c);
    conditionCache.set(c, known);
  }
  return known;
}

/** Conditions are plain data, read several times per run (row layout, Dice pairs, checks, compiling). */
const conditionCache = new WeakMap<LevelCondition, Condition>();

/**
 * The one place that knows the condition types: adding one means adding its case here (and its type
 * to `LevelCondition` in comparisons.ts); the compiler insists, since every case must return.
 */
function batchCondition(c: LevelCondition): Condition {
  switch (c.type) {
    case 'else':
      return { reads: [], dicePairs: [], compile: () => everySplit };
    case 'exact':
      return {
        reads: [hash(c.feature)],
        dicePairs: [],
        compile: (ctx) => exactSplit(ctx.left.hash(c.feature), field(ctx.store, c.feature).offset),
      };
    case 'cross':
      return {
        reads: [hash(c.a), hash(c.b)],
        dicePairs: [],
        compile: (ctx) =>
          crossSplit(
            ctx.left.hash(c.a),
            ctx.left.hash(c.b),
            field(ctx.store, c.a).offset,
            field(ctx.store, c.b).offset,
          ),
      };
    case 'overlap':
      return {
        reads: [set(c.feature)],
        dicePairs: [],
        compile: (ctx) => overlapSplit(ctx.left.set(c.feature), field(ctx.store, c.feature)),
      };
    case 'partOf':
      return {
        reads: [hash(c.whole), set(c.parts)],
        dicePairs: [],
        compile: (ctx) =>
          partOfSplit(
            ctx.left.hash(c.whole),
            ctx.left.set(c.parts),
            field(ctx.store, c.whole),
            field(ctx.store, c.parts),
          ),
      };
    case 'dice':
      return {
        reads: [bloom(c.feature)],
        dicePairs: [[c.feature, c.feature]],
        compile: (ctx) => diceSplit(ctx, c.min, [c.feature, c.feature]),
      };
    case 'crossDice':
      return {
        reads: [bloom(c.a), bloom(c.b)],
        dicePairs: [
          [c.a, c.b],
          [c.b, c.a],
        ],
        compile: (ctx) => diceSplit(ctx, c.min, [c.a, c.b], [c.b, c.a], c.both === true),
      };
    case 'jaroWinkler':
      return {
        reads: [text(c.feature)],
        dicePairs: [],
        compile: (ctx) => {
          const min = c.min;
          return stringSplit(
            ctx.left.text(c.feature),
            ctx.right.text(c.feature),
            (a, b) => jaroWinkler(a, b) >= min,
          );
        },
      };
    case 'crossJaroWinkler':
      return {
        reads: [text(c.a), text(c.b)],
        dicePairs: [],
        compile: (ctx) =>
          crossJaroWinklerSplit(
            [ctx.left.text(c.a), ctx.left.text(c.b)],
            [ctx.right.text(c.a), ctx.right.text(c.b)],
            c.min,
            c.both === true,
          ),
      };
    case 'levenshtein':
      return {
        reads: [text(c.feature)],
        dicePairs: [],
        compile: (ctx) => {
          const max = c.max;
          // The distance is at least the difference in length: most strangers are settled by it.
          return stringSplit(
            ctx.left.text(c.feature),
            ctx.right.text(c.feature),
            (a, b) => Math.abs(a.length - b.length) <= max && levenshtein(a, b) <= max,
          );
        },
      };
    case 'all': {
      const parts = c.of.map(condition);
      return {
        reads: parts.flatMap((p) => p.reads),
        dicePairs: parts.flatMap((p) => p.dicePairs),
        compile: (ctx) => allSplit(parts.map((p) => p.compile(ctx))),
      };
    }
  }
}

/**
 * A right-side field: word `offset` of each row (and the following `width − 1`).
 * @throws TypeError when the row store was laid out without it (see `batchRowSpec`)
 * @example
 * ```ts
 * const dob = field(store, 'dob');
 * rows[j * (store.stride / 4) + dob.offset]; // plan record j's DOB hash
 * ```
 */
export function field(store: RowStore, f: string): RowField {
  const r = store.fields[f];
  if (!r) throw new TypeError(`the row store has no field ${f}`);
  return r;
}

const everySplit: Split = (_i, _J, pend, np, hit) => {
  for (let q = 0; q < np; q++) hit[q] = pend[q]!;
  return 0;
};

function exactSplit(a: Uint32Array, off: number): Split {
  return (i, J, pend, np, hit, rows, S) => {
    const v = a[i]!;
    if (v === 0) return np;
    let k = 0;
    let h = 0;
    for (let q = 0; q < np; q++) {
      const x = pend[q]!;
      if (rows[J[x]! * S + off] === v) hit[h++] = x;
      else pend[k++] = x;
    }
    return k;
  };
}

function crossSplit(la: Uint32Array, lb: Uint32Array, offA: number, offB: number): Split {
  return (i, J, pend, np, hit, rows, S) => {
    const va = la[i]!;
    const vb = lb[i]!;
    if (va === 0 && vb === 0) return np;
    let k = 0;
    let h = 0;
    for (let q = 0; q < np; q++) {
      const x = pend[q]!;
      const r = J[x]! * S;
      if ((va !== 0 && va === rows[r + offB]) || (vb !== 0 && vb === rows[r + offA])) hit[h++] = x;
      else pend[k++] = x;
    }
    return k;
  };
}

/**
 * The non-zero prefix of left record i's set, with two 32-bit masks of its values' low bits: a right
 * value whose bits are not in both masks cannot be in the set, which settles nearly every
 * comparison of a non-matching pair in two tests instead of a scan of the set.
 */
class LeftSet {
  readonly values: Uint32Array;
  n = 0;
  m1 = 0;
  m2 = 0;
  constructor(private readonly col: SetColumn) {
    this.values = new Uint32Array(col.max);
  }
  load(i: number): number {
    const { values, max } = this.col;
    let n = 0;
    let m1 = 0;
    let m2 = 0;
    for (let x = 0; x < max; x++) {
      const v = values[i * max + x]!;
      if (v === 0) break;
      this.values[n++] = v;
      m1 |= 1 << (v & 31);
      m2 |= 1 << ((v >>> 5) & 31);
    }
    this.n = n;
    this.m1 = m1;
    this.m2 = m2;
    return n;
  }
  has(v: number): boolean {
    if (((this.m1 >>> (v & 31)) & (this.m2 >>> ((v >>> 5) & 31)) & 1) === 0) return false;
    for (let z = 0; z < this.n; z++) if (this.values[z] === v) return true;
    return false;
  }
}

function overlapSplit(a: SetColumn, b: RowField): Split {
  const mine = new LeftSet(a);
  return (i, J, pend, np, hit, rows, S) => {
    if (mine.load(i) === 0) return np;
    let k = 0;
    let h = 0;
    for (let q = 0; q < np; q++) {
      const x = pend[q]!;
      const base = J[x]! * S + b.offset;
      let found = false;
      for (let y = 0; y < b.width; y++) {
        const w = rows[base + y]!;
        if (w === 0) break;
        if (mine.has(w)) {
          found = true;
          break;
        }
      }
      if (found) hit[h++] = x;
      else pend[k++] = x;
    }
    return k;
  };
}

function partOfSplit(lw: Uint32Array, lp: SetColumn, rw: RowField, rp: RowField): Split {
  const mine = new LeftSet(lp);
  return (i, J, pend, np, hit, rows, S) => {
    mine.load(i);
    const whole = lw[i]!;
    let k = 0;
    let h = 0;
    for (let q = 0; q < np; q++) {
      const x = pend[q]!;
      const r = J[x]! * S;
      // Left whole among the right parts, right whole among the left parts, or a shared part.
      const w = rows[r + rw.offset]!;
      let found = w !== 0 && mine.has(w);
      for (let y = 0; y < rp.width && !found; y++) {
        const v = rows[r + rp.offset + y]!;
        if (v === 0) break;
        found = (v === whole && whole !== 0) || mine.has(v);
      }
      if (found) hit[h++] = x;
      else pend[k++] = x;
    }
    return k;
  };
}

/** Dice ≥ min of left[ab[0]] with right[ab[1]] (or, given `ba`, of left[ba[0]] with right[ba[1]]). */
function diceSplit(
  ctx: ConditionContext,
  min: number,
  ab: readonly [string, string],
  ba?: readonly [string, string],
  both = false,
): Split {
  const { dice, store } = ctx;
  const p = dice.pairIndex(ab[0], ab[1]);
  const p2 = ba ? dice.pairIndex(ba[0], ba[1]) : -1;
  if (p < 0 || (ba && p2 < 0)) throw new TypeError(`Dice pair ${ab[0]}/${ab[1]} was not prepared`);
  // Popcounts are 16-bit fields of the row.
  const c1 = field(store, `${ab[1]}#count`);
  const c2 = ba ? field(store, `${ba[1]}#count`) : c1;
  const [cOff, cShift, cOff2, cShift2] = [c1.offset, c1.shift, c2.offset, c2.shift];
  const [a2] = ba ?? ab;
  return (i, J, pend, np, hit, rows, S) => {
    // Views are taken per call: a growing (non-shared) kernel memory replaces its buffer.
    const ands = dice.ands(p);
    const ands2 = p2 >= 0 ? dice.ands(p2) : ands;
    const ci = dice.leftCounts(ab[0])[i]!;
    const ci2 = dice.leftCounts(a2)[i]!;
    let k = 0;
    let h = 0;
    for (let q = 0; q < np; q++) {
      const x = pend[q]!;
      const r = J[x]! * S;
      let ok = false;
      const cj = (rows[r + cOff]! >>> cShift) & 0xffff;
      // Popcount-difference pruning first (Dice ≤ 2·min(a,b)/(a+b)): part of the level's definition,
      // since at an exact boundary the bound's rounding can decide where the quotient would not.
      if (!(2 * Math.min(ci, cj) < min * (ci + cj))) {
        const tot = ci + cj;
        ok = (tot === 0 ? 0 : (2 * ands[x]!) / tot) >= min;
      }
      // Either way round (or, with `both`, both ways round).
      if (p2 >= 0 && ok === both) {
        ok = false;
        const cj2 = (rows[r + cOff2]! >>> cShift2) & 0xffff;
        if (!(2 * Math.min(ci2, cj2) < min * (ci2 + cj2))) {
          const tot = ci2 + cj2;
          ok = (tot === 0 ? 0 : (2 * ands2[x]!) / tot) >= min;
        }
      }
      if (ok) hit[h++] = x;
      else pend[k++] = x;
    }
    return k;
  };
}

/** `holds` of left record i's string and the candidate's, both non-empty (clear-text mode). */
function stringSplit(
  left: readonly string[],
  right: readonly string[],
  holds: (a: string, b: string) => boolean,
): Split {
  return (i, J, pend, np, hit) => {
    const a = left[i] ?? '';
    if (a === '') return np;
    let k = 0;
    let h = 0;
    for (let q = 0; q < np; q++) {
      const x = pend[q]!;
      const b = right[J[x]!] ?? '';
      if (b !== '' && holds(a, b)) hit[h++] = x;
      else pend[k++] = x;
    }
    return k;
  };
}

/** Jaro–Winkler of left a with right b, or (with `both`: and) of left b with right a, ≥ min. */
function crossJaroWinklerSplit(
  [la, lb]: readonly [readonly string[], readonly string[]],
  [ra, rb]: readonly [readonly string[], readonly string[]],
  min: number,
  both: boolean,
): Split {
  return (i, J, pend, np, hit) => {
    const a = la[i] ?? '';
    const b = lb[i] ?? '';
    if (a === '' && b === '') return np;
    let k = 0;
    let h = 0;
    for (let q = 0; q < np; q++) {
      const x = pend[q]!;
      const j = J[x]!;
      const rB = rb[j] ?? '';
      const rA = ra[j] ?? '';
      const ab = a !== '' && rB !== '' && jaroWinkler(a, rB) >= min;
      const ok = ab === both ? b !== '' && rA !== '' && jaroWinkler(b, rA) >= min : ab;
      if (ok) hit[h++] = x;
      else pend[k++] = x;
    }
    return k;
  };
}

/** All parts hold: the candidates are narrowed part by part, and each part's misses go back to `pend`. */
function allSplit(parts: readonly Split[]): Split {
  let a = new Uint32Array(0);
  let b = new Uint32Array(0);
  return (i, J, pend, np, hit, rows, S) => {
    if (a.length < np) {
      a = new Uint32Array(np);
      b = new Uint32Array(np);
    }
    // Candidates that satisfy every part so far: `pend` itself before the first part.
    let cand: Uint32Array = pend;
    let nc = np;
    let next: Uint32Array = a;
    let spare: Uint32Array = b;
    let misses = 0;
    for (let t = 0; t < parts.length && nc > 0; t++) {
      const k = parts[t]!(i, J, cand, nc, next, rows, S);
      if (cand === pend) misses = k;
      else for (let q = 0; q < k; q++) pend[misses++] = cand[q]!;
      nc -= k;
      if (cand !== pend) spare = cand;
      cand = next;
      next = spare;
    }
    for (let q = 0; q < nc; q++) hit[q] = cand[q]!;
    return misses;
  };
}
