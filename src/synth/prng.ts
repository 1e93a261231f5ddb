/**
 * Seeded randomness for the generator. Every random choice is a pure function of
 * `(key, stream, index)`, so any record can be generated on its own, in any order, without holding
 * the others (that is what lets 3 million members stream).
 */
import { Sfc32 } from '../util/prng.js';

/**
 * A 32-bit avalanche mix (the splitmix32 / murmur3 finaliser). Bijective on 32-bit integers.
 *
 * @example
 * ```ts
 * mix32(1) !== mix32(2); // true
 * ```
 */
export function mix32(x: number): number {
  let z = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/**
 * Hashes three 32-bit integers to one. For fixed `key` and `stream` it is a bijection of `index`,
 * so distinct records never share a hash.
 *
 * @example
 * ```ts
 * const h = hash3(seedKey, 7, recordIndex); // uint32
 * ```
 */
export function hash3(key: number, stream: number, index: number): number {
  // `stream` enters through an odd multiplier and `index` through splitmix's golden-ratio step, so
  // both maps are bijective; two avalanche rounds make neighbouring indices look independent.
  const h = mix32((key ^ Math.imul(stream, 0x85ebca77)) >>> 0);
  return mix32((h + Math.imul(index, 0x9e3779b9)) | 0);
}

/**
 * A uniform number in [0, 1) from {@link hash3}: one cheap, independent decision per
 * `(key, stream, index)` without creating a generator.
 *
 * @example
 * ```ts
 * if (unit(key, STREAM_TYPO, i) < 0.03) applyTypo();
 * ```
 */
export function unit(key: number, stream: number, index: number): number {
  return hash3(key, stream, index) / 4294967296;
}

/**
 * Folds any finite number (a user's seed) into a 32-bit key, using all of a safe integer's bits.
 *
 * @example
 * ```ts
 * seedKey(42) !== seedKey(43); // true
 * ```
 */
export function seedKey(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError('seed must be a finite number');
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return mix32((lo ^ mix32(hi ^ 0x5bd1e995)) >>> 0);
}

/**
 * The sfc32 generator (`Sfc32`, util/prng.ts), seeded from `(key, stream, index)` through
 * {@link hash3}.
 *
 * @example
 * ```ts
 * const rng = new Rng(seedKey(42), 1, personIndex);
 * const age = rng.int(90);
 * ```
 */
export class Rng extends Sfc32 {
  constructor(key: number, stream: number, index: number) {
    const a = hash3(key, stream, index);
    const b = mix32(a ^ 0x85ebca6b);
    // The seed words are already well mixed, so a short warm-up is enough to decorrelate streams.
    super(a, b, mix32(b ^ 0xc2b2ae35), 6);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }
}
