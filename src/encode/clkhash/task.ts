/**
 * The worker side of clkhash-compatible encoding on all cores: each worker holds its own CLK
 * encoder (keys derived from the secret bytes it was given, which it wipes) and turns chunks of
 * records into base64 CLKs. The main thread reads the CSV and hands out the chunks in file order,
 * then writes the results in the same order, so the output is the one-thread output for any number
 * of threads (src/encode/clkhash/parallel.node.ts). Runtime-neutral.
 *
 * A chunk crosses between threads as few objects as possible (measured: cloning a string per value
 * and per CLK, and the objects kept alive meanwhile, cost the workers a quarter to a third of their
 * time in garbage collection): one string of all its values with their lengths going out, and the
 * bytes of its CLKs' JSON text (`"…","…"`) coming back in a transferred buffer.
 */
import type { WorkerRole } from '../../parallel/protocol.js';
import { type ClkEncoder, createClkEncoder, writeQuotedClk } from './encoder.js';
import type { ClkhashSchema } from './schema-types.js';

/**
 * What a clkhash worker is started with: the parsed schema and the secret's UTF-8 bytes, already
 * checked on the main thread (weak-secret rule, Unicode), copied to the worker and wiped there.
 */
export interface ClkhashInit {
  readonly schema: ClkhashSchema;
  readonly secret: Uint8Array;
  /** Token cache entries per feature and generation (the encoder's default when absent). */
  readonly tokenCacheSize?: number;
}

/**
 * A chunk of records, packed: every value of every record (schema feature order) concatenated in
 * `text`, their lengths in `lengths` (records × features), and each record's line for errors.
 */
export interface ClkhashChunk {
  readonly text: string;
  readonly lengths: Int32Array;
  readonly lines: Int32Array;
}

/** A chunk's CLKs: the ASCII bytes of `"clk1","clk2",…` (no brackets, no outer comma). */
export interface ClkhashChunkResult {
  readonly bytes: Uint8Array;
  readonly count: number;
}

/**
 * Encodes one packed chunk into the bytes of its CLKs' JSON strings, in order: what a worker runs,
 * and what the main thread runs itself when it starts no workers. Throws the encoder's error for
 * the chunk's first record clkhash would reject.
 * @example
 * ```ts
 * const chunk = { text: '1ANA2BO', lengths: Int32Array.of(1, 3, 1, 2), lines: Int32Array.of(2, 3) };
 * const { bytes, count } = encodeClkChunk(encoder, chunk); // count 2
 * new TextDecoder().decode(bytes); // '"JFIg…","AAQg…"'
 * ```
 */
export function encodeClkChunk(encoder: ClkEncoder, chunk: ClkhashChunk): ClkhashChunkResult {
  const { text, lengths, lines } = chunk;
  const count = lines.length;
  const width = count === 0 ? 0 : lengths.length / count;
  const bytes = new Uint8Array(count * (encoder.base64Length + 3));
  const record = new Array<string>(width);
  let o = 0;
  let at = 0;
  let k = 0;
  for (let r = 0; r < count; r++) {
    for (let f = 0; f < width; f++) {
      const end = at + (lengths[k++] ?? 0);
      record[f] = text.substring(at, end);
      at = end;
    }
    o = writeQuotedClk(encoder, record, bytes, o, r === 0, lines[r]);
  }
  return { bytes: bytes.subarray(0, o), count };
}

/**
 * The clkhash worker role: init builds the encoder (and wipes the secret bytes), each task is a
 * packed chunk of records, each result the bytes of its CLKs (transferred, not copied).
 * @example
 * ```ts
 * const pool = await WORKERS.start('clkhash', 2, () => ({ schema, secret: secretBytes.slice() }));
 * const { bytes, count } = await pool.run({ text: '1ANA', lengths: Int32Array.of(1, 3), lines: Int32Array.of(2) });
 * ```
 */
export const clkhashRole: WorkerRole<ClkhashInit, ClkhashChunk, ClkhashChunkResult, ClkEncoder> = {
  init(data) {
    try {
      return createClkEncoder(data.schema, data.secret, {
        // The main thread applied the weak-secret rule before any worker started.
        allowWeakSecret: true,
        ...(data.tokenCacheSize === undefined ? {} : { tokenCacheSize: data.tokenCacheSize }),
      });
    } finally {
      data.secret.fill(0);
    }
  },
  run(encoder, chunk) {
    const result = encodeClkChunk(encoder, chunk);
    return { result, transfer: [result.bytes.buffer as ArrayBuffer] };
  },
};
