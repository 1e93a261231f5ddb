/**
 * The level kernel's compiled modules hold the row store's addresses, so every new layout (another
 * plan size, a streamed match's last chunk) compiles a new module: the cache keeps only the last few,
 * so a long-running process does not grow without bound (review finding, session 6).
 */
import { describe, expect, it } from 'vitest';
import { sampleDataset } from '../../bench/lib/eval.js';
import { DEFAULT_COMPARISONS } from '../../src/compare/comparisons.js';
import { cachedLevelModules } from '../../src/compare/level-kernel.js';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { BatchLevels, buildBatchScoring } from '../../src/model/score.js';

const KEY = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');

describe('level kernel module cache', () => {
  it('stays bounded over many list sizes, and a kernel still runs after its module was evicted', async () => {
    const ds = await sampleDataset();
    const coc = new RecordEncoder(KEY, { party: 'coc' }).encodeBatch(ds.coc.slice(0, 50));
    const sizes = [100, 140, 180, 220, 260, 300, 340, 380];
    const kernels: BatchLevels[] = [];
    let seen = 0;
    for (const n of sizes) {
      const mcp = new RecordEncoder(KEY, { party: 'mcp' }).encodeBatch(ds.mcp.slice(0, n));
      const levels = new BatchLevels(
        DEFAULT_COMPARISONS,
        coc,
        mcp,
        buildBatchScoring(DEFAULT_COMPARISONS, coc, mcp, { kind: 'wasm' }),
      );
      expect(levels.compiled.some(Boolean)).toBe(true);
      kernels.push(levels);
      seen = Math.max(seen, cachedLevelModules());
    }
    expect(seen).toBeGreaterThan(1);
    expect(cachedLevelModules()).toBeLessThanOrEqual(4);
    // The first kernel's module left the cache; its instance still works.
    const first = kernels[0];
    if (!first) throw new Error('no kernel');
    const J = Uint32Array.from({ length: 10 }, (_, j) => j);
    first.run(0, J, 0, J.length);
    expect(first.out.length).toBe(DEFAULT_COMPARISONS.length);
  });
});
