/**
 * Encoding on all cores: this thread reads and validates the list (the same reader, so the same
 * issues, counts and record order as `encodeList`), worker threads encode its batches. Batches keep
 * the single-threaded size and order, so the encoded file is byte-identical for any thread count.
 */
import type { EncodedBatch } from '../encode/batch.js';
import { RecordEncoder } from '../encode/encoder.js';
import { type EncodeListOptions, type EncodingRun, encodeList, openEncoding } from '../encode/pipeline.js';
import type { ListInput } from '../read/input.js';
import { packPersons } from './encode-task.js';
import { WorkerPool } from './pool.node.js';
import { defaultThreads } from './threads.node.js';

/** Options of {@link encodeListParallel}. */
export interface ParallelEncodeOptions extends EncodeListOptions {
  /** Worker threads (default: all cores); 1 runs {@link encodeList} on this thread. */
  readonly threads?: number;
}

/**
 * Like `encodeList`, with the encoding spread over worker threads. Each worker gets a copy of the
 * key, derives its own subkeys and wipes the copy; this thread's copies are wiped once posted.
 * @example
 * ```ts
 * const run = await encodeListParallel(fileBytes('members.csv'), key, { threads: 2 });
 * await writeEncoded('arrow', run.meta, run.batches, (chunk) => out.write(chunk));
 * ```
 */
export async function encodeListParallel(
  input: ListInput,
  key: Uint8Array,
  opts: ParallelEncodeOptions = {},
): Promise<EncodingRun> {
  const { threads = defaultThreads(), ...rest } = opts;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError('threads must be a positive integer');
  if (threads === 1) return encodeList(input, key, rest);
  const open = await openEncoding(input, rest);
  // The file-level facts (schema fingerprint, key check) come from an encoder on this thread.
  const probe = new RecordEncoder(key, {
    party: open.party,
    ...(opts.schema ? { schema: opts.schema } : {}),
  });
  const meta = probe.meta;
  probe.dispose();
  async function* batches(): AsyncGenerator<EncodedBatch> {
    const copies: Uint8Array[] = [];
    const pool = await WorkerPool.start('encode', threads, () => {
      const copy = key.slice();
      copies.push(copy);
      return { key: copy, party: open.party, schema: meta.schema };
    });
    for (const c of copies) c.fill(0);
    // At most two batches per worker in flight: memory stays flat however long the list.
    const inflight: Promise<EncodedBatch>[] = [];
    try {
      for await (const persons of open.persons()) {
        const packed = packPersons(persons);
        inflight.push(pool.run<EncodedBatch>(packed, [packed.dq.buffer as ArrayBuffer]));
        while (inflight.length >= 2 * threads) {
          const b = await inflight.shift()!;
          open.encoded(b.length);
          yield b;
        }
      }
      while (inflight.length > 0) {
        const b = await inflight.shift()!;
        open.encoded(b.length);
        yield b;
      }
    } finally {
      // Settle what is still running before the workers go, so no rejection is left unhandled.
      await Promise.allSettled(inflight);
      await pool.close();
    }
  }
  return { meta, kind: open.kind, reader: open.reader, batches: batches() };
}
