/**
 * Pins the encoder's output bit for bit: SHA-256 digests over every output column of realistic
 * synthetic lists (plan members and CoC clients, with the synthesizer's defects: missing SSNs,
 * middle names, swapped names, typos), for the default schema and for schemas with every hardening
 * and every source, tokeniser and blocking part. The encoder's internals (caches, kernel batching,
 * fast paths) may change; these digests must not — a change here changes every encoded file.
 */
import { createHash, type Hash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { BatchBuilder, type EncodedBatch } from '../../src/encoded/batch.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { type LinkageSchema, parseLinkageSchema } from '../../src/encoded/schema.js';
import { collect, readClients, readMembers } from '../../src/read/reader.js';
import { synthesize } from '../../src/synth/index.js';
import { CSV_EOL, formatCsvRow } from '../../src/util/csv-write.js';

const KEY = parseKey('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
/** Rows per `encodeMany` call, as the pipeline chunks its input. */
const CHUNK = 16_384;
const TIMEOUT = 120_000;

/** Every hardening on, salted by birth year, and every source, tokeniser and blocking part in use. */
const HARDENED: LinkageSchema = parseLinkageSchema({
  bloomlinkSchema: 1,
  name: 'digest-hardened',
  features: [
    {
      name: 'firstBloom',
      kind: 'bloom',
      source: 'first',
      keyGroup: 'name',
      tokens: { type: 'qgram', q: 2 },
      bits: 256,
      k: 8,
    },
    {
      name: 'lastBloom',
      kind: 'bloom',
      source: 'last',
      keyGroup: 'name',
      tokens: { type: 'qgram', q: 2 },
      bits: 256,
      k: 8,
    },
    {
      name: 'middleBloom',
      kind: 'bloom',
      source: 'middle',
      keyGroup: 'mid',
      tokens: { type: 'qgram', q: 3, positional: true, padded: false },
      bits: 128,
      k: 5,
    },
    {
      name: 'dobBloom',
      kind: 'bloom',
      source: 'dob',
      keyGroup: 'dob',
      tokens: { type: 'dateParts' },
      bits: 128,
      k: 4,
    },
    {
      name: 'yearBloom',
      kind: 'bloom',
      source: 'dobYear',
      keyGroup: 'year',
      tokens: { type: 'numeric', radius: 2, step: 1 },
      bits: 64,
      k: 3,
    },
    {
      name: 'ssnBloom',
      kind: 'bloom',
      source: 'ssnLast4',
      keyGroup: 'ssn',
      tokens: { type: 'exact' },
      bits: 64,
      k: 20,
    },
    { name: 'first', kind: 'hash', source: 'first', keyGroup: 'name' },
    { name: 'firstCanonical', kind: 'hash', source: 'firstCanonical', keyGroup: 'name' },
    { name: 'middle', kind: 'hash', source: 'middle', keyGroup: 'name' },
    { name: 'last', kind: 'hash', source: 'last', keyGroup: 'name' },
    { name: 'firstInitial', kind: 'hash', source: 'firstInitial', keyGroup: 'initial' },
    { name: 'middleInitial', kind: 'hash', source: 'middleInitial', keyGroup: 'initial' },
    { name: 'sex', kind: 'hash', source: 'sex', keyGroup: 'sex' },
    { name: 'dob', kind: 'hash', source: 'dob', keyGroup: 'dob' },
    { name: 'dobSwapped', kind: 'hash', source: 'dobSwapped', keyGroup: 'dob' },
    { name: 'dobNextDay', kind: 'hash', source: 'dobNextDay', keyGroup: 'dob' },
    { name: 'dobYearMonth', kind: 'hash', source: 'dobYearMonth', keyGroup: 'dob' },
    { name: 'dobMonthDay', kind: 'hash', source: 'dobMonthDay', keyGroup: 'dob' },
    { name: 'dobYear', kind: 'hash', source: 'dobYear', keyGroup: 'year' },
    { name: 'dobYearPrev', kind: 'hash', source: 'dobYearPrev', keyGroup: 'year' },
    { name: 'ssn', kind: 'hash', source: 'ssn', keyGroup: 'ssn' },
    { name: 'ssnLast4', kind: 'hash', source: 'ssnLast4', keyGroup: 'ssn' },
    { name: 'firstParts', kind: 'hashSet', source: 'firstParts', max: 2, keyGroup: 'name' },
    { name: 'lastParts', kind: 'hashSet', source: 'lastParts', max: 2, keyGroup: 'name' },
    { name: 'firstVariants', kind: 'hashSet', source: 'firstVariants', max: 4, keyGroup: 'name' },
    { name: 'dobMasks', kind: 'hashSet', source: 'dobMasks', max: 5, keyGroup: 'dobMask' },
    { name: 'ssnMasks', kind: 'hashSet', source: 'ssnMasks', max: 9, keyGroup: 'ssn' },
  ],
  blocking: [
    { name: 'lastSex', parts: ['lastSoundex', 'sex'] },
    { name: 'lastPartsFirst', parts: ['lastPartSoundex', 'firstSoundex'] },
    { name: 'pairYear', parts: ['nameSoundexPair', 'dobYear'] },
    { name: 'canonicalInitial', parts: ['firstCanonicalSoundex', 'firstInitial'] },
    { name: 'dob', parts: ['dob'] },
    { name: 'dobSwappedSex', parts: ['dobOrSwapped', 'sex'] },
    { name: 'ssn', parts: ['ssn'] },
    { name: 'last4Year', parts: ['ssnLast4', 'dobYear'] },
    { name: 'wide', parts: ['lastPartSoundex', 'dobOrSwapped', 'firstCanonicalSoundex', 'firstInitial'] },
  ],
  hardening: { balance: true, xorFolds: 1, blip: 0.05, rule90: true, salt: 'dobYear', diffusion: { t: 3 } },
});

/** The default features and blocking, salted by sex and folded twice (the other salt, no diffusion). */
const SALTED_BY_SEX: LinkageSchema = parseLinkageSchema({
  ...DEFAULT_SCHEMA,
  name: 'digest-salted-by-sex',
  hardening: { salt: 'sex', xorFolds: 2 },
});

const DQ = { nameDataQuality: 1, dobDataQuality: 1, ssnDataQuality: 1 } as const;

/** Rows the synthesizer rarely or never makes: the encoder's fallbacks (long, non-ASCII, partial). */
const EDGE_CASES: PersonToEncode[] = [
  {
    id: 'E1',
    ...DQ,
    firstName: 'Maximiliano-Bartholomew-Alexander',
    lastName: 'Wolfeschlegelsteinhausen-Bergerdorff',
  },
  { id: 'E2', ...DQ, firstName: 'José', lastName: 'Nuñez', middleName: 'Ñ', sex: 'M', dob: '1990-12-31' },
  { id: 'E3', ...DQ, firstName: 'Zoë', lastName: 'Ødegård', ssn: 'xxxxx6789', dob: '2000-02-29' },
  { id: 'E4', ...DQ, firstName: 'A', lastName: 'B', ssn: '12345xxxx', dob: '1980-03-04', sex: 'F' },
  {
    id: 'E5',
    ...DQ,
    firstName: 'Mary Ann Louise Beth',
    lastName: 'de la Cruz y Santos Ortega',
    dob: '1979-01-01',
  },
  { id: 'E6', ...DQ, firstName: '李', lastName: '王', ssn: '123456789', dob: '1955-11-30' },
  { id: 'E7', nameDataQuality: 99, dobDataQuality: 99, ssnDataQuality: 99 },
  { id: 'E8', ...DQ, lastName: 'Lee', ssn: '987654321' },
  { id: 'E9', ...DQ, firstName: 'Ann', dob: '1999-05-05', ssn: '987654321' },
];

let members: PersonToEncode[];
let clients: PersonToEncode[];
/** 60 000 members: more than the encoder's cache probe (50 000 lookups), so it switches the SSN cache off. */
let manyMembers: PersonToEncode[];

beforeAll(async () => {
  const data = synthesize({ seed: 20_261_122, clients: 5_000, members: 60_000 });
  const csv = (list: 'members' | 'clients') => {
    const lines = [formatCsvRow(data.columns[list])];
    for (const row of data.rows(list)) lines.push(formatCsvRow(row));
    return new TextEncoder().encode(lines.join(CSV_EOL) + CSV_EOL);
  };
  const m = await collect(readMembers(csv('members'), { today: '2026-01-01' }));
  const c = await collect(readClients(csv('clients'), { today: '2026-01-01' }));
  manyMembers = m.records.map((r) => ({ ...r, id: r.memberId }));
  members = [...manyMembers.slice(0, 20_000), ...EDGE_CASES];
  clients = [...c.records.map((r) => ({ ...r, id: r.personalId, memberId: r.mcpMemberId })), ...EDGE_CASES];
}, TIMEOUT);

/** SHA-256 of the inputs, so a change in the reader or synthesizer is not mistaken for an encoder change. */
function inputDigest(persons: readonly PersonToEncode[]): string {
  const h = createHash('sha256');
  for (const p of persons) h.update(JSON.stringify(p, Object.keys(p).sort())).update('\n');
  return h.digest('hex');
}

function update(h: Hash, label: string, data: Uint8Array | Uint32Array): void {
  h.update(label).update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/** Feeds every column of a batch into `h`, in schema order, each under its name. */
function feed(h: Hash, schema: LinkageSchema, b: EncodedBatch): void {
  h.update(`n=${b.length}`).update(b.ids.join('\n'));
  update(h, 'nameDq', b.nameDq);
  update(h, 'dobDq', b.dobDq);
  update(h, 'ssnDq', b.ssnDq);
  for (const f of schema.features) {
    const col = f.kind === 'bloom' ? b.blooms[f.name] : f.kind === 'hash' ? b.hashes[f.name] : b.sets[f.name];
    update(h, f.name, col!);
  }
  for (const p of schema.blocking) {
    update(h, `${p.name}.offsets`, b.blocks[p.name]!.offsets);
    update(h, `${p.name}.keys`, b.blocks[p.name]!.keys);
  }
}

/** Digest of `encodeMany` over `persons` in chunks, with one encoder. */
function digestMany(schema: LinkageSchema, persons: readonly PersonToEncode[]): string {
  const enc = new RecordEncoder(KEY, { party: 'mcp', schema });
  const h = createHash('sha256');
  for (let i = 0; i < persons.length; i += CHUNK)
    feed(h, schema, enc.encodeMany(persons.slice(i, i + CHUNK)));
  enc.dispose();
  return h.digest('hex');
}

/** Digest of `encodeInto` a `BatchBuilder`, chunked as {@link digestMany}. */
function digestInto(schema: LinkageSchema, persons: readonly PersonToEncode[]): string {
  const enc = new RecordEncoder(KEY, { party: 'mcp', schema });
  const h = createHash('sha256');
  for (let i = 0; i < persons.length; i += CHUNK) {
    const b = new BatchBuilder(schema);
    for (const p of persons.slice(i, i + CHUNK)) enc.encodeInto(p, b);
    feed(h, schema, b.finish());
  }
  enc.dispose();
  return h.digest('hex');
}

describe('RecordEncoder output digests (must never change)', () => {
  it('has the pinned inputs', () => {
    expect(members.length).toMatchInlineSnapshot(`20009`);
    expect(clients.length).toMatchInlineSnapshot(`5009`);
    expect(manyMembers.length).toMatchInlineSnapshot(`60000`);
    expect(inputDigest(members)).toMatchInlineSnapshot(
      `"375dff1e4a8c40d2b2bf6432552d538ab0702c46dd1ecb8f9b047916c0144656"`,
    );
    expect(inputDigest(clients)).toMatchInlineSnapshot(
      `"c72ad87139cd0b971f36fdbb9bcf37b3f74e7d10294db0f3b726097a326acf62"`,
    );
    expect(inputDigest(manyMembers)).toMatchInlineSnapshot(
      `"6620ac325c6cb2a2c71220bc8d5c0ba1306e7f0d6d4326c41f02e6d1acca372d"`,
    );
    // The defects the digests are meant to cover are there.
    expect(members.filter((p) => p.ssn === undefined).length).toBeGreaterThan(1000);
    expect(members.filter((p) => p.middleName !== undefined).length).toBeGreaterThan(1000);
    expect(clients.filter((p) => p.ssn === undefined).length).toBeGreaterThan(100);
  });

  it(
    'default schema, encodeMany',
    () => {
      expect(digestMany(DEFAULT_SCHEMA, members)).toMatchInlineSnapshot(
        `"3232abf5ba72b596123dae4f42afe4080d15493fc690fcfa77dc027404b285d4"`,
      );
      expect(digestMany(DEFAULT_SCHEMA, clients)).toMatchInlineSnapshot(
        `"a41e94cf8284acff2b153504beeb767a2422a15a386976c2ccd543609a3263dc"`,
      );
    },
    TIMEOUT,
  );

  it(
    'default schema, encodeMany past the cache probe',
    () => {
      expect(digestMany(DEFAULT_SCHEMA, manyMembers)).toMatchInlineSnapshot(
        `"9c39ef498d50f76ecef22aca536855cc265f33ab815c6e4487aa58f492a8cbc3"`,
      );
    },
    TIMEOUT,
  );

  it(
    'default schema, encodeInto a BatchBuilder gives the same columns',
    () => {
      expect(digestInto(DEFAULT_SCHEMA, clients)).toBe(digestMany(DEFAULT_SCHEMA, clients));
      expect(digestInto(DEFAULT_SCHEMA, members.slice(0, 5000))).toMatchInlineSnapshot(
        `"22e769c5c7986d557e81137aaa36af9d8f1ed3dba928695d3f6de9a194c5d6df"`,
      );
    },
    TIMEOUT,
  );

  it(
    'every hardening, source, tokeniser and blocking part',
    () => {
      expect(digestMany(HARDENED, members)).toMatchInlineSnapshot(
        `"89b489497cccb609ff0086b683187a7ab7888b46e7d4c7680f9c576a9fd31f42"`,
      );
      expect(digestMany(HARDENED, clients)).toMatchInlineSnapshot(
        `"1b60aa256558a410f53f411dc79af4f581955cc4ce3c0f4019903e69f9bea9b5"`,
      );
      expect(digestInto(HARDENED, clients)).toBe(digestMany(HARDENED, clients));
    },
    TIMEOUT,
  );

  it(
    'salted by sex, folded twice',
    () => {
      expect(digestMany(SALTED_BY_SEX, clients)).toMatchInlineSnapshot(
        `"80eaa83dd59b375db4febce8acaf7b1c47952f100c4a6ef931ca775df29cac37"`,
      );
      expect(digestInto(SALTED_BY_SEX, clients)).toMatchInlineSnapshot(
        `"80eaa83dd59b375db4febce8acaf7b1c47952f100c4a6ef931ca775df29cac37"`,
      );
    },
    TIMEOUT,
  );
});
