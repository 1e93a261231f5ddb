/**
 * clkhash's double hashing (Schnell et al. 2011): h1 = HMAC-SHA1(key₁, token) and
 * h2 = HMAC-MD5(key₂, token), both read as big-endian integers modulo the filter length l, and
 * bits (h1 + i·h2) mod l for i < k. With `prevent_singularity`, while h2 is 0 the MD5 is redone
 * over the token followed by the UTF-8 bytes of `chr(j)` for j = 0, 1, …, as clkhash does.
 */
import { setBit } from './filter.js';
import { KeyedLegacyHmac } from './hmac-legacy.js';
import {
  type ClkhashTextEncoding,
  type TextEncoderInto,
  textEncoder,
  textEncoderInto,
} from './text-encoding.js';
import { TokenCache } from './token-cache.js';

const utf8 = new TextEncoder();

/** Inserts tokens into a filter with HMAC-SHA1/HMAC-MD5 double hashing, caching token → (h1, h2). */
export class DoubleHasher {
  private readonly sha1: KeyedLegacyHmac;
  private readonly md5: KeyedLegacyHmac;
  private readonly cache: TokenCache<number> | undefined;
  private readonly encode: (token: string) => Uint8Array;
  private readonly encodeInto: TextEncoderInto;
  /** The current token's bytes (tokens that fit; longer ones are encoded apart). */
  private readonly message = new Uint8Array(256);

  /**
   * @param sha1Key - the feature's first derived key; @param md5Key - its second (neither kept:
   *   only their HMAC pad states, wiped by `dispose`).
   * @param filterBits - filter length before folding.
   * @param preventSingularity - redo h2 while it is 0 (clkhash's `prevent_singularity`).
   * @param encoding - the feature's text encoding (how a token becomes bytes).
   * @param cacheSize - token cache entries per generation (0 disables it).
   * @example
   * ```ts
   * const h = new DoubleHasher(k1, k2, 2048, true, 'utf-8', 1 << 15);
   * h.insert(filter, 'LI', 15);
   * h.dispose();
   * ```
   */
  constructor(
    sha1Key: Uint8Array,
    md5Key: Uint8Array,
    private readonly filterBits: number,
    private readonly preventSingularity: boolean,
    encoding: ClkhashTextEncoding,
    cacheSize: number,
  ) {
    // Pre-keyed HMAC states: each token then costs the message compressions only.
    this.sha1 = new KeyedLegacyHmac('sha1', sha1Key);
    this.md5 = new KeyedLegacyHmac('md5', md5Key);
    this.cache = cacheSize > 0 ? new TokenCache(cacheSize) : undefined;
    this.encode = textEncoder(encoding);
    this.encodeInto = textEncoderInto(encoding);
  }

  /** Sets bits (h1 + i·h2) mod l, i < k, for the token. */
  insert(filter: Uint8Array, token: string, k: number): void {
    if (k <= 0) return;
    const l = this.filterBits;
    let packed = this.cache?.get(token);
    if (packed === undefined) {
      packed = this.hashes(token);
      this.cache?.set(token, packed);
    }
    const h1 = Math.floor(packed / l);
    const h2 = packed - h1 * l;
    for (let i = 0, g = h1; i < k; i++) {
      setBit(filter, g);
      g += h2;
      if (g >= l) g -= l;
    }
  }

  /** h1·l + h2 (both < l ≤ 2^24, so the pair fits a double exactly). */
  private hashes(token: string): number {
    const l = this.filterBits;
    let message: Uint8Array = this.message;
    let len = this.encodeInto(token, message);
    if (len < 0) {
      message = this.encode(token);
      len = message.length;
    }
    const h1 = this.sha1.mod(message, len, l);
    let h2 = this.md5.mod(message, len, l);
    for (let j = 0; this.preventSingularity && h2 === 0; j++) {
      const suffix = utf8.encode(String.fromCodePoint(j));
      const salted = new Uint8Array(len + suffix.length);
      salted.set(message.subarray(0, len));
      salted.set(suffix, len);
      h2 = this.md5.mod(salted, salted.length, l);
    }
    return h1 * l + h2;
  }

  /** Wipes the HMAC pad states and the last token, and drops the cache. */
  dispose(): void {
    this.sha1.dispose();
    this.md5.dispose();
    this.message.fill(0);
    this.cache?.clear();
  }
}
