/**
 * How far the report's links can be trusted: the wrong and missed links the model expects at the
 * chosen thresholds (and, with known true pairs, the ones measured), the model's warnings (levels
 * the data could not train, weights out of their expected order), and the reason of each review
 * pair. Counts and level names only, never a value.
 */
import type { ComparisonSpec } from '../compare/comparisons.js';
import { levelLabel } from '../compare/comparisons.js';
import type { ExpectedQuality } from '../decide/expected.js';
import { estimateTrueMatches } from '../decide/thresholds.js';
import type { Link, MatchResult, ReviewReason } from '../match/match.js';
import type { LinkageModel, TrainingSummary } from '../model/model.js';
import { levelWeight } from '../model/weights.js';
import { at } from '../util/defined.js';
import { fixed, int, pct, prob, signed } from './format.js';
import type { ReportModelWarning, ReportQuality, ReportTrust, ReportTrustCounts } from './types.js';

/** m at or below this is the EM floor (1e-6 by default, with room for rounding): nothing trained it. */
export const M_FLOOR = 1.5e-6;
/** A level the model expects fewer true pairs at than this (m × expected matches) is not trained. */
export const MIN_LEVEL_PAIRS = 1;
/** Weights closer than this (bits) are not called out of order. */
const ORDER_TOLERANCE = 0.05;

function counts(links: number, wrong: number, missed: number): ReportTrustCounts {
  const precision = links > 0 ? (links - wrong) / links : 1;
  const truePairs = links - wrong + missed;
  const recall = truePairs > 0 ? (links - wrong) / truePairs : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { links, wrong, missed, precision, recall, f1 };
}

/** "about 12", or "fewer than one" below 1. */
function about(x: number): string {
  return x < 1 ? 'fewer than one' : `about ${int(Math.round(x))}`;
}

/**
 * The trust panel's figures. With the one-to-one mixture (`result.expected`, docs/scoring.md §8):
 * expected wrong = links − Σ P over the automatic links; expected true matches = the mixture's
 * (the compared pairs); expected missed = that − Σ P over the automatic links; intervals widened by
 * the figures' sensitivity to the likelihood ratios, and the missed interval's upper end by the
 * true pairs λ suggests were never compared. Without it (a result built by hand), the pairwise
 * figures: wrong = Σ (1 − p), true matches = max(λ × possible pairs, capped at the smaller list,
 * Σ p of the kept pairs). With `quality` (known true pairs), the measured counts beside them and
 * whether the two agree.
 * @example
 * ```ts
 * const trust = trustOf(result, undefined);
 * trust.expected.wrong; // links the model expects to be wrong
 * ```
 */
