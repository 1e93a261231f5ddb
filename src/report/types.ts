/**
 * The match report's data model: a plain, JSON-serialisable object holding everything the HTML page
 * shows (and nothing else), so a program can read the same figures the page draws. It holds
 * identifiers (PersonalID/MemberID, or report-only pseudonyms) and agreement levels only — never a
 * name, date, SSN or any other field value.
 */

import type { LinkageMetrics } from '../match/metrics.js';
import type { EmSession } from '../model/model.js';

/** Counts of one list at the stages before matching. */
export interface ReportListCounts {
  /** Data rows read from the clear-text list; present only when the caller knew it (encode time). */
  readonly rowsRead?: number;
  /** Rows rejected by validation; present only when the caller knew it. */
  readonly rejected?: number;
  /** Records in the encoded file, i.e. the records that were matched. */
  readonly encoded: number;
}

/** One blocking pass (a rule that decides which pairs are compared). */
export interface ReportPass {
  readonly name: string;
  /** Pairs the pass produced, including pairs an earlier pass had already found. */
  readonly pairs: number;
  /** Pairs first found by this pass. */
  readonly newPairs: number;
  /** Distinct pairs after this pass and all earlier ones. */
  readonly cumulativePairs: number;
  /** Blocks skipped because they were larger than the cap, and the pairs they would have produced. */
  readonly cappedBlocks: number;
  readonly cappedPairs: number;
  /** Plan records in the largest block seen. */
  readonly largestBlock: number;
}

/** Counts at each stage of the match, from the two lists to the links. */
export interface ReportStages {
  readonly coc: ReportListCounts;
  readonly mcp: ReportListCounts;
  /** Every CoC record paired with every plan record: encoded(coc) × encoded(mcp). */
  readonly possiblePairs: number;
  readonly passes: readonly ReportPass[];
  /** Distinct pairs compared (the last pass's cumulative count). */
  readonly candidatePairs: number;
  /** 1 − candidatePairs / possiblePairs. */
  readonly reductionRatio: number;
  /** Share of known true pairs that blocking compared; present when labels were given to the matcher. */
  readonly pairCompleteness?: number;
  readonly cappedBlocks: number;
  readonly cappedPairs: number;
  /** Pairs given a match weight (equals candidatePairs). */
  readonly scoredPairs: number;
  /** Pairs at or above the review threshold before one-to-one assignment. */
  readonly pairsAboveReview: number;
  /** Pairs above the review threshold dropped because a record was already in a stronger pair. */
  readonly conflictsResolved: number;
  /** Links kept: matches + review. */
  readonly links: number;
  readonly matches: number;
  readonly review: number;
  /**
   * Review pairs whose probability reached the match threshold but were sent to review because the
   * record had another candidate nearly as likely.
   */
  readonly reviewAmbiguous: number;
}

/** The two decision thresholds, as probabilities and as match weights (bits). */
export interface ReportThresholds {
  /** Pairs with match probability ≥ match are linked. */
  readonly match: number;
  /** Pairs with review ≤ probability < match go to clerical review. */
  readonly review: number;
  /** log2(match / (1 − match)): the same threshold on the weight axis of the histogram. */
  readonly matchWeight: number;
  readonly reviewWeight: number;
  /** How the thresholds were chosen, with the figures behind them (no data values). */
  readonly rationale: string;
}

/** Histogram of the match weights of all compared pairs. */
export interface ReportHistogram {
  /** Lower edge of the first bin; bin b covers [min + b·binWidth, min + (b+1)·binWidth). */
  readonly min: number;
  readonly binWidth: number;
  /** Pairs per bin (the first and last bins also hold everything beyond them). */
  readonly counts: readonly number[];
  /** Σ counts (= scoredPairs). */
  readonly total: number;
}

/** One agreement level of a comparison with its m and u. */
export interface ReportLevel {
  readonly label: string;
  /** P(this level | the pair is the same person). */
  readonly m: number;
  /** P(this level | the pair is two different people). */
  readonly u: number;
  /** log2(m / u) in bits; null when m or u is 0 (the weight is infinite). */
  readonly weight: number | null;
  /**
   * Whether the data could train m of this level: false when m sits at the training floor or the
   * model expects fewer than one true pair at this level (see `untrained`); its weight is then not
   * evidence and the page shows "not trained" instead.
   */
  readonly trained: boolean;
  /** Why the level is not trained: `floor` (m at the EM floor) or `few-pairs`. */
  readonly untrained?: 'floor' | 'few-pairs';
}

