import { describe, expect, it } from 'vitest';
import { levelLabel } from '../../src/compare/comparisons.js';
import { closestCompetitors } from '../../src/decide/ambiguity.js';
import type { Link, MatchResult } from '../../src/match/match.js';
import { linkageMetrics } from '../../src/match/metrics.js';
import type { LinkageModel } from '../../src/model/model.js';
import { buildReport } from '../../src/report/build.js';
import { renderReportHtml } from '../../src/report/html.js';
import { lambdaRelativeSe, M_FLOOR, reviewReasonText } from '../../src/report/trust.js';
import { reportFixture } from './fixture.js';

const AT = '2026-01-01T00:00:00.000Z';

describe('the trust panel', () => {
  const f = reportFixture();
  const r = f.result;
  const matches = r.links.filter((l) => l.status === 'match');
  const sum = (ls: readonly Link[], g: (l: Link) => number): number => ls.reduce((a, l) => a + g(l), 0);

  /** The same result without the mixture's figures (a result built by hand): the pairwise figures. */
  const pairwiseOnly = (): MatchResult => {
    const { expected: _, ...rest } = r;
    return rest as MatchResult;
  };

  it('expects the mixture’s wrong and missed links: links − Σ P, and its true matches − Σ P', () => {
    const x = r.expected!;
    const e = buildReport(r, { generatedAt: AT }).trust.expected;
    expect(e.method).toBe('mixture');
    expect(e.links).toBe(matches.length);
    expect(x.links).toBe(matches.length);
    expect(e.wrong).toBeCloseTo(x.links - x.trueLinks, 9);
    expect(e.trueMatches).toBeCloseTo(x.trueMatches, 9);
    expect(e.missed).toBeCloseTo(x.trueMatches - x.trueLinks, 9);
    expect(e.missedInReview + e.missedBelowReview + e.missedUnseen).toBeCloseTo(e.missed, 9);
    expect(e.missedInReview).toBeCloseTo(x.reviewTrueLinks, 9);
    expect(e.missedUnseen).toBeCloseTo(Math.min(x.unseen.matches, e.missed), 9);
    expect(e.missedNotCompared).toBeCloseTo(Math.max(0, x.pairwise.trueMatches - x.trueMatches), 9);
    expect(e.precision).toBeCloseTo((e.links - e.wrong) / e.links, 12);
    expect(e.precision).toBeCloseTo(x.precision, 12);
    // The pairwise wrong links beside it are Σ (1 − p) of the same links.
    expect(x.pairwise.wrong).toBeCloseTo(
      sum(matches, (l) => 1 - l.probability),
      9,
    );
  });

  it('without the mixture, expects Σ(1 − p) wrong links and the expected true matches not linked as missed', () => {
    const e = buildReport(pairwiseOnly(), { generatedAt: AT }).trust.expected;
    expect(e.method).toBe('pairwise');
    expect(e.wrong).toBeCloseTo(
      sum(matches, (l) => 1 - l.probability),
      9,
    );
    const linked = sum(matches, (l) => l.probability);
    const prior = Math.min(r.model.lambda * r.counts.cocRecords * r.counts.mcpRecords, r.counts.cocRecords);
    expect(e.trueMatches).toBeCloseTo(Math.max(prior, r.expectedMatches!), 9);
    expect(e.trueMatches).toBeGreaterThanOrEqual(sum(r.links, (l) => l.probability) - 1e-9);
    expect(e.missed).toBeCloseTo(e.trueMatches - linked, 9);
    expect(e.missedInReview + e.missedBelowReview + e.missedNotCompared).toBeCloseTo(e.missed, 9);
    expect(e.missedInReview).toBeCloseTo(
      sum(r.links, (l) => (l.status === 'review' ? l.probability : 0)),
      9,
    );
  });

  it('gives 95 % intervals around the expected wrong and missed links, widened by the sensitivity', () => {
    const report = buildReport(r, { generatedAt: AT });
    const e = report.trust.expected;
    const x = r.expected!;
    expect(e.wrongSd).toBeCloseTo(x.wrongSd, 12);
    expect(e.wrongInterval[0]).toBeCloseTo(Math.max(0, e.wrong - 1.96 * e.wrongSd - x.sensitivity.wrong), 9);
    expect(e.wrongInterval[1]).toBeCloseTo(e.wrong + 1.96 * e.wrongSd + x.sensitivity.wrong, 9);
    expect(e.missedSd).toBeCloseTo(Math.sqrt(e.missed), 9);
    expect(e.missedInterval[0]).toBeCloseTo(
      Math.max(0, e.missed - 1.96 * e.missedSd - x.sensitivity.trueMatches - 0.5 * e.missedUnseen),
      9,
    );
    expect(e.missedInterval[1]).toBeCloseTo(
      e.missed + 1.96 * e.missedSd + x.sensitivity.trueMatches + e.missedNotCompared + 0.5 * e.missedUnseen,
      9,
    );
    // The sensitivity is a sum of P (1 − P): positive when any link is uncertain.
    expect(x.sensitivity.wrong).toBeCloseTo(x.wrongSd ** 2, 9);
    expect(renderReportHtml(report)).toContain('How sure the model is');
  });

  it('counts the estimated never-compared true pairs as missed, with half of them either way', () => {
    const x = r.expected!;
    const unseen = 40;
    const withUnseen = {
      ...x,
      trueMatches: x.trueMatches + unseen,
      unseen: { share: unseen / (x.trueMatches + unseen), matches: unseen },
    };
    const report = buildReport({ ...r, expected: withUnseen } as MatchResult, { generatedAt: AT });
    const e = report.trust.expected;
    const base = buildReport(r, { generatedAt: AT }).trust.expected;
    expect(e.missedUnseen).toBeCloseTo(unseen, 9);
    expect(e.missed).toBeCloseTo(base.missed + unseen, 9);
    expect(e.missedInReview + e.missedBelowReview + e.missedUnseen).toBeCloseTo(e.missed, 9);
    expect(e.missedInterval[1]).toBeCloseTo(
      e.missed + 1.96 * e.missedSd + x.sensitivity.trueMatches + e.missedNotCompared + unseen / 2,
      9,
    );
    expect(report.trust.caveats.some((c) => c.startsWith(`About ${unseen} true pairs`))).toBe(true);
    expect(renderReportHtml(report)).toContain('… never compared (estimated');
    // Below 1 % of the true matches: no caveat.
    const small = { ...x, unseen: { share: 0.001, matches: x.trueMatches * 0.001 } };
    const quiet = buildReport({ ...r, expected: small } as MatchResult, { generatedAt: AT }).trust.caveats;
    expect(quiet.some((c) => c.includes('never compared by any blocking rule'))).toBe(false);
  });

  it('without the mixture, widens the missed deviation by λ’s counting error', () => {
    const e = buildReport(pairwiseOnly(), { generatedAt: AT }).trust.expected;
    expect(e.wrongInterval[0]).toBeCloseTo(Math.max(0, e.wrong - 1.96 * e.wrongSd), 9);
    expect(e.wrongInterval[1]).toBeCloseTo(e.wrong + 1.96 * e.wrongSd, 9);
    expect(e.missedInterval[0]).toBeLessThanOrEqual(e.missed);
    expect(e.missedInterval[1]).toBeCloseTo(e.missed + 1.96 * e.missedSd, 9);
    const lambdaSe = lambdaRelativeSe(r);
    expect(lambdaSe).toBeGreaterThan(0);
    expect(e.missedSd).toBeCloseTo(Math.sqrt(e.missed + (lambdaSe * e.missedNotCompared) ** 2), 9);
  });

  it('warns when the pairwise probabilities and the mixture disagree, or the evidence is weak', () => {
    const x = r.expected!;
    const caveats = (expected: unknown) =>
      buildReport({ ...r, expected } as MatchResult, { generatedAt: AT }).trust.caveats;
    const far = caveats({
      ...x,
      pairwise: { ...x.pairwise, wrong: x.links - x.trueLinks + 4 * x.wrongSd + 10 },
    });
    expect(far.some((c) => c.startsWith('The pairwise match probabilities put'))).toBe(true);
    const weak = caveats({ ...x, sensitivity: { ...x.sensitivity, trueMatches: x.trueMatches * 0.1 } });
    expect(weak.some((c) => c.startsWith('The match status of many records rests on weak evidence'))).toBe(
      true,
    );
    const lambda = caveats({ ...x, pairwise: { ...x.pairwise, trueMatches: x.trueMatches * 1.5 } });
    expect(lambda.some((c) => c.startsWith('λ counts about'))).toBe(true);
    const own = caveats(x);
    expect(own.some((c) => c.startsWith('The pairwise match probabilities put'))).toBe(
      Math.abs(x.pairwise.wrong - (x.links - x.trueLinks)) > 2 * x.wrongSd + 1,
    );
  });

  it('says where the model’s assumptions are shaky', () => {
    const t = r.model.training!;
    const withTraining = (training: unknown): MatchResult =>
      ({ ...r, model: { ...r.model, training } }) as unknown as MatchResult;
    const caveats = (x: MatchResult) => buildReport(x, { generatedAt: AT }).trust.caveats;
    // Few deterministic links: λ is uncertain.
    const few = caveats(withTraining({ ...t, deterministicLinks: 5, trainingRecords: r.counts.cocRecords }));
    expect(few.some((c) => c.startsWith('λ rests on 5 exact'))).toBe(true);
    // λ from the fallback is an assumption.
    const guess = caveats(withTraining({ ...t, lambdaMethod: 'no deterministic links found: assumed 10%' }));
    expect(guess.some((c) => c.includes('is an assumption'))).toBe(true);
    // Thin training and EM that did not converge.
    const thin = caveats(
      withTraining({ ...t, sessions: t.sessions.map((x) => ({ ...x, pairs: 10, converged: false })) }),
    );
    expect(thin.some((c) => c.startsWith('The m probabilities were trained on about'))).toBe(true);
    expect(thin.some((c) => c.includes('EM sessions stopped before converging'))).toBe(true);
    // No training summary (a model file): said so, not guessed.
    expect(caveats(withTraining(undefined)).some((c) => c.includes('without its training summary'))).toBe(
      true,
    );
    // A λ that claims the whole smaller list.
    const all = { ...r, model: { ...r.model, lambda: 0.5 } } as MatchResult;
    expect(caveats(all).some((c) => c.startsWith('λ says every record'))).toBe(true);
    // The fixture itself: none of those.
    const own = caveats(r);
    expect(own.some((c) => c.startsWith('λ rests on') || c.includes('stopped before'))).toBe(false);
  });

  it('says the figures are the model’s own when no known pairs are given', () => {
    const report = buildReport(r, { generatedAt: AT });
    expect(report.trust.agreement).toBe('unmeasured');
    expect(report.trust.measured).toBeUndefined();
    expect(report.trust.verdict).toContain('match --truth');
    const html = renderReportHtml(report);
    expect(html.indexOf('id="trust"')).toBeGreaterThan(0);
    expect(html.indexOf('id="trust"')).toBeLessThan(html.indexOf('id="stages"'));
    expect(html).toContain('Can I trust these links?');
  });

  it('measures against known pairs and says whether model and measurement agree', () => {
    const report = buildReport(r, { truth: f.truth, generatedAt: AT });
    const m = report.trust.measured!;
    const want = linkageMetrics(
      matches.map((l) => [l.personalId, l.memberId] as const),
      f.truth,
    );
    expect(m.wrong).toBe(want.falsePositives);
    expect(m.missed).toBe(want.falseNegatives);
    expect(m.precision).toBeCloseTo(want.precision, 12);
    expect(m.recall).toBeCloseTo(want.recall, 12);
    expect(m.f1).toBeCloseTo(want.f1, 12);
    const e = report.trust.expected;
    const within = (got: number, [lo, hi]: readonly [number, number]) => got >= lo - 1 && got <= hi + 1;
    const agree = within(m.wrong, e.wrongInterval) && within(m.missed, e.missedInterval);
    expect(report.trust.agreement).toBe(agree ? 'agree' : 'disagree');
    expect(
      report.trust.verdict.startsWith(agree ? 'The measurement agrees' : 'The measurement does not'),
    ).toBe(true);
    expect(report.trust.verdict).toContain(`wrong links: expected `);
    expect(report.trust.verdict).toContain(`, measured ${m.wrong} (`);
    expect(report.trust.verdict).toContain(`, measured ${m.missed} (`);
    const html = renderReportHtml(report);
    expect(html).toContain(`Measured (${f.truth.length} known pairs)`);
  });

  it('says the measurement disagrees when the known pairs contradict the links', () => {
    // Every automatic link is labelled wrong: far more errors than the model expects.
    const wrongTruth = matches.map(
      (l, i) => [l.personalId, matches[(i + 1) % matches.length]!.memberId] as [string, string],
    );
    const t = buildReport(r, { truth: wrongTruth, generatedAt: AT }).trust;
    expect(t.measured!.wrong).toBe(matches.length);
    expect(t.agreement).toBe('disagree');
    expect(t.verdict).toContain('does not agree');
    expect(t.verdict).toContain(`measured ${matches.length} (more than the model expects)`);
  });

  it('reconciles the threshold rationale with the counts of the links file', () => {
    const report = buildReport(r, { generatedAt: AT });
    const above = r.links.filter((l) => l.probability >= r.thresholds.match).length;
    expect(report.thresholds.rationale.startsWith(r.thresholds.rationale)).toBe(true);
    expect(report.thresholds.rationale).toContain(`${above} pairs reached the match threshold`);
    expect(report.thresholds.rationale).toContain(
      `${matches.length} pairs are linked automatically and ${r.links.length - matches.length} go to review`,
    );
  });
});

