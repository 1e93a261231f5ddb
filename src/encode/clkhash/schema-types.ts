/**
 * Types of a parsed clkhash linkage schema v3 ({@link ClkhashSchema}), as produced by
 * `parseClkhashSchema`: the JSON document's settings with clkhash's defaults applied and the
 * base64 KDF inputs decoded.
 */
import type { ClkhashSchemaJson } from './schema-json.js';
import type { ClkhashTextEncoding } from './text-encoding.js';

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
export type ClkhashHash =
  | { readonly type: 'blakeHash' }
  | { readonly type: 'doubleHash'; readonly preventSingularity: boolean };

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
 * import { readFileSync } from 'node:fs';
 * const schema = parseClkhashSchema(JSON.parse(readFileSync('schema.json', 'utf8')));
 * for (const feature of schema.features)
 *   if (!feature.ignored) console.log(feature.identifier, feature.comparison.type);
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
 * import { readFileSync } from 'node:fs';
 * const schema = parseClkhashSchema(JSON.parse(readFileSync('schema.json', 'utf8')));
 * const features: readonly ClkhashFeature[] = schema.features;
 * const hashed = features.filter((f): f is ClkhashHashedFeature => !f.ignored);
 * ```
 */
export type ClkhashFeature = ClkhashIgnoredFeature | ClkhashHashedFeature;

/**
 * A parsed, checked linkage schema v3.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const schema: ClkhashSchema = parseClkhashSchema(JSON.parse(readFileSync('schema.json', 'utf8')));
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
