/**
 * The worker side of parallel encoding: each worker holds its own encoder (HKDF subkeys derived
 * from the key it was given, which it wipes) and turns packed batches of validated persons into
 * encoded batches. The main thread reads and validates the list, in file order, and hands out
 * batches of the same size as the single-threaded pipeline, so the encoded file is byte-identical.
 * Runtime-neutral.
 */
import type { EncodedBatch, Party } from '../encoded/batch.js';
import type { LinkageSchema } from '../encoded/schema.js';
import type { WorkerRole } from '../parallel/protocol.js';
import type { DataQuality, Sex } from '../records.js';
import { at } from '../util/defined.js';
import { type PersonToEncode, RecordEncoder } from './encoder.js';

/** What an encode worker is started with. The key is copied to the worker and wiped there after use. */
export interface EncodeInit {
  readonly key: Uint8Array;
  readonly party: Party;
  readonly schema: LinkageSchema;
}

/** Persons packed for a worker: 9 strings per person (see {@link packPersons}) and 3 data-quality codes. */
export interface PackedPersons {
  readonly n: number;
  readonly text: readonly (string | null)[];
  readonly dq: Uint8Array;
}

const FIELDS = 9;

/**
 * Packs persons for a worker: the fields the encoder reads, flat (structured clone copies a flat
 * array of strings much faster than objects).
 * @example
 * ```ts
 * const packed = packPersons(records.map((r) => ({ ...r, id: r.memberId })));
 * ```
 */
export function packPersons(persons: readonly PersonToEncode[]): PackedPersons {
  const n = persons.length;
  const text = new Array<string | null>(n * FIELDS);
  const dq = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const p = at(persons, i);
    const t = i * FIELDS;
    text[t] = p.id;
    text[t + 1] = p.firstName ?? null;
    text[t + 2] = p.middleName ?? null;
    text[t + 3] = p.lastName ?? null;
    text[t + 4] = p.nameSuffix ?? null;
    text[t + 5] = p.dob ?? null;
    text[t + 6] = p.ssn ?? null;
    text[t + 7] = p.sex ?? null;
    text[t + 8] = p.memberId ?? null;
    dq[3 * i] = p.nameDataQuality;
    dq[3 * i + 1] = p.dobDataQuality;
    dq[3 * i + 2] = p.ssnDataQuality;
  }
  return { n, text, dq };
}

/**
 * The persons of a packed batch.
 * @example
 * ```ts
 * unpackPersons(packPersons(persons)); // equal to persons in every field the encoder reads
 * ```
 */
export function unpackPersons(p: PackedPersons): PersonToEncode[] {
  const out = new Array<PersonToEncode>(p.n);
  for (let i = 0; i < p.n; i++) {
    const t = i * FIELDS;
    const id = p.text[t];
    if (typeof id !== 'string') throw new TypeError(`packed record ${i} has no ID`);
    const person: {
      id: string;
      nameDataQuality: DataQuality;
      dobDataQuality: DataQuality;
      ssnDataQuality: DataQuality;
      firstName?: string;
      middleName?: string;
      lastName?: string;
      nameSuffix?: string;
      dob?: string;
      ssn?: string;
      sex?: Sex;
      memberId?: string;
    } = {
      id,
      nameDataQuality: p.dq[3 * i] as DataQuality,
      dobDataQuality: p.dq[3 * i + 1] as DataQuality,
      ssnDataQuality: p.dq[3 * i + 2] as DataQuality,
    };
    const v = (k: number) => p.text[t + k] ?? undefined;
    const first = v(1);
    const middle = v(2);
    const last = v(3);
    const suffix = v(4);
    const dob = v(5);
    const ssn = v(6);
    const sex = v(7);
    const memberId = v(8);
    if (first !== undefined) person.firstName = first;
    if (middle !== undefined) person.middleName = middle;
    if (last !== undefined) person.lastName = last;
    if (suffix !== undefined) person.nameSuffix = suffix;
    if (dob !== undefined) person.dob = dob;
    if (ssn !== undefined) person.ssn = ssn;
    if (sex !== undefined) person.sex = sex as Sex;
    if (memberId !== undefined) person.memberId = memberId;
    out[i] = person;
  }
  return out;
}

/**
 * The encode worker role.
 * @example
 * ```ts
 * const encoder = encodeRole.init({ key, party: 'mcp', schema: DEFAULT_SCHEMA });
 * const { result } = encodeRole.run(encoder, packPersons(persons));
 * ```
 */
export const encodeRole: WorkerRole<EncodeInit, PackedPersons, EncodedBatch, RecordEncoder> = {
  init(d) {
    const encoder = new RecordEncoder(d.key, { party: d.party, schema: d.schema });
    d.key.fill(0);
    return encoder;
  },
  run(encoder, packed) {
    const batch = encoder.encodeMany(unpackPersons(packed));
    return { result: batch };
  },
};
