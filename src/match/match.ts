/**
 * The matching pipeline on two encoded batches (never a key, never clear text): compatibility
 * checks → blocking → training (unless a model is given) → scoring → one-to-one assignment →
 * thresholds with a clerical-review band → links, with the statistics a report needs.
 */

import {
  CandidateGenerator,
  ExhaustiveGenerator,
  type ExhaustiveOptions,
  exhaustiveBytes,
  layoutExhaustive,
  type PassStats,
} from '../block/blocking.js';
import { type ComparisonSpec, DEFAULT_COMPARISONS, levelLabel } from '../compare/comparisons.js';
import { ambiguousPairs } from '../decide/ambiguity.js';
import type { ScoredPairs } from '../decide/assign.js';
import { greedyOneToOne, optimalOneToOne } from '../decide/assign.js';
import { chooseThresholds, thresholdTable } from '../decide/thresholds.js';
import type { EncodedBatch, EncodedMeta } from '../encoded/batch.js';
import { BloomlinkError } from '../errors.js';
import type { DiceKernelKind } from '../kernel/dice.js';
import { DiceKernels } from '../kernel/filters.js';
import { KernelMemory } from '../kernel/memory.js';
import type { LinkageModel } from '../model/model.js';
import {
  type BatchScoring,
  buildBatchScoring,
  type CandidateSource,
  Scorer,
  scoreRange,
  WEIGHT_HISTOGRAM,
} from '../model/score.js';
import { trainModel } from '../model/train.js';
import { weightToProbability } from '../model/weights.js';
import { thresholdsInUse } from '../util/options.js';

/** Status of a link: accepted match, or a pair for clerical review. */
export type LinkStatus = 'match' | 'review';

/** One accepted pair (one-to-one). */
export interface Link {
  readonly personalId: string;
  readonly memberId: string;
  readonly weight: number;
  readonly probability: number;
  readonly status: LinkStatus;
}

/** Per-comparison explanation of a pair's weight (a waterfall). */
export interface Explanation {
  readonly personalId: string;
  readonly memberId: string;
  readonly status: LinkStatus;
  readonly priorWeight: number;
  readonly weight: number;
  readonly probability: number;
  readonly comparisons: readonly { readonly name: string; readonly level: string; readonly weight: number }[];
}

/** Progress of a long stage: its name (`train:u`, `train:em`, `train:lambda`, `score`) and how far it is. */
export type MatchProgress = (p: { stage: string; done: number; total: number }) => void;

/** Options of the training stage (`train`): how m, u and λ are estimated. */
export interface TrainingOptions {
  /** Comparisons to train (default {@link DEFAULT_COMPARISONS}). */
  readonly comparisons?: readonly ComparisonSpec[];
  /** Seed of every random choice (default 42): the same inputs and seed give the same model. */
  readonly seed?: number;
  /** Plan records per blocking key above which the key is skipped (default 500). */
  readonly maxBlockSize?: number;
  /** CoC records whose candidate pairs are used for EM (default 50,000; a seeded sample when more). */
  readonly trainingRecords?: number;
  /** Random pairs sampled to estimate u (default 1,000,000, at most all pairs). */
  readonly uSamplePairs?: number;
  /** Dice kernel: `auto` (default: WebAssembly where it compiles), or a given kind (tests, benchmarks). */
  readonly dice?: DiceKernelKind | 'auto';
  readonly onProgress?: MatchProgress;
}

/** Options of the scoring stage (`score`): which pairs are compared. */
export interface ScoringOptions {
  /** Plan records per blocking key above which the key is skipped (default 500). */
  readonly maxBlockSize?: number;
  /**
   * No blocking: candidates are the pairs whose Dice similarity over the concatenated name filters
   * reaches a threshold (default 0.7), found by an exhaustive scan with the Dice kernel. For small
   * lists and for measuring blocking recall.
   */
  readonly exhaustive?: ExhaustiveOptions;
  /** Dice kernel: `auto` (default: WebAssembly where it compiles), or a given kind (tests, benchmarks). */
  readonly dice?: DiceKernelKind | 'auto';
  readonly onProgress?: MatchProgress;
}

