/**
 * CRC-32C (Castagnoli), the integrity check of encoded files: every record batch carries the running
 * CRC of the file's content up to its end, and the file ends with the CRC of everything. It detects
 * accidental damage (a flipped bit, a cut or spliced file: every burst of up to 32 bits, every odd
 * number of flipped bits), not tampering: it is not keyed, so whoever edits a file can recompute it.
 * The CRC itself runs in src/kernel/crc32c.ts: WebAssembly for long inputs, JS for short ones and
 * where WebAssembly is absent.
 */
import { crc32cJs, crc32cWasm } from '../kernel/crc32c.js';
import type { EncodedBatch } from './batch.js';
import type { LinkageSchema } from './schema.js';

/**
 * Inputs from this many bytes on go to the WebAssembly kernel; shorter ones stay in JS, where a
 * call costs less than the copy into the kernel's buffer and the call into WebAssembly
 * (bench/crc32c.bench.ts).
 */
const WASM_MIN_BYTES = 64;

/**
 * Continues a CRC-32C over `bytes` (start with `crc = 0`; the result of one call is the `crc` of the
 * next, so a CRC can run over a stream chunk by chunk).
 * @example
 * ```ts
 * crc32c(new TextEncoder().encode('123456789')); // 0xe3069283
 * ```
 */
export function crc32c(bytes: Uint8Array, crc = 0): number {
  return bytes.length < WASM_MIN_BYTES ? crc32cJs(bytes, crc) : crc32cWasm(bytes, crc);
}

/**
 * A CRC as the 8 lowercase hex digits stored in files.
 * @example
 * ```ts
 * crcHex(0xe3069283); // 'e3069283'
 * ```
 */
export function crcHex(crc: number): string {
  return (crc >>> 0).toString(16).padStart(8, '0');
}

/**
 * The bytes of a typed array, as a view (no copy).
 * @example
 * ```ts
 * crc32c(bytesOf(Uint32Array.of(1, 2))); // the CRC of its 8 bytes
 * ```
 */
export function bytesOf(a: Uint8Array | Uint32Array | Int32Array): Uint8Array {
  return a instanceof Uint8Array ? a : new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * The record IDs of a batch as UTF-8: `offsets[i]` to `offsets[i + 1]` are the bytes of ID `i` (the
 * form of an Arrow string column).
 * @example
 * ```ts
 * const ids: Utf8Ids = { offsets: Int32Array.of(0, 2, 4), bytes: new TextEncoder().encode('C1C2') };
 * ```
 */
export interface Utf8Ids {
  readonly offsets: Int32Array;
  readonly bytes: Uint8Array;
}

/**
 * Strings as UTF-8 bytes and offsets ({@link Utf8Ids}): one `encodeInto` of them all joined when they
 * are ASCII (record IDs nearly always are; a byte per character then gives the offsets), else one by
 * one.
 * @example
 * ```ts
 * utf8Ids(['C1', 'Zoë']); // offsets [0, 2, 6], bytes of 'C1Zoë'
 * ```
 */
export function utf8Ids(values: readonly string[]): Utf8Ids {
  const enc = new TextEncoder();
  const offsets = new Int32Array(values.length + 1);
  const joined = values.join('');
  const bytes = new Uint8Array(joined.length * 3);
  const { written } = enc.encodeInto(joined, bytes);
  if (written === joined.length) {
    let end = 0;
    for (let i = 0; i < values.length; i++) {
      end += (values[i] as string).length;
      offsets[i + 1] = end;
    }
    return { offsets, bytes: bytes.subarray(0, written) };
  }
  let total = 0;
  const parts = values.map((v, i) => {
    const p = enc.encode(v);
    total += p.length;
    offsets[i + 1] = total;
    return p;
  });
  const out = new Uint8Array(total);
  for (let i = 0; i < parts.length; i++) out.set(parts[i] as Uint8Array, offsets[i] as number);
  return { offsets, bytes: out };
}

/**
 * Continues a CRC-32C over the content of a batch in a fixed order (record count, IDs as UTF-8 with
 * their byte lengths, data-quality codes, filters, hashes, sets, block offsets and keys), so that
 * writer and reader agree whatever the file's byte layout. `ids`, when given, are the batch's IDs
 * already as UTF-8 (a writer that needs them anyway saves encoding them twice). `crcOf` (default
 * `crc32c`) continues the CRC over one column: a reader that checksummed the file as it arrived
 * (`CrcBlocks`) answers from that for columns that are views of the file's bytes.
 * @example
 * ```ts
 * const crc = batchCrc(batch, meta.schema, previousCrc);
 * ```
 */
export function batchCrc(
  b: EncodedBatch,
  schema: LinkageSchema,
  crc: number,
  ids?: Utf8Ids,
  crcOf: (bytes: Uint8Array, crc: number) => number = crc32c,
): number {
  const { offsets, bytes: idBytes } = ids ?? utf8Ids(b.ids);
  const lengths = new Uint32Array(b.length + 1);
  lengths[0] = b.length;
  for (let i = 0; i < b.length; i++) lengths[i + 1] = (offsets[i + 1] as number) - (offsets[i] as number);
  let c = crc32c(bytesOf(lengths), crc);
  c = crcOf(idBytes, c);
  c = crcOf(b.nameDq, c);
  c = crcOf(b.dobDq, c);
  c = crcOf(b.ssnDq, c);
  for (const f of schema.features) {
    const col = f.kind === 'bloom' ? b.blooms[f.name] : f.kind === 'hash' ? b.hashes[f.name] : b.sets[f.name];
    if (col) c = crcOf(bytesOf(col), c);
  }
  for (const p of schema.blocking) {
    const col = b.blocks[p.name];
    if (!col) continue;
    const base = col.offsets[0] ?? 0;
    const rel = base === 0 ? col.offsets : col.offsets.map((o) => o - base);
    c = crcOf(bytesOf(rel), c);
    c = crcOf(bytesOf(col.keys.subarray(base, col.offsets[b.length] ?? base)), c);
  }
  return c;
}