export function trustOf(result: MatchResult, quality: ReportQuality | undefined): ReportTrust {
  let sMatch = 0;
  let sReview = 0;
  let variance = 0;
  let links = 0;
  for (const l of result.links) {
    if (l.status === 'match') {
      links++;
      sMatch += l.probability;
      variance += l.probability * (1 - l.probability);
    } else sReview += l.probability;
  }
  const c = result.counts;
  const kept = Math.max(result.expectedMatches ?? 0, sMatch + sReview);
  const pairwiseTrue = Math.max(
    result.estimatedTrueMatches ?? 0,
    estimateTrueMatches(result.model.lambda, c.cocRecords, c.mcpRecords, kept),
  );
  const lambdaSe = lambdaRelativeSe(result);
  const fig = figures(result.expected, { links, sMatch, sReview, variance, kept, pairwiseTrue, lambdaSe });
  const { wrong, missed, trueMatches } = fig;
  const expected = {
    ...counts(links, wrong, missed),
    method: result.expected ? ('mixture' as const) : ('pairwise' as const),
    trueMatches,
    missedInReview: fig.inReview,
    missedBelowReview: fig.belowReview,
    missedUnseen: fig.unseen,
    missedNotCompared: fig.notCompared,
    wrongSd: fig.wrongSd,
    missedSd: fig.missedSd,
    wrongInterval: fig.wrongInterval,
    missedInterval: fig.missedInterval,
  };
  const caveats = trustCaveats(result, {
    trueMatches,
    notCompared: fig.notCompared,
    missed,
    lambdaSe,
    ...(result.expected ? { mixture: result.expected } : {}),
  });
  const ew = about(wrong);
  const em = about(missed);
  if (!quality) {
    return {
      expected,
      caveats,
      agreement: 'unmeasured',
      verdict:
        `At these thresholds the model expects ${ew} of the ${int(links)} automatic links to be wrong and ` +
        `${em} true pairs to be missed; no known true pairs were given (match --truth FILE), so these are ` +
        'the model’s own estimates, right only as far as its probabilities are well calibrated.',
    };
  }
  const q = quality.matches;
  const m = {
    ...counts(q.truePositives + q.falsePositives, q.falsePositives, q.falseNegatives),
    truePairs: quality.truePairs,
  };
  // Consistent: within the 95 % interval, with one count of slack for whole counts.
  const inside = (got: number, [lo, hi]: readonly [number, number]): boolean =>
    got >= lo - 1 && got <= hi + 1;
  const wrongOk = inside(m.wrong, expected.wrongInterval);
  const missedOk = inside(m.missed, expected.missedInterval);
  const agree = wrongOk && missedOk;
  const part = (what: string, exp: number, got: number, ok: boolean): string =>
    `${what}: expected ${about(exp)}, measured ${int(got)} (${
      ok ? 'consistent' : got > exp ? 'more than the model expects' : 'fewer than the model expects'
    })`;
  const detail = `${part('wrong links', wrong, m.wrong, wrongOk)}; ${part('missed pairs', missed, m.missed, missedOk)}`;
  const blocking = result.expected
    ? !missedOk && m.missed > missed
      ? '. True pairs that no blocking rule compared, or that score like strangers, are invisible to the scores'
      : ''
    : !missedOk && m.missed < missed && expected.missedNotCompared > missed / 2
      ? '. Most of the expected missed pairs are pairs no blocking rule compared, estimated from λ: λ over-states the true pairs here'
      : '';
  const verdict = agree
    ? `The measurement agrees with the model against the ${int(m.truePairs)} known true pairs — ${detail}.`
    : `The measurement does not agree with the model against the ${int(m.truePairs)} known true pairs — ${detail}${blocking}; trust the measured figures over the expected ones.`;
  return { expected, caveats, measured: m, agreement: agree ? 'agree' : 'disagree', verdict };
}

interface Figures {
  wrong: number;
  missed: number;
  trueMatches: number;
  inReview: number;
  belowReview: number;
  unseen: number;
  notCompared: number;
  wrongSd: number;
  missedSd: number;
  wrongInterval: readonly [number, number];
  missedInterval: readonly [number, number];
}

