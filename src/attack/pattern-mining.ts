/**
 * A q-gram pattern-mining attack on field-level Bloom filters, without the key, in the spirit of
 * Christen et al. ("Pattern-mining based cryptanalysis of Bloom filters for privacy-preserving record
 * linkage", PAKDD 2018), Niedermeyer, Steinmetzer, Kroll & Schnell ("Cryptanalysis of basic Bloom
 * filters used for privacy preserving record linkage", J. Privacy and Confidentiality 6(2), 2014) and
 * Kroll & Steinmetzer ("Automated cryptanalysis of Bloom filter encryptions of health records", 2015).
 *
 * 1. **Atoms.** A q-gram sets the same k positions in every filter that contains it, so those
 *    positions are a frequent itemset whose support is the q-gram's frequency. Each position is
 *    shared by many q-grams; growing an itemset greedily from a seed position — among the filters
 *    that contain the seed but none of the atoms already found through it — peels the q-grams off one
 *    by one ({@link mineAtoms}).
 * 2. **Assignment.** Atoms are matched to the q-grams of a clear reference dictionary by frequency
 *    and, once a few are anchored, by how they co-occur with the anchored ones (an end-of-name q-gram
 *    never meets another; `_J` nearly always meets `JO` or `JA`), most confident pair first.
 * 3. **Decoding.** Each filter becomes the set of assigned q-grams it contains and is re-identified
 *    as the nearest dictionary name (fewest mismatching q-grams), frequent names first.
 */
import { tokenise } from '../encode/tokens.js';
import { at } from '../util/defined.js';
import type { FilterMatrix, RecordKey } from './columns.js';
import { rowPopcount } from './columns.js';
import type { ReferenceTable } from './reference.js';

/** Options of {@link patternMiningAttack}. */
export interface PatternMiningOptions {
  /** Hash positions per q-gram (the schema's `k`, public). */
  readonly k: number;
  /** q-gram length and padding (the schema's tokeniser, public). */
  readonly q: number;
  readonly padded: boolean;
  /** Atoms to mine at most (default 250). */
  readonly maxAtoms?: number;
  /** Mine on the most frequent distinct filters only (default 6,000; all filters are decoded). */
  readonly sampleRows?: number;
  /** An atom must be contained in at least this share of the records (default 0.002, and ≥ 10 records). */
  readonly minSupport?: number;
  /** Positions that may be 0 when testing whether a filter contains an atom (default 0; 1+ against noise). */
  readonly tolerance?: number;
  /** Greedy growth stops when adding a position keeps less than this share of the support (default 0.7). */
  readonly keepRatio?: number;
  /** Reference q-grams considered for assignment, most frequent first (default 400). */
  readonly maxQgrams?: number;
  /** Weight of co-occurrence agreement against frequency agreement in the assignment (default 3). */
  readonly cooccurrenceWeight?: number;
  /** Pairs costlier than this are not assigned (default 0.6). */
  readonly maxCost?: number;
  /** Decode a filter only to a name at most this many q-gram mismatches away (default 2). */
  readonly maxDistance?: number;
  /** Break ties with the popcount-estimated q-gram count (default true). */
  readonly lengthHint?: boolean;
  /** Attack each group (e.g. the keyed birth-year hash of a salted encoding) separately. */
  readonly groups?: readonly RecordKey[];
  /** Groups with fewer records are skipped (default 200). */
  readonly minGroup?: number;
}

/** One q-gram the attack located. */
export interface MinedQgram {
  readonly qgram: string;
  readonly positions: readonly number[];
}

/** Result of {@link patternMiningAttack}. */
export interface PatternMiningResult {
  /** Located q-grams (of the largest group when grouped). */
  readonly mined: readonly MinedQgram[];
  /** Atoms found (of the largest group when grouped), assigned or not. */
  readonly atoms: number;
  /** One guessed clear value per record (`undefined` when the filter is missing or undecodable). */
  readonly guesses: (string | undefined)[];
}

/** The dictionary as q-gram id sets. */
interface Dictionary {
  readonly grams: string[];
  readonly nameGrams: Int32Array[];
  readonly weights: Float64Array;
  readonly values: readonly string[];
}

