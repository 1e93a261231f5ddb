/**
 * The encode pipeline: a clear-text list (file bytes or objects) → validated records → encoded
 * batches, with the rejection issues and counts. Detects CoC vs plan layout from the header.
 * Browser-safe: the same code runs in the CLI, in scripts and in a Web Worker.
 */

import type { EncodedBatch, EncodedMeta, Party } from '../encoded/batch.js';
import type { LinkageSchema } from '../encoded/schema.js';
import { BloomlinkError } from '../errors.js';
import type { ListInput } from '../read/input.js';
import { type ListReader, type ReadOptions, readList } from '../read/reader.js';
import type { ClientRecord, MemberRecord, PersonFields } from '../records.js';
import { type PersonToEncode, RecordEncoder } from './encoder.js';
import { checkEncodeArgs } from './options.js';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A fresh random pseudonym: `psn_` and 24 base-32 characters (120 random bits), within HMIS's
 * 32-character ID limit.
 * @example
 * ```ts
 * newPseudonym(); // e.g. 'psn_k3v7q2…'
 * ```
 */
export function newPseudonym(): string {
  const b = new Uint8Array(15);
  globalThis.crypto.getRandomValues(b);
  let out = 'psn_';
  for (let i = 0; i < 15; i += 5) {
    // 5 bytes → 8 characters
    let hi = ((b[i] ?? 0) << 12) | ((b[i + 1] ?? 0) << 4) | ((b[i + 2] ?? 0) >> 4);
    let lo = (((b[i + 2] ?? 0) & 15) << 16) | ((b[i + 3] ?? 0) << 8) | (b[i + 4] ?? 0);
    let chunk = '';
    for (let k = 0; k < 4; k++) {
      chunk = BASE32.charAt(lo & 31) + chunk;
      lo >>>= 5;
    }
    for (let k = 0; k < 4; k++) {
      chunk = BASE32.charAt(hi & 31) + chunk;
      hi >>>= 5;
    }
    out += chunk;
  }
  return out;
}

/**
 * The person to encode from an accepted record: the fields the encoder reads, and the ID. Every
 * person gets the same object shape (absent fields are `undefined`), which keeps the encoder's
 * property reads monomorphic and costs less than spreading the whole record.
 * @example
 * ```ts
 * const person = personToEncode(memberRecord, memberRecord.memberId);
 * ```
 */
export function personToEncode(r: PersonFields, id: string): PersonToEncode {
  return {
    id,
    firstName: r.firstName,
    middleName: r.middleName,
    lastName: r.lastName,
    nameSuffix: r.nameSuffix,
    nameDataQuality: r.nameDataQuality,
    dob: r.dob,
    dobDataQuality: r.dobDataQuality,
    ssn: r.ssn,
    ssnDataQuality: r.ssnDataQuality,
    sex: r.sex,
  } as PersonToEncode;
}

/** Options of {@link encodeList}. */
export interface EncodeListOptions extends Omit<ReadOptions, 'onProgress'> {
  readonly schema?: LinkageSchema;
  /** Records per batch (default 16,384). */
  readonly batchSize?: number;
  /**
   * Replace every record ID by a fresh random pseudonym (per run), so whoever matches the encoded
   * file never sees the real IDs; each pair is passed to this callback, and the data holder keeps
   * the mapping (the CLI writes it with `--pseudonyms`).
   */
  readonly onPseudonym?: (pseudonym: string, id: string) => void;
  /** Called with the rows read so far (and bytes, for file input). */
  readonly onProgress?: (p: { rowsRead: number; bytesRead?: number; encoded: number }) => void;
}

/** An encoding in progress: iterate `batches` once; `reader.summary` and `issues` are final afterwards. */
export interface EncodingRun {
  readonly meta: EncodedMeta;
  readonly kind: 'coc' | 'members';
  readonly reader: ListReader<ClientRecord> | ListReader<MemberRecord>;
  readonly batches: AsyncIterable<EncodedBatch>;
}

