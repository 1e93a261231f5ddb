/**
 * Compiles comparisons into fast functions over two encoded batches: `(i, j) → level` for record i of
 * the left (CoC) batch and record j of the right (plan) batch. Works on keyed hashes and Bloom
 * filters only; never sees a key or clear text.
 */
import type { EncodedBatch } from '../encoded/batch.js';
import { BloomlinkError } from '../errors.js';
import type { KernelMemory } from '../kernel/memory.js';
import { type RowField, type RowSpec, type RowStore, readField } from '../kernel/rows.js';
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

// ---------------------------------------------------------------------------------------------
// Batch form: the levels of one left record against all its candidates at once. Each level's
// condition runs as one tight loop over the candidates still undecided (left values hoisted),
// reading the right side from a row store (one record's fields in consecutive cache lines), and
// the Dice levels read and-counts the kernel computed for all candidates in one call. Gives exactly
// the levels of the per-pair form (tested).
// ---------------------------------------------------------------------------------------------

/**
 * Decides a level for some of the pending candidates of left record `i`: writes `level` to `out[x]`
 * for those that satisfy the condition and compacts the others to the front of `pend`, returning
 * their number. `rows` is the right list's row store as u32 words, `S` the words per row.
 */
type Filter = (
  i: number,
  J: Uint32Array,
  pend: Uint32Array,
  np: number,
  out: Uint8Array,
  level: number,
  rows: Uint32Array,
  S: number,
) => number;

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

/** The right list's row store and the memory holding it. */
export interface RightRows {
  readonly store: RowStore;
  readonly memory: KernelMemory;
}

/** One comparison in batch form. */
export interface BatchComparison {
  /** Writes the level of pair (i, J[x]) to `out[x]` for every x < n (after `dice.prepare(i, J, n)`). */
  levels(i: number, J: Uint32Array, n: number, out: Uint8Array): void;
}

/**
 * The (left, right) Bloom feature pairs the Dice levels of `specs` compare, in a fixed order.
 * @example
 * ```ts
 * diceFeaturePairs(DEFAULT_COMPARISONS);
 * // [['firstBloom', 'firstBloom'], ['firstBloom', 'lastBloom'], ['lastBloom', 'firstBloom'], ['lastBloom', 'lastBloom']]
 * ```
 */
