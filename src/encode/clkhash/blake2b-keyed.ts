/**
 * Keyed, salted BLAKE2b-512 (RFC 7693) specialised for clkhash's many short tokens under one
 * key: the key block is compressed once per (key, salt), so a token shorter than 128 bytes costs
 * a single compression, with no allocation. 64-bit words are held as (high, low) 32-bit halves.
 * Output is identical to `blake2b(message, { key, salt })` of `@noble/hashes` (tested).
 */

const IV = new Uint32Array([
  0x6a09e667, 0xf3bcc908, 0xbb67ae85, 0x84caa73b, 0x3c6ef372, 0xfe94f82b, 0xa54ff53a, 0x5f1d36f1, 0x510e527f,
  0xade682d1, 0x9b05688c, 0x2b3e6c1f, 0x1f83d9ab, 0xfb41bd6b, 0x5be0cd19, 0x137e2179,
]);

const SIGMA = new Uint8Array([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
  11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4, 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
  9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13, 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
  12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11, 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
  6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5, 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
]);

// Working vector and message words: index 2i is the high half of word i, 2i+1 the low half.
const V = new Uint32Array(32);
const M = new Uint32Array(32);

function g(a: number, b: number, c: number, d: number, x: number, y: number): void {
  // a = a + b + m[x]
  let lo = V[2 * a + 1]! + V[2 * b + 1]!;
  let hi = V[2 * a]! + V[2 * b]! + (lo / 0x100000000 >= 1 ? 1 : 0);
  lo >>>= 0;
  let lo2 = lo + M[2 * x + 1]!;
  V[2 * a] = hi + M[2 * x]! + (lo2 / 0x100000000 >= 1 ? 1 : 0);
  V[2 * a + 1] = lo2;
  // d = (d ^ a) >>> 32
  let dh = V[2 * d]! ^ V[2 * a]!;
  let dl = V[2 * d + 1]! ^ V[2 * a + 1]!;
  V[2 * d] = dl;
  V[2 * d + 1] = dh;
  // c = c + d
  lo = V[2 * c + 1]! + V[2 * d + 1]!;
  V[2 * c] = V[2 * c]! + V[2 * d]! + (lo / 0x100000000 >= 1 ? 1 : 0);
  V[2 * c + 1] = lo;
  // b = (b ^ c) >>> 24
  let bh = V[2 * b]! ^ V[2 * c]!;
  let bl = V[2 * b + 1]! ^ V[2 * c + 1]!;
  V[2 * b] = (bh >>> 24) | (bl << 8);
  V[2 * b + 1] = (bl >>> 24) | (bh << 8);
  // a = a + b + m[y]
  lo = V[2 * a + 1]! + V[2 * b + 1]!;
  hi = V[2 * a]! + V[2 * b]! + (lo / 0x100000000 >= 1 ? 1 : 0);
  lo >>>= 0;
  lo2 = lo + M[2 * y + 1]!;
  V[2 * a] = hi + M[2 * y]! + (lo2 / 0x100000000 >= 1 ? 1 : 0);
  V[2 * a + 1] = lo2;
  // d = (d ^ a) >>> 16
  dh = V[2 * d]! ^ V[2 * a]!;
  dl = V[2 * d + 1]! ^ V[2 * a + 1]!;
  V[2 * d] = (dh >>> 16) | (dl << 16);
  V[2 * d + 1] = (dl >>> 16) | (dh << 16);
  // c = c + d
  lo = V[2 * c + 1]! + V[2 * d + 1]!;
  V[2 * c] = V[2 * c]! + V[2 * d]! + (lo / 0x100000000 >= 1 ? 1 : 0);
  V[2 * c + 1] = lo;
  // b = (b ^ c) >>> 63, i.e. rotate left by 1
  bh = V[2 * b]! ^ V[2 * c]!;
  bl = V[2 * b + 1]! ^ V[2 * c + 1]!;
  V[2 * b] = (bh << 1) | (bl >>> 31);
  V[2 * b + 1] = (bl << 1) | (bh >>> 31);
}

/** Loads 16 little-endian 64-bit message words from `block[offset…offset+127]`. */
function load(block: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const o = offset + 8 * i;
    M[2 * i + 1] = block[o]! | (block[o + 1]! << 8) | (block[o + 2]! << 16) | (block[o + 3]! << 24);
    M[2 * i] = block[o + 4]! | (block[o + 5]! << 8) | (block[o + 6]! << 16) | (block[o + 7]! << 24);
  }
}

