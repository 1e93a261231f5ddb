import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clkToBase64, createClkEncoder, parseClkhashSchema } from '../../../src/encode/clkhash/index.js';

interface Extra {
  secret: string;
  cases: { name: string; schema: unknown; records: string[][]; clks: string[] }[];
}

const extra = JSON.parse(
  readFileSync(new URL('./fixtures/extra-vectors.json', import.meta.url), 'utf8'),
) as Extra;

describe('independent Python port (fixtures/extra-vectors.json)', () => {
  for (const c of extra.cases) {
    it(`${c.name}: ${c.records.length} records match`, () => {
      const encoder = createClkEncoder(parseClkhashSchema(c.schema), extra.secret);
      expect(c.records.map((r, i) => clkToBase64(encoder.encode(r, i + 1)))).toEqual(c.clks);
      encoder.dispose();
    });
  }
});
