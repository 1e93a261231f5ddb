/**
 * Training, as Splink does it, on encoded data:
 * 1. u by seeded random sampling of record pairs (nearly all random pairs are non-matches);
 * 2. m by EM on agreement-pattern counts with u fixed, in training sessions over exact-key blocks
 *    (pairs with the same DOB; pairs with the same first and last name; pairs with the same SSN),
 *    each leaving out the comparisons its key forces to agree. The same-DOB session estimates its
 *    own match rate λ_s (its names, sex and middle name identify it, u being fixed); the others take
 *    λ_s from the global λ and the forced comparisons' m and u (so a session with a single
 *    informative comparison is still identifiable). Each comparison's m is the average over the
 *    sessions that trained it, weighted by their expected matches;
 * 3. λ from strict deterministic rules (names and DOB exact, or SSN exact), divided by the rules'
 *    recall among matches as computed from the trained model — so no recall has to be guessed. The
 *    names-given-DOB part of that recall is the share of the same-DOB session's expected matches
 *    whose names (or SSN) agree exactly, not a product of per-field m: errors cluster on the same
 *    records (a sloppy record has several), so the product understates the recall and λ came out
 *    3–6 % too high (measured against the truth of FEBRL 4 and the synthetic lists).
 * Steps 2 and 3 alternate a few rounds, since each uses the other's result.
 * Deterministic for a given seed, and independent of row order: every sample is drawn by record ID
 * (see `idOrder`), and counts do not depend on the order pairs are seen in. Returns a new, frozen model.
 */

import { buildPassIndex, lowerBound, type PassIndex } from '../block/blocking.js';
import { type ComparisonSpec, levelCount } from '../compare/comparisons.js';
import { NULL_LEVEL, PatternCounter } from '../compare/patterns.js';
import type { EncodedBatch } from '../encoded/batch.js';
import { at } from '../util/defined.js';
import { idOrder } from '../util/id-order.js';
import { Random } from '../util/prng.js';
import { runEm } from './em.js';
import { deepFreeze, type EmSession, type LinkageModel, priorM } from './model.js';
import { BatchLevels, type BatchScoring, frequencyTable } from './score.js';

/** Options of {@link trainModel}. */
export interface TrainOptions {
  /** Seed of every random choice (default 42). */
  readonly seed?: number;
  /** Random pairs sampled to estimate u (default 1,000,000, at most all pairs). */
  readonly uSamplePairs?: number;
  /** CoC records whose candidate pairs are used for EM (default 50,000; a seeded sample when more). */
  readonly trainingRecords?: number;
  /** Exact-key training sessions (default {@link DEFAULT_TRAINING_RULES}). */
  readonly trainingRules?: readonly TrainingRule[];
  /** Plan records per training key above which the key is skipped (default 500). */
  readonly maxBlockSize?: number;
  /** Schema fingerprint to record in the model. */
  readonly schemaFingerprint?: string;
  /** Term-frequency adjustment on (default true). */
  readonly termFrequency?: boolean;
  /** Upper bounds on m of levels the data cannot identify well (default {@link DEFAULT_M_CAPS}). */
  readonly mCaps?: readonly MCap[];
  /** Batch-scoring state to evaluate pairs with (e.g. shared with scoring); built when absent. */
  readonly batch?: BatchScoring;
  /** Progress: stage name and fraction done. */
  readonly onProgress?: (p: { stage: 'u' | 'em' | 'lambda'; done: number; total: number }) => void;
}

/** An upper bound on m of one level (by comparison name and level label; DQ-1 level only). */
export interface MCap {
  readonly comparison: string;
  readonly level: string;
  readonly max: number;
}

