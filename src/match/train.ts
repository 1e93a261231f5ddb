/**
 * Training, as Splink does it, on encoded data:
 * 1. u by seeded random sampling of record pairs (nearly all random pairs are non-matches);
 * 2. m by EM on agreement-pattern counts with u fixed, one session per blocking pass over the pairs
 *    that pass found, leaving out the comparisons the pass conditions on (their agreement is forced
 *    by blocking), then averaging each comparison's m over the sessions that trained it;
 * 3. λ from strict deterministic rules (names and DOB exact, or SSN exact), divided by the rules'
 *    recall among matches as computed from the trained m — so no recall has to be guessed.
 * Deterministic for a given seed. Returns a new, frozen model.
 */
import type { EncodedBatch } from '../encode/batch.js';
import { Random } from '../util/prng.js';
import { CandidateGenerator } from './blocking.js';
import { compileComparisons } from './compare.js';
import { type ComparisonSpec, levelCount } from './comparisons.js';
import { runEm } from './em.js';
import { deepFreeze, type EmSession, type LinkageModel, priorM } from './model.js';
import { NULL_LEVEL, PatternCounter } from './patterns.js';

/** Options of {@link trainModel}. */
export interface TrainOptions {
  /** Seed of every random choice (default 42). */
  readonly seed?: number;
  /** Random pairs sampled to estimate u (default 1,000,000, at most all pairs). */
  readonly uSamplePairs?: number;
  /** CoC records whose candidate pairs are used for EM (default 50,000; a seeded sample when more). */
  readonly trainingRecords?: number;
  /** Comparisons each blocking pass conditions on (left out of that pass's EM session). */
  readonly passComparisons?: Readonly<Record<string, readonly string[]>>;
  /** Blocking cap, as in matching. */
  readonly maxBlockSize?: number;
  /** Schema fingerprint to record in the model. */
  readonly schemaFingerprint?: string;
  /** Term-frequency adjustment on (default true). */
  readonly termFrequency?: boolean;
  /** Progress: stage name and fraction done. */
  readonly onProgress?: (p: { stage: 'u' | 'em' | 'lambda'; done: number; total: number }) => void;
}

const U_SMOOTHING = 0.5;

/** Estimates u for every comparison from random pairs; also returns each comparison's non-null rate. */
function estimateU(
  fns: ReturnType<typeof compileComparisons>,
  specs: readonly ComparisonSpec[],
  nL: number,
  nR: number,
  samples: number,
  rng: Random,
  onProgress?: TrainOptions['onProgress'],
): { u: number[][]; nonNull: number[] } {
  const counts = specs.map((s) => new Float64Array(levelCount(s)));
  const nonNull = new Float64Array(specs.length);
  const all = nL * nR <= samples;
  const total = all ? nL * nR : samples;
  for (let s = 0; s < total; s++) {
    const i = all ? Math.floor(s / nR) : rng.below(nL);
    const j = all ? s % nR : rng.below(nR);
    for (let k = 0; k < fns.length; k++) {
      const l = fns[k]!(i, j);
      if (l !== NULL_LEVEL) {
        counts[k]![l]!++;
        nonNull[k]!++;
      }
    }
    if (onProgress && (s & 0xffff) === 0) onProgress({ stage: 'u', done: s, total });
  }
  const u = counts.map((c) => {
    const sum = c.reduce((a, b) => a + b, 0);
    return Array.from(c, (x) => (x + U_SMOOTHING) / (sum + U_SMOOTHING * c.length));
  });
  return { u, nonNull: Array.from(nonNull, (x) => x / Math.max(total, 1)) };
}

