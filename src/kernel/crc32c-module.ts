/**
 * Emits the WebAssembly CRC-32C kernel (Castagnoli, reflected): slice-by-16 over bytes in its own
 * linear memory, the 16 tables at {@link CRC32C_LAYOUT}`.tables` and a buffer the caller copies input
 * into at `.buffer`. The module is small (≈ 0.4 KB: under a browser main thread's 4 KiB limit on
 * synchronous compiles) and emitted at run time with the module writer of ./wasm, like the Dice
 * kernel.
 *
 * Export `crc(state, at, n) → state` continues the CRC register `state` (the inverted CRC, `~crc`)
 * over the `n` bytes at `at`. Each 16-byte step looks up the twelve bytes that do not depend on the
 * register first (loaded one by one: `i32.load8_u` feeds the table index with one shift), then the
 * four of `state ^ word` as a two-level XOR tree: the register's dependency chain per step is one
 * load, a table load and three XORs instead of the sixteen-XOR chain of the JS loop, which measured
 * ≈ 1.5× its speed (bench/crc32c.bench.ts, docs/scaling.md "Checksums off the critical path").
 */
import { type FunctionBuilder, ModuleBuilder } from './wasm/module.js';
import { OP } from './wasm/opcodes.js';

/**
 * Where the kernel's tables and input buffer lie in its memory (byte offsets) and the buffer's size.
 * @example
 * ```ts
 * u8.set(piece, CRC32C_LAYOUT.buffer); // piece.length <= CRC32C_LAYOUT.bufferBytes
 * ```
 */
export const CRC32C_LAYOUT = { tables: 0, buffer: 16 * 1024, bufferBytes: 64 * 1024, pages: 2 } as const;

/** Replaces the byte offset on the stack (a byte value times 4) by table `table`'s entry there. */
function lookup(f: FunctionBuilder, table: number): void {
  f.mem(OP.i32_load, CRC32C_LAYOUT.tables + table * 1024, 2);
}

/** One 16-byte step at `p + off`: register `c` ← its CRC continued over those bytes. */
function step(f: FunctionBuilder, c: number, p: number, off: number, w: number): void {
  // Bytes 4..15 use tables 11..0 and do not depend on the register: XORed first, so the CPU runs
  // them ahead while the previous step's register is still being computed.
  for (let b = 4; b < 16; b++) {
    f.get(p)
      .mem(OP.i32_load8_u, off + b, 0)
      .i32(2)
      .op(OP.i32_shl);
    lookup(f, 15 - b);
    if (b > 4) f.op(OP.i32_xor);
  }
  f.get(c).get(p).mem(OP.i32_load, off, 2).op(OP.i32_xor).set(w);
  // Byte j of w, times 4 (a table index in bytes): (w << 2) & 0x3fc, (w >>> 6) & 0x3fc, …
  const byte = (j: number) => {
    f.get(w);
    if (j === 0) f.i32(2).op(OP.i32_shl);
    else f.i32(8 * j - 2).op(OP.i32_shr_u);
    f.i32(0x3fc).op(OP.i32_and);
    lookup(f, 15 - j);
  };
  byte(0);
  byte(1);
  f.op(OP.i32_xor);
  byte(2);
  byte(3);
  f.op(OP.i32_xor).op(OP.i32_xor).op(OP.i32_xor).set(c);
}

/**
 * The kernel module's bytes (see the file comment).
 * @example
 * ```ts
 * const { exports } = new WebAssembly.Instance(new WebAssembly.Module(crc32cModuleBytes()));
 * ```
 */
export function crc32cModuleBytes(): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  m.defineMemory({ initial: CRC32C_LAYOUT.pages, maximum: CRC32C_LAYOUT.pages }, 'memory');
  m.func('crc', ['i32', 'i32', 'i32'], ['i32'], (f) => {
    const c = 0;
    const p = 1;
    const n = 2;
    const end16 = f.local('i32');
    const end = f.local('i32');
    const w = f.local('i32');
    f.get(p).get(n).op(OP.i32_add).set(end);
    f.get(p).get(n).i32(-16).op(OP.i32_and).op(OP.i32_add).set(end16);
    f.block().loop();
    f.get(p).get(end16).op(OP.i32_ge_u).brIf(1);
    step(f, c, p, 0, w);
    f.get(p).i32(16).op(OP.i32_add).set(p);
    f.br(0).end().end();
    // The last n mod 16 bytes one at a time: c = T0[(c ^ byte) & 255] ^ (c >>> 8).
    f.block().loop();
    f.get(p).get(end).op(OP.i32_ge_u).brIf(1);
    f.get(c).get(p).mem(OP.i32_load8_u, 0, 0).op(OP.i32_xor).i32(255).op(OP.i32_and).i32(2).op(OP.i32_shl);
    lookup(f, 0);
    f.get(c).i32(8).op(OP.i32_shr_u).op(OP.i32_xor).set(c);
    f.get(p).i32(1).op(OP.i32_add).set(p);
    f.br(0).end().end();
    f.get(c);
  });
  return m.bytes();
}