/** The expected counts, from the mixture when the result has it, else from the pairwise model. */
function figures(
  e: ExpectedQuality | undefined,
  s: {
    links: number;
    sMatch: number;
    sReview: number;
    variance: number;
    kept: number;
    pairwiseTrue: number;
    lambdaSe: number;
  },
): Figures {
  if (!e) {
    const missed = Math.max(0, s.pairwiseTrue - s.sMatch);
    const notCompared = s.pairwiseTrue - s.kept;
    const wrong = s.links - s.sMatch;
    const wrongSd = Math.sqrt(s.variance);
    // Poisson for the missed pairs themselves, plus λ's counting error on the part only λ sees.
    const missedSd = Math.sqrt(missed + (s.lambdaSe * notCompared) ** 2);
    return {
      wrong,
      missed,
      trueMatches: s.pairwiseTrue,
      inReview: s.sReview,
      belowReview: Math.max(0, s.kept - s.sMatch - s.sReview),
      unseen: 0,
      notCompared,
      wrongSd,
      missedSd,
      wrongInterval: interval(wrong, wrongSd),
      missedInterval: interval(missed, missedSd),
    };
  }
  const wrong = e.links - e.trueLinks;
  const missed = Math.max(0, e.trueMatches - e.trueLinks);
  const missedSd = Math.sqrt(missed);
  // True pairs the pairwise model's λ counts beyond what the scores show (never compared, or λ too high).
  const notCompared = Math.max(0, e.pairwise.trueMatches - e.trueMatches);
  // The true pairs no blocking pass caught, estimated (block/unseen.ts): part of missed; its
  // allowance is half of it either way, for the assumption that the fields fail independently.
  const unseen = Math.min(e.unseen.matches, missed);
  const allowance = UNSEEN_ALLOWANCE * unseen;
  const [wlo, whi] = interval(wrong, e.wrongSd);
  const [mlo, mhi] = interval(missed, missedSd);
  return {
    wrong,
    missed,
    trueMatches: e.trueMatches,
    inReview: e.reviewTrueLinks,
    belowReview: Math.max(0, missed - e.reviewTrueLinks - unseen),
    unseen,
    notCompared,
    wrongSd: e.wrongSd,
    missedSd,
    wrongInterval: [Math.max(0, wlo - e.sensitivity.wrong), whi + e.sensitivity.wrong],
    missedInterval: [
      Math.max(0, mlo - e.sensitivity.trueMatches - allowance),
      mhi + e.sensitivity.trueMatches + notCompared + allowance,
    ],
  };
}

/**
 * The missed interval's allowance for the estimate of the true pairs no blocking pass caught, as a
 * share of it either way: the estimate assumes the fields fail independently (docs/scoring.md §8).
 */
export const UNSEEN_ALLOWANCE = 0.5;
/** Share of the expected true matches never compared above which the panel says so in a caveat. */
export const UNSEEN_SHARE = 0.01;
/** z of a two-sided 95 % normal interval. */
const Z95 = 1.96;
/** Deterministic links (counted in the training sample) below which λ is called uncertain. */
export const FEW_DETERMINISTIC_LINKS = 30;
/** Sensitivity of the expected true matches (share of them) above which the panel warns of weak evidence. */
export const WEAK_EVIDENCE_SHARE = 0.02;
/** Expected matches over all EM sessions below which m is called thinly trained. */
export const FEW_TRAINING_MATCHES = 100;

/** A 95 % interval around a count (normal approximation), never below 0. */
function interval(x: number, sd: number): readonly [number, number] {
  return [Math.max(0, x - Z95 * sd), x + Z95 * sd];
}

/** The model's training summary when it is well formed (a model file may hold anything). */
function trainingOf(result: MatchResult): TrainingSummary | undefined {
  const t = result.model.training as Partial<TrainingSummary> | undefined;
  if (
    t === undefined ||
    !Array.isArray(t.sessions) ||
    typeof t.lambdaMethod !== 'string' ||
    !Number.isFinite(t.deterministicLinks) ||
    !Number.isFinite(t.trainingRecords) ||
    !t.sessions.every(
      (x) => typeof x === 'object' && x !== null && Number.isFinite(x.lambda) && Number.isFinite(x.pairs),
    )
  )
    return undefined;
  return t as TrainingSummary;
}

/** Deterministic links counted in the training sample (the model stores them scaled to the list). */
function sampledDeterministicLinks(result: MatchResult): number | undefined {
  const t = trainingOf(result);
  if (!t || result.counts.cocRecords === 0) return undefined;
  return (
    (t.deterministicLinks * Math.min(t.trainingRecords, result.counts.cocRecords)) / result.counts.cocRecords
  );
}

