/**
 * The ceiling of the default comparisons on a set with ground truth (issue #13): oracle models whose
 * m, u and prior are counted from the truth on the very candidate pairs the default blocking makes,
 * scored from the same comparison levels and decided (one-to-one, thresholds, ambiguity rule) by the
 * default path's `assembleMatch`. Nothing here is library code: it needs the truth.
 *
 * One pass evaluates every candidate pair's levels (the default kernels) and keeps them as one
 * pattern key per pair; every model below is then scored from the keys alone:
 * - `EM (default)`: the trained model, scored as `Scorer` does (prior, level weights in comparison
 *   order, term-frequency levels with the value's frequency) — it must give the default F1 exactly,
 *   which checks the reconstruction;
 * - `oracle m, EM u`: the same form with m counted on the true candidate pairs and λ = true pairs /
 *   all pairs (u stays the random-pair u, which is the truth for all pairs);
 * - `oracle m/u (candidates)`: m and u counted on the candidate pairs (true / not), λ = true
 *   candidate pairs / candidate pairs; TF levels use u(level) × f(value) / mean f over the non-match
 *   candidate pairs at that level; and the same without TF;
 * - `oracle patterns`: the posterior odds of each full level pattern counted from the truth (no
 *   independence assumption; in-sample, so an upper bound), with and without the TF correction.
 */

import { levelCount, levelLabel } from '../../src/compare/comparisons.js';
import { NULL_LEVEL } from '../../src/compare/patterns.js';
import type { ScoredPairs } from '../../src/decide/assign.js';
import {
  assembleMatch,
  candidateSource,
  KEEP_WEIGHT,
  type MatchOptions,
  type MatchResult,
  matchModel,
  type ScoredCandidates,
} from '../../src/match/match.js';
import { linkageMetrics } from '../../src/match/metrics.js';
import type { ComparisonParams, LinkageModel } from '../../src/model/model.js';
import { BatchLevels, frequencyTable, WEIGHT_HISTOGRAM } from '../../src/model/score.js';
import { levelWeight, priorWeight } from '../../src/model/weights.js';
import type { EncodedSet } from './scale.js';

/** Every candidate pair's comparison levels, as one mixed-radix key per pair (null = levelCount). */
export interface CandidateLevels {
  /** Pairs of CoC record i: offsets[i] … offsets[i + 1] − 1. */
  readonly offsets: Uint32Array;
  readonly right: Uint32Array;
  readonly key: Uint32Array;
  readonly isTrue: Uint8Array;
  /** Per comparison: levels + 1 (the last digit is null) and the digit's stride. */
  readonly radix: readonly number[];
  readonly stride: readonly number[];
  readonly patterns: number;
  readonly passes: ScoredCandidates['passes'];
  /** True pairs among the candidates, and all true pairs of the set (with both records present). */
  readonly trueCandidates: number;
  readonly truePairs: number;
}

/**
 * Levels of every candidate pair of the default blocking.
 * @example
 * ```ts
 * const c = candidateLevels(set, model);
 * ```
 */
