/**
 * The clkhash-compatible CLK encoder: with the same linkage schema v3 and secret it produces the
 * bytes clkhash 0.18.3's `generate_clks` produces (`bitarray.tobytes()` of each filter), record
 * for record. Keys are derived once; per feature, token → bit-index results are cached because
 * names and dates repeat.
 */
import { BloomlinkError } from '../../errors.js';
import { at } from '../../util/defined.js';
import { weakKeyReason } from '../key.js';
import { base64Into } from './base64.js';
import { BlakeHasher } from './blake-hasher.js';
import { DoubleHasher } from './double-hasher.js';
import { foldXor } from './filter.js';
import { compileFormatter, type Formatter } from './formats.js';
import { deriveClkhashKeys } from './kdf.js';
import { isWellFormedText } from './python-text.js';
import type { ClkhashHashedFeature, ClkhashSchema } from './schema-types.js';
import { compileTokenizer, type Tokenizer } from './tokenize.js';
import { ValueCache } from './value-cache.js';

/**
 * Options of {@link createClkEncoder}.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const schema = parseClkhashSchema(JSON.parse(readFileSync('schema.json', 'utf8')));
 * const encoder = createClkEncoder(schema, 'shared secret of 16+ bytes', { tokenCacheSize: 0 }); // no caching
 * ```
 */
export interface ClkEncoderOptions {
  /**
   * Cached tokens, and cached whole values, per feature and cache generation (at most twice this
   * of each are held); 0 disables both. Memory grows with it: at the default (32,768) the whole
   * values alone take at most 2 × 32,768 × (64 + 4 × filter words) bytes a feature and thread —
   * ≈ 12 MiB at 1,024-bit filters, ≈ 36 MiB at 4,096 — beside the tokens' cache.
   */
  readonly tokenCacheSize?: number;
  /**
   * Accept a secret under {@link MIN_CLKHASH_SECRET_BYTES} bytes or one too regular to be random
   * (`KEY_WEAK`'s rule), e.g. to reproduce clkhash test vectors. Off by default.
   */
  readonly allowWeakSecret?: boolean;
}

/**
 * The shortest clkhash secret accepted without `allowWeakSecret` (CLI: `--allow-weak-secret`):
 * 16 bytes of UTF-8, the length of the smallest bloomlink key.
 * @example
 * ```ts
 * const secret = 'shared secret of 16+ bytes';
 * if (new TextEncoder().encode(secret).length < MIN_CLKHASH_SECRET_BYTES) console.warn('short secret');
 * ```
 */
export const MIN_CLKHASH_SECRET_BYTES = 16;

/**
 * Encodes records into clkhash-identical CLKs. Holds key-derived material until `dispose()`.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const schema = parseClkhashSchema(JSON.parse(readFileSync('schema.json', 'utf8')));
 * const encoder: ClkEncoder = createClkEncoder(schema, 'shared secret of 16+ bytes');
 * try {
 *   const clk = encoder.encode(['17', 'ROBERT', 'GARCIA', '1987/06/21', 'M', '37'], 2);
 * } finally {
 *   encoder.dispose();
 * }
 * ```
 */
export interface ClkEncoder {
  /** Length of each encoding in bits (`clkConfig.l`); `encode` returns ⌈bits / 8⌉ bytes. */
  readonly bits: number;
  /** The schema this encoder follows. */
  readonly schema: ClkhashSchema;
  /**
   * Encodes one record: values in schema feature order, as strings, exactly as clkhash would
   * read them (no trimming or case folding). `line` names the record in errors. Throws
   * `BloomlinkError('INPUT_INVALID')` for a value clkhash would reject, naming line and feature.
   */
  encode(record: readonly string[], line?: number): Uint8Array;
  /**
   * Encodes one record as `encode` does and writes its CLK's base64 text as ASCII bytes into
   * `out` from `offset` (`base64Length` bytes; `clkToBase64(encode(record))` as bytes), returning
   * the offset after them: no allocation per record, for writers of many CLKs (the CLI, the workers).
   */
  encodeBase64Into(record: readonly string[], out: Uint8Array, offset: number, line?: number): number;
  /** Bytes of one CLK's base64 text: 4·⌈bytes / 3⌉. */
  readonly base64Length: number;
  /** Wipes derived keys and cached key-derived results; the encoder is unusable afterwards. */
  dispose(): void;
}

