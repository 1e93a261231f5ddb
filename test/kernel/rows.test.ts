import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiceKernels } from '../../src/kernel/filters.js';
import { KernelMemory } from '../../src/kernel/memory.js';
import {
  buildRowStore,
  fillRowStore,
  layoutRowStore,
  placeRows,
  type RowSpec,
  readField,
  rowStoreBytes,
} from '../../src/kernel/rows.js';

const popcount = (bytes: Uint8Array) => bytes.reduce((a, b) => a + (b.toString(2).split('1').length - 1), 0);

describe('buildRowStore', () => {
  it('puts every value of every kind of source column where readField and the filter places say', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (n, shift, wasm, seed) => {
          let s = seed;
          const next = () => {
            s = (Math.imul(s, 1103515245) + 12345) >>> 0;
            return s;
          };
          const u32 = Uint32Array.from({ length: n }, next);
          const wide = Uint32Array.from({ length: n * 3 }, next);
          const plain = Array.from({ length: n * 2 }, next); // not a typed array
          const dq = Uint8Array.from({ length: n }, () => next() & 0xff);
          const small16 = Uint16Array.from({ length: n }, () => next() & 0xffff);
          // A filter column that does not start on a 4-byte boundary (the byte-wise copy), and one that does.
          const raw = new Uint8Array(n * 12 + shift);
          for (let b = 0; b < raw.length; b++) raw[b] = next() & 0xff;
          const odd = raw.subarray(shift, shift + n * 12);
          const even = Uint8Array.from({ length: n * 32 }, () => next() & 0xff);
          const spec: RowSpec = {
            fields: [
              { name: 'h', width: 1, values: u32 },
              { name: 'w', width: 3, values: wide },
              { name: 'p', width: 2, values: plain },
              { name: 'dq', width: 1, values: dq, bits: 8 },
              { name: 's', width: 1, values: small16, bits: 16 },
            ],
            filters: [
              { name: 'odd', bytes: odd },
              { name: 'even', bytes: even },
            ],
          };
          const memory = KernelMemory.create({ bytes: rowStoreBytes(n, spec) + n * 4 + 256, wasm });
          const kernels = new DiceKernels(memory, { kind: 'js' });
          const store = buildRowStore(kernels, n, spec);
          const S = store.stride / 4;
          const rows = memory.u32(store.base, n * S);
          const bytes = memory.u8(store.base, n * store.stride);
          for (let j = 0; j < n; j++) {
            const r = j * S;
            expect(readField(rows, r, store.fields.h!)).toBe(u32[j]);
            for (let t = 0; t < 3; t++) expect(rows[r + store.fields.w!.offset + t]).toBe(wide[j * 3 + t]);
            for (let t = 0; t < 2; t++) expect(rows[r + store.fields.p!.offset + t]).toBe(plain[j * 2 + t]);
            expect(readField(rows, r, store.fields.dq!)).toBe(dq[j]);
            expect(readField(rows, r, store.fields.s!)).toBe(small16[j]);
            for (const [name, col, per] of [
              ['odd', odd, 12],
              ['even', even, 32],
            ] as const) {
              const f = store.filters[name]!;
              const at = f.base - store.base + j * f.stride;
              const mine = col.subarray(j * per, (j + 1) * per);
              expect([...bytes.subarray(at, at + per)]).toEqual([...mine]);
              expect([...bytes.subarray(at + per, at + f.words * 8)].every((b) => b === 0)).toBe(true);
              expect(readField(rows, r, store.fields[f.countField]!)).toBe(popcount(mine));
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('gives the same bytes filled in any ranges, in any order, across tile boundaries', () => {
    const n = 9000; // more than two tiles of 4096 rows
    let s = 7;
    const next = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s;
    };
    const spec: RowSpec = {
      fields: [
        { name: 'h', width: 1, values: Uint32Array.from({ length: n }, next) },
        { name: 'w', width: 3, values: Uint32Array.from({ length: n * 3 }, next) },
        { name: 'dq', width: 1, values: Uint8Array.from({ length: n }, () => next() & 0xff), bits: 8 },
      ],
      filters: [{ name: 'f', bytes: Uint8Array.from({ length: n * 16 }, () => next() & 0xff) }],
    };
    const bytesOf = (fill: (k: DiceKernels, m: KernelMemory) => { base: number; stride: number }) => {
      const memory = KernelMemory.create({ bytes: rowStoreBytes(n, spec) + n * 4 + 256 });
      const st = fill(new DiceKernels(memory), memory);
      return memory.u8(st.base, n * st.stride).slice();
    };
    const whole = bytesOf((k) => buildRowStore(k, n, spec));
    for (const cuts of [
      [0, 1, 4095, 4096, 4097, 8191, 8193, n],
      [0, 5000, n],
      [0, n],
    ]) {
      const parts = bytesOf((k) => {
        const store = layoutRowStore(k, n, spec);
        // Last range first: ranges are independent.
        for (let c = cuts.length - 2; c >= 0; c--) fillRowStore(k, store, spec, cuts[c]!, cuts[c + 1]!);
        return store;
      });
      expect(Buffer.from(parts).equals(Buffer.from(whole))).toBe(true);
    }
    const memory = KernelMemory.create({ bytes: rowStoreBytes(n, spec) + n * 4 + 256 });
    const k = new DiceKernels(memory);
    const store = layoutRowStore(k, n, spec);
    expect(() => fillRowStore(k, store, spec, 5, n + 1)).toThrow(RangeError);
    expect(() => fillRowStore(k, store, spec, 6, 5)).toThrow(RangeError);
  });

  it('gives the same bytes when filters and wide fields are placed piece by piece first (placeRows)', () => {
    const n = 5000;
    let s = 11;
    const next = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s;
    };
    const w = Uint32Array.from({ length: n * 3 }, next);
    const f = Uint8Array.from({ length: n * 20 }, () => next() & 0xff); // 20 bytes: a padded word
    const spec: RowSpec = {
      fields: [
        { name: 'h', width: 1, values: Uint32Array.from({ length: n }, next) },
        { name: 'w', width: 3, values: w },
        { name: 'dq', width: 1, values: Uint8Array.from({ length: n }, () => next() & 0xff), bits: 8 },
      ],
      filters: [{ name: 'f', bytes: f }],
    };
    const make = () => {
      const memory = KernelMemory.create({ bytes: rowStoreBytes(n, spec) + n * 4 + 256 });
      const k = new DiceKernels(memory);
      return { memory, k, store: layoutRowStore(k, n, spec) };
    };
    const whole = make();
    fillRowStore(whole.k, whole.store, spec, 0, n);
    const placed = make();
    const wBytes = new Uint8Array(w.buffer);
    // Pieces of whole records in any order, as a file's pieces land; then the rest is filled.
    for (const [from, to] of [
      [4000, n],
      [0, 1],
      [1, 4000],
    ] as const) {
      placeRows(placed.memory, placed.store, 'w', 12, from, wBytes.slice(from * 12, to * 12));
      placeRows(placed.memory, placed.store, 'f', 20, from, f.slice(from * 20, to * 20));
    }
    const zeroed: RowSpec = {
      fields: spec.fields.map((x) =>
        x.name === 'w' ? { ...x, values: new Uint32Array(n * 3), placed: true } : x,
      ),
      filters: [{ name: 'f', bytes: new Uint8Array(n * 20), placed: true }],
    };
    fillRowStore(placed.k, placed.store, zeroed, 0, n);
    const bytes = (x: ReturnType<typeof make>) => Buffer.from(x.memory.u8(x.store.base, n * x.store.stride));
    expect(bytes(placed).equals(bytes(whole))).toBe(true);
    // Popcounts were counted from the placed filters, not from the zeroed column.
    const count = placed.store.fields['f#count']!;
    const S = placed.store.stride / 4;
    const rows = placed.memory.u32(placed.store.base, n * S);
    expect(readField(rows, 17 * S, count)).toBe(popcount(f.subarray(17 * 20, 18 * 20)));
    expect(() => placeRows(placed.memory, placed.store, 'w', 12, n - 1, new Uint8Array(24))).toThrow(
      RangeError,
    );
    expect(() => placeRows(placed.memory, placed.store, 'w', 8, 0, new Uint8Array(8))).toThrow(RangeError);
    expect(() => placeRows(placed.memory, placed.store, 'h', 4, 0, new Uint8Array(6))).toThrow(RangeError);
    expect(() => placeRows(placed.memory, placed.store, 'nope', 4, 0, new Uint8Array(4))).toThrow(RangeError);
    expect(() => placeRows(placed.memory, placed.store, 'f', 40, 0, new Uint8Array(40))).toThrow(RangeError);
  });
});
