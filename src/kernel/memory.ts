/**
 * The linear memory the Dice kernels work in: a WebAssembly memory when WebAssembly is available
 * (shared between worker threads when asked), else a plain or shared ArrayBuffer for the JS kernel.
 * Space is handed out by a bump allocator in 16-byte-aligned blocks; everything a kernel reads is
 * laid out here once (the plan's filters, counts) and then used by every call.
 */

const PAGE = 65536;
/** wasm32 addresses at most 4 GiB. */
const MAX_PAGES = 65536;

/** Options of {@link KernelMemory.create}. */
export interface KernelMemoryOptions {
  /** Bytes to reserve up front (more can be allocated later unless shared). */
  readonly bytes: number;
  /** Back the memory with a SharedArrayBuffer, for worker threads (fixed size). */
  readonly shared?: boolean;
  /** Use a WebAssembly memory (default: when WebAssembly is available). */
  readonly wasm?: boolean;
}

/** What crosses to a worker thread to attach to the same memory. */
export type KernelMemoryHandle =
  | { readonly kind: 'wasm'; readonly memory: WebAssembly.Memory; readonly top: number }
  | { readonly kind: 'buffer'; readonly buffer: SharedArrayBuffer; readonly top: number };

/**
 * Whether this runtime has WebAssembly.
 * @example
 * ```ts
 * KernelMemory.create({ bytes: 1 << 20, wasm: hasWebAssembly() });
 * ```
 */
export function hasWebAssembly(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.Memory === 'function';
}

function pages(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / PAGE));
}

/**
 * A kernel memory with a bump allocator.
 * @example
 * ```ts
 * const mem = KernelMemory.create({ bytes: 1 << 20 });
 * const at = mem.alloc(1024);
 * mem.u8(at, 1024).fill(0xff);
 * ```
 */
export class KernelMemory {
  /** The WebAssembly memory, when the memory is one. */
  readonly wasm: WebAssembly.Memory | undefined;
  private plain: ArrayBuffer | SharedArrayBuffer | undefined;
  private top: number;
  /** Whether the memory is shared between threads. */
  readonly shared: boolean;

  private constructor(
    wasm: WebAssembly.Memory | undefined,
    plain: ArrayBuffer | SharedArrayBuffer | undefined,
    top: number,
    shared: boolean,
  ) {
    this.wasm = wasm;
    this.plain = plain;
    this.top = top;
    this.shared = shared;
  }

  /** Creates a memory of at least `opts.bytes` bytes. */
  static create(opts: KernelMemoryOptions): KernelMemory {
    if (!Number.isFinite(opts.bytes) || opts.bytes < 0) throw new RangeError('bytes must be ≥ 0');
    const shared = opts.shared === true;
    const n = pages(opts.bytes + 64);
    if (n > MAX_PAGES) throw new RangeError('a kernel memory holds at most 4 GiB');
    if (opts.wasm ?? hasWebAssembly()) {
      const memory = shared
        ? new WebAssembly.Memory({ initial: n, maximum: n, shared: true })
        : new WebAssembly.Memory({ initial: n });
      return new KernelMemory(memory, undefined, 16, shared);
    }
    const buffer = shared ? new SharedArrayBuffer(n * PAGE) : new ArrayBuffer(n * PAGE);
    return new KernelMemory(undefined, buffer, 16, shared);
  }

  /** Attaches to a memory created in another thread (see {@link KernelMemory.handle}). */
  static attach(h: KernelMemoryHandle): KernelMemory {
    return h.kind === 'wasm'
      ? new KernelMemory(h.memory, undefined, h.top, true)
      : new KernelMemory(undefined, h.buffer, h.top, true);
  }

  /** A handle to post to a worker thread; the memory must be shared. */
  handle(): KernelMemoryHandle {
    if (!this.shared) throw new TypeError('only a shared memory can be handed to another thread');
    return this.wasm
      ? { kind: 'wasm', memory: this.wasm, top: this.top }
      : { kind: 'buffer', buffer: this.plain as SharedArrayBuffer, top: this.top };
  }

  /** The current buffer (it changes when a non-shared memory grows: take views again after `alloc`). */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return this.wasm ? this.wasm.buffer : this.plain!;
  }

  /** Bytes in use. */
  get used(): number {
    return this.top;
  }

  /** Allocates `bytes` bytes aligned to 16 and returns their offset; grows a non-shared memory. */
  alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError('bytes must be a non-negative integer');
    const at = this.top;
    const end = at + ((bytes + 15) & ~15);
    const size = this.buffer.byteLength;
    if (end > size) {
      if (this.shared) throw new RangeError('the shared kernel memory is full');
      const need = pages(end) - size / PAGE;
      if (size / PAGE + need > MAX_PAGES) throw new RangeError('a kernel memory holds at most 4 GiB');
      // Grow by at least half again, so repeated allocations do not copy each time.
      const grow = Math.min(Math.max(need, Math.ceil(size / PAGE / 2)), MAX_PAGES - size / PAGE);
      if (this.wasm) this.wasm.grow(grow);
      else {
        const next = new ArrayBuffer(size + grow * PAGE);
        new Uint8Array(next).set(new Uint8Array(this.plain!));
        this.plain = next;
      }
    }
    this.top = end;
    return at;
  }

  /** Bytes at `at`. */
  u8(at: number, length: number): Uint8Array {
    return new Uint8Array(this.buffer, at, length);
  }

  /** u16 values at `at` (2-aligned). */
  u16(at: number, length: number): Uint16Array {
    return new Uint16Array(this.buffer, at, length);
  }

  /** u32 values at `at` (4-aligned). */
  u32(at: number, length: number): Uint32Array {
    return new Uint32Array(this.buffer, at, length);
  }
}
