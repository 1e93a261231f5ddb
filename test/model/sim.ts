/**
 * Test helpers: a seeded PRNG and a simulator of comparison vectors from known Fellegi–Sunter
 * parameters (conditional independence, nulls missing at random).
 */

import { NULL_LEVEL, PatternCounter, type PatternTable } from '../../src/compare/patterns.js';
import type { FsParams } from '../../src/model/weights.js';
import { rng } from '../helpers/rng.js';

export { rng };

function categorical(row: readonly number[], x: number): number {
  let acc = 0;
  for (let l = 0; l < row.length; l++) {
    acc += row[l]!;
    if (x < acc) return l;
  }
  return row.length - 1;
}

/** Simulates `pairs` level vectors from `truth`, each comparison null with probability `nullRate[k]`. */
export function simulate(
  truth: FsParams,
  pairs: number,
  nullRate: readonly number[],
  seed: number,
): PatternTable {
  const random = rng(seed);
  const k = truth.m.length;
  const counter = new PatternCounter(truth.m.map((row) => row.length));
  const levels = new Uint8Array(k);
  for (let i = 0; i < pairs; i++) {
    const rows = random() < truth.lambda ? truth.m : truth.u;
    for (let c = 0; c < k; c++) {
      levels[c] = random() < nullRate[c]! ? NULL_LEVEL : categorical(rows[c]!, random());
    }
    counter.add(levels);
  }
  return counter.toTable();
}

/** Deeply freezes a value (to prove a function does not mutate its input). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
