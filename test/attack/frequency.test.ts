import { describe, expect, it } from 'vitest';
import { blockKeys, filterKeys, hashKeys } from '../../src/attack/columns.js';
import { frequencyAlignment } from '../../src/attack/frequency.js';
import { scoreGuesses } from '../../src/attack/outcome.js';
import { nameTruth } from '../../src/attack/population.js';
import { referenceTable, soundexInitialTable } from '../../src/attack/reference.js';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { parseLinkageSchema } from '../../src/encoded/schema.js';
import { KEY, NAMES, REFERENCE, skewedPersons } from './helpers.js';

const persons = skewedPersons();
const truth = nameTruth(persons);
const batch = new RecordEncoder(KEY, { party: 'mcp' }).encodeBatch(persons);

describe('frequencyAlignment', () => {
  it('re-identifies every record of a skewed population from its keyed hashes, without the key', () => {
    const last = scoreGuesses(frequencyAlignment(hashKeys(batch, 'last'), REFERENCE), truth.last);
    expect(last.share).toBe(1);
    const first = scoreGuesses(frequencyAlignment(hashKeys(batch, 'first'), REFERENCE), truth.first);
    expect(first.share).toBe(1);
  });

  it('works the same on unhardened Bloom filters', () => {
    const o = scoreGuesses(frequencyAlignment(filterKeys(batch, 'lastBloom'), REFERENCE), truth.last);
    expect(o.share).toBe(1);
  });

  it('only guesses the top ranks when asked', () => {
    const o = scoreGuesses(frequencyAlignment(hashKeys(batch, 'last'), REFERENCE, { top: 2 }), truth.last);
    expect(o.guessed).toBe(NAMES[0]![1] + NAMES[1]![1]);
    expect(o.precision).toBe(1);
  });

  it('guesses wrong when the reference frequencies are wrong', () => {
    const reversed = referenceTable(NAMES.map(([n], i) => [n, i + 1] as const));
    const o = scoreGuesses(frequencyAlignment(hashKeys(batch, 'last'), reversed), truth.last);
    expect(o.share).toBeLessThan(0.2);
  });

  it('aligns the name blocking key with the Soundex + initial distribution', () => {
    const o = scoreGuesses(
      frequencyAlignment(blockKeys(batch, 'lastSoundexInitial'), soundexInitialTable(REFERENCE, REFERENCE), {
        top: 3,
      }),
      truth.soundexInitial,
    );
    expect(o.correct).toBeGreaterThan(0);
  });

  it('aligns within salt groups', () => {
    const salted = parseLinkageSchema({ ...DEFAULT_SCHEMA, hardening: { salt: 'sex' } });
    const b = new RecordEncoder(KEY, { party: 'mcp', schema: salted }).encodeBatch(persons);
    const keys = filterKeys(b, 'lastBloom');
    // Salting splits each name's filter in two, so one ranking over all records misaligns…
    const pooled = scoreGuesses(frequencyAlignment(keys, REFERENCE), truth.last);
    // …but the sex hash regroups them.
    const grouped = scoreGuesses(
      frequencyAlignment(keys, REFERENCE, { groups: hashKeys(b, 'sex') }),
      truth.last,
    );
    expect(grouped.share).toBeGreaterThan(pooled.share);
    expect(grouped.share).toBeGreaterThan(0.9);
  });

  it('validates its arguments', () => {
    expect(() => frequencyAlignment([1], REFERENCE, { top: -1 })).toThrow(RangeError);
    expect(() => frequencyAlignment([1], REFERENCE, { groups: [] })).toThrow(RangeError);
    expect(() => hashKeys(batch, 'nope')).toThrow(RangeError);
    expect(() => filterKeys(batch, 'first')).toThrow(RangeError);
    expect(() => blockKeys(batch, 'nope')).toThrow(RangeError);
  });
});
