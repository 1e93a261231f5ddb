import { describe, expect, it } from 'vitest';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { parseLinkageSchema } from '../../src/encoded/schema.js';
import { BloomlinkError } from '../../src/errors.js';
import { checkCompatible, matchBatches } from '../../src/match/match.js';
import { modelToJson, parseModel } from '../../src/model/model.js';

const KEY = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const OTHER = parseKey('ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');

const FIRST = ['ANN', 'BOB', 'CARLA', 'DAVID', 'EVA', 'FRANK', 'GINA', 'HENRY', 'IRIS', 'JACK'];
const LAST = ['LEE', 'NGUYEN', 'SMITH', 'GARCIA', 'PATEL', 'KIM', 'BROWN', 'LOPEZ', 'MILLER', 'DAVIS'];

function people(prefix: string, n: number, offset = 0): PersonToEncode[] {
  return Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    return {
      id: `${prefix}${i}`,
      firstName: FIRST[i % 10]!,
      lastName: `${LAST[Math.floor(i / 10) % 10]!}${Math.floor(i / 100)}`,
      dob: `19${String(40 + (i % 50)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
      sex: i % 2 ? 'M' : 'F',
      nameDataQuality: 1,
      dobDataQuality: 1,
      ssnDataQuality: 99,
    };
  });
}

describe('matchBatches', () => {
  const cocEnc = new RecordEncoder(KEY, { party: 'coc' });
  const coc = cocEnc.encodeBatch(people('C', 300));
  const mcpEnc = new RecordEncoder(KEY, { party: 'mcp' });
  // Plan: persons 100..599; so CoC 100..299 are members.
  const mcp = mcpEnc.encodeBatch(people('M', 500, 100));

  it('finds the shared persons, one-to-one, and nothing else', () => {
    const r = matchBatches(coc, mcp, { meta: cocEnc.meta, uSamplePairs: 50_000 });
    const matches = r.links.filter((l) => l.status === 'match');
    expect(matches.length).toBe(200);
    for (const l of matches) expect(l.personalId.slice(1)).toBe(l.memberId.slice(1));
    expect(r.counts.candidatePairs).toBeGreaterThanOrEqual(200);
    expect(r.blocking.reductionRatio).toBeGreaterThan(0.9);
  });

  it('gives the same links with the saved model (JSON round trip)', () => {
    const r = matchBatches(coc, mcp, { meta: cocEnc.meta, uSamplePairs: 50_000 });
    const model = parseModel(JSON.parse(modelToJson(r.model)));
    expect(Object.isFrozen(model)).toBe(true);
    const again = matchBatches(coc, mcp, { model });
    expect(again.links).toEqual(r.links);
  });

  it('reports oversized blocks instead of silently dropping them', () => {
    const r = matchBatches(coc, mcp, { meta: cocEnc.meta, maxBlockSize: 1, uSamplePairs: 10_000 });
    const capped = r.blocking.passes.reduce((a, p) => a + p.cappedBlocks, 0);
    expect(capped).toBeGreaterThan(0);
  });
});

describe('checkCompatible', () => {
  const coc = new RecordEncoder(KEY, { party: 'coc' }).meta;
  const mcp = new RecordEncoder(KEY, { party: 'mcp' }).meta;

  it('accepts two files from the same key and schema', () => {
    expect(() => checkCompatible(coc, mcp)).not.toThrow();
  });

  it('refuses different schema fingerprints with SCHEMA_MISMATCH', () => {
    const other = parseLinkageSchema({ ...DEFAULT_SCHEMA, name: 'another' });
    const m2 = new RecordEncoder(KEY, { party: 'mcp', schema: other }).meta;
    expect(() => checkCompatible(coc, m2)).toThrow(expect.objectContaining({ code: 'SCHEMA_MISMATCH' }));
  });

  it('refuses different keys with KEY_MISMATCH, without revealing either key', () => {
    const m2 = new RecordEncoder(OTHER, { party: 'mcp' }).meta;
    try {
      checkCompatible(coc, m2);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BloomlinkError);
      expect((e as BloomlinkError).code).toBe('KEY_MISMATCH');
      expect((e as Error).message).not.toMatch(/[0-9a-f]{32}/);
    }
  });

  it('refuses two files from the same side', () => {
    expect(() => checkCompatible(coc, coc)).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });
});