/** Options of the decision stage (`decide`): thresholds, one-to-one assignment, explanations. */
export interface DecisionOptions {
  /** Fixed thresholds on match probability; otherwise the model's, or chosen from the data. */
  readonly thresholds?: { readonly match?: number; readonly review?: number };
  /**
   * Links whose record has another candidate within this many bits of match weight go to review
   * (default 1: the competitor is at least half as likely); 0 turns the rule off.
   */
  readonly ambiguityMargin?: number;
  /** One-to-one assignment: greedy by weight (default) or optimal (maximum total weight). */
  readonly assignment?: 'greedy' | 'optimal';
  /** Known true pairs [PersonalID, MemberID], for measured precision/recall and pair completeness. */
  readonly truth?: Iterable<readonly [string, string]>;
  /** Matches to explain besides every review pair (default 20). */
  readonly explainMatches?: number;
}

/** Options of `match`: those of the three stages, and a model to use instead of training one. */
export interface MatchOptions extends TrainingOptions, ScoringOptions, DecisionOptions {
  /** Use this model instead of training one (m/u fixed by the user). */
  readonly model?: LinkageModel;
}

/** Everything a match run produced. */
export interface MatchResult {
  readonly links: readonly Link[];
  readonly model: LinkageModel;
  readonly thresholds: { readonly match: number; readonly review: number; readonly rationale: string };
  readonly counts: {
    readonly cocRecords: number;
    readonly mcpRecords: number;
    readonly candidatePairs: number;
    readonly scoredPairs: number;
    readonly pairsAboveReview: number;
    readonly conflictsResolved: number;
    readonly matches: number;
    readonly review: number;
  };
  readonly blocking: {
    readonly passes: readonly PassStats[];
    readonly reductionRatio: number;
    readonly pairCompleteness?: number;
  };
  /** Histogram of match weights of all scored pairs: bins of `binWidth` from `min`. */
  readonly histogram: { readonly min: number; readonly binWidth: number; readonly counts: readonly number[] };
  readonly thresholdTable: ReturnType<typeof thresholdTable>;
  readonly explanations: readonly Explanation[];
}

/**
 * Refuses two encoded files that cannot be matched: same party, different schema, different key.
 * @example
 * ```ts
 * checkCompatible(cocFile.meta, mcpFile.meta); // throws BloomlinkError SCHEMA_MISMATCH / KEY_MISMATCH
 * ```
 */
export function checkCompatible(coc: EncodedMeta, mcp: EncodedMeta): void {
  if (coc.party !== 'coc')
    throw new BloomlinkError(
      'INPUT_INVALID',
      `the --coc file was encoded from a ${coc.party === 'mcp' ? 'plan member' : 'different'} list`,
    );
  if (mcp.party !== 'mcp')
    throw new BloomlinkError(
      'INPUT_INVALID',
      `the --mcp file was encoded from a ${mcp.party === 'coc' ? 'CoC client' : 'different'} list`,
    );
  if (coc.schemaFingerprint !== mcp.schemaFingerprint) {
    throw new BloomlinkError(
      'SCHEMA_MISMATCH',
      `the two files were encoded with different linkage schemas (fingerprints ${coc.schemaFingerprint.slice(0, 12)}… and ${mcp.schemaFingerprint.slice(0, 12)}…); encode both with the same schema`,
    );
  }
  if (coc.keyCheck !== mcp.keyCheck) {
    throw new BloomlinkError(
      'KEY_MISMATCH',
      'the two files were encoded with different secret keys; both sides must use the same key file',
    );
  }
}

/**
 * Refuses an encoded list with no records: a list whose every row was rejected (or a header-only
 * list) gives a valid, empty encoded file, and there is nothing to train or match on.
 * @example
 * ```ts
 * checkNotEmpty(coc.batch, mcp.batch); // throws BloomlinkError INPUT_INVALID when either is empty
 * ```
 */
export function checkNotEmpty(coc: EncodedBatch, mcp: EncodedBatch): void {
  for (const [side, b] of [
    ['--coc', coc],
    ['--mcp', mcp],
  ] as const)
    if (b.length === 0)
      throw new BloomlinkError(
        'INPUT_INVALID',
        `the ${side} file holds no records (every row of its list was rejected, or the list was empty); see that list's rejection report`,
      );
}

/** Pairs below this match probability are scored (and counted in the histogram) but not kept. */
const KEEP_PROBABILITY = 1e-3;

/**
 * The match weight of a 0.001 match probability: pairs scoring at least this are kept for
 * assignment; the others only count in the histogram.
 * @example
 * ```ts
 * scoreRange(source, scorer, 0, coc.length, KEEP_WEIGHT);
 * ```
 */
