/**
 * The Dice and-counts of one left record against all its candidates, for each pair of Bloom
 * features the comparisons use, computed by the kernel in one call per pair. The batch comparisons
 * (compare/compare.ts) read them instead of computing Dice pair by pair.
 */
import type { DiceKernels, FilterColumn } from './filters.js';
import type { KernelMemory } from './memory.js';

/** Scratch space of one thread: candidate indices and one and-count array per feature pair. */
export interface CandidateScratch {
  /** Candidates per call. */
  readonly capacity: number;
  /** Byte offset of `capacity` u32 candidate indices. */
  readonly idx: number;
  /** Byte offsets of `capacity` u16 and-counts, one per feature pair. */
  readonly outs: readonly number[];
}

/** Where the right list's filters of one feature are: filter r at `base + stride · r`. */
export interface FilterPlace {
  readonly base: number;
  readonly stride: number;
  readonly words: number;
}

/** Everything {@link CandidateDice} needs, as plain data (postable to a worker). */
export interface CandidateDiceLayout {
  /** (left feature, right feature) pairs, in the order of `scratch.outs`. */
  readonly pairs: readonly (readonly [string, string])[];
  readonly left: Readonly<Record<string, FilterColumn>>;
  readonly right: Readonly<Record<string, FilterPlace>>;
  readonly scratch: CandidateScratch;
}

/**
 * Bytes of scratch space for `pairs` feature pairs and `capacity` candidates per call.
 * @example
 * ```ts
 * candidateScratchBytes(4, 4096); // 49152
 * ```
 */
export function candidateScratchBytes(pairs: number, capacity: number): number {
  const round = (b: number) => Math.ceil(b / 16) * 16;
  return round(capacity * 4) + pairs * round(capacity * 2);
}

/**
 * Allocates one thread's scratch space in `memory`.
 * @example
 * ```ts
 * const scratch = allocCandidateScratch(memory, 4, 4096);
 * ```
 */
export function allocCandidateScratch(
  memory: KernelMemory,
  pairs: number,
  capacity: number,
): CandidateScratch {
  const idx = memory.alloc(capacity * 4);
  const outs = Array.from({ length: pairs }, () => memory.alloc(capacity * 2));
  return { capacity, idx, outs };
}

/**
 * And-counts of one left record's candidates for every prepared feature pair.
 * @example
 * ```ts
 * const dice = new CandidateDice(kernels, layout);
 * dice.prepare(i, candidates, count); // count ≤ layout.scratch.capacity
 * dice.ands(dice.pairIndex('firstBloom', 'firstBloom'))[x]; // and-count with candidate x
 * ```
 */
export class CandidateDice {
  private readonly memory: KernelMemory;
  private readonly index = new Map<string, number>();
  private buffer: ArrayBuffer | SharedArrayBuffer | undefined;
  private views: Uint16Array[] = [];
  private idxView: Uint32Array = new Uint32Array(0);
  private readonly lefts: FilterColumn[];
  private readonly rights: FilterPlace[];
  private readonly counts = new Map<string, Uint16Array>();

  constructor(
    private readonly kernels: DiceKernels,
    private readonly layout: CandidateDiceLayout,
  ) {
    this.memory = kernels.memory;
    this.lefts = layout.pairs.map(([a]) => column(layout.left, a, 'left'));
    this.rights = layout.pairs.map(([, b]) => column(layout.right, b, 'right'));
    layout.pairs.forEach(([a, b], p) => {
      if (this.lefts[p]!.words !== this.rights[p]!.words)
        throw new RangeError(`Bloom features ${a} and ${b} differ in size`);
      this.index.set(`${a}\u0000${b}`, p);
    });
    if (layout.scratch.outs.length !== layout.pairs.length)
      throw new RangeError('scratch must have one output per feature pair');
  }

  /** Creates the layout and the instance in a fresh, single-thread memory. */
  static standalone(
    pairs: readonly (readonly [string, string])[],
    left: Readonly<Record<string, FilterColumn>>,
    right: Readonly<Record<string, FilterPlace>>,
    kernels: DiceKernels,
    capacity: number,
  ): CandidateDice {
    const scratch = allocCandidateScratch(kernels.memory, pairs.length, capacity);
    return new CandidateDice(kernels, { pairs, left, right, scratch });
  }

  /** Candidates per `prepare` call. */
  get capacity(): number {
    return this.layout.scratch.capacity;
  }

  /** Index of the (left a, right b) pair, or −1. */
  pairIndex(a: string, b: string): number {
    return this.index.get(`${a}\u0000${b}`) ?? -1;
  }

  /** Popcounts of left feature `f`. */
  leftCounts(f: string): Uint16Array {
    return this.countsOf('L', column(this.layout.left, f, 'left'));
  }

  /** And-counts of pair `p` from the last {@link CandidateDice.prepare}. */
  ands(p: number): Uint16Array {
    this.refresh();
    return this.views[p]!;
  }

  /** Computes the and-counts of left record `i` with candidates `J[0..n)` for every pair. */
  prepare(i: number, J: Uint32Array, n: number): void {
    const s = this.layout.scratch;
    if (n > s.capacity) throw new RangeError('more candidates than the scratch capacity');
    this.refresh();
    this.idxView.set(n === J.length ? J : J.subarray(0, n));
    for (let p = 0; p < this.lefts.length; p++) {
      const L = this.lefts[p]!;
      const R = this.rights[p]!;
      this.kernels.get(L.words).andCounts(L.base + L.stride * i, R.base, R.stride, s.idx, n, s.outs[p]!);
    }
  }

  private countsOf(side: string, col: FilterColumn): Uint16Array {
    const key = `${side}${col.counts}`;
    let v = this.counts.get(key);
    if (!v || v.buffer !== this.memory.buffer) {
      v = this.memory.u16(col.counts, col.n);
      this.counts.set(key, v);
    }
    return v;
  }

  private refresh(): void {
    if (this.buffer === this.memory.buffer) return;
    this.buffer = this.memory.buffer;
    const s = this.layout.scratch;
    this.idxView = this.memory.u32(s.idx, s.capacity);
    this.views = s.outs.map((o) => this.memory.u16(o, s.capacity));
  }
}

function column<T>(cols: Readonly<Record<string, T>>, f: string, side: string): T {
  const c = cols[f];
  if (!c) throw new RangeError(`no ${side} filter column for feature ${f}`);
  return c;
}
