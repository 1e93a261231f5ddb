/**
 * The staged API checks its arguments with the CLI's rules before any work: every bad argument is
 * `BloomlinkError` `OPTION_INVALID` naming the function and the option (never a TypeError deep
 * inside, never a silent result such as 0 links for `maxBlockSize: 0`).
 */
import { describe, expect, it } from 'vitest';
import type { EncodedList } from '../../src/encoded/file.js';
import { BloomlinkError } from '../../src/errors.js';
import { decide, match, score, train } from '../../src/match/api.js';
import { matchParallel } from '../../src/match/api.node.js';
import { reportFixture } from '../report/fixture.js';

const { encoded } = reportFixture();
const coc: EncodedList = { meta: encoded.cocMeta, batch: encoded.coc };
const mcp: EncodedList = { meta: encoded.mcpMeta, batch: encoded.mcp };

function invalid(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BloomlinkError);
    expect((e as BloomlinkError).code).toBe('OPTION_INVALID');
    return (e as BloomlinkError).message;
  }
  throw new Error('expected OPTION_INVALID');
}

const anyList = (v: unknown) => v as EncodedList;

describe('API argument checks (OPTION_INVALID)', () => {
  it.each([
    ['match([], [])', () => match(anyList([]), anyList([])), /^match: coc must be an encoded list/],
    ['match({}, mcp)', () => match(anyList({}), mcp), /^match: coc must be an encoded list/],
    ['match(coc, null)', () => match(coc, anyList(null)), /^match: mcp must be an encoded list/],
    ['train(coc, 5)', () => train(coc, anyList(5)), /^train: mcp must be/],
    ['score(coc, mcp, {})', () => score(coc, mcp, {} as never), /^score: model must be a linkage model/],
    ['decide({}, model)', () => decide({} as never, {} as never), /^decide: scored must be/],
  ])('%s', (_, f, message) => {
    expect(invalid(f)).toMatch(message);
  });

  it.each([
    [{ thresholds: { match: -1 } }, 'options.thresholds.match must be a probability'],
    [{ thresholds: { match: 1.5 } }, 'options.thresholds.match must be a probability'],
    [{ thresholds: { match: Number.NaN } }, 'options.thresholds.match must be a probability'],
    [{ thresholds: { review: 0 } }, 'options.thresholds.review must be a probability'],
    [{ thresholds: { match: 0.5, review: 0.9 } }, 'options.thresholds.review must be at most'],
    [{ thresholds: 0.9 }, 'options.thresholds must be an object'],
    [{ maxBlockSize: 0 }, 'options.maxBlockSize must be an integer ≥ 1'],
    [{ maxBlockSize: 2.5 }, 'options.maxBlockSize must be an integer ≥ 1'],
    [{ seed: -1 }, 'options.seed must be an integer from 0'],
    [{ seed: 1.5 }, 'options.seed must be an integer from 0'],
    [{ seed: '42' }, 'options.seed must be an integer from 0'],
    [{ seed: 2 ** 32 }, 'options.seed must be an integer from 0'],
    [{ threads: 0 }, 'options.threads must be an integer ≥ 1'],
    [{ trainingRecords: 0 }, 'options.trainingRecords must be'],
    [{ uSamplePairs: Number.POSITIVE_INFINITY }, 'options.uSamplePairs must be'],
    [{ explainMatches: -1 }, 'options.explainMatches must be an integer ≥ 0'],
    [{ ambiguityMargin: Number.NaN }, 'options.ambiguityMargin must be a finite number'],
    [{ assignment: 'best' }, "options.assignment must be one of 'greedy', 'optimal'"],
    [{ dice: 'gpu' }, 'options.dice must be one of'],
    [{ exhaustive: { threshold: 2 } }, 'options.exhaustive.threshold must be a number from 0 to 1'],
    [{ exhaustive: { features: [] } }, 'options.exhaustive.features must be a non-empty array'],
    [{ model: {} }, 'options.model must be a linkage model'],
    [{ comparisons: 'name' }, 'options.comparisons must be an array'],
    [{ onProgress: 1 }, 'options.onProgress must be a function'],
    [{ truth: 'truth.csv' }, 'options.truth must be an iterable of [PersonalID, MemberID] pairs'],
    [{ truth: 7 }, 'options.truth must be an iterable of [PersonalID, MemberID] pairs'],
  ])('match(coc, mcp, %j)', (options, message) => {
    const m = invalid(() => match(coc, mcp, options as never));
    expect(m.startsWith(`match: ${message}`)).toBe(true);
    expect(m).not.toMatch(/NaN|-1|1\.5|gpu|best/);
  });

  it('options that are not an object are refused', () => {
    expect(invalid(() => match(coc, mcp, [] as never))).toBe('match: options must be an object or undefined');
    expect(invalid(() => train(coc, mcp, 7 as never))).toBe('train: options must be an object or undefined');
  });

  it('every stage applies the rules, and matchParallel rejects before starting workers', async () => {
    expect(invalid(() => train(coc, mcp, { seed: -1 }))).toMatch(/^train: options\.seed/);
    expect(invalid(() => score(coc, mcp, train(coc, mcp), { maxBlockSize: 0 }))).toMatch(
      /^score: options\.maxBlockSize/,
    );
    const model = train(coc, mcp);
    const scored = score(coc, mcp, model);
    expect(invalid(() => decide(scored, model, { thresholds: { match: Number.NaN } }))).toMatch(
      /^decide: options\.thresholds\.match/,
    );
    const parallel = await matchParallel(coc, mcp, { threads: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(parallel).toBeInstanceOf(BloomlinkError);
    expect((parallel as BloomlinkError).code).toBe('OPTION_INVALID');
    expect((parallel as BloomlinkError).message).toBe(
      'matchParallel: options.threads must be an integer ≥ 1',
    );
    const empty = await matchParallel(anyList([]), anyList([])).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((empty as BloomlinkError).code).toBe('OPTION_INVALID');
  });

  it('a review threshold given alone above the match threshold in use is refused, never lowered', () => {
    const chosen = match(coc, mcp).thresholds;
    expect(chosen.match).toBeLessThan(0.999);
    const above = (chosen.match + 1) / 2;
    const message = invalid(() => match(coc, mcp, { thresholds: { review: above } }));
    expect(message).toMatch(
      /^thresholds: the review threshold must be at most the match threshold in use \(\d\.\d{3}, chosen from the model\)/,
    );
    expect(message).not.toContain(String(above));
    const model = { ...train(coc, mcp), thresholds: { match: 0.6, review: 0.4 } };
    expect(invalid(() => decide(score(coc, mcp, model), model, { thresholds: { review: 0.7 } }))).toContain(
      '(0.600, from the model file)',
    );
    // Below it: used as given; a lower match threshold alone takes the review threshold down with it.
    expect(match(coc, mcp, { thresholds: { review: chosen.match / 2 } }).thresholds).toMatchObject({
      match: chosen.match,
      review: chosen.match / 2,
    });
    expect(match(coc, mcp, { thresholds: { match: 0.01 } }).thresholds.review).toBeLessThanOrEqual(0.01);
  });

  it('valid edge values pass', () => {
    const r = match(coc, mcp, { seed: 0, maxBlockSize: 1, thresholds: { match: 0.9, review: 0.9 } });
    expect(r.thresholds.match).toBe(0.9);
    expect(match(coc, mcp, { seed: 0xffff_ffff }).links.length).toBeGreaterThan(0);
  });
});