export const KEEP_WEIGHT = Math.log2(KEEP_PROBABILITY / (1 - KEEP_PROBABILITY));

/**
 * Everything scoring the candidate pairs produced, before one-to-one assignment: the kept pairs
 * (weight ≥ `KEEP_WEIGHT`, a match probability of 0.001, in CoC-record order), the weight histogram of all scored pairs and
 * the blocking statistics. Single- and multi-threaded scoring produce the same.
 */
export interface ScoredCandidates {
  readonly pairs: ScoredPairs;
  readonly hist: readonly number[];
  readonly scored: number;
  readonly passes: PassStats[];
}

/**
 * The model a match uses: `opts.model` as given, or one trained on the two batches.
 * @example
 * ```ts
 * const model = matchModel(coc, mcp, { seed: 7 });
 * ```
 */
export function matchModel(
  coc: EncodedBatch,
  mcp: EncodedBatch,
  opts: MatchOptions & { meta?: EncodedMeta } = {},
  batch?: BatchScoring,
): LinkageModel {
  if (opts.model) return opts.model;
  const progress = opts.onProgress;
  return trainModel(coc, mcp, opts.comparisons ?? DEFAULT_COMPARISONS, {
    ...(batch ? { batch } : {}),
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    ...(opts.trainingRecords === undefined ? {} : { trainingRecords: opts.trainingRecords }),
    ...(opts.uSamplePairs === undefined ? {} : { uSamplePairs: opts.uSamplePairs }),
    ...(opts.maxBlockSize === undefined ? {} : { maxBlockSize: opts.maxBlockSize }),
    ...(opts.meta ? { schemaFingerprint: opts.meta.schemaFingerprint } : {}),
    ...(progress
      ? { onProgress: (p) => progress({ stage: `train:${p.stage}`, done: p.done, total: p.total }) }
      : {}),
  });
}

/**
 * The comparisons a match will use: the given model's, else `opts.comparisons`, else the defaults.
 * @example
 * ```ts
 * matchSpecs({}) === DEFAULT_COMPARISONS; // true
 * ```
 */
export function matchSpecs(opts: MatchOptions): readonly ComparisonSpec[] {
  return opts.model ? opts.model.comparisons.map((c) => c.spec) : (opts.comparisons ?? DEFAULT_COMPARISONS);
}

/** A candidate source with its statistics (blocking passes, or one exhaustive pseudo-pass). */
export type StatsSource = CandidateSource & {
  candidates(i: number, stats?: boolean): { readonly count: number; readonly right: Uint32Array };
  finishStats(): PassStats[];
};

/**
 * The single-threaded candidate source of a match: blocking, or exhaustive Dice generation when
 * `opts.exhaustive` is set (in its own kernel memory).
 * @example
 * ```ts
 * const source = candidateSource(coc, mcp, { exhaustive: { threshold: 0.8 } });
 * source.candidates(0).count;
 * ```
 */
export function candidateSource(coc: EncodedBatch, mcp: EncodedBatch, opts: MatchOptions = {}): StatsSource {
  if (opts.exhaustive) {
    const memory = KernelMemory.create({ bytes: exhaustiveBytes(coc, mcp, 1, opts.exhaustive.features) });
    const kernels = new DiceKernels(memory, opts.dice ? { kind: opts.dice } : {});
    return new ExhaustiveGenerator(kernels, layoutExhaustive(coc, mcp, kernels, 1, opts.exhaustive), 0);
  }
  return new CandidateGenerator(
    coc,
    mcp,
    opts.maxBlockSize === undefined ? {} : { maxBlockSize: opts.maxBlockSize },
  );
}

/**
 * Scores every candidate pair on this thread (see `matchBatchesParallel` in bloomlink's Node
 * entry for all cores).
 * @example
 * ```ts
 * const scored = scoreCandidates(coc, mcp, model);
 * scored.scored; // pairs compared
 * ```
 */