/**
 * Relative standard error of λ from counting alone: λ is (deterministic links) ÷ (their recall), and
 * the links are a count of about D in the training sample, so ≈ 1 / √D. The recall's own error
 * (up to a few per cent on the evaluation sets, docs/benchmarks.md) is not in it. 0 for a model
 * without its training summary (a model file).
 * @example
 * ```ts
 * lambdaRelativeSe(result); // 0.018 when 3,000 deterministic links were counted
 * ```
 */
export function lambdaRelativeSe(result: MatchResult): number {
  const d = sampledDeterministicLinks(result);
  return d === undefined ? 0 : 1 / Math.sqrt(Math.max(d, 1));
}

/**
 * Where the model's assumptions are shaky, one short sentence each (counts and names, no value):
 * λ from few deterministic links or from the fallback; λ saying every record of the smaller list
 * has a match; m trained on few expected matches or by sessions that did not converge; levels
 * the data could not train; most expected missed pairs never compared (so the missed count rests on
 * λ); a model not trained on these lists.
 * @example
 * ```ts
 * trustCaveats(result, { trueMatches: 4000, notCompared: 20, missed: 80, lambdaSe: 0.02 });
 * ```
 */
export function trustCaveats(
  result: MatchResult,
  e: {
    trueMatches: number;
    notCompared: number;
    missed: number;
    lambdaSe: number;
    mixture?: ExpectedQuality;
  },
): string[] {
  const out: string[] = [];
  const t = trainingOf(result);
  const c = result.counts;
  if (!t) {
    out.push(
      'The model came without its training summary (a model file): how well its parameters were trained cannot be judged here.',
    );
  } else {
    const d = sampledDeterministicLinks(result) ?? 0;
    if (t.lambdaMethod.startsWith('no deterministic')) {
      out.push(
        'No pair agreed exactly on names and DOB or on SSN in training, so λ is an assumption (10 % of the smaller list), not an estimate: the expected missed pairs are a guess.',
      );
    } else if (d < FEW_DETERMINISTIC_LINKS) {
      out.push(
        `λ rests on ${int(Math.round(d))} exact (names and DOB, or SSN) pairs counted in training, so the expected number of true pairs is uncertain by about ${pct(e.lambdaSe)} or more.`,
      );
    }
    const matches = t.sessions.reduce((a, s) => a + s.lambda * s.pairs, 0);
    if (t.sessions.length === 0 || matches < FEW_TRAINING_MATCHES) {
      out.push(
        `The m probabilities were trained on about ${int(Math.round(matches))} expected true pairs (fewer than ${FEW_TRAINING_MATCHES}): small lists or few shared values; the probabilities may be badly calibrated.`,
      );
    }
    const stuck = t.sessions.filter((s) => !s.converged).length;
    if (stuck > 0)
      out.push(`${int(stuck)} of ${int(t.sessions.length)} EM sessions stopped before converging.`);
  }
  if (
    c.cocRecords > 0 &&
    c.mcpRecords > 0 &&
    result.model.lambda * c.cocRecords * c.mcpRecords >= Math.min(c.cocRecords, c.mcpRecords)
  )
    out.push(
      'λ says every record of the smaller list has a match; it is capped there, and probably over-stated.',
    );
  const untrained = modelWarnings(result.model, result.expectedMatches ?? 0).filter(
    (w) => w.kind === 'not-trained',
  ).length;
  if (untrained > 0)
    out.push(
      `${int(untrained)} comparison${untrained === 1 ? ' has' : 's have'} levels the data could not train (model warnings below): pairs at those levels are scored from prior guesses.`,
    );
  const x = e.mixture;
  if (!x) {
    if (e.missed > 0 && e.notCompared > e.missed / 2)
      out.push(
        'Most expected missed pairs were never compared: that count comes from λ, not from scores, and is the least certain figure here.',
      );
    return out;
  }
  const wrong = x.links - x.trueLinks;
  if (Math.abs(x.pairwise.wrong - wrong) > 2 * x.wrongSd + 1)
    out.push(
      `The pairwise match probabilities put ${about(x.pairwise.wrong)} wrong links among the automatic links, the one-to-one mixture ${about(wrong)}: the comparisons are not independent given a match (or λ is off), so the pairwise probabilities are mis-calibrated on these lists; the expected figures here are the mixture's.`,
    );
  if (x.trueMatches > 0 && x.sensitivity.trueMatches > WEAK_EVIDENCE_SHARE * x.trueMatches)
    out.push(
      `The match status of many records rests on weak evidence (a name or the DOB alone): the expected true matches move by about ${int(Math.round(x.sensitivity.trueMatches))} (${pct(x.sensitivity.trueMatches / x.trueMatches)}) if the likelihood ratios are off by a factor e, so the expected recall is uncertain by about as much.`,
    );
  if (x.trueMatches > 0 && x.unseen.matches > UNSEEN_SHARE * x.trueMatches)
    out.push(
      `About ${int(Math.round(x.unseen.matches))} true pairs (${pct(x.unseen.share)} of true pairs) were never compared by any blocking rule: estimated from which rules catch the likely matches, assuming names, DOB and IDs fail independently given a match; they are counted as missed, and half that count either way is in the missed interval.`,
    );
  if (e.notCompared > Math.max(x.sensitivity.trueMatches, 2 * Math.sqrt(Math.max(e.missed, 1))))
    out.push(
      `λ counts about ${int(Math.round(e.notCompared))} more true pairs than the scores show: pairs no blocking rule compared, or a λ set too high; the missed interval's upper end includes them.`,
    );
  return out;
}

