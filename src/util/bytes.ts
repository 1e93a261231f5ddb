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
