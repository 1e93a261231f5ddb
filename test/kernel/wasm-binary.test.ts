import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signedLeb, unsignedLeb } from '../../src/kernel/wasm/leb128.js';
import { ModuleBuilder } from '../../src/kernel/wasm/module.js';
import { OP, SIMD } from '../../src/kernel/wasm/opcodes.js';

const hex = (b: Uint8Array | number[]): string => Buffer.from(Uint8Array.from(b)).toString('hex');

function decodeUnsigned(bytes: number[]): number {
  let result = 0;
  let scale = 1;
  for (const b of bytes) {
    result += (b & 0x7f) * scale;
    scale *= 128;
  }
  return result;
}

function decodeSigned(bytes: number[]): bigint {
  let result = 0n;
  let shift = 0n;
  let last = 0;
  for (const b of bytes) {
    result |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    last = b;
  }
  if (last & 0x40) result -= 1n << shift;
  return result;
}

describe('LEB128', () => {
  it('matches the spec examples', () => {
    const u: number[] = [];
    unsignedLeb(624485, u);
    expect(u).toEqual([0xe5, 0x8e, 0x26]);
    const s: number[] = [];
    signedLeb(-123456, s);
    expect(s).toEqual([0xc0, 0xbb, 0x78]);
    const z: number[] = [];
    signedLeb(-1, z);
    signedLeb(63, z);
    signedLeb(64, z);
    expect(z).toEqual([0x7f, 0x3f, 0xc0, 0x00]);
  });

  it('round-trips every u32, i32 and i64', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        const out: number[] = [];
        unsignedLeb(n, out);
        expect(decodeUnsigned(out)).toBe(n);
        expect(out.length).toBeLessThanOrEqual(5);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), (n) => {
        const out: number[] = [];
        signedLeb(n, out);
        expect(decodeSigned(out)).toBe(BigInt(n));
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (n) => {
        const out: number[] = [];
        signedLeb(n, out);
        expect(decodeSigned(out)).toBe(n);
      }),
    );
  });

  it('refuses values out of range', () => {
    expect(() => unsignedLeb(-1, [])).toThrow(RangeError);
    expect(() => unsignedLeb(2 ** 32, [])).toThrow(RangeError);
    expect(() => signedLeb(2 ** 31, [])).toThrow(RangeError);
    expect(() => signedLeb(1n << 63n, [])).toThrow(RangeError);
  });
});

describe('ModuleBuilder', () => {
  it('emits the canonical bytes of a two-argument add', () => {
    const m = new ModuleBuilder();
    m.func('add', ['i32', 'i32'], ['i32'], (f) => f.get(0).get(1).op(OP.i32_add));
    // As wat2wasm writes (module (func (export "add") (param i32 i32) (result i32) ...)).
    expect(hex(m.bytes())).toBe(
      '0061736d0100000001070160027f7f017f030201000707010361646400000a09010700200020016a0b',
    );
    const { add } = new WebAssembly.Instance(new WebAssembly.Module(m.bytes())).exports as {
      add: (a: number, b: number) => number;
    };
    expect(add(2, 3)).toBe(5);
  });

  it('declares locals, constants, loops and an exported memory', () => {
    const m = new ModuleBuilder().defineMemory({ initial: 1 }, 'memory');
    // sum(n): 0 + 1 + … + (n − 1), then stores it at address 8 as i64 and f64 at 16.
    m.func('sum', ['i32'], ['i32'], (f) => {
      const i = f.local('i32');
      const s = f.local('i32');
      f.block().loop();
      f.get(i).get(0).op(OP.i32_ge_u).brIf(1);
      f.get(s).get(i).op(OP.i32_add).set(s);
      f.get(i).i32(1).op(OP.i32_add).set(i);
      f.br(0).end().end();
      f.i32(8).i64(-5n).mem(OP.i64_store, 0, 3);
      f.i32(16).f64(0.1).mem(OP.f64_store, 0, 3);
      f.get(s);
    });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(m.bytes()));
    const { sum, memory } = inst.exports as { sum: (n: number) => number; memory: WebAssembly.Memory };
    expect(sum(10)).toBe(45);
    expect(new BigInt64Array(memory.buffer, 8, 1)[0]).toBe(-5n);
    expect(new Float64Array(memory.buffer, 16, 1)[0]).toBe(0.1);
  });

  it('imports a plain or a shared memory and runs SIMD', () => {
    for (const shared of [false, true]) {
      const m = new ModuleBuilder().importMemory(
        'env',
        'memory',
        shared ? { initial: 1, maximum: 2, shared: true } : { initial: 1 },
      );
      // Popcount of the 16 bytes at address p, with i8x16.popcnt and pairwise widening adds.
      m.func('pc', ['i32'], ['i32'], (f) => {
        const v = f.local('v128');
        f.get(0).simdMem(SIMD.v128_load, 0, 4).simd(SIMD.i8x16_popcnt);
        f.simd(SIMD.i16x8_extadd_pairwise_i8x16_u).simd(SIMD.i32x4_extadd_pairwise_i16x8_u).set(v);
        f.get(v).lane(SIMD.i32x4_extract_lane, 0).get(v).lane(SIMD.i32x4_extract_lane, 1).op(OP.i32_add);
        f.get(v).lane(SIMD.i32x4_extract_lane, 2).op(OP.i32_add);
        f.get(v).lane(SIMD.i32x4_extract_lane, 3).op(OP.i32_add);
      });
      const memory = shared
        ? new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true })
        : new WebAssembly.Memory({ initial: 1 });
      new Uint8Array(memory.buffer).set([255, 1, 3, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 128], 32);
      const inst = new WebAssembly.Instance(new WebAssembly.Module(m.bytes()), { env: { memory } });
      expect((inst.exports as { pc: (p: number) => number }).pc(32)).toBe(15);
    }
  });

  it('calls an internal function', () => {
    const m = new ModuleBuilder();
    const dbl = m.func(undefined, ['i32'], ['i32'], (f) => f.get(0).get(0).op(OP.i32_add));
    m.func('quad', ['i32'], ['i32'], (f) => f.get(0).call(dbl).call(dbl));
    // As wat2wasm writes (module (func $dbl (param i32) (result i32) …)
    //   (func (export "quad") (param i32) (result i32) local.get 0 call $dbl call $dbl)).
    expect(hex(m.bytes())).toBe(
      '0061736d01000000' +
        '01060160017f017f' +
        '0303020000' +
        '07080104717561640001' +
        '0a1202070020002000' +
        '6a0b0800200010001000' +
        '0b',
    );
    const { quad } = new WebAssembly.Instance(new WebAssembly.Module(m.bytes())).exports as {
      quad: (a: number) => number;
    };
    expect(quad(5)).toBe(20);
  });

  it('refuses a second memory and a shared memory without maximum', () => {
    expect(() =>
      new ModuleBuilder().defineMemory({ initial: 1 }).importMemory('a', 'b', { initial: 1 }),
    ).toThrow(TypeError);
    const m = new ModuleBuilder().defineMemory({ initial: 1, shared: true });
    expect(() => m.bytes()).toThrow(RangeError);
  });
});
