/**
 * LEB128 integers, the variable-length encoding of every count, index and constant in a WebAssembly
 * binary (spec §5.2.2). Appends to a plain byte array: modules are small (a few kilobytes) and built
 * once per process.
 */

/**
 * Appends `n` (an integer in 0..2³²−1) as unsigned LEB128.
 * @example
 * ```ts
 * const out: number[] = [];
 * unsignedLeb(624485, out); // out = [0xe5, 0x8e, 0x26]
 * ```
 */
export function unsignedLeb(n: number, out: number[]): void {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError('n must be a u32');
  let v = n;
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

/**
 * Appends `n` (an integer in −2³¹..2³¹−1, or a bigint in −2⁶³..2⁶³−1) as signed LEB128, as
 * `i32.const` and `i64.const` take it.
 * @example
 * ```ts
 * const out: number[] = [];
 * signedLeb(-123456, out); // out = [0xc0, 0xbb, 0x78]
 * ```
 */
export function signedLeb(n: number | bigint, out: number[]): void {
  if (typeof n === 'number') {
    if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) throw new RangeError('n must be an i32');
    // Number arithmetic (`>>` is arithmetic on i32): the kernels emit thousands of constants, and a
    // BigInt per byte cost most of building a module.
    let v = n | 0;
    for (;;) {
      const byte = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
      out.push(done ? byte : byte | 0x80);
      if (done) return;
    }
  }
  if (n < -(1n << 63n) || n >= 1n << 63n) throw new RangeError('n must be an i64');
  let v = n;
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n; // arithmetic shift: keeps the sign
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}
