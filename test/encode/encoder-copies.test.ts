/**
 * `RecordEncoder.encodeMany` (entries read ahead by `touch` for a group of records, then copied by
 * kind into the columns) against `encodeInto`, which copies each feature of one record on its own:
 * the same columns for the default schema and for one with filters of odd bytes, a filter of whole
 * words at an odd byte offset of its entry, absent roots and a root read twice in a group.
 */
import { describe, expect, it } from 'vitest';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { BatchBuilder, type EncodedBatch } from '../../src/encoded/batch.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { type LinkageSchema, parseLinkageSchema } from '../../src/encoded/schema.js';

const KEY = parseKey('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
const NAME = { type: 'qgram', q: 2 } as const;

/**
 * Folded twice: a 64-bit filter is 2 bytes (byte-wise), and the first name's 256-bit filter after it
 * starts at byte 2 of the entry's filters (whole words in its column, not in the entry).
 */
const ODD: LinkageSchema = parseLinkageSchema({
  bloomlinkSchema: 1,
  name: 'copies-odd',
  features: [
    { name: 'firstSmall', kind: 'bloom', source: 'first', keyGroup: 'name', tokens: NAME, bits: 64, k: 3 },
    { name: 'firstBloom', kind: 'bloom', source: 'first', keyGroup: 'name', tokens: NAME, bits: 256, k: 8 },
    { name: 'lastBloom', kind: 'bloom', source: 'last', keyGroup: 'name', tokens: NAME, bits: 256, k: 8 },
    { name: 'first', kind: 'hash', source: 'first', keyGroup: 'name' },
    { name: 'firstVariants', kind: 'hashSet', source: 'firstVariants', max: 4, keyGroup: 'name' },
    {
      name: 'dobBloom',
      kind: 'bloom',
      source: 'dob',
      keyGroup: 'dob',
      tokens: { type: 'dateParts' },
      bits: 128,
      k: 4,
    },
    { name: 'dob', kind: 'hash', source: 'dob', keyGroup: 'dob' },
    { name: 'ssnMasks', kind: 'hashSet', source: 'ssnMasks', max: 9, keyGroup: 'ssn' },
    { name: 'ssn', kind: 'hash', source: 'ssn', keyGroup: 'ssn' },
  ],
  blocking: [
    { name: 'lastYear', parts: ['lastSoundex', 'dobYear'] },
    { name: 'ssn', parts: ['ssn'] },
  ],
  hardening: { xorFolds: 2 },
});

const DQ = { nameDataQuality: 1, dobDataQuality: 1, ssnDataQuality: 1 } as const;
const PERSONS: PersonToEncode[] = [
  {
    id: 'A',
    ...DQ,
    firstName: 'Robert',
    middleName: 'Ann',
    lastName: 'Lee',
    dob: '1980-03-04',
    ssn: '123456780',
    memberId: 'M123456789',
  },
  { id: 'B', ...DQ, lastName: 'Nguyen', dob: '1975-12-01' },
  { id: 'C', ...DQ, firstName: 'Bob', ssn: '987654321' },
  { id: 'D', ...DQ, firstName: 'Mary Ann', lastName: 'García-López', dob: '1980-04-03', sex: 'M' },
  { id: 'E', nameDataQuality: 99, dobDataQuality: 99, ssnDataQuality: 99 },
  { id: 'F', ...DQ, firstName: 'Ann', lastName: 'Lee', dob: '2001-02-03', ssn: '123456780' },
];

function columns(schema: LinkageSchema, b: EncodedBatch): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const f of schema.features) {
    const col = f.kind === 'bloom' ? b.blooms[f.name] : f.kind === 'hash' ? b.hashes[f.name] : b.sets[f.name];
    out[f.name] = [...col!];
  }
  for (const p of schema.blocking) {
    out[`${p.name}.offsets`] = [...b.blocks[p.name]!.offsets];
    out[`${p.name}.keys`] = [...b.blocks[p.name]!.keys];
  }
  return out;
}

describe('RecordEncoder copies by root', () => {
  for (const schema of [DEFAULT_SCHEMA, ODD])
    it(`gives encodeMany the columns encodeInto gives (${schema.name})`, () => {
      const enc = new RecordEncoder(KEY, { party: 'mcp', schema });
      const many = enc.encodeMany(PERSONS);
      const b = new BatchBuilder(schema);
      for (const p of PERSONS) enc.encodeInto(p, b);
      const into = b.finish();
      expect(columns(schema, many)).toEqual(columns(schema, into));
      // Not vacuous: every feature has a value in some row, and absent roots leave zeros.
      for (const [name, values] of Object.entries(columns(schema, many)))
        if (!name.includes('.'))
          expect(
            values.some((v) => v !== 0),
            name,
          ).toBe(true);
      expect([...many.hashes.first!]).toContain(0);
      enc.dispose();
    });
});