/**
 * Default bounds on m. DOB "else" with DOB data quality 1 ("full DOB reported", HUD 3.03): a true
 * match whose full, reported birth date is unrelated to the other list's — not a typo, a swap, a day
 * or a year off, which have levels of their own — is a data-entry accident; FEBRL 4's heavily
 * corrupted lists have 4.5 % such pairs, the synthetic CoC/plan lists 0.02 %. EM on a large plan
 * list overstates it (same-name strangers in the name-blocked sessions: 0.16 at 10⁶ members before
 * term frequencies entered training), so it is bounded at 5 %; approximate DOBs (data quality 2)
 * have their own, unbounded "else (DQ 2)" level.
 *
 * MemberID "exact" ≤ 0.9, i.e. at least one true match in ten whose CoC record holds a member ID
 * holds a different one: IDs are mistyped, re-issued, or a family member's, and few CoC rows have
 * one, so EM sees few such pairs (often none, or only agreeing ones, which would drive m(else) to
 * the floor and make a different ID near-proof of a non-match). The bound keeps a different ID weak
 * evidence (at most log2(0.1 / u(else)) ≈ −3.3 bits) while agreement stays near-certain (u(exact)
 * is about 1 / plan size).
 * @example
 * ```ts
 * trainModel(coc, mcp, DEFAULT_COMPARISONS, { mCaps: [...DEFAULT_M_CAPS, { comparison: 'SSN', level: 'else', max: 0.02 }] });
 * ```
 */
export const DEFAULT_M_CAPS: readonly MCap[] = [
  { comparison: 'DOB', level: 'else', max: 0.05 },
  { comparison: 'MemberID', level: 'exact', max: 0.9 },
];

/**
 * m with the caps applied: a capped level gets its bound and the other levels share the freed mass
 * in proportion to their m (the maximiser of the expected log-likelihood under the bound).
 */
function capM(specs: readonly ComparisonSpec[], m: number[][], caps: readonly MCap[]): number[][] {
  return m.map((row, k) => {
    const spec = at(specs, k);
    const capped = new Map<number, number>();
    for (const c of caps) {
      if (c.comparison !== spec.name) continue;
      const l = spec.levels.findIndex((lv) => lv.label === c.level);
      if (l >= 0 && (row[l] ?? 0) > c.max) capped.set(l, c.max);
    }
    if (capped.size === 0) return row;
    let freed = 0;
    let rest = 0;
    row.forEach((v, l) => {
      const cap = capped.get(l);
      if (cap === undefined) rest += v;
      else freed += v - cap;
    });
    return row.map((v, l) => capped.get(l) ?? (rest > 0 ? v + (freed * v) / rest : v));
  });
}

const U_SMOOTHING = 0.5;
/** Expected matches with exact names in the same-DOB session below which their share is not used. */
const MIN_SHARE_MATCHES = 20;
const ROUNDS = 3;
/**
 * Prior-shift bins of a training session (natural log of a pair's match odds relative to the
 * session's average, from the frequencies of the values it agrees on): −10 … +14 in steps of 0.25.
 * Pairs are counted per bin, so EM sees each pair's own prior at the cost of more patterns.
 */
const SHIFT_MIN = -10;
const SHIFT_STEP = 0.25;
const SHIFT_BINS = 97;
const SHIFT_CENTRES = Array.from({ length: SHIFT_BINS }, (_, b) => SHIFT_MIN + b * SHIFT_STEP);

/** A hash column of the left list and its value frequencies over both lists. */
interface TfColumn {
  readonly values: Uint32Array;
  readonly table: { readonly counts: Map<number, number>; readonly total: number };
}

/** log of the frequency of left record i's value (as scoring's TF: at least one occurrence). */
function logFrequency(f: TfColumn, i: number): number {
  const count = f.table.counts.get(f.values[i] ?? 0) ?? 1;
  return Math.log(Math.max(count, 1) / f.table.total);
}

/**
 * The share of a session's expected matches whose pattern satisfies `holds`: Σ count × posterior
 * over the patterns where it holds, over Σ count × posterior. The posterior of a pattern is the one
 * EM ended with (its λ_s, its prior-shift bin, m and u of the active comparisons); the patterns are
 * the observed ones, so the share keeps the correlations between comparisons that the model's
 * per-comparison m leave out. NaN when the session expects no match.
 */
