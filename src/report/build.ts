/**
 * Builds the match report's data from a {@link MatchResult}: the counts at each stage, the model,
 * the thresholds, the measured quality when labels are given, and the waterfalls of the explained
 * pairs. The result holds identifiers and agreement levels only, never a field value.
 */
import { levelLabel } from '../compare/comparisons.js';
import type { Explanation, Link, MatchResult } from '../match/match.js';
import type { LinkageModel } from '../model/model.js';
import { levelWeight, probabilityToWeight } from '../model/weights.js';
import { at } from '../util/defined.js';
import { pairKey } from '../util/pair-key.js';
import { VERSION } from '../version.js';
import { measureByThreshold, measured, TruthSet, truthFlags } from './measure.js';
import { Pseudonyms } from './pseudonym.js';
import { modelWarnings, reviewReasonText, trustOf, untrainedLevels } from './trust.js';
import type {
  MatchReport,
  ReportComparison,
  ReportHistogram,
  ReportListCounts,
  ReportQuality,
  ReportStages,
  ReportThresholdRow,
  ReportTraining,
  ReportWaterfall,
} from './types.js';

/** Read counts of one list, as the encoding side knows them (a `ReadSummary` fits). */
export interface ListReadCounts {
  readonly rowsRead?: number;
  readonly rejected?: number;
}

/** Options of {@link buildReport}. */
export interface BuildReportOptions {
  /** Page title (default "Match report"). */
  readonly title?: string;
  /** When the report was made (default now). */
  readonly generatedAt?: Date | string;
  /**
   * Rows read and rejected per list: an encoded file's `rows` (`readEncoded(…).rows`, recorded by
   * `encode`), or an encode summary. Without them the report shows the encoded counts only.
   */
  readonly lists?: { readonly coc?: ListReadCounts; readonly mcp?: ListReadCounts };
  /** Known true pairs [PersonalID, MemberID]: adds measured precision/recall/F1. */
  readonly truth?: Iterable<readonly [string, string]>;
  /** Replace PersonalIDs and MemberIDs by report-only labels (client-0001, member-0001, …). */
  readonly pseudonymiseIds?: boolean;
  /** Review pairs explained at most (default 500); the rest are counted. */
  readonly maxReviewExplanations?: number;
  /** Matches explained at most (default 20; the matcher's `explainMatches` bounds it too). */
  readonly maxMatchExplanations?: number;
  /** Whether the model was trained in this run or loaded from a file (shown when given). */
  readonly modelSource?: 'trained' | 'file';
}

/**
 * Weights beyond this many bits (from an m or u of 0) are reported at this size: JSON has no
 * infinity.
 * @example
 * ```ts
 * Math.min(MAX_BITS, Number.POSITIVE_INFINITY); // 1000
 * ```
 */
export const MAX_BITS = 1000;

const bits = (w: number): number => (Number.isNaN(w) ? 0 : Math.max(-MAX_BITS, Math.min(MAX_BITS, w)));
const logit2 = (p: number): number => bits(probabilityToWeight(p));

/**
 * Builds the report data of a match run: a plain JSON-serialisable object with every figure the
 * HTML report shows ({@link renderReportHtml} draws exactly this).
 *
 * @throws TypeError/RangeError on malformed options (a negative cap, truth pairs that are not strings).
 * @example
 * ```ts
 * import { buildReport, match, renderReportHtml } from 'bloomlink';
 * const result = match(coc, mcp);
 * const report = buildReport(result, { truth: [['4143774', 'M592691177']], pseudonymiseIds: true });
 * report.stages.matches; // links made automatically
 * const html = renderReportHtml(report);
 * ```
 */
export function buildReport(result: MatchResult, opts: BuildReportOptions = {}): MatchReport {
  const maxReview = cap(opts.maxReviewExplanations, 500, 'maxReviewExplanations');
  const maxMatches = cap(opts.maxMatchExplanations, 20, 'maxMatchExplanations');
  const truth = opts.truth === undefined ? undefined : new TruthSet(opts.truth);
  const generatedAt =
    opts.generatedAt === undefined
      ? new Date().toISOString()
      : typeof opts.generatedAt === 'string'
        ? opts.generatedAt
        : opts.generatedAt.toISOString();
  const { match, review } = result.thresholds;

  let thresholdTable: ReportThresholdRow[] = result.thresholdTable.map((r) => ({
    threshold: r.threshold,
    pairsAbove: r.pairsAbove,
    expectedPrecision: r.expectedPrecision,
    expectedRecall: r.expectedRecall,
    expectedF1: r.expectedF1,
  }));
  let quality: ReportQuality | undefined;
  if (truth) {
    const flags = truthFlags(result.links, truth);
    const m = measureByThreshold(
      result.links,
      flags,
      truth.size,
      thresholdTable.map((r) => r.threshold),
    );
    thresholdTable = thresholdTable.map((r, i) => (r.threshold >= review ? { ...r, measured: at(m, i) } : r));
    quality = linkQuality(result.links, flags, truth.size);
  }

  const explanations = explain(result, {
    maxReview,
    maxMatches,
    truth,
    pseudonymise: opts.pseudonymiseIds === true,
  });
  return {
    reportVersion: 1,
    title: opts.title ?? 'Match report',
    generatedAt,
    libraryVersion: VERSION,
    idsPseudonymised: opts.pseudonymiseIds === true,
    stages: stages(result, opts.lists),
    trust: trustOf(result, quality),
    thresholds: {
      match,
      review,
      matchWeight: logit2(match),
      reviewWeight: logit2(review),
      rationale: `${result.thresholds.rationale} ${outcome(result)}`,
    },
    histogram: histogram(result.histogram, [logit2(review), logit2(match)]),
    model: model(result.model, opts.modelSource, expectedMatches(result)),
    thresholdTable,
    ...(quality ? { quality } : {}),
    explanations,
  };
}

