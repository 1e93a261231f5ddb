/**
 * The clkhash linkage schema v3 as this library uses it: {@link parseClkhashSchema} validates a
 * JSON document with zod, then checks everything clkhash would only discover while encoding
 * (date formats, patterns, filter size, key sizes), so that a schema either works for every
 * record or is refused up front with `SCHEMA_INVALID` naming the path.
 */
import type * as z from 'zod';
import { BloomlinkError } from '../../errors.js';
import { decodeBase64 } from './base64.js';
import { compilePythonFullmatch } from './python-regex.js';
import { pyRound } from './python-text.js';
import {
  type ClkhashFeatureJson,
  type ClkhashSchemaJson,
  hashedFeatureJson,
  ignoredFeatureJson,
  schemaJson,
} from './schema-json.js';
import { compileStrptime } from './strptime.js';
import { type ClkhashTextEncoding, canEncode } from './text-encoding.js';

/**
 * Largest filter (before folding) accepted, in bits: 2 MiB per record is already far beyond use.
 *
 * @example
 * ```ts
 * if (l > MAX_FILTER_BITS) throw new RangeError('filter too large');
 * ```
 */
export const MAX_FILTER_BITS = 2 ** 24;

/**
 * Value format of a hashed feature; values are validated against it as clkhash does.
 *
 * @example
 * ```ts
 * const f: ClkhashFormat = { type: 'date', format: '%Y/%m/%d' };
 * ```
 */
export type ClkhashFormat =
  | {
      readonly type: 'string';
      readonly case: 'upper' | 'lower' | 'mixed';
      readonly minLength: number | undefined;
      readonly maxLength: number | undefined;
      /** Python regular expression every value must match in full. */
      readonly pattern: string | undefined;
    }
  | { readonly type: 'integer'; readonly minimum: number | undefined; readonly maximum: number | undefined }
  | { readonly type: 'date'; readonly format: string }
  | { readonly type: 'enum'; readonly values: readonly string[] };

/**
 * How a formatted value becomes tokens.
 *
 * @example
 * ```ts
 * const c: ClkhashComparison = { type: 'ngram', n: 2, positional: false };
 * ```
 */
export type ClkhashComparison =
  | { readonly type: 'ngram'; readonly n: number; readonly positional: boolean }
  | { readonly type: 'exact' }
  | {
      readonly type: 'numeric';
      readonly thresholdDistance: number;
      readonly resolution: number;
      readonly fractionalPrecision: number;
    };

/**
 * How many bits each token sets: a fixed number per token, or a budget per feature value shared
 * between its tokens (the first `budget % tokens` tokens get one more).
 *
 * @example
 * ```ts
 * const s: ClkhashStrategy = { kind: 'bitsPerFeature', bits: 200 };
 * ```
 */
export interface ClkhashStrategy {
  readonly kind: 'bitsPerToken' | 'bitsPerFeature';
  readonly bits: number;
}

/**
 * The hash family: keyed BLAKE2b, or HMAC-SHA1/HMAC-MD5 double hashing.
 *
 * @example
 * ```ts
 * const h: ClkhashHash = { type: 'doubleHash', preventSingularity: true };
 * ```
 */
export type ClkhashHash = { readonly type: 'blakeHash' } | { readonly type: 'doubleHash'; readonly preventSingularity: boolean };

/**
 * A column that takes no part in the encoding (it still counts for key derivation).
 *
 * @example
 * ```ts
 * const f: ClkhashIgnoredFeature = { identifier: 'id', ignored: true };
 * ```
 */
export interface ClkhashIgnoredFeature {
  readonly identifier: string;
  readonly ignored: true;
}

/**
 * A column that is validated, tokenised and hashed into the filter.
 *
 * @example
 * ```ts
 * if (!feature.ignored) console.log(feature.identifier, feature.comparison.type);
 * ```
 */