type Hasher = BlakeHasher | DoubleHasher;

interface FeaturePlan {
  readonly column: number;
  readonly identifier: string;
  readonly missing: ClkhashHashedFeature['missingValue'];
  readonly format: Formatter;
  readonly tokenize: Tokenizer;
  readonly bitsPerToken: number | undefined;
  readonly bitsPerFeature: number;
  readonly hasher: Hasher;
  /** Whole values → the bits they set (absent when caching is off). */
  readonly values: ValueCache | undefined;
}

const DEFAULT_CACHE = 1 << 15;
const utf8 = new TextEncoder();

function secretBytes(secret: string | Uint8Array): { bytes: Uint8Array; owned: boolean } {
  if (typeof secret === 'string') {
    if (!isWellFormedText(secret))
      throw new BloomlinkError('KEY_UNREADABLE', 'the clkhash secret is not valid Unicode text');
    return { bytes: utf8.encode(secret), owned: true };
  }
  if (secret instanceof Uint8Array) return { bytes: secret, owned: false };
  throw new TypeError('secret must be a string or a Uint8Array');
}

function checkSecret(bytes: Uint8Array): void {
  const hint =
    "make one with 'bloomlink keygen', or accept it with --allow-weak-secret (API: allowWeakSecret)";
  if (bytes.length < MIN_CLKHASH_SECRET_BYTES)
    throw new BloomlinkError(
      'KEY_TOO_SHORT',
      `the clkhash secret is ${bytes.length} bytes; at least ${MIN_CLKHASH_SECRET_BYTES} are required: ${hint}`,
    );
  const reason = weakKeyReason(bytes);
  if (reason !== undefined)
    throw new BloomlinkError('KEY_WEAK', `the clkhash secret is not random (${reason}): ${hint}`);
}

function where(line: number | undefined): string {
  return line === undefined ? 'a record' : `the record at line ${line}`;
}

/**
 * Bytes of the base64 text of one CLK of `bits` bits: 4·⌈⌈bits / 8⌉ / 3⌉ (`ClkEncoder.base64Length`).
 * @example
 * ```ts
 * const room = clkBase64Length(schema.l) + 3; // one CLK, quoted, and a comma
 * ```
 */
export function clkBase64Length(bits: number): number {
  return 4 * Math.ceil(Math.ceil(bits / 8) / 3);
}

/**
 * Writes the record's CLK as one element of the JSON array of CLKs into `out` at `offset`: a comma
 * first unless `first`, then the base64 text in quotes (`encoder.base64Length + 3` bytes at most).
 * Returns the offset after it.
 * @example
 * ```ts
 * let o = 0;
 * for (const [k, r] of records.entries()) o = writeQuotedClk(encoder, r, out, o, k === 0, k + 2);
 * ```
 */
export function writeQuotedClk(
  encoder: ClkEncoder,
  record: readonly string[],
  out: Uint8Array,
  offset: number,
  first: boolean,
  line?: number,
): number {
  let o = offset;
  if (!first) out[o++] = 0x2c; // ,
  out[o++] = 0x22; // "
  o = encoder.encodeBase64Into(record, out, o, line);
  out[o++] = 0x22;
  return o;
}

/**
 * The error for a record with `values` values where the schema has `width` features (clkhash
 * refuses it): `INPUT_INVALID`, naming the line, never a value.
 * @example
 * ```ts
 * if (record.length !== schema.features.length) throw recordWidthError(7, record.length, schema.features.length);
 * ```
 */
export function recordWidthError(line: number | undefined, values: number, width: number): BloomlinkError {
  return new BloomlinkError(
    'INPUT_INVALID',
    `clkhash encoding failed: ${where(line)} has ${values} values, the schema has ${width} features`,
  );
}

