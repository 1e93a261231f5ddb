/**
 * bloomlink/encode — the only entry point that takes a secret key: key generation and parsing,
 * the record encoder, the list-encoding pipeline, clear-text mode and clkhash compatibility.
 * Runs in Node and in browsers (no Node-only imports).
 * @packageDocumentation
 */
export { BatchBuilder, bloomBytes, type EncodedBatch, type EncodedMeta, type Party } from './encode/batch.js';
export { clearTextEncoder, clearTextSchema } from './encode/clear.js';
export * from './encode/clkhash/index.js';
export { DEFAULT_SCHEMA } from './encode/default-schema.js';
export { type PersonToEncode, RecordEncoder } from './encode/encoder.js';
export { type EncodedFormat, readEncoded, writeEncoded } from './encode/file.js';
export { deriveSubkey, generateKeyHex, keyCheck, MIN_KEY_BYTES, parseKey } from './encode/key.js';
export { type EncodeListOptions, type EncodingRun, encodeList, newPseudonym } from './encode/pipeline.js';
export {
  type FeatureSpec,
  type Hardening,
  type LinkageSchema,
  linkageSchemaJsonSchema,
  parseLinkageSchema,
  schemaFingerprint,
} from './encode/schema.js';
