/**
 * The clkhash linkage schema v3 as this library uses it: {@link parseClkhashSchema} validates a
 * JSON document with zod, then checks everything clkhash would only discover while encoding
 * (date formats, patterns, filter size, key sizes), so that a schema either works for every
 * record or is refused up front with `SCHEMA_INVALID` naming the path.
 */
import type * as z from 'zod';
import { BloomlinkError } from '../../errors.js';
import { at, defined } from '../../util/defined.js';
import { decodeBase64 } from './base64.js';
import { compilePythonFullmatch } from './python-regex.js';
import { pyRound } from './python-text.js';
import { type ClkhashFeatureJson, hashedFeatureJson, ignoredFeatureJson, schemaJson } from './schema-json.js';
import {
  type ClkhashComparison,
  type ClkhashFeature,
  type ClkhashFormat,
  type ClkhashHash,
  type ClkhashHashedFeature,
  type ClkhashSchema,
  type ClkhashStrategy,
  MAX_FILTER_BITS,
} from './schema-types.js';
import { compileStrptime } from './strptime.js';
import { type ClkhashTextEncoding, canEncode } from './text-encoding.js';

type Path = readonly (string | number)[];

function pathText(path: Path): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? '(root)' : out;
}

function fail(path: Path, reason: string): never {
  throw new BloomlinkError('SCHEMA_INVALID', `clkhash schema invalid at ${pathText(path)}: ${reason}`);
}

function check<T>(parser: z.ZodType<T>, value: unknown, base: Path): T {
  const r = parser.safeParse(value);
  if (r.success) return r.data;
  const issue = at(r.error.issues, 0);
  const message = /received undefined$/.test(issue.message)
    ? 'required but missing'
    : issue.message.replace(/\s+/g, ' ');
  return fail([...base, ...(issue.path as (string | number)[])], message);
}

function bytes(text: string | undefined, path: Path): Uint8Array | undefined {
  if (text === undefined) return undefined;
  return decodeBase64(text) ?? fail(path, 'not valid base64');
}

function attempt(path: Path, fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    fail(path, e instanceof RangeError ? e.message : 'invalid');
  }
}

function toFeature(json: ClkhashFeatureJson, path: Path): ClkhashFeature {
  if (json.ignored === true) return { identifier: json.identifier, ignored: true };
  const { format: f, hashing: h } = json as z.output<typeof hashedFeatureJson>;
  let format: ClkhashFormat;
  let encoding: ClkhashTextEncoding = 'utf-8';
  if (f.type === 'string') {
    encoding = f.encoding ?? 'utf-8';
    if (f.pattern !== undefined) {
      if (f.case !== undefined || f.minLength !== undefined || f.maxLength !== undefined) {
        fail([...path, 'format'], 'pattern cannot be combined with case, minLength or maxLength');
      }
      const pattern = f.pattern;
      attempt([...path, 'format', 'pattern'], () => compilePythonFullmatch(pattern));
    }
    format = {
      type: 'string',
      case: f.case ?? 'mixed',
      minLength: f.minLength,
      maxLength: f.maxLength,
      pattern: f.pattern,
    };
  } else if (f.type === 'integer') {
    format = { type: 'integer', minimum: f.minimum, maximum: f.maximum };
  } else if (f.type === 'date') {
    attempt([...path, 'format', 'format'], () => compileStrptime(f.format));
    format = { type: 'date', format: f.format };
  } else {
    format = { type: 'enum', values: [...f.values] };
  }

  const c = h.comparison;
  let comparison: ClkhashComparison;
  if (c.type === 'ngram') comparison = { type: 'ngram', n: c.n, positional: c.positional ?? false };
  else if (c.type === 'exact') comparison = { type: 'exact' };
  else {
    const fractionalPrecision = c.fractional_precision ?? 0;
    if (pyRound(c.thresholdDistance * Number(`1e${fractionalPrecision}`)) === 0) {
      fail([...path, 'hashing', 'comparison'], 'not enough fractional precision to encode thresholdDistance');
    }
    comparison = {
      type: 'numeric',
      thresholdDistance: c.thresholdDistance,
      resolution: c.resolution,
      fractionalPrecision,
    };
  }

  const s = h.strategy;
  const strategy: ClkhashStrategy =
    s.bitsPerToken !== undefined
      ? { kind: 'bitsPerToken', bits: s.bitsPerToken }
      : { kind: 'bitsPerFeature', bits: defined(s.bitsPerFeature, 'strategy.bitsPerFeature') };
  const hash: ClkhashHash =
    h.hash?.type === 'doubleHash'
      ? { type: 'doubleHash', preventSingularity: h.hash.prevent_singularity ?? false }
      : { type: 'blakeHash' };

  let missingValue: ClkhashHashedFeature['missingValue'];
  if (h.missingValue !== undefined) {
    const replaceWith = h.missingValue.replaceWith ?? h.missingValue.sentinel;
    // The replacement is hashed without validation; clkhash would crash on one it cannot encode.
    if (!canEncode(replaceWith, encoding)) {
      fail([...path, 'hashing', 'missingValue'], `the replacement value cannot be encoded as ${encoding}`);
    }
    missingValue = { sentinel: h.missingValue.sentinel, replaceWith };
  }
  return {
    identifier: json.identifier,
    ignored: false,
    encoding,
    format,
    comparison,
    strategy,
    hash,
    missingValue,
  };
}