function dictionaryOf(ref: ReferenceTable, q: number, padded: boolean): Dictionary {
  const ids = new Map<string, number>();
  const grams: string[] = [];
  const nameGrams = ref.values.map((v) =>
    Int32Array.from(tokenise(v, { type: 'qgram', q, positional: false, padded }), (g) => {
      let id = ids.get(g);
      if (id === undefined) {
        id = grams.length;
        ids.set(g, id);
        grams.push(g);
      }
      return id;
    }),
  );
  return { grams, nameGrams, weights: ref.weights, values: ref.values };
}

/**
 * Runs the attack on a filter matrix (see {@link filterMatrix}; pass it through {@link attackerView}
 * first to undo what hardening can be undone) with a clear reference dictionary.
 * @example
 * ```ts
 * const m = attackerView(filterMatrix(batch.blooms.firstBloom!, batch.length), schema.hardening);
 * const { guesses } = patternMiningAttack(m, censusFirstNames(), { k: 8, q: 2, padded: true });
 * ```
 */
export function patternMiningAttack(
  m: FilterMatrix,
  reference: ReferenceTable,
  opts: PatternMiningOptions,
): PatternMiningResult {
  if (!(Number.isInteger(opts.k) && opts.k >= 1)) throw new RangeError('k must be a positive integer');
  const dict = dictionaryOf(reference, opts.q, opts.padded);
  const records = m.recordRow.length;
  const guesses: (string | undefined)[] = new Array(records).fill(undefined);
  const groups = new Map<RecordKey, number[]>();
  if (opts.groups && opts.groups.length !== records)
    throw new RangeError('groups must have one entry per record');
  for (let i = 0; i < records; i++) {
    const g = opts.groups ? opts.groups[i] : 0;
    if (g === undefined || (m.recordRow[i] ?? 0) < 0) continue;
    const list = groups.get(g);
    if (list) list.push(i);
    else groups.set(g, [i]);
  }
  let mined: readonly MinedQgram[] = [];
  let atoms = 0;
  let largest = 0;
  for (const list of groups.values()) {
    if (opts.groups && list.length < (opts.minGroup ?? 200)) continue;
    const weights = new Float64Array(m.weights.length);
    for (const i of list) {
      const r = m.recordRow[i] ?? 0;
      weights[r] = (weights[r] ?? 0) + 1;
    }
    const res = attackRows(m, weights, dict, opts);
    for (const i of list) guesses[i] = res.rowGuess.get(m.recordRow[i] ?? 0);
    if (list.length > largest) {
      largest = list.length;
      mined = res.mined;
      atoms = res.atoms;
    }
  }
  return { mined, atoms, guesses };
}

function attackRows(
  m: FilterMatrix,
  weights: Float64Array,
  dict: Dictionary,
  opts: PatternMiningOptions,
): { mined: MinedQgram[]; atoms: number; rowGuess: Map<number, string> } {
  const all: number[] = [];
  for (const [r, w] of weights.entries()) if (w > 0) all.push(r);
  all.sort((a, b) => (weights[b] ?? 0) - (weights[a] ?? 0));
  const sample = all.slice(0, opts.sampleRows ?? 6000);
  const atoms = mineAtoms(m, weights, sample, opts);
  const assigned = assignAtoms(m, weights, sample, atoms, dict, opts);
  const mined = [...assigned].map(([g, a]) => ({ qgram: at(dict.grams, g), positions: at(atoms, a) }));
  return { mined, atoms: atoms.length, rowGuess: decode(m, all, assigned, atoms, dict, opts) };
}

/**
 * Mines atoms: sets of positions that are all 1 together in many filters. Round after round, each
 * position seeds a greedy growth among the filters that have it but contain none of the atoms
 * already found through it, so the q-grams sharing a position are found one after another.
 */
