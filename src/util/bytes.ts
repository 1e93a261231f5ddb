/** Byte-array helpers shared by the library, its benches and its tests. */

/**
 * The parts (byte arrays, or arrays of byte values), one after the other, in one new array.
 * @example
 * ```ts
 * concatBytes([Uint8Array.of(1, 2), Uint8Array.of(3)]); // Uint8Array [1, 2, 3]
 * ```
 */
export function concatBytes(parts: readonly ArrayLike<number>[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * `a` itself when it holds `need` elements, else a new array of the same kind with at least `need`
 * (twice `a`'s length when that is more) and `a`'s values first: the growth step of the library's
 * growable typed arrays (kept pairs, candidate lists).
 * @example
 * ```ts
 * let ids = new Uint32Array(4);
 * ids = grown(ids, 5); // length 8, the first 4 values kept
 * ```
 */
export function grown<T extends Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array>(
  a: T,
  need: number,
): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a as never);
  return b;
}
