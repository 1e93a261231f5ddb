/**
 * `RecordEncoder.encodeMany` (copies by kind into the columns) against `encodeInto`, which copies
 * each feature of one record on its own: the same columns for the default schema and for one with
 * filters of odd bytes, a filter of whole words at an odd byte offset of its entry, absent roots and a
 * root read twice in a group. And `touch`, whose reads change no output: every word it reads ahead
 * is one that `copyRow` and the blocking keys read for the same group.
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

/**
 * Passes that share parts (`dobYear` in seven, `firstInitial` in three), a part twice in one pass,
 * multi-valued parts (`dobOrSwapped`, a hyphenated last name's `lastPartSoundex`, a nickname's
 * Soundex pair) after one-valued parts and before them, the Soundex pair between two parts, and parts
 * whose root is often absent (`sex`, `memberId`): the rows `copyRow` ends through
 * `ColumnWriter.blockOne`/`block` (by row) against `BatchBuilder`'s. Written for a per-row table of
 * distinct parts (docs/scaling.md, round eighteen; not kept), whose wrong hand-over to `spread` only
 * passes of three or four parts reach.
 */
const SHARED: LinkageSchema = parseLinkageSchema({
  ...DEFAULT_SCHEMA,
  name: 'copies-shared-parts',
  blocking: [
    { name: 'lastYear', parts: ['lastPartSoundex', 'dobYear'] },
    { name: 'yearInitialSwapped', parts: ['dobYear', 'firstInitial', 'dobOrSwapped'] },
    { name: 'initialPairYear', parts: ['firstInitial', 'nameSoundexPair', 'dobYear'] },
    { name: 'sexYear', parts: ['sex', 'dobYear'] },
    { name: 'memberId', parts: ['memberId'] },
    { name: 'yearYear', parts: ['dobYear', 'dobYear'] },
    { name: 'four', parts: ['ssnLast4', 'lastPartSoundex', 'firstSoundex', 'dob'] },
    { name: 'swappedYearInitial', parts: ['dobOrSwapped', 'dobYear', 'firstInitial'] },
    { name: 'last4Year', parts: ['ssnLast4', 'dobYear'] },
  ],
});

const SHARED_PERSONS: PersonToEncode[] = [
  ...PERSONS,
  {
    id: 'G',
    ...DQ,
    firstName: 'Anna Maria',
    lastName: 'Smith-Jones',
    dob: '1990-05-07',
    ssn: '111223333',
    sex: 'F',
    memberId: 'M000000001',
  },
  { id: 'H', ...DQ, firstName: 'Li', lastName: 'Wu', dob: '1990-07-05', ssn: '444556666', sex: 'M' },
  { id: 'I', ...DQ, firstName: 'Anna Maria', lastName: 'Smith-Jones', dob: '1990-05-20', sex: 'F' },
  // A nickname: its Soundex and its canonical name's differ (two keys of the Soundex pair).
  { id: 'J', ...DQ, firstName: 'Bill', lastName: 'Lee', dob: '1985-01-01', ssn: '222334444' },
];

describe('RecordEncoder blocking keys of passes that share parts', () => {
  it('gives encodeMany the keys encodeInto gives when passes share parts', () => {
    const enc = new RecordEncoder(KEY, { party: 'mcp', schema: SHARED });
    const many = enc.encodeMany(SHARED_PERSONS);
    const b = new BatchBuilder(SHARED);
    for (const p of SHARED_PERSONS) enc.encodeInto(p, b);
    expect(columns(SHARED, many)).toEqual(columns(SHARED, b.finish()));
    // Not vacuous: every pass has rows with keys and rows without, and the passes with a
    // multi-valued part have rows of several keys.
    const counts = (pass: string) => {
      const o = many.blocks[pass]!.offsets;
      return Array.from({ length: many.length }, (_, r) => o[r + 1]! - o[r]!);
    };
    for (const p of SHARED.blocking) {
      expect(Math.max(...counts(p.name)), p.name).toBeGreaterThan(0);
      expect(Math.min(...counts(p.name)), p.name).toBe(0);
    }
    for (const pass of ['yearInitialSwapped', 'four', 'initialPairYear', 'swappedYearInitial'])
      expect(Math.max(...counts(pass)), pass).toBeGreaterThan(1);
    enc.dispose();
  });
});

