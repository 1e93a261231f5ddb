import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clkToBase64, createClkEncoder, parseClkhashSchema } from '../../../src/encode/clkhash/index.js';
import { compileTokenizer } from '../../../src/encode/clkhash/tokenize.js';

/** A schema with every comparison and both hash families, sized by the arguments. */
function schemaJson(l: number, folds: number, hash: 'blakeHash' | 'doubleHash'): unknown {
  const hashing = (comparison: object, strategy: object) => ({
    comparison,
    strategy,
    hash: hash === 'doubleHash' ? { type: 'doubleHash', prevent_singularity: true } : { type: 'blakeHash' },
    missingValue: { sentinel: '' },
  });
  return {
    version: 3,
    clkConfig: { l, xor_folds: folds, kdf: { type: 'HKDF', salt: 'c2FsdA==', keySize: 64 } },
    features: [
      { identifier: 'id', ignored: true },
      {
        identifier: 'name',
        format: { type: 'string' },
        hashing: hashing({ type: 'ngram', n: 2 }, { bitsPerToken: 20 }),
      },
      {
        identifier: 'dob',
        format: { type: 'date', format: '%Y-%m-%d' },
        hashing: hashing({ type: 'ngram', n: 1, positional: true }, { bitsPerFeature: 100 }),
      },
      {
        identifier: 'age',
        format: { type: 'integer', minimum: 0 },
        hashing: hashing({ type: 'numeric', thresholdDistance: 2, resolution: 2 }, { bitsPerToken: 5 }),
      },
    ],
  };
}

const date = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const record = fc.tuple(
  fc.string({ maxLength: 4 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.oneof(date, fc.constant('')),
  fc.oneof(fc.nat(150).map(String), fc.constant('')),
);
// Any secret, short ones included: these properties are about the encoder, not the secret check.
const secret = fc.string({ minLength: 1, maxLength: 40 });
const anySecret = { allowWeakSecret: true } as const;
const geometry = fc.record({
  log2l: fc.integer({ min: 6, max: 12 }),
  folds: fc.integer({ min: 0, max: 3 }),
  hash: fc.constantFrom<'blakeHash' | 'doubleHash'>('blakeHash', 'doubleHash'),
});

describe('clkhash encoder properties', () => {
  it('is deterministic, cache or no cache, and returns l/8 bytes after folding', () => {
    fc.assert(
      fc.property(
        geometry,
        secret,
        fc.array(record, { minLength: 1, maxLength: 8 }),
        ({ log2l, folds, hash }, key, rows) => {
          const schema = parseClkhashSchema(schemaJson(2 ** log2l, folds, hash));
          const a = createClkEncoder(schema, key, anySecret);
          const b = createClkEncoder(schema, key, { ...anySecret, tokenCacheSize: 0 });
          for (const row of [...rows, ...rows]) {
            const x = a.encode(row);
            expect(x).toHaveLength(2 ** log2l / 8);
            expect(b.encode(row)).toEqual(x);
          }
          a.dispose();
          b.dispose();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('writes the base64 of encode() in place (encodeBase64Into), folded in place or not, cache or no cache', () => {
    // doubleHash takes any l: l a multiple of 8 folds in place, any other l through foldXor.
    const shape = fc.record({
      l: fc.oneof(
        fc.integer({ min: 2, max: 80 }).map((k) => 8 * k),
        fc.integer({ min: 9, max: 700 }),
      ),
      folds: fc.integer({ min: 0, max: 2 }),
      cache: fc.boolean(),
    });
    fc.assert(
      fc.property(
        shape,
        secret,
        fc.array(record, { minLength: 1, maxLength: 6 }),
        ({ l, folds, cache }, key, rows) => {
          const schema = parseClkhashSchema(schemaJson(l, folds, 'doubleHash'));
          const enc = createClkEncoder(schema, key, {
            ...anySecret,
            ...(cache ? {} : { tokenCacheSize: 0 }),
          });
          const out = new Uint8Array(2 + rows.length * enc.base64Length);
          let o = 1;
          const want: string[] = [];
          for (const row of rows) {
            const start = o;
            o = enc.encodeBase64Into(row, out, o);
            expect(o - start).toBe(enc.base64Length);
            want.push(clkToBase64(enc.encode(row)));
          }
          expect(new TextDecoder().decode(out.subarray(1, o))).toBe(want.join(''));
          enc.dispose();
        },
      ),
      { numRuns: 80 },
    );
  });

  it('depends on the key: another secret changes every non-empty encoding', () => {
    fc.assert(
      fc.property(
        secret,
        secret,
        record,
        fc.constantFrom<'blakeHash' | 'doubleHash'>('blakeHash', 'doubleHash'),
        (k1, k2, row, hash) => {
          fc.pre(k1 !== k2 && (row[1] !== '' || row[2] !== '' || row[3] !== ''));
          const schema = parseClkhashSchema(schemaJson(1024, 0, hash));
          const a = createClkEncoder(schema, k1, anySecret);
          const b = createClkEncoder(schema, k2, anySecret);
          expect(a.encode(row)).not.toEqual(b.encode(row));
          a.dispose();
          b.dispose();
        },
      ),
      { numRuns: 100 },
    );
  });

  it('encodes an all-missing record as all zero bits', () => {
    const encoder = createClkEncoder(parseClkhashSchema(schemaJson(512, 1, 'blakeHash')), 'k', anySecret);
    expect(encoder.encode(['x', '', '', ''])).toEqual(new Uint8Array(64));
    encoder.dispose();
  });
});

describe('n-gram tokenizer properties', () => {
  it('yields len + n − 1 grams of n code points for n ≥ 1, and positions 1…', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 4 }),
        (word, n) => {
          const grams = compileTokenizer({ type: 'ngram', n, positional: false })(word)!;
          const len = Array.from(word).length;
          expect(grams).toHaveLength(len + n - 1);
          for (const g of grams) expect(Array.from(g)).toHaveLength(n);
          const positional = compileTokenizer({ type: 'ngram', n, positional: true })(word)!;
          for (const [i, p] of positional.entries()) expect(p).toBe(`${i + 1} ${grams[i]}`);
        },
      ),
    );
  });
});