/**
 * Opens a CoC client list or plan member list and encodes it batch by batch with `key`. The
 * encoder keeps only HKDF subkeys, wiped when the batches have been consumed (or the iteration is
 * abandoned); wiping `key` itself is the caller's choice.
 * @example
 * ```ts
 * import { encodeList, parseKey, writeEncoded } from 'bloomlink/encode';
 * const run = await encodeList(csvBytes, parseKey(keyText), { onIssue: (i) => rejects.push(i) });
 * await writeEncoded('arrow', run.meta, run.batches, (chunk) => out.push(chunk));
 * console.log(run.reader.summary);
 * ```
 */
export async function encodeList(
  input: ListInput,
  key: Uint8Array,
  opts: EncodeListOptions = {},
): Promise<EncodingRun> {
  checkEncodeArgs('encodeList', key, opts);
  const open = await openEncoding(input, opts);
  const encoder = new RecordEncoder(key, {
    party: open.party,
    ...(opts.schema ? { schema: opts.schema } : {}),
  });
  async function* batches(): AsyncGenerator<EncodedBatch> {
    try {
      for await (const persons of open.persons()) {
        const batch = encoder.encodeMany(persons);
        open.encoded(batch.length);
        yield batch;
      }
    } finally {
      encoder.dispose();
    }
  }
  return { meta: encoder.meta, kind: open.kind, reader: open.reader, batches: batches() };
}

/** A list opened for encoding (see {@link openEncoding}). */
export interface OpenedList {
  readonly reader: EncodingRun['reader'];
  readonly kind: EncodingRun['kind'];
  readonly party: Party;
  /** The accepted records as persons to encode, in batches of `batchSize` (file order). */
  persons(): AsyncGenerator<PersonToEncode[]>;
  /** Tells the progress reports how many more records were encoded. */
  encoded(n: number): void;
}

/**
 * Opens a CoC client list or plan member list for encoding: the reader (validation, issues,
 * counts), the party, and the accepted records as persons (with their IDs, or per-run pseudonyms)
 * in batches of `opts.batchSize`. Shared by {@link encodeList} and the multi-threaded encoder.
 * @throws BloomlinkError `LAYOUT_UNKNOWN` for a program list, and whatever the readers throw
 * @example
 * ```ts
 * const open = await openEncoding(csvBytes, { batchSize: 1000 });
 * for await (const persons of open.persons()) console.log(persons.length);
 * ```
 */
export async function openEncoding(input: ListInput, opts: EncodeListOptions = {}): Promise<OpenedList> {
  let encoded = 0;
  const { onProgress, schema: _schema, batchSize = 16_384, onPseudonym, ...readOpts } = opts;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer');
  const reader = await readList(input, {
    ...readOpts,
    ...(onProgress
      ? {
          onProgress: (p) =>
            onProgress({
              rowsRead: p.rowsRead,
              ...(p.bytesRead === undefined ? {} : { bytesRead: p.bytesRead }),
              encoded,
            }),
        }
      : {}),
  });
  if (reader.kind === 'programs') {
    await reader.close();
    throw new BloomlinkError(
      'LAYOUT_UNKNOWN',
      `${reader.label}: this is a program list; encode the CoC client list or the plan member list`,
    );
  }
  const realId =
    reader.kind === 'coc'
      ? (r: ClientRecord | MemberRecord) => (r as ClientRecord).personalId
      : (r: ClientRecord | MemberRecord) => (r as MemberRecord).memberId;
  const toPerson = (r: ClientRecord | MemberRecord): PersonToEncode => {
    const id = realId(r);
    if (!onPseudonym) return personToEncode(r, id);
    const pseudonym = newPseudonym();
    onPseudonym(pseudonym, id);
    return personToEncode(r, pseudonym);
  };
  const records = reader as ListReader<ClientRecord | MemberRecord>;
  return {
    reader: reader as EncodingRun['reader'],
    kind: reader.kind,
    party: reader.kind === 'coc' ? 'coc' : 'mcp',
    async *persons() {
      let batch: PersonToEncode[] = [];
      for await (const chunk of records.batches()) {
        for (const r of chunk) {
          batch.push(toPerson(r));
          if (batch.length === batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
      if (batch.length > 0) yield batch;
    },
    encoded(n) {
      encoded += n;
    },
  };
}
