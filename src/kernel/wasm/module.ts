/**
 * A small WebAssembly binary writer (core spec §5, MVP plus fixed-width SIMD): enough to emit the
 * kernels of this folder from TypeScript at run time, so the package needs no `wat2wasm`, no build
 * step and no binary blob, and each kernel can be specialised (unrolled) for the filter size at hand.
 * Modules are validated by the engine when compiled; the tests also run them against the JS paths.
 */

import { concatBytes } from '../../util/bytes.js';
import { signedLeb, unsignedLeb } from './leb128.js';
import { BLOCK_VOID, OP, SIMD, VALTYPE, type ValType } from './opcodes.js';

/** Limits of a linear memory, in 64 KiB pages. A shared memory needs a maximum. */
export interface MemoryLimits {
  readonly initial: number;
  readonly maximum?: number;
  readonly shared?: boolean;
}

const utf8 = new TextEncoder();

function name(s: string, out: number[]): void {
  const b = utf8.encode(s);
  unsignedLeb(b.length, out);
  for (const x of b) out.push(x);
}

function limits(l: MemoryLimits, out: number[]): void {
  if (l.shared && l.maximum === undefined) throw new RangeError('a shared memory needs a maximum');
  out.push(l.maximum === undefined ? 0x00 : l.shared ? 0x03 : 0x01);
  unsignedLeb(l.initial, out);
  if (l.maximum !== undefined) unsignedLeb(l.maximum, out);
}

/**
 * The body of one function under construction: instructions are appended in order, locals are
 * declared on the way. Methods return `this` so code reads like the text format, one instruction per
 * call.
 * @example
 * ```ts
 * const m = new ModuleBuilder();
 * m.func('add', ['i32', 'i32'], ['i32'], (f) => f.get(0).get(1).op(OP.i32_add));
 * ```
 */
export class FunctionBuilder {
  /** The instruction bytes so far (without the final `end`). */
  readonly code: number[] = [];
  private readonly locals: ValType[] = [];

  constructor(
    readonly params: readonly ValType[],
    readonly results: readonly ValType[],
  ) {}

  /** Declares a local and returns its index. */
  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  /** Appends raw opcode bytes. */
  op(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }

  /** `local.get i`. */
  get(i: number): this {
    this.code.push(OP.local_get);
    unsignedLeb(i, this.code);
    return this;
  }

  /** `local.set i`. */
  set(i: number): this {
    this.code.push(OP.local_set);
    unsignedLeb(i, this.code);
    return this;
  }

  /** `local.tee i`. */
  tee(i: number): this {
    this.code.push(OP.local_tee);
    unsignedLeb(i, this.code);
    return this;
  }

  /** `i32.const n`. */
  i32(n: number): this {
    this.code.push(OP.i32_const);
    signedLeb(n | 0, this.code);
    return this;
  }

  /** `i64.const n`. */
  i64(n: bigint): this {
    this.code.push(OP.i64_const);
    signedLeb(BigInt.asIntN(64, n), this.code);
    return this;
  }

  /** `f64.const x`. */
  f64(x: number): this {
    this.code.push(OP.f64_const);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, x, true);
    for (const v of b) this.code.push(v);
    return this;
  }

  /** A load or store with its memory argument; `align` is log2 of the alignment hint. */
  mem(op: number, offset = 0, align = 0): this {
    this.code.push(op);
    unsignedLeb(align, this.code);
    unsignedLeb(offset, this.code);
    return this;
  }

  /** A SIMD instruction without immediates. */
  simd(op: number): this {
    this.code.push(OP.simd_prefix);
    unsignedLeb(op, this.code);
    return this;
  }

  /** A SIMD instruction with a lane index. */
  lane(op: number, lane: number): this {
    this.simd(op);
    this.code.push(lane);
    return this;
  }

  /** `i8x16.shuffle` of the two vectors on the stack: 16 lane indices (0–15 first, 16–31 second). */
  shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16 || lanes.some((l) => !Number.isInteger(l) || l < 0 || l > 31))
      throw new RangeError('a shuffle takes 16 lane indices in 0..31');
    this.simd(SIMD.i8x16_shuffle);
    for (const l of lanes) this.code.push(l);
    return this;
  }

  /** `v128.const` of four i32 lanes. */
  v128i32(a: number, b: number, c: number, d: number): this {
    this.simd(SIMD.v128_const);
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    [a, b, c, d].forEach((v, k) => {
      view.setInt32(4 * k, v | 0, true);
    });
    for (const x of bytes) this.code.push(x);
    return this;
  }

  /** `v128.load` / `v128.store` with a memory argument. */
  simdMem(op: typeof SIMD.v128_load | typeof SIMD.v128_store, offset = 0, align = 0): this {
    this.simd(op);
    unsignedLeb(align, this.code);
    unsignedLeb(offset, this.code);
    return this;
  }

  /** `call f` (a function index of the module). */
  call(index: number): this {
    this.code.push(OP.call);
    unsignedLeb(index, this.code);
    return this;
  }

  /** `block` yielding nothing. */
  block(): this {
    this.code.push(OP.block, BLOCK_VOID);
    return this;
  }

  /** `loop` yielding nothing. */
  loop(): this {
    this.code.push(OP.loop, BLOCK_VOID);
    return this;
  }

  /** `if` yielding nothing. */
  if(): this {
    this.code.push(OP.if, BLOCK_VOID);
    return this;
  }

  /** `else`. */
  else(): this {
    this.code.push(OP.else);
    return this;
  }

  /** `end` of a block, loop or if. */
  end(): this {
    this.code.push(OP.end);
    return this;
  }

  /** `br depth`. */
  br(depth: number): this {
    this.code.push(OP.br);
    unsignedLeb(depth, this.code);
    return this;
  }

  /** `br_if depth`. */
  brIf(depth: number): this {
    this.code.push(OP.br_if);
    unsignedLeb(depth, this.code);
    return this;
  }

  /** The encoded body: local declarations (runs of one type), instructions, `end`. */
  encode(): Uint8Array {
    const runs: [number, ValType][] = [];
    for (const t of this.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    const head: number[] = [];
    unsignedLeb(runs.length, head);
    for (const [n, t] of runs) {
      unsignedLeb(n, head);
      head.push(VALTYPE[t]);
    }
    const size: number[] = [];
    unsignedLeb(head.length + this.code.length + 1, size);
    // Whole-array copies (TypedArray#set): the bodies are tens of kilobytes, and copying them a byte
    // at a time cost more than emitting them, once per process, before any work starts.
    const out = new Uint8Array(size.length + head.length + this.code.length + 1);
    out.set(size);
    out.set(head, size.length);
    out.set(this.code, size.length + head.length);
    out[out.length - 1] = OP.end;
    return out;
  }
}

