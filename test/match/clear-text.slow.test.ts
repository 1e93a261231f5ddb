/**
 * Clear-text mode's string levels against its Dice levels on the same clear-text batches: at least
 * as good, F1 from the truth (a quality measurement, so in the slow suite).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { clearTextComparisons } from '../../src/compare/clear-comparisons.js';
import { DEFAULT_COMPARISONS } from '../../src/compare/comparisons.js';
import { matchBatches } from '../../src/match/match.js';
import { type ClearTextFixture, clearTextFixture } from './clear-text-fixture.js';

let fx: ClearTextFixture;
beforeAll(async () => {
  fx = await clearTextFixture();
});

describe('clear-text mode with string levels', () => {
  it('is at least as good as the Dice levels on the same clear-text batches (F1 from truth)', () => {
    const { coc, mcp, meta, f1 } = fx;
    const strings = f1(matchBatches(coc, mcp, { meta, comparisons: clearTextComparisons() }));
    const dice = f1(matchBatches(coc, mcp, { meta, comparisons: DEFAULT_COMPARISONS }));
    expect(strings).toBeGreaterThanOrEqual(dice - 0.002);
    expect(strings).toBeGreaterThan(0.9);
  });
});
