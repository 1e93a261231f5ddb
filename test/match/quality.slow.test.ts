/**
 * End-to-end linkage quality from ground truth (encode both sides, match with the defaults). The
 * thresholds asserted are the acceptance criteria; the figures themselves are computed.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, febrl4, sampleDataset } from '../../bench/lib/eval.js';

type Evaluation = ReturnType<typeof evaluate>;
/** Each data set encoded and matched with the defaults once, shared by the tests that read it. */
let febrl: Evaluation | undefined;
let sample: { ds: Awaited<ReturnType<typeof sampleDataset>>; r: Evaluation } | undefined;
const febrlDefaults = (): Evaluation => {
  febrl ??= evaluate(febrl4());
  return febrl;
};
const sampleDefaults = async () => {
  if (sample === undefined) {
    const ds = await sampleDataset();
    sample = { ds, r: evaluate(ds) };
  }
  return sample;
};

describe('linkage quality (defaults, from ground truth)', () => {
  it('FEBRL 4, names and DOB only, encoded: F1 ≥ 0.95', () => {
    const r = febrlDefaults();
    expect(r.f1).toBeGreaterThanOrEqual(0.95);
    expect(r.precision).toBeGreaterThanOrEqual(0.99);
  });

  it("FEBRL 4 and the sample: the model's expected precision (one-to-one mixture) within 1 point of the measured one", async () => {
    // FEBRL 4's corruption makes the comparisons dependent given a match; the pairwise Σ p / links was
    // 1.4–2.2 points low there (docs/benchmarks.md). Its expected recall is not asserted: the true
    // pairs no blocking rule compares (2.7 %) are invisible to the scores (docs/scoring.md §8).
    const s = (await sampleDefaults()).r;
    for (const [name, r] of [
      ['FEBRL 4', febrlDefaults()],
      ['sample', s],
    ] as const) {
      const e = r.result.expected;
      expect(e, name).toBeDefined();
      expect(Math.abs((e?.precision ?? 0) - r.precision), name).toBeLessThanOrEqual(0.01);
    }
    // On the sample blocking misses few true pairs: recall within 1 point too.
    expect(Math.abs((s.result.expected?.recall ?? 0) - s.recall)).toBeLessThanOrEqual(0.01);
  });

  it('synthetic CoC/plan sample: F1 ≥ 0.97, encoded within 1 point of clear text', async () => {
    const { ds, r: enc } = await sampleDefaults();
    const clear = evaluate(ds, { clearText: true });
    expect(enc.f1).toBeGreaterThanOrEqual(0.97);
    expect(Math.abs(enc.f1 - clear.f1)).toBeLessThanOrEqual(0.01);
  });

  it('links are one-to-one and deterministic for a seed', async () => {
    const { ds } = await sampleDefaults();
    const a = evaluate(ds, { match: { seed: 7 } }).result.links;
    const b = evaluate(ds, { match: { seed: 7 } }).result.links;
    expect(a).toEqual(b);
    expect(new Set(a.map((l) => l.personalId)).size).toBe(a.length);
    expect(new Set(a.map((l) => l.memberId)).size).toBe(a.length);
  });
});
