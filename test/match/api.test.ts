/**
 * The staged API: `match` is `decide(score(train()))`, each stage refuses what it cannot use, and
 * `matchParallel` gives the same result on worker threads.
 */
import { describe, expect, it } from 'vitest';
import { type EncodedList, emptyBatch } from '../../src/encoded/file.js';
import { BloomlinkError } from '../../src/errors.js';
import { decide, match, score, train } from '../../src/match/api.js';
import { matchParallel } from '../../src/match/api.node.js';
import { reportFixture } from '../report/fixture.js';

function lists(): { coc: EncodedList; mcp: EncodedList } {
  const { encoded } = reportFixture();
  return {
    coc: { meta: encoded.cocMeta, batch: encoded.coc },
    mcp: { meta: encoded.mcpMeta, batch: encoded.mcp },
  };
}

describe('train → score → decide', () => {
  it('composes to exactly what match() gives, review pairs and explanations included', () => {
    const { coc, mcp } = lists();
    // A high match threshold puts pairs in the review band, so their explanations are compared too.
    const thresholds = { match: 0.9999, review: 0.05 };
    const whole = match(coc, mcp, { seed: 11, thresholds });
    const model = train(coc, mcp, { seed: 11 });
    const staged = decide(score(coc, mcp, model), model, { thresholds });
    expect(staged.model).toEqual(whole.model);
    expect(staged.links).toEqual(whole.links);
    expect(staged.thresholds).toEqual(whole.thresholds);
    expect(staged.counts).toEqual(whole.counts);
    expect(staged.explanations).toEqual(whole.explanations);
    expect(whole.counts.review).toBeGreaterThan(0);
  });

  it('decides again with other thresholds without scoring again', () => {
    const { coc, mcp } = lists();
    const model = train(coc, mcp);
    const scored = score(coc, mcp, model);
    const strict = decide(scored, model, { thresholds: { match: 0.999, review: 0.5 } });
    const loose = decide(scored, { ...model, thresholds: { match: 0.6, review: 0.1 } });
    expect(strict.thresholds.match).toBe(0.999);
    expect(loose.thresholds.match).toBe(0.6);
    expect(loose.counts.matches).toBeGreaterThanOrEqual(strict.counts.matches);
    expect(match(coc, mcp, { model, thresholds: { match: 0.999, review: 0.5 } }).links).toEqual(strict.links);
  });

  it('refuses a model whose weights are not the ones the pairs were scored with', () => {
    const { coc, mcp } = lists();
    const model = train(coc, mcp);
    const scored = score(coc, mcp, model);
    const other = { ...model, lambda: model.lambda * 2 };
    expect(() => decide(scored, other)).toThrow(BloomlinkError);
  });

  it('refuses a model trained for another linkage schema, and lists from one side', () => {
    const { coc, mcp } = lists();
    const model = { ...train(coc, mcp), schemaFingerprint: 'f'.repeat(64) };
    expect(() => score(coc, mcp, model)).toThrow(expect.objectContaining({ code: 'SCHEMA_MISMATCH' }));
    expect(() => match(coc, mcp, { model })).toThrow(expect.objectContaining({ code: 'SCHEMA_MISMATCH' }));
    expect(() => train(coc, coc)).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });
});

describe('empty lists', () => {
  it('are refused with a coded error naming the side, by every stage and by matchParallel', async () => {
    const { coc, mcp } = lists();
    const none = { meta: mcp.meta, batch: emptyBatch(mcp.meta) };
    const refused = expect.objectContaining({
      code: 'INPUT_INVALID',
      message: expect.stringMatching(/--mcp file holds no records/),
    });
    expect(() => match(coc, none)).toThrow(refused);
    expect(() => train(coc, none)).toThrow(refused);
    await expect(matchParallel(coc, none, { threads: 2 })).rejects.toThrow(refused);
  });
});

describe('matchParallel', () => {
  it('gives the same result as match() on 2 threads', async () => {
    const { coc, mcp } = lists();
    const one = match(coc, mcp);
    const two = await matchParallel(coc, mcp, { threads: 2 });
    expect(two.links).toEqual(one.links);
    expect(two.model).toEqual(one.model);
    expect(two.counts).toEqual(one.counts);
  });
});

describe('input checks (checkInputs)', () => {
  it('run in the same order in every stage: arguments, model shape, schema and key, empty lists, model schema', async () => {
    const { coc, mcp } = lists();
    const none = { meta: mcp.meta, batch: emptyBatch(mcp.meta) };
    const otherModel = { ...train(coc, mcp), schemaFingerprint: 'f'.repeat(64) };
    const code = (c: string) => expect.objectContaining({ code: c });
    // An empty list is found before a model of another schema.
    expect(() => score(coc, none, otherModel)).toThrow(code('INPUT_INVALID'));
    expect(() => match(coc, none, { model: otherModel })).toThrow(code('INPUT_INVALID'));
    await expect(matchParallel(coc, none, { model: otherModel, threads: 2 })).rejects.toThrow(
      code('INPUT_INVALID'),
    );
    // A model argument that is no model is found before the empty list.
    const notAModel = {} as unknown as Parameters<typeof score>[2];
    expect(() => score(coc, none, notAModel)).toThrow(code('OPTION_INVALID'));
    // A list from the wrong side is found before the empty list.
    expect(() => score(none, none, otherModel)).toThrow(
      expect.objectContaining({
        code: 'INPUT_INVALID',
        message: expect.stringMatching(/--coc file was encoded/),
      }),
    );
  });
});