function matchShare(
  table: {
    readonly patterns: Uint8Array;
    readonly counts: Float64Array;
    readonly levelCounts: readonly number[];
  },
  lambdaS: number,
  m: readonly (readonly number[])[],
  u: readonly (readonly number[])[],
  active: readonly boolean[],
  holds: (row: Uint8Array) => boolean,
): number {
  const width = table.levelCounts.length;
  const K = width - 1;
  const base = Math.log(lambdaS) - Math.log1p(-lambdaS);
  let all = 0;
  let hit = 0;
  for (let r = 0; r < table.counts.length; r++) {
    const row = table.patterns.subarray(r * width, (r + 1) * width);
    let lo = base + at(SHIFT_CENTRES, row[K] ?? 0);
    for (let k = 0; k < K; k++) {
      const l = row[k] ?? NULL_LEVEL;
      if (!active[k] || l === NULL_LEVEL) continue;
      lo += Math.log(at(at(m, k), l)) - Math.log(at(at(u, k), l));
    }
    const post = (table.counts[r] ?? 0) / (1 + Math.exp(-lo));
    all += post;
    if (holds(row)) hit += post;
  }
  return all > 0 ? hit / all : Number.NaN;
}

function shiftBin(shift: number): number {
  const b = Math.round((shift - SHIFT_MIN) / SHIFT_STEP);
  return Math.min(Math.max(b, 0), SHIFT_BINS - 1);
}

/** An exact-key training session: pairs sharing all these hash features; the comparisons they force. */
export interface TrainingRule {
  readonly name: string;
  readonly features: readonly string[];
  readonly forces: readonly string[];
}

/**
 * Default training sessions (as Splink's "block on DOB", "block on names").
 * @example
 * ```ts
 * trainModel(coc, mcp, DEFAULT_COMPARISONS, { trainingRules: DEFAULT_TRAINING_RULES.slice(0, 2) });
 * ```
 */
export const DEFAULT_TRAINING_RULES: readonly TrainingRule[] = [
  { name: 'same DOB', features: ['dob'], forces: ['DOB'] },
  { name: 'same first and last name', features: ['first', 'last'], forces: ['FirstName', 'LastName'] },
  { name: 'same SSN', features: ['ssn'], forces: ['SSN'] },
];

function mixKey(h: number, x: number): number {
  let k = Math.imul(x, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  const r = h ^ k;
  return (Math.imul((r << 13) | (r >>> 19), 5) + 0xe6546b64) | 0;
}

/** Exact-key column of a rule over a batch (one key per record; none when a feature is missing). */
function ruleColumn(
  batch: EncodedBatch,
  rule: TrainingRule,
): { offsets: Uint32Array; keys: Uint32Array } | undefined {
  const cols: Uint32Array[] = [];
  for (const f of rule.features) {
    const c = batch.hashes[f];
    if (c === undefined) return undefined;
    cols.push(c);
  }
  const offsets = new Uint32Array(batch.length + 1);
  // At most one key a record: a typed array, not a growing array of (mostly heap) numbers.
  const keys = new Uint32Array(batch.length);
  let n = 0;
  for (let i = 0; i < batch.length; i++) {
    let h = 0x9e3779b9;
    let ok = true;
    for (let k = 0; k < cols.length && ok; k++) {
      const v = cols[k]?.[i] ?? 0;
      if (v === 0) ok = false;
      else h = mixKey(h, v);
    }
    if (ok) keys[n++] = h >>> 0;
    offsets[i + 1] = n;
  }
  return { offsets, keys: keys.slice(0, n) };
}

/**
 * log of the frequency of left record i's joint value among the others: its count over both lists
 * less two (the record itself and, usually, its match), −∞ when nothing is left — the caller takes
 * the larger of this and the product of the single values' frequencies, so a combination seen only
 * in the pair itself falls back to independence, while a common one (JOSE GARCIA) counts as common.
 */
function logJointFrequency(f: TfColumn, i: number): number {
  const count = (f.table.counts.get(f.values[i] ?? 0) ?? 0) - 2;
  return count > 0 ? Math.log(count / f.table.total) : Number.NEGATIVE_INFINITY;
}

/** A rule column's key per record (0 when the record has none). */
function perRecord(col: { offsets: Uint32Array; keys: Uint32Array }, n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++)
    if ((col.offsets[i + 1] ?? 0) > (col.offsets[i] ?? 0)) out[i] = col.keys[col.offsets[i] ?? 0] ?? 0;
  return out;
}

/**
 * Estimates u for every comparison from random pairs; also returns each comparison's non-null rate.
 * The pairs are drawn in sequence from `rng` as ranks in each side's ID order (`orderL`, `orderR`:
 * record positions by seeded ID hash), so the same IDs are sampled however the rows are sorted, then
 * evaluated grouped by CoC record (batch form): counts do not depend on the order.
 */
