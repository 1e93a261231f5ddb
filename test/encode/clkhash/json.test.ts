import { describe, expect, it } from 'vitest';
import {
  clkhashJsonChunks,
  createClkEncoder,
  encodeClkhashJson,
  parseClkhashSchema,
} from '../../../src/encode/clkhash/index.js';
import { BloomlinkError } from '../../../src/errors.js';
import { loadVectors } from './vectors.js';

const vectors = loadVectors();
const caseC = vectors.cases[2]!;

async function* slowly<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

describe('clkhash JSON output', () => {
  it('streams the same text as JSON.stringify of encodeClkhashJson, from sync or async records', async () => {
    const encoder = createClkEncoder(parseClkhashSchema(caseC.schema), vectors.secret);
    const whole = JSON.stringify(encodeClkhashJson(encoder, vectors.records));
    expect(JSON.parse(whole)).toEqual({ clks: caseC.clks });
    let streamed = '';
    for await (const chunk of clkhashJsonChunks(encoder, vectors.records)) streamed += chunk;
    expect(streamed).toBe(whole);
    let fromAsync = '';
    for await (const chunk of clkhashJsonChunks(encoder, slowly(vectors.records))) fromAsync += chunk;
    expect(fromAsync).toBe(whole);
    let empty = '';
    for await (const chunk of clkhashJsonChunks(encoder, [])) empty += chunk;
    expect(JSON.parse(empty)).toEqual({ clks: [] });
    encoder.dispose();
  });

  it('numbers records from firstLine in errors', () => {
    const encoder = createClkEncoder(parseClkhashSchema(caseC.schema), vectors.secret);
    const rows = [vectors.records[0]!, ['1', 'A', 'B', 'not a date', 'M', '']];
    try {
      encodeClkhashJson(encoder, rows, { firstLine: 10 });
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(BloomlinkError);
      expect((e as BloomlinkError).message).toContain('line 11');
    }
    encoder.dispose();
  });
});