/** Picks up to `n` of `total` indices, seeded, in increasing order. */
function sampleIndices(total: number, n: number, rng: Random): Uint32Array {
  if (n >= total) return Uint32Array.from({ length: total }, (_, i) => i);
  // Floyd's algorithm, then sort.
  const chosen = new Set<number>();
  for (let j = total - n; j < total; j++) {
    const t = rng.below(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Uint32Array.from([...chosen].sort((a, b) => a - b));
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
  const fns = compileComparisons(specs, left, right);
  const nL = left.length;
  const nR = right.length;
  const uSamples = opts.uSamplePairs ?? 1_000_000;
  const { u, nonNull } = estimateU(fns, specs, nL, nR, uSamples, rng, opts.onProgress);

  // EM sessions, one per blocking pass, over the candidate pairs of a sample of CoC records.
  const gen = new CandidateGenerator(left, right, opts.maxBlockSize === undefined ? {} : { maxBlockSize: opts.maxBlockSize });
  const passNames = gen.passes.map((p) => p.name);
  const levelCounts = specs.map(levelCount);
  const counters = passNames.map(() => new PatternCounter(levelCounts));
  const sample = sampleIndices(nL, opts.trainingRecords ?? 50_000, rng);
  const levels = new Uint8Array(specs.length);
  const idx = (name: string) => specs.findIndex((s) => s.name === name);
  const det = { first: idx('FirstName'), last: idx('LastName'), dob: idx('DOB'), ssn: idx('SSN') };
  let detLinks = 0;
  for (let s = 0; s < sample.length; s++) {
    const i = sample[s]!;
    const c = gen.candidates(i, false);
    let linked = false;
    for (let x = 0; x < c.count; x++) {
      const j = c.right[x]!;
      for (let k = 0; k < fns.length; k++) levels[k] = fns[k]!(i, j);
      const mask = c.passMask[x]!;
      for (let p = 0; p < counters.length; p++) if (mask & (1 << p)) counters[p]!.add(levels);
      if (!linked && isDeterministic(levels, det)) linked = true;
    }
    if (linked) detLinks++;
    if (opts.onProgress && (s & 0x3ff) === 0) opts.onProgress({ stage: 'em', done: s, total: sample.length });
  }

  const mSum = specs.map((sp) => new Float64Array(levelCount(sp)));
  const mSessions = new Float64Array(specs.length);
  const sessions: EmSession[] = [];
  const mInit = specs.map(priorM);
  for (let p = 0; p < counters.length; p++) {
    const table = counters[p]!.toTable();
    const pairs = table.counts.reduce((a, b) => a + b, 0);
    const implied = new Set(opts.passComparisons?.[passNames[p]!] ?? []);
    const active = specs.map((sp) => !implied.has(sp.name));
    if (pairs < 20) continue;
    const res = runEm(table, { lambda: 0.1, m: mInit, u }, { fixU: true, active });
    sessions.push({
      pass: passNames[p]!,
      pairs,
      patterns: table.counts.length,
      trained: specs.filter((_, k) => active[k]).map((sp) => sp.name),
      iterations: res.iterations,
      converged: res.converged,
      lambda: res.params.lambda,
      logLikelihood: res.logLikelihood,
    });
    for (let k = 0; k < specs.length; k++) {
      if (!active[k]) continue;
      res.params.m[k]!.forEach((v, l) => {
        mSum[k]![l]! += v;
      });
      mSessions[k]!++;
    }
  }
  const m = specs.map((_, k) => (mSessions[k]! > 0 ? Array.from(mSum[k]!, (v) => v / mSessions[k]!) : mInit[k]!));

  // λ from deterministic links and the rule's recall among matches, computed from m.
  const exactM = (k: number) => (k < 0 ? 0 : nonNull[k]! * m[k]![0]!);
  const recallNames = exactM(det.first) * exactM(det.last) * exactM(det.dob);
  const recallSsn = exactM(det.ssn);
  const recall = 1 - (1 - recallNames) * (1 - recallSsn);
  const scaledLinks = sample.length > 0 ? (detLinks * nL) / sample.length : 0;
  let expectedMatches = recall > 0.01 ? scaledLinks / recall : scaledLinks;
  let lambdaMethod = 'deterministic rules (names and DOB exact, or SSN exact) ÷ their recall from m';
  if (detLinks === 0) {
    const best = sessions.reduce((a, s) => Math.max(a, s.lambda * s.pairs), 0);
    expectedMatches = (best * nL) / Math.max(sample.length, 1);
    lambdaMethod = 'EM session estimate (no deterministic links found)';
  }
  expectedMatches = Math.min(Math.max(expectedMatches, 1), Math.min(nL, nR));
  const lambda = Math.min(Math.max(expectedMatches / (nL * nR), 1e-12), 0.5);
  opts.onProgress?.({ stage: 'lambda', done: 1, total: 1 });

  return deepFreeze({
    bloomlinkModel: 1,
    ...(opts.schemaFingerprint ? { schemaFingerprint: opts.schemaFingerprint } : {}),
    comparisons: specs.map((spec, k) => ({ spec, m: m[k]!, u: u[k]!, mTrained: mSessions[k]! > 0 })),
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

function isDeterministic(levels: Uint8Array, det: { first: number; last: number; dob: number; ssn: number }): boolean {
  if (det.ssn >= 0 && levels[det.ssn] === 0) return true;
  return det.first >= 0 && det.last >= 0 && det.dob >= 0 && levels[det.first] === 0 && levels[det.last] === 0 && levels[det.dob] === 0;
}