function mineAtoms(
  m: FilterMatrix,
  weights: Float64Array,
  rows: readonly number[],
  opts: PatternMiningOptions,
): number[][] {
  const tol = opts.tolerance ?? 0;
  const keepRatio = opts.keepRatio ?? 0.7;
  const maxAtoms = opts.maxAtoms ?? 250;
  const minItemset = Math.max(2, Math.ceil(opts.k / 2));
  let total = 0;
  for (const r of rows) total += weights[r] ?? 0;
  // Small groups (salted encodings) need an absolute floor, or chance co-occurrences become atoms.
  const minSupport = Math.max((opts.minSupport ?? 0.002) * total, 10);
  const atoms: number[][] = [];
  const atomsAt: number[][] = Array.from({ length: m.bits }, () => []);
  const counts = new Float64Array(m.bits);
  for (let round = 0; round < 6 && atoms.length < maxAtoms; round++) {
    const before = atoms.length;
    for (let seed = 0; seed < m.bits && atoms.length < maxAtoms; seed++) {
      const seedAtoms = at(atomsAt, seed);
      let cover = rows.filter(
        (r) => hasBitRow(m, r, seed) && !seedAtoms.some((a) => contains(m, r, at(atoms, a), tol)),
      );
      let support = sum(weights, cover);
      if (support < minSupport) continue;
      const set = [seed];
      while (set.length < opts.k) {
        counts.fill(0);
        countBits(m, weights, cover, counts);
        let next = -1;
        for (let p = 0; p < m.bits; p++)
          if (!set.includes(p) && (next < 0 || (counts[p] ?? 0) > (counts[next] ?? 0))) next = p;
        if (next < 0) break;
        const nextCount = counts[next] ?? 0;
        // The first positions mix several q-grams (every position is shared), so the support falls
        // steeply at first; only once the set is large does a steep fall mean "q-gram complete".
        if (nextCount <= 0 || (set.length >= minItemset && nextCount < keepRatio * support)) break;
        set.push(next);
        support = nextCount;
        cover = cover.filter((r) => hasBitRow(m, r, next));
      }
      if (set.length < minItemset || support < minSupport) continue;
      // Mostly a known atom's positions: the same q-gram again.
      if (atoms.some((a) => overlap(a, set) * 2 >= set.length)) continue;
      set.sort((a, b) => a - b);
      for (const p of set) at(atomsAt, p).push(atoms.length);
      atoms.push(set);
    }
    if (atoms.length === before) break;
  }
  return atoms;
}

/**
 * Matches atoms to reference q-grams. Cost of (atom, q-gram): relative frequency difference plus
 * the mean difference of their co-occurrence with the anchored pairs; the mutually-best pair with
 * the widest margin over its runners-up is anchored next.
 */