/** One comparison (e.g. FirstName) with its levels. */
export interface ReportComparison {
  readonly name: string;
  /** Whether m was estimated from these data (false: the starting/fixed value was kept). */
  readonly mTrained: boolean;
  /** Whether exact agreement is adjusted for how common the agreed value is. */
  readonly termFrequency: boolean;
  readonly levels: readonly ReportLevel[];
}

/** One EM training session (one per blocking pass used for training); the model's own record of it. */
export type ReportEmSession = EmSession;

/** How the model was trained; absent when the model came without a training summary. */
export interface ReportTraining {
  readonly seed: number;
  readonly trainingRecords: number;
  readonly uSamplePairs: number;
  readonly lambdaMethod: string;
  readonly deterministicLinks: number;
  readonly deterministicRecall: number;
  readonly sessions: readonly ReportEmSession[];
}

/** The linkage model as the report shows it. */
export interface ReportModel {
  /** Where the model came from, when the caller said so. */
  readonly source?: 'trained' | 'file';
  /** First 12 hex digits of the linkage-schema fingerprint, when the model has one. */
  readonly schemaFingerprint?: string;
  /** λ: prior probability that a CoC record and a plan record picked at random are the same person. */
  readonly lambda: number;
  /** log2(λ / (1 − λ)): the weight every pair starts from. */
  readonly priorWeight: number;
  readonly comparisons: readonly ReportComparison[];
  readonly training?: ReportTraining;
  /** What a reader should know before trusting the weights: untrained and out-of-order levels. */
  readonly warnings: readonly ReportModelWarning[];
}

/** One model warning (names a comparison and its levels, never a value). */
export interface ReportModelWarning {
  /** `not-trained`: levels the data could not train; `not-monotone`: weights out of the expected order. */
  readonly kind: 'not-trained' | 'not-monotone';
  readonly comparison: string;
  /** The levels concerned (for `not-monotone`: the level that should weigh more, then the other). */
  readonly levels: readonly string[];
  /** One sentence for the page. */
  readonly message: string;
}

