/**
 * End-to-end linkage quality from ground truth (encode both sides, match with the defaults). The
 * thresholds asserted are the acceptance criteria; the figures themselves are computed.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, febrl4, sampleDataset } from '../../bench/lib/eval.js';

describe('linkage quality (defaults, from ground truth)', () => {
  it('FEBRL 4, names and DOB only, encoded: F1 ≥ 0.95', () => {
    const r = evaluate(febrl4());
    expect(r.f1).toBeGreaterThanOrEqual(0.95);
    expect(r.precision).toBeGreaterThanOrEqual(0.99);
  });

  it("FEBRL 4 and the sample: the model's expected precision (one-to-one mixture) within 1 point of the measured one", async () => {
    // FEBRL 4's corruption makes the comparisons dependent given a match; the pairwise Σ p / links was
    // 1.4–2.2 points low there (docs/benchmarks.md). Its expected recall is not asserted: the true
    // pairs no blocking rule compares (2.7 %) are invisible to the scores (docs/scoring.md §8).
    for (const ds of [febrl4(), await sampleDataset()]) {
      const r = evaluate(ds);
      const e = r.result.expected;
      expect(e, ds.name).toBeDefined();
      expect(Math.abs((e?.precision ?? 0) - r.precision), ds.name).toBeLessThanOrEqual(0.01);
    }
    // On the sample blocking misses few true pairs: recall within 1 point too.
    const s = evaluate(await sampleDataset());
    expect(Math.abs((s.result.expected?.recall ?? 0) - s.recall)).toBeLessThanOrEqual(0.01);
  });

  it('synthetic CoC/plan sample: F1 ≥ 0.97, encoded within 1 point of clear text', async () => {
    const ds = await sampleDataset();
    const enc = evaluate(ds);
    const clear = evaluate(ds, { clearText: true });
    expect(enc.f1).toBeGreaterThanOrEqual(0.97);
    expect(Math.abs(enc.f1 - clear.f1)).toBeLessThanOrEqual(0.01);
  });

  it('links are one-to-one and deterministic for a seed', async () => {
    const ds = await sampleDataset();
    const a = evaluate(ds, { match: { seed: 7 } }).result.links;
    const b = evaluate(ds, { match: { seed: 7 } }).result.links;
    expect(a).toEqual(b);
    expect(new Set(a.map((l) => l.personalId)).size).toBe(a.length);
    expect(new Set(a.map((l) => l.memberId)).size).toBe(a.length);
  });
});
