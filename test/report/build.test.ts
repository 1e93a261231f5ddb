import { describe, expect, it } from 'vitest';
import { levelCount } from '../../src/compare/comparisons.js';
import type { MatchResult } from '../../src/match/match.js';
import { linkageMetrics } from '../../src/match/metrics.js';
import { weightToProbability } from '../../src/model/weights.js';
import { buildReport } from '../../src/report/build.js';
import type { MatchReport } from '../../src/report/types.js';
import { emptyResult, reportFixture } from './fixture.js';

const AT = '2026-01-01T00:00:00.000Z';

/** Every string in a JSON value, with the key it sits under. */
function strings(v: unknown, key = '', out: [string, string][] = []): [string, string][] {
  if (typeof v === 'string') out.push([key, v]);
  else if (Array.isArray(v)) for (const x of v) strings(x, key, out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) strings(x, k, out);
  return out;
}

describe('buildReport', () => {
  const f = reportFixture();
  const r = f.result;
  const report = buildReport(r, { truth: f.truth, generatedAt: AT, modelSource: 'trained' });

  it('has counts that add up from the lists to the links', () => {
    const s = report.stages;
    expect(s.coc.encoded).toBe(f.coc.length);
    expect(s.mcp.encoded).toBe(f.mcp.length);
    expect(s.possiblePairs).toBe(f.coc.length * f.mcp.length);
    expect(s.links).toBe(r.links.length);
    expect(s.matches + s.review).toBe(s.links);
    expect(s.matches).toBe(r.links.filter((l) => l.status === 'match').length);
    expect(s.pairsAboveReview - s.conflictsResolved).toBe(s.links);
    expect(s.conflictsResolved).toBeGreaterThan(0);
    expect(s.passes.reduce((a, p) => a + p.newPairs, 0)).toBe(s.candidatePairs);
    expect(s.passes.at(-1)!.cumulativePairs).toBe(s.candidatePairs);
    for (const p of s.passes) expect(p.newPairs).toBeLessThanOrEqual(p.pairs);
    expect(s.scoredPairs).toBe(s.candidatePairs);
    expect(report.histogram.total).toBe(s.scoredPairs);
    expect(report.histogram.counts.reduce((a, b) => a + b, 0)).toBe(s.scoredPairs);
    expect(s.cappedBlocks).toBe(s.passes.reduce((a, p) => a + p.cappedBlocks, 0));
    expect(s.reductionRatio).toBeCloseTo(1 - s.candidatePairs / s.possiblePairs, 12);
    expect(s.coc.rowsRead).toBeUndefined();
  });

  it('marks the thresholds on the histogram', () => {
    const { histogram: h, thresholds: t } = report;
    const end = h.min + h.counts.length * h.binWidth;
    for (const w of [t.matchWeight, t.reviewWeight]) {
      expect(w).toBeGreaterThanOrEqual(h.min);
      expect(w).toBeLessThanOrEqual(end);
    }
    expect(weightToProbability(t.matchWeight)).toBeCloseTo(t.match, 9);
    expect(weightToProbability(t.reviewWeight)).toBeCloseTo(t.review, 9);
    expect(t.reviewWeight).toBeLessThanOrEqual(t.matchWeight);
  });

  it('copies m and u of every level with weight log2(m/u)', () => {
    const cs = report.model.comparisons;
    expect(cs.map((c) => c.name)).toEqual(r.model.comparisons.map((c) => c.spec.name));
    r.model.comparisons.forEach((c, k) => {
      expect(cs[k]!.levels).toHaveLength(levelCount(c.spec));
      cs[k]!.levels.forEach((l, i) => {
        expect(l.m).toBe(c.m[i]);
        expect(l.u).toBe(c.u[i]);
        expect(l.weight).toBeCloseTo(Math.log2(c.m[i]! / c.u[i]!), 12);
      });
    });
    expect(report.model.lambda).toBe(r.model.lambda);
    expect(weightToProbability(report.model.priorWeight)).toBeCloseTo(r.model.lambda, 12);
    expect(report.model.source).toBe('trained');
    const sessions = report.model.training!.sessions;
    expect(sessions.length).toBe(r.model.training!.sessions.length);
    for (const s of sessions) expect(s.logLikelihood.length).toBe(s.iterations + 1);
  });

  it('agrees with the expected threshold table, and measures the rows at or above the review threshold', () => {
    const t = report.thresholds;
    expect(report.thresholdTable.length).toBe(r.thresholdTable.length);
    for (const row of report.thresholdTable) {
      if (row.threshold < t.review) {
        expect(row.measured).toBeUndefined();
        continue;
      }
      const above = r.links.filter((l) => l.probability >= row.threshold);
      expect(row.pairsAbove).toBe(above.length);
      const m = linkageMetrics(
        above.map((l) => [l.personalId, l.memberId] as const),
        f.truth,
      );
      expect(row.measured).toEqual(m);
    }
  });

  it('measures the decisions against the labels', () => {
    const pairs = (status?: string) =>
      r.links.filter((l) => !status || l.status === status).map((l) => [l.personalId, l.memberId] as const);
    expect(report.quality!.truePairs).toBe(f.truth.length);
    expect(report.quality!.matches).toEqual(linkageMetrics(pairs('match'), f.truth));
    expect(report.quality!.matchesAndReview).toEqual(linkageMetrics(pairs(), f.truth));
  });

  it('explains every review pair and a sample of matches with waterfalls that add up', () => {
    const e = report.explanations;
    expect(e.reviewTotal).toBe(report.stages.review);
    expect(e.review).toHaveLength(report.stages.review);
    expect(e.review.length).toBeGreaterThan(0);
    expect(e.matches).toHaveLength(Math.min(20, report.stages.matches));
    expect(e.matchesTotal).toBe(report.stages.matches);
    const links = new Map(r.links.map((l) => [`${l.personalId}\u0000${l.memberId}`, l]));
    const truth = new Set(f.truth.map(([a, b]) => `${a}\u0000${b}`));
    for (const w of [...e.review, ...e.matches]) {
      const key = `${w.personalId}\u0000${w.memberId}`;
      const link = links.get(key)!;
      expect(link.status).toBe(w.status);
      expect(w.steps.map((s) => s.name)).toEqual(report.model.comparisons.map((c) => c.name));
      const sum = w.priorWeight + w.steps.reduce((a, s) => a + s.weight, 0);
      expect(sum).toBeCloseTo(w.weight, 9);
      expect(w.weight).toBeCloseTo(link.weight, 9);
      expect(w.probability).toBeCloseTo(link.probability, 12);
      expect(w.trueMatch).toBe(truth.has(key));
    }
  });

  it('holds identifiers and agreement levels only: no name, date or SSN', () => {
    // Fractions (m, u, weights) are dropped first: their digits may spell a DOB or SSN by chance
    // (0.0053300194805011 holds 19480501); a value in the report is text, never a fraction's digits.
    const json = JSON.stringify(report).replace(/-?\d+\.\d+(?:e[-+]?\d+)?/g, '0');
    for (const v of f.values) expect(json.includes(v), 'a clear-text value leaked').toBe(false);
    const ids = new Set([...f.coc.map((p) => p.id), ...f.mcp.map((p) => p.id)]);
    const names = new Set(r.model.comparisons.map((c) => c.spec.name));
    const labels = new Set(report.model.comparisons.flatMap((c) => c.levels.map((l) => l.label)));
    labels.add('null (no evidence)');
    const passes = new Set(r.blocking.passes.map((p) => p.name));
    const sessions = new Set(r.model.training?.sessions.map((x) => x.pass));
    const allowed: Record<string, (s: string) => boolean> = {
      personalId: (s) => ids.has(s),
      memberId: (s) => ids.has(s),
      name: (s) => names.has(s) || passes.has(s),
      level: (s) => labels.has(s),
      label: (s) => labels.has(s),
      pass: (s) => sessions.has(s),
      trained: (s) => names.has(s),
      status: (s) => s === 'match' || s === 'review',
      source: (s) => s === 'trained',
      title: (s) => s === 'Match report',
      generatedAt: (s) => s === AT,
      libraryVersion: (s) => /^\d+\.\d+\.\d+/.test(s),
      schemaFingerprint: (s) => /^[0-9a-f]{12}$/.test(s),
      rationale: (s) => s.startsWith(r.thresholds.rationale),
      agreement: (s) => ['agree', 'disagree', 'unmeasured'].includes(s),
      method: (s) => s === 'mixture' || s === 'pairwise',
      kind: (s) => ['not-trained', 'not-monotone', 'band', 'competitor', 'decided'].includes(s),
      untrained: (s) => s === 'floor' || s === 'few-pairs',
      comparison: (s) => names.has(s),
      levels: (s) => labels.has(s),
      // Sentences built from counts, level names and (in review reasons) record IDs.
      verdict: (s) => s.length > 0,
      message: (s) => [...names].some((n) => s.startsWith(`${n}: `)),
      text: (s) => s.length > 0,
      // Caveats are fixed sentences with counts and comparison names: no ID, no value.
      caveats: (s) => s.length > 0 && ![...ids].some((id) => s.includes(id)),
      lambdaMethod: (s) => s === r.model.training?.lambdaMethod,
    };
    for (const [key, s] of strings(report)) {
      const ok = allowed[key];
      expect(ok, `unexpected string field '${key}'`).toBeDefined();
      expect(ok!(s), `field '${key}' holds an unexpected value`).toBe(true);
    }
  });

  it('pseudonymises identifiers consistently, after matching them to the labels', () => {
    const p = buildReport(r, { truth: f.truth, generatedAt: AT, pseudonymiseIds: true });
    expect(p.idsPseudonymised).toBe(true);
    const json = JSON.stringify(p);
    for (const id of [...f.coc.map((x) => x.id), ...f.mcp.map((x) => x.id)]) {
      expect(json.includes(`"${JSON.stringify(id).slice(1, -1)}"`)).toBe(false);
    }
    const plain = [...report.explanations.review, ...report.explanations.matches];
    const pseudo = [...p.explanations.review, ...p.explanations.matches];
    const byId = new Map<string, string>();
    const seen = new Map<string, string>();
    plain.forEach((w, i) => {
      const q = pseudo[i]!;
      expect(q.personalId).toMatch(/^client-\d{4,}$/);
      expect(q.memberId).toMatch(/^member-\d{4,}$/);
      expect(byId.get(w.personalId) ?? q.personalId).toBe(q.personalId);
      expect(seen.get(q.personalId) ?? w.personalId).toBe(w.personalId);
      byId.set(w.personalId, q.personalId);
      seen.set(q.personalId, w.personalId);
      expect(q.trueMatch).toBe(w.trueMatch);
      expect(q.weight).toBe(w.weight);
    });
  });

  it('is plain JSON (round-trips unchanged)', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('caps the explanations and keeps the totals', () => {
    const c = buildReport(r, { maxReviewExplanations: 2, maxMatchExplanations: 0, generatedAt: AT });
    expect(c.explanations.review).toHaveLength(Math.min(2, report.stages.review));
    expect(c.explanations.reviewTotal).toBe(report.stages.review);
    expect(c.explanations.matches).toHaveLength(0);
    expect(c.quality).toBeUndefined();
    expect(c.thresholdTable.every((row) => row.measured === undefined)).toBe(true);
  });

  it('shows read counts when the caller knows them', () => {
    const c = buildReport(r, { lists: { coc: { rowsRead: 400, rejected: 40 } }, generatedAt: new Date(AT) });
    expect(c.stages.coc).toEqual({ rowsRead: 400, rejected: 40, encoded: f.coc.length });
    expect(c.stages.mcp).toEqual({ encoded: f.mcp.length });
    expect(c.generatedAt).toBe(AT);
  });

  it('refuses malformed options, naming them', () => {
    expect(() => buildReport(r, { maxReviewExplanations: -1 })).toThrow(/maxReviewExplanations/);
    expect(() => buildReport(r, { maxMatchExplanations: 1.5 })).toThrow(RangeError);
    expect(() => buildReport(r, { lists: { mcp: { rejected: -2 } } })).toThrow(/lists\.mcp\.rejected/);
    expect(() => buildReport(r, { truth: [['a', 1 as unknown as string]] })).toThrow(TypeError);
  });

  it('keeps infinite level weights JSON-safe and leaves out a malformed training summary', () => {
    const c0 = r.model.comparisons[0]!;
    const m = c0.m.map((x, i) => (i === 1 ? 0 : x));
    const model = {
      ...r.model,
      comparisons: [{ ...c0, m }, ...r.model.comparisons.slice(1)],
      training: { sessions: 'x' },
    };
    const odd = buildReport({ ...r, model } as unknown as MatchResult, { generatedAt: AT });
    expect(odd.model.comparisons[0]!.levels[1]!.weight).toBeNull();
    expect(odd.model.training).toBeUndefined();
    expect(JSON.parse(JSON.stringify(odd))).toEqual(odd);
  });

  it('reports a run that found nothing', () => {
    const empty = emptyResult(r);
    const e: MatchReport = buildReport(empty, { generatedAt: AT, truth: [] });
    expect(e.stages.links).toBe(0);
    expect(e.explanations.review).toHaveLength(0);
    expect(e.quality!.matches.precision).toBe(1);
    expect(e.histogram.total).toBe(0);
    expect(e.histogram.counts.length).toBeGreaterThan(0);
  });
});