/**
 * Whether each level of a comparison was trained: `floor` when m sits at the EM floor, `few-pairs`
 * when the model expects fewer than {@link MIN_LEVEL_PAIRS} true pairs at it (m × expected matches).
 * @example
 * ```ts
 * untrainedLevels([0.9, 0.1, 1e-6], 500); // [undefined, undefined, 'floor']
 * ```
 */
export function untrainedLevels(
  m: readonly number[],
  expectedMatches: number,
): ('floor' | 'few-pairs' | undefined)[] {
  return m.map((v) =>
    v <= M_FLOOR ? 'floor' : v * expectedMatches < MIN_LEVEL_PAIRS ? 'few-pairs' : undefined,
  );
}

/**
 * Model warnings: levels the data could not train, and trained weights out of their expected order
 * within a data-quality group — the first level (the strongest agreement) should weigh at least as
 * much as every other, every level at least as much as `else`, and of two Dice thresholds on the
 * same filter the stricter at least as much as the looser.
 * @example
 * ```ts
 * modelWarnings(result.model, result.expectedMatches ?? 0);
 * ```
 */
export function modelWarnings(model: LinkageModel, expectedMatches: number): ReportModelWarning[] {
  const out: ReportModelWarning[] = [];
  for (const c of model.comparisons) {
    const name = c.spec.name;
    const untrained = untrainedLevels(c.m, expectedMatches);
    const floor = untrained.flatMap((u, l) => (u === 'floor' ? [levelLabel(c.spec, l)] : []));
    const few = untrained.flatMap((u, l) => (u === 'few-pairs' ? [levelLabel(c.spec, l)] : []));
    if (floor.length > 0)
      out.push({
        kind: 'not-trained',
        comparison: name,
        levels: floor,
        message: `${name}: no true pair in the training data showed ${list(floor)}, so m stayed at its floor; ${these(floor)} shown as “not trained”, not as weights.`,
      });
    if (few.length > 0)
      out.push({
        kind: 'not-trained',
        comparison: name,
        levels: few,
        message: `${name}: the model expects fewer than one true pair at ${list(few)}, too few to estimate m; ${these(few)} shown as “not trained”.`,
      });
    const weight = (l: number): number | undefined => {
      if (untrained[l] !== undefined) return undefined;
      const w = levelWeight(at(c.m, l), at(c.u, l));
      return Number.isFinite(w) ? w : undefined;
    };
    for (const [stronger, weaker] of orderedPairs(c.spec)) {
      const ws = weight(stronger);
      const ww = weight(weaker);
      if (ws === undefined || ww === undefined || ws >= ww - ORDER_TOLERANCE) continue;
      const [a, b] = [levelLabel(c.spec, stronger), levelLabel(c.spec, weaker)];
      out.push({
        kind: 'not-monotone',
        comparison: name,
        levels: [a, b],
        message: `${name}: “${a}” weighs less than “${b}” (${signed(ws)} against ${signed(ww)} bits) though it is the stronger agreement; the data may hold too few such pairs, so treat these two weights with care.`,
      });
    }
  }
  return out;
}

