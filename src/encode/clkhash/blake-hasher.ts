/**
 * clkhash's `blake_hash_token`: for a token needing k bits, BLAKE2b-512 keyed with the feature's
 * first derived key is computed ⌈k/32⌉ times with salt `str(i)` (zero-padded to 16 bytes); each
 * digest is read as 32 little-endian unsigned 16-bit integers (`struct.unpack('32H')` on x86) and
 * the first k of them, modulo the filter length, are the bit indices.
 */
import { KeyedBlake2b } from './blake2b-keyed.js';
import { setBit } from './filter.js';
import { TokenCache } from './token-cache.js';

const ascii = new TextEncoder();
const SALTS: Uint8Array[] = [];

function salt(i: number): Uint8Array {
  let s = SALTS[i];
  if (s === undefined) {
    s = new Uint8Array(16);
    s.set(ascii.encode(String(i)));
    SALTS[i] = s;
  }
  return s;
}

/** Inserts tokens into a filter with keyed BLAKE2b, caching token → indices. */
export class BlakeHasher {
  private readonly key: Uint8Array;
  private readonly cache: TokenCache<Uint16Array>;
  /** One pre-keyed BLAKE2b per salt index, created when a token first needs it. */
  private readonly macs: KeyedBlake2b[] = [];
  private readonly digest = new Uint8Array(64);

  /**
   * @param key - the feature's BLAKE2b key (copied; the copy is wiped by `dispose`).
   * @param filterBits - filter length before folding (a power of two).
   * @param encode - token → bytes, in the feature's text encoding.
   * @param cacheSize - token cache entries per generation (0 disables it).
   * @example
   * ```ts
   * const h = new BlakeHasher(key, 1024, (s) => new TextEncoder().encode(s), 1 << 15);
   * h.insert(filter, ' A', 20);
   * h.dispose();
   * ```
   */
  constructor(
    key: Uint8Array,
    private readonly filterBits: number,
    private readonly encode: (token: string) => Uint8Array,
    cacheSize: number,
  ) {
    this.key = key.slice();
    this.cache = new TokenCache(cacheSize);
  }

  /** Sets the token's first `k` bit indices in `filter`. */
  insert(filter: Uint8Array, token: string, k: number): void {
    if (k <= 0) return;
    let indices = this.cache.get(token);
    if (indices === undefined || indices.length < k) {
      indices = this.indices(token, k, indices);
      this.cache.set(token, indices);
    }
    for (let i = 0; i < k; i++) setBit(filter, indices[i] ?? 0);
  }

  /** Extends `known` (indices from earlier digests, if any) to at least `k` indices. */
  private indices(token: string, k: number, known: Uint16Array | undefined): Uint16Array {
    const macs = Math.ceil(k / 32);
    const out = new Uint16Array(32 * macs);
    const done = known ? known.length / 32 : 0;
    if (known) out.set(known);
    const message = this.encode(token);
    const d = this.digest;
    for (let m = done; m < macs; m++) {
      let mac = this.macs[m];
      if (mac === undefined) {
        mac = new KeyedBlake2b(this.key, salt(m));
        this.macs[m] = mac;
      }
      mac.digest(message, d);
      for (let j = 0; j < 32; j++)
        out[32 * m + j] = ((d[2 * j] ?? 0) | ((d[2 * j + 1] ?? 0) << 8)) % this.filterBits;
    }
    return out;
  }

  /** Wipes the key and the keyed states and drops the cache. */
  dispose(): void {
    this.key.fill(0);
    this.digest.fill(0);
    for (const mac of this.macs) mac.dispose();
    this.cache.clear();
  }
}
