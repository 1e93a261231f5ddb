import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiceKernels } from '../../src/kernel/filters.js';
import { KernelMemory } from '../../src/kernel/memory.js';
import { buildRowStore, type RowSpec, readField, rowStoreBytes } from '../../src/kernel/rows.js';

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
});
