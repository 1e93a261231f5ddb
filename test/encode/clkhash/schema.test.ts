// biome-ignore-all lint/suspicious/noExplicitAny: the tests mutate schema documents as free-form JSON.
import { describe, expect, it } from 'vitest';
import { parseClkhashSchema } from '../../../src/encode/clkhash/index.js';
import { BloomlinkError } from '../../../src/errors.js';
import { loadVectors } from './vectors.js';

const vectors = loadVectors();
const caseB = vectors.cases.find((c) => c.name.startsWith('B_'))!;

/** A valid minimal schema to mutate in the tests. */
function base(): Record<string, any> {
  return {
    version: 3,
    clkConfig: { l: 1024, kdf: { type: 'HKDF', salt: 'AAEC', keySize: 64 } },
    features: [
      { identifier: 'id', ignored: true },
      {
        identifier: 'name',
        format: { type: 'string', encoding: 'utf-8' },
        hashing: { comparison: { type: 'ngram', n: 2 }, strategy: { bitsPerToken: 20 } },
      },
    ],
  };
}

function invalid(mutate: (s: Record<string, any>) => void): BloomlinkError {
  const s = base();
  mutate(s);
  try {
    parseClkhashSchema(s);
  } catch (e) {
    expect(e).toBeInstanceOf(BloomlinkError);
    const err = e as BloomlinkError;
    expect(err.code).toBe('SCHEMA_INVALID');
    expect(err.message).not.toContain('\n');
    return err;
  }
  throw new Error('schema was accepted');
}

