/**
 * HMAC-SHA256 of short messages in WebAssembly (see sha256-module.ts): one instance per thread,
 * holding the pad states of every live key. The encoder's `KeyedHash` uses it when WebAssembly is
 * available and falls back to its JS compression otherwise; both give RFC 2104 HMAC-SHA256 (tested
 * against `@noble/hashes`).
 */
import { hmacModuleBytes, roundConstantLanes } from './sha256-module.js';
import { HMAC_SIMD_WASM } from './sha256-wasm.js';

/** The four-lane kernel's bytes, decoded from the generated base64 (the writer emits the same bytes). */
function simdModuleBytes(): Uint8Array<ArrayBuffer> {
  const bin = atob(HMAC_SIMD_WASM);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Requests per batch (see {@link HmacKernel.queue}); a multiple of four (SIMD lanes).
 * @example
 * ```ts
 * if (kernel.queue(slot, message) < 0) word = hash.word(message); // full (HMAC_BATCH) or too long
 * ```
 */
export const HMAC_BATCH = 64;
/** Block (and output) index of single digests: apart from the batch, which they may interleave with. */
const SINGLE = HMAC_BATCH;
const BLOCKS = 0;
const OUT = BLOCKS + 64 * (HMAC_BATCH + 1);
const DESC = OUT + 32 * (HMAC_BATCH + 1);
/** The four-lane kernel's round constants (`roundConstantLanes`, 1,024 bytes), written once. */
const CONSTS = DESC + 4 * HMAC_BATCH;
const STATES = CONSTS + 1024;
const STATE_BYTES = 64;
const PAGE = 65536;

interface Exports {
  readonly memory: WebAssembly.Memory;
  hmac(state: number, blocks: number, n: number, out: number): void;
  /** Four messages at a time, each under its own key (absent where SIMD is not available). */
  hmac4?(desc: number, blocks: number, n: number, out: number, consts: number): void;
}

const encoder = new TextEncoder();

/**
 * The per-thread HMAC kernel.
 * @example
 * ```ts
 * const k = HmacKernel.get();
 * if (k) {
 *   const slot = k.addState(inner, outer);
 *   k.digest(slot, 'SMITH', out); // false when the message needs more than one block
 * }
 * ```
 */
export class HmacKernel {
  private static instance: HmacKernel | null | undefined;
  private u8!: Uint8Array;
  private i32!: Int32Array;
  /** Per block, a 56-byte view to encode a message into (one byte more than fits, to detect overflow). */
  private blocks: Uint8Array[] = [];
  private readonly free: number[] = [];
  /**
   * Per block: its words from here to word 15 are zero, unless a message was written since (a
   * message that failed to fit may have written up to byte 56 of it: marked dirty to word 14).
   */
  private readonly dirty = new Uint8Array(HMAC_BATCH + 1).fill(15);
  private slots = 0;

  private constructor(private readonly x: Exports) {
    this.views();
    this.i32.set(roundConstantLanes(), CONSTS >> 2); // kept across memory.grow
  }

  private views(): void {
    const b = this.x.memory.buffer;
    this.u8 = new Uint8Array(b);
    this.i32 = new Int32Array(b);
    this.blocks = Array.from({ length: HMAC_BATCH + 1 }, (_, k) => new Uint8Array(b, BLOCKS + 64 * k, 56));
  }

  /** This thread's kernel, or undefined where WebAssembly cannot be compiled. */
  static get(): HmacKernel | undefined {
    if (HmacKernel.instance === undefined)
      HmacKernel.instance = HmacKernel.create({ simd: true }) ?? HmacKernel.create({ simd: false }) ?? null;
    return HmacKernel.instance ?? undefined;
  }

  /** A separate kernel (tests; the encoder uses {@link HmacKernel.get}), or undefined if it cannot compile. */
  static create(opts: { readonly simd: boolean }): HmacKernel | undefined {
    try {
      // The SIMD kernel comes pre-emitted (scripts/gen-hmac-wasm.ts): running the writer over its
      // unrolled compressions cost each process and worker tens of milliseconds before any work.
      const mod = new WebAssembly.Module(opts.simd ? simdModuleBytes() : hmacModuleBytes(opts));
      return new HmacKernel(new WebAssembly.Instance(mod).exports as unknown as Exports);
    } catch {
      return undefined; // no SIMD here, or no WebAssembly at all (then the JS path)
    }
  }

  /** Whether the four-lane SIMD function is available. */
  get simd(): boolean {
    return this.x.hmac4 !== undefined;
  }

  // ---- A batch of requests under any keys (the encoder queues everything a new value needs). ----

  private queued = 0;

  /** Starts a new batch of requests. */
  begin(): void {
    this.queued = 0;
  }

  /** Queues `message` under the key in `slot`; returns its index, or −1 (batch full or too long). */
  queue(slot: number, message: string): number {
    if (this.queued >= HMAC_BATCH || !this.pad(message, this.queued)) return -1;
    return this.commit(slot);
  }

  /**
   * Queues mask `i` of ASCII `value` (`i:` + value with position i replaced by `_`, the encoder's
   * mask sets), written byte by byte into the block rather than built as a string; −1 when the
   * value is not ASCII or the mask does not fit.
   */
  queueMask(slot: number, value: string, i: number): number {
    if (this.queued >= HMAC_BATCH || !this.padMask(value, i, this.queued)) return -1;
    return this.commit(slot);
  }

  /**
   * Queues masks 0 to m − 1 of ASCII `value` (see {@link HmacKernel.queueMask}; m ≤ 10, so every
   * position is one digit) under the key in `slot`, at consecutive indices; returns the first, or
   * −1 with nothing queued (no room for m, m out of range, not ASCII, too long). Masks after the
   * first are its block's message words copied with three bytes changed (the digit, the first
   * character back, `_` at the position): the same blocks as `queueMask` writes one by one.
   */
  queueMasks(slot: number, value: string, m: number): number {
    const first = this.queued;
    if (m < 1 || m > 10 || first + m > HMAC_BATCH || !this.padMask(value, 0, first)) return -1;
    this.commit(slot);
    const u8 = this.u8;
    const i32 = this.i32;
    const from = (BLOCKS + 64 * first) >> 2;
    const c0 = value.charCodeAt(0);
    const dirtyOf = this.dirty;
    // Mask 0's block is its message and 0x80 in words [0, mw), zeros to word 15, the length in
    // word 15: a mask's block takes those mw words and the length word, and zeros only the words
    // an earlier message left in it (its `dirty`) — the bytes of a whole-block copy.
    const mw = dirtyOf[first]!;
    const lengthWord = i32[from + 15]!;
    for (let j = 1; j < m; j++) {
      const to = from + 16 * j;
      for (let w = 0; w < mw; w++) i32[to + w] = i32[from + w]!;
      for (let w = mw, end = dirtyOf[first + j]!; w < end; w++) i32[to + w] = 0;
      i32[to + 15] = lengthWord;
      const at = to << 2;
      u8[at] = 0x30 + j;
      u8[at + 2] = c0;
      u8[at + 2 + j] = 0x5f; // '_'
      dirtyOf[first + j] = mw;
      this.commit(slot);
    }
    return first;
  }

  private commit(slot: number): number {
    this.i32[(DESC >> 2) + this.queued] = STATES + slot * STATE_BYTES;
    return this.queued++;
  }

  /** Runs the queued requests: four lanes at a time where SIMD is available. */
  flush(): void {
    const n = this.queued;
    if (n === 0) return;
    if (this.x.hmac4) {
      // Pad to a multiple of four lanes by repeating the last request (its results are ignored).
      const padded = (n + 3) & ~3;
      const last = n - 1;
      for (let k = n; k < padded; k++) {
        this.i32[(DESC >> 2) + k] = this.i32[(DESC >> 2) + last]!;
        this.u8.copyWithin(BLOCKS + 64 * k, BLOCKS + 64 * last, BLOCKS + 64 * last + 64);
        this.dirty[k] = this.dirty[last]!;
      }
      this.x.hmac4(DESC, BLOCKS, padded, OUT, CONSTS);
    } else {
      for (let k = 0; k < n; k++) this.x.hmac(this.i32[(DESC >> 2) + k]!, BLOCKS + 64 * k, 1, OUT + 32 * k);
    }
  }

  /** The first word (unsigned) of request k's HMAC after {@link HmacKernel.flush}. */
  firstWord(k: number): number {
    return this.i32[(OUT >> 2) + 8 * k]! >>> 0;
  }

  /** The 8 words (signed) of request k's HMAC after {@link HmacKernel.flush}, into `out` from `at`. */
  words(k: number, out: Int32Array, at: number): void {
    const i32 = this.i32;
    const o = (OUT >> 2) + 8 * k;
    for (let w = 0; w < 8; w++) out[at + w] = i32[o + w]!;
  }

  /** Stores a key's inner and outer pad states (8 words each); returns the slot. */
  addState(inner: Int32Array, outer: Int32Array): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.slots++;
      const end = STATES + (slot + 1) * STATE_BYTES;
      const size = this.x.memory.buffer.byteLength;
      if (end > size) {
        this.x.memory.grow(Math.ceil((end - size) / PAGE));
        this.views();
      }
    }
    const at = (STATES + slot * STATE_BYTES) >> 2;
    this.i32.set(inner, at);
    this.i32.set(outer, at + 8);
    return slot;
  }

  /** Wipes a slot's states and frees it. */
  freeState(slot: number): void {
    const at = (STATES + slot * STATE_BYTES) >> 2;
    this.i32.fill(0, at, at + 16);
    this.free.push(slot);
  }

  /**
   * HMAC of one message under the key in `slot`, as 8 big-endian words (signed i32) into `out`.
   * Returns false, doing nothing, when the message is 56 bytes or longer (more than one block).
   */
  digest(slot: number, message: string | Uint8Array, out: Int32Array): boolean {
    if (!this.pad(message, SINGLE)) return false;
    this.x.hmac(STATES + slot * STATE_BYTES, BLOCKS + 64 * SINGLE, 1, OUT + 32 * SINGLE);
    const i32 = this.i32;
    const o = (OUT >> 2) + 8 * SINGLE;
    for (let w = 0; w < 8; w++) out[w] = i32[o + w]!;
    return true;
  }

  /** Writes mask i of ASCII `value` as padded block k; false when not ASCII or too long. */
  private padMask(value: string, i: number, k: number): boolean {
    const len = value.length;
    if (len + 3 > 55 || i >= 100) return false;
    const u8 = this.u8;
    const start = BLOCKS + 64 * k;
    let at = start;
    if (i >= 10) u8[at++] = 0x30 + Math.floor(i / 10);
    u8[at++] = 0x30 + (i % 10);
    u8[at++] = 0x3a; // ':'
    for (let c = 0; c < len; c++) {
      const ch = value.charCodeAt(c);
      if (ch > 0x7f) {
        this.dirty[k] = 15;
        return false;
      }
      u8[at++] = c === i ? 0x5f : ch; // '_'
    }
    this.finish(start, at - start);
    return true;
  }

  /**
   * Pads block `start` after its `len` message bytes (len ≤ 55): 0x80, zeros, the bit length of
   * the inner hash's 64 + len bytes. The zeros go in whole words: a `fill` call per block costs
   * more than the few stores.
   */
  private finish(start: number, len: number): void {
    const u8 = this.u8;
    let at = start + len;
    u8[at++] = 0x80;
    while ((at & 3) !== 0) u8[at++] = 0;
    const i32 = this.i32;
    const last = (start >> 2) + 15;
    // Only the words an earlier message of this block wrote past this one's are not zero yet.
    const k = (start - BLOCKS) >> 6;
    const dirty = (start >> 2) + this.dirty[k]!;
    for (let w = at >> 2; w < dirty; w++) i32[w] = 0;
    this.dirty[k] = (at - start) >> 2;
    // Bytes 60–63 big-endian, read as a little-endian word: the length fits in bytes 62 and 63.
    const bits = (64 + len) * 8;
    i32[last] = ((bits >>> 8) << 16) | ((bits & 0xff) << 24);
  }

  /** Writes `message` as padded block k (FIPS 180-4 §5.1.1); false when it does not fit. */
  private pad(message: string | Uint8Array, k: number): boolean {
    const u8 = this.u8;
    const at = BLOCKS + 64 * k;
    let len: number;
    if (typeof message === 'string') {
      len = message.length;
      if (len > 55) return false;
      // ASCII (nearly every message: normalised names, digits) byte by byte: cheaper than a call to
      // TextEncoder#encodeInto for a few bytes; anything else is encoded as UTF-8 by it.
      let c = 0;
      for (let i = 0; i < len && c <= 0x7f; i++) {
        c = message.charCodeAt(i);
        u8[at + i] = c;
      }
      if (c > 0x7f) {
        const r = encoder.encodeInto(message, this.blocks[k]!);
        len = r.written;
        if (r.read < message.length || len > 55) {
          this.dirty[k] = 15;
          return false;
        }
      }
    } else {
      len = message.length;
      if (len > 55) return false;
      u8.set(message, at);
    }
    this.finish(at, len);
    return true;
  }
}
