/**
 * HMAC-SHA1 and HMAC-MD5 (RFC 2104; FIPS 180-4, RFC 1321) for clkhash's double hashing, where each
 * token costs two HMACs under fixed keys: the keys' inner and outer pad states are compressed once,
 * so a token under 56 bytes costs two compressions per HMAC, with no allocation (the token is
 * encoded into this object's block). The result is the digest read as a big-endian integer modulo
 * the filter length, which is all clkhash uses. Identical to `@noble/hashes` `hmac` (tested).
 */
import { md5, sha1 } from '@noble/hashes/legacy.js';

const SHA1_IV = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
const MD5_IV = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];

const W = new Int32Array(80);

/** SHA-1 compression of `block[o…o+63]` into `h` (5 words). */
function sha1Compress(h: Int32Array, block: Uint8Array, o: number): void {
  for (let i = 0; i < 16; i++) {
    const p = o + 4 * i;
    W[i] = (block[p]! << 24) | (block[p + 1]! << 16) | (block[p + 2]! << 8) | block[p + 3]!;
  }
  for (let i = 16; i < 80; i++) {
    const x = W[i - 3]! ^ W[i - 8]! ^ W[i - 14]! ^ W[i - 16]!;
    W[i] = (x << 1) | (x >>> 31);
  }
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  for (let i = 0; i < 80; i++) {
    let f: number;
    let k: number;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6;
    }
    const t = (((a << 5) | (a >>> 27)) + f + e + k + W[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
}

const MD5_K = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);
const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/** MD5 compression of `block[o…o+63]` into `h` (4 words). */
function md5Compress(h: Int32Array, block: Uint8Array, o: number): void {
  for (let i = 0; i < 16; i++) {
    const p = o + 4 * i;
    W[i] = block[p]! | (block[p + 1]! << 8) | (block[p + 2]! << 16) | (block[p + 3]! << 24);
  }
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  for (let i = 0; i < 64; i++) {
    let f: number;
    let g: number;
    if (i < 16) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (i < 32) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) & 15;
    } else if (i < 48) {
      f = b ^ c ^ d;
      g = (3 * i + 5) & 15;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) & 15;
    }
    const s = MD5_S[4 * (i >> 4) + (i & 3)]!;
    const x = (a + f + MD5_K[i]! + W[g]!) | 0;
    a = d;
    d = c;
    c = b;
    b = (b + ((x << s) | (x >>> (32 - s)))) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
}

/**
 * A keyed HMAC-SHA1 or HMAC-MD5 for many short messages, returning the digest modulo a number.
 * @example
 * ```ts
 * const mac = new KeyedLegacyHmac('sha1', key);
 * const n = mac.mod(new TextEncoder().encode('AN'), 2, 2048); // int(HMAC-SHA1(key, 'AN')) % 2048
 * mac.dispose();
 * ```
 */
export class KeyedLegacyHmac {
  private readonly inner: Int32Array;
  private readonly outer: Int32Array;
  private readonly h: Int32Array;
  private readonly block = new Uint8Array(64);
  private readonly bigEndian: boolean;
  private readonly compress: (h: Int32Array, block: Uint8Array, o: number) => void;

  /**
   * @param hash - `sha1` or `md5`.
   * @param key - the HMAC key (not kept: only its pad states, wiped by `dispose`).
   */
  constructor(hash: 'sha1' | 'md5', key: Uint8Array) {
    const words = hash === 'sha1' ? 5 : 4;
    this.bigEndian = hash === 'sha1';
    this.compress = hash === 'sha1' ? sha1Compress : md5Compress;
    this.inner = new Int32Array(words);
    this.outer = new Int32Array(words);
    this.h = new Int32Array(words);
    const k = key.length > 64 ? (hash === 'sha1' ? sha1(key) : md5(key)) : key;
    for (const [state, byte] of [
      [this.inner, 0x36],
      [this.outer, 0x5c],
    ] as const) {
      state.set(hash === 'sha1' ? SHA1_IV : MD5_IV);
      this.block.fill(byte);
      for (let i = 0; i < k.length; i++) this.block[i] = k[i]! ^ byte;
      this.compress(state, this.block, 0);
    }
    if (k !== key) k.fill(0);
    this.block.fill(0);
  }

  /** Hashes `bytes` from state `h` (already past `prefix` bytes), padding included. */
  private run(h: Int32Array, bytes: Uint8Array, len: number, prefix: number): void {
    let o = 0;
    for (; len - o >= 64; o += 64) this.compress(h, bytes, o);
    const block = this.block;
    const rest = len - o;
    for (let i = 0; i < rest; i++) block[i] = bytes[o + i]!;
    block[rest] = 0x80;
    block.fill(0, rest + 1);
    if (rest >= 56) {
      this.compress(h, block, 0);
      block.fill(0);
    }
    const bits = (prefix + len) * 8; // < 2^32 for any token
    if (this.bigEndian) {
      block[60] = bits >>> 24;
      block[61] = bits >>> 16;
      block[62] = bits >>> 8;
      block[63] = bits;
    } else {
      block[56] = bits;
      block[57] = bits >>> 8;
      block[58] = bits >>> 16;
      block[59] = bits >>> 24;
    }
    this.compress(h, block, 0);
  }

  /** The digest byte i (big-endian words for SHA-1, little-endian for MD5) of state `h`. */
  private byte(h: Int32Array, i: number): number {
    const w = h[i >> 2]!;
    const shift = this.bigEndian ? 24 - 8 * (i & 3) : 8 * (i & 3);
    return (w >>> shift) & 0xff;
  }

  /** HMAC of `message[0…len−1]`, read as a big-endian integer, modulo `l` (≤ 2^24). */
  mod(message: Uint8Array, len: number, l: number): number {
    const h = this.h;
    h.set(this.inner);
    this.run(h, message, len, 64);
    const size = 4 * h.length;
    // The inner digest as bytes, hashed under the outer state.
    const digest = DIGEST;
    for (let i = 0; i < size; i++) digest[i] = this.byte(h, i);
    h.set(this.outer);
    this.run(h, digest, size, 64);
    let acc = 0;
    // acc < l ≤ 2^24, so acc·256 + byte stays far below 2^53.
    for (let i = 0; i < size; i++) acc = (acc * 256 + this.byte(h, i)) % l;
    return acc;
  }

  /** Wipes the pad states and the working state. */
  dispose(): void {
    this.inner.fill(0);
    this.outer.fill(0);
    this.h.fill(0);
    this.block.fill(0);
    DIGEST.fill(0);
    W.fill(0);
  }
}

const DIGEST = new Uint8Array(20);
