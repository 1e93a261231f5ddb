/**
 * bloomlink/encode — the only entry point that takes a secret key: key generation and parsing,
 * the record encoder, the list-encoding pipeline, clear-text mode and clkhash compatibility.
 * Runs in Node and in browsers (no Node-only imports).
 * @packageDocumentation
 */

export { ClearTextEncoder, clearTextEncoder, clearTextSchema } from './encode/clear.js';
export * from './encode/clkhash/index.js';
export { type PersonToEncode, RecordEncoder } from './encode/encoder.js';
export {
  checkKeyStrength,
  deriveSubkey,
  generateKeyHex,
  keyCheck,
  MIN_KEY_BYTES,
  parseKey,
  WEAK_KEY_MAX_PERIOD,
  weakKeyReason,
} from './encode/key.js';
export {
  type EncodeListOptions,
  type EncodeProgress,
  type EncodingRun,
  encodeList,
  newPseudonym,
} from './encode/pipeline.js';
export {
  BatchBuilder,
  bloomBytes,
  type EncodedBatch,
  type EncodedMeta,
  type Party,
} from './encoded/batch.js';
export { DEFAULT_SCHEMA } from './encoded/default-schema.js';
export { type EncodedFormat, readEncoded, writeEncoded } from './encoded/file.js';
export {
  type FeatureSpec,
  type Hardening,
  type LinkageSchema,
  linkageSchemaJsonSchema,
  parseLinkageSchema,
  schemaFingerprint,
} from './encoded/schema.js';
export { BloomlinkError, type ErrorCode } from './errors.js';
