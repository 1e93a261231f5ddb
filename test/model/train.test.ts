/**
 * Training: bounds on m the data cannot identify (DEFAULT_M_CAPS), and the term-frequency prior of
 * the EM sessions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleDataset } from '../../bench/lib/eval.js';
import { DEFAULT_COMPARISONS } from '../../src/compare/comparisons.js';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';
import { DEFAULT_M_CAPS, trainModel } from '../../src/model/train.js';

const KEY = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
let coc: EncodedBatch;
let mcp: EncodedBatch;

beforeAll(async () => {
  const ds = await sampleDataset();
  coc = new RecordEncoder(KEY, { party: 'coc' }).encodeBatch(ds.coc.slice(0, 600));
  mcp = new RecordEncoder(KEY, { party: 'mcp' }).encodeBatch(ds.mcp.slice(0, 2000));
});

const dobElse = (m: readonly number[]) => {
  const dob = DEFAULT_COMPARISONS.find((c) => c.name === 'DOB');
  const l = dob?.levels.findIndex((lv) => lv.label === 'else') ?? -1;
  return m[l] ?? Number.NaN;
};

describe('trainModel', () => {
  it('bounds m of a capped level and keeps the row a distribution', () => {
    const opts = { uSamplePairs: 20_000, seed: 3 };
    const free = trainModel(coc, mcp, DEFAULT_COMPARISONS, { ...opts, mCaps: [] });
    const freeM = free.comparisons.find((c) => c.spec.name === 'DOB')?.m ?? [];
    const max = dobElse(freeM) / 2;
    expect(max).toBeGreaterThan(0);
    const capped = trainModel(coc, mcp, DEFAULT_COMPARISONS, {
      ...opts,
      mCaps: [{ comparison: 'DOB', level: 'else', max }],
    });
    const m = capped.comparisons.find((c) => c.spec.name === 'DOB')?.m ?? [];
    expect(dobElse(m)).toBeCloseTo(max, 12);
    expect(m.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    for (const c of capped.comparisons) expect(c.m.every((x) => x >= 0 && x <= 1)).toBe(true);
  });

  it('applies the default caps', () => {
    const model = trainModel(coc, mcp, DEFAULT_COMPARISONS, { uSamplePairs: 20_000 });
    for (const cap of DEFAULT_M_CAPS) {
      const c = model.comparisons.find((x) => x.spec.name === cap.comparison);
      const l = c?.spec.levels.findIndex((lv) => lv.label === cap.level) ?? -1;
      expect(c?.m[l]).toBeLessThanOrEqual(cap.max + 1e-12);
    }
  });

  it('trains each session with one more pattern position (the prior bin) and stays deterministic', () => {
    const a = trainModel(coc, mcp, DEFAULT_COMPARISONS, { uSamplePairs: 20_000, seed: 5 });
    const b = trainModel(coc, mcp, DEFAULT_COMPARISONS, { uSamplePairs: 20_000, seed: 5 });
    expect(a).toEqual(b);
    const off = trainModel(coc, mcp, DEFAULT_COMPARISONS, {
      uSamplePairs: 20_000,
      seed: 5,
      termFrequency: false,
    });
    // Without term frequencies every pair of a session has the same prior: fewer distinct patterns.
    const patterns = (m: typeof a) => (m.training?.sessions ?? []).reduce((s, x) => s + x.patterns, 0);
    expect(patterns(off)).toBeLessThan(patterns(a));
  });
});
