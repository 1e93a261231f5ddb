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
  sha1Words(h);
}

/** SHA-1 compression of the 16 message words in `W` into `h`. */
function sha1Words(h: Int32Array): void {
  for (let i = 16; i < 80; i++) {
    const x = W[i - 3]! ^ W[i - 8]! ^ W[i - 14]! ^ W[i - 16]!;
    W[i] = (x << 1) | (x >>> 31);
  }
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  let t = 0;
  // The four 20-round phases as separate loops (no branch per round).
  for (let i = 0; i < 20; i++) {
    t = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + W[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (let i = 20; i < 40; i++) {
    t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + W[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (let i = 40; i < 60; i++) {
    t = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + W[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (let i = 60; i < 80; i++) {
    t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + W[i]!) | 0;
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
const MD5_S = new Int32Array([7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]);

/** MD5 compression of `block[o…o+63]` into `h` (4 words). */
function md5Compress(h: Int32Array, block: Uint8Array, o: number): void {
  for (let i = 0; i < 16; i++) {
    const p = o + 4 * i;
    W[i] = block[p]! | (block[p + 1]! << 8) | (block[p + 2]! << 16) | (block[p + 3]! << 24);
  }
  md5Words(h);
}

/** MD5 compression of the 16 message words in `W` into `h`. */
function md5Words(h: Int32Array): void {
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let x = 0;
  let r = 0;
  // The four 16-step rounds as separate loops (no branch per step).
  for (let i = 0; i < 16; i++) {
    x = (a + ((b & c) | (~b & d)) + MD5_K[i]! + W[i]!) | 0;
    r = MD5_S[i & 3]!;
    a = d;
    d = c;
    c = b;
    b = (b + ((x << r) | (x >>> (32 - r)))) | 0;
  }
  for (let i = 16; i < 32; i++) {
    x = (a + ((d & b) | (~d & c)) + MD5_K[i]! + W[(5 * i + 1) & 15]!) | 0;
    r = MD5_S[4 + (i & 3)]!;
    a = d;
    d = c;
    c = b;
    b = (b + ((x << r) | (x >>> (32 - r)))) | 0;
  }
  for (let i = 32; i < 48; i++) {
    x = (a + (b ^ c ^ d) + MD5_K[i]! + W[(3 * i + 5) & 15]!) | 0;
    r = MD5_S[8 + (i & 3)]!;
    a = d;
    d = c;
    c = b;
    b = (b + ((x << r) | (x >>> (32 - r)))) | 0;
  }
  for (let i = 48; i < 64; i++) {
    x = (a + (c ^ (b | ~d)) + MD5_K[i]! + W[(7 * i) & 15]!) | 0;
    r = MD5_S[12 + (i & 3)]!;
    a = d;
    d = c;
    c = b;
    b = (b + ((x << r) | (x >>> (32 - r)))) | 0;
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

  /** Digest word i of state `h` as the big-endian integer of its 4 bytes (MD5's are little-endian). */
  private word(h: Int32Array, i: number): number {
    const w = h[i]!;
    return this.bigEndian
      ? w >>> 0
      : ((w >>> 24) | ((w >>> 8) & 0xff00) | ((w & 0xff00) << 8) | (w << 24)) >>> 0;
  }

  /** HMAC of `message[0…len−1]`, read as a big-endian integer, modulo `l` (≤ 2^24). */
  mod(message: Uint8Array, len: number, l: number): number {
    const h = this.h;
    h.set(this.inner);
    this.run(h, message, len, 64);
    const words = h.length;
    // The outer hash's one block, as message words: the inner digest (SHA-1 reads its big-endian
    // bytes, MD5 its little-endian ones, so either way the state words themselves), the padding
    // bit and the length, 64 + digest bytes.
    for (let i = 0; i < words; i++) W[i] = h[i]!;
    W.fill(0, words, 16);
    if (this.bigEndian) {
      W[5] = 0x80000000 | 0;
      W[15] = (64 + 20) * 8;
      h.set(this.outer);
      sha1Words(h);
    } else {
      W[4] = 0x80;
      W[14] = (64 + 16) * 8;
      h.set(this.outer);
      md5Words(h);
    }
    let acc = 0;
    // acc < l ≤ 2^24, so acc·2^16 + 16 bits stays far below 2^53.
    for (let i = 0; i < words; i++) {
      const w = this.word(h, i);
      acc = (acc * 65536 + (w >>> 16)) % l;
      acc = (acc * 65536 + (w & 0xffff)) % l;
    }
    return acc;
  }

  /** Wipes the pad states and the working state. */
  dispose(): void {
    this.inner.fill(0);
    this.outer.fill(0);
    this.h.fill(0);
    this.block.fill(0);
    W.fill(0);
  }
}