function assignAtoms(
  m: FilterMatrix,
  weights: Float64Array,
  rows: readonly number[],
  atoms: readonly number[][],
  dict: Dictionary,
  opts: PatternMiningOptions,
): Map<number, number> {
  const tol = opts.tolerance ?? 0;
  const lambda = opts.cooccurrenceWeight ?? 3;
  const maxCost = opts.maxCost ?? 0.6;
  const nA = atoms.length;
  // Atom supports and pairwise co-supports (fractions of the sampled weight).
  let total = 0;
  const sA = new Float64Array(nA);
  const coA = new Float64Array(nA * nA);
  for (const r of rows) {
    const w = weights[r] ?? 0;
    total += w;
    const inside: number[] = [];
    for (const [a, atom] of atoms.entries()) if (contains(m, r, atom, tol)) inside.push(a);
    for (const a of inside) {
      sA[a] = (sA[a] ?? 0) + w;
      for (const b of inside) coA[a * nA + b] = (coA[a * nA + b] ?? 0) + w;
    }
  }
  if (total <= 0 || nA === 0) return new Map();
  for (const [i, s] of sA.entries()) sA[i] = s / total;
  for (const [i, s] of coA.entries()) coA[i] = s / total;
  // Reference q-gram frequencies and co-frequencies, most frequent q-grams only.
  const gf = new Float64Array(dict.grams.length);
  let refTotal = 0;
  dict.nameGrams.forEach((ng, n) => {
    const w = dict.weights[n] ?? 0;
    refTotal += w;
    for (const g of ng) gf[g] = (gf[g] ?? 0) + w;
  });
  const G = [...gf.keys()].sort((a, b) => (gf[b] ?? 0) - (gf[a] ?? 0)).slice(0, opts.maxQgrams ?? 400);
  const slot = new Map(G.map((g, i) => [g, i]));
  const nG = G.length;
  const fG = Float64Array.from(G, (g) => (gf[g] ?? 0) / refTotal);
  const coG = new Float64Array(nG * nG);
  dict.nameGrams.forEach((ng, n) => {
    const w = (dict.weights[n] ?? 0) / refTotal;
    const s = [...ng].map((g) => slot.get(g)).filter((x): x is number => x !== undefined);
    for (const a of s) for (const b of s) coG[a * nG + b] = (coG[a * nG + b] ?? 0) + w;
  });

  const freqCost = new Float64Array(nA * nG);
  for (const [a, sa] of sA.entries()) {
    for (const [g, fg] of fG.entries()) freqCost[a * nG + g] = Math.abs(sa - fg) / ((sa + fg) / 2);
  }
  const coDiff = new Float64Array(nA * nG);
  let anchors = 0;
  const atomUsed = new Uint8Array(nA);
  const gramUsed = new Uint8Array(nG);
  const assigned = new Map<number, number>();
  const cost = (a: number, g: number) =>
    (freqCost[a * nG + g] ?? 0) + (anchors ? (lambda * (coDiff[a * nG + g] ?? 0)) / anchors : 0);
  for (;;) {
    // Best and runner-up per atom and per q-gram.
    const bestG = new Int32Array(nA).fill(-1);
    const costA1 = new Float64Array(nA).fill(Number.POSITIVE_INFINITY);
    const costA2 = new Float64Array(nA).fill(Number.POSITIVE_INFINITY);
    const bestA = new Int32Array(nG).fill(-1);
    const costG1 = new Float64Array(nG).fill(Number.POSITIVE_INFINITY);
    const costG2 = new Float64Array(nG).fill(Number.POSITIVE_INFINITY);
    for (let a = 0; a < nA; a++) {
      if (atomUsed[a]) continue;
      for (let g = 0; g < nG; g++) {
        if (gramUsed[g]) continue;
        const c = cost(a, g);
        const a1 = costA1[a] ?? 0;
        if (c < a1) {
          costA2[a] = a1;
          costA1[a] = c;
          bestG[a] = g;
        } else if (c < (costA2[a] ?? 0)) costA2[a] = c;
        const g1 = costG1[g] ?? 0;
        if (c < g1) {
          costG2[g] = g1;
          costG1[g] = c;
          bestA[g] = a;
        } else if (c < (costG2[g] ?? 0)) costG2[g] = c;
      }
    }
    let pickA = -1;
    let pickMargin = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < nA; a++) {
      const g = bestG[a] ?? 0;
      if (g < 0 || bestA[g] !== a || (costA1[a] ?? 0) > maxCost) continue;
      const margin = Math.min(costA2[a] ?? 0, costG2[g] ?? 0) - (costA1[a] ?? 0);
      if (margin > pickMargin) {
        pickMargin = margin;
        pickA = a;
      }
    }
    if (pickA < 0) break;
    const pickG = bestG[pickA] ?? 0;
    atomUsed[pickA] = 1;
    gramUsed[pickG] = 1;
    assigned.set(G[pickG] ?? 0, pickA);
    anchors++;
    // Conditional co-occurrence in both directions, atom side against q-gram side.
    for (let a = 0; a < nA; a++) {
      const pa = coA[a * nA + pickA] ?? 0;
      for (let g = 0; g < nG; g++) {
        const pg = coG[g * nG + pickG] ?? 0;
        const i = a * nG + g;
        coDiff[i] =
          (coDiff[i] ?? 0) +
          (Math.abs(pa / ((sA[a] ?? 0) || 1) - pg / ((fG[g] ?? 0) || 1)) +
            Math.abs(pa / ((sA[pickA] ?? 0) || 1) - pg / ((fG[pickG] ?? 0) || 1)));
      }
    }
  }
  return assigned;
}

function hasBitRow(m: FilterMatrix, r: number, bit: number): boolean {
  return (((m.rows[r * m.words + (bit >> 5)] ?? 0) >>> (bit & 31)) & 1) === 1;
}

function sum(weights: Float64Array, rows: readonly number[]): number {
  let s = 0;
  for (const r of rows) s += weights[r] ?? 0;
  return s;
}

