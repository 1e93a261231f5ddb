/**
 * Clear-text mode: the same pipeline with no secret, to measure what privacy costs. Records are
 * "encoded" with a fixed public key and collision-free filters (1,024 bits, one bit per q-gram), so
 * every encoded comparison equals its clear-text counterpart (Dice on the q-gram sets, equality of
 * values), and the batch also carries the normalised names, for the string levels of
 * `clearTextComparisons` (Jaro–Winkler, Levenshtein). Never use it to exchange data: anyone can
 * reverse these encodings, and the file writers refuse them (`CLEAR_TEXT_REFUSED`, see
 * src/encoded/clear-text.ts). The encoder takes no key, so no secret key's encodings ever come with
 * the strings.
 */
import type { EncodedMeta, Party } from '../encoded/batch.js';
import type { ClearTextBatch } from '../encoded/clear-text.js';
import { DEFAULT_SCHEMA } from '../encoded/default-schema.js';
import { type LinkageSchema, parseLinkageSchema } from '../encoded/schema.js';
import { normaliseName } from '../normalise/names.js';
import { type PersonToEncode, RecordEncoder } from './encoder.js';

/** The public, all-zero key of clear-text mode (its key check is `CLEAR_TEXT_KEY_CHECK`). */
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
 * The encoder of clear-text mode: the record encoder with the public key and the clear-text schema,
 * plus the normalised first, middle and last names of every record (`batch.clearText`).
 * @example
 * ```ts
 * import type { PersonToEncode } from 'bloomlink/encode';
 * declare const persons: PersonToEncode[];
 * const enc = clearTextEncoder('coc');
 * const batch = enc.encodeBatch(persons);
 * batch.clearText.lastText[0]; // 'LEE'
 * ```
 */
export class ClearTextEncoder {
  /** File-level facts (the public key's key check, the clear-text schema). */
  readonly meta: EncodedMeta;
  private readonly encoder: RecordEncoder;

  constructor(party: Party, schema: LinkageSchema = DEFAULT_SCHEMA) {
    this.encoder = new RecordEncoder(PUBLIC_KEY, { party, schema: clearTextSchema(schema) });
    this.meta = this.encoder.meta;
  }

  /** Encodes persons into a clear-text batch: the encoded columns and the normalised names. */
  encodeBatch(persons: Iterable<PersonToEncode>): ClearTextBatch {
    const list = Array.isArray(persons) ? (persons as readonly PersonToEncode[]) : [...persons];
    const batch = this.encoder.encodeMany(list);
    const firstText: string[] = [];
    const middleText: string[] = [];
    const lastText: string[] = [];
    for (const p of list) {
      const n = normaliseName(p);
      firstText.push(n.first ?? '');
      middleText.push(n.middle ?? '');
      lastText.push(n.last ?? '');
    }
    return { ...batch, clearText: { firstText, middleText, lastText } };
  }

  /** Releases the encoder's caches. */
  dispose(): void {
    this.encoder.dispose();
  }
}

/**
 * An encoder for clear-text mode (public key, collision-free filters, normalised names kept).
 * @example
 * ```ts
 * const encoder = clearTextEncoder('coc');
 * const batch = encoder.encodeBatch([
 *   { id: 'C1', firstName: 'Ann', lastName: 'Lee', dob: '1980-02-03', nameDataQuality: 1, dobDataQuality: 1, ssnDataQuality: 99 },
 * ]);
 * encoder.dispose();
 * ```
 */
export function clearTextEncoder(party: Party, schema: LinkageSchema = DEFAULT_SCHEMA): ClearTextEncoder {
  return new ClearTextEncoder(party, schema);
}
