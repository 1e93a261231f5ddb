/**
 * The worker side of clkhash-compatible encoding on all cores: each worker holds its own CLK
 * encoder (keys derived from the secret bytes it was given, which it wipes) and turns chunks of
 * records into base64 CLKs. The main thread reads the CSV and hands out the chunks in file order,
 * then writes the results in the same order, so the output is the one-thread output for any number
 * of threads (src/encode/clkhash/parallel.node.ts). Runtime-neutral.
 */
import type { WorkerRole } from '../../parallel/protocol.js';
import { type ClkEncoder, createClkEncoder } from './encoder.js';
import { clkToBase64 } from './json.js';
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

/** A chunk of records: values in schema feature order, and each record's line for errors. */
export interface ClkhashChunk {
  readonly records: readonly (readonly string[])[];
  readonly lines: readonly number[];
}

/**
 * Encodes one chunk of records into base64 CLKs, in order: what a worker runs, and what the main
 * thread runs itself when it starts no workers. Throws the encoder's error for the chunk's first
 * record clkhash would reject.
 * @example
 * ```ts
 * const clks = encodeClkChunk(encoder, { records: [['1', 'ANA']], lines: [2] }); // ['JFIg…']
 * ```
 */
export function encodeClkChunk(encoder: ClkEncoder, chunk: ClkhashChunk): string[] {
  const { records, lines } = chunk;
  const out = new Array<string>(records.length);
  for (let i = 0; i < records.length; i++) out[i] = clkToBase64(encoder.encode(records[i] ?? [], lines[i]));
  return out;
}

/**
 * The clkhash worker role: init builds the encoder (and wipes the secret bytes), each task is a
 * chunk of records, each result its base64 CLKs in order.
 * @example
 * ```ts
 * const pool = await WORKERS.start('clkhash', 2, () => ({ schema, secret: secretBytes.slice() }));
 * const clks = await pool.run({ records, lines });
 * ```
 */
export const clkhashRole: WorkerRole<ClkhashInit, ClkhashChunk, string[], ClkEncoder> = {
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
    return { result: encodeClkChunk(encoder, chunk) };
  },
};