function these(labels: readonly string[]): string {
  return labels.length === 1 ? 'this level is' : 'these levels are';
}

function list(labels: readonly string[]): string {
  return labels.map((l) => `“${l}”`).join(', ');
}

/** Pairs [stronger level, weaker level] whose weights should not be in the other order. */
function orderedPairs(spec: ComparisonSpec): [number, number][] {
  const n = spec.levels.length;
  const groups = spec.splitByDq ? [0, n] : [0];
  const out: [number, number][] = [];
  const seen = new Set<string>();
  const add = (a: number, b: number): void => {
    if (a === b || seen.has(`${a},${b}`)) return;
    seen.add(`${a},${b}`);
    out.push([a, b]);
  };
  for (const g of groups) {
    const elseAt = spec.levels.findIndex((l) => l.when.type === 'else');
    for (let l = 1; l < n; l++) add(g, g + l);
    if (elseAt >= 0) for (let l = 0; l < n; l++) if (l !== elseAt) add(g + l, g + elseAt);
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) {
        const wa = at(spec.levels, a).when;
        const wb = at(spec.levels, b).when;
        if (wa.type === 'dice' && wb.type === 'dice' && wa.feature === wb.feature && wa.min > wb.min)
          add(g + a, g + b);
      }
  }
  return out;
}

/**
 * One sentence saying why a pair is in review: its score band, a close competitor with its margin,
 * or an earlier decision. `label` turns a record ID into what the report shows (a pseudonym).
 * @example
 * ```ts
 * reviewReasonText(link, { match: 0.5, review: 0.2 }, (id) => id);
 * ```
 */
export function reviewReasonText(
  link: Link,
  t: { readonly match: number; readonly review: number },
  label: (id: string, side: 'coc' | 'mcp') => string,
): { kind: ReviewReason['kind']; text: string } {
  const r = link.reason;
  const kind = r?.kind ?? (link.probability >= t.match ? 'competitor' : 'band');
  const c = r?.competitor;
  const rival = c
    ? `${label(c.personalId, 'coc')} ↔ ${label(c.memberId, 'mcp')}, which scores ${
        Math.abs(c.margin) < 0.005
          ? 'the same'
          : c.margin > 0
            ? `only ${fixed(c.margin, 2)} bits less`
            : `${fixed(-c.margin, 2)} bits more`
      }`
    : '';
  if (kind === 'decided')
    return {
      kind,
      text: `A person’s earlier decision${r?.decision ? ` (${r.decision})` : ''} sent this pair to review.`,
    };
  if (kind === 'competitor')
    return {
      kind,
      text:
        `Its match probability ${prob(link.probability)} reaches the match threshold ${prob(t.match)}, but it ` +
        `has a close competitor${rival ? `: ${rival}` : ''}; a person should choose between them.`,
    };
  return {
    kind,
    text:
      `Its match probability ${prob(link.probability)} lies between the review threshold ${prob(t.review)} ` +
      `and the match threshold ${prob(t.match)}${rival ? `; it also has a close competitor: ${rival}` : ''}.`,
  };
}
