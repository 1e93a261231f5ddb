/**
 * The WebAssembly opcodes the kernels use (core spec §5.4, fixed-width SIMD §5.4.8). Only what is
 * needed; each value is checked by test/kernel/wasm-binary.test.ts through modules that run.
 */

/**
 * Value types (§5.3.1).
 * @example
 * ```ts
 * VALTYPE.i64; // 0x7e
 * ```
 */
export const VALTYPE = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;

/** A value type name. */
export type ValType = keyof typeof VALTYPE;

/**
 * Single-byte core opcodes.
 * @example
 * ```ts
 * f.get(0).get(1).op(OP.i32_add);
 * ```
 */
export const OP = {
  unreachable: 0x00,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  return: 0x0f,
  call: 0x10,
  drop: 0x1a,
  select: 0x1b,
  local_get: 0x20,
  local_set: 0x21,
  local_tee: 0x22,
  i32_load: 0x28,
  i64_load: 0x29,
  f64_load: 0x2b,
  i32_load8_u: 0x2d,
  i32_load16_u: 0x2f,
  i32_store: 0x36,
  i64_store: 0x37,
  f64_store: 0x39,
  i32_store8: 0x3a,
  i32_store16: 0x3b,
  i32_const: 0x41,
  i64_const: 0x42,
  f64_const: 0x44,
  i32_eqz: 0x45,
  i32_eq: 0x46,
  i32_ne: 0x47,
  i32_lt_u: 0x49,
  i32_gt_u: 0x4b,
  i32_le_u: 0x4d,
  i32_ge_u: 0x4f,
  f64_lt: 0x63,
  f64_ge: 0x66,
  i32_popcnt: 0x69,
  i32_add: 0x6a,
  i32_sub: 0x6b,
  i32_mul: 0x6c,
  i32_and: 0x71,
  i32_or: 0x72,
  i32_xor: 0x73,
  i32_shl: 0x74,
  i32_shr_u: 0x76,
  i32_rotl: 0x77,
  i32_rotr: 0x78,
  i64_popcnt: 0x7b,
  i64_add: 0x7c,
  i64_and: 0x83,
  i64_or: 0x84,
  i64_xor: 0x85,
  i64_rotr: 0x8a,
  f64_add: 0xa0,
  f64_mul: 0xa2,
  f64_div: 0xa3,
  i32_wrap_i64: 0xa7,
  i64_extend_i32_u: 0xad,
  f64_convert_i32_u: 0xb8,
  /** Prefix of the SIMD opcodes ({@link SIMD}). */
  simd_prefix: 0xfd,
} as const;

/**
 * SIMD opcodes, written after {@link OP.simd_prefix} as unsigned LEB128.
 * @example
 * ```ts
 * f.get(v).simd(SIMD.i8x16_popcnt);
 * ```
 */
export const SIMD = {
  v128_load: 0x00,
  v128_store: 0x0b,
  i32x4_splat: 0x11,
  i32x4_extract_lane: 0x1b,
  i8x16_shuffle: 0x0d,
  v128_const: 0x0c,
  v128_and: 0x4e,
  v128_andnot: 0x4f,
  v128_or: 0x50,
  v128_xor: 0x51,
  i8x16_popcnt: 0x62,
  i8x16_add: 0x6e,
  i16x8_extadd_pairwise_i8x16_u: 0x7d,
  i32x4_extadd_pairwise_i16x8_u: 0x7f,
  i32x4_shl: 0xab,
  i32x4_shr_u: 0xad,
  i32x4_add: 0xae,
} as const;

/**
 * Block type of a block that yields nothing.
 * @example
 * ```ts
 * code.push(OP.block, BLOCK_VOID);
 * ```
 */
export const BLOCK_VOID = 0x40;