export function candidateLevels(s: EncodedSet, model: LinkageModel): CandidateLevels {
  const specs = model.comparisons.map((c) => c.spec);
  const nL = s.coc.length;
  const radix = specs.map((sp) => levelCount(sp) + 1);
  const stride: number[] = [];
  let patterns = 1;
  for (const r of radix) {
    stride.push(patterns);
    patterns *= r;
  }
  if (patterns > 2 ** 32) throw new Error('too many level patterns for a 32-bit key');
  const li = new Map(Array.from(s.coc.ids, (id, i) => [id, i]));
  const ri = new Map(Array.from(s.mcp.ids, (id, j) => [id, j]));
  const truthRight = new Int32Array(nL).fill(-1);
  let truePairs = 0;
  for (const [a, b] of s.truth) {
    const i = li.get(a);
    const j = ri.get(b);
    if (i === undefined || j === undefined) continue;
    if (truthRight[i] !== -1) throw new Error('the oracle assumes one true partner per CoC record');
    truthRight[i] = j;
    truePairs++;
  }
  // Pass 1: how many pairs (no levels).
  const counter = candidateSource(s.coc, s.mcp);
  const offsets = new Uint32Array(nL + 1);
  for (let i = 0; i < nL; i++) offsets[i + 1] = offsets[i]! + counter.candidates(i, false).count;
  const total = offsets[nL]!;
  const right = new Uint32Array(total);
  const key = new Uint32Array(total);
  const isTrue = new Uint8Array(total);
  // Pass 2: levels.
  const source = candidateSource(s.coc, s.mcp);
  const levels = new BatchLevels(specs, s.coc, s.mcp);
  const K = specs.length;
  let trueCandidates = 0;
  for (let i = 0; i < nL; i++) {
    const c = source.candidates(i);
    const n = c.count;
    const at0 = offsets[i]!;
    right.set(c.right.subarray(0, n), at0);
    const J = right.subarray(at0, at0 + n);
    for (let from = 0; from < n; from += levels.capacity) {
      const m = Math.min(levels.capacity, n - from);
      levels.run(i, J, from, m);
      const out = levels.out;
      for (let x = 0; x < m; x++) {
        let k0 = 0;
        for (let k = 0; k < K; k++) {
          const l = out[k]![x]!;
          k0 += (l === NULL_LEVEL ? radix[k]! - 1 : l) * stride[k]!;
        }
        key[at0 + from + x] = k0;
      }
    }
    const t = truthRight[i]!;
    if (t >= 0)
      for (let x = 0; x < n; x++)
        if (J[x] === t) {
          isTrue[at0 + x] = 1;
          trueCandidates++;
        }
  }
  return {
    offsets,
    right,
    key,
    isTrue,
    radix,
    stride,
    patterns,
    passes: source.finishStats(),
    trueCandidates,
    truePairs,
  };
}

/** Level of comparison k in a key (NULL_LEVEL for null). */
function digit(c: CandidateLevels, key: number, k: number): number {
  const d = Math.floor(key / c.stride[k]!) % c.radix[k]!;
  return d === c.radix[k]! - 1 ? NULL_LEVEL : d;
}

/** Per left record, f(value) = max(count / total, 1 / total) of a TF feature, as scoring uses it. */
function tfFrequencies(s: EncodedSet, feature: string): Float64Array | undefined {
  const values = s.coc.hashes[feature];
  const rightValues = s.mcp.hashes[feature];
  if (!values || !rightValues) return undefined;
  const table = frequencyTable(values, rightValues);
  return Float64Array.from(values, (v) =>
    Math.max((table.counts.get(v) ?? 1) / table.total, 1 / table.total),
  );
}

/** A TF level: comparison k, level l, the left records' frequencies. */
interface TfLevel {
  readonly k: number;
  readonly l: number;
  readonly f: Float64Array;
}

function tfLevelsOf(s: EncodedSet, model: LinkageModel): TfLevel[] {
  const out: TfLevel[] = [];
  model.comparisons.forEach((c, k) => {
    if (!model.termFrequency.enabled || !model.termFrequency.comparisons.includes(c.spec.name)) return;
    const n = c.spec.levels.length;
    c.spec.levels.forEach((lv, l) => {
      if (!lv.tf) return;
      const f = tfFrequencies(s, lv.tf);
      if (!f) return;
      for (const level of c.spec.splitByDq ? [l, l + n] : [l]) {
        if (!out.some((t) => t.k === k && t.l === level)) out.push({ k, l: level, f });
      }
    });
  });
  return out;
}

/** Counts per pattern key: true and non-true candidate pairs. */
export interface PatternCounts {
  readonly t: Float64Array;
  readonly f: Float64Array;
  /** Keys seen. */
  readonly keys: Uint32Array;
}

/**
 * True and false candidate pairs per level pattern.
 * @example
 * ```ts
 * const pc = patternCounts(candidateLevels(set, model));
 * ```
 */
export function patternCounts(c: CandidateLevels): PatternCounts {
  const t = new Float64Array(c.patterns);
  const f = new Float64Array(c.patterns);
  for (let x = 0; x < c.key.length; x++) {
    if (c.isTrue[x]) t[c.key[x]!]!++;
    else f[c.key[x]!]!++;
  }
  const keys: number[] = [];
  for (let p = 0; p < c.patterns; p++) if (t[p]! > 0 || f[p]! > 0) keys.push(p);
  return { t, f, keys: Uint32Array.from(keys) };
}

