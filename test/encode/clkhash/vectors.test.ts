import { describe, expect, it } from 'vitest';
import {
  clkToBase64,
  createClkEncoder,
  encodeClkhashJson,
  parseClkhashSchema,
} from '../../../src/encode/clkhash/index.js';
import { loadVectors } from './vectors.js';

const vectors = loadVectors();

describe('clkhash 0.18.3 interoperability vectors', () => {
  it('has the expected shape', () => {
    expect(vectors.cases).toHaveLength(3);
    for (const c of vectors.cases) expect(c.clks).toHaveLength(vectors.records.length);
  });

  for (const c of vectors.cases) {
    // 5: caches that turn over every few records (and tables of any size).
    for (const cacheSize of [1 << 15, 5, 0]) {
      it(`${c.name}: all ${vectors.records.length} records match bit for bit (token cache ${cacheSize})`, () => {
        const encoder = createClkEncoder(parseClkhashSchema(c.schema), vectors.secret, {
          tokenCacheSize: cacheSize,
        });
        const mismatches: number[] = [];
        vectors.records.forEach((record, i) => {
          if (clkToBase64(encoder.encode(record, i + 2)) !== c.clks[i]) mismatches.push(i);
        });
        encoder.dispose();
        expect(mismatches).toEqual([]);
      });
    }

    it(`${c.name}: encodeClkhashJson reproduces the clks array`, () => {
      const encoder = createClkEncoder(
        parseClkhashSchema(c.schema),
        new TextEncoder().encode(vectors.secret),
      );
      expect(encodeClkhashJson(encoder, vectors.records).clks).toEqual(c.clks);
      encoder.dispose();
    });
  }
});