/**
 * Creates an encoder for a parsed schema and the shared secret (a string is UTF-8 encoded, as
 * clkhash does; bytes are used as given and not modified). HKDF runs once here; the secret copy
 * made from a string is wiped right after.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { createClkEncoder, parseClkhashSchema, clkToBase64 } from 'bloomlink/encode';
 * const schemaJson: unknown = JSON.parse(readFileSync('schema.json', 'utf8'));
 * const encoder = createClkEncoder(parseClkhashSchema(schemaJson), 'shared secret of 16+ bytes');
 * // One record: the values in the order of the schema's features; line 2 names it in errors.
 * const b64 = clkToBase64(encoder.encode(['17', 'ROBERT', 'GARCIA', '1987/06/21', 'M', '37'], 2));
 * encoder.dispose();
 * ```
 */
export function createClkEncoder(
  schema: ClkhashSchema,
  secret: string | Uint8Array,
  options: ClkEncoderOptions = {},
): ClkEncoder {
  if (
    schema === null ||
    typeof schema !== 'object' ||
    schema.version !== 3 ||
    !Array.isArray(schema.features)
  ) {
    throw new TypeError('schema must come from parseClkhashSchema');
  }
  const cacheSize = options.tokenCacheSize ?? DEFAULT_CACHE;
  if (!Number.isInteger(cacheSize) || cacheSize < 0)
    throw new RangeError('tokenCacheSize must be a non-negative integer');
  const { bytes, owned } = secretBytes(secret);
  if (bytes.length === 0) throw new BloomlinkError('KEY_MISSING', 'the clkhash secret is empty');
  if (options.allowWeakSecret !== true) {
    try {
      checkSecret(bytes);
    } catch (e) {
      if (owned) bytes.fill(0);
      throw e;
    }
  }

  const filterBits = schema.l * 2 ** schema.xorFolds;
  // The filter as whole 32-bit words (its last word padded with bits that are never set).
  const words = Math.ceil(filterBits / 32);
  const pairs = deriveClkhashKeys(bytes, schema);
  if (owned) bytes.fill(0);
  const plans: FeaturePlan[] = [];
  try {
    schema.features.forEach((feature, column) => {
      if (feature.ignored) return;
      const [k1, k2] = at(pairs, column);
      const hasher =
        feature.hash.type === 'blakeHash'
          ? new BlakeHasher(k1, filterBits, feature.encoding, cacheSize)
          : new DoubleHasher(
              k1,
              k2,
              filterBits,
              feature.hash.preventSingularity,
              feature.encoding,
              cacheSize,
            );
      plans.push({
        column,
        identifier: feature.identifier,
        missing: feature.missingValue,
        format: compileFormatter(feature),
        tokenize: compileTokenizer(feature.comparison),
        bitsPerToken: feature.strategy.kind === 'bitsPerToken' ? feature.strategy.bits : undefined,
        bitsPerFeature: feature.strategy.bits,
        hasher,
        // As many entries as the token cache: at half (16,384 a generation) the 35k dates of a
        // century missed a third of their look-ups, each a formatting, tokens and token-cache
        // look-ups; at this size they stay (docs/scaling.md, clkhash round six).
        values: cacheSize > 0 ? new ValueCache(cacheSize, words) : undefined,
      });
    });
  } finally {
    for (const [k1, k2] of pairs) {
      k1.fill(0);
      k2.fill(0);
    }
  }

  const width = schema.features.length;
  const filterBytes = Math.ceil(filterBits / 8);
  let disposed = false;

  const reject = (line: number | undefined, plan: FeaturePlan, reason: string): BloomlinkError =>
    new BloomlinkError(
      'INPUT_INVALID',
      `clkhash encoding failed: ${where(line)}, feature "${plan.identifier}" (column ${plan.column + 1}): ${reason}`,
    );

  /** Sets the bits of one value of the record's `plan` feature in `filter`. */
  const insertValue = (
    plan: FeaturePlan,
    raw: string,
    line: number | undefined,
    filter: Uint8Array,
  ): void => {
    let text: string;
    if (plan.missing !== undefined && raw === plan.missing.sentinel) text = plan.missing.replaceWith;
    else {
      const formatted = plan.format(raw);
      if (typeof formatted !== 'string') throw reject(line, plan, formatted.invalid);
      text = formatted;
    }
    const tokens = plan.tokenize(text);
    if (tokens === undefined) throw reject(line, plan, 'not a number');
    const n = tokens.length;
    if (plan.bitsPerToken !== undefined) {
      for (let i = 0; i < n; i++) plan.hasher.insert(filter, at(tokens, i), plan.bitsPerToken);
    } else if (n > 0) {
      // clkhash's BitsPerFeatureStrategy: the first (budget mod n) tokens get one bit more.
      const base = Math.floor(plan.bitsPerFeature / n);
      const extra = plan.bitsPerFeature % n;
      for (let i = 0; i < n; i++) plan.hasher.insert(filter, at(tokens, i), i < extra ? base + 1 : base);
    }
  };

  // A value's pattern is built here before it is cached (bytes and words of one buffer).
  const patternBytes = new Uint8Array(4 * words);
  const pattern = new Int32Array(patternBytes.buffer);

  /**
   * Sets the record's bits in `filter` (zeroed, unfolded, `4 · words` bytes; `filter32` its words):
   * a cached value's pattern is ORed in, any other value's bits are set token by token.
   */
  const fill = (
    record: readonly string[],
    line: number | undefined,
    filter: Uint8Array,
    filter32: Int32Array,
  ): void => {
    if (disposed) throw new TypeError('this clkhash encoder has been disposed');
    if (!Array.isArray(record)) throw new TypeError('record must be an array of strings');
    if (record.length !== width) throw recordWidthError(line, record.length, width);
    for (const plan of plans) {
      const raw = record[plan.column];
      if (typeof raw !== 'string') throw new TypeError(`record value ${plan.column} must be a string`);
      const values = plan.values;
      if (values === undefined) {
        insertValue(plan, raw, line, filter);
        continue;
      }
      let from = values.find(raw);
      if (from < 0) {
        // One call for a value to cache (its bits go into its pattern, then from there into the
        // filter) and for one that is not (straight into the filter): a second call site, first
        // run when a feature's cache starts being skipped, would have no type feedback yet and
        // throw the compiled encoder away.
        const caching = values.wants(raw);
        if (caching) patternBytes.fill(0);
        insertValue(plan, raw, line, caching ? patternBytes : filter);
        if (!caching) continue;
        from = values.store(raw, pattern);
      }
      const pool = values.pool;
      for (let i = 0; i < words; i++) filter32[i] = (filter32[i] as number) | (pool[from + i] as number);
    }
  };

  // One filter reused by encode and encodeBase64Into, folded in place when its halves are whole bytes.
  const scratch = new Uint8Array(4 * words);
  const scratch32 = new Int32Array(scratch.buffer);

  const encode = (record: readonly string[], line?: number): Uint8Array => {
    scratch.fill(0);
    fill(record, line, scratch, scratch32);
    const filter = scratch.slice(0, filterBytes);
    return schema.xorFolds === 0 ? filter : foldXor(filter, filterBits, schema.xorFolds);
  };

  const clkBytes = Math.ceil(schema.l / 8);
  const inPlaceFold = schema.xorFolds === 0 || (filterBits / 2 ** schema.xorFolds) % 8 === 0;
  const encodeBase64Into = (
    record: readonly string[],
    out: Uint8Array,
    offset: number,
    line?: number,
  ): number => {
    scratch.fill(0);
    fill(record, line, scratch, scratch32);
    if (inPlaceFold) {
      for (let f = 0, half = filterBytes >> 1; f < schema.xorFolds; f++, half >>= 1)
        for (let i = 0; i < half; i++) scratch[i] = at(scratch, i) ^ at(scratch, i + half);
      return base64Into(scratch, clkBytes, out, offset);
    }
    const folded = foldXor(scratch, filterBits, schema.xorFolds);
    return base64Into(folded, folded.length, out, offset);
  };

  return {
    bits: schema.l,
    schema,
    encode,
    encodeBase64Into,
    base64Length: clkBase64Length(schema.l),
    dispose(): void {
      if (disposed) return;
      disposed = true;
      for (const plan of plans) {
        plan.hasher.dispose();
        plan.values?.clear();
      }
      scratch.fill(0);
      patternBytes.fill(0);
    },
  };
}
