/**
 * The bloomlink linkage schema (version 1): which features each record is encoded into, how each is
 * tokenised and hashed, the blocking-key passes and the hardening. Plain, serialisable data,
 * validated with zod; its canonical fingerprint is stored in every encoded file so `match` can
 * refuse two files made with different schemas.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import * as z from 'zod';
import { BloomlinkError } from '../errors.js';
import { at } from '../util/defined.js';

/** Single-valued sources a feature can be computed from (after normalisation). */
export const VALUE_SOURCES = [
  'first',
  'middle',
  'last',
  'firstCanonical',
  'firstInitial',
  'middleInitial',
  'sex',
  'dob',
  'dobSwapped',
  'dobYearMonth',
  'dobMonthDay',
  'dobYear',
  'dobYearPrev',
  'dobNextDay',
  'ssn',
  'ssnLast4',
  'memberId',
] as const;
/** A single-valued source. */
export type ValueSource = (typeof VALUE_SOURCES)[number];

/** Multi-valued sources (sets). */
export const SET_SOURCES = ['lastParts', 'firstParts', 'firstVariants', 'dobMasks', 'ssnMasks'] as const;
/** A multi-valued source. */
export type SetSource = (typeof SET_SOURCES)[number];

/** Sources of blocking-key parts. */
export const BLOCK_PARTS = [
  'lastSoundex',
  'lastPartSoundex',
  'firstSoundex',
  'firstCanonicalSoundex',
  'nameSoundexPair',
  'firstInitial',
  'dob',
  'dobOrSwapped',
  'dobYear',
  'sex',
  'ssn',
  'ssnLast4',
  'memberId',
] as const;
/** A blocking-key part. */
export type BlockPart = (typeof BLOCK_PARTS)[number];

// The zod schemas are built on first use, not at module load: building them costs a short-lived
// process (`bloomlink encode` on a few thousand records) tens of milliseconds, and the default
// schema needs no parse at all (`DEFAULT_SCHEMA` is written out already validated).
function buildZod() {
  const identifier = z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'identifier: letters, digits, _ (max 40)');

  const tokeniser = z.discriminatedUnion('type', [
    z.object({
      type: z.literal('qgram'),
      q: z.int().min(1).max(4),
      positional: z.boolean().default(false),
      padded: z.boolean().default(true),
    }),
    z.object({ type: z.literal('exact') }),
    z.object({ type: z.literal('numeric'), radius: z.int().min(0).max(10), step: z.int().min(1).default(1) }),
    z.object({ type: z.literal('dateParts') }),
  ]);

  const bloomFeature = z.object({
    name: identifier,
    kind: z.literal('bloom'),
    source: z.enum(VALUE_SOURCES),
    tokens: tokeniser,
    bits: z
      .int()
      .min(64)
      .max(4096)
      .refine((b) => b % 64 === 0, 'bits must be a multiple of 64'),
    k: z.int().min(1).max(32),
    /** Features that share a key group use the same hash key, so they can be compared with each other. */
    keyGroup: identifier,
  });
  const hashFeature = z.object({
    name: identifier,
    kind: z.literal('hash'),
    source: z.enum(VALUE_SOURCES),
    keyGroup: identifier,
  });
  const hashSetFeature = z.object({
    name: identifier,
    kind: z.literal('hashSet'),
    source: z.enum(SET_SOURCES),
    max: z.int().min(1).max(16),
    keyGroup: identifier,
  });
  const feature = z.discriminatedUnion('kind', [bloomFeature, hashFeature, hashSetFeature]);

  const blockingPass = z.object({ name: identifier, parts: z.array(z.enum(BLOCK_PARTS)).min(1).max(4) });

  const hardening = z
    .object({
      /** Balanced Bloom filters: append the complement, then permute with a keyed permutation. */
      balance: z.boolean().default(false),
      /** XOR-fold the filter this many times (halves the length each time). */
      xorFolds: z.int().min(0).max(3).default(0),
      /** BLIP: flip each bit with this probability, pseudo-randomly from the key and the value. */
      blip: z.number().min(0).max(0.5).default(0),
      /** Rule 90: each bit becomes the XOR of its two neighbours (cyclic). */
      rule90: z.boolean().default(false),
      /** Attribute salting: mix this source's value into every token's hash (e.g. birth year). */
      salt: z.enum(['dobYear', 'sex']).nullable().default(null),
      /** Diffusion layer (Armknecht, Heng & Schnell 2023): each output bit XORs `t` keyed-random input bits. */
      diffusion: z
        .object({ t: z.int().min(2).max(16) })
        .nullable()
        .default(null),
    })
    .prefault({});

  const schemaModel = z
    .object({
      bloomlinkSchema: z.literal(1),
      name: z.string().min(1).max(100),
      features: z.array(feature).min(1),
      blocking: z.array(blockingPass),
      hardening,
    })
    .superRefine((s, ctx) => {
      for (const list of [s.features, s.blocking]) {
        const seen = new Set<string>();
        for (const f of list) {
          if (seen.has(f.name)) ctx.addIssue({ code: 'custom', message: `duplicate name '${f.name}'` });
          seen.add(f.name);
        }
      }
    });
  return { tokeniser, hardening, schemaModel };
}

let zodSchemas: ReturnType<typeof buildZod> | undefined;
function zodSchema(): ReturnType<typeof buildZod> {
  zodSchemas ??= buildZod();
  return zodSchemas;
}

/** How a Bloom-filter feature turns its value into tokens. */
export type Tokeniser = z.infer<ReturnType<typeof buildZod>['tokeniser']>;
/** Hardening settings applied to every Bloom-filter feature. */
export type Hardening = z.infer<ReturnType<typeof buildZod>['hardening']>;

/** A validated linkage schema. */
export type LinkageSchema = z.infer<ReturnType<typeof buildZod>['schemaModel']>;
/** One feature of a schema. */
export type FeatureSpec = LinkageSchema['features'][number];
/** One blocking pass of a schema. */
export type BlockingPassSpec = LinkageSchema['blocking'][number];

/**
 * Validates a linkage schema (parsed JSON). Throws `BloomlinkError('SCHEMA_INVALID')` with a one-line
 * reason naming the path.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const schema = parseLinkageSchema(JSON.parse(readFileSync('schema.json', 'utf8')));
 * ```
 */
export function parseLinkageSchema(json: unknown): LinkageSchema {
  const r = zodSchema().schemaModel.safeParse(json);
  if (!r.success) {
    const issue = at(r.error.issues, 0);
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new BloomlinkError('SCHEMA_INVALID', `linkage schema: ${path}: ${issue.message}`);
  }
  return r.data;
}

/**
 * JSON Schema (draft 2020-12) of the linkage schema, for editors and other tools.
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('linkage-schema.schema.json', JSON.stringify(linkageSchemaJsonSchema(), null, 2));
 * ```
 */
export function linkageSchemaJsonSchema(): unknown {
  return z.toJSONSchema(zodSchema().schemaModel, { io: 'input', unrepresentable: 'any' });
}

/**
 * The canonical fingerprint of a schema: SHA-256 over its canonical JSON (keys sorted, defaults
 * filled), hex. Two schemas with the same fingerprint encode identically.
 * @example
 * ```ts
 * schemaFingerprint(DEFAULT_SCHEMA); // '3f1c…' (64 hex characters)
 * ```
 */
export function schemaFingerprint(schema: LinkageSchema): string {
  const bytes = sha256(new TextEncoder().encode(canonicalJson(schema)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** JSON with object keys sorted recursively; arrays keep their order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
