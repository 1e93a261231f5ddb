/**
 * Columns of Bloom filters laid out in a kernel memory: each filter padded to whole 64-bit words
 * (zero bits change no popcount), followed by their popcounts. Built once per list; the Dice kernels
 * then read them in place, from any thread that shares the memory.
 */
import { createDiceKernel, type DiceKernel, type DiceKernelOptions } from './dice.js';
import type { KernelMemory } from './memory.js';

/** A column of filters in a kernel memory (plain data: it can be posted to a worker). */
export interface FilterColumn {
  /** Byte offset of filter 0; filter r starts at `base + stride · r`. */
  readonly base: number;
  /** Bytes from one filter to the next (8 · words for a plain column, more inside rows). */
  readonly stride: number;
  /** Number of filters. */
  readonly n: number;
  /** 64-bit words per (padded) filter. */
  readonly words: number;
  /** Byte offset of the `n` u16 popcounts. */
  readonly counts: number;
}

/**
 * Dice kernels over one memory, one per filter size, created on first use.
 * @example
 * ```ts
 * const kernels = new DiceKernels(memory);
 * kernels.get(4).kind; // 'wasm'
 * ```
 */
export class DiceKernels {
  private readonly bySize = new Map<number, DiceKernel>();
  constructor(
    readonly memory: KernelMemory,
    private readonly opts: DiceKernelOptions = {},
  ) {}

  /** The kernel for filters of `words` 64-bit words. */
  get(words: number): DiceKernel {
    let k = this.bySize.get(words);
    if (!k) {
      k = createDiceKernel(this.memory, words, this.opts);
      this.bySize.set(words, k);
    }
    return k;
  }
}

/**
 * Bytes of kernel memory a column of `n` filters of `bytesPer` bytes takes (with popcounts).
 * @example
 * ```ts
 * filterColumnBytes(1000, 32); // 34016
 * ```
 */
export function filterColumnBytes(n: number, bytesPer: number): number {
  const padded = Math.ceil(bytesPer / 8) * 8;
  return Math.ceil((n * padded) / 16) * 16 + Math.ceil((n * 2) / 16) * 16;
}

/**
 * Copies `n` filters (`bytes`, `n × bytesPer` bytes) into the kernels' memory and counts their bits.
 * @throws RangeError when `bytes` is not `n` filters of equal size
 * @example
 * ```ts
 * const col = storeFilters(kernels, batch.blooms.firstBloom!, batch.length);
 * memory.u16(col.counts, col.n); // popcounts
 * ```
 */
export function storeFilters(kernels: DiceKernels, bytes: Uint8Array, n: number): FilterColumn {
  const mem = kernels.memory;
  const bytesPer = n === 0 ? 8 : bytes.length / n;
  if (!Number.isInteger(bytesPer) || bytesPer < 1) throw new RangeError('bytes must hold n equal filters');
  const words = Math.ceil(bytesPer / 8);
  const padded = 8 * words;
  const base = mem.alloc(n * padded);
  const counts = mem.alloc(n * 2);
  const dst = mem.u8(base, n * padded);
  if (padded === bytesPer) dst.set(bytes);
  else for (let r = 0; r < n; r++) dst.set(bytes.subarray(r * bytesPer, (r + 1) * bytesPer), r * padded);
  kernels.get(words).popcounts(base, padded, n, counts);
  return { base, n, words, stride: padded, counts };
}
