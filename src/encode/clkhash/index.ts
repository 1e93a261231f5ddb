/**
 * clkhash linkage schema v3 compatibility mode: parse a schema, derive keys from the shared
 * secret and produce CLKs byte-identical to clkhash 0.18.3, plus anonlink-client JSON output.
 * @packageDocumentation
 */

export { isClkhashSchema } from './detect.js';
export {
  type ClkEncoder,
  type ClkEncoderOptions,
  createClkEncoder,
  MIN_CLKHASH_SECRET_BYTES,
} from './encoder.js';
export { type ClkhashJsonOptions, clkhashJsonChunks, clkToBase64, encodeClkhashJson } from './json.js';
export { parseClkhashSchema } from './schema.js';
export type { ClkhashFeatureJson, ClkhashSchemaJson } from './schema-json.js';
export type {
  ClkhashComparison,
  ClkhashFeature,
  ClkhashFormat,
  ClkhashHash,
  ClkhashHashedFeature,
  ClkhashIgnoredFeature,
  ClkhashSchema,
  ClkhashStrategy,
} from './schema-types.js';
export type { ClkhashTextEncoding } from './text-encoding.js';