/** m and u per comparison and level, counted on the true and the other candidate pairs (+0.5 smoothing). */
export function countedMU(
  c: CandidateLevels,
  pc: PatternCounts,
  model: LinkageModel,
): { m: number[][]; u: number[][] } {
  const m = model.comparisons.map((cp) => new Float64Array(levelCount(cp.spec)));
  const u = model.comparisons.map((cp) => new Float64Array(levelCount(cp.spec)));
  for (const p of pc.keys) {
    for (let k = 0; k < m.length; k++) {
      const l = digit(c, p, k);
      if (l === NULL_LEVEL) continue;
      m[k]![l]! += pc.t[p]!;
      u[k]![l]! += pc.f[p]!;
    }
  }
  const norm = (a: Float64Array) => {
    const sum = a.reduce((x, y) => x + y, 0);
    return Array.from(a, (v) => (v + 0.5) / (sum + 0.5 * a.length));
  };
  return { m: m.map(norm), u: u.map(norm) };
}

/** How one variant scores a pair: the weight of pair x (left record i, key). */
type PairWeight = (i: number, key: number) => number;

/** Scored candidates (kept pairs ≥ KEEP_WEIGHT in CoC order, histogram) under a weight function. */
function scoreAll(c: CandidateLevels, w: PairWeight): ScoredCandidates {
  const { min, binWidth, bins } = WEIGHT_HISTOGRAM;
  const hist = new Array<number>(bins).fill(0);
  const left: number[] = [];
  const right: number[] = [];
  const weight: number[] = [];
  const nL = c.offsets.length - 1;
  for (let i = 0; i < nL; i++) {
    for (let x = c.offsets[i]!; x < c.offsets[i + 1]!; x++) {
      const v = w(i, c.key[x]!);
      const bin = Math.min(bins - 1, Math.max(0, Math.floor((v - min) / binWidth)));
      hist[bin]!++;
      if (v >= KEEP_WEIGHT) {
        left.push(i);
        right.push(c.right[x]!);
        weight.push(v);
      }
    }
  }
  const pairs: ScoredPairs = {
    left: Uint32Array.from(left),
    right: Uint32Array.from(right),
    weight: Float64Array.from(weight),
  };
  return { pairs, hist, scored: c.key.length, passes: c.passes };
}

/** A Fellegi–Sunter weight function in Scorer's order (prior, then each comparison; TF levels replaced). */
function fsWeight(
  c: CandidateLevels,
  prior: number,
  table: readonly Float64Array[],
  tf: readonly { k: number; l: number; w: Float64Array }[],
): PairWeight {
  const K = table.length;
  const tfAt: (Float64Array | undefined)[][] = table.map((t) => Array.from(t, () => undefined));
  for (const t of tf) tfAt[t.k]![t.l] = t.w;
  return (i, key) => {
    let w = prior;
    for (let k = 0; k < K; k++) {
      const l = digit(c, key, k);
      if (l === NULL_LEVEL) continue;
      const t = tfAt[k]![l];
      w += t ? t[i]! : table[k]![l]!;
    }
    return w;
  };
}

/** One variant's result. */
export interface OracleRow {
  readonly name: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly threshold: number;
  /** Best F1 over match thresholds (review threshold min(default, t)) and where. */
  readonly bestF1: number;
  readonly bestThreshold: number;
  readonly bestPrecision: number;
  readonly bestRecall: number;
  /** At the default thresholds: the false links, and the true pairs not linked as matches. */
  readonly falseLinks: [string, string][];
  readonly missed: [string, string][];
}

const SWEEP = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99];