/** Counts of wrong and missed links at the chosen thresholds: expected by the model, and measured. */
export interface ReportTrustCounts {
  /** Automatic links (status match). */
  readonly links: number;
  /** Wrong automatic links. */
  readonly wrong: number;
  /** True pairs not linked automatically. */
  readonly missed: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** The trust panel: how far the automatic links can be trusted. */
export interface ReportTrust {
  /**
   * What the model expects (docs/scoring.md, "How far to trust the links"). With the one-to-one
   * mixture (`MatchResult.expected`): wrong = links − Σ P over the automatic links, missed = the
   * mixture's expected true matches − Σ P over them. Without it (a result built by hand): wrong =
   * Σ (1 − p), missed = max(λ × possible pairs, Σ p of kept pairs) − Σ p over the automatic links.
   */
  readonly expected: ReportTrustCounts & {
    /** `mixture`: the one-to-one mixture's figures; `pairwise`: the pairwise probabilities'. */
    readonly method: 'mixture' | 'pairwise';
    /** Expected true matches between the two lists (the mixture's: among the compared pairs). */
    readonly trueMatches: number;
    /**
     * Of the expected missed: in the review band; scored below the review threshold (or lost to a
     * competitor). `missedNotCompared`: pairwise, the never-compared part of missed (λ × pairs −
     * Σ p of kept pairs); mixture, the true pairs λ counts beyond the mixture's, NOT part of missed
     * (never compared, or λ too high) but inside the missed interval's upper end.
     */
    readonly missedInReview: number;
    readonly missedBelowReview: number;
    /**
     * Mixture: the true pairs no blocking pass compared, estimated from which passes catch the
     * likely matches (`ExpectedQuality.unseen`, docs/scoring.md §8), part of missed (0 when not
     * estimated, and always for the pairwise figures).
     */
    readonly missedUnseen: number;
    readonly missedNotCompared: number;
    /**
     * Standard deviations of wrong and missed: Poisson-binomial for wrong; for missed, Poisson
     * (pairwise: plus λ's counting error, `lambdaRelativeSe`, on the never-compared part).
     */
    readonly wrongSd: number;
    readonly missedSd: number;
    /**
     * 95 % intervals of wrong and missed, at least 0: normal approximation with those deviations;
     * with the mixture also widened by its sensitivity to the likelihood ratios
     * (`ExpectedQuality.sensitivity`), missed's upper end by `missedNotCompared`, and missed's
     * both ends by half of `missedUnseen` (`UNSEEN_ALLOWANCE`).
     */
    readonly wrongInterval: readonly [number, number];
    readonly missedInterval: readonly [number, number];
  };
  /** Where the model's assumptions are shaky (one sentence each; empty when none applies). */
  readonly caveats: readonly string[];
  /** Measured against known true pairs (match --truth), when given. */
  readonly measured?: ReportTrustCounts & { readonly truePairs: number };
  /**
   * `agree`: both measured counts lie within their 95 % intervals (±1 for whole counts);
   * `disagree` otherwise; `unmeasured` without known pairs.
   */
  readonly agreement: 'agree' | 'disagree' | 'unmeasured';
  /** The one sentence at the top of the page. */
  readonly verdict: string;
}

/** Precision, recall and F1 measured against known true pairs. */
export type ReportMeasured = LinkageMetrics;

/** One row of the threshold table. */
export interface ReportThresholdRow {
  readonly threshold: number;
  /** Pairs (after one-to-one assignment) with probability ≥ threshold. */
  readonly pairsAbove: number;
  readonly expectedPrecision: number;
  readonly expectedRecall: number;
  readonly expectedF1: number;
  /**
   * Measured against the labels, when given and the threshold is at or above the review threshold
   * (pairs below the review threshold are not kept, so lower thresholds cannot be measured).
   */
  readonly measured?: ReportMeasured;
}

/** Measured quality of the decisions, when labels were given. */
export interface ReportQuality {
  /** Distinct true pairs in the labels. */
  readonly truePairs: number;
  /** The pairs linked automatically (status match). */
  readonly matches: ReportMeasured;
  /** Matches plus every review pair, as if every review pair were confirmed. */
  readonly matchesAndReview: ReportMeasured;
}

/** One step of a waterfall: a comparison's agreement level and the weight it adds. */
export interface ReportStep {
  readonly name: string;
  readonly level: string;
  readonly weight: number;
}

/** Why one pair got its weight: the prior, then the weight of each comparison. */
export interface ReportWaterfall {
  readonly personalId: string;
  readonly memberId: string;
  readonly status: 'match' | 'review';
  readonly priorWeight: number;
  readonly steps: readonly ReportStep[];
  /** priorWeight + Σ steps. */
  readonly weight: number;
  readonly probability: number;
  /** Whether the labels say this pair is the same person (only when labels were given). */
  readonly trueMatch?: boolean;
  /** For a review pair: why it is in review, in one sentence, and its kind. */
  readonly reason?: { readonly kind: 'band' | 'competitor' | 'decided'; readonly text: string };
}

/** The explained pairs. */
export interface ReportExplanations {
  /** Every review pair (up to the cap), in PersonalID order as in the review file. */
  readonly review: readonly ReportWaterfall[];
  /** Review pairs in total (more than `review.length` when capped). */
  readonly reviewTotal: number;
  /** A sample of automatic matches. */
  readonly matches: readonly ReportWaterfall[];
  readonly matchesTotal: number;
}

/**
 * Everything the match report shows, as plain JSON. Built by {@link buildReport}, rendered by
 * {@link renderReportHtml}.
 */
export interface MatchReport {
  readonly reportVersion: 1;
  readonly title: string;
  /** ISO 8601 time the report was built. */
  readonly generatedAt: string;
  readonly libraryVersion: string;
  /** Whether PersonalIDs and MemberIDs were replaced by report-only labels. */
  readonly idsPseudonymised: boolean;
  readonly stages: ReportStages;
  readonly trust: ReportTrust;
  readonly thresholds: ReportThresholds;
  readonly histogram: ReportHistogram;
  readonly model: ReportModel;
  readonly thresholdTable: readonly ReportThresholdRow[];
  readonly quality?: ReportQuality;
  readonly explanations: ReportExplanations;
}