function estimateU(
  levels: BatchLevels,
  specs: readonly ComparisonSpec[],
  nL: number,
  nR: number,
  samples: number,
  rng: Random,
  orderL: Uint32Array,
  orderR: Uint32Array,
  onProgress?: TrainOptions['onProgress'],
): { u: number[][]; nonNull: number[] } {
  const counts = specs.map((s) => new Float64Array(levelCount(s)));
  const nonNull = new Float64Array(specs.length);
  const all = nL * nR <= samples;
  const total = all ? nL * nR : samples;
  // Right records of each left record's sampled pairs, grouped by left record (counting sort).
  const start = new Uint32Array(nL + 1);
  let rights: Uint32Array;
  if (all) {
    for (let i = 0; i <= nL; i++) start[i] = i * nR;
    rights = Uint32Array.from({ length: total }, (_, s) => s % nR);
  } else {
    const li = new Uint32Array(total);
    const rj = new Uint32Array(total);
    for (let s = 0; s < total; s++) {
      const l = orderL[rng.below(nL)] ?? 0;
      li[s] = l;
      rj[s] = orderR[rng.below(nR)] ?? 0;
      start[l + 1] = (start[l + 1] ?? 0) + 1;
    }
    for (let i = 0; i < nL; i++) start[i + 1] = (start[i + 1] ?? 0) + (start[i] ?? 0);
    rights = new Uint32Array(total);
    const next = start.slice(0, nL);
    for (let s = 0; s < total; s++) {
      const l = li[s] ?? 0;
      const pos = next[l] ?? 0;
      next[l] = pos + 1;
      rights[pos] = rj[s] ?? 0;
    }
  }
  const K = specs.length;
  const hist = new Float64Array(K * 256);
  let done = 0;
  for (let i = 0; i < nL; i++) {
    const J = rights.subarray(start[i] ?? 0, start[i + 1] ?? 0);
    for (let from = 0; from < J.length; from += levels.capacity) {
      const n = Math.min(levels.capacity, J.length - from);
      levels.run(i, J, from, n);
      countLevels(levels.out, n, hist);
    }
    done += J.length;
    if (onProgress && (i & 0x3ff) === 0) onProgress({ stage: 'u', done, total });
  }
  // Counts are whole numbers, so tallying them per byte value first changes no sum.
  for (let k = 0; k < K; k++) {
    const c = at(counts, k);
    for (let l = 0; l < 256; l++) {
      if (l === NULL_LEVEL) continue;
      const h = hist[k * 256 + l] ?? 0;
      if (l < c.length) c[l] = h;
      nonNull[k] = (nonNull[k] ?? 0) + h;
    }
  }
  const u = counts.map((c) => {
    const sum = c.reduce((a, b) => a + b, 0);
    return Array.from(c, (x) => (x + U_SMOOTHING) / (sum + U_SMOOTHING * c.length));
  });
  return { u, nonNull: Array.from(nonNull, (x) => x / Math.max(total, 1)) };
}

/**
 * Adds the levels of a `run`'s first `n` candidates to `hist`, per comparison `k` a tally of the 256
 * byte values at `hist[k * 256 + level]` (the null level included, skipped when reading it back):
 * no branch per pair, so the u sample's 10⁶ pairs × comparisons cost little next to their levels.
 */
function countLevels(out: readonly Uint8Array[], n: number, hist: Float64Array): void {
  for (let k = 0; k < out.length; k++) {
    const o = at(out, k);
    const base = k * 256;
    for (let x = 0; x < n; x++) {
      const j = base + (o[x] as number);
      hist[j] = (hist[j] as number) + 1;
    }
  }
}

/**
 * Picks up to `n` of the records, seeded, as ranks in their ID order `order` (so by ID, not
 * position); returns their positions in increasing order.
 */
