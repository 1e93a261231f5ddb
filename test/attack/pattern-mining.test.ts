import { describe, expect, it } from 'vitest';
import { filterMatrix } from '../../src/attack/columns.js';
import { scoreGuesses } from '../../src/attack/outcome.js';
import { patternMiningAttack } from '../../src/attack/pattern-mining.js';
import { nameTruth } from '../../src/attack/population.js';
import { censusSurnames, referenceTable } from '../../src/attack/reference.js';
import type { PersonToEncode } from '../../src/encode/encoder.js';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { parseLinkageSchema } from '../../src/encoded/schema.js';
import { KEY } from './helpers.js';

// A skewed population over the 60 most common Census surnames; the attacker knows the frequencies
// but not the key.
const SURNAMES = censusSurnames().values.slice(0, 60);
const counts = SURNAMES.map((_, i) => Math.round(200 / Math.sqrt(i + 1)) + 10);
const reference = referenceTable(SURNAMES.map((n, i) => [n, counts[i]!] as const));
const persons: PersonToEncode[] = SURNAMES.flatMap((n, i) =>
  Array.from({ length: counts[i]! }, (_, j) => ({
    id: `${n}${j}`,
    lastName: n,
    nameDataQuality: 1 as const,
    dobDataQuality: 99 as const,
    ssnDataQuality: 99 as const,
  })),
);
// Guessing the most common name for everyone would be right this often.
const baseRate = counts[0]! / persons.length;
const truth = nameTruth(persons).last;
const spec = { k: 8, q: 2, padded: true };

function attack(hardening: object, tolerance = 0) {
  const schema = parseLinkageSchema({ ...DEFAULT_SCHEMA, hardening });
  const batch = new RecordEncoder(KEY, { party: 'mcp', schema }).encodeBatch(persons);
  const m = filterMatrix(batch.blooms.lastBloom!, batch.length);
  const r = patternMiningAttack(m, reference, { ...spec, tolerance, minSupport: 0.005 });
  return { ...r, score: scoreGuesses(r.guesses, truth) };
}

describe('patternMiningAttack', () => {
  it('locates q-grams and decodes most unhardened filters without the key', () => {
    const { mined, score } = attack({});
    expect(mined.length).toBeGreaterThan(50);
    expect(score.share).toBeGreaterThan(4 * baseRate);
    expect(score.precision).toBeGreaterThan(0.9);
  });

  it('does no better than guessing the most common name on filters diffused with keyed taps', () => {
    // Unhardened it re-identifies more than 4 × the base rate (test above); diffused, about the base rate.
    expect(attack({ diffusion: { t: 3 } }).score.share).toBeLessThan(1.5 * baseRate);
  });

  it('guesses nothing right with a dictionary that does not contain the names', () => {
    const schema = parseLinkageSchema(DEFAULT_SCHEMA);
    const batch = new RecordEncoder(KEY, { party: 'mcp', schema }).encodeBatch(persons);
    const other = referenceTable(['ZZYZX', 'QWERTY', 'XAVIER'].map((n) => [n, 1] as const));
    const r = patternMiningAttack(filterMatrix(batch.blooms.lastBloom!, batch.length), other, spec);
    expect(scoreGuesses(r.guesses, truth).correct).toBe(0);
  });

  it('attacks each salt group on its own', () => {
    const schema = parseLinkageSchema({ ...DEFAULT_SCHEMA, hardening: { salt: 'sex' } });
    const both = persons.flatMap((p) => [
      { ...p, id: `${p.id}F`, sex: 'F' as const },
      { ...p, id: `${p.id}M`, sex: 'M' as const },
    ]);
    const batch = new RecordEncoder(KEY, { party: 'mcp', schema }).encodeBatch(both);
    const m = filterMatrix(batch.blooms.lastBloom!, batch.length);
    const groups = Array.from(batch.hashes.sex!, (h) => h);
    const r = patternMiningAttack(m, reference, { ...spec, groups, minSupport: 0.005 });
    const s = scoreGuesses(r.guesses, nameTruth(both).last);
    expect(s.share).toBeGreaterThan(4 * baseRate);
    expect(s.precision).toBeGreaterThan(0.9);
  });

  it('validates its arguments', () => {
    const m = filterMatrix(new Uint8Array(32), 1);
    expect(() => patternMiningAttack(m, reference, { ...spec, k: 0 })).toThrow(RangeError);
    expect(() => patternMiningAttack(m, reference, { ...spec, groups: [1, 2] })).toThrow(RangeError);
  });
});
