/**
 * A small, fast, seeded PRNG (sfc32 seeded by splitmix32) for reproducible sampling in the matcher.
 * Not for secrets.
 */

/** splitmix32 step: a well-mixed 32-bit value from a 32-bit state. */
export function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * The sfc32 generator (Chris Doty-Humphrey's Small Fast Counting PRNG; passes PractRand): its state
 * and step, shared by the matcher's {@link Random} and the data generator's `Rng`, which seed it each
 * their own way and add the draws they need.
 *
 * @example
 * ```ts
 * class Coin extends Sfc32 {
 *   constructor(seed: number) {
 *     super(splitmix32(seed), 1, 2, 12);
 *   }
 * }
 * new Coin(7).u32(); // 32 random bits
 * ```
 */
export class Sfc32 {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  /** Starts from the seed words `a`, `b`, `c` (counter 1), then discards `warmUp` outputs. */
  protected constructor(a: number, b: number, c: number, warmUp: number) {
    this.a = a;
    this.b = b;
    this.c = c;
    for (let i = 0; i < warmUp; i++) this.u32();
  }

  /** Next uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
}

/**
 * A seeded random source.
 * @example
 * ```ts
 * const r = new Random(42);
 * r.below(10); // an integer in [0, 10)
 * ```
 */
export class Random extends Sfc32 {
  constructor(seed: number) {
    const a = splitmix32(seed);
    const b = splitmix32(a ^ 0x5bd1e995);
    super(a, b, splitmix32(b ^ 0x27d4eb2f), 12);
  }
  /** Uniform float in [0, 1). */
  next(): number {
    return this.u32() / 0x100000000;
  }
  /** Uniform integer in [0, n) for n ≤ 2^32. */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
}