function sampleRecords(order: Uint32Array, n: number, rng: Random): Uint32Array {
  const total = order.length;
  if (n >= total) return Uint32Array.from({ length: total }, (_, i) => i);
  // Floyd's algorithm, then sort.
  const chosen = new Set<number>();
  for (let j = total - n; j < total; j++) {
    const t = rng.below(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Uint32Array.from(chosen, (r) => order[r] ?? r).sort();
}

/**
 * Trains a model on an encoded CoC batch (left) and plan batch (right).
 * @example
 * ```ts
 * const model = trainModel(coc, mcp, DEFAULT_COMPARISONS, { seed: 1 });
 * model.lambda; // estimated prior match probability
 * ```
 */
export function trainModel(
  left: EncodedBatch,
  right: EncodedBatch,
  specs: readonly ComparisonSpec[],
  opts: TrainOptions = {},
): LinkageModel {
  const seed = opts.seed ?? 42;
  const rng = new Random(seed);
  const batch = new BatchLevels(specs, left, right, opts.batch);
  const nL = left.length;
  const nR = right.length;
  const uSamples = opts.uSamplePairs ?? 1_000_000;
  // Samples are drawn by rank in a seeded order of the record IDs: row order cannot change them.
  const orderL = idOrder(left.ids, seed);
  const orderR = idOrder(right.ids, seed ^ 0x5bd1e995);
  const { u, nonNull } = estimateU(batch, specs, nL, nR, uSamples, rng, orderL, orderR, opts.onProgress);
  const maxBlock = opts.maxBlockSize ?? 500;
  const sample = sampleRecords(orderL, opts.trainingRecords ?? 50_000, rng);
  // The last pattern position is the pair's prior-shift bin (see SHIFT_BINS).
  const K = specs.length;
  const levels = new Uint8Array(K + 1);
  const levelCounts = [...specs.map(levelCount), SHIFT_BINS];
  const tfOn = opts.termFrequency ?? true;
  const idx = (name: string) => specs.findIndex((s) => s.name === name);
  const det = { first: idx('FirstName'), last: idx('LastName'), dob: idx('DOB'), ssn: idx('SSN') };
  const freqs = new Map<string, TfColumn | undefined>();
  const freq = (feature: string): TfColumn | undefined => {
    if (!tfOn) return undefined;
    if (!freqs.has(feature)) {
      const values = left.hashes[feature];
      const rightValues = right.hashes[feature];
      freqs.set(
        feature,
        values && rightValues ? { values, table: frequencyTable(values, rightValues) } : undefined,
      );
    }
    return freqs.get(feature);
  };
  // Term-frequency levels of the comparisons (as scoring applies them): in EM a pair at such a level
  // has the u of its own value, not the level's average — u is fixed, so it is a per-pair prior.
  const tfLevels = specs.flatMap((sp, k) =>
    sp.levels.flatMap((lv, l) => {
      const f = lv.tf ? freq(lv.tf) : undefined;
      if (!f) return [];
      const n = sp.levels.length;
      return (sp.splitByDq ? [l, l + n] : [l]).map((level) => ({
        k,
        level,
        logU: Math.log(at(at(u, k), level)),
        f,
      }));
    }),
  );

  // Pattern counts of every training session, and the deterministic links, in one pass.
  const rules = (opts.trainingRules ?? DEFAULT_TRAINING_RULES).flatMap((rule) => {
    const l = ruleColumn(left, rule);
    const r = ruleColumn(right, rule);
    if (!l || !r) return [];
    const forced = rule.forces.map(idx).filter((k) => k >= 0);
    // The values the rule forces to agree: in a block of a common name (or a placeholder DOB) most
    // pairs are strangers, in a block of a rare one most are matches; the session's λ is an average.
    const forcedTf =
      rule.features.length !== rule.forces.length
        ? []
        : rule.forces.flatMap((name, j) => {
            const k = idx(name);
            const f = freq(at(rule.features, j));
            return k >= 0 && f ? [{ logU: Math.log(at(at(u, k), 0)), f }] : [];
          });
    // Two or more forced values (first and last name): their joint frequency, not the product of
    // each one's — names are not independent (JOSE GARCIA is far commoner than JOSE × GARCIA).
    const joint =
      tfOn && forcedTf.length >= 2 && forcedTf.length === rule.features.length
        ? (() => {
            const values = perRecord(l, nL);
            return { values, table: frequencyTable(values, perRecord(r, nR)) };
          })()
        : undefined;
    return [
      {
        rule,
        left: l,
        index: buildPassIndex(rule.name, r) as PassIndex,
        forced,
        forcedTf,
        joint,
        activeTf: tfLevels.filter((t) => !forced.includes(t.k)),
        counter: new PatternCounter(levelCounts),
      },
    ];
  });
  let detLinks = 0;
  for (let s = 0; s < sample.length; s++) {
    const i = sample[s] ?? 0;
    let linked = false;
    for (const r of rules) {
      let base = 0;
      let logProduct = 0;
      for (const t of r.forcedTf) {
        base += t.logU;
        logProduct += logFrequency(t.f, i);
      }
      base -= r.joint ? Math.max(logProduct, logJointFrequency(r.joint, i)) : logProduct;
      const tfShift = r.activeTf.map((t) => t.logU - logFrequency(t.f, i));
      for (let q = r.left.offsets[i] ?? 0, end = r.left.offsets[i + 1] ?? 0; q < end; q++) {
        const key = r.left.keys[q] ?? 0;
        const start = lowerBound(r.index.keys, key);
        let end = start;
        while (end < r.index.keys.length && r.index.keys[end] === key) end++;
        if (end - start > maxBlock) continue;
        const J = r.index.records.subarray(start, end);
        for (let from = 0; from < J.length; from += batch.capacity) {
          const n = Math.min(batch.capacity, J.length - from);
          batch.run(i, J, from, n);
          // A column per comparison, read once per run: the getter checks the kernel memory's
          // buffer, which cost more than the pair's counting when read per pair and comparison.
          const out = batch.out;
          for (let x = 0; x < n; x++) {
            for (let k = 0; k < K; k++) levels[k] = out[k]?.[x] ?? 0;
            let shift = base;
            // An index loop: entries() would make an iterator and a tuple per pair.
            for (let t = 0; t < r.activeTf.length; t++) {
              const tl = r.activeTf[t];
              if (tl !== undefined && levels[tl.k] === tl.level) shift += tfShift[t] ?? 0;
            }
            levels[K] = shiftBin(shift);
            r.counter.add(levels);
            if (!linked && isDeterministic(levels, det)) linked = true;
          }
        }
      }
    }
    if (linked) detLinks++;
    if (opts.onProgress && (s & 0x3ff) === 0) opts.onProgress({ stage: 'em', done: s, total: sample.length });
  }
  const tables = rules.map((r) => ({ ...r, table: r.counter.toTable() }));

  let m = specs.map(priorM);
  let lambda = 1e-4;
  let lambdaMethod = '';
  let recall = 0;
  const scaledLinks = sample.length > 0 ? (detLinks * nL) / sample.length : 0;
  let sessions: EmSession[] = [];
  const trained = new Float64Array(specs.length);
  /** Of the same-DOB session's expected matches, the share whose names or SSN agree exactly. */
  let namesGivenDob = Number.NaN;
  for (let round = 0; round < ROUNDS; round++) {
    // λ from the deterministic links and the rules' recall under the current model.
    const exactM = (k: number) => (k < 0 ? 0 : at(nonNull, k) * at(at(m, k), 0));
    const pDob = exactM(det.dob);
    const pSsn = exactM(det.ssn);
    recall = Number.isFinite(namesGivenDob)
      ? pDob * namesGivenDob + (1 - pDob) * pSsn
      : 1 - (1 - exactM(det.first) * exactM(det.last) * pDob) * (1 - pSsn);
    let expected = recall > 0.01 ? scaledLinks / recall : scaledLinks;
    lambdaMethod = 'deterministic rules (names and DOB exact, or SSN exact) ÷ their recall from m';
    if (detLinks === 0) {
      expected = Math.min(nL, nR) * 0.1;
      lambdaMethod = 'no deterministic links found: assumed 10% of the smaller list matches';
    }
    expected = Math.min(Math.max(expected, 1), Math.min(nL, nR));
    lambda = Math.min(Math.max(expected / (nL * nR), 1e-12), 0.5);

    // m by EM in each session, with the session's match rate fixed from λ and the forced comparisons.
    const mSum = specs.map((sp) => new Float64Array(levelCount(sp)));
    const wSum = new Float64Array(specs.length);
    sessions = [];
    for (const r of tables) {
      const pairs = r.table.counts.reduce((a, b) => a + b, 0);
      if (pairs < 20) continue;
      let lm = Math.log(lambda);
      let lu = Math.log1p(-lambda);
      for (const k of r.forced) {
        lm += Math.log(at(at(m, k), 0));
        lu += Math.log(at(at(u, k), 0));
      }
      const lambdaS = Math.min(Math.max(1 / (1 + Math.exp(lu - lm)), 1e-6), 1 - 1e-6);
      // A comparison null on every pattern of the session (Sex in the same-name session: its null
      // rule holds on every pair whose first names agree) has no data there: EM would keep its
      // starting row, which must neither count as trained nor be averaged into m.
      const active = [...specs.map((_, k) => !r.forced.includes(k) && hasData(r.table, k)), false];
      const flat = Array.from({ length: SHIFT_BINS }, () => 1 / SHIFT_BINS);
      const namesGivenDobSession =
        r.forced.length === 1 && r.forced[0] === det.dob && det.first >= 0 && det.last >= 0;
      const res = runEm(
        r.table,
        { lambda: lambdaS, m: [...m, flat], u: [...u, flat] },
        {
          fixU: true,
          fixLambda: !namesGivenDobSession,
          active,
          priorShift: { comparison: K, shift: SHIFT_CENTRES },
        },
      );
      const lambdaHat = namesGivenDobSession ? res.params.lambda : lambdaS;
      sessions.push({
        pass: r.rule.name,
        pairs,
        patterns: r.table.counts.length,
        trained: specs.filter((_, k) => active[k]).map((sp) => sp.name),
        iterations: res.iterations,
        converged: res.converged,
        lambda: lambdaHat,
        logLikelihood: res.logLikelihood,
      });
      if (namesGivenDobSession) {
        const share = matchShare(
          r.table,
          lambdaHat,
          res.params.m,
          res.params.u,
          active,
          (row) => (row[det.first] === 0 && row[det.last] === 0) || (det.ssn >= 0 && row[det.ssn] === 0),
        );
        // Too few expected matches to say: keep the per-comparison product.
        if (share * lambdaHat * pairs >= MIN_SHARE_MATCHES) namesGivenDob = share;
      }
      const weight = lambdaHat * pairs;
      for (let k = 0; k < specs.length; k++) {
        if (!active[k]) continue;
        const sum = at(mSum, k);
        at(res.params.m, k).forEach((v, l) => {
          sum[l] = at(sum, l) + v * weight;
        });
        wSum[k] = at(wSum, k) + weight;
      }
    }
    m = capM(
      specs,
      specs.map((_, k) => {
        const w = at(wSum, k);
        return w > 0 ? Array.from(at(mSum, k), (v) => v / w) : at(m, k);
      }),
      opts.mCaps ?? DEFAULT_M_CAPS,
    );
    for (const [k, w] of wSum.entries()) trained[k] = w > 0 ? 1 : 0;
  }
  opts.onProgress?.({ stage: 'lambda', done: 1, total: 1 });

  return deepFreeze({
    bloomlinkModel: 2,
    ...(opts.schemaFingerprint ? { schemaFingerprint: opts.schemaFingerprint } : {}),
    comparisons: specs.map((spec, k) => ({ spec, m: at(m, k), u: at(u, k), mTrained: trained[k] === 1 })),
    lambda,
    termFrequency: {
      enabled: opts.termFrequency ?? true,
      comparisons: specs.filter((s) => s.levels.some((l) => l.tf)).map((s) => s.name),
    },
    training: {
      seed,
      uSamplePairs: Math.min(uSamples, nL * nR),
      trainingRecords: sample.length,
      sessions,
      lambdaMethod,
      deterministicLinks: Math.round(scaledLinks),
      deterministicRecall: recall,
    },
  });
}

function isDeterministic(
  levels: Uint8Array,
  det: { first: number; last: number; dob: number; ssn: number },
): boolean {
  if (det.ssn >= 0 && levels[det.ssn] === 0) return true;
  return (
    det.first >= 0 &&
    det.last >= 0 &&
    det.dob >= 0 &&
    levels[det.first] === 0 &&
    levels[det.last] === 0 &&
    levels[det.dob] === 0
  );
}

/** Whether comparison `k` has a non-null level on some pattern of the table. */
function hasData(
  table: { readonly patterns: Uint8Array; readonly levelCounts: readonly number[] },
  k: number,
): boolean {
  const K = table.levelCounts.length;
  for (let r = k; r < table.patterns.length; r += K) if (table.patterns[r] !== NULL_LEVEL) return true;
  return false;
}
