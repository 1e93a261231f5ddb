/**
 * Clear-text mode: the same pipeline with no secret, to measure what privacy costs. Records are
 * "encoded" with a fixed public key and collision-free filters (1,024 bits, one bit per q-gram), so
 * every comparison equals the clear-text comparison: Dice on the q-gram sets, equality of values.
 * Never use it to exchange data: anyone can reverse these encodings.
 */
import type { Party } from '../encoded/batch.js';
import { DEFAULT_SCHEMA } from '../encoded/default-schema.js';
import { type LinkageSchema, parseLinkageSchema } from '../encoded/schema.js';
import { RecordEncoder } from './encoder.js';

/** The public, all-zero key of clear-text mode. */
const PUBLIC_KEY = new Uint8Array(32);

/**
 * The clear-text variant of a schema: Bloom features get 1,024 bits and k = 1, hardening is off.
 * @example
 * ```ts
 * clearTextSchema(DEFAULT_SCHEMA).features[0]; // { …, bits: 1024, k: 1 }
 * ```
 */
export function clearTextSchema(schema: LinkageSchema = DEFAULT_SCHEMA): LinkageSchema {
  return parseLinkageSchema({
    ...schema,
    name: `${schema.name} (clear text)`,
    features: schema.features.map((f) => (f.kind === 'bloom' ? { ...f, bits: 1024, k: 1 } : f)),
    hardening: {},
  });
}

/**
 * An encoder for clear-text mode (public key, collision-free filters).
 * @example
 * ```ts
 * const encoder = clearTextEncoder('coc');
 * const batch = encoder.encodeBatch([
 *   { id: 'C1', firstName: 'Ann', lastName: 'Lee', dob: '1980-02-03', nameDataQuality: 1, dobDataQuality: 1, ssnDataQuality: 99 },
 * ]);
 * encoder.dispose();
 * ```
 */
export function clearTextEncoder(party: Party, schema: LinkageSchema = DEFAULT_SCHEMA): RecordEncoder {
  return new RecordEncoder(PUBLIC_KEY, { party, schema: clearTextSchema(schema) });
}