/** Compresses the loaded message words into `h` (32 halves); `t` = bytes so far (< 2^53). */
function compress(h: Uint32Array, t: number, last: boolean): void {
  V.set(h);
  V.set(IV, 16);
  V[25] = (V[25]! ^ t) >>> 0; // word 12 low ^= t low
  V[24] = (V[24]! ^ Math.floor(t / 0x100000000)) >>> 0;
  if (last) {
    V[28] = ~V[28]!;
    V[29] = ~V[29]!;
  }
  for (let r = 0; r < 12; r++) {
    const s = 16 * (r % 10);
    g(0, 4, 8, 12, SIGMA[s]!, SIGMA[s + 1]!);
    g(1, 5, 9, 13, SIGMA[s + 2]!, SIGMA[s + 3]!);
    g(2, 6, 10, 14, SIGMA[s + 4]!, SIGMA[s + 5]!);
    g(3, 7, 11, 15, SIGMA[s + 6]!, SIGMA[s + 7]!);
    g(0, 5, 10, 15, SIGMA[s + 8]!, SIGMA[s + 9]!);
    g(1, 6, 11, 12, SIGMA[s + 10]!, SIGMA[s + 11]!);
    g(2, 7, 8, 13, SIGMA[s + 12]!, SIGMA[s + 13]!);
    g(3, 4, 9, 14, SIGMA[s + 14]!, SIGMA[s + 15]!);
  }
  for (let i = 0; i < 16; i++) h[i] = (h[i]! ^ V[i]! ^ V[i + 16]!) >>> 0;
}

/** BLAKE2b-512 with a fixed key (1–64 bytes) and 16-byte salt, for many messages. */
export class KeyedBlake2b {
  /** Chaining value after the parameter block (used for an empty message). */
  private readonly initial = new Uint32Array(16);
  /** Chaining value after compressing the key block (used for any non-empty message). */
  private readonly keyed = new Uint32Array(16);
  private readonly keyBlock = new Uint8Array(128);
  private readonly h = new Uint32Array(16);
  private readonly block = new Uint8Array(128);

  /**
   * @param key - MAC key, 1–64 bytes (copied; `dispose` wipes every key-derived state).
   * @param salt - exactly 16 bytes.
   * @example
   * ```ts
   * const mac = new KeyedBlake2b(key, salt);
   * const out = new Uint8Array(64);
   * mac.digest(new TextEncoder().encode(' A'), out);
   * mac.dispose();
   * ```
   */
  constructor(key: Uint8Array, salt: Uint8Array) {
    if (key.length < 1 || key.length > 64) throw new RangeError('key must be 1 to 64 bytes');
    if (salt.length !== 16) throw new RangeError('salt must be 16 bytes');
    this.initial.set(IV);
    this.initial[1] = (this.initial[1]! ^ (0x01010000 | (key.length << 8) | 64)) >>> 0;
    const s = new DataView(salt.buffer, salt.byteOffset, 16);
    this.initial[9] = (this.initial[9]! ^ s.getUint32(0, true)) >>> 0;
    this.initial[8] = (this.initial[8]! ^ s.getUint32(4, true)) >>> 0;
    this.initial[11] = (this.initial[11]! ^ s.getUint32(8, true)) >>> 0;
    this.initial[10] = (this.initial[10]! ^ s.getUint32(12, true)) >>> 0;
    this.keyBlock.set(key);
    this.keyed.set(this.initial);
    load(this.keyBlock, 0);
    compress(this.keyed, 128, false);
    M.fill(0);
  }

  /**
   * Writes the chaining value after the key block (8 little-endian 64-bit words, 64 bytes) into
   * `out` at `offset`: the state the WebAssembly kernel (blake2b-wasm.ts) starts a message from.
   */
  keyedState(out: Uint8Array, offset: number): void {
    wordsLittleEndian(this.keyed, out, offset);
  }

  /** Writes the 64-byte digest of `message` into `out`. */
  digest(message: Uint8Array, out: Uint8Array): void {
    const h = this.h;
    const len = message.length;
    if (len === 0) {
      h.set(this.initial);
      load(this.keyBlock, 0);
      compress(h, 128, true);
    } else {
      h.set(this.keyed);
      let offset = 0;
      for (; len - offset > 128; offset += 128) {
        load(message, offset);
        compress(h, 128 + offset + 128, false);
      }
      const block = this.block;
      block.fill(0);
      block.set(message.subarray(offset));
      load(block, 0);
      compress(h, 128 + len, true);
    }
    wordsLittleEndian(h, out, 0);
    M.fill(0);
  }

  /** Wipes the key block and every key-derived chaining value. */
  dispose(): void {
    this.initial.fill(0);
    this.keyed.fill(0);
    this.keyBlock.fill(0);
    this.h.fill(0);
    this.block.fill(0);
  }
}

/** The 8 64-bit words of `words` (each as [high, low] 32-bit halves) into `out` at `offset`, little-endian. */
function wordsLittleEndian(words: Uint32Array, out: Uint8Array, offset: number): void {
  for (let i = 0; i < 8; i++) {
    const hi = words[2 * i]!;
    const lo = words[2 * i + 1]!;
    const o = offset + 8 * i;
    out[o] = lo;
    out[o + 1] = lo >>> 8;
    out[o + 2] = lo >>> 16;
    out[o + 3] = lo >>> 24;
    out[o + 4] = hi;
    out[o + 5] = hi >>> 8;
    out[o + 6] = hi >>> 16;
    out[o + 7] = hi >>> 24;
  }
}