function decide(s: EncodedSet, model: LinkageModel, scored: ScoredCandidates, name: string): OracleRow {
  const metrics = (r: MatchResult) =>
    linkageMetrics(
      r.links.filter((l) => l.status === 'match').map((l) => [l.personalId, l.memberId] as [string, string]),
      s.truth,
    );
  const base = assembleMatch(s.coc, s.mcp, model, scored, { explainMatches: 0 });
  const m0 = metrics(base);
  const truth = new Map(s.truth.map(([a, b]) => [a, b]));
  const linked = base.links.filter((l) => l.status === 'match');
  const linkOf = new Map(linked.map((l) => [l.personalId, l.memberId]));
  const falseLinks = linked
    .filter((l) => truth.get(l.personalId) !== l.memberId)
    .map((l) => [l.personalId, l.memberId] as [string, string]);
  const missed = s.truth.filter(([a, b]) => linkOf.get(a) !== b).map(([a, b]) => [a, b] as [string, string]);
  let best = { f1: m0.f1, t: base.thresholds.match, p: m0.precision, r: m0.recall };
  for (const t of SWEEP) {
    const r = assembleMatch(s.coc, s.mcp, model, scored, {
      explainMatches: 0,
      thresholds: { match: t, review: Math.min(t, base.thresholds.review) },
    });
    const m = metrics(r);
    if (m.f1 > best.f1) best = { f1: m.f1, t, p: m.precision, r: m.recall };
  }
  return {
    name,
    precision: m0.precision,
    recall: m0.recall,
    f1: m0.f1,
    threshold: base.thresholds.match,
    bestF1: best.f1,
    bestThreshold: best.t,
    bestPrecision: best.p,
    bestRecall: best.r,
    falseLinks,
    missed,
  };
}

/** The oracle report of a set. */
export interface OracleReport {
  readonly rows: OracleRow[];
  /** m and u per comparison level: EM's, counted on the true / other candidate pairs. */
  readonly levels: {
    readonly level: string;
    readonly mEm: number;
    readonly mOracle: number;
    readonly uEm: number;
    readonly uCandidates: number;
  }[];
  readonly candidatePairs: number;
  readonly trueCandidates: number;
  readonly truePairs: number;
  readonly patternsSeen: number;
  /** Candidate pairs whose pattern holds fewer than 5 pairs (where the pattern oracle overfits). */
  readonly pairsInRarePatterns: number;
  readonly seconds: Record<string, number>;
  /** What {@link patternOracleWith} needs to add a field to the pattern oracle. */
  readonly context: OracleContext;
}

/** The candidate levels and the TF data of a report. */
export interface OracleContext {
  readonly c: CandidateLevels;
  readonly corr: readonly { k: number; l: number; w: Float64Array }[];
  readonly decideModel: LinkageModel;
}

/**
 * Trains the default model, evaluates every candidate pair's levels once and decides under each
 * model variant (see the module comment).
 * @example
 * ```ts
 * const report = oracleReport(await synthSet({ clients: 10_000, members: 125_000, noSsn: true }));
 * ```
 */
