/**
 * clkhash's `blake_hash_token`: for a token needing k bits, BLAKE2b-512 keyed with the feature's
 * first derived key is computed ⌈k/32⌉ times with salt `str(i)` (zero-padded to 16 bytes); each
 * digest is read as 32 little-endian unsigned 16-bit integers (`struct.unpack('32H')` on x86) and
 * the first k of them, modulo the filter length, are the bit indices.
 *
 * Tokens of 1–128 bytes (every n-gram, date and code in practice) are encoded straight into the
 * WebAssembly kernel's memory and hashed there in one compression (blake2b-wasm.ts), with no
 * allocation per token; longer or empty tokens, and runtimes without WebAssembly, use the JS
 * compression (blake2b-keyed.ts). Both give the same digest (tested).
 */
import { KeyedBlake2b } from './blake2b-keyed.js';
import { BLAKE_OUT, BLAKE_STATES, blake2bKernel } from './blake2b-wasm.js';
import { setBit } from './filter.js';
import {
  type ClkhashTextEncoding,
  type TextEncoderInto,
  textEncoder,
  textEncoderInto,
} from './text-encoding.js';
import { TokenCache } from './token-cache.js';

const ascii = new TextEncoder();
const SALTS: Uint8Array[] = [];
/** Keyed states the kernel's page holds after the message and the digest (salts 0…1020). */
const MAX_WASM_SALTS = (65536 - BLAKE_STATES) / 64;

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
  private readonly cache: TokenCache<Uint16Array> | undefined;
  /** One pre-keyed BLAKE2b per salt index, created when a token first needs it. */
  private readonly macs: KeyedBlake2b[] = [];
  private readonly encode: (token: string) => Uint8Array;
  private readonly encodeInto: TextEncoderInto;
  private readonly kernel: ReturnType<typeof blake2bKernel>;
  /** The kernel's message block (bytes 0–127); bytes from `written` on are zero. */
  private readonly message: Uint8Array;
  private written = 0;
  /** The digest as 32 little-endian 16-bit words: the kernel's output, or `jsDigest` read so. */
  private readonly words: Uint16Array;
  private readonly bytes: Uint8Array;
  /** Salts whose keyed state is in the kernel's memory. */
  private kernelSalts = 0;

  /**
   * @param key - the feature's BLAKE2b key (copied; the copy is wiped by `dispose`).
   * @param filterBits - filter length before folding (a power of two).
   * @param encoding - the feature's text encoding (how a token becomes bytes).
   * @param cacheSize - token cache entries per generation (0 disables it).
   * @example
   * ```ts
   * const h = new BlakeHasher(key, 1024, 'utf-8', 1 << 15);
   * h.insert(filter, ' A', 20);
   * h.dispose();
   * ```
   */
  constructor(
    key: Uint8Array,
    private readonly filterBits: number,
    encoding: ClkhashTextEncoding,
    cacheSize: number,
  ) {
    this.key = key.slice();
    this.cache = cacheSize > 0 ? new TokenCache(cacheSize) : undefined;
    this.encode = textEncoder(encoding);
    this.encodeInto = textEncoderInto(encoding);
    this.kernel = blake2bKernel();
    const buffer = this.kernel?.memory.buffer ?? new ArrayBuffer(BLAKE_STATES);
    this.bytes = new Uint8Array(buffer);
    this.message = new Uint8Array(buffer, 0, 128);
    this.words = new Uint16Array(buffer, BLAKE_OUT, 32);
  }

  /** Sets the token's first `k` bit indices in `filter`. */
  insert(filter: Uint8Array, token: string, k: number): void {
    if (k <= 0) return;
    const cache = this.cache;
    if (cache === undefined) {
      // No cache: each digest's indices go straight into the filter.
      const len = this.load(token);
      const l = this.filterBits;
      const words = this.words;
      for (let m = 0, done = 0; done < k; m++) {
        this.digest(m, len, token);
        const take = Math.min(32, k - done);
        for (let j = 0; j < take; j++) setBit(filter, words[j]! % l);
        done += take;
      }
      return;
    }
    let indices = cache.get(token);
    if (indices === undefined || indices.length < k) {
      indices = this.indices(token, k, indices);
      cache.set(token, indices);
    }
    for (let i = 0; i < k; i++) setBit(filter, indices[i]!);
  }

  /**
   * Writes the token into the kernel's message block; returns its length in bytes, or −1 when it
   * is hashed in JS (empty, over 128 bytes, or no kernel).
   */
  private load(token: string): number {
    if (this.kernel === undefined || token.length === 0) return -1;
    const n = this.encodeInto(token, this.message);
    // A token that did not fit may have written up to the whole block.
    const end = n < 0 ? 128 : n;
    if (this.written > end) this.message.fill(0, end, this.written);
    this.written = end;
    return n === 0 ? -1 : n;
  }

  /** The digest of the loaded token under salt `m`, into `words` (JS when `len` is −1). */
  private digest(m: number, len: number, token: string): void {
    let mac = this.macs[m];
    if (mac === undefined) {
      mac = new KeyedBlake2b(this.key, salt(m));
      this.macs[m] = mac;
    }
    const kernel = this.kernel;
    if (len > 0 && kernel !== undefined && m < MAX_WASM_SALTS) {
      const state = BLAKE_STATES + 64 * m;
      if (m >= this.kernelSalts) {
        for (let s = this.kernelSalts; s <= m; s++) {
          let sm = this.macs[s];
          if (sm === undefined) {
            sm = new KeyedBlake2b(this.key, salt(s));
            this.macs[s] = sm;
          }
          sm.keyedState(this.bytes, BLAKE_STATES + 64 * s);
        }
        this.kernelSalts = m + 1;
      }
      kernel.digest(state, len);
      return;
    }
    // The JS compression, its digest written where the kernel's goes (little-endian words).
    const out = new Uint8Array(this.words.buffer, BLAKE_OUT, 64);
    mac.digest(this.encode(token), out);
  }

  /** Extends `known` (indices from earlier digests, if any) to at least `k` indices. */
  private indices(token: string, k: number, known: Uint16Array | undefined): Uint16Array {
    const macs = Math.ceil(k / 32);
    const out = new Uint16Array(32 * macs);
    const done = known ? known.length / 32 : 0;
    if (known) out.set(known);
    const len = this.load(token);
    const words = this.words;
    for (let m = done; m < macs; m++) {
      this.digest(m, len, token);
      for (let j = 0; j < 32; j++) out[32 * m + j] = words[j]! % this.filterBits;
    }
    return out;
  }

  /** Wipes the key, the keyed states (JS and WebAssembly) and the last token, and drops the cache. */
  dispose(): void {
    this.key.fill(0);
    this.bytes.fill(0);
    for (const mac of this.macs) mac.dispose();
    this.cache?.clear();
  }
}