/** Σ p over the kept pairs (the result's, else over the links). */
function expectedMatches(r: MatchResult): number {
  return r.expectedMatches ?? r.links.reduce((a, l) => a + l.probability, 0);
}

/**
 * The decisions in the same counts as the links file and the console: the rationale counts pairs by
 * probability, before the close-competitor rule moves some of those at or above the match threshold
 * to review, so it is followed by the final counts.
 */
function outcome(r: MatchResult): string {
  const t = r.thresholds;
  let above = 0;
  let moved = 0;
  for (const l of r.links)
    if (l.probability >= t.match) {
      above++;
      if (l.status === 'review') moved++;
    }
  const band = r.counts.review - moved;
  return (
    `Outcome: ${above} pairs reached the match threshold, of which ${moved} had a close competitor and went to ` +
    `review; so ${r.counts.matches} pairs are linked automatically and ${r.counts.review} go to review ` +
    `(${band} in the review band and ${moved} with a close competitor).`
  );
}

function cap(v: number | undefined, fallback: number, name: string): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`opts.${name} must be an integer >= 0`);
  return v;
}

function listCounts(encoded: number, read: ListReadCounts | undefined, side: string): ReportListCounts {
  const out: { rowsRead?: number; rejected?: number; encoded: number } = { encoded };
  for (const key of ['rowsRead', 'rejected'] as const) {
    const v = read?.[key];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`opts.lists.${side}.${key} must be an integer >= 0`);
    out[key] = v;
  }
  return out;
}

function stages(r: MatchResult, lists: BuildReportOptions['lists']): ReportStages {
  const c = r.counts;
  const passes = r.blocking.passes.map((p) => ({
    name: p.name,
    pairs: p.pairs,
    newPairs: p.newPairs,
    cumulativePairs: p.cumulativePairs,
    cappedBlocks: p.cappedBlocks,
    cappedPairs: p.cappedPairs,
    largestBlock: p.largestBlock,
  }));
  let reviewAmbiguous = 0;
  for (const l of r.links)
    if (l.status === 'review' && l.probability >= r.thresholds.match) reviewAmbiguous++;
  return {
    coc: listCounts(c.cocRecords, lists?.coc, 'coc'),
    mcp: listCounts(c.mcpRecords, lists?.mcp, 'mcp'),
    possiblePairs: c.cocRecords * c.mcpRecords,
    passes,
    candidatePairs: c.candidatePairs,
    reductionRatio: r.blocking.reductionRatio,
    ...(r.blocking.pairCompleteness === undefined ? {} : { pairCompleteness: r.blocking.pairCompleteness }),
    cappedBlocks: passes.reduce((a, p) => a + p.cappedBlocks, 0),
    cappedPairs: passes.reduce((a, p) => a + p.cappedPairs, 0),
    scoredPairs: c.scoredPairs,
    pairsAboveReview: c.pairsAboveReview,
    conflictsResolved: c.conflictsResolved,
    links: c.matches + c.review,
    matches: c.matches,
    review: c.review,
    reviewAmbiguous,
  };
}

/** The non-empty part of the histogram, widened to show both thresholds with a margin. */
function histogram(h: MatchResult['histogram'], marks: readonly number[]): ReportHistogram {
  const n = h.counts.length;
  let first = n;
  let last = -1;
  let total = 0;
  for (let b = 0; b < n; b++) {
    const k = at(h.counts, b);
    total += k;
    if (k > 0) {
      first = Math.min(first, b);
      last = b;
    }
  }
  for (const w of marks) {
    const b = Math.min(n - 1, Math.max(0, Math.floor((w - h.min) / h.binWidth)));
    first = Math.min(first, b);
    last = Math.max(last, b);
  }
  const margin = 2;
  first = Math.max(0, first - margin);
  last = Math.min(n - 1, last + margin);
  return {
    min: h.min + first * h.binWidth,
    binWidth: h.binWidth,
    counts: h.counts.slice(first, last + 1),
    total,
  };
}