export function diceFeaturePairs(specs: readonly ComparisonSpec[]): [string, string][] {
  const seen = new Map<string, [string, string]>();
  const visit = (c: LevelCondition): void => {
    if (c.type === 'dice') seen.set(`${c.feature}\u0000${c.feature}`, [c.feature, c.feature]);
    else if (c.type === 'crossDice') {
      seen.set(`${c.a}\u0000${c.b}`, [c.a, c.b]);
      seen.set(`${c.b}\u0000${c.a}`, [c.b, c.a]);
    } else if (c.type === 'all') c.of.forEach(visit);
  };
  for (const s of specs) for (const lv of s.levels) visit(lv.when);
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

const DQ_FIELDS: Readonly<Record<DqField, 'nameDq' | 'dobDq' | 'ssnDq'>> = {
  name: 'nameDq',
  dob: 'dobDq',
  ssn: 'ssnDq',
};

/**
 * What the right list's row store must hold for the batch form of `specs`: every hash, hash set,
 * Bloom filter and data-quality column a level, a null rule or a Dice pair reads.
 * @example
 * ```ts
 * const rows = buildRowStore(kernels, mcp.length, batchRowSpec(DEFAULT_COMPARISONS, mcp));
 * ```
 */
export function batchRowSpec(specs: readonly ComparisonSpec[], right: EncodedBatch): RowSpec {
  const names = new Set<string>();
  const dq = new Set<DqField>();
  const visit = (c: LevelCondition): void => {
    switch (c.type) {
      case 'exact':
      case 'overlap':
      case 'dice':
        names.add(c.feature);
        break;
      case 'cross':
      case 'crossDice':
        names.add(c.a);
        names.add(c.b);
        break;
      case 'partOf':
        names.add(c.whole);
        names.add(c.parts);
        break;
      case 'all':
        c.of.forEach(visit);
        break;
      case 'else':
        break;
    }
  };
  for (const s of specs) {
    for (const f of s.requires) names.add(f);
    if (s.dq) dq.add(s.dq);
    for (const lv of s.levels) visit(lv.when);
  }
  const side = new Side(right, 'plan');
  const fields: { name: string; width: number; values: ArrayLike<number>; bits?: 8 }[] = [];
  const filters: { name: string; bytes: Uint8Array }[] = [];
  for (const f of [...names].sort()) {
    if (f in right.hashes) fields.push({ name: f, width: 1, values: side.hash(f) });
    else if (f in right.sets) {
      const s = side.set(f);
      fields.push({ name: f, width: s.max, values: s.values });
    } else {
      side.bloom(f); // throws MODEL_INVALID for a feature the file does not have
      filters.push({ name: f, bytes: right.blooms[f]! });
    }
  }
  for (const d of [...dq].sort()) fields.push({ name: DQ_FIELDS[d], width: 1, values: side.dq(d), bits: 8 });
  return { fields, filters };
}

/** A right-side field: word `off` of each row (and the following `width − 1`). */
function field(rows: RowStore, f: string): RowField {
  const r = rows.fields[f];
  if (!r) throw new TypeError(`the row store has no field ${f}`);
  return r;
}

function exactFilter(a: Uint32Array, off: number): Filter {
  return (i, J, pend, np, out, level, rows, S) => {
    const v = a[i]!;
    if (v === 0) return np;
    let k = 0;
    for (let q = 0; q < np; q++) {
      const x = pend[q]!;
      if (rows[J[x]! * S + off] === v) out[x] = level;
      else pend[k++] = x;
    }
    return k;
  };
}

function crossFilter(la: Uint32Array, lb: Uint32Array, offA: number, offB: number): Filter {
  return (i, J, pend, np, out, level, rows, S) => {
    const va = la[i]!;
    const vb = lb[i]!;
    if (va === 0 && vb === 0) return np;
    let k = 0;
    for (let q = 0; q < np; q++) {
      const x = pend[q]!;
      const r = J[x]! * S;
      if ((va !== 0 && va === rows[r + offB]) || (vb !== 0 && vb === rows[r + offA])) out[x] = level;
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
  constructor(private readonly col: { values: Uint32Array; max: number }) {
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

function overlapFilter(a: { values: Uint32Array; max: number }, b: RowField): Filter {
  const mine = new LeftSet(a);
  return (i, J, pend, np, out, level, rows, S) => {
    if (mine.load(i) === 0) return np;
    let k = 0;
    for (let q = 0; q < np; q++) {
      const x = pend[q]!;
      const base = J[x]! * S + b.offset;
      let hit = false;
      for (let y = 0; y < b.width; y++) {
        const w = rows[base + y]!;
        if (w === 0) break;
        if (mine.has(w)) {
          hit = true;
          break;
        }
      }
      if (hit) out[x] = level;
      else pend[k++] = x;
    }
    return k;
  };
}

function partOfFilter(
  lw: Uint32Array,
  lp: { values: Uint32Array; max: number },
  rw: RowField,
  rp: RowField,
): Filter {
  const mine = new LeftSet(lp);
  return (i, J, pend, np, out, level, rows, S) => {
    mine.load(i);
    const whole = lw[i]!;
    let k = 0;
    for (let q = 0; q < np; q++) {
      const x = pend[q]!;
      const r = J[x]! * S;
      // Left whole among the right parts, right whole among the left parts, or a shared part.
      const w = rows[r + rw.offset]!;
      let hit = w !== 0 && mine.has(w);
      for (let y = 0; y < rp.width && !hit; y++) {
        const v = rows[r + rp.offset + y]!;
        if (v === 0) break;
        hit = (v === whole && whole !== 0) || mine.has(v);
      }
      if (hit) out[x] = level;
      else pend[k++] = x;
    }
    return k;
  };
}

function diceFilter(
  dice: PreparedDice,
  store: RowStore,
  min: number,
  ab: [string, string],
  ba?: [string, string],
): Filter {
  const p = dice.pairIndex(ab[0], ab[1]);
  const p2 = ba ? dice.pairIndex(ba[0], ba[1]) : -1;
  if (p < 0 || (ba && p2 < 0)) throw new TypeError(`Dice pair ${ab[0]}/${ab[1]} was not prepared`);
  // Popcounts are 16-bit fields of the row.
  const c1 = field(store, `${ab[1]}#count`);
  const c2 = ba ? field(store, `${ba[1]}#count`) : c1;
  const [cOff, cShift, cOff2, cShift2] = [c1.offset, c1.shift, c2.offset, c2.shift];
  const [a2] = ba ?? ab;
  return (i, J, pend, np, out, level, rows, S) => {
    // Views are taken per call: a growing (non-shared) kernel memory replaces its buffer.
    const ands = dice.ands(p);
    const ands2 = p2 >= 0 ? dice.ands(p2) : ands;
    const ci = dice.leftCounts(ab[0])[i]!;
    const ci2 = dice.leftCounts(a2)[i]!;
    let k = 0;
    for (let q = 0; q < np; q++) {
      const x = pend[q]!;
      const r = J[x]! * S;
      let ok = false;
      const cj = (rows[r + cOff]! >>> cShift) & 0xffff;
      // Popcount-difference pruning, then Dice, exactly as the per-pair form.
      if (!(2 * Math.min(ci, cj) < min * (ci + cj))) {
        const tot = ci + cj;
        ok = (tot === 0 ? 0 : (2 * ands[x]!) / tot) >= min;
      }
      if (!ok && p2 >= 0) {
        const cj2 = (rows[r + cOff2]! >>> cShift2) & 0xffff;
        if (!(2 * Math.min(ci2, cj2) < min * (ci2 + cj2))) {
          const tot = ci2 + cj2;
          ok = (tot === 0 ? 0 : (2 * ands2[x]!) / tot) >= min;
        }
      }
      if (ok) out[x] = level;
      else pend[k++] = x;
    }
    return k;
  };
}

/** A condition on (left record i, right row word index r), for conjunctions. */
type RowPred = (i: number, r: number, rows: Uint32Array) => boolean;

function rowPred(c: LevelCondition, l: Side, r: Side, store: RowStore): RowPred | undefined {
  switch (c.type) {
    case 'exact': {
      const a = l.hash(c.feature);
      const off = field(store, c.feature).offset;
      return (i, row, rows) => a[i] !== 0 && a[i] === rows[row + off];
    }
    case 'cross': {
      const la = l.hash(c.a);
      const lb = l.hash(c.b);
      const oa = field(store, c.a).offset;
      const ob = field(store, c.b).offset;
      return (i, row, rows) =>
        (la[i] !== 0 && la[i] === rows[row + ob]) || (lb[i] !== 0 && lb[i] === rows[row + oa]);
    }
    case 'all': {
      const parts = c.of.map((x) => rowPred(x, l, r, store));
      if (parts.some((p) => p === undefined)) return undefined;
      const ps = parts as RowPred[];
      return (i, row, rows) => {
        for (let k = 0; k < ps.length; k++) if (!ps[k]!(i, row, rows)) return false;
        return true;
      };
    }
    default:
      return undefined;
  }
}

function rowPredFilter(pred: RowPred): Filter {
  return (i, J, pend, np, out, level, rows, S) => {
    let k = 0;
    for (let q = 0; q < np; q++) {
      const x = pend[q]!;
      if (pred(i, J[x]! * S, rows)) out[x] = level;
      else pend[k++] = x;
    }
    return k;
  };
}

/** Any other condition, pair by pair through the per-pair form (right records by index). */
function genericFilter(pred: Cond): Filter {
  return (i, J, pend, np, out, level) => {
    let k = 0;
    for (let q = 0; q < np; q++) {
      const x = pend[q]!;
      if (pred(i, J[x]!)) out[x] = level;
      else pend[k++] = x;
    }
    return k;
  };
}

function compileFilter(c: LevelCondition, l: Side, r: Side, store: RowStore, dice: PreparedDice): Filter {
  switch (c.type) {
    case 'else':
      return (_i, _J, pend, np, out, level) => {
        for (let q = 0; q < np; q++) out[pend[q]!] = level;
        return 0;
      };
    case 'exact':
      return exactFilter(l.hash(c.feature), field(store, c.feature).offset);
    case 'cross':
      return crossFilter(l.hash(c.a), l.hash(c.b), field(store, c.a).offset, field(store, c.b).offset);
    case 'overlap':
      return overlapFilter(l.set(c.feature), field(store, c.feature));
    case 'partOf':
      return partOfFilter(l.hash(c.whole), l.set(c.parts), field(store, c.whole), field(store, c.parts));
    case 'dice':
      return diceFilter(dice, store, c.min, [c.feature, c.feature]);
    case 'crossDice':
      return diceFilter(dice, store, c.min, [c.a, c.b], [c.b, c.a]);
    case 'all': {
      const pred = rowPred(c, l, r, store);
      return pred ? rowPredFilter(pred) : genericFilter(compileCond(c, l, r));
    }
  }
}

/** Presence of left feature f: record i has it when `values[i * stride] !== 0`. */
function leftPresence(side: Side, f: string): { values: Uint32Array | Uint16Array; stride: number } {
  if (f in side.batch.hashes) return { values: side.hash(f), stride: 1 };
  if (f in side.batch.sets) {
    const s = side.set(f);
    return { values: s.values, stride: s.max };
  }
  return { values: side.bloom(f).counts, stride: 1 };
}

/** The field of a right row that is non-zero when feature f is present. */
function rightPresence(store: RowStore, f: string): RowField {
  const filter = store.filters[f];
  return filter ? field(store, filter.countField) : field(store, f);
}

function compileBatch(
  spec: ComparisonSpec,
  l: Side,
  r: Side,
  right: RightRows,
  dice: PreparedDice,
): BatchComparison {
  const store = right.store;
  const reqL = spec.requires.map((f) => leftPresence(l, f));
  const reqR = spec.requires.map((f) => rightPresence(store, f));
  const filters = spec.levels.map((lv) => compileFilter(lv.when, l, r, store, dice));
  const n = filters.length;
  const dqL = spec.dq ? l.dq(spec.dq) : undefined;
  const dqField = spec.dq ? field(store, DQ_FIELDS[spec.dq]) : undefined;
  const dqOff = dqField ? dqField.offset : -1;
  const dqShift = dqField ? dqField.shift : 0;
  const split = spec.splitByDq === true;
  const S = store.stride / 4;
  let pend = new Uint32Array(1024);
  let rows: Uint32Array = new Uint32Array(0);
  return {
    levels(i, J, count, out) {
      for (let k = 0; k < reqL.length; k++)
        if (reqL[k]!.values[i * reqL[k]!.stride] === 0) {
          out.fill(NULL_LEVEL, 0, count);
          return;
        }
      const a = dqL ? dqL[i]! : 0;
      if (dqL && UNKNOWN_DQ[a]) {
        out.fill(NULL_LEVEL, 0, count);
        return;
      }
      if (rows.buffer !== right.memory.buffer) rows = right.memory.u32(store.base, store.n * S);
      if (pend.length < count) pend = new Uint32Array(count);
      let np = 0;
      for (let x = 0; x < count; x++) {
        const row = J[x]! * S;
        let ok = dqOff < 0 || !UNKNOWN_DQ[(rows[row + dqOff]! >>> dqShift) & 0xff];
        for (let k = 0; ok && k < reqR.length; k++) ok = readField(rows, row, reqR[k]!) !== 0;
        if (ok) pend[np++] = x;
        else out[x] = NULL_LEVEL;
      }
      for (let k = 0; k < n && np > 0; k++) np = filters[k]!(i, J, pend, np, out, k, rows, S);
      for (let q = 0; q < np; q++) out[pend[q]!] = n - 1;
      if (!split || dqOff < 0) return;
      if (a === 2) {
        for (let x = 0; x < count; x++) if (out[x] !== NULL_LEVEL) out[x]! += n;
      } else {
        for (let x = 0; x < count; x++)
          if (out[x] !== NULL_LEVEL && ((rows[J[x]! * S + dqOff]! >>> dqShift) & 0xff) === 2) out[x]! += n;
      }
    },
  };
}

/**
 * Compiles all comparisons in batch form over the right list's row store (see
 * {@link batchRowSpec}); the Dice levels read `dice`'s and-counts.
 * @example
 * ```ts
 * const batch = compileBatchComparisons(DEFAULT_COMPARISONS, coc, mcp, { store: rows, memory }, dice);
 * dice.prepare(i, candidates, count);
 * batch[0]!.levels(i, candidates, count, out); // FirstName level of each candidate
 * ```
 */
export function compileBatchComparisons(
  specs: readonly ComparisonSpec[],
  left: EncodedBatch,
  right: EncodedBatch,
  rows: RightRows,
  dice: PreparedDice,
): BatchComparison[] {
  const l = new Side(left, 'CoC');
  const r = new Side(right, 'plan');
  return specs.map((s) => compileBatch(s, l, r, rows, dice));
}
