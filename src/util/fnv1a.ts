/**
 * FNV-1a, 32-bit, over UTF-16 code units: the one fast non-cryptographic string hash the library
 * uses (ID sets, seeded ID orders, member identity fingerprints, the placeholder-name filter), with
 * MurmurHash3's finaliser for the callers that need every input bit to reach every output bit.
 * Never for secrets.
 */

/** FNV-1a's 32-bit offset basis (as a signed 32-bit integer). */
export const FNV_BASIS = 0x811c9dc5 | 0;

/** FNV's 32-bit prime. */
const FNV_PRIME = 0x01000193;

/**
 * One FNV-1a step: the hash so far xor the next code unit, times the prime (32 bits).
 * @example
 * ```ts
 * let h = FNV_BASIS;
 * for (const c of [65, 66]) h = fnv1aStep(h, c); // fnv1a('AB')
 * ```
 */
export function fnv1aStep(h: number, c: number): number {
  return Math.imul(h ^ c, FNV_PRIME);
}

/**
 * FNV-1a over the UTF-16 code units of `text`, from `basis` (a seed may be xored into the offset
 * basis); a signed 32-bit integer.
 * @example
 * ```ts
 * fnv1a('C17'); // the same number in every run
 * fnv1a('C17', FNV_BASIS ^ seed); // seeded
 * ```
 */
export function fnv1a(text: string, basis: number = FNV_BASIS): number {
  let h = basis | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * MurmurHash3's 32-bit finaliser: spreads every bit of `h` over the result (signed 32-bit).
 * @example
 * ```ts
 * const h = fmix32(fnv1a(id)); // bucket = h & mask: low bits depend on the whole ID
 * ```
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