/**
 * Validates a clkhash linkage schema v3 document (already parsed from JSON) and returns the
 * normalised schema. Any problem throws `BloomlinkError('SCHEMA_INVALID')` with a one-line message
 * naming the path (e.g. `features[3].hashing.strategy`).
 *
 * @example
 * ```ts
 * import { parseClkhashSchema } from 'bloomlink/encode';
 * // In a browser, from <input type="file" id="schema">
 * const file = (document.getElementById('schema') as HTMLInputElement).files?.[0];
 * if (file) console.log(parseClkhashSchema(JSON.parse(await file.text())).l);
 * ```
 */
export function parseClkhashSchema(json: unknown): ClkhashSchema {
  const top = check(schemaJson, json, []);
  const features = top.features.map((raw, i): ClkhashFeatureJson => {
    const parser = raw.ignored === true ? ignoredFeatureJson : hashedFeatureJson;
    return check<ClkhashFeatureJson>(parser, raw, ['features', i]);
  });
  const parsed = features.map((f, i) => toFeature(f, ['features', i]));
  const hashed = parsed.filter((f): f is ClkhashHashedFeature => !f.ignored);
  if (hashed.length === 0) fail(['features'], 'no feature is hashed, every encoding would be empty');

  const cfg = top.clkConfig;
  const xorFolds = cfg.xor_folds ?? 0;
  const filterBits = cfg.l * 2 ** xorFolds;
  if (filterBits > MAX_FILTER_BITS)
    fail(['clkConfig', 'l'], `the filter before folding exceeds ${MAX_FILTER_BITS} bits`);
  if (hashed.some((f) => f.hash.type === 'blakeHash') && (filterBits & (filterBits - 1)) !== 0) {
    fail(['clkConfig', 'l'], 'blakeHash needs l × 2^xor_folds to be a power of two');
  }
  if (filterBits < 2 && hashed.some((f) => f.hash.type === 'doubleHash' && f.hash.preventSingularity)) {
    // Every index is 0 modulo 1, so clkhash's singularity loop would never end.
    fail(['clkConfig', 'l'], 'doubleHash with prevent_singularity needs at least 2 bits');
  }
  const kdf = cfg.kdf;
  const hash = kdf.hash ?? 'SHA256';
  const keySize = kdf.keySize ?? 64;
  if (keySize > 64 && hashed.some((f) => f.hash.type === 'blakeHash')) {
    fail(['clkConfig', 'kdf', 'keySize'], 'blakeHash keys are at most 64 bytes');
  }
  const maxOutput = 255 * (hash === 'SHA256' ? 32 : 64);
  if (parsed.length * 2 * keySize > maxOutput) {
    fail(
      ['clkConfig', 'kdf', 'keySize'],
      `HKDF-${hash} cannot derive ${parsed.length * 2} keys of ${keySize} bytes`,
    );
  }
  return {
    version: 3,
    l: cfg.l,
    xorFolds,
    declaredXorFolds: cfg.xorFolds,
    kdf: {
      type: 'HKDF',
      hash,
      salt: bytes(kdf.salt, ['clkConfig', 'kdf', 'salt']),
      info: bytes(kdf.info, ['clkConfig', 'kdf', 'info']),
      keySize,
    },
    features: parsed,
    document: { ...top, features },
  };
}