export function oracleReport(
  s: EncodedSet,
  log: (msg: string) => void = () => {},
  only?: 'em' | readonly string[],
  opts: MatchOptions = {},
): OracleReport {
  // A list: only the variants whose name contains one of its strings (each costs a decision sweep).
  const wanted = (name: string) =>
    !Array.isArray(only) || only.length === 0 || only.some((x) => name.includes(x));
  const seconds: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    seconds[name] = (performance.now() - t0) / 1000;
    log(`${name}: ${seconds[name]!.toFixed(1)} s`);
    t0 = performance.now();
  };
  const em = matchModel(s.coc, s.mcp, { meta: s.meta, ...opts });
  lap('train');
  const c = candidateLevels(s, em);
  lap('levels');
  const pc = patternCounts(c);
  const { m, u } = countedMU(c, pc, em);
  const nL = s.coc.length;
  const nR = s.mcp.length;
  const tfs = tfLevelsOf(s, em);
  const rows: OracleRow[] = [];
  const add = (name: string, model: LinkageModel, scored: () => ScoredCandidates) => {
    if (wanted(name)) rows.push(decide(s, model, scored(), name));
  };

  // EM, as Scorer scores it.
  const emTable = em.comparisons.map((cp) => Float64Array.from(cp.m, (mm, l) => levelWeight(mm, cp.u[l]!)));
  const emTf = (params: readonly ComparisonParams[]) =>
    tfs.map((t) => ({
      k: t.k,
      l: t.l,
      w: Float64Array.from(t.f, (f) => levelWeight(params[t.k]!.m[t.l]!, f)),
    }));
  add('EM (default)', em, () =>
    scoreAll(c, fsWeight(c, priorWeight(em.lambda), emTable, emTf(em.comparisons))),
  );
  lap('EM');
  if (only === 'em' && !Array.isArray(only))
    return { ...summary(), rows, context: { c, corr: [], decideModel: em } };

  // Oracle m in the EM form (u from random pairs, λ over all pairs).
  const lambdaAll = c.truePairs / (nL * nR);
  const oracleEmForm: LinkageModel = {
    ...em,
    comparisons: em.comparisons.map((cp, k) => ({ ...cp, m: m[k]! })),
    lambda: lambdaAll,
  };
  const oTable = oracleEmForm.comparisons.map((cp) =>
    Float64Array.from(cp.m, (mm, l) => levelWeight(mm, cp.u[l]!)),
  );
  add('oracle m, EM u and TF, true λ', oracleEmForm, () =>
    scoreAll(c, fsWeight(c, priorWeight(lambdaAll), oTable, emTf(oracleEmForm.comparisons))),
  );
  lap('oracle m');

  // Oracle m/u on the candidate pairs.
  const lambdaC = c.trueCandidates / Math.max(c.key.length, 1);
  const decideModel: LinkageModel = {
    ...em,
    comparisons: em.comparisons.map((cp, k) => ({ ...cp, m: m[k]!, u: u[k]! })),
    lambda: lambdaAll,
    termFrequency: { enabled: false, comparisons: [] },
  };
  const cTable = m.map((mk, k) => Float64Array.from(mk, (mm, l) => levelWeight(mm, u[k]![l]!)));
  // Mean f(value) over the non-match candidate pairs at each TF level.
  const meanF = tfs.map((t) => {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < nL; i++)
      for (let x = c.offsets[i]!; x < c.offsets[i + 1]!; x++)
        if (!c.isTrue[x] && digit(c, c.key[x]!, t.k) === t.l) {
          sum += t.f[i]!;
          n++;
        }
    return n > 0 ? sum / n : 1;
  });
  const cTf = tfs.map((t, q) => ({
    k: t.k,
    l: t.l,
    w: Float64Array.from(t.f, (f) => levelWeight(m[t.k]![t.l]!, (u[t.k]![t.l]! * f) / meanF[q]!)),
  }));
  add('oracle m/u on candidates, TF', decideModel, () =>
    scoreAll(c, fsWeight(c, priorWeight(lambdaC), cTable, cTf)),
  );
  add('oracle m/u on candidates, no TF', decideModel, () =>
    scoreAll(c, fsWeight(c, priorWeight(lambdaC), cTable, [])),
  );
  lap('oracle m/u');

  // Oracle patterns.
  const pw = new Float64Array(c.patterns);
  for (const p of pc.keys) pw[p] = Math.log2((pc.t[p]! + 0.01) / (pc.f[p]! + 0.01));
  add('oracle patterns, no TF', decideModel, () => scoreAll(c, (_i, key) => pw[key]!));
  const corr = tfs.map((t, q) => ({ ...t, w: Float64Array.from(t.f, (f) => Math.log2(meanF[q]! / f)) }));
  add('oracle patterns, TF', decideModel, () =>
    scoreAll(c, (i, key) => {
      let w = pw[key]!;
      for (const t of corr) if (digit(c, key, t.k) === t.l) w += t.w[i]!;
      return w;
    }),
  );
  lap('oracle patterns');

  return { ...summary(), rows, context: { c, corr, decideModel } };

  function summary() {
    let rare = 0;
    for (const p of pc.keys) if (pc.t[p]! + pc.f[p]! < 5) rare += pc.t[p]! + pc.f[p]!;
    const levels = em.comparisons.flatMap((cp, k) =>
      cp.m.map((mm, l) => ({
        level: `${cp.spec.name}:${levelLabel(cp.spec, l)}`,
        mEm: mm,
        mOracle: m[k]![l]!,
        uEm: cp.u[l]!,
        uCandidates: u[k]![l]!,
      })),
    );
    return {
      levels,
      candidatePairs: c.key.length,
      trueCandidates: c.trueCandidates,
      truePairs: c.truePairs,
      patternsSeen: pc.keys.length,
      pairsInRarePatterns: rare,
      seconds,
    };
  }
}