export interface ClkhashHashedFeature {
  readonly identifier: string;
  readonly ignored: false;
  /** Text encoding of tokens before hashing (`utf-8` unless a string format says otherwise). */
  readonly encoding: ClkhashTextEncoding;
  readonly format: ClkhashFormat;
  readonly comparison: ClkhashComparison;
  readonly strategy: ClkhashStrategy;
  readonly hash: ClkhashHash;
  /** A value equal to `sentinel` is not validated and is hashed as `replaceWith` (default: itself). */
  readonly missingValue: { readonly sentinel: string; readonly replaceWith: string } | undefined;
}

/**
 * One entry of {@link ClkhashSchema.features}.
 *
 * @example
 * ```ts
 * const hashed = schema.features.filter((f): f is ClkhashHashedFeature => !f.ignored);
 * ```
 */
export type ClkhashFeature = ClkhashIgnoredFeature | ClkhashHashedFeature;

/**
 * A parsed, checked linkage schema v3.
 *
 * @example
 * ```ts
 * const schema = parseClkhashSchema(JSON.parse(text));
 * console.log(schema.l, schema.features.length);
 * ```
 */
export interface ClkhashSchema {
  readonly version: 3;
  /** Length of an encoding in bits, after XOR folding. */
  readonly l: number;
  /**
   * XOR folds clkhash 0.18 applies: the value of `clkConfig.xor_folds` (default 0). clkhash reads
   * that snake-case key only, so a schema that says `"xorFolds": 1` is encoded unfolded.
   */
  readonly xorFolds: number;
  /** `clkConfig.xorFolds` as written (documented by clkhash, ignored by clkhash 0.18). */
  readonly declaredXorFolds: number | undefined;
  readonly kdf: {
    readonly type: 'HKDF';
    readonly hash: 'SHA256' | 'SHA512';
    readonly salt: Uint8Array | undefined;
    readonly info: Uint8Array | undefined;
    /** Bytes per derived key; each feature, ignored or not, gets two. */
    readonly keySize: number;
  };
  readonly features: readonly ClkhashFeature[];
  /** The validated document, for sharing it with the other party or fingerprinting it. */
  readonly document: ClkhashSchemaJson;
}

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
  const issue = r.error.issues[0]!;
  const message = /received undefined$/.test(issue.message) ? 'required but missing' : issue.message.replace(/\s+/g, ' ');
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
    format = { type: 'string', case: f.case ?? 'mixed', minLength: f.minLength, maxLength: f.maxLength, pattern: f.pattern };
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
    if (pyRound(c.thresholdDistance * 10 ** fractionalPrecision) === 0) {
      fail([...path, 'hashing', 'comparison'], 'not enough fractional precision to encode thresholdDistance');
    }
    comparison = { type: 'numeric', thresholdDistance: c.thresholdDistance, resolution: c.resolution, fractionalPrecision };
  }

  const s = h.strategy;
  const strategy: ClkhashStrategy =
    s.bitsPerToken !== undefined ? { kind: 'bitsPerToken', bits: s.bitsPerToken } : { kind: 'bitsPerFeature', bits: s.bitsPerFeature! };
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
  return { identifier: json.identifier, ignored: false, encoding, format, comparison, strategy, hash, missingValue };
}

/**
 * Validates a clkhash linkage schema v3 document (already parsed from JSON) and returns the
 * normalised schema. Any problem throws `BloomlinkError('SCHEMA_INVALID')` with a one-line message
 * naming the path (e.g. `features[3].hashing.strategy`).
 *
 * @example
 * ```ts
 * import { parseClkhashSchema } from 'bloomlink/encode';
 * const schema = parseClkhashSchema(JSON.parse(await file.text()));
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
  if (filterBits > MAX_FILTER_BITS) fail(['clkConfig', 'l'], `the filter before folding exceeds ${MAX_FILTER_BITS} bits`);
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
    fail(['clkConfig', 'kdf', 'keySize'], `HKDF-${hash} cannot derive ${parsed.length * 2} keys of ${keySize} bytes`);
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
