/**
 * clkhash's double hashing (Schnell et al. 2011): h1 = HMAC-SHA1(key₁, token) and
 * h2 = HMAC-MD5(key₂, token), both read as big-endian integers modulo the filter length l, and
 * bits (h1 + i·h2) mod l for i < k. With `prevent_singularity`, while h2 is 0 the MD5 is redone
 * over the token followed by the UTF-8 bytes of `chr(j)` for j = 0, 1, …, as clkhash does.
 */
import { type _HMAC, hmac } from '@noble/hashes/hmac.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { setBit } from './filter.js';
import { TokenCache } from './token-cache.js';

const utf8 = new TextEncoder();
// biome-ignore lint/suspicious/noExplicitAny: noble types a keyed HMAC over any hash as _HMAC<any>.
type Mac = _HMAC<any>;

function mod(digest: Uint8Array, l: number): number {
  let acc = 0;
  // acc < l ≤ 2^24, so acc·256 + byte stays far below 2^53.
  for (const byte of digest) acc = (acc * 256 + byte) % l;
  return acc;
}

/** Inserts tokens into a filter with HMAC-SHA1/HMAC-MD5 double hashing, caching token → (h1, h2). */
export class DoubleHasher {
  private readonly sha1: Mac;
  private readonly md5: Mac;
  private readonly md5Key: Uint8Array;
  private readonly work: { sha1: Mac | undefined; md5: Mac | undefined } = {
    sha1: undefined,
    md5: undefined,
  };
  private readonly cache: TokenCache<number>;

  /**
   * @param sha1Key - the feature's first derived key; @param md5Key - its second (both copied,
   *   the copies wiped by `dispose`).
   * @param filterBits - filter length before folding.
   * @param preventSingularity - redo h2 while it is 0 (clkhash's `prevent_singularity`).
   * @param encode - token → bytes, in the feature's text encoding.
   * @param cacheSize - token cache entries per generation (0 disables it).
   * @example
   * ```ts
   * const h = new DoubleHasher(k1, k2, 2048, true, (s) => new TextEncoder().encode(s), 1 << 15);
   * h.insert(filter, 'LI', 15);
   * h.dispose();
   * ```
   */
  constructor(
    sha1Key: Uint8Array,
    md5Key: Uint8Array,
    private readonly filterBits: number,
    private readonly preventSingularity: boolean,
    private readonly encode: (token: string) => Uint8Array,
    cacheSize: number,
  ) {
    // Pre-keyed HMAC states: each token then costs the message compressions only.
    this.sha1 = hmac.create(sha1, sha1Key);
    this.md5 = hmac.create(md5, md5Key);
    this.md5Key = md5Key.slice();
    this.cache = new TokenCache(cacheSize);
  }

  /** Sets bits (h1 + i·h2) mod l, i < k, for the token. */
  insert(filter: Uint8Array, token: string, k: number): void {
    if (k <= 0) return;
    const l = this.filterBits;
    let packed = this.cache.get(token);
    if (packed === undefined) {
      packed = this.hashes(token);
      this.cache.set(token, packed);
    }
    const h1 = Math.floor(packed / l);
    const h2 = packed - h1 * l;
    for (let i = 0, g = h1; i < k; i++) {
      setBit(filter, g);
      g += h2;
      if (g >= l) g -= l;
    }
  }

  private mac(which: 'sha1' | 'md5', message: Uint8Array): Uint8Array {
    const work = this[which]._cloneInto(this.work[which]);
    this.work[which] = work;
    return work.update(message).digest();
  }

  /** h1·l + h2 (both < l ≤ 2^24, so the pair fits a double exactly). */
  private hashes(token: string): number {
    const l = this.filterBits;
    const message = this.encode(token);
    const h1 = mod(this.mac('sha1', message), l);
    let h2 = mod(this.mac('md5', message), l);
    for (let j = 0; this.preventSingularity && h2 === 0; j++) {
      const suffix = utf8.encode(String.fromCodePoint(j));
      const salted = new Uint8Array(message.length + suffix.length);
      salted.set(message);
      salted.set(suffix, message.length);
      h2 = mod(hmac(md5, this.md5Key, salted), l);
    }
    return h1 * l + h2;
  }

  /** Destroys the keyed HMAC states, wipes the key copy and drops the cache. */
  dispose(): void {
    this.sha1.destroy();
    this.md5.destroy();
    this.work.sha1?.destroy();
    this.work.md5?.destroy();
    this.md5Key.fill(0);
    this.cache.clear();
  }
}