function overlap(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  for (const x of b) if (a.includes(x)) n++;
  return n;
}

function countBits(m: FilterMatrix, weights: Float64Array, rows: readonly number[], out: Float64Array): void {
  for (const r of rows) {
    const w = weights[r] ?? 0;
    for (let k = 0; k < m.words; k++) {
      let x = m.rows[r * m.words + k] ?? 0;
      while (x !== 0) {
        const low = x & -x;
        const bit = k * 32 + 31 - Math.clz32(low);
        out[bit] = (out[bit] ?? 0) + w;
        x ^= low;
      }
    }
  }
}

function contains(m: FilterMatrix, r: number, positions: readonly number[], tol: number): boolean {
  let missing = 0;
  for (const p of positions) if (!hasBitRow(m, r, p) && ++missing > tol) return false;
  return true;
}

/**
 * Decodes each row into the set of assigned q-grams it contains and re-identifies it as the dictionary
 * name nearest to that set (fewest q-grams present on one side only, among the assigned ones): a
 * mis-mined atom then costs one mismatch instead of the whole record. Among equally near names the
 * most frequent wins, discounted by how far its q-gram count is from the one the popcount suggests.
 */
function decode(
  m: FilterMatrix,
  rows: readonly number[],
  assigned: ReadonlyMap<number, number>,
  atoms: readonly number[][],
  dict: Dictionary,
  opts: PatternMiningOptions,
): Map<number, string> {
  const out = new Map<number, string>();
  const grams = [...assigned.keys()];
  if (grams.length === 0) return out;
  const gramAtoms = [...assigned.values()].map((a) => at(atoms, a));
  const slot = new Map(grams.map((g, i) => [g, i]));
  // Per name, its assigned q-grams; per assigned q-gram, the names containing it.
  const nameSize = new Int32Array(dict.values.length);
  const postings: number[][] = grams.map(() => []);
  dict.nameGrams.forEach((ng, n) => {
    for (const g of ng) {
      const s = slot.get(g);
      if (s !== undefined) {
        at(postings, s).push(n);
        nameSize[n] = (nameSize[n] ?? 0) + 1;
      }
    }
  });
  // Names with no assigned q-gram at all can only match an empty row.
  const empty = dict.values.findIndex((_, n) => nameSize[n] === 0);
  const tol = opts.tolerance ?? 0;
  const maxDistance = opts.maxDistance ?? 2;
  const lengthHint = opts.lengthHint ?? true;
  const lnKeep = Math.log(1 - 1 / m.bits);
  const shared = new Int32Array(dict.values.length);
  const touched: number[] = [];
  for (const r of rows) {
    let present = 0;
    touched.length = 0;
    gramAtoms.forEach((atom, i) => {
      if (!contains(m, r, atom, tol)) return;
      present++;
      for (const n of at(postings, i)) {
        const before = shared[n] ?? 0;
        shared[n] = before + 1;
        if (before === 0) touched.push(n);
      }
    });
    const est = lengthHint ? estimateQgrams(m, r, opts.k, lnKeep) : Number.NaN;
    let pick = present === 0 && empty >= 0 ? empty : -1;
    let bestDist = pick >= 0 ? 0 : Number.POSITIVE_INFINITY;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const n of touched) {
      const d = present + (nameSize[n] ?? 0) - 2 * (shared[n] ?? 0);
      shared[n] = 0;
      if (d > bestDist || d > maxDistance) continue;
      const len = at(dict.nameGrams, n).length - est;
      const score = Math.log((dict.weights[n] ?? 0) + 1e-12) - (Number.isNaN(len) ? 0 : (len * len) / 2);
      if (d < bestDist || score > bestScore) {
        bestDist = d;
        bestScore = score;
        pick = n;
      }
    }
    if (pick >= 0) out.set(r, at(dict.values, pick));
  }
  return out;
}

/** The number of distinct q-grams a plain Bloom filter with this popcount most likely holds. */
function estimateQgrams(m: FilterMatrix, r: number, k: number, lnKeep: number): number {
  const fill = rowPopcount(m, r) / m.bits;
  return fill < 1 ? Math.log(1 - fill) / (k * lnKeep) : Number.NaN;
}
