/**
 * Clear-text mode end to end on part of the bundled sample: the string levels are trained by the
 * same EM, decide real pairs, show in explanations and survive the model file. (That the result is
 * at least as good as the Dice levels' is measured in clear-text.slow.test.ts.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { clearTextComparisons } from '../../src/compare/clear-comparisons.js';
import { matchBatches } from '../../src/match/match.js';
import { modelToJson, parseModel } from '../../src/model/model.js';
import { type ClearTextFixture, clearTextFixture } from './clear-text-fixture.js';

let fx: ClearTextFixture;
beforeAll(async () => {
  fx = await clearTextFixture();
});

describe('clear-text mode with string levels', () => {
  it('trains the string levels with EM, uses them, and keeps them in the model file', () => {
    const { coc, mcp, meta } = fx;
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
});