describe('model warnings', () => {
  const f = reportFixture();
  const r = f.result;
  const dob = r.model.comparisons.findIndex((c) => c.spec.name === 'DOB');
  const dobSpec = r.model.comparisons[dob]!.spec;
  const at = (label: string) => dobSpec.levels.findIndex((l) => l.label === label);

  /** The model with DOB's m and u replaced. */
  function withDob(m: number[], u: number[]): MatchResult {
    const comparisons = r.model.comparisons.map((c, k) => (k === dob ? { ...c, m, u } : c));
    return { ...r, model: { ...r.model, comparisons } as LinkageModel };
  }

  it('shows levels at the m floor as not trained, not as weights', () => {
    const report = buildReport(r, { generatedAt: AT });
    let floored = 0;
    r.model.comparisons.forEach((c, k) => {
      c.m.forEach((m, l) => {
        const level = report.model.comparisons[k]!.levels[l]!;
        if (m <= M_FLOOR) {
          floored++;
          expect(level.trained).toBe(false);
          expect(level.untrained).toBe('floor');
        }
      });
    });
    expect(floored).toBeGreaterThan(0);
    const w = report.model.warnings.filter((x) => x.kind === 'not-trained');
    expect(w.length).toBeGreaterThan(0);
    const html = renderReportHtml(report);
    expect(html).toContain('not trained');
    // A floored level's weight is not printed as a number in its table row.
    const c = report.model.comparisons.find((x) => x.levels.some((l) => l.untrained === 'floor'))!;
    const l = c.levels.find((x) => x.untrained === 'floor')!;
    expect(html).toMatch(
      new RegExp(
        `<th scope="row">${l.label.replace(/[()]/g, '\\$&')}</th>(<td[^>]*>[^<]*</td>){2}<td class="num">not trained</td>`,
      ),
    );
  });

  it('warns when a weaker DOB level weighs more than a stronger one, and not when they are in order', () => {
    const n = dobSpec.levels.length;
    const size = r.model.comparisons[dob]!.m.length;
    const ordered = Array.from({ length: size }, (_, l) => (l % n === 0 ? 0.5 : 0.5 / (n - 1)) / (size / n));
    const uOrdered = Array.from({ length: size }, (_, l) => (l % n) + 1);
    const uSum = uOrdered.reduce((a, b) => a + b, 0);
    const u = uOrdered.map((x) => x / uSum);
    const calm = buildReport(withDob(ordered, u), { generatedAt: AT }).model.warnings;
    expect(calm.filter((w) => w.comparison === 'DOB' && w.kind === 'not-monotone')).toEqual([]);

    // "same year and month" weighs less than "else": the case.
    const ym = at('same year and month');
    const el = at('else');
    const bad = [...ordered];
    const badU = [...u];
    badU[ym] = bad[ym]! * 4;
    badU[el] = bad[el]! / 4;
    const warnings = buildReport(withDob(bad, badU), { generatedAt: AT }).model.warnings.filter(
      (w) => w.comparison === 'DOB' && w.kind === 'not-monotone',
    );
    expect(warnings.map((w) => w.levels)).toContainEqual([levelLabel(dobSpec, ym), levelLabel(dobSpec, el)]);
    const report = buildReport(withDob(bad, badU), { generatedAt: AT });
    expect(renderReportHtml(report)).toContain('“same year and month” weighs less than “else”');
  });
});

