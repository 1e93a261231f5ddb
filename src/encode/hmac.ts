/**
 * Fast HMAC-SHA256 for short messages with a fixed key: the key's inner/outer pad states are
 * computed once, so each message under 56 bytes costs two SHA-256 compressions. Longer messages
 * fall back to `@noble/hashes`. Output is identical to RFC 2104 HMAC-SHA256 (tested).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { HmacKernel } from './kernel/sha256.js';
import { compress, SHA256_IV } from './sha256.js';

const encoder = new TextEncoder();

/** A keyed HMAC-SHA256 instance for many short messages. Call {@link KeyedHash.dispose} to wipe it. */
export class KeyedHash {
  private readonly inner = new Int32Array(8);
  private readonly outer = new Int32Array(8);
  private readonly state = new Int32Array(8);
  private readonly block = new Int32Array(16);
  private readonly bytes = new Uint8Array(256);
  private key: Uint8Array;
  /** The WebAssembly kernel holding this key's pad states, and their slot (−1: JS only). */
  private readonly kernel: HmacKernel | undefined;
  private slot = -1;

  /**
   * @param key - the HMAC key (copied; the copy is wiped by `dispose`).
   * @param opts - `kernel: false` computes in JS even where the WebAssembly kernel is available.
   * @example
   * ```ts
   * const h = new KeyedHash(subkey);
   * const word = h.word('SMITH'); // first 32 bits of HMAC-SHA256(subkey, 'SMITH')
   * h.dispose();
   * ```
   */
  constructor(key: Uint8Array, opts: { readonly kernel?: boolean } = {}) {
    this.kernel = opts.kernel === false ? undefined : HmacKernel.get();
    if (!(key instanceof Uint8Array) || key.length === 0)
      throw new TypeError('key must be a non-empty Uint8Array');
    this.key = key.length > 64 ? sha256(key) : key.slice();
    const pad = new Uint8Array(64);
    for (const [target, byte] of [
      [this.inner, 0x36],
      [this.outer, 0x5c],
    ] as const) {
      pad.fill(byte);
      for (let i = 0; i < this.key.length; i++) pad[i] = (this.key[i] ?? 0) ^ byte;
      target.set(SHA256_IV);
      for (let i = 0; i < 16; i++) {
        this.block[i] =
          ((pad[4 * i] ?? 0) << 24) |
          ((pad[4 * i + 1] ?? 0) << 16) |
          ((pad[4 * i + 2] ?? 0) << 8) |
          (pad[4 * i + 3] ?? 0);
      }
      compress(target, this.block);
    }
    pad.fill(0);
    this.block.fill(0);
    if (this.kernel) this.slot = this.kernel.addState(this.inner, this.outer);
  }

  /** HMAC-SHA256 of `message` into `out` as 8 big-endian 32-bit words (signed ints). */
  digestWords(message: string | Uint8Array, out: Int32Array): void {
    if (this.slot >= 0 && this.kernel?.digest(this.slot, message, out)) return;
    let len: number;
    let src: Uint8Array;
    if (typeof message === 'string') {
      if (message.length * 3 > this.bytes.length) {
        this.fallback(encoder.encode(message), out);
        return;
      }
      len = encoder.encodeInto(message, this.bytes).written;
      src = this.bytes;
    } else {
      len = message.length;
      src = message;
    }
    if (len > 55) {
      this.fallback(src.subarray(0, len), out);
      return;
    }
    const block = this.block;
    block.fill(0);
    for (let i = 0; i < len; i++)
      block[i >> 2] = (block[i >> 2] ?? 0) | ((src[i] ?? 0) << (24 - 8 * (i & 3)));
    block[len >> 2] = (block[len >> 2] ?? 0) | (0x80 << (24 - 8 * (len & 3)));
    block[15] = (64 + len) * 8;
    const state = this.state;
    state.set(this.inner);
    compress(state, block);
    for (let i = 0; i < 8; i++) block[i] = state[i] ?? 0;
    block[8] = 0x80000000;
    for (let i = 9; i < 15; i++) block[i] = 0;
    block[15] = (64 + 32) * 8;
    out.set(this.outer);
    compress(out, block);
  }

  /** The first 32 bits of HMAC-SHA256(key, message), as an unsigned integer. */
  word(message: string | Uint8Array): number {
    this.digestWords(message, this.state2);
    return (this.state2[0] ?? 0) >>> 0;
  }

  private readonly state2 = new Int32Array(8);

  /** This key's state slot in the WebAssembly kernel ({@link HmacKernel.queue}), or −1 (JS only). */
  get kernelSlot(): number {
    return this.slot;
  }

  private fallback(message: Uint8Array, out: Int32Array): void {
    const d = hmac(sha256, this.key, message);
    for (let i = 0; i < 8; i++)
      out[i] =
        ((d[4 * i] ?? 0) << 24) |
        ((d[4 * i + 1] ?? 0) << 16) |
        ((d[4 * i + 2] ?? 0) << 8) |
        (d[4 * i + 3] ?? 0);
  }

  /** Wipes the key and the precomputed states. The instance must not be used afterwards. */
  dispose(): void {
    if (this.slot >= 0) this.kernel?.freeState(this.slot);
    this.slot = -1;
    this.key.fill(0);
    this.inner.fill(0);
    this.outer.fill(0);
    this.state.fill(0);
    this.state2.fill(0);
    this.bytes.fill(0);
    this.key = new Uint8Array(0);
  }
}
