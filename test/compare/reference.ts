/**
 * The per-pair reference evaluator: the level of one (CoC record i, plan record j) pair, written to
 * be read rather than to be fast, straight from the definitions in src/compare/comparisons.ts. The
 * batch form in src/compare/ (the only evaluator in src) must give exactly these levels.
 */
import type { ComparisonSpec, DqField, LevelCondition } from '../../src/compare/comparisons.js';
import { jaroWinkler } from '../../src/compare/jaro-winkler.js';
import { NULL_LEVEL } from '../../src/compare/patterns.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';
import { hasClearText } from '../../src/encoded/clear-text.js';

/** Data-quality codes that make a comparison null: 8 (unknown), 9 (refused), 99 (not collected). */
const UNKNOWN_DQ = new Set([8, 9, 99]);

/** One record of a batch, feature by feature. */
class RecordView {
  constructor(
    private readonly batch: EncodedBatch,
    private readonly i: number,
  ) {}

  /** Keyed hash of feature f (0 when missing). */
  hash(f: string): number {
    const h = this.batch.hashes[f];
    if (!h) throw new TypeError(`no hash feature ${f}`);
    return h[this.i]!;
  }

  /** The values of hash-set feature f (sets are zero-padded: the values stop at the first 0). */
  set(f: string): number[] {
    const s = this.batch.sets[f];
    if (!s) throw new TypeError(`no set feature ${f}`);
    const max = s.length / this.batch.length;
    const values = Array.from(s.subarray(this.i * max, (this.i + 1) * max));
    const end = values.indexOf(0);
    return end < 0 ? values : values.slice(0, end);
  }

  /** The bytes of Bloom filter feature f. */
  bloom(f: string): Uint8Array {
    const b = this.batch.blooms[f];
    if (!b) throw new TypeError(`no Bloom feature ${f}`);
    const per = b.length / this.batch.length;
    return b.subarray(this.i * per, (this.i + 1) * per);
  }

  /** The clear-text string of feature f ('' when missing); only clear-text batches have them. */
  text(f: string): string {
    const t = hasClearText(this.batch)
      ? (this.batch.clearText as Record<string, readonly string[]>)[f]
      : undefined;
    if (!t) throw new TypeError(`no clear-text feature ${f}`);
    return t[this.i]!;
  }

  /** Whether feature f is present: a non-zero hash, a non-empty set or a filter with a bit set. */
  has(f: string): boolean {
    if (f in this.batch.hashes) return this.hash(f) !== 0;
    if (f in this.batch.sets) return this.set(f).length > 0;
    return bits(this.bloom(f)) > 0;
  }

  dq(field: DqField): number {
    const codes = { name: this.batch.nameDq, dob: this.batch.dobDq, ssn: this.batch.ssnDq }[field];
    return codes[this.i]!;
  }
}

function bits(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) for (let x = b; x !== 0; x >>= 1) n += x & 1;
  return n;
}

function commonBits(a: Uint8Array, b: Uint8Array): number {
  return bits(a.map((x, k) => x & b[k]!));
}

/** Both hashes present and equal. */
function agree(a: number, b: number): boolean {
  return a !== 0 && a === b;
}

/**
 * Dice similarity 2·|a ∧ b| / (|a| + |b|) ≥ min. The bound Dice ≤ 2·min(|a|, |b|) / (|a| + |b|) is
 * tested first, in floating point as the level is defined: at an exact boundary (Dice = min) its
 * rounding can decide where the quotient alone would not.
 */
function diceAtLeast(a: Uint8Array, b: Uint8Array, min: number): boolean {
  const ca = bits(a);
  const cb = bits(b);
  if (2 * Math.min(ca, cb) < min * (ca + cb)) return false;
  const total = ca + cb;
  const dice = total === 0 ? 0 : (2 * commonBits(a, b)) / total;
  return dice >= min;
}

/** Levenshtein distance by the textbook dynamic programme (the batch form uses fastest-levenshtein). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

function holds(c: LevelCondition, L: RecordView, R: RecordView): boolean {
  switch (c.type) {
    case 'else':
      return true;
    case 'exact':
      return agree(L.hash(c.feature), R.hash(c.feature));
    case 'cross':
      return agree(L.hash(c.a), R.hash(c.b)) || agree(L.hash(c.b), R.hash(c.a));
    case 'overlap': {
      const theirs = R.set(c.feature);
      return L.set(c.feature).some((v) => theirs.includes(v));
    }
    case 'partOf': {
      const mine = L.set(c.parts);
      const theirs = R.set(c.parts);
      const lw = L.hash(c.whole);
      const rw = R.hash(c.whole);
      return (
        (lw !== 0 && theirs.includes(lw)) ||
        (rw !== 0 && mine.includes(rw)) ||
        mine.some((v) => theirs.includes(v))
      );
    }
    case 'dice':
      return diceAtLeast(L.bloom(c.feature), R.bloom(c.feature), c.min);
    case 'crossDice': {
      const ab = diceAtLeast(L.bloom(c.a), R.bloom(c.b), c.min);
      const ba = diceAtLeast(L.bloom(c.b), R.bloom(c.a), c.min);
      return c.both ? ab && ba : ab || ba;
    }
    case 'jaroWinkler': {
      const [a, b] = [L.text(c.feature), R.text(c.feature)];
      return a !== '' && b !== '' && jaroWinkler(a, b) >= c.min;
    }
    case 'crossJaroWinkler': {
      const jw = (x: string, y: string) => x !== '' && y !== '' && jaroWinkler(x, y) >= c.min;
      const ab = jw(L.text(c.a), R.text(c.b));
      const ba = jw(L.text(c.b), R.text(c.a));
      return c.both ? ab && ba : ab || ba;
    }
    case 'levenshtein': {
      const [a, b] = [L.text(c.feature), R.text(c.feature)];
      return a !== '' && b !== '' && editDistance(a, b) <= c.max;
    }
    case 'all':
      return c.of.every((part) => holds(part, L, R));
  }
}

/**
 * The level of comparison `spec` for CoC record `i` of `left` and plan record `j` of `right`: null
 * when a required feature is missing on either side or either data-quality code is 8, 9 or 99; else
 * the first level whose condition holds (the last when none does), shifted past the data-quality-1
 * levels when the comparison is split by data quality and either code is 2.
 */
export function referenceLevel(
  spec: ComparisonSpec,
  left: EncodedBatch,
  i: number,
  right: EncodedBatch,
  j: number,
): number {
  const L = new RecordView(left, i);
  const R = new RecordView(right, j);
  if (spec.requires.some((f) => !L.has(f) || !R.has(f))) return NULL_LEVEL;
  let offset = 0;
  if (spec.dq) {
    const a = L.dq(spec.dq);
    const b = R.dq(spec.dq);
    if (UNKNOWN_DQ.has(a) || UNKNOWN_DQ.has(b)) return NULL_LEVEL;
    if (spec.splitByDq && (a === 2 || b === 2)) offset = spec.levels.length;
  }
  if (spec.nullWhen && holds(spec.nullWhen, L, R)) return NULL_LEVEL;
  const first = spec.levels.findIndex((lv) => holds(lv.when, L, R));
  return (first < 0 ? spec.levels.length - 1 : first) + offset;
}