describe('review reasons', () => {
  const f = reportFixture();
  const r = f.result;

  it('gives every review pair a reason, in the report and on the link', () => {
    const report = buildReport(r, { generatedAt: AT });
    expect(report.explanations.review.length).toBeGreaterThan(0);
    for (const w of report.explanations.review) {
      expect(w.reason).toBeDefined();
      expect(w.reason!.kind).toBe(w.probability >= r.thresholds.match ? 'competitor' : 'band');
    }
    for (const l of r.links) {
      if (l.status === 'match') expect(l.reason).toBeUndefined();
      else expect(l.reason?.kind).toBe(l.probability >= r.thresholds.match ? 'competitor' : 'band');
    }
    const html = renderReportHtml(report);
    expect(html.split('Why in review:').length - 1).toBe(report.explanations.review.length);
  });

  it('says a pair above the match threshold is in review because of a close competitor, with its margin', () => {
    const link: Link = {
      personalId: 'P1',
      memberId: 'M1',
      weight: 0.02,
      probability: 0.504,
      status: 'review',
      reason: {
        kind: 'competitor',
        competitor: { personalId: 'P1', memberId: 'M2', weight: -0.58, margin: 0.6 },
      },
    };
    const t = reviewReasonText(link, { match: 0.5, review: 0.2 }, (id, side) => `${side}:${id}`);
    expect(t.kind).toBe('competitor');
    expect(t.text).toContain('reaches the match threshold 0.500');
    expect(t.text).toContain('close competitor: coc:P1 ↔ mcp:M2, which scores only 0.60 bits less');
    const band = reviewReasonText(
      { ...link, probability: 0.3, reason: { kind: 'band' } },
      { match: 0.5, review: 0.2 },
      (id) => id,
    );
    expect(band.text).toContain('lies between the review threshold 0.200 and the match threshold 0.500');
    const decided = reviewReasonText(
      { ...link, reason: { kind: 'decided', decision: 'accept' } },
      { match: 0.5, review: 0.2 },
      (id) => id,
    );
    expect(decided.text).toContain('earlier decision (accept)');
  });

  it('names the strongest other pair of either record as the competitor', () => {
    // Client 0 has members 0 (w 5) and 1 (w 4.5); member 2 has clients 1 (w 3) and 2 (w 2.9); client 3 alone.
    const pairs = {
      left: Uint32Array.of(0, 0, 1, 2, 3),
      right: Uint32Array.of(0, 1, 2, 2, 3),
      weight: Float64Array.of(5, 4.5, 3, 2.9, 7),
    };
    const c = closestCompetitors(pairs, Uint32Array.of(0, 2, 4));
    expect(Array.from(c.pair)).toEqual([1, 3, -1]);
    expect(Array.from(c.weight)).toEqual([4.5, 2.9, Number.NEGATIVE_INFINITY]);
    // A tie: the other pair with the same weight is the competitor, never the pair itself.
    const tie = closestCompetitors(
      { left: Uint32Array.of(0, 0), right: Uint32Array.of(0, 1), weight: Float64Array.of(2, 2) },
      Uint32Array.of(1),
    );
    expect(Array.from(tie.pair)).toEqual([0]);
  });

  it('labels a competitor with report-only pseudonyms when identifiers are pseudonymised', () => {
    const link: Link = {
      personalId: 'P<1>',
      memberId: 'M&1',
      weight: 0.02,
      probability: 0.6,
      status: 'review',
      reason: {
        kind: 'competitor',
        competitor: { personalId: 'P<9>', memberId: 'M&1', weight: 0, margin: 0.02 },
      },
    };
    const result: MatchResult = {
      ...r,
      links: [link],
      thresholds: { ...r.thresholds, match: 0.5, review: 0.1 },
      counts: { ...r.counts, matches: 0, review: 1 },
      explanations: [
        {
          personalId: link.personalId,
          memberId: link.memberId,
          status: 'review',
          priorWeight: -8,
          weight: 0.02,
          probability: 0.6,
          comparisons: [],
        },
      ],
    };
    const report = buildReport(result, { generatedAt: AT, pseudonymiseIds: true });
    const text = report.explanations.review[0]!.reason!.text;
    expect(text).not.toContain('P<9>');
    expect(text).not.toContain('M&1');
    expect(text).toContain('client-0002 ↔ member-0001');
    expect(report.explanations.review[0]!.personalId).toBe('client-0001');
  });
});