interface FuncEntry {
  readonly type: number;
  readonly exportName: string | undefined;
  readonly body: FunctionBuilder;
}

/**
 * Builds a module: function types (deduplicated), at most one memory (imported or defined),
 * functions with optional exports.
 * @example
 * ```ts
 * const m = new ModuleBuilder();
 * m.func('add', ['i32', 'i32'], ['i32'], (f) => f.get(0).get(1).op(OP.i32_add));
 * const { add } = new WebAssembly.Instance(new WebAssembly.Module(m.bytes())).exports as {
 *   add: (a: number, b: number) => number;
 * };
 * add(2, 3); // 5
 * ```
 */
export class ModuleBuilder {
  private readonly types: string[] = [];
  private readonly funcs: FuncEntry[] = [];
  private memoryImport: { module: string; field: string; limits: MemoryLimits } | undefined;
  private memoryDef: { limits: MemoryLimits; exportName: string | undefined } | undefined;

  /** Imports the module's memory as `module.field`. */
  importMemory(module: string, field: string, l: MemoryLimits): this {
    if (this.memoryImport || this.memoryDef) throw new TypeError('the module already has a memory');
    this.memoryImport = { module, field, limits: l };
    return this;
  }

  /** Defines the module's own memory, exported under `exportName` when given. */
  defineMemory(l: MemoryLimits, exportName?: string): this {
    if (this.memoryImport || this.memoryDef) throw new TypeError('the module already has a memory');
    this.memoryDef = { limits: l, exportName };
    return this;
  }

  /** Adds a function (exported when `exportName` is given) and returns its index. */
  func(
    exportName: string | undefined,
    params: readonly ValType[],
    results: readonly ValType[],
    build: (f: FunctionBuilder) => void,
  ): number {
    const sig = `${params.join(',')}->${results.join(',')}`;
    let type = this.types.indexOf(sig);
    if (type < 0) type = this.types.push(sig) - 1;
    const body = new FunctionBuilder(params, results);
    build(body);
    return this.funcs.push({ type, exportName, body }) - 1;
  }

  /** The module's binary. */
  bytes(): Uint8Array<ArrayBuffer> {
    const parts: (readonly number[] | Uint8Array)[] = [[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]];
    const section = (id: number, content: readonly (readonly number[] | Uint8Array)[]): void => {
      const size: number[] = [id];
      unsignedLeb(
        content.reduce((n, c) => n + c.length, 0),
        size,
      );
      parts.push(size, ...content);
    };
    const vec = <T>(items: readonly T[], each: (item: T, s: number[]) => void): number[][] => {
      const s: number[] = [];
      unsignedLeb(items.length, s);
      for (const it of items) each(it, s);
      return [s];
    };
    section(
      1,
      vec(this.types, (sig, s) => {
        const [p = '', r = ''] = sig.split('->');
        s.push(0x60);
        const ps = p ? (p.split(',') as ValType[]) : [];
        const rs = r ? (r.split(',') as ValType[]) : [];
        unsignedLeb(ps.length, s);
        for (const t of ps) s.push(VALTYPE[t]);
        unsignedLeb(rs.length, s);
        for (const t of rs) s.push(VALTYPE[t]);
      }),
    );
    if (this.memoryImport) {
      const mi = this.memoryImport;
      section(
        2,
        vec([mi], (m, s) => {
          name(m.module, s);
          name(m.field, s);
          s.push(0x02);
          limits(m.limits, s);
        }),
      );
    }
    section(
      3,
      vec(this.funcs, (f, s) => unsignedLeb(f.type, s)),
    );
    if (this.memoryDef) section(5, vec([this.memoryDef.limits], limits));
    const exports: [string, number, number][] = [];
    this.funcs.forEach((f, i) => {
      if (f.exportName !== undefined) exports.push([f.exportName, 0x00, i]);
    });
    if (this.memoryDef?.exportName !== undefined) exports.push([this.memoryDef.exportName, 0x02, 0]);
    section(
      7,
      vec(exports, ([n, kind, idx], s) => {
        name(n, s);
        s.push(kind);
        unsignedLeb(idx, s);
      }),
    );
    const count: number[] = [];
    unsignedLeb(this.funcs.length, count);
    section(10, [count, ...this.funcs.map((f) => f.body.encode())]);
    return concatBytes(parts);
  }
}
