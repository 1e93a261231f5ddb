/**
 * Keyed, salted BLAKE2b-512 of one short message in WebAssembly: clkhash's `blake_hash_token`
 * for the tokens that fit one block after the key block (1–128 bytes, i.e. every n-gram and date),
 * which with the key block precompressed (`KeyedBlake2b.keyedState`) is a single compression,
 * fully unrolled on native 64-bit words (the JS compression works on 32-bit halves and costs
 * several times as much). Output is identical to `KeyedBlake2b.digest` (tested).
 *
 * Memory layout (the module's own page, exported as `memory`): the message, zero-padded, at
 * bytes 0–127; the digest is written to 128–191; keyed chaining states (8 little-endian 64-bit
 * words each) from byte 192 on, 64 bytes apart. Export `digest(state, len)`: the digest of the
 * `len`-byte message under the keyed state at byte `state`.
 */
import { ModuleBuilder } from '../../kernel/wasm/module.js';
import { OP } from '../../kernel/wasm/opcodes.js';

/** Byte offset of the digest the kernel writes. */
export const BLAKE_OUT = 128;
/** Byte offset of the first keyed state; state s is at `BLAKE_STATES + 64 s`. */
export const BLAKE_STATES = 192;

const IV: readonly bigint[] = [
  0x6a09e667f3bcc908n,
  0xbb67ae8584caa73bn,
  0x3c6ef372fe94f82bn,
  0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n,
  0x9b05688c2b3e6c1fn,
  0x1f83d9abfb41bd6bn,
  0x5be0cd19137e2179n,
];

const SIGMA: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

/**
 * The BLAKE2b kernel's binary (one exported function, `digest(state, len)`, and its memory).
 * @example
 * ```ts
 * WebAssembly.validate(blake2bModuleBytes()); // true
 * ```
 */
export function blake2bModuleBytes(): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder().defineMemory({ initial: 1 }, 'memory');
  m.func('digest', ['i32', 'i32'], [], (f) => {
    const [state, len] = [0, 1];
    const v = Array.from({ length: 16 }, () => f.local('i64'));
    const w = Array.from({ length: 16 }, () => f.local('i64'));
    for (let i = 0; i < 8; i++)
      f.get(state)
        .mem(OP.i64_load, 8 * i, 3)
        .set(v[i]!);
    for (let i = 0; i < 8; i++) f.i64(IV[i]!).set(v[8 + i]!);
    // v12 ^= t (bytes compressed: the key block and the message), v14 = ~v14 (the last block).
    f.get(v[12]!).get(len).op(OP.i64_extend_i32_u).i64(128n).op(OP.i64_add, OP.i64_xor).set(v[12]!);
    f.get(v[14]!).i64(-1n).op(OP.i64_xor).set(v[14]!);
    for (let i = 0; i < 16; i++)
      f.i32(0)
        .mem(OP.i64_load, 8 * i, 3)
        .set(w[i]!);
    const g = (a: number, b: number, c: number, d: number, x: number, y: number): void => {
      const [va, vb, vc, vd] = [v[a]!, v[b]!, v[c]!, v[d]!];
      f.get(va).get(vb).op(OP.i64_add).get(w[x]!).op(OP.i64_add).set(va);
      f.get(vd).get(va).op(OP.i64_xor).i64(32n).op(OP.i64_rotr).set(vd);
      f.get(vc).get(vd).op(OP.i64_add).set(vc);
      f.get(vb).get(vc).op(OP.i64_xor).i64(24n).op(OP.i64_rotr).set(vb);
      f.get(va).get(vb).op(OP.i64_add).get(w[y]!).op(OP.i64_add).set(va);
      f.get(vd).get(va).op(OP.i64_xor).i64(16n).op(OP.i64_rotr).set(vd);
      f.get(vc).get(vd).op(OP.i64_add).set(vc);
      f.get(vb).get(vc).op(OP.i64_xor).i64(63n).op(OP.i64_rotr).set(vb);
    };
    for (let r = 0; r < 12; r++) {
      const s = SIGMA[r % 10]!;
      g(0, 4, 8, 12, s[0]!, s[1]!);
      g(1, 5, 9, 13, s[2]!, s[3]!);
      g(2, 6, 10, 14, s[4]!, s[5]!);
      g(3, 7, 11, 15, s[6]!, s[7]!);
      g(0, 5, 10, 15, s[8]!, s[9]!);
      g(1, 6, 11, 12, s[10]!, s[11]!);
      g(2, 7, 8, 13, s[12]!, s[13]!);
      g(3, 4, 9, 14, s[14]!, s[15]!);
    }
    for (let i = 0; i < 8; i++) {
      f.i32(0);
      f.get(state).mem(OP.i64_load, 8 * i, 3);
      f.get(v[i]!)
        .op(OP.i64_xor)
        .get(v[8 + i]!)
        .op(OP.i64_xor);
      f.mem(OP.i64_store, BLAKE_OUT + 8 * i, 3);
    }
  });
  return m.bytes();
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * A new instance of the kernel (its own memory page), or undefined where WebAssembly cannot be
 * compiled (callers then use the JS compression). The module is compiled once per thread.
 * @example
 * ```ts
 * const k = blake2bKernel();
 * if (k) k.digest(BLAKE_STATES, 2); // after writing a keyed state and a 2-byte message
 * ```
 */
export function blake2bKernel():
  | { readonly memory: WebAssembly.Memory; readonly digest: (state: number, len: number) => void }
  | undefined {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(blake2bModuleBytes());
    } catch {
      compiled = null;
    }
  }
  if (compiled === null) return undefined;
  return new WebAssembly.Instance(compiled).exports as unknown as {
    readonly memory: WebAssembly.Memory;
    readonly digest: (state: number, len: number) => void;
  };
}
