/**
 * Emits a WebAssembly HMAC-SHA256 kernel for short messages (one 64-byte block once padded, i.e.
 * under 56 bytes), the encoder's hot path: with the key's inner and outer pad states precomputed,
 * an HMAC is exactly two SHA-256 compressions (FIPS 180-4 §6.2.2). The one-lane function unrolls
 * its compressions fully, with the message schedule in a 16-word ring of locals; the four-lane one
 * unrolls 16 rounds at a time and loops (see {@link compressLoop4} for why).
 *
 * Memory layout (the module's own memory, exported as `memory`): the caller writes each message
 * as a padded big-endian block of 64 bytes; key states are 16 i32 values (inner then outer state,
 * as numbers, not bytes). Exports:
 * - `hmac(state, blocks, n, out)`: for k < n, HMAC of block `blocks + 64k` under the key state at
 *   `state`, its 8 words (as i32 values) to `out + 32k`.
 * - `hmac4(desc, blocks, n, out, consts)` (SIMD): n a multiple of 4; message k's key state pointer
 *   at `desc + 4k`; `consts` holds {@link roundConstantLanes} (1,024 bytes, written once by the caller).
 */
import { type FunctionBuilder, ModuleBuilder } from '../../kernel/wasm/module.js';
import { OP, SIMD } from '../../kernel/wasm/opcodes.js';

/**
 * SHA-256's 64 round constants (FIPS 180-4 §4.2.2), as unsigned 32-bit numbers; the one copy, used
 * by this kernel and by the JS compression in encode/sha256.ts.
 * @example
 * ```ts
 * SHA256_K[0] === 0x428a2f98; // true
 * ```
 */
