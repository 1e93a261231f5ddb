/**
 * The default linkage schema for the CoC ⇄ plan match. Every choice is explained in docs/encoding.md.
 */
import type { LinkageSchema } from './schema.js';

// Written out as `parseLinkageSchema` returns it (every default filled in, keys in the zod schema's
// order, which the encoded file's metadata JSON keeps), so loading the encoder parses nothing: a
// zod parse of this schema at module load cost a small `encode` 20–70 ms of CPU. A test checks that
// parsing the schema as written here gives exactly this object, key order included.
const NAME_TOKENS = { type: 'qgram', q: 2, positional: false, padded: true } as const;

/**
 * The default schema: field-level Bloom filters for first and last name (one key group, so swapped
 * names can be recognised), keyed exact hashes for names, nickname variants, surname parts, DOB
 * parts (exact, day↔month swap, next day, one-digit masks, year-month, month-day, year, year − 1),
 * sex, SSN (full, last four, one-digit masks) and the plan member ID (the member's own `MemberID`,
 * the client's `MCPMemberID` when the CoC knows it), keyed blocking passes, and the diffusion layer
 * as hardening of the name filters.
 * @example
 * ```ts
 * import { DEFAULT_SCHEMA, schemaFingerprint } from 'bloomlink/encode';
 * console.log(schemaFingerprint(DEFAULT_SCHEMA));
 * ```
 */
export const DEFAULT_SCHEMA: LinkageSchema = {
  bloomlinkSchema: 1,
  name: 'bloomlink-default-v2',
  features: [
    {
      name: 'firstBloom',
      kind: 'bloom',
      source: 'first',
      tokens: { ...NAME_TOKENS },
      bits: 256,
      k: 8,
      keyGroup: 'name',
    },
    {
      name: 'lastBloom',
      kind: 'bloom',
      source: 'last',
      tokens: { ...NAME_TOKENS },
      bits: 256,
      k: 8,
      keyGroup: 'name',
    },
    { name: 'first', kind: 'hash', source: 'first', keyGroup: 'name' },
    { name: 'last', kind: 'hash', source: 'last', keyGroup: 'name' },
    { name: 'middle', kind: 'hash', source: 'middle', keyGroup: 'name' },
    { name: 'firstParts', kind: 'hashSet', source: 'firstParts', max: 3, keyGroup: 'name' },
    { name: 'lastParts', kind: 'hashSet', source: 'lastParts', max: 4, keyGroup: 'name' },
    { name: 'firstVariants', kind: 'hashSet', source: 'firstVariants', max: 6, keyGroup: 'nickname' },
    { name: 'firstInitial', kind: 'hash', source: 'firstInitial', keyGroup: 'initial' },
    { name: 'middleInitial', kind: 'hash', source: 'middleInitial', keyGroup: 'initial' },
    { name: 'sex', kind: 'hash', source: 'sex', keyGroup: 'sex' },
    { name: 'dob', kind: 'hash', source: 'dob', keyGroup: 'dob' },
    { name: 'dobSwapped', kind: 'hash', source: 'dobSwapped', keyGroup: 'dob' },
    { name: 'dobNextDay', kind: 'hash', source: 'dobNextDay', keyGroup: 'dob' },
    { name: 'dobMasks', kind: 'hashSet', source: 'dobMasks', max: 8, keyGroup: 'dobMask' },
    { name: 'dobYearMonth', kind: 'hash', source: 'dobYearMonth', keyGroup: 'dobYearMonth' },
    { name: 'dobMonthDay', kind: 'hash', source: 'dobMonthDay', keyGroup: 'dobMonthDay' },
    { name: 'dobYear', kind: 'hash', source: 'dobYear', keyGroup: 'dobYear' },
    { name: 'dobYearPrev', kind: 'hash', source: 'dobYearPrev', keyGroup: 'dobYear' },
    { name: 'ssn', kind: 'hash', source: 'ssn', keyGroup: 'ssn' },
    { name: 'ssnLast4', kind: 'hash', source: 'ssnLast4', keyGroup: 'ssnLast4' },
    { name: 'ssnMasks', kind: 'hashSet', source: 'ssnMasks', max: 9, keyGroup: 'ssnMask' },
    { name: 'memberId', kind: 'hash', source: 'memberId', keyGroup: 'memberId' },
  ],
  blocking: [
    { name: 'lastSoundexYear', parts: ['lastPartSoundex', 'dobYear'] },
    { name: 'initialDob', parts: ['firstInitial', 'dobOrSwapped'] },
    { name: 'nameSoundexPair', parts: ['nameSoundexPair'] },
    { name: 'lastSoundexInitial', parts: ['lastPartSoundex', 'firstInitial'] },
    { name: 'firstSoundexYear', parts: ['firstCanonicalSoundex', 'dobYear'] },
    { name: 'dob', parts: ['dob'] },
    { name: 'ssn', parts: ['ssn'] },
    { name: 'ssnLast4Year', parts: ['ssnLast4', 'dobYear'] },
    { name: 'ssnLast4Initial', parts: ['ssnLast4', 'firstInitial'] },
    { name: 'memberId', parts: ['memberId'] },
  ],
  // Diffusion (Armknecht, Heng & Schnell 2023), t = 3: stops the q-gram pattern-mining attack at a
  // cost of about 0.3 F1 points on FEBRL 4 (measured: docs/privacy.md).
  hardening: { balance: false, xorFolds: 0, blip: 0, rule90: false, salt: null, diffusion: { t: 3 } },
};
