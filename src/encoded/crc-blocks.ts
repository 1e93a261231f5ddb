/**
 * CRC-32C of a file computed block by block as its pieces arrive, so that the CRC of any byte range
 * of it is later a few table look-ups and combinations instead of a pass over the bytes. `bloomlink
 * match` reads a one-batch plan file (1 GB at 3·10⁶ members) in pieces on libuv's threads; the main
 * thread checksums each piece while the others are still being read, and the batch's CRC (the
 * columns in the writer's order) is then put together from the blocks (docs/scaling.md, "Reading the
 * plan file"). The result is the same number `crc32c` gives over the same bytes.
 */
import { crc32c } from './checksum.js';

/** Reflected Castagnoli polynomial. */
const POLY = 0x82f63b78;

/** a(x) · b(x) modulo the polynomial (reflected bit order: bit 31 is x⁰). */
function multModP(a: number, b: number): number {
  if (a === 0) return 0;
  let m = 0x80000000;
  let p = 0;
  let x = b >>> 0;
  for (;;) {
    if ((a & m) !== 0) {
      p ^= x;
      if ((a & (m - 1)) >>> 0 === 0) break;
    }
    m >>>= 1;
    x = x & 1 ? (x >>> 1) ^ POLY : x >>> 1;
  }
  return p >>> 0;
}

/**
 * x^(2^k) modulo the polynomial, k = 0 … 63, each the square of the one before (no period assumed:
 * the sequence does not repeat every 32 steps for this polynomial, so a table of 32 indexed `k & 31`
 * gives wrong results from 2²⁹ bytes on). Lengths below 2⁵³ bytes need k ≤ 56.
 */
const X2N = (() => {
  const t = new Uint32Array(64);
  let p = 0x40000000; // x¹
  t[0] = p;
  for (let k = 1; k < t.length; k++) {
    p = multModP(p, p);
    t[k] = p;
  }
  return t;
})();

/** x^(8·n) modulo the polynomial: the operator that appends n zero bytes to a CRC. */
function zerosOperator(n: number): number {
  let p = 0x80000000; // x⁰
  let k = 3;
  // n may exceed 2³¹ (a range of a large file): halve it as a float.
  for (let m = n; m > 0; m = Math.floor(m / 2), k++) if (m % 2 === 1) p = multModP(X2N[k] as number, p);
  return p;
}

/**
 * The CRC-32C of `A‖B` from `crcA` (of `A`, or of `A` continued from any start), `crcB` (of `B`
 * alone, started from 0) and `B`'s length in bytes: `crc32c(B, crc32c(A, c)) ===
 * crc32cCombine(crc32c(A, c), crc32c(B), B.length)`.
 * @example
 * ```ts
 * const ab = new TextEncoder().encode('123456789');
 * crc32cCombine(crc32c(ab.subarray(0, 4)), crc32c(ab.subarray(4)), 5); // 0xe3069283
 * ```
 */
export function crc32cCombine(crcA: number, crcB: number, lengthB: number): number {
  if (!Number.isSafeInteger(lengthB) || lengthB < 0) throw new RangeError('lengthB must be an integer >= 0');
  if (lengthB === 0) return crcA >>> 0;
  return (multModP(zerosOperator(lengthB), crcA) ^ crcB) >>> 0;
}

/** Default block: small enough that the partial blocks at a range's two ends cost little to redo. */
const BLOCK = 1 << 16;

/**
 * The CRC-32C of every `blockBytes`-long block of a byte array (from 0 each), filled in as pieces of
 * the array are {@link CrcBlocks.add}ed (in any order), and the CRC of any range of it from those
 * blocks ({@link CrcBlocks.crc}): a block not yet added is checksummed from the bytes then.
 * @example
 * ```ts
 * const blocks = new CrcBlocks(bytes);
 * blocks.add(0, bytes.length); // as each piece of the file lands
 * blocks.crc(bytes.subarray(10, 1000), 0) === crc32c(bytes.subarray(10, 1000)); // true
 * ```
 */
export class CrcBlocks {
  readonly #bytes: Uint8Array;
  readonly #block: number;
  readonly #crcs: Uint32Array;
  readonly #done: Uint8Array;
  /** Appending one whole block's worth of zero bytes to a CRC. */
  readonly #shift: number;

  /** `bytes`: the whole array whose pieces will be added (their contents need not be there yet). */
  constructor(bytes: Uint8Array, blockBytes = BLOCK) {
    if (!Number.isInteger(blockBytes) || blockBytes < 1)
      throw new RangeError('blockBytes must be a positive integer');
    this.#bytes = bytes;
    this.#block = blockBytes;
    const n = Math.ceil(bytes.length / blockBytes);
    this.#crcs = new Uint32Array(n);
    this.#done = new Uint8Array(n);
    this.#shift = zerosOperator(blockBytes);
  }

  /** Checksums the whole blocks that lie within `from..to−1`, whose bytes are now final. */
  add(from: number, to: number): void {
    const b = this.#block;
    const end = Math.min(to, this.#bytes.length);
    for (let k = Math.ceil(from / b); k * b < end; k++) {
      const blockEnd = Math.min(this.#bytes.length, (k + 1) * b);
      if (blockEnd > end) break;
      this.#crcs[k] = crc32c(this.#bytes.subarray(k * b, blockEnd));
      this.#done[k] = 1;
    }
  }

  /**
   * `crc32c(view, crc)`, from the blocks when `view` lies in this array's bytes (same buffer), else
   * over `view` itself.
   */
  crc(view: Uint8Array, crc: number): number {
    const bytes = this.#bytes;
    const from = view.byteOffset - bytes.byteOffset;
    if (view.buffer !== bytes.buffer || from < 0 || from + view.length > bytes.length)
      return crc32c(view, crc);
    const to = from + view.length;
    const b = this.#block;
    const firstWhole = Math.ceil(from / b);
    const lastWhole = Math.floor(to / b); // blocks firstWhole … lastWhole − 1 lie wholly inside
    if (lastWhole <= firstWhole) return crc32c(view, crc);
    let c = crc32c(bytes.subarray(from, firstWhole * b), crc);
    for (let k = firstWhole; k < lastWhole; k++) {
      if (this.#done[k] === 1) c = (multModP(this.#shift, c) ^ (this.#crcs[k] as number)) >>> 0;
      else c = crc32c(bytes.subarray(k * b, (k + 1) * b), c);
    }
    return crc32c(bytes.subarray(lastWhole * b, to), c);
  }
}
