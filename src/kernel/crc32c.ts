/**
 * CRC-32C (Castagnoli) kernels: the WebAssembly one (crc32c-module.ts) for long inputs, and the
 * JS slice-by-16 one, which is its fallback where WebAssembly is absent or refused (a CSP without
 * `wasm-unsafe-eval`) and the oracle the tests hold it to. Both give the same number for every input,
 * alignment and start value. `crc32c` in src/encoded/checksum.ts picks between them by length.
 */
import { CRC32C_LAYOUT, crc32cModuleBytes } from './crc32c-module.js';

/** Reflected Castagnoli polynomial. */
const POLY = 0x82f63b78;

/**
 * The slice-by-16 tables: entry `s · 256 + b` is the CRC register after byte `b` followed by `s`
 * zero bytes (table 0 is the byte-at-a-time table).
 * @example
 * ```ts
 * CRC32C_TABLES[1]; // the register after the byte 0x01: 0xf26b8303
 * ```
 */
export const CRC32C_TABLES: Int32Array = (() => {
  const t = new Int32Array(16 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let s = 1; s < 16; s++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[s * 256 + n] = c >>> 0;
    }
  }
  return t;
})();

/** Whether 32-bit reads of the bytes see them little-end first (every platform Node and browsers run on). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Continues a CRC-32C over `bytes` in JavaScript (start with `crc = 0`): slice-by-16 tables over
 * aligned 32-bit reads, slice-by-8 over bytes for the rest.
 * @example
 * ```ts
 * crc32cJs(new TextEncoder().encode('123456789')); // 0xe3069283
 * ```
 */
export function crc32cJs(bytes: Uint8Array, crc = 0): number {
  const t = CRC32C_TABLES;
  let c = ~crc >>> 0;
  let i = 0;
  const n = bytes.length;
  if (LITTLE_ENDIAN && n >= 32) {
    // Bytes up to a 4-byte boundary one at a time, then 16 bytes a step as four aligned 32-bit
    // reads (a quarter of the loads and bounds checks of reading bytes).
    for (; ((bytes.byteOffset + i) & 3) !== 0; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
    const steps = (n - i) >>> 4;
    const w = new Int32Array(bytes.buffer, bytes.byteOffset + i, steps * 4);
    for (let k = 0; k < w.length; k += 4) {
      const a = c ^ w[k]!;
      const b = w[k + 1]!;
      const d = w[k + 2]!;
      const e = w[k + 3]!;
      c =
        t[3840 + (a & 0xff)]! ^
        t[3584 + ((a >>> 8) & 0xff)]! ^
        t[3328 + ((a >>> 16) & 0xff)]! ^
        t[3072 + (a >>> 24)]! ^
        t[2816 + (b & 0xff)]! ^
        t[2560 + ((b >>> 8) & 0xff)]! ^
        t[2304 + ((b >>> 16) & 0xff)]! ^
        t[2048 + (b >>> 24)]! ^
        t[1792 + (d & 0xff)]! ^
        t[1536 + ((d >>> 8) & 0xff)]! ^
        t[1280 + ((d >>> 16) & 0xff)]! ^
        t[1024 + (d >>> 24)]! ^
        t[768 + (e & 0xff)]! ^
        t[512 + ((e >>> 8) & 0xff)]! ^
        t[256 + ((e >>> 16) & 0xff)]! ^
        t[e >>> 24]!;
    }
    i += steps * 16;
  }
  const end8 = n - ((n - i) % 8);
  for (; i < end8; i += 8) {
    const lo = (c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24))) >>> 0;
    c =
      t[1792 + (lo & 0xff)]! ^
      t[1536 + ((lo >>> 8) & 0xff)]! ^
      t[1280 + ((lo >>> 16) & 0xff)]! ^
      t[1024 + (lo >>> 24)]! ^
      t[768 + bytes[i + 4]!]! ^
      t[512 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < n; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

interface Kernel {
  readonly u8: Uint8Array;
  crc(state: number, at: number, n: number): number;
}

/** This thread's kernel: undefined until first used, null where WebAssembly is absent or refused. */
let kernel: Kernel | null | undefined;

function wasmKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  if (typeof WebAssembly !== 'object') return kernel;
  try {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(crc32cModuleBytes()));
    const memory = exports.memory as WebAssembly.Memory;
    new Int32Array(memory.buffer, CRC32C_LAYOUT.tables, CRC32C_TABLES.length).set(CRC32C_TABLES);
    kernel = {
      u8: new Uint8Array(memory.buffer),
      crc: exports.crc as Kernel['crc'],
    };
  } catch {
    // No WebAssembly here, or compilation refused: the JS kernel answers.
  }
  return kernel;
}

/**
 * Whether the WebAssembly CRC-32C kernel runs here (else {@link crc32cWasm} is the JS one).
 * @example
 * ```ts
 * crc32cWasmAvailable(); // true on Node and current browsers
 * ```
 */
export function crc32cWasmAvailable(): boolean {
  return wasmKernel() !== null;
}

/**
 * Continues a CRC-32C over `bytes` with the WebAssembly kernel (start with `crc = 0`): the bytes are
 * copied into the kernel's buffer 64 KiB at a time (the kernel reads only its own memory; a copy of
 * a piece that then sits in cache costs a few percent of the CRC). The JS kernel when WebAssembly is
 * not available. The same result as {@link crc32cJs}.
 * @example
 * ```ts
 * crc32cWasm(new TextEncoder().encode('123456789')); // 0xe3069283
 * ```
 */
export function crc32cWasm(bytes: Uint8Array, crc = 0): number {
  const k = wasmKernel();
  if (k === null) return crc32cJs(bytes, crc);
  const { buffer, bufferBytes } = CRC32C_LAYOUT;
  let state = ~crc;
  for (let at = 0; at < bytes.length; at += bufferBytes) {
    const piece = bytes.subarray(at, Math.min(bytes.length, at + bufferBytes));
    k.u8.set(piece, buffer);
    state = k.crc(state, buffer, piece.length);
  }
  return ~state >>> 0;
}
