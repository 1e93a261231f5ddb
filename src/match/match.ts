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
  type PassIndex,
  type PassStats,
} from '../block/blocking.js';
import { type ComparisonSpec, DEFAULT_COMPARISONS, levelLabel } from '../compare/comparisons.js';
import { ambiguousOf, closestCompetitors } from '../decide/ambiguity.js';
import type { ScoredPairs } from '../decide/assign.js';
import { greedyOneToOne, optimalOneToOne } from '../decide/assign.js';
import type { CycleCounts, LinkChange, PairDecision, PreviousLink } from '../decide/cycle.js';

export type { ChangeReason, CycleCounts, LinkChange, PairDecision, PreviousLink } from '../decide/cycle.js';

import { passMasks, passMasksIndexed, unseenShare } from '../block/unseen.js';
import { type ExpectedQuality, expectedQuality, oneToOneMixture } from '../decide/expected.js';
import { chooseThresholds, estimateTrueMatches, thresholdTable } from '../decide/thresholds.js';
import type { EncodedBatch, EncodedMeta } from '../encoded/batch.js';
import { DEFAULT_SCHEMA } from '../encoded/default-schema.js';
import { idStrings } from '../encoded/lazy-ids.js';
import type { BlockingPassSpec } from '../encoded/schema.js';
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
import { type TrainOptions, trainModel } from '../model/train.js';
import { weightToProbability } from '../model/weights.js';
import { at } from '../util/defined.js';
import { thresholdsInUse } from '../util/options.js';
import { applyCycle, type CycleApplied, idTie, prepareCycle } from './cycle.js';

/** Status of a link: accepted match, or a pair for clerical review. */
export type LinkStatus = 'match' | 'review';

/**
 * Why a pair is in review: `band` (its probability lies between the review and match thresholds),
 * `competitor` (it reached the match threshold but a record has another candidate within the
 * ambiguity margin) or `decided` (a person's earlier decision put it there; for the decisions step
 * to set). `competitor`, when present, is the strongest other pair of either record.
 */
export interface ReviewReason {
  readonly kind: 'band' | 'competitor' | 'decided';
  readonly competitor?: {
    readonly personalId: string;
    readonly memberId: string;
    readonly weight: number;
    /** This pair's weight minus the competitor's, in bits (negative: the competitor scores higher). */
    readonly margin: number;
  };
  /** The earlier decision, for `decided`. */
  readonly decision?: string;
}

/** One accepted pair (one-to-one). */
export interface Link {
  readonly personalId: string;
  readonly memberId: string;
  readonly weight: number;
  readonly probability: number;
  readonly status: LinkStatus;
  /** For a review pair: why it is in review. */
  readonly reason?: ReviewReason;
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

/**
 * Progress of a long phase: its name and how far it is, `done` of `total` in the phase's own unit —
 * `train:u` (random pairs compared for u), `train:em` (plan records whose training pairs were
 * counted), `train:lambda` (1 step), `score` (candidate pairs scored, as the pairs the blocks of the
 * CoC records done hold, known up front; records for an exhaustive match). Phases
 * come in that order (training only without a model); within one, `done` never decreases, and each
 * ends with `done === total`. `stage` is the same name (its earlier field). `unit`, when there, names
 * the unit where it is not the phase's own: `'plan records'` for a streamed match's `score` (the plan
 * records read and scored).
 */
export type MatchProgress = (p: {
  phase: string;
  stage: string;
  done: number;
  total: number;
  unit?: string;
}) => void;

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
  /**
   * Clerical decisions, cumulative from month to month: an accepted pair is linked (Status `match`)
   * whenever both its records are present, before any other pair; a rejected pair is never linked; a
   * decided pair never goes to review. Thresholds are chosen as without decisions.
   */
  readonly decisions?: readonly PairDecision[];
  /**
   * Last month's links: each stays a link while both its records are present and it scores at least
   * the review threshold (or was accepted), even if a competitor now scores higher (it takes
   * precedence over every pair but the accepted ones). Given (even empty), the result has `changes`.
   */
  readonly previous?: readonly PreviousLink[];
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
  /**
   * The monthly cycle, when `decisions` or `previous` were given: how they were applied, and with
   * `previous` the changes from last month's links (sorted by PersonalID, MemberID).
   */
  readonly cycle?: { readonly counts: CycleCounts; readonly changes?: readonly LinkChange[] };
  /**
   * Σ match probability over the pairs kept by one-to-one assignment (probability ≥ 0.001): the
   * model's expected number of true matches among the compared pairs.
   */
  readonly expectedMatches?: number;
  /**
   * The model's estimate of all true matches between the lists (`estimateTrueMatches`: λ × possible
   * pairs, capped at the smaller list, at least `expectedMatches`): the denominator of the expected
   * recall in `thresholds` and `thresholdTable`.
   */
  readonly estimatedTrueMatches?: number;
  /**
   * The expected precision and recall of the automatic links from the one-to-one mixture over the
   * scored pairs (`oneToOneMixture`; docs/scoring.md §8): what the report's trust panel shows. It
   * does not choose the thresholds (they come from the pairwise probabilities) and changes no link.
   */
  readonly expected?: ExpectedQuality;
}