/** Word indices by root table. */
type Words = Map<number, Set<number>>;

/**
 * Replaces every root table's arrays (`words`, the same memory as `bytes32`, and `bytes`, a byte as
 * its word) with views that add the word indices read to `watching.reads` and those written (by
 * element, `set` or `fill`) to `watching.writes`, while each is set. Arrays a table grows into are not watched: the test's batch
 * is far below a table's first size.
 */
function watch(enc: RecordEncoder, watching: { reads: Words | undefined; writes: Words | undefined }): void {
  const tables = (
    enc as unknown as { tables: { words: Uint32Array; bytes32: Uint32Array; bytes: Uint8Array }[] }
  ).tables;
  const note = (into: Words | undefined, r: number, prop: string | symbol, shift: number) => {
    // Any integer, negative ones too: a read before the array's start gives `undefined`, no error.
    if (into === undefined || typeof prop !== 'string' || !/^-?\d+$/.test(prop)) return;
    const set = into.get(r) ?? new Set<number>();
    into.set(r, set);
    set.add(Math.floor(Number(prop) / 2 ** shift));
  };
  tables.forEach((t, r) => {
    const view = <T extends Uint32Array | Uint8Array>(a: T, shift: number): T =>
      new Proxy(a, {
        get(target, prop) {
          note(watching.reads, r, prop, shift);
          // Bulk writes (a filter copied into its entry with `set`) count as writes of their words.
          if (prop === 'set')
            return (src: ArrayLike<number>, at = 0) => {
              for (let i = 0; i < src.length; i++) note(watching.writes, r, String(at + i), shift);
              target.set(src, at);
            };
          if (prop === 'fill')
            return (value: number, from = 0, to = target.length) => {
              for (let i = from; i < to; i++) note(watching.writes, r, String(i), shift);
              return target.fill(value, from, to);
            };
          const v = Reflect.get(target, prop, target);
          return typeof v === 'function' ? v.bind(target) : v;
        },
        set(target, prop, value) {
          note(watching.writes, r, prop, shift);
          return Reflect.set(target, prop, value, target);
        },
      });
    const words = view(t.words, 0);
    t.words = words;
    t.bytes32 = words;
    t.bytes = view(t.bytes, 2);
  });
}

describe('RecordEncoder.touch', () => {
  for (const schema of [DEFAULT_SCHEMA, ODD])
    it(`reads ahead only words of the entries it was given (${schema.name})`, () => {
      const enc = new RecordEncoder(KEY, { party: 'mcp', schema });
      const watching: { reads: Words | undefined; writes: Words | undefined } = {
        reads: undefined,
        writes: undefined,
      };
      watch(enc, watching);
      // First every entry is built (each of its words written: key, filters, fixed words, part
      // runs); then the same records again, every entry cached, with the words `touch` reads watched.
      const written: Words = new Map();
      watching.writes = written;
      enc.encodeMany(PERSONS);
      watching.writes = undefined;
      const touched: Words = new Map();
      const e = enc as unknown as { touch: (...a: unknown[]) => void };
      const touch = e.touch.bind(enc);
      e.touch = (...a: unknown[]) => {
        watching.reads = touched;
        try {
          touch(...a);
        } finally {
          watching.reads = undefined;
        }
      };
      expect(enc.encodeMany(PERSONS).length).toBe(PERSONS.length);
      // Not vacuous: the names, DOB and last four were read ahead.
      expect(touched.size).toBeGreaterThanOrEqual(3);
      for (const [root, words] of touched) {
        const entries = written.get(root) ?? new Set<number>();
        expect(
          [...words].filter((w) => !entries.has(w)),
          `root ${root}`,
        ).toEqual([]);
      }
      enc.dispose();
    });
});