function model(
  m: LinkageModel,
  source: BuildReportOptions['modelSource'],
  expected: number,
): MatchReport['model'] {
  const tf = new Set(m.termFrequency.enabled ? m.termFrequency.comparisons : []);
  const comparisons: ReportComparison[] = m.comparisons.map((c) => {
    const untrained = untrainedLevels(c.m, expected);
    return {
      name: c.spec.name,
      mTrained: c.mTrained !== false,
      termFrequency: tf.has(c.spec.name) && c.spec.levels.some((l) => l.tf !== undefined),
      levels: c.m.map((mv, l) => {
        const uv = at(c.u, l);
        const w = levelWeight(mv, uv);
        const why = untrained[l];
        return {
          label: levelLabel(c.spec, l),
          m: mv,
          u: uv,
          weight: Number.isFinite(w) ? w : null,
          trained: why === undefined,
          ...(why === undefined ? {} : { untrained: why }),
        };
      }),
    };
  });
  const training = trainingOf(m.training);
  return {
    ...(source ? { source } : {}),
    ...(m.schemaFingerprint ? { schemaFingerprint: m.schemaFingerprint.slice(0, 12) } : {}),
    lambda: m.lambda,
    priorWeight: logit2(m.lambda),
    comparisons,
    ...(training ? { training } : {}),
    warnings: modelWarnings(m, expected),
  };
}

/**
 * The training summary, if it has the expected shape: a model file's `training` is not validated
 * on load (it is informative), so a hand-edited one is left out rather than trusted.
 */
function trainingOf(t: unknown): ReportTraining | undefined {
  if (typeof t !== 'object' || t === null) return undefined;
  const s = t as Record<string, unknown>;
  if (!Array.isArray(s.sessions)) return undefined;
  const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  return {
    seed: num(s.seed),
    trainingRecords: num(s.trainingRecords),
    uSamplePairs: num(s.uSamplePairs),
    lambdaMethod: str(s.lambdaMethod),
    deterministicLinks: num(s.deterministicLinks),
    deterministicRecall: num(s.deterministicRecall),
    sessions: s.sessions
      .filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null)
      .map((x) => ({
        pass: str(x.pass),
        pairs: num(x.pairs),
        patterns: num(x.patterns),
        trained: Array.isArray(x.trained) ? x.trained.filter((v): v is string => typeof v === 'string') : [],
        iterations: num(x.iterations),
        converged: x.converged === true,
        lambda: num(x.lambda),
        logLikelihood: Array.isArray(x.logLikelihood)
          ? x.logLikelihood.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
          : [],
      })),
  };
}

function linkQuality(links: readonly Link[], flags: Uint8Array, truePairs: number): ReportQuality {
  let tpMatch = 0;
  let nMatch = 0;
  let tpAll = 0;
  for (const [i, link] of links.entries()) {
    const t = at(flags, i);
    tpAll += t;
    if (link.status === 'match') {
      nMatch++;
      tpMatch += t;
    }
  }
  return {
    truePairs,
    matches: measured(tpMatch, nMatch, truePairs),
    matchesAndReview: measured(tpAll, links.length, truePairs),
  };
}

function explain(
  r: MatchResult,
  o: { maxReview: number; maxMatches: number; truth: TruthSet | undefined; pseudonymise: boolean },
): MatchReport['explanations'] {
  const clients = o.pseudonymise ? new Pseudonyms('client') : undefined;
  const members = o.pseudonymise ? new Pseudonyms('member') : undefined;
  const label = (id: string, side: 'coc' | 'mcp'): string => {
    const p = side === 'coc' ? clients : members;
    return p ? p.label(id) : id;
  };
  const reviewLinks = new Map<string, Link>();
  for (const l of r.links) if (l.status === 'review') reviewLinks.set(pairKey(l.personalId, l.memberId), l);
  const reasonOf = (w: ReportWaterfall, e: Explanation): ReportWaterfall => {
    const l = reviewLinks.get(pairKey(e.personalId, e.memberId));
    return l ? { ...w, reason: reviewReasonText(l, r.thresholds, label) } : w;
  };
  const waterfall = (e: Explanation): ReportWaterfall => ({
    personalId: clients ? clients.label(e.personalId) : e.personalId,
    memberId: members ? members.label(e.memberId) : e.memberId,
    status: e.status,
    priorWeight: bits(e.priorWeight),
    steps: e.comparisons.map((c) => ({ name: c.name, level: c.level, weight: bits(c.weight) })),
    weight: bits(e.weight),
    probability: e.probability,
    ...(o.truth ? { trueMatch: o.truth.has(e.personalId, e.memberId) } : {}),
  });
  const review: ReportWaterfall[] = [];
  const reviewed: Explanation[] = [];
  const matches: ReportWaterfall[] = [];
  // Review pairs first, so pseudonyms number the pairs a reviewer works through from 1; their reasons
  // (which may name a competitor) after every pair shown has its label.
  for (const e of r.explanations)
    if (e.status === 'review' && review.length < o.maxReview) {
      review.push(waterfall(e));
      reviewed.push(e);
    }
  for (const e of r.explanations)
    if (e.status === 'match' && matches.length < o.maxMatches) matches.push(waterfall(e));
  for (const [i, e] of review.entries()) review[i] = reasonOf(e, at(reviewed, i));
  return { review, reviewTotal: r.counts.review, matches, matchesTotal: r.counts.matches };
}