describe('parseClkhashSchema', () => {
  it('accepts every vectors schema and normalises defaults', () => {
    for (const c of vectors.cases) {
      const s = parseClkhashSchema(c.schema);
      expect(s.features).toHaveLength(6);
      expect(s.kdf.keySize).toBe(64);
      expect(s.kdf.salt).toHaveLength(32);
    }
    const a = parseClkhashSchema(vectors.cases[0]!.schema);
    const first = a.features[1]!;
    expect(first.ignored).toBe(false);
    if (!first.ignored) {
      expect(first.hash).toEqual({ type: 'blakeHash' });
      expect(first.comparison).toEqual({ type: 'ngram', n: 2, positional: false });
      expect(first.missingValue).toEqual({ sentinel: '', replaceWith: '' });
    }
  });

  it('records xorFolds as declared but folds by xor_folds, as clkhash 0.18 does', () => {
    const b = parseClkhashSchema(caseB.schema);
    expect(b.declaredXorFolds).toBe(1);
    expect(b.xorFolds).toBe(0);
    const s = base();
    s.clkConfig.xor_folds = 2;
    expect(parseClkhashSchema(s).xorFolds).toBe(2);
  });

  it('keeps the validated document for sharing', () => {
    const s = parseClkhashSchema(vectors.cases[2]!.schema);
    expect(JSON.parse(JSON.stringify(s.document))).toEqual(vectors.cases[2]!.schema);
  });

  it('defaults kdf hash to SHA256, keySize to 64 and hash to blakeHash', () => {
    const s = base();
    delete s.clkConfig.kdf.keySize;
    delete s.clkConfig.kdf.salt;
    const parsed = parseClkhashSchema(s);
    expect(parsed.kdf).toEqual({
      type: 'HKDF',
      hash: 'SHA256',
      salt: undefined,
      info: undefined,
      keySize: 64,
    });
  });

  it.each([
    ['a non-object', (s: any) => Object.assign(s, { version: 2 }), 'version'],
    ['a missing l', (s: any) => delete s.clkConfig.l, 'clkConfig.l'],
    ['l not a power of two with blakeHash', (s: any) => (s.clkConfig.l = 1000), 'clkConfig.l'],
    ['a huge filter', (s: any) => (s.clkConfig.l = 2 ** 25), 'clkConfig.l'],
    ['a kdf other than HKDF', (s: any) => (s.clkConfig.kdf.type = 'legacy'), 'clkConfig.kdf.type'],
    ['a bad salt', (s: any) => (s.clkConfig.kdf.salt = 'not base64!'), 'clkConfig.kdf.salt'],
    ['a blake key over 64 bytes', (s: any) => (s.clkConfig.kdf.keySize = 65), 'clkConfig.kdf.keySize'],
    [
      'too many HKDF bytes',
      (s: any) => {
        s.clkConfig.kdf.keySize = 4000;
        s.features[1].hashing.hash = { type: 'doubleHash' };
      },
      'clkConfig.kdf.keySize',
    ],
    [
      'both strategies',
      (s: any) => (s.features[1].hashing.strategy.bitsPerFeature = 100),
      'features[1].hashing.strategy',
    ],
    ['no strategy', (s: any) => (s.features[1].hashing.strategy = {}), 'features[1].hashing.strategy'],
    [
      'zero bits',
      (s: any) => (s.features[1].hashing.strategy = { bitsPerToken: 0 }),
      'features[1].hashing.strategy.bitsPerToken',
    ],
    [
      'an unknown comparison',
      (s: any) => (s.features[1].hashing.comparison = { type: 'soundex' }),
      'features[1].hashing.comparison.type',
    ],
    [
      'a negative n',
      (s: any) => (s.features[1].hashing.comparison.n = -1),
      'features[1].hashing.comparison.n',
    ],
    [
      'prevent_singularity on blakeHash',
      (s: any) => (s.features[1].hashing.hash = { type: 'blakeHash', prevent_singularity: true }),
      'features[1].hashing.hash',
    ],
    ['an unknown format key', (s: any) => (s.features[1].format.colour = 'red'), 'features[1].format'],
    [
      'an unknown encoding',
      (s: any) => (s.features[1].format.encoding = 'latin-1'),
      'features[1].format.encoding',
    ],
    [
      'a pattern with case',
      (s: any) => Object.assign(s.features[1].format, { pattern: 'a+', case: 'upper' }),
      'features[1].format',
    ],
    [
      'a pattern Python rejects',
      (s: any) => (s.features[1].format.pattern = '[5-9'),
      'features[1].format.pattern',
    ],
    [
      'a verbose-mode pattern',
      (s: any) => (s.features[1].format.pattern = '(?x) a b'),
      'features[1].format.pattern',
    ],
    [
      'a bad date directive',
      (s: any) => (s.features[1].format = { type: 'date', format: '%Y-%q' }),
      'features[1].format.format',
    ],
    [
      'a time-zone date directive',
      (s: any) => (s.features[1].format = { type: 'date', format: '%Y %z' }),
      'features[1].format.format',
    ],
    [
      'a repeated date directive',
      (s: any) => (s.features[1].format = { type: 'date', format: '%d %d' }),
      'features[1].format.format',
    ],
    [
      'a numeric threshold below precision',
      (s: any) => {
        s.features[1].hashing.comparison = { type: 'numeric', thresholdDistance: 0.1, resolution: 2 };
      },
      'features[1].hashing.comparison',
    ],
    [
      'an unencodable replaceWith',
      (s: any) => {
        s.features[1].format.encoding = 'ascii';
        s.features[1].hashing.missingValue = { sentinel: '', replaceWith: 'Ø' };
      },
      'features[1].hashing.missingValue',
    ],
    ['no hashed feature', (s: any) => s.features.splice(1, 1), 'features'],
    ['a feature without identifier', (s: any) => delete s.features[1].identifier, 'features[1].identifier'],
  ])('rejects %s with SCHEMA_INVALID naming %s', (_name, mutate, path) => {
    expect(invalid(mutate).message).toContain(`at ${path}:`);
  });

  it('rejects non-objects', () => {
    for (const bad of [null, 3, 'schema', []]) {
      expect(() => parseClkhashSchema(bad)).toThrowError(BloomlinkError);
    }
  });
});
