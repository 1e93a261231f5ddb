/**
 * Reading and writing encoded files in either format, from and to byte streams (browser-safe).
 */
import { BloomlinkError } from '../errors.js';
import type { EncodedBatch, EncodedMeta } from './batch.js';
import { concatBatches } from './concat.js';
import { readEncodedArrow, writeEncodedArrow } from './file-arrow.js';
import { readEncodedJsonl, writeEncodedJsonl } from './file-jsonl.js';

/** Encoded file formats. */
export type EncodedFormat = 'arrow' | 'jsonl';

/** An encoded list held in memory. */
export interface EncodedList {
  readonly meta: EncodedMeta;
  readonly batch: EncodedBatch;
}

async function* lines(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const dec = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  for await (const chunk of bytes) {
    rest += dec.decode(chunk, { stream: true });
    let nl = rest.indexOf('\n');
    while (nl >= 0) {
      yield rest.slice(0, nl).replace(/\r$/, '');
      rest = rest.slice(nl + 1);
      nl = rest.indexOf('\n');
    }
  }
  rest += dec.decode();
  if (rest.length > 0) yield rest;
}

/** Peeks at the first byte of a stream and returns a stream that still yields everything. */
async function peek(
  source: AsyncIterable<Uint8Array>,
): Promise<{ first: number | undefined; bytes: AsyncIterable<Uint8Array> }> {
  const it = source[Symbol.asyncIterator]();
  let head = await it.next();
  while (!head.done && head.value.length === 0) head = await it.next();
  const firstChunk = head.done ? undefined : head.value;
  return {
    first: firstChunk?.[0],
    bytes: (async function* () {
      if (firstChunk) yield firstChunk;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    })(),
  };
}

/**
 * Opens an encoded file (Arrow IPC stream or JSON Lines, detected from the first byte).
 * @example
 * ```ts
 * const { meta, batches } = await openEncoded(bytes, 'coc.arrow');
 * ```
 */
export async function openEncoded(
  source: AsyncIterable<Uint8Array>,
  label: string,
): Promise<{ meta: EncodedMeta; format: EncodedFormat; batches: AsyncIterable<EncodedBatch> }> {
  const { first, bytes } = await peek(source);
  if (first === undefined) throw new BloomlinkError('FILE_EMPTY', `${label}: the file is empty`);
  if (first === 0x7b /* { */) return { ...(await readEncodedJsonl(lines(bytes), label)), format: 'jsonl' };
  if (first === 0xff) return { ...(await readEncodedArrow(bytes, label)), format: 'arrow' };
  throw new BloomlinkError(
    'FILE_CORRUPT',
    `${label}: not a bloomlink encoded file (neither Arrow nor JSON Lines)`,
  );
}

/**
 * Reads a whole encoded file into memory as one batch.
 * @example
 * ```ts
 * const coc = await readEncoded(bytes, 'coc.arrow');
 * coc.batch.length; // records
 * ```
 */
export async function readEncoded(source: AsyncIterable<Uint8Array>, label: string): Promise<EncodedList> {
  const { meta, batches } = await openEncoded(source, label);
  const parts: EncodedBatch[] = [];
  for await (const b of batches) parts.push(b);
  return { meta, batch: parts.length === 0 ? emptyBatch(meta) : concatBatches(parts) };
}

/**
 * An encoded batch with no records, with the columns of `meta`'s schema.
 * @example
 * ```ts
 * emptyBatch(meta).length; // 0
 * ```
 */
export function emptyBatch(meta: EncodedMeta): EncodedBatch {
  const z8 = new Uint8Array(0);
  const z32 = new Uint32Array(0);
  return {
    length: 0,
    ids: [],
    nameDq: z8,
    dobDq: z8,
    ssnDq: z8,
    blooms: Object.fromEntries(
      meta.schema.features.filter((f) => f.kind === 'bloom').map((f) => [f.name, z8]),
    ),
    hashes: Object.fromEntries(
      meta.schema.features.filter((f) => f.kind === 'hash').map((f) => [f.name, z32]),
    ),
    sets: Object.fromEntries(
      meta.schema.features.filter((f) => f.kind === 'hashSet').map((f) => [f.name, z32]),
    ),
    blocks: Object.fromEntries(
      meta.schema.blocking.map((p) => [p.name, { offsets: new Uint32Array(1), keys: z32 }]),
    ),
  };
}

/**
 * Writes batches in the chosen format to a byte sink.
 * @example
 * ```ts
 * await writeEncoded('arrow', meta, batches, (chunk) => out.write(chunk));
 * ```
 */
export async function writeEncoded(
  format: EncodedFormat,
  meta: EncodedMeta,
  batches: AsyncIterable<EncodedBatch> | Iterable<EncodedBatch>,
  sink: (chunk: Uint8Array) => void | Promise<void>,
): Promise<{ records: number }> {
  if (format === 'arrow') return writeEncodedArrow(meta, batches, sink);
  const enc = new TextEncoder();
  return writeEncodedJsonl(meta, batches, (text) => sink(enc.encode(text)));
}
