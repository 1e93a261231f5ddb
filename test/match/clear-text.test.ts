/**
 * Clear-text mode end to end on part of the bundled sample: the string levels are trained by the
 * same EM, decide real pairs, show in explanations, survive the model file, and the result is at
 * least as good as clear-text mode with the encoded (Dice) levels on the same records.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, sampleDataset } from '../../bench/lib/eval.js';
import { clearTextComparisons } from '../../src/compare/clear-comparisons.js';
import { DEFAULT_COMPARISONS } from '../../src/compare/comparisons.js';
import { clearTextEncoder } from '../../src/encode/clear.js';
import type { EncodedMeta } from '../../src/encoded/batch.js';
import type { ClearTextBatch } from '../../src/encoded/clear-text.js';
import { type MatchResult, matchBatches } from '../../src/match/match.js';
import { linkageMetrics } from '../../src/match/metrics.js';
import { modelToJson, parseModel } from '../../src/model/model.js';

let ds: Dataset;
let coc: ClearTextBatch;
let mcp: ClearTextBatch;
let meta: EncodedMeta;
let truth: [string, string][];

beforeAll(async () => {
  const all = await sampleDataset();
  const c = all.coc.slice(0, 800);
  const ids = new Set(c.map((p) => p.id));
  truth = all.truth.filter(([p]) => ids.has(p));
  const members = new Set(truth.map(([, m]) => m));
  // The members of those clients and as many strangers.
  const m = all.mcp.filter((p, i) => members.has(p.id) || i % 3 === 0).slice(0, 2400);
  ds = { ...all, coc: c, mcp: m, truth };
  const enc = clearTextEncoder('coc');
  meta = enc.meta;
  coc = enc.encodeBatch(ds.coc);
  mcp = clearTextEncoder('mcp').encodeBatch(ds.mcp);
});

const f1 = (r: MatchResult) =>
  linkageMetrics(
    r.links.filter((l) => l.status === 'match').map((l) => [l.personalId, l.memberId] as [string, string]),
    truth.filter(([, m]) => mcp.ids.includes(m)),
  ).f1;

describe('clear-text mode with string levels', () => {
  it('trains the string levels with EM, uses them, and keeps them in the model file', () => {
    const r = matchBatches(coc, mcp, { meta, comparisons: clearTextComparisons(), explainMatches: 1000 });
    const first = r.model.comparisons.find((c) => c.spec.name === 'FirstName')!;
    const labels = first.spec.levels.map((l) => l.label);
    expect(labels).toContain('jaro-winkler ≥ 0.94');
    expect(labels).toContain('levenshtein ≤ 1');
    expect(labels.some((l) => l.startsWith('dice ≥ 0.88'))).toBe(false);
    // m of each string level was estimated (trained, not the prior), and agreement outweighs else.
    const m = (label: string) => first.m[labels.indexOf(label)]!;
    const u = (label: string) => first.u[labels.indexOf(label)]!;
    expect(first.mTrained).toBe(true);
    expect(Math.log2(m('levenshtein ≤ 1') / u('levenshtein ≤ 1'))).toBeGreaterThan(
      Math.log2(m('else') / u('else')),
    );
    const levels = new Set(r.explanations.flatMap((e) => e.comparisons.map((c) => c.level)));
    expect([...levels].some((l) => /jaro-winkler|levenshtein/.test(l))).toBe(true);
    const again = parseModel(JSON.parse(modelToJson(r.model)));
    expect(again.comparisons.map((c) => c.spec)).toEqual(r.model.comparisons.map((c) => c.spec));
    const reused = matchBatches(coc, mcp, { meta, model: again });
    expect(reused.links).toEqual(r.links);
  });

  it('is at least as good as the Dice levels on the same clear-text batches (F1 from truth)', () => {
    const strings = f1(matchBatches(coc, mcp, { meta, comparisons: clearTextComparisons() }));
    const dice = f1(matchBatches(coc, mcp, { meta, comparisons: DEFAULT_COMPARISONS }));
    expect(strings).toBeGreaterThanOrEqual(dice - 0.002);
    expect(strings).toBeGreaterThan(0.9);
  });
});
