import { describe, expect, it } from 'vitest';
import { type FilterMatrix, filterMatrix, hasBit } from '../../src/attack/columns.js';
import { attackerView, undoBalance, undoRule90 } from '../../src/attack/unharden.js';
import { balance, getBit, KeyedStream, keyedPermutation, rule90, setBit } from '../../src/encode/harden.js';
import { KeyedHash } from '../../src/encode/hmac.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';

/** Sparse random 256-bit filters (about 20 % full, as a name filter is). */
function sparseFilters(n: number, seed: number): Uint8Array[] {
  let s = seed;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: n }, () => {
    const b = new Uint8Array(32);
    for (let i = 0; i < 256; i++) if (rand() < 0.2) setBit(b, i);
    return b;
  });
}

const concat = (rows: Uint8Array[]) => {
  const out = new Uint8Array(rows.length * rows[0]!.length);
  rows.forEach((r, i) => {
    out.set(r, i * r.length);
  });
  return out;
};

/** Columns of a matrix as strings over the records, for comparing up to column order. */
function columnSet(m: FilterMatrix, records: number): string[] {
  const cols: string[] = [];
  for (let c = 0; c < m.bits; c++) {
    let s = '';
    for (let i = 0; i < records; i++) s += hasBit(m, m.recordRow[i]!, c) ? '1' : '0';
    cols.push(s);
  }
  return cols.sort();
}

describe('undoBalance', () => {
  it('recovers the original columns from balanced filters, without the permutation key', () => {
    const plain = sparseFilters(300, 1);
    const perm = keyedPermutation(new KeyedStream(new KeyedHash(new Uint8Array(32).fill(3)), 'perm'), 512);
    const balanced = plain.map((b) => balance(b, perm));
    const recovered = undoBalance(filterMatrix(concat(balanced), 300));
    expect(recovered.bits).toBe(256);
    expect(columnSet(recovered, 300)).toEqual(columnSet(filterMatrix(concat(plain), 300), 300));
  });
});

describe('undoRule90', () => {
  it('inverts Rule 90 exactly on sparse filters', () => {
    const plain = sparseFilters(200, 2);
    const m = undoRule90(filterMatrix(concat(plain.map(rule90)), 200));
    const row = (f: (bit: number) => boolean) =>
      Array.from({ length: 256 }, (_, bit) => (f(bit) ? '1' : '0')).join('');
    for (let i = 0; i < 200; i++) {
      expect(row((bit) => hasBit(m, m.recordRow[i]!, bit))).toBe(row((bit) => getBit(plain[i]!, bit) === 1));
    }
  });

  it('rejects an odd width', () => {
    const m: FilterMatrix = {
      bits: 33,
      words: 2,
      rows: new Uint32Array(2),
      weights: new Float64Array(1),
      recordRow: new Int32Array(1),
    };
    expect(() => undoRule90(m)).toThrow(RangeError);
  });
});

describe('attackerView', () => {
  const m = filterMatrix(concat(sparseFilters(50, 3)), 50);
  it('leaves plain, folded and diffused filters alone', () => {
    expect(attackerView(m, DEFAULT_SCHEMA.hardening)).toBe(m);
    expect(attackerView(m, { ...DEFAULT_SCHEMA.hardening, xorFolds: 1, balance: true })).toBe(m);
    expect(attackerView(m, { ...DEFAULT_SCHEMA.hardening, diffusion: { t: 3 } })).toBe(m);
  });
  it('unwinds Rule 90 only when no noise follows it', () => {
    expect(attackerView(m, { ...DEFAULT_SCHEMA.hardening, rule90: true })).not.toBe(m);
    expect(attackerView(m, { ...DEFAULT_SCHEMA.hardening, rule90: true, blip: 0.05 })).toBe(m);
  });
});
