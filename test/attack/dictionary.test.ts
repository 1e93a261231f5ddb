import { describe, expect, it } from 'vitest';
import { dictionaryAttack, isoDates } from '../../src/attack/dictionary.js';
import type { PersonToEncode } from '../../src/encode/encoder.js';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { parseLinkageSchema } from '../../src/encoded/schema.js';
import { KEY } from './helpers.js';

const persons: PersonToEncode[] = [
  {
    id: 'C1',
    firstName: 'Maria',
    lastName: 'García',
    dob: '1984-07-09',
    ssn: '123456789',
    sex: 'F',
    nameDataQuality: 1,
    dobDataQuality: 1,
    ssnDataQuality: 1,
  },
  {
    id: 'C2',
    firstName: 'Zebulon',
    lastName: 'Quux',
    dob: '1901-01-01',
    nameDataQuality: 1,
    dobDataQuality: 1,
    ssnDataQuality: 99,
  },
];
const names = ['MARIA', 'JOHN', 'GARCIA', 'SMITH'];
const dates = isoDates('1984-01-01', '1984-12-31');

function run(schema = DEFAULT_SCHEMA, attackerKey = KEY, ssnLast4 = false) {
  const batch = new RecordEncoder(KEY, { party: 'coc', schema }).encodeBatch(persons);
  return dictionaryAttack({ key: attackerKey, schema, batch, names, dates, ssnLast4 });
}

describe('dictionaryAttack', () => {
  it('recovers names, DOB, sex and SSN last four in the dictionary with the right key', () => {
    const r = run(DEFAULT_SCHEMA, KEY, true);
    expect(r.first[0]).toBe('MARIA');
    expect(r.last[0]).toBe('GARCIA');
    expect(r.dob[0]).toBe('1984-07-09');
    expect(r.sex[0]).toBe('F');
    expect(r.ssnLast4[0]).toBe('6789');
    expect(r.firstFromBloom[0]).toBe('MARIA');
    expect(r.lastFromBloom[0]).toBe('GARCIA');
  });

  it('recovers nothing outside the dictionary', () => {
    const r = run(DEFAULT_SCHEMA, KEY, true);
    expect([r.first[1], r.last[1], r.dob[1], r.ssnLast4[1], r.firstFromBloom[1]]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('recovers nothing with a wrong key', () => {
    const r = run(DEFAULT_SCHEMA, new Uint8Array(32).fill(1));
    for (const col of [r.first, r.last, r.dob, r.sex, r.ssnLast4, r.firstFromBloom, r.lastFromBloom]) {
      expect(col.every((v) => v === undefined)).toBe(true);
    }
  });

  it('sees through hardening, which is deterministic given the key', () => {
    for (const hardening of [
      { blip: 0.1, balance: true },
      { diffusion: { t: 3 } },
      { salt: 'dobYear' },
      { salt: 'sex' },
    ]) {
      const r = run(parseLinkageSchema({ ...DEFAULT_SCHEMA, hardening }));
      expect([r.first[0], r.firstFromBloom[0], r.lastFromBloom[0]]).toEqual(['MARIA', 'MARIA', 'GARCIA']);
    }
  });
});

describe('isoDates', () => {
  it('lists every day, leap days included', () => {
    expect(isoDates('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(isoDates('2024-01-02', '2024-01-01')).toEqual([]);
    expect(() => isoDates('nope', '2024-01-01')).toThrow(RangeError);
  });
});
