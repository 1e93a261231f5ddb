/**
 * FEBRL 4 (names + DOB, 5,000 × 5,000; every record has a partner): the estimate of the true pairs
 * blocking never compares (β, `block/unseen.ts`) against the share the truth gives
 * (1 − pair completeness), the trust panel's missed interval against the measured missed links, and
 * the expected precision and recall against the measured ones, with u from the random pairs as they
 * are and without the true pairs among them (`TrainOptions.uWithoutMatches`).
 * Nothing hard-coded: both sides come from the truth of the same run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFebrl4 } from '../../bench/lib/febrl.js';
import type { EncodedSet } from '../../bench/lib/scale.js';
import { evaluateSet, type ScaleResult } from '../../bench/lib/scale-eval.js';
import { DEFAULT_COMPARISONS } from '../../src/compare/comparisons.js';
import { oneToOneMixture } from '../../src/decide/expected.js';
import type { PersonToEncode } from '../../src/encode/encoder.js';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { scoreCandidates, trainOptions } from '../../src/match/match.js';
import { trainModel } from '../../src/model/train.js';
import { buildReport } from '../../src/report/build.js';
import { UNSEEN_ALLOWANCE } from '../../src/report/trust.js';

let set: EncodedSet;
let r: ScaleResult;

/** Encoded in memory (no cache file), with a fixed test key. */
function encode(party: 'coc' | 'mcp', persons: readonly PersonToEncode[]) {
  const enc = new RecordEncoder(
    parseKey('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff'),
    {
      party,
    },
  );
  const batch = enc.encodeBatch(persons);
  const meta = enc.meta;
  enc.dispose();
  return { batch, meta };
}

beforeAll(() => {
  const { a, b, truth } = loadFebrl4();
  const coc = encode('coc', a);
  const mcp = encode('mcp', b);
  set = { name: 'FEBRL 4', meta: coc.meta, coc: coc.batch, mcp: mcp.batch, truth };
  r = evaluateSet(set, { truth: set.truth });
}, 300_000);

describe('expected recall on FEBRL 4 counts the true pairs blocking never compared', () => {
  it('β lies within the trust panel’s allowance of the never-compared share the truth gives', () => {
    const e = r.result.expected;
    const completeness = r.result.blocking.pairCompleteness;
    expect(e).toBeDefined();
    expect(completeness).toBeDefined();
    if (!e || completeness === undefined) return;
    const missedByBlocking = 1 - completeness;
    expect(missedByBlocking).toBeGreaterThan(0);
    expect(Math.abs(e.unseen.share - missedByBlocking)).toBeLessThanOrEqual(
      UNSEEN_ALLOWANCE * missedByBlocking,
    );
    // The unseen matches are part of T, and T comes closer to the truth's count than without them.
    const scored = scoreCandidates(set.coc, set.mcp, r.result.model, {});
    const blind = oneToOneMixture(scored.pairs, {
      leftCount: set.coc.length,
      rightCount: set.mcp.length,
      priorWeight: Math.log2(r.result.model.lambda / (1 - r.result.model.lambda)),
    });
    expect(Math.abs(e.trueMatches - set.truth.length)).toBeLessThan(
      Math.abs(blind.trueMatches - set.truth.length),
    );
    expect(e.unseen.matches).toBeGreaterThan(0);
    expect(Math.abs(r.expectedRecall - r.recall)).toBeLessThan(
      Math.abs(e.trueLinks / blind.trueMatches - r.recall),
    );
  });

  it('the measured missed links lie inside the trust panel’s missed interval', () => {
    const report = buildReport(r.result, { generatedAt: '2026-01-01T00:00:00.000Z' });
    const [lo, hi] = report.trust.expected.missedInterval;
    const missed = set.truth.length - Math.round(r.recall * set.truth.length);
    expect(missed).toBeGreaterThanOrEqual(lo - 1);
    expect(missed).toBeLessThanOrEqual(hi + 1);
    expect(report.trust.expected.missedUnseen).toBeGreaterThan(0);
  });

  it('expected precision lies within 1 point of the measured one', () => {
    expect(Math.abs(r.expectedPrecision - r.precision)).toBeLessThanOrEqual(0.01);
  });

  it('u without the true pairs among the random pairs brings both expected figures closer to the measured ones', () => {
    const raw = trainModel(set.coc, set.mcp, DEFAULT_COMPARISONS, {
      ...trainOptions({ meta: set.meta }),
      uWithoutMatches: false,
    });
    const before = evaluateSet(set, { model: raw, truth: set.truth });
    const dobExact = (m: typeof raw) => m.comparisons.find((c) => c.spec.name === 'DOB')?.u[0] ?? Number.NaN;
    // On FEBRL 4 most random pairs sharing a DOB are true pairs: u(DOB exact) falls several-fold.
    expect(dobExact(r.result.model)).toBeLessThan(dobExact(raw) / 2);
    expect(Math.abs(r.expectedRecall - r.recall)).toBeLessThan(
      Math.abs(before.expectedRecall - before.recall),
    );
    expect(Math.abs(r.expectedPrecision - r.precision)).toBeLessThanOrEqual(
      Math.abs(before.expectedPrecision - before.precision),
    );
    // And no loss of F1 beyond one link in either direction.
    expect(r.f1).toBeGreaterThanOrEqual(before.f1 - 2 / (set.truth.length + set.truth.length));
  }, 300_000);
});
