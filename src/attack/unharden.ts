/**
 * Undoing hardening without the key. The schema travels with every encoded file (Kerckhoffs: the
 * attacker knows the method, not the key), and two of the hardening steps are invertible from the
 * filters alone:
 *
 * - **Balancing** appends the complement and permutes with a keyed permutation. The permutation hides
 *   *where* the complement bits went, not *that* they exist: every original column has a partner
 *   column that is its exact negation in every record. Pairing columns by anti-agreement and keeping
 *   the sparser of each pair restores the original filter up to a column order — and pattern mining
 *   never needed the order.
 * - **Rule 90** (bit i := bit i−1 XOR bit i+1, cyclic) is linear with a two-dimensional kernel on an
 *   even-length ring: each parity class is a chain that can be unwound from one guessed bit, and of
 *   the two solutions the sparse one is the filter (Bloom filters are far below half full).
 *
 * XOR folding and BLIP lose information and are not undone; diffusion needs the keyed taps.
 */
import type { Hardening } from '../encoded/schema.js';
import { popcount32 } from '../kernel/popcount.js';
import { type FilterMatrix, hasBit, mapRows } from './columns.js';

/** Rows sampled to pair balanced columns (enough to make chance agreement negligible). */
const PAIRING_SAMPLE = 4096;

/**
 * Undoes balancing: pairs each column with the column it disagrees with most often (its complement,
 * up to BLIP noise) and keeps the sparser one. Returns a matrix of half the width, columns in an
 * arbitrary order.
 * @example
 * ```ts
 * const plainish = undoBalance(filterMatrix(batch.blooms.firstBloom!, batch.length));
 * ```
 */
export function undoBalance(m: FilterMatrix): FilterMatrix {
  const n = m.bits;
  const rows = m.weights.length;
  const sample = Math.min(rows, PAIRING_SAMPLE);
  const step = rows / Math.max(sample, 1);
  const sampleWords = Math.ceil(sample / 32);
  // Column c as a bit vector over the sampled rows.
  const cols = new Uint32Array(n * sampleWords);
  const density = new Float64Array(n);
  for (let s = 0; s < sample; s++) {
    const r = Math.floor(s * step);
    for (let c = 0; c < n; c++) {
      if (hasBit(m, r, c)) {
        const w = c * sampleWords + (s >> 5);
        cols[w] = (cols[w] ?? 0) | (1 << (s & 31));
        density[c] = (density[c] ?? 0) + (m.weights[r] ?? 0);
      }
    }
  }
  const paired = new Int32Array(n).fill(-1);
  const keep: number[] = [];
  // Greedy: strongest anti-agreements first.
  const cand: [number, number, number][] = [];
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      let differ = 0;
      for (let w = 0; w < sampleWords; w++)
        differ += popcount32((cols[a * sampleWords + w] ?? 0) ^ (cols[b * sampleWords + w] ?? 0));
      if (differ > sample * 0.6) cand.push([differ, a, b]);
    }
  }
  cand.sort((x, y) => y[0] - x[0]);
  for (const [, a, b] of cand) {
    if (paired[a] !== -1 || paired[b] !== -1) continue;
    paired[a] = b;
    paired[b] = a;
    keep.push((density[a] ?? 0) <= (density[b] ?? 0) ? a : b);
  }
  keep.sort((x, y) => x - y);
  return mapRows(m, keep.length, (r, out) => {
    keep.forEach((c, i) => {
      if (hasBit(m, r, c)) out[i >> 5] = (out[i >> 5] ?? 0) | (1 << (i & 31));
    });
  });
}

/**
 * Inverts Rule 90 on each row (the sparse preimage of each parity chain).
 * @example
 * ```ts
 * const plain = undoRule90(filterMatrix(batch.blooms.firstBloom!, batch.length));
 * ```
 */
export function undoRule90(m: FilterMatrix): FilterMatrix {
  const n = m.bits;
  if (n % 2 !== 0) throw new RangeError('Rule 90 can only be unwound on an even number of bits');
  const x = new Uint8Array(n);
  return mapRows(m, n, (r, out) => {
    for (let parity = 0; parity < 2; parity++) {
      // Output bit i (of the other parity) = x[i−1] ^ x[i+1]: walk the chain x[p], x[p+2], …
      x[parity] = 0;
      let ones = 0;
      for (let j = parity; j + 2 < n; j += 2) {
        const y = hasBit(m, r, j + 1) ? 1 : 0;
        const next = (x[j] ?? 0) ^ y;
        x[j + 2] = next;
        ones += next;
      }
      const flip = ones > n / 4 ? 1 : 0; // the chain has n/2 bits; keep the sparse solution
      for (let j = parity; j < n; j += 2)
        if ((x[j] ?? 0) ^ flip) out[j >> 5] = (out[j >> 5] ?? 0) | (1 << (j & 31));
    }
  });
}

/**
 * What an attacker can recover from hardened filters without the key: undoes balancing and Rule 90
 * where the steps after them (XOR folding, and for Rule 90 also BLIP and balancing) leave them
 * invertible. Returns the matrix unchanged when nothing can be undone.
 * @example
 * ```ts
 * const view = attackerView(filterMatrix(bytes, n), schema.hardening);
 * ```
 */
export function attackerView(m: FilterMatrix, hardening: Hardening): FilterMatrix {
  if (hardening.xorFolds > 0) return m;
  let v = m;
  if (hardening.balance) v = undoBalance(v);
  else if (hardening.rule90 && hardening.blip === 0) v = undoRule90(v);
  return v;
}
