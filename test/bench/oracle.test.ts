/**
 * bench/oracle.ts's machinery (issue #13's ceiling): its "EM" row rebuilds the default path's weights
 * from the stored level patterns, so it must give exactly the links `matchBatches` gives; the oracle
 * counts must add up to the candidate pairs; and the per-pattern oracle, fitted in-sample, can only
 * separate the pairs better than any model of the same levels: its best F1 is not below EM's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  candidateLevels,
  countedMU,
  type OracleReport,
  oracleReport,
  patternCounts,
} from '../../bench/lib/oracle.js';
import { type EncodedSet, synthSet } from '../../bench/lib/scale.js';
import { evaluateSet, type ScaleResult } from '../../bench/lib/scale-eval.js';

let set: EncodedSet;
let report: OracleReport;
let base: ScaleResult;

beforeAll(async () => {
  set = await synthSet({ clients: 1_500, members: 9_000, noSsn: true, cache: false });
  base = evaluateSet(set);
  report = oracleReport(set, () => {}, ['EM (default)', 'oracle patterns, TF']);
}, 120_000);

describe('the oracle of the default comparisons (1,500 × 9,000 generated, no SSN)', () => {
  it('its EM row is the default path: same precision, recall and F1', () => {
    const em = report.rows.find((r) => r.name === 'EM (default)');
    expect(em).toBeDefined();
    expect(em?.precision).toBe(base.precision);
    expect(em?.recall).toBe(base.recall);
    expect(em?.f1).toBe(base.f1);
    expect(report.candidatePairs).toBe(base.candidatePairs);
  });

  it('the counts add up: true candidates ≤ true pairs, and m and u are distributions', () => {
    expect(report.trueCandidates).toBeLessThanOrEqual(report.truePairs);
    expect(report.trueCandidates).toBeGreaterThan(0.9 * set.truth.length);
    const c = candidateLevels(set, base.result.model);
    const pc = patternCounts(c);
    let t = 0;
    let f = 0;
    for (const p of pc.keys) {
      t += pc.t[p] ?? 0;
      f += pc.f[p] ?? 0;
    }
    expect(t).toBe(report.trueCandidates);
    expect(t + f).toBe(report.candidatePairs);
    const { m, u } = countedMU(c, pc, base.result.model);
    for (const row of [...m, ...u]) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('the in-sample pattern oracle separates at least as well as EM', () => {
    const em = report.rows.find((r) => r.name === 'EM (default)');
    const oracle = report.rows.find((r) => r.name === 'oracle patterns, TF');
    expect(oracle).toBeDefined();
    expect(oracle?.bestF1 ?? 0).toBeGreaterThanOrEqual((em?.bestF1 ?? 1) - 0.002);
  });
});
