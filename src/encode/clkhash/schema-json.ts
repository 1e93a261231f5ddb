/**
 * zod (v4) model of the clkhash linkage schema v3 JSON document (data61/clkhash
 * `schemas/v3.json` plus the keys clkhash 0.18 actually reads). Objects the master schema closes
 * (`format`, `hashing`) are strict; the others tolerate unknown keys, as clkhash does.
 */
import * as z from 'zod';

const description = z.string().optional();
const count = (min: number) => z.int().min(min);

/** `textFormat` / `textPatternFormat`. */
const stringFormatJson = z.strictObject({
  type: z.literal('string'),
  encoding: z.enum(['ascii', 'utf-8', 'utf-16', 'utf-32']).optional(),
  case: z.enum(['upper', 'lower', 'mixed']).optional(),
  minLength: count(0).optional(),
  maxLength: count(1).optional(),
  pattern: z.string().optional(),
  description,
});

/** `numberFormat` (integers only in v3). */
const integerFormatJson = z.strictObject({
  type: z.literal('integer'),
  minimum: z.int().optional(),
  maximum: z.int().optional(),
  description,
});

/** `dateFormat`: a `strptime` format string. */
const dateFormatJson = z.strictObject({ type: z.literal('date'), format: z.string(), description });

/** `enumFormat`. */
const enumFormatJson = z.strictObject({ type: z.literal('enum'), values: z.array(z.string()), description });

/** Any v3 feature format. */
const formatJson = z.discriminatedUnion('type', [
  stringFormatJson,
  integerFormatJson,
  dateFormatJson,
  enumFormatJson,
]);

/** `comparison`: n-gram, exact or numeric (clkhash reads `fractional_precision` in snake case). */
const comparisonJson = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('ngram'), n: count(0), positional: z.boolean().optional() }),
  z.looseObject({ type: z.literal('exact') }),
  z.looseObject({
    type: z.literal('numeric'),
    thresholdDistance: z.number().positive(),
    resolution: count(1),
    fractional_precision: count(0).optional(),
  }),
]);

/** `strategy`: exactly one of `bitsPerToken` or `bitsPerFeature`. */
const strategyJson = z
  .looseObject({ bitsPerToken: count(1).optional(), bitsPerFeature: count(1).optional() })
  .refine((s) => (s.bitsPerToken === undefined) !== (s.bitsPerFeature === undefined), {
    message: 'give exactly one of bitsPerToken or bitsPerFeature',
  });

/** `hash`: `blakeHash` (default) or `doubleHash` with optional `prevent_singularity`. */
const hashJson = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('blakeHash') }),
  z.looseObject({ type: z.literal('doubleHash'), prevent_singularity: z.boolean().optional() }),
]);

/** `missingValue`: the sentinel string and an optional replacement. */
const missingValueJson = z.looseObject({ sentinel: z.string(), replaceWith: z.string().optional() });

/** `hashingConfig`. */
const hashingJson = z.strictObject({
  comparison: comparisonJson,
  strategy: strategyJson,
  hash: hashJson.optional(),
  missingValue: missingValueJson.optional(),
});

/**
 * `ignoreFeature`: a column clkhash skips.
 *
 * @example
 * ```ts
 * ignoredFeatureJson.parse({ identifier: 'id', ignored: true });
 * ```
 */
export const ignoredFeatureJson = z.looseObject({
  identifier: z.string(),
  ignored: z.literal(true),
  description,
});

/**
 * `featureConfig`: a column that is validated, tokenised and hashed.
 *
 * @example
 * ```ts
 * hashedFeatureJson.parse({
 *   identifier: 'sex',
 *   format: { type: 'enum', values: ['M', 'F'] },
 *   hashing: { comparison: { type: 'exact' }, strategy: { bitsPerToken: 40 } },
 * });
 * ```
 */
export const hashedFeatureJson = z.looseObject({
  identifier: z.string(),
  ignored: z.literal(false).optional(),
  description,
  format: formatJson,
  hashing: hashingJson,
});

/** HKDF settings; `salt` and `info` are base64 text. */
const kdfJson = z.looseObject({
  type: z.literal('HKDF'),
  hash: z.enum(['SHA256', 'SHA512']).optional(),
  salt: z.string().optional(),
  info: z.string().optional(),
  keySize: count(1).optional(),
});

/**
 * `clkConfig`. The documented `xorFolds` key is accepted but clkhash 0.18 never reads it; it folds
 * by `xor_folds`.
 */
const clkConfigJson = z.looseObject({
  l: count(1),
  kdf: kdfJson,
  xorFolds: count(0).optional(),
  xor_folds: count(0).optional(),
});

/**
 * The document's top level; each feature is then checked with {@link ignoredFeatureJson} or
 * {@link hashedFeatureJson} so that errors name the exact path.
 *
 * @example
 * ```ts
 * const top = schemaJson.safeParse(JSON.parse(text));
 * ```
 */
export const schemaJson = z.looseObject({
  version: z.literal(3, { error: 'only linkage schema version 3 is supported' }),
  clkConfig: clkConfigJson,
  features: z.array(z.looseObject({ identifier: z.string(), ignored: z.boolean().optional() })).min(1),
});

/**
 * A validated feature entry of the document.
 *
 * @example
 * ```ts
 * const f: ClkhashFeatureJson = { identifier: 'id', ignored: true };
 * ```
 */
export type ClkhashFeatureJson = z.output<typeof ignoredFeatureJson> | z.output<typeof hashedFeatureJson>;

/**
 * The validated linkage schema v3 document, as JSON (what {@link ClkhashSchema.document} holds).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const schema = parseClkhashSchema(JSON.parse(readFileSync('schema.json', 'utf8')));
 * const doc: ClkhashSchemaJson = schema.document;
 * const text = JSON.stringify(doc); // share with the other party
 * ```
 */
export type ClkhashSchemaJson = Omit<z.output<typeof schemaJson>, 'features'> & {
  readonly features: readonly ClkhashFeatureJson[];
};
