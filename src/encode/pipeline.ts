/**
 * The encode pipeline: a clear-text list (file bytes or objects) → validated records → encoded
 * batches, with the rejection issues and counts. Detects CoC vs plan layout from the header.
 * Browser-safe: the same code runs in the CLI, in scripts and in a Web Worker.
 */
import { BloomlinkError } from '../errors.js';
import type { ListInput } from '../read/input.js';
import { type ListReader, type ReadOptions, readList } from '../read/reader.js';
import type { ClientRecord, MemberRecord } from '../read/types.js';
import { BatchBuilder, type EncodedBatch, type EncodedMeta } from './batch.js';
import { RecordEncoder } from './encoder.js';
import type { LinkageSchema } from './schema.js';

/** Options of {@link encodeList}. */
export interface EncodeListOptions extends Omit<ReadOptions, 'onProgress'> {
  readonly schema?: LinkageSchema;
  /** Records per batch (default 16,384). */
  readonly batchSize?: number;
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
export async function encodeList(input: ListInput, key: Uint8Array, opts: EncodeListOptions = {}): Promise<EncodingRun> {
  let encoded = 0;
  const { onProgress, schema, batchSize = 16_384, ...readOpts } = opts;
  const reader = await readList(input, {
    ...readOpts,
    ...(onProgress ? { onProgress: (p) => onProgress({ rowsRead: p.rowsRead, ...(p.bytesRead === undefined ? {} : { bytesRead: p.bytesRead }), encoded }) } : {}),
  });
  if (reader.kind === 'programs') {
    await reader.close();
    throw new BloomlinkError('LAYOUT_UNKNOWN', `${reader.label}: this is a program list; encode the CoC client list or the plan member list`);
  }
  const party = reader.kind === 'coc' ? 'coc' : 'mcp';
  const encoder = new RecordEncoder(key, { party, ...(schema ? { schema } : {}) });
  const toPerson =
    reader.kind === 'coc'
      ? (r: ClientRecord | MemberRecord) => ({ ...r, id: (r as ClientRecord).personalId })
      : (r: ClientRecord | MemberRecord) => ({ ...r, id: (r as MemberRecord).memberId });
  async function* batches(): AsyncGenerator<EncodedBatch> {
    try {
      let b = new BatchBuilder(encoder.meta.schema);
      for await (const rec of reader as AsyncIterable<ClientRecord | MemberRecord>) {
        encoder.encodeInto(toPerson(rec), b);
        encoded++;
        if (b.length >= batchSize) {
          yield b.finish();
          b = new BatchBuilder(encoder.meta.schema);
        }
      }
      if (b.length > 0) yield b.finish();
    } finally {
      encoder.dispose();
    }
  }
  return { meta: encoder.meta, kind: reader.kind, reader: reader as EncodingRun['reader'], batches: batches() };
}
