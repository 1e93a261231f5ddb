// biome-ignore-all lint/suspicious/noExplicitAny: the tests mutate schema documents as free-form JSON.
import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../../../src/encode/clkhash/base64.js';
import { foldXor } from '../../../src/encode/clkhash/filter.js';
import { clkToBase64, createClkEncoder, parseClkhashSchema } from '../../../src/encode/clkhash/index.js';
import { BloomlinkError } from '../../../src/errors.js';
import { loadVectors } from './vectors.js';

const vectors = loadVectors();
const [caseA, caseB] = vectors.cases as [(typeof vectors.cases)[0], (typeof vectors.cases)[0]];
const schemaA = parseClkhashSchema(caseA.schema);
const records = vectors.records;

function rejection(fn: () => unknown): BloomlinkError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BloomlinkError);
    return e as BloomlinkError;
  }
  throw new Error('did not throw');
}

describe('createClkEncoder', () => {
  it('exposes the filter length and returns l/8 bytes', () => {
    const encoder = createClkEncoder(schemaA, vectors.secret);
    expect(encoder.bits).toBe(1024);
    expect(encoder.encode(records[1]!)).toHaveLength(128);
    encoder.dispose();
  });

  it('gives different encodings under a different secret (all 240 records)', () => {
    const right = createClkEncoder(schemaA, vectors.secret);
    const wrong = createClkEncoder(schemaA, `${vectors.secret}!`);
    const same = records.filter((r) => clkToBase64(right.encode(r)) === clkToBase64(wrong.encode(r)));
    expect(same).toEqual([]);
    right.dispose();
    wrong.dispose();
  });

  it('gives the same encodings for the secret as a string or as its UTF-8 bytes, and leaves the bytes intact', () => {
    const bytes = new TextEncoder().encode(vectors.secret);
    const copy = bytes.slice();
    const encoder = createClkEncoder(schemaA, bytes);
    expect(clkToBase64(encoder.encode(records[5]!))).toBe(caseA.clks[5]);
    expect(bytes).toEqual(copy);
    encoder.dispose();
  });

  it('folds by xor_folds: case B with l/2 and xor_folds 1 equals the folded vector CLK', () => {
    const json = structuredClone(caseB.schema) as any;
    json.clkConfig.l = 512;
    json.clkConfig.xor_folds = 1;
    const encoder = createClkEncoder(parseClkhashSchema(json), vectors.secret);
    records.forEach((r, i) => {
      const unfolded = decodeBase64(caseB.clks[i]!)!;
      expect(encoder.encode(r)).toEqual(foldXor(unfolded, 1024, 1));
    });
    encoder.dispose();
  });

  it('treats the missing-value sentinel as its replacement, without validating it', () => {
    const json = structuredClone(caseA.schema) as any;
    json.features[3].hashing.missingValue = { sentinel: 'unknown', replaceWith: '19700101' };
    const encoder = createClkEncoder(parseClkhashSchema(json), vectors.secret);
    const sentinel = encoder.encode(['1', 'ANA', 'KIM', 'unknown', 'F', '']);
    const explicit = encoder.encode(['1', 'ANA', 'KIM', '1970/01/01', 'F', '']);
    expect(sentinel).toEqual(explicit);
    encoder.dispose();
  });

  it('adds no bits for an empty sentinel: same as the feature being ignored', () => {
    const json = structuredClone(caseA.schema) as any;
    json.features[2] = { identifier: 'last_name', ignored: true };
    const withoutLast = createClkEncoder(parseClkhashSchema(json), vectors.secret);
    const full = createClkEncoder(schemaA, vectors.secret);
    const record = ['9', 'JOHN', '', '1929/09/19', 'F', '44'];
    expect(full.encode(record)).toEqual(withoutLast.encode(['9', 'JOHN', 'Z', '1929/09/19', 'F', '44']));
    full.dispose();
    withoutLast.dispose();
  });

  it.each([
    [
      'a date in another format',
      ['1', 'ANA', 'KIM', '1985-07-06', 'F', ''],
      'feature "dob" (column 4)',
      '1985-07-06',
    ],
    [
      'an impossible date',
      ['1', 'ANA', 'KIM', '1985/02/30', 'F', ''],
      'feature "dob" (column 4)',
      '1985/02/30',
    ],
    [
      'a value outside the enum',
      ['1', 'ANA', 'KIM', '1985/07/06', 'X', ''],
      'feature "sex" (column 5)',
      '"X"',
    ],
    [
      'a lone surrogate',
      ['1', 'AN\ud800A', 'KIM', '1985/07/06', 'F', ''],
      'feature "first_name" (column 2)',
      '\ud800',
    ],
  ])('rejects %s with INPUT_INVALID naming line and feature, not the value', (_n, record, feature, value) => {
    const encoder = createClkEncoder(schemaA, vectors.secret);
    const err = rejection(() => encoder.encode(record, 17));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.message).toContain('line 17');
    expect(err.message).toContain(feature);
    expect(err.message).not.toContain(value);
    encoder.dispose();
  });

  it('rejects integers clkhash rejects (case B age: integer 0..120)', () => {
    const encoder = createClkEncoder(parseClkhashSchema(caseB.schema), vectors.secret);
    for (const age of ['121', '-1', '4.5', 'forty']) {
      const err = rejection(() => encoder.encode(['1', 'ANA', 'KIM', '1985/07/06', 'F', age], 3));
      expect(err.message).toContain('feature "age" (column 6)');
      expect(err.message).not.toContain(age);
    }
    // Python's int() accepts these, and so does clkhash.
    expect(encoder.encode(['1', 'ANA', 'KIM', '1985/07/06', 'F', ' +070 '])).toEqual(
      encoder.encode(['1', 'ANA', 'KIM', '1985/07/06', 'F', '70']),
    );
    encoder.dispose();
  });

  it('rejects a record of the wrong width and non-string values', () => {
    const encoder = createClkEncoder(schemaA, vectors.secret);
    const err = rejection(() => encoder.encode(['1', 'ANA'], 4));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.message).toBe(
      'clkhash encoding failed: the record at line 4 has 2 values, the schema has 6 features',
    );
    expect(() => encoder.encode(['1', 'ANA', 7, '', '', ''] as unknown as string[])).toThrow(TypeError);
    expect(() => encoder.encode('1,ANA' as unknown as string[])).toThrow(TypeError);
    encoder.dispose();
  });

  it('refuses an empty or malformed secret and bad arguments', () => {
    expect(rejection(() => createClkEncoder(schemaA, '')).code).toBe('KEY_MISSING');
    expect(rejection(() => createClkEncoder(schemaA, new Uint8Array())).code).toBe('KEY_MISSING');
    expect(rejection(() => createClkEncoder(schemaA, 'abc\udc00')).code).toBe('KEY_UNREADABLE');
    expect(() => createClkEncoder(schemaA, 42 as unknown as string)).toThrow(TypeError);
    expect(() => createClkEncoder({} as never, 'secret')).toThrow(TypeError);
    expect(() => createClkEncoder(schemaA, 'secret', { tokenCacheSize: -1 })).toThrow(RangeError);
  });

  it('refuses a secret under 16 bytes or too regular, unless allowWeakSecret', () => {
    const fifteen = 'abcdefghijklmno';
    const short = rejection(() => createClkEncoder(schemaA, fifteen));
    expect(short.code).toBe('KEY_TOO_SHORT');
    expect(short.message).toContain('--allow-weak-secret');
    expect(short.message).not.toContain(fifteen);
    expect(rejection(() => createClkEncoder(schemaA, new Uint8Array(15).fill(1))).code).toBe('KEY_TOO_SHORT');
    expect(rejection(() => createClkEncoder(schemaA, 'a'.repeat(64))).code).toBe('KEY_WEAK');
    expect(rejection(() => createClkEncoder(schemaA, 'abcdefgh'.repeat(4))).code).toBe('KEY_WEAK');
    // 16 bytes that are not a pattern pass; the opt-out accepts anything non-empty.
    createClkEncoder(schemaA, `${fifteen}p`).dispose();
    createClkEncoder(schemaA, 'x', { allowWeakSecret: true }).dispose();
    createClkEncoder(schemaA, 'a'.repeat(64), { allowWeakSecret: true }).dispose();
  });

  it('is unusable after dispose, and dispose is idempotent', () => {
    const encoder = createClkEncoder(schemaA, vectors.secret);
    encoder.encode(records[3]!);
    encoder.dispose();
    encoder.dispose();
    expect(() => encoder.encode(records[3]!)).toThrow(TypeError);
  });

  it('never puts the secret into an error message', () => {
    const encoder = createClkEncoder(schemaA, vectors.secret);
    const err = rejection(() => encoder.encode(['1', 'ANA', 'KIM', 'bad', 'F', '']));
    expect(err.message).not.toContain(vectors.secret);
    expect(String(err.stack)).not.toContain(vectors.secret);
    encoder.dispose();
  });
});