export function scoreCandidates(
  coc: EncodedBatch,
  mcp: EncodedBatch,
  model: LinkageModel,
  opts: MatchOptions = {},
  batch?: BatchScoring,
): ScoredCandidates {
  const progress = opts.onProgress;
  const source = candidateSource(coc, mcp, opts);
  const specs = model.comparisons.map((c) => c.spec);
  const scorer = new Scorer(
    model,
    coc,
    mcp,
    batch ?? buildBatchScoring(specs, coc, mcp, opts.dice ? { kind: opts.dice } : {}),
  );
  const r = scoreRange(
    source,
    scorer,
    0,
    coc.length,
    KEEP_WEIGHT,
    progress
      ? (i) => {
          if ((i & 0x3ff) === 0) progress({ stage: 'score', done: i, total: coc.length });
        }
      : undefined,
  );
  return {
    pairs: { left: r.left, right: r.right, weight: r.weight },
    hist: Array.from(r.hist),
    scored: r.scored,
    passes: source.finishStats(),
  };
}

/**
 * Matches an encoded CoC batch against an encoded plan batch, on this thread.
 * @example
 * ```ts
 * const result = matchBatches(coc.batch, mcp.batch, { meta: coc.meta });
 * for (const l of result.links) console.log(l.personalId, l.memberId, l.status);
 * ```
 */
export function matchBatches(
  coc: EncodedBatch,
  mcp: EncodedBatch,
  opts: MatchOptions & { meta?: EncodedMeta } = {},
): MatchResult {
  // One kernel memory (the plan's row store) serves training and scoring.
  const batch = buildBatchScoring(matchSpecs(opts), coc, mcp, opts.dice ? { kind: opts.dice } : {});
  const model = matchModel(coc, mcp, opts, batch);
  const scored = scoreCandidates(coc, mcp, model, opts, batch);
  return assembleMatch(coc, mcp, model, scored, opts);
}

/**
 * From scored candidates to the result: one-to-one assignment, thresholds, the ambiguity rule,
 * links, explanations and statistics. `source` (default: a new one) answers the pair-completeness
 * question when `opts.truth` is given.
 * @example
 * ```ts
 * const result = assembleMatch(coc, mcp, model, scoreCandidates(coc, mcp, model), {});
 * ```
 */
