/**
 * The encode pipeline: a clear-text list (file bytes or objects) → validated records → encoded
 * batches, with the rejection issues and counts. Detects CoC vs plan layout from the header.
 * Browser-safe: the same code runs in the CLI, in scripts and in a Web Worker.
 */

import type { EncodedBatch, EncodedMeta, Party } from '../encoded/batch.js';
import type { LinkageSchema } from '../encoded/schema.js';
import { BloomlinkError } from '../errors.js';
import type { ListInput } from '../read/input.js';
import type { SpanPlan } from '../read/member-spans.js';
import { type ListReader, type ReadOptions, type ReadProgress, readList } from '../read/reader.js';
import { replayable } from '../read/replay.js';
import type { ClientRecord, MemberRecord, PersonFields, RowIssue } from '../records.js';
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
 * The person to encode from an accepted record: the fields the encoder reads, the plan member ID
 * it is known under (a member record's `memberId`, a client record's `mcpMemberId`), and the ID
 * (the record's own, or a pseudonym). Every
 * person gets the same object shape (absent fields are `undefined`), which keeps the encoder's
 * property reads monomorphic and costs less than spreading the whole record.
 * @example
 * ```ts
 * const person = personToEncode(memberRecord, memberRecord.memberId);
 * ```
 */
export function personToEncode(
  r: PersonFields & { readonly memberId?: string; readonly mcpMemberId?: string },
  id: string,
): PersonToEncode {
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
    memberId: r.memberId ?? r.mcpMemberId,
  } as PersonToEncode;
}

/**
 * Progress of encoding a list, like the matcher's `MatchProgress`: `done` of `total` in the phase.
 * Phases come in order — `spans` (a plan member list's first pass, which finds each member's most
 * recent coverage span; CoC lists have none), then `encode` (reading, validating and encoding) — and
 * within one `done` never decreases. For byte input `done` counts bytes read and `total` is the
 * input's size when known (a buffer or Blob knows it; for a stream pass `totalBytes`), reached on a
 * phase's last report; for object or Arrow input `done` counts rows and `total` is absent.
 */
export interface EncodeProgress {
  readonly phase: 'spans' | 'encode';
  readonly done: number;
  readonly total?: number;
  /** What `done` counts. */
  readonly unit: 'bytes' | 'rows';
  /** Rows read in this phase (header excluded; `encodeParallel`'s `spans` counts the rows with a span). */
  readonly rowsRead: number;
  /** Bytes read in this phase (byte input). */
  readonly bytesRead?: number;
  /** Records encoded so far (0 in `spans`). */
  readonly encoded: number;
}

/**
 * An {@link EncodeProgress} from a reader's report in `phase`.
 * @example
 * ```ts
 * encodeProgress('encode', { rowsRead: 10, bytesRead: 500, totalBytes: 1000 }, 10);
 * // { phase: 'encode', done: 500, total: 1000, unit: 'bytes', rowsRead: 10, bytesRead: 500, encoded: 10 }
 * ```
 */
export function encodeProgress(
  phase: EncodeProgress['phase'],
  p: { readonly rowsRead: number; readonly bytesRead?: number; readonly totalBytes?: number },
  encoded: number,
): EncodeProgress {
  const { rowsRead, bytesRead, totalBytes } = p;
  if (bytesRead === undefined) return { phase, done: rowsRead, unit: 'rows', rowsRead, encoded };
  return {
    phase,
    done: bytesRead,
    ...(totalBytes !== undefined && { total: totalBytes }),
    unit: 'bytes',
    rowsRead,
    bytesRead,
    encoded,
  };
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
  /** Called with the phase and how far it is (bytes read of the input's size): {@link EncodeProgress}. */
  readonly onProgress?: (p: EncodeProgress) => void;
  /**
   * Opens the same input again from its start (e.g. `() => fileBytes(path)`). A plan member list is
   * read twice — the first pass finds each member's most recent coverage span, the second encodes
   * one record per member — and without this a one-shot stream's chunks are kept in memory between
   * the passes (buffers, Blobs and arrays are simply read again).
   */
  readonly reopen?: () => ListInput | Promise<ListInput>;
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
 * import { readFileSync } from 'node:fs';
 * import type { RowIssue } from 'bloomlink';
 * import { encodeList, parseKey, writeEncoded } from 'bloomlink/encode';
 * const rejects: RowIssue[] = [];
 * const run = await encodeList(readFileSync('clients.csv'), parseKey(readFileSync('linkage.key', 'utf8')), {
 *   onIssue: (i) => rejects.push(i),
 * });
 * const out: Uint8Array[] = []; // in memory; to a file, see writeEncoded
 * await writeEncoded('arrow', run.meta, run.batches, (chunk) => void out.push(chunk));
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
  // The reader's last report: once the read is done, batches still being encoded report again.
  let lastRead: ReadProgress | undefined;
  const { onProgress, schema: _schema, batchSize = 16_384, onPseudonym, reopen, ...readOpts } = opts;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer');
  const withProgress: ReadOptions = {
    ...readOpts,
    ...(onProgress
      ? {
          onProgress: (p) => {
            lastRead = p;
            onProgress(encodeProgress('encode', p, encoded));
          },
        }
      : {}),
  };
  // The kind is known once the header is read: a member list's first pass reports its issues
  // nowhere (they come again, in order, from the second) and its progress as the `spans` phase; any
  // other list is read once, reporting as it goes.
  const replay = replayable(input, reopen);
  let firstPass = false;
  const ownIssues: RowIssue[] = [];
  const userIssue = readOpts.onIssue ?? ((i: RowIssue) => void ownIssues.push(i));
  let reader = await readList(replay.first, {
    ...withProgress,
    onIssue: (i) => {
      if (!firstPass) userIssue(i);
    },
    ...(onProgress && {
      onProgress: (p) => onProgress(encodeProgress(firstPass ? 'spans' : 'encode', p, encoded)),
    }),
  });
  if (reader.kind === 'programs') {
    replay.stop();
    await reader.close();
    throw new BloomlinkError(
      'LAYOUT_UNKNOWN',
      `${reader.label}: this is a program list; encode the CoC client list or the plan member list`,
    );
  }
  let plan: SpanPlan | undefined;
  if (reader.kind === 'members') {
    firstPass = true;
    for await (const _ of reader.batches()) {
      // Only the span plan of this pass is used.
    }
    plan = reader.spanPlan;
    reader = await readList(await replay.again(), withProgress);
    if (reader.kind !== 'members') {
      await reader.close();
      throw new TypeError('opts.reopen must open the same input again');
    }
  } else {
    replay.stop();
    // Issues collected for a caller without `onIssue` stay readable on the reader.
    if (readOpts.onIssue === undefined)
      reader = Object.create(reader, { issues: { get: () => ownIssues } }) as typeof reader;
  }
  const kind = reader.kind;
  const realId =
    kind === 'coc'
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
    kind,
    party: kind === 'coc' ? 'coc' : 'mcp',
    async *persons() {
      let batch: PersonToEncode[] = [];
      for await (const chunk of records.batches()) {
        for (const r of chunk) {
          // A member's older coverage spans: the member is encoded once, from the most recent one.
          if (plan?.superseded(r.line) === true) continue;
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
      if (onProgress && lastRead?.done) onProgress(encodeProgress('encode', lastRead, encoded));
    },
  };
}