/**
 * Refuses two encoded files that cannot be matched: same party, different schema, different key.
 * @example
 * ```ts
 * checkCompatible(coc.meta, mcp.meta); // throws BloomlinkError SCHEMA_MISMATCH / KEY_MISMATCH
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
  return trainModel(coc, mcp, opts.comparisons ?? DEFAULT_COMPARISONS, trainOptions(opts, batch));
}

/**
 * The training options a match passes on (`matchModel`, and the streamed match's training).
 * @example
 * ```ts
 * const t = new ModelTraining(coc, DEFAULT_COMPARISONS, trainOptions({ seed: 7 }));
 * ```
 */
export function trainOptions(
  opts: MatchOptions & { meta?: EncodedMeta },
  batch?: BatchScoring,
): TrainOptions {
  const progress = opts.onProgress;
  return {
    ...(batch ? { batch } : {}),
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    ...(opts.trainingRecords === undefined ? {} : { trainingRecords: opts.trainingRecords }),
    ...(opts.uSamplePairs === undefined ? {} : { uSamplePairs: opts.uSamplePairs }),
    ...(opts.maxBlockSize === undefined ? {} : { maxBlockSize: opts.maxBlockSize }),
    ...(opts.meta ? { schemaFingerprint: opts.meta.schemaFingerprint } : {}),
    ...(progress ? { onProgress: (p) => emit(progress, `train:${p.stage}`, p.done, p.total) } : {}),
  };
}

/** Reports `done` of `total` in `phase`, ending the previous phase at its total first. */
const phaseEnds = new WeakMap<MatchProgress, { phase: string; total: number; unit?: string }>();
function emit(progress: MatchProgress, phase: string, done: number, total: number, unit?: string): void {
  const last = phaseEnds.get(progress);
  if (last && last.phase !== phase)
    progress({
      phase: last.phase,
      stage: last.phase,
      done: last.total,
      total: last.total,
      ...(last.unit === undefined ? {} : { unit: last.unit }),
    });
  // A phase that reached its total has ended: nothing is left to close (nor to leak into a later run).
  if (done >= total) phaseEnds.delete(progress);
  else phaseEnds.set(progress, { phase, total, ...(unit === undefined ? {} : { unit }) });
  progress({ phase, stage: phase, done, total, ...(unit === undefined ? {} : { unit }) });
}

/**
 * Reports progress of a match phase (see {@link MatchProgress}): a phase that ends is first reported
 * at its total, so each phase reaches 100 % before the next one starts.
 * @example
 * ```ts
 * matchProgress(opts.onProgress, 'train:u', done, pairs);
 * ```
 */