/**
 * The pattern oracle (with the TF correction) with one more field in the pattern: `digit(i, j)` in
 * 0 … radix − 1 for CoC record i and plan record j — e.g. a suffix comparison from the clear text —
 * to measure what that evidence would add.
 * @example
 * ```ts
 * const row = patternOracleWith(set, report.context, 4, (i, j) => suffixRelation(i, j), 'with suffix');
 * ```
 */
export function patternOracleWith(
  s: EncodedSet,
  ctx: OracleContext,
  radix: number,
  digitOf: (i: number, j: number) => number,
  name: string,
): OracleRow {
  const c0 = ctx.c;
  const stride = c0.patterns;
  if (stride * radix > 2 ** 32) throw new Error('too many level patterns for a 32-bit key');
  const key = new Uint32Array(c0.key.length);
  const nL = c0.offsets.length - 1;
  for (let i = 0; i < nL; i++)
    for (let x = c0.offsets[i]!; x < c0.offsets[i + 1]!; x++)
      key[x] = c0.key[x]! + stride * digitOf(i, c0.right[x]!);
  const c: CandidateLevels = {
    ...c0,
    key,
    radix: [...c0.radix, radix],
    stride: [...c0.stride, stride],
    patterns: stride * radix,
  };
  const pc = patternCounts(c);
  const pw = new Float64Array(c.patterns);
  for (const p of pc.keys) pw[p] = Math.log2((pc.t[p]! + 0.01) / (pc.f[p]! + 0.01));
  return decide(
    s,
    ctx.decideModel,
    scoreAll(c, (i, k) => {
      let w = pw[k]!;
      for (const t of ctx.corr) if (digit(c, k, t.k) === t.l) w += t.w[i]!;
      return w;
    }),
    name,
  );
}

/**
 * The variants as a Markdown table.
 * @example
 * ```ts
 * console.log(rowsMarkdown(report.rows));
 * ```
 */
export function rowsMarkdown(rows: readonly OracleRow[]): string {
  const f = (x: number) => x.toFixed(4);
  return [
    '| model | P | R | F1 (default thresholds) | match threshold | best F1 | at match threshold | P / R there |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (x) =>
        `| ${x.name} | ${f(x.precision)} | ${f(x.recall)} | **${f(x.f1)}** | ${x.threshold} | **${f(x.bestF1)}** | ${x.bestThreshold} | ${f(x.bestPrecision)} / ${f(x.bestRecall)} |`,
    ),
  ].join('\n');
}

/**
 * The report as Markdown (tables of the variants and of the levels where EM's m is more than a
 * point from the truth's).
 * @example
 * ```ts
 * console.log(oracleMarkdown('set', oracleReport(set)));
 * ```
 */
export function oracleMarkdown(name: string, r: OracleReport): string {
  const f = (x: number) => x.toFixed(4);
  return [
    `### ${name}`,
    '',
    `candidate pairs ${r.candidatePairs}, true pairs among them ${r.trueCandidates} of ${r.truePairs}; level patterns seen ${r.patternsSeen}, ${r.pairsInRarePatterns} pairs in patterns of < 5 pairs`,
    '',
    rowsMarkdown(r.rows),
    '',
    '| level | m (EM) | m (truth, candidates) | u (EM, random pairs) | u (non-matches among candidates) |',
    '|---|---|---|---|---|',
    ...r.levels
      .filter((l) => Math.abs(l.mEm - l.mOracle) > 0.01)
      .map(
        (l) =>
          `| ${l.level} | ${f(l.mEm)} | ${f(l.mOracle)} | ${l.uEm.toExponential(2)} | ${f(l.uCandidates)} |`,
      ),
  ].join('\n');
}