export function assembleMatch(
  coc: EncodedBatch,
  mcp: EncodedBatch,
  model: LinkageModel,
  scored: ScoredCandidates,
  opts: MatchOptions = {},
  source?: StatsSource,
): MatchResult {
  const { pairs, hist, passes } = scored;
  const scorer = new Scorer(model, coc, mcp);
  const keepWeight = KEEP_WEIGHT;
  // One-to-one first, so thresholds are chosen on the pairs that can actually become links.
  const tie = (a: number, b: number): number => {
    const la = coc.ids[pairs.left[a]!]!;
    const lb = coc.ids[pairs.left[b]!]!;
    if (la !== lb) return la < lb ? -1 : 1;
    const ra = mcp.ids[pairs.right[a]!]!;
    const rb = mcp.ids[pairs.right[b]!]!;
    return ra < rb ? -1 : ra > rb ? 1 : 0;
  };
  const kept =
    opts.assignment === 'optimal' ? optimalByIds(pairs, tie, keepWeight) : greedyOneToOne(pairs, tie);
  const probs = Float64Array.from(kept, (k) => weightToProbability(pairs.weight[k]!));
  const chosen = chooseThresholds(probs, { assigned: true });
  const { match, review } = thresholdsInUse(
    opts.thresholds,
    model.thresholds
      ? { ...model.thresholds, source: 'from the model file' }
      : { ...chosen, source: 'chosen from the model' },
  );
  const rationale =
    opts.thresholds?.match !== undefined
      ? 'thresholds given by the user'
      : model.thresholds
        ? 'thresholds from the model file'
        : chosen.rationale;

  const ambiguous = ambiguousPairs(pairs, kept, opts.ambiguityMargin ?? 1);
  let aboveReview = 0;
  for (let k = 0; k < pairs.weight.length; k++)
    if (weightToProbability(pairs.weight[k]!) >= review) aboveReview++;
  const links: Link[] = [];
  const linkIdx: number[] = [];
  for (let x = 0; x < kept.length; x++) {
    const p = probs[x]!;
    if (p < review) continue;
    const k = kept[x]!;
    links.push({
      personalId: coc.ids[pairs.left[k]!]!,
      memberId: mcp.ids[pairs.right[k]!]!,
      weight: pairs.weight[k]!,
      probability: p,
      status: p >= match && ambiguous[x] === 0 ? 'match' : 'review',
    });
    linkIdx.push(k);
  }
  const order = links.map((_, i) => i).sort((a, b) => cmp(links[a]!.personalId, links[b]!.personalId));
  const sortedLinks = order.map((i) => links[i]!);

  // Explanations: every review pair and a sample of matches, scored together (one small batch).
  const explainN = opts.explainMatches ?? 20;
  const explanations: Explanation[] = [];
  let matchesExplained = 0;
  const explained = order.filter((i) => links[i]!.status !== 'match' || matchesExplained++ < explainN);
  const scores = scorer.scorePairs(
    explained.map((i) => pairs.left[linkIdx[i]!]!),
    explained.map((i) => pairs.right[linkIdx[i]!]!),
  );
  for (const [x, i] of explained.entries()) {
    const l = links[i]!;
    const w = scores.weight[x]!;
    explanations.push({
      personalId: l.personalId,
      memberId: l.memberId,
      status: l.status,
      priorWeight: scorer.priorWeight,
      weight: w,
      probability: weightToProbability(w),
      comparisons: model.comparisons.map((c, ci) => ({
        name: c.spec.name,
        level:
          scores.levels[ci]![x] === 255 ? 'null (no evidence)' : levelLabel(c.spec, scores.levels[ci]![x]!),
        weight: scores.partial[ci]![x]!,
      })),
    });
  }

  const totalPairs = coc.length * mcp.length;
  const candidatePairs = passes.length > 0 ? passes[passes.length - 1]!.cumulativePairs : 0;
  let pairCompleteness: number | undefined;
  if (opts.truth)
    pairCompleteness = blockingRecall(coc, mcp, opts.truth, source ?? candidateSource(coc, mcp, opts));
  const matches = sortedLinks.filter((l) => l.status === 'match').length;
  return {
    links: sortedLinks,
    model,
    thresholds: { match, review, rationale },
    counts: {
      cocRecords: coc.length,
      mcpRecords: mcp.length,
      candidatePairs,
      scoredPairs: scored.scored,
      pairsAboveReview: aboveReview,
      conflictsResolved: aboveReview - sortedLinks.length,
      matches,
      review: sortedLinks.length - matches,
    },
    blocking: {
      passes,
      reductionRatio: totalPairs > 0 ? 1 - candidatePairs / totalPairs : 0,
      ...(pairCompleteness === undefined ? {} : { pairCompleteness }),
    },
    histogram: { min: WEIGHT_HISTOGRAM.min, binWidth: WEIGHT_HISTOGRAM.binWidth, counts: hist },
    thresholdTable: thresholdTable(probs),
    explanations,
  };
}

/**
 * Optimal assignment on the pairs put in record-ID order first, so that ties between equal totals
 * (which the solver breaks by pair order) are broken by ID, not by row position.
 */
function optimalByIds(
  pairs: ScoredPairs,
  tie: (a: number, b: number) => number,
  baseline: number,
): Uint32Array {
  const perm = Uint32Array.from({ length: pairs.left.length }, (_, i) => i).sort(
    (a, b) => tie(a, b) || a - b,
  );
  const byIds: ScoredPairs = {
    left: Uint32Array.from(perm, (k) => pairs.left[k] ?? 0),
    right: Uint32Array.from(perm, (k) => pairs.right[k] ?? 0),
    weight: Float64Array.from(perm, (k) => pairs.weight[k] ?? 0),
  };
  const kept = optimalOneToOne(byIds, { baseline, tie: (a, b) => tie(perm[a] ?? a, perm[b] ?? b) });
  return Uint32Array.from(kept, (k) => perm[k] ?? k).sort();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Share of true pairs the candidate source (blocking, or exhaustive generation) proposes. */
function blockingRecall(
  coc: EncodedBatch,
  mcp: EncodedBatch,
  truth: Iterable<readonly [string, string]>,
  source: StatsSource,
): number {
  const li = new Map(coc.ids.map((id, i) => [id, i]));
  const ri = new Map(mcp.ids.map((id, i) => [id, i]));
  let total = 0;
  let found = 0;
  for (const [a, b] of truth) {
    const i = li.get(a);
    const j = ri.get(b);
    if (i === undefined || j === undefined) continue;
    total++;
    const c = source.candidates(i, false);
    for (let x = 0; x < c.count; x++) {
      if (c.right[x] === j) {
        found++;
        break;
      }
    }
  }
  return total === 0 ? 1 : found / total;
}
