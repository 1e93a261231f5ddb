import { hash3, mix32 } from './prng.js';

const ROUNDS = 4;

/**
 * A keyed bijection of [0, size): an unbalanced Feistel network over the smallest power of two that
 * covers `size`, with cycle walking to stay inside the range (on average fewer than 2 steps). It
 * shuffles indices without a table, so a list of millions can be read in a shuffled-looking order
 * while streaming, and it is invertible (`indexOf`), which answers "is member i also a client?" in O(1).
 *
 * @example
 * ```ts
 * const p = new Permutation(10, key);
 * const order = Array.from({ length: 10 }, (_, i) => p.at(i)); // 0..9 shuffled
 * p.indexOf(p.at(3)) === 3; // true
 * ```
 */
export class Permutation {
  /** Number of elements permuted. */
  readonly size: number;
  private readonly roundKeys: Uint32Array;
  /** Widths of the high and low parts; the high part is the wider when the bit count is odd. */
  private readonly hiBits: number;
  private readonly loBits: number;

  constructor(size: number, key: number) {
    if (!Number.isSafeInteger(size) || size < 0 || size > 2 ** 32) {
      throw new RangeError('size must be an integer in [0, 2^32]');
    }
    this.size = size;
    this.roundKeys = new Uint32Array(ROUNDS);
    for (let r = 0; r < ROUNDS; r++) this.roundKeys[r] = hash3(key >>> 0, 0x5eed, r);
    let bits = 2;
    while (2 ** bits < size) bits++;
    this.loBits = bits >>> 1;
    this.hiBits = bits - this.loBits;
  }

  /** The image of `i` (0 ≤ i < size). */
  at(i: number): number {
    if (this.size <= 1) return i;
    let x = i;
    do x = this.encrypt(x);
    while (x >= this.size);
    return x;
  }

  /** The preimage of `x`: `indexOf(at(i)) === i`. */
  indexOf(x: number): number {
    if (this.size <= 1) return x;
    let i = x;
    do i = this.decrypt(i);
    while (i >= this.size);
    return i;
  }

  // Each round maps (L, R) to (R, L ^ F(R)); the parts swap widths every round, and an even number
  // of rounds brings them back, so the output has the input's layout.
  private encrypt(x: number): number {
    let lw = this.hiBits;
    let rw = this.loBits;
    let l = x >>> rw;
    let r = x & ((1 << rw) - 1);
    for (let round = 0; round < ROUNDS; round++) {
      const next = (l ^ mix32((r + (this.roundKeys[round] as number)) | 0)) & ((1 << lw) - 1);
      l = r;
      r = next;
      const w = lw;
      lw = rw;
      rw = w;
    }
    return ((l << rw) | r) >>> 0;
  }

  private decrypt(x: number): number {
    let lw = this.hiBits;
    let rw = this.loBits;
    let l = x >>> rw;
    let r = x & ((1 << rw) - 1);
    for (let round = ROUNDS - 1; round >= 0; round--) {
      // Undo (L, R) = (R', L' ^ F(R')): R' = L, L' = R ^ F(L), with L' as wide as R.
      const prev = (r ^ mix32((l + (this.roundKeys[round] as number)) | 0)) & ((1 << rw) - 1);
      r = l;
      l = prev;
      const w = lw;
      lw = rw;
      rw = w;
    }
    return ((l << rw) | r) >>> 0;
  }
}
