/**
 * Training, as Splink does it, on encoded data:
 * 1. u by seeded random sampling of record pairs (nearly all random pairs are non-matches), less
 *    the true pairs among them: u' = (u − λ m) / (1 − λ) on the counts, with λ and m from steps
 *    2–3 (`nonMatchU`; from round 1 of the rounds below, round 0 keeps the random pairs' u);
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
 * Steps 2 and 3 (and u's correction) alternate a few rounds, since each uses the others' result.
 * Deterministic for a given seed, and independent of row order: every sample is drawn by record ID
 * (see `idOrder`), and counts do not depend on the order pairs are seen in. Returns a new, frozen model.
 */

import { type ComparisonSpec, levelCount } from '../compare/comparisons.js';
import { NULL_LEVEL } from '../compare/patterns.js';
import type { EncodedBatch } from '../encoded/batch.js';
import { at } from '../util/defined.js';
import { countingGroups } from '../util/id-order.js';
import { runEm } from './em.js';
import { deepFreeze, type EmSession, type LinkageModel, priorM } from './model.js';
import { BatchLevels, type BatchScoring, presetFrequencyTable } from './score.js';
import {
  type SessionCounting,
  type SessionCounts,
  type SessionPiece,
  SHIFT_BINS,
  SHIFT_CENTRES,
  sessionPieces,
  type TrainingInput,
  TrainingStages,
  U_SMOOTHING,
} from './train-stages.js';

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
  /**
   * Take the true pairs out of the random pairs' u (default true): u' = (u − λ m) / (1 − λ) with
   * the trained λ and m (`docs/scoring.md` §4). `false` keeps u as the random pairs give it.
   */
  readonly uWithoutMatches?: boolean;
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
 *
 * Sex "else" ≤ 0.05 (issue #13): a true match whose recorded sex differs, where its first names
 * differ too (Sex is null beside a shared first name), is a data-entry accident or a change of the
 * recorded sex; the synthetic CoC/plan lists have 0.4 % (measured from their truth). EM overstates
 * it on a large plan list without SSN: the same-DOB session, then the only one where Sex is active
 * (the first names may differ there), is mostly strangers sharing a birth date (sex agreeing half
 * the time), and at 10⁵ × 3·10⁶ it put m(Sex = else) at 0.41, so that a stranger of the other sex
 * lost only 0.3 bits. With the bound a different sex counts at least log2(0.5 / 0.05) ≈ 3.3 bits
 * against the pair.
 * @example
 * ```ts
 * trainModel(coc, mcp, DEFAULT_COMPARISONS, { mCaps: [...DEFAULT_M_CAPS, { comparison: 'SSN', level: 'else', max: 0.02 }] });
 * ```
 */
export const DEFAULT_M_CAPS: readonly MCap[] = [
  { comparison: 'DOB', level: 'else', max: 0.05 },
  { comparison: 'MemberID', level: 'exact', max: 0.9 },
  { comparison: 'Sex', level: 'else', max: 0.05 },
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

/**
 * u of the non-matches from the random pairs' counts: the random pairs hold λ true pairs in each, so
 * a level's count holds λ × N_k × m of them (N_k: the comparison's non-null pairs); they are taken
 * out, u' = (u − λ m) / (1 − λ) on the raw shares, with a count floored at 0 (a level cannot have
 * fewer non-matches than none) and smoothed as the raw u is.
 */
function nonMatchU(
  counts: readonly (readonly number[])[],
  lambda: number,
  m: readonly (readonly number[])[],
): number[][] {
  return counts.map((c, k) => {
    const n = c.reduce((a, b) => a + b, 0);
    const mk = at(m, k);
    const clean = c.map((x, l) => Math.max(0, x - lambda * n * at(mk, l)));
    const sum = clean.reduce((a, b) => a + b, 0);
    return clean.map((x) => (x + U_SMOOTHING) / (sum + U_SMOOTHING * clean.length));
  });
}

/** Expected matches with exact names in the same-DOB session below which their share is not used. */
const MIN_SHARE_MATCHES = 20;
const ROUNDS = 3;

/**
 * The share of a session's expected matches whose pattern satisfies `holds`: Σ count × posterior
 * over the patterns where it holds, over Σ count × posterior. The posterior of a pattern is the one
 * EM ended with (its λ_s, its prior-shift bin and level shifts, m and u of the active comparisons); the patterns are
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
  levelShift: readonly { readonly comparison: number; readonly level: number; readonly shift: number }[],
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
    for (const t of levelShift) if (row[t.comparison] === t.level) lo += t.shift;
    const post = (table.counts[r] ?? 0) / (1 + Math.exp(-lo));
    all += post;
    if (holds(row)) hit += post;
  }
  return all > 0 ? hit / all : Number.NaN;
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
  return finishTraining(countTraining(left, right, specs, opts));
}

/** Training counted by {@link countTraining}, with the batches, specs and options it was counted with. */
export interface CountedTraining {
  readonly training: ModelTraining;
  readonly left: EncodedBatch;
  readonly right: EncodedBatch;
  readonly specs: readonly ComparisonSpec[];
  readonly opts: TrainOptions;
}

/**
 * The first part of {@link trainModel}: the counting reading of the plan (frequency tables, the
 * sessions' keys). It reads the batches' columns only, never `opts.batch`'s row store, so the row
 * store can be written on other threads meanwhile; {@link finishTraining} does the rest.
 * @example
 * ```ts
 * const counted = countTraining(coc, mcp, DEFAULT_COMPARISONS, opts); // the row store still being filled
 * const model = finishTraining(counted); // once it is
 * ```
 */
export function countTraining(
  left: EncodedBatch,
  right: EncodedBatch,
  specs: readonly ComparisonSpec[],
  opts: TrainOptions = {},
): CountedTraining {
  const training = new ModelTraining(left, specs, opts);
  training.count(right, { whole: true });
  training.endCounting({ oneChunk: true });
  // Scoring the same plan asks for the same tables: counted once.
  for (const [f, table] of training.frequencyTables()) {
    const l = left.hashes[f];
    const r = right.hashes[f];
    if (l && r) presetFrequencyTable(l, r, table);
  }
  return { training, left, right, specs, opts };
}

/**
 * The rest of {@link trainModel} after {@link countTraining}, with what it was counted with: u from
 * random pairs and the EM sessions, scored with `opts.batch` (its row store written by now), then
 * the model.
 * @example
 * ```ts
 * const model = finishTraining(countTraining(coc, mcp, specs, opts));
 * ```
 */
export function finishTraining(counted: CountedTraining): LinkageModel {
  const { training: t, left, right, specs, opts } = counted;
  const levels = new BatchLevels(specs, left, right, opts.batch);
  t.uChunk(right, 0, levels);
  t.endU();
  t.emChunk(right, levels);
  return t.finish();
}

/**
 * Other threads that {@link finishTrainingOn} hands training's per-pair loops to: each call does
 * one piece where the plan's row store is readable (a worker thread of the match), and resolves to
 * its whole-number counts.
 */
export interface TrainingHelpers {
  /** Pieces to cut the u sample and the plan into (a few per helper thread balance the load). */
  readonly pieces: number;
  /** `tallyUPairs` of a slice of the u sample's pairs over the whole plan (base 0). */
  tallyU(left: Uint32Array, right: Uint32Array): Promise<Float64Array>;
  /** `countSessionPairs` of one piece (a rule's key entries) over the whole plan, into fresh counters. */
  countSessions(counting: SessionCounting, piece: SessionPiece): Promise<SessionCounts>;
  /** Work for this thread while the sessions are counted elsewhere (called once, synchronously). */
  readonly meanwhile?: () => void;
}

/**
 * {@link finishTraining} with the u sample and the EM sessions' pair counting done by `helpers`
 * (worker threads) in pieces: their counts are whole numbers, summed here, so the model is the same
 * as `finishTraining`'s, byte for byte, for any number of pieces. The EM and λ rounds on the counted
 * patterns run on this thread. `opts.batch` (the row store) must be complete, as for `finishTraining`.
 * @example
 * ```ts
 * const model = await finishTrainingOn(countTraining(coc, mcp, specs, opts), {
 *   pieces: 8,
 *   tallyU: (left, right) => pool.run({ kind: 'u', left, right }).then((r) => r.hist),
 *   countSessions: (counting, piece) => pool.run({ kind: 'em', counting, piece }).then((r) => r.counts),
 * });
 * ```
 */
export async function finishTrainingOn(
  counted: CountedTraining,
  helpers: TrainingHelpers,
): Promise<LinkageModel> {
  const { training: t, left, right, specs, opts } = counted;
  const levels = new BatchLevels(specs, left, right, opts.batch);
  const pairs = t.uPairs();
  if (pairs) {
    const tallies = await settled(
      uPieces(pairs, left.length, helpers.pieces).map((p) => helpers.tallyU(p.left, p.right)),
    );
    t.uChunk(right, 0, levels, tallies);
  } else t.uChunk(right, 0, levels);
  t.endU();
  const counting = t.sessionCounting();
  const pieces = sessionPieces(counting, helpers.pieces);
  const counts = pieces.map((p) => helpers.countSessions(counting, p));
  for (const c of counts) c.catch(() => {});
  helpers.meanwhile?.();
  const done = await settled(counts);
  // Progress in plan records: each piece its share, the shares adding up to the plan.
  const n = right.length;
  done.forEach((c, x) => {
    t.addSessionCounts(c, Math.floor(((x + 1) * n) / done.length) - Math.floor((x * n) / done.length));
  });
  return t.finish();
}

/**
 * The u sample's pairs cut into pieces of about equal size at CoC record boundaries, grouped by CoC
 * record (in draw order within one, as `tallyUPairs` takes them): a record's pairs stay together, so
 * its levels take as few kernel calls as on one thread. Fresh arrays: a view would post its whole buffer.
 */
function uPieces(
  pairs: { readonly left: Uint32Array; readonly right: Uint32Array },
  nL: number,
  pieces: number,
): { left: Uint32Array; right: Uint32Array }[] {
  const { order, first } = countingGroups(pairs.left, nL);
  const n = pairs.left.length;
  const out: { left: Uint32Array; right: Uint32Array }[] = [];
  const cut = (a: number, b: number) => {
    const left = new Uint32Array(b - a);
    const right = new Uint32Array(b - a);
    for (let x = a; x < b; x++) {
      const o = order[x] as number;
      left[x - a] = pairs.left[o] as number;
      right[x - a] = pairs.right[o] as number;
    }
    out.push({ left, right });
  };
  let from = 0;
  for (let i = 1; i <= nL; i++) {
    const at = first[i] as number;
    if (at > from && (at >= (n * (out.length + 1)) / Math.max(1, pieces) || i === nL)) {
      cut(from, at);
      from = at;
    }
  }
  return out;
}

/** All the promises' values; every one is awaited (handled) before the first failure is thrown. */
async function settled<T>(all: readonly Promise<T>[]): Promise<T[]> {
  const r = await Promise.allSettled(all);
  const failed = r.find((x) => x.status === 'rejected');
  if (failed) throw failed.reason;
  return r.map((x) => (x as PromiseFulfilledResult<T>).value);
}

/**
 * Training with the plan side given chunk by chunk, in three readings (see `TrainingStages`):
 * `count` each chunk then `endCounting`; `uChunk` each chunk then `endU`; `emChunk` each chunk; then
 * `finish`. The model equals `trainModel`'s on the whole plan, whatever the chunks.
 * @example
 * ```ts
 * const t = new ModelTraining(coc, DEFAULT_COMPARISONS, { seed: 7 });
 * for (const c of chunks) t.count(c);
 * t.endCounting();
 * let base = 0;
 * for (const c of chunks) { t.uChunk(c, base); base += c.length; }
 * t.endU();
 * for (const c of chunks) t.emChunk(c);
 * const model = t.finish();
 * ```
 */
export class ModelTraining extends TrainingStages {
  constructor(
    left: EncodedBatch,
    private readonly modelSpecs: readonly ComparisonSpec[],
    private readonly trainOpts: TrainOptions = {},
  ) {
    super(left, modelSpecs, trainOpts, trainOpts.trainingRules ?? DEFAULT_TRAINING_RULES);
  }

  /** The trained model (EM and λ rounds on the counted sessions), once every stage is done. */
  finish(): LinkageModel {
    return fitModel(this.modelSpecs, this.trainOpts, this.input());
  }
}

/** m by EM in the sessions and λ from the deterministic links, alternating (see the module comment). */
function fitModel(specs: readonly ComparisonSpec[], opts: TrainOptions, input: TrainingInput): LinkageModel {
  const { nonNull, nL, nR, detLinks } = input;
  const uRandom = input.u;
  /** u of the non-matches (the random pairs' u until λ and m are first estimated). */
  let u = uRandom;
  /**
   * At term-frequency levels, log(u / u_random): the prior shifts were binned with the random pairs'
   * log u; this makes them log(u / u_v), as if binned with u.
   */
  let tfCancel: { comparison: number; level: number; shift: number }[] = [];
  const seed = opts.seed ?? 42;
  const K = specs.length;
  const idx = (name: string) => specs.findIndex((s) => s.name === name);
  const det = { first: idx('FirstName'), last: idx('LastName'), dob: idx('DOB'), ssn: idx('SSN') };
  const tables = input.sessions;
  const sample = { length: input.sampled };
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
    if (round > 0 && (opts.uWithoutMatches ?? true)) {
      // The true pairs among the random ones taken out of u, with this round's λ and the last m.
      u = nonMatchU(input.uCounts, lambda, m);
      tfCancel = input.tfLevels.map(([k, l]) => ({
        comparison: k,
        level: l,
        shift: Math.log(at(at(u, k), l)) - Math.log(at(at(uRandom, k), l)),
      }));
    }

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
        // A forced value with a frequency: its prior shift holds the random pairs' log u, which
        // must cancel here (the pair's prior is then λ m / u_v).
        lu += Math.log(at(at(r.forcedTf.includes(k) ? uRandom : u, k), 0));
      }
      const lambdaS = Math.min(Math.max(1 / (1 + Math.exp(lu - lm)), 1e-6), 1 - 1e-6);
      // A comparison null on every pattern of the session (Sex in the same-name session: its null
      // rule holds on every pair whose first names agree) has no data there: EM would keep its
      // starting row, which must neither count as trained nor be averaged into m.
      const active = [...specs.map((_, k) => !r.forced.includes(k) && hasData(r.table, k)), false];
      const flat = Array.from({ length: SHIFT_BINS }, () => 1 / SHIFT_BINS);
      const levelShift = tfCancel.filter((t) => active[t.comparison]);
      const namesGivenDobSession =
        r.forced.length === 1 && r.forced[0] === det.dob && det.first >= 0 && det.last >= 0;
      const res = runEm(
        r.table,
        { lambda: lambdaS, m: [...m, flat], u: [...u, flat] },
        {
          fixU: true,
          fixLambda: !namesGivenDobSession,
          active,
          priorShift: { comparison: K, shift: SHIFT_CENTRES, levels: levelShift },
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
          levelShift,
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
      uSamplePairs: input.uSamplePairs,
      trainingRecords: sample.length,
      sessions,
      lambdaMethod,
      deterministicLinks: Math.round(scaledLinks),
      deterministicRecall: recall,
    },
  });
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