export function matchProgress(
  progress: MatchProgress | undefined,
  phase: string,
  done: number,
  total: number,
  unit?: string,
): void {
  if (progress) emit(progress, phase, done, total, unit);
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
 * The work of the `score` phase up to each CoC record, known before it starts (prefix sums:
 * `work[i]` for records 0 … i−1, `work[n]` in all): the pairs each record's blocks hold when
 * blocking ({@link CandidateGenerator.pairPrefix}), one per record for an exhaustive match (each
 * record scans the plan's filters alike). The `score` progress counts it, so the bar moves evenly.
 * @example
 * ```ts
 * const work = scoreWork(candidateSource(coc, mcp), coc.length);
 * matchProgress(opts.onProgress, 'score', work[i] ?? 0, work[coc.length] ?? 0);
 * ```
 */
export function scoreWork(source: unknown, n: number): Float64Array {
  if (source instanceof CandidateGenerator) return source.pairPrefix(n);
  return Float64Array.from({ length: n + 1 }, (_, i) => i);
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
  const work = progress ? scoreWork(source, coc.length) : undefined;
  const total = work?.[coc.length] ?? 0;
  const r = scoreRange(
    source,
    scorer,
    0,
    coc.length,
    KEEP_WEIGHT,
    progress && work
      ? (i) => {
          if ((i & 0x3ff) === 0) emit(progress, 'score', work[i] ?? 0, total);
        }
      : undefined,
  );
  if (progress) emit(progress, 'score', total, total);
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
  // The cycle's inputs are checked before the long work (and applied after scoring).
  if (opts.decisions !== undefined || opts.previous !== undefined) prepareCycle(coc, mcp, opts);
  // One kernel memory (the plan's row store) serves training and scoring.
  const batch = buildBatchScoring(matchSpecs(opts), coc, mcp, opts.dice ? { kind: opts.dice } : {});
  const model = matchModel(coc, mcp, opts, batch);
  const scored = scoreCandidates(coc, mcp, model, opts, batch);
  return assembleMatch(coc, mcp, model, scored, opts);
}

/**
 * From scored candidates to the result: one-to-one assignment, thresholds, the ambiguity rule,
 * links, explanations and statistics. `source` (default: a new one) answers the pair-completeness
 * question when `opts.truth` is given. `planRecords` is the plan list's size when `mcp` holds only
 * the plan records of the kept pairs (a streamed plan, `matchStreaming`).
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
  opts: MatchOptions & { meta?: EncodedMeta } = {},
  source?: StatsSource,
  planRecords = mcp.length,
): MatchResult {
  const { hist, passes } = scored;
  let pairs = scored.pairs;
  const scorer = new Scorer(model, coc, mcp);
  const keepWeight = KEEP_WEIGHT;
  // One-to-one first, so thresholds are chosen on the pairs that can actually become links.
  const assign = (p: ScoredPairs): Uint32Array => {
    const tie = idTie(coc, mcp, p);
    return opts.assignment === 'optimal' ? optimalByIds(p, tie, keepWeight) : greedyOneToOne(p, tie);
  };
  let kept = assign(pairs);
  const assignedProbs = Float64Array.from(kept, (k) => weightToProbability(pairs.weight[k] ?? 0));
  // The denominator of expected recall: every true match, not only the compared ones.
  const trueMatches = estimateTrueMatches(model.lambda, coc.length, planRecords, sortedSum(assignedProbs));
  const chosen = chooseThresholds(assignedProbs, {
    assigned: true,
    expectedMatches: trueMatches,
    expectedMatchesSource:
      'the model’s estimate of all true matches: λ × possible pairs, capped at the smaller list, and at ' +
      'least the sum of match probabilities of the pairs kept by one-to-one assignment',
  });
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

  // The monthly cycle: with decisions or last month's links, the assignment is made again on the
  // same thresholds, accepted pairs first, then last month's links, then the rest.
  let cycle: CycleApplied | undefined;
  let probs = assignedProbs;
  if (opts.decisions !== undefined || opts.previous !== undefined) {
    cycle = applyCycle(coc, mcp, scorer, pairs, review, opts, assign);
    pairs = cycle.pairs;
    kept = cycle.kept;
    probs = Float64Array.from(kept, (k) => weightToProbability(pairs.weight[k] ?? 0));
  }

  // The ambiguity flags come from the competitors (the same flags as `ambiguousPairs`, one pass).
  const competitors = closestCompetitors(pairs, kept, idTie(coc, mcp, pairs));
  const ambiguous = ambiguousOf(pairs, kept, competitors, opts.ambiguityMargin ?? 1);
  let aboveReview = 0;
  for (const w of pairs.weight) if (weightToProbability(w) >= review) aboveReview++;
  const links: Link[] = [];
  const linkIdx: number[] = [];
  for (let x = 0; x < kept.length; x++) {
    const p = probs[x] ?? 0;
    const k = kept[x] ?? 0;
    const accepted = cycle?.accepted.has(k) === true;
    if (p < review && !accepted) continue;
    const status = accepted || (p >= match && ambiguous[x] === 0) ? 'match' : 'review';
    links.push({
      personalId: at(coc.ids, at(pairs.left, k)),
      memberId: at(mcp.ids, at(pairs.right, k)),
      weight: at(pairs.weight, k),
      probability: p,
      status,
      ...(status === 'review' ? { reason: reviewReason(x, k, p >= match) } : {}),
    });
    linkIdx.push(k);
  }
  function reviewReason(x: number, k: number, aboveMatch: boolean): ReviewReason {
    const c = competitors.pair[x] ?? -1;
    const competitor =
      ambiguous[x] === 1 && c >= 0
        ? {
            personalId: at(coc.ids, at(pairs.left, c)),
            memberId: at(mcp.ids, at(pairs.right, c)),
            weight: at(pairs.weight, c),
            margin: at(pairs.weight, k) - at(pairs.weight, c),
          }
        : undefined;
    return { kind: aboveMatch ? 'competitor' : 'band', ...(competitor ? { competitor } : {}) };
  }
  const order = links.map((_, i) => i).sort((a, b) => cmp(at(links, a).personalId, at(links, b).personalId));
  const sortedLinks = order.map((i) => at(links, i));

  // Explanations: every review pair and a sample of matches, scored together (one small batch).
  const explainN = opts.explainMatches ?? 20;
  const explanations: Explanation[] = [];
  let matchesExplained = 0;
  const explained = order.filter((i) => at(links, i).status !== 'match' || matchesExplained++ < explainN);
  const scores = scorer.scorePairs(
    explained.map((i) => at(pairs.left, at(linkIdx, i))),
    explained.map((i) => at(pairs.right, at(linkIdx, i))),
  );
  for (const [x, i] of explained.entries()) {
    const l = at(links, i);
    const w = at(scores.weight, x);
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
          scores.levels[ci]?.[x] === 255
            ? 'null (no evidence)'
            : levelLabel(c.spec, at(at(scores.levels, ci), x)),
        weight: at(at(scores.partial, ci), x),
      })),
    });
  }

  const totalPairs = coc.length * planRecords;
  const candidatePairs = passes.at(-1)?.cumulativePairs ?? 0;
  let pairCompleteness: number | undefined;
  if (opts.truth)
    pairCompleteness = blockingRecall(coc, mcp, opts.truth, source ?? candidateSource(coc, mcp, opts));
  const matches = sortedLinks.filter((l) => l.status === 'match').length;
  const expected = expectedOfLinks(
    coc,
    mcp,
    planRecords,
    scorer.priorWeight,
    pairs,
    links,
    linkIdx,
    trueMatches,
    blockingPassesOf(coc, mcp, opts.meta),
    source instanceof CandidateGenerator ? source.passes : undefined,
  );
  return {
    links: sortedLinks,
    model,
    thresholds: { match, review, rationale },
    counts: {
      cocRecords: coc.length,
      mcpRecords: planRecords,
      candidatePairs,
      scoredPairs: scored.scored,
      pairsAboveReview: aboveReview,
      conflictsResolved: Math.max(0, aboveReview - sortedLinks.length),
      matches,
      review: sortedLinks.length - matches,
    },
    blocking: {
      passes,
      reductionRatio: totalPairs > 0 ? 1 - candidatePairs / totalPairs : 0,
      ...(pairCompleteness === undefined ? {} : { pairCompleteness }),
    },
    histogram: { min: WEIGHT_HISTOGRAM.min, binWidth: WEIGHT_HISTOGRAM.binWidth, counts: hist },
    thresholdTable: thresholdTable(assignedProbs, { expectedMatches: trueMatches }),
    explanations,
    ...(cycle ? { cycle: cycle.summary(sortedLinks) } : {}),
    expectedMatches: sortedSum(probs),
    estimatedTrueMatches: trueMatches,
    ...(expected ? { expected } : {}),
  };
}

/**
 * The expected quality of the links from the one-to-one mixture (`decide/expected.ts`), beside the
 * pairwise model's own figures; undefined when a list is empty.
 */
function expectedOfLinks(
  coc: EncodedBatch,
  mcp: EncodedBatch,
  planRecords: number,
  prior: number,
  pairs: ScoredPairs,
  links: readonly Link[],
  linkIdx: readonly number[],
  pairwiseTrueMatches: number,
  passes: readonly BlockingPassSpec[] | undefined,
  indexes: readonly PassIndex[] | undefined,
): ExpectedQuality | undefined {
  const cocRecords = coc.length;
  if (cocRecords === 0 || planRecords === 0) return undefined;
  // The plan list's size, not the records held: a streamed match holds only the plan records with
  // kept pairs, and the mixture's π is a share of the whole list.
  const base = { leftCount: cocRecords, rightCount: planRecords, priorWeight: prior };
  let mix = oneToOneMixture(pairs, base);
  // The true pairs no blocking pass caught (block/unseen.ts): β from the passes that fire on the
  // scored pairs, weighted by the mixture's probabilities, then the mixture refitted with β; twice,
  // as the probabilities move with β (a third round moved T by under 0.1 on FEBRL 4).
  if (passes && pairs.weight.length > 0) {
    // From the candidate source's pass indexes when it has them (the same masks): a whole-file
    // match on worker threads builds them over the plan's block lists (`buildPassIndexOver`).
    const names = passes.map((p) => p.name);
    const masks = indexes
      ? passMasksIndexed(names, coc.blocks, indexes, pairs.left, pairs.right)
      : passMasks(names, coc.blocks, mcp.blocks, pairs.left, pairs.right);
    for (let round = 0; round < 2; round++) {
      const est = unseenShare(passes, masks, mix.probability);
      if (!est || !(est.share > 0 && est.share < 1)) break;
      mix = oneToOneMixture(pairs, { ...base, unseen: est.share });
    }
  }
  const match: number[] = [];
  const review: number[] = [];
  const wrong: number[] = [];
  links.forEach((l, x) => {
    const k = at(linkIdx, x);
    if (l.status === 'match') {
      match.push(k);
      wrong.push(1 - l.probability);
    } else review.push(k);
  });
  return expectedQuality(
    mix,
    { match, review },
    { wrong: sortedSum(Float64Array.from(wrong)), trueMatches: pairwiseTrueMatches },
  );
}

/**
 * The blocking passes of both batches with their parts: from the encoded file's schema when the
 * caller passed its meta, else the default schema's when the batches hold exactly its passes;
 * undefined otherwise, and beyond the 31 passes `passMasks` has bits for (blocking refuses more
 * anyway): no estimate of the pairs blocking missed.
 */
function blockingPassesOf(
  coc: EncodedBatch,
  mcp: EncodedBatch,
  meta: EncodedMeta | undefined,
): readonly BlockingPassSpec[] | undefined {
  const names = Object.keys(coc.blocks).filter((n) => n in mcp.blocks);
  const schema = meta?.schema ?? DEFAULT_SCHEMA;
  const passes = schema.blocking.filter((p) => names.includes(p.name));
  if (!meta && (passes.length !== names.length || passes.length !== schema.blocking.length)) return undefined;
  return passes.length > 0 && passes.length <= 31 ? passes : undefined;
}

/** Σ of the values in sorted order: the same total whatever the order of the rows. */
function sortedSum(xs: Float64Array): number {
  return xs
    .slice()
    .sort()
    .reduce((a, p) => a + p, 0);
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
  const li = new Map(idStrings(coc.ids).map((id, i) => [id, i]));
  const ri = new Map(idStrings(mcp.ids).map((id, i) => [id, i]));
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