export const SHA256_K: readonly number[] = Object.freeze([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const K = SHA256_K;

/** Emits `rotr(x, a) ^ rotr(x, b) ^ (rotr(x, c) or x >>> c)` for local x. */
function sigma(f: FunctionBuilder, x: number, a: number, b: number, c: number, shiftLast: boolean): void {
  f.get(x).i32(a).op(OP.i32_rotr);
  f.get(x).i32(b).op(OP.i32_rotr, OP.i32_xor);
  f.get(x)
    .i32(c)
    .op(shiftLast ? OP.i32_shr_u : OP.i32_rotr, OP.i32_xor);
}

/**
 * Emits one compression: `v` holds a..h (set to the chaining state before), `w` the 16 message
 * words; afterwards `v` holds the new chaining values (state + a..h) and `st` is unchanged.
 */
function compress(
  f: FunctionBuilder,
  st: readonly number[],
  v: readonly number[],
  w: readonly number[],
): void {
  const [t1, t2] = [f.local('i32'), f.local('i32')];
  for (let i = 0; i < 8; i++) f.get(st[i]!).set(v[i]!);
  const vars = [...v];
  for (let t = 0; t < 64; t++) {
    const wi = w[t % 16]!;
    if (t >= 16) {
      // w[t] = σ1(w[t−2]) + w[t−7] + σ0(w[t−15]) + w[t−16], in the ring slot of w[t−16].
      sigma(f, w[(t - 2) % 16]!, 17, 19, 10, true);
      f.get(w[(t - 7) % 16]!).op(OP.i32_add);
      sigma(f, w[(t - 15) % 16]!, 7, 18, 3, true);
      f.op(OP.i32_add).get(wi).op(OP.i32_add).set(wi);
    }
    const [a, b, c, d, e, ff, g, h] = vars as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    // t1 = h + Σ1(e) + Ch(e, f, g) + K[t] + w[t]
    f.get(h);
    sigma(f, e, 6, 11, 25, false);
    f.op(OP.i32_add);
    f.get(e)
      .get(ff)
      .op(OP.i32_and)
      .get(e)
      .i32(-1)
      .op(OP.i32_xor)
      .get(g)
      .op(OP.i32_and, OP.i32_xor, OP.i32_add);
    f.i32(K[t]! | 0)
      .op(OP.i32_add)
      .get(wi)
      .op(OP.i32_add)
      .set(t1);
    // t2 = Σ0(a) + Maj(a, b, c)
    sigma(f, a, 2, 13, 22, false);
    f.get(a).get(b).op(OP.i32_and).get(a).get(c).op(OP.i32_and, OP.i32_xor);
    f.get(b).get(c).op(OP.i32_and, OP.i32_xor, OP.i32_add).set(t2);
    // Rotate the variables by renaming: the new e is d + t1 (into d's local), the new a t1 + t2 (into h's).
    f.get(d).get(t1).op(OP.i32_add).set(d);
    f.get(t1).get(t2).op(OP.i32_add).set(h);
    vars.unshift(vars.pop()!);
  }
  // After 64 renamings the variables are back in their locals: add the chaining state.
  for (let i = 0; i < 8; i++) f.get(st[i]!).get(vars[i]!).op(OP.i32_add).set(v[i]!);
}

/** Emits a byte swap of the i32 on the stack (big-endian message words from little-endian loads). */
function bswap(f: FunctionBuilder, tmp: number): void {
  // [b3 b2 b1 b0] → rotl([b3 0 b1 0], 8) | rotr([0 b2 0 b0], 8) = [0 b1 0 b3] | [b0 0 b2 0].
  f.tee(tmp)
    .i32(0xff00ff00 | 0)
    .op(OP.i32_and)
    .i32(8)
    .op(OP.i32_rotl);
  f.get(tmp).i32(0x00ff00ff).op(OP.i32_and).i32(8).op(OP.i32_rotr, OP.i32_or);
}

// ---- Four messages at once: the same compression on i32x4 lanes (one message per lane). ----

/** Emits `rotr(x, n)` of the i32x4 local x (there is no SIMD rotate: two shifts and an or). */
function rotr4(f: FunctionBuilder, x: number, n: number): void {
  f.get(x).i32(n).simd(SIMD.i32x4_shr_u);
  f.get(x)
    .i32(32 - n)
    .simd(SIMD.i32x4_shl);
  f.simd(SIMD.v128_or);
}

function sigma4(f: FunctionBuilder, x: number, a: number, b: number, c: number, shiftLast: boolean): void {
  rotr4(f, x, a);
  rotr4(f, x, b);
  f.simd(SIMD.v128_xor);
  if (shiftLast) f.get(x).i32(c).simd(SIMD.i32x4_shr_u);
  else rotr4(f, x, c);
  f.simd(SIMD.v128_xor);
}

/**
 * The round constants as the four-lane kernel reads them: K[t] in each of the four i32 lanes of
 * 16-byte entry t (256 values, 1,024 bytes), for the memory at `hmac4`'s `consts`.
 * @example
 * ```ts
 * roundConstantLanes().subarray(0, 4); // [K0, K0, K0, K0] as signed i32
 * ```
 */
export function roundConstantLanes(): Int32Array {
  const out = new Int32Array(256);
  for (let t = 0; t < 64; t++) out.fill(K[t]! | 0, 4 * t, 4 * t + 4);
  return out;
}

/**
 * Emits one four-lane compression (one message per i32 lane): `v` is set to the chaining state
 * `st`, and ends as st + a..h; `w` holds the 16 message words, and is the schedule's ring after.
 * Rounds 0–15 are unrolled, rounds 16–63 are a loop of 16 unrolled rounds with the schedule (after
 * 16 rounds the ring and the variables' renaming are back where they started, so one copy of the
 * code serves every pass), the round constants loaded from `consts` (see {@link roundConstantLanes}).
 * Fully unrolled (both compressions: ≈ 9,000 instructions, ≈ 50 KB of machine code, more than a
 * 32 KiB instruction cache), the kernel ran ≈ 10 % slower than this though it executed no more
 * instructions (docs/scaling.md, "Encoding, round nineteen"); two message groups interleaved were
 * slower in both forms (twice the live registers, more spills).
 */
function compressLoop4(
  f: FunctionBuilder,
  st: readonly number[],
  v: readonly number[],
  w: readonly number[],
  consts: number,
): void {
  const [t1, t2] = [f.local('v128'), f.local('v128')];
  // Maj(a, b, c) = ((a ⊕ b) ∧ (b ⊕ c)) ⊕ b, and this round's a ⊕ b is the next round's b ⊕ c: kept
  // in one of two locals (the other holds the previous round's), it saves two operations a round.
  const xors = [f.local('v128'), f.local('v128')] as const;
  const k = f.local('i32'); // the address of K[16 × pass] in the constants
  for (let i = 0; i < 8; i++) f.get(st[i]!).set(v[i]!);
  f.get(v[1]!).get(v[2]!).simd(SIMD.v128_xor).set(xors[1]);
  const vars = [...v];
  /** Round t of a pass of 16 (t = 0..15), the next schedule word first when `schedule`. */
  const round = (t: number, schedule: boolean) => {
    const wi = w[t]!;
    if (schedule) {
      // w[t] = σ1(w[t−2]) + w[t−7] + σ0(w[t−15]) + w[t−16], in the ring slot of w[t−16].
      sigma4(f, w[(t + 14) % 16]!, 17, 19, 10, true);
      f.get(w[(t + 9) % 16]!).simd(SIMD.i32x4_add);
      sigma4(f, w[(t + 1) % 16]!, 7, 18, 3, true);
      f.simd(SIMD.i32x4_add).get(wi).simd(SIMD.i32x4_add).set(wi);
    }
    const [a, b, , d, e, ff, g, h] = vars as [number, number, number, number, number, number, number, number];
    // t1 = h + Σ1(e) + Ch(e, f, g) + K[t] + w[t]
    f.get(h);
    sigma4(f, e, 6, 11, 25, false);
    f.simd(SIMD.i32x4_add);
    // Ch(e, f, g) = (e ∧ f) ⊕ (g ∧ ¬e)
    f.get(e).get(ff).simd(SIMD.v128_and).get(g).get(e).simd(SIMD.v128_andnot).simd(SIMD.v128_xor);
    f.simd(SIMD.i32x4_add);
    f.get(k)
      .simdMem(SIMD.v128_load, 16 * t, 0)
      .simd(SIMD.i32x4_add);
    f.get(wi).simd(SIMD.i32x4_add).set(t1);
    // t2 = Σ0(a) + Maj(a, b, c)
    const ab = xors[t & 1]!;
    const bc = xors[(t + 1) & 1]!;
    sigma4(f, a, 2, 13, 22, false);
    f.get(a).get(b).simd(SIMD.v128_xor).tee(ab).get(bc).simd(SIMD.v128_and).get(b).simd(SIMD.v128_xor);
    f.simd(SIMD.i32x4_add).set(t2);
    // Rotate the variables by renaming: the new e is d + t1 (into d's local), the new a t1 + t2 (into h's).
    f.get(d).get(t1).simd(SIMD.i32x4_add).set(d);
    f.get(t1).get(t2).simd(SIMD.i32x4_add).set(h);
    vars.unshift(vars.pop()!);
  };
  f.get(consts).set(k);
  for (let t = 0; t < 16; t++) round(t, false);
  f.block().loop();
  f.get(k).i32(256).op(OP.i32_add).set(k);
  for (let t = 0; t < 16; t++) round(t, true);
  f.get(k).get(consts).i32(768).op(OP.i32_add).op(OP.i32_lt_u).brIf(0);
  f.end().end();
  // After 64 renamings the variables are back in their locals: add the chaining state.
  for (let i = 0; i < 8; i++) f.get(st[i]!).get(vars[i]!).simd(SIMD.i32x4_add).set(v[i]!);
}

/** Message words 8–15 of the outer hash: the padding of its 32-byte message, 96 bytes hashed in all. */
const OUTER_PADDING = [0x80000000 | 0, 0, 0, 0, 0, 0, 0, 768];

/** Byte lanes of the first transpose stage: (A0, B0, A1, B1) and (A2, B2, A3, B3), optionally byte-swapped. */
function stageOne(high: boolean, swap: boolean): number[] {
  const word = (src: number, w: number) =>
    swap
      ? [src + 4 * w + 3, src + 4 * w + 2, src + 4 * w + 1, src + 4 * w]
      : [0, 1, 2, 3].map((b) => src + 4 * w + b);
  const w0 = high ? 2 : 0;
  return [...word(0, w0), ...word(16, w0), ...word(0, w0 + 1), ...word(16, w0 + 1)];
}
const LOW_HALVES = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
const HIGH_HALVES = [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31];

/**
 * Emits a 4×4 transpose of i32 lanes: `rows[j]` lane i → `cols[i]` lane j (byte-swapping each word
 * when `swap`). `tmp` are four scratch v128 locals.
 */
function transpose4(
  f: FunctionBuilder,
  rows: readonly number[],
  cols: readonly number[],
  tmp: readonly number[],
  swap: boolean,
): void {
  f.get(rows[0]!).get(rows[1]!).shuffle(stageOne(false, swap)).set(tmp[0]!);
  f.get(rows[0]!).get(rows[1]!).shuffle(stageOne(true, swap)).set(tmp[1]!);
  f.get(rows[2]!).get(rows[3]!).shuffle(stageOne(false, swap)).set(tmp[2]!);
  f.get(rows[2]!).get(rows[3]!).shuffle(stageOne(true, swap)).set(tmp[3]!);
  f.get(tmp[0]!).get(tmp[2]!).shuffle(LOW_HALVES).set(cols[0]!);
  f.get(tmp[0]!).get(tmp[2]!).shuffle(HIGH_HALVES).set(cols[1]!);
  f.get(tmp[1]!).get(tmp[3]!).shuffle(LOW_HALVES).set(cols[2]!);
  f.get(tmp[1]!).get(tmp[3]!).shuffle(HIGH_HALVES).set(cols[3]!);
}

/**
 * Emits `hmac4(desc, blocks, n, out, consts)`: n a multiple of 4; message k's key state pointer at
 * desc + 4k; the round constants at `consts`. The inner and the outer hash run the same copy of
 * the compression (a loop of two passes), which keeps the function's machine code small.
 */
function hmac4(m: ModuleBuilder): void {
  m.func('hmac4', ['i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [desc, blocks, n, out, consts] = [0, 1, 2, 3, 4];
    const k = f.local('i32');
    const outer = f.local('i32'); // 0 in the inner hash's pass, 1 in the outer's
    const ptr = Array.from({ length: 4 }, () => f.local('i32'));
    const row = Array.from({ length: 4 }, () => f.local('v128'));
    const tmp = Array.from({ length: 4 }, () => f.local('v128'));
    const st = Array.from({ length: 8 }, () => f.local('v128'));
    const v = Array.from({ length: 8 }, () => f.local('v128'));
    const w = Array.from({ length: 16 }, () => f.local('v128'));
    /** Loads 16 bytes at `offset` of each lane's `base` local into `row`, transposed into `cols`. */
    const gather = (bases: readonly number[], offset: number, cols: readonly number[], swap: boolean) => {
      for (let j = 0; j < 4; j++) f.get(bases[j]!).simdMem(SIMD.v128_load, offset, 0).set(row[j]!);
      transpose4(f, row, cols, tmp, swap);
    };
    const lanes = Array.from({ length: 4 }, () => f.local('i32'));
    f.block().loop();
    f.get(k).get(n).op(OP.i32_ge_u).brIf(1);
    for (let j = 0; j < 4; j++) {
      f.get(desc)
        .mem(OP.i32_load, 4 * j, 2)
        .set(ptr[j]!);
      f.get(blocks)
        .i32(64 * j)
        .op(OP.i32_add)
        .set(lanes[j]!);
    }
    // Inner hash of the four blocks under their inner states.
    gather(ptr, 0, st.slice(0, 4), false);
    gather(ptr, 16, st.slice(4), false);
    for (let q = 0; q < 4; q++) gather(lanes, 16 * q, w.slice(4 * q, 4 * q + 4), true);
    f.i32(0).set(outer);
    f.block().loop();
    compressLoop4(f, st, v, w, consts);
    f.get(outer).brIf(1);
    // Then the outer hash of the inner digests, padded to 96 bytes, under the outer states.
    f.i32(1).set(outer);
    for (let i = 0; i < 8; i++) f.get(v[i]!).set(w[i]!);
    OUTER_PADDING.forEach((c, i) => {
      f.v128i32(c, c, c, c).set(w[8 + i]!);
    });
    gather(ptr, 32, st.slice(0, 4), false);
    gather(ptr, 48, st.slice(4), false);
    f.br(0);
    f.end().end();
    // Back to one message per row: out + 32j holds lane j's 8 words.
    transpose4(f, v.slice(0, 4), row, tmp, false);
    for (let j = 0; j < 4; j++)
      f.get(out)
        .get(row[j]!)
        .simdMem(SIMD.v128_store, 32 * j, 0);
    transpose4(f, v.slice(4), row, tmp, false);
    for (let j = 0; j < 4; j++)
      f.get(out)
        .get(row[j]!)
        .simdMem(SIMD.v128_store, 32 * j + 16, 0);
    f.get(desc).i32(16).op(OP.i32_add).set(desc);
    f.get(blocks).i32(256).op(OP.i32_add).set(blocks);
    f.get(out).i32(128).op(OP.i32_add).set(out);
    f.get(k).i32(4).op(OP.i32_add).set(k);
    f.br(0).end().end();
  });
}

/**
 * The HMAC-SHA256 kernel's binary.
 * @example
 * ```ts
 * WebAssembly.validate(hmacModuleBytes()); // true
 * ```
 */
export function hmacModuleBytes(opts: { readonly simd: boolean } = { simd: true }): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder().defineMemory({ initial: 1 }, 'memory');
  m.func('hmac', ['i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [state, blocks, n, out] = [0, 1, 2, 3];
    const k = f.local('i32');
    const tmp = f.local('i32');
    const st = Array.from({ length: 8 }, () => f.local('i32'));
    const v = Array.from({ length: 8 }, () => f.local('i32'));
    const w = Array.from({ length: 16 }, () => f.local('i32'));
    f.block().loop();
    f.get(k).get(n).op(OP.i32_ge_u).brIf(1);
    // Inner hash: one block of the message under the inner state.
    for (let i = 0; i < 8; i++)
      f.get(state)
        .mem(OP.i32_load, 4 * i, 2)
        .set(st[i]!);
    for (let i = 0; i < 16; i++) {
      f.get(blocks).mem(OP.i32_load, 4 * i, 2);
      bswap(f, tmp);
      f.set(w[i]!);
    }
    compress(f, st, v, w);
    // Outer hash: the inner digest, padded (32 bytes + 0x80, length 96 bytes = 768 bits).
    for (let i = 0; i < 8; i++) f.get(v[i]!).set(w[i]!);
    f.i32(0x80000000 | 0).set(w[8]!);
    for (let i = 9; i < 15; i++) f.i32(0).set(w[i]!);
    f.i32(768).set(w[15]!);
    for (let i = 0; i < 8; i++)
      f.get(state)
        .mem(OP.i32_load, 32 + 4 * i, 2)
        .set(st[i]!);
    compress(f, st, v, w);
    for (let i = 0; i < 8; i++)
      f.get(out)
        .get(v[i]!)
        .mem(OP.i32_store, 4 * i, 2);
    f.get(blocks).i32(64).op(OP.i32_add).set(blocks);
    f.get(out).i32(32).op(OP.i32_add).set(out);
    f.get(k).i32(1).op(OP.i32_add).set(k);
    f.br(0).end().end();
  });
  if (opts.simd) hmac4(m);
  return m.bytes();
}
