/**
 * Compiles comparisons for a left (CoC) and a right (plan) batch into their batch form: the levels of
 * one left record against all its candidates at once, each level's condition one loop over the
 * candidates still undecided (see conditions.ts). The only evaluator: a single pair is a batch of
 * one. Works on keyed hashes and Bloom filters, never a key; strings only in clear-text mode, whose
 * batches carry them (src/encoded/clear-text.ts).
 */
import type { EncodedBatch } from '../encoded/batch.js';
import { BloomlinkError } from '../errors.js';
import type { KernelMemory } from '../kernel/memory.js';
import { type RowField, type RowSpec, type RowStore, readField } from '../kernel/rows.js';
import { at } from '../util/defined.js';
import { BatchColumns } from './columns.js';
import type { ComparisonSpec, DqField } from './comparisons.js';
import { type Condition, condition, field, type PreparedDice } from './conditions.js';
import { NULL_LEVEL } from './patterns.js';

/** The right list's row store and the memory holding it. */
export interface RightRows {
  readonly store: RowStore;
  readonly memory: KernelMemory;
}

/** One comparison in batch form. */
export interface BatchComparison {
  /** Writes the level of pair (i, J[x]) to `out[x]` for every x < n (after `dice.prepare(i, J, n)`). */
  levels(i: number, J: Uint32Array, n: number, out: Uint8Array): void;
}

/** The conditions of every level of `specs`, in order. */
function conditions(specs: readonly ComparisonSpec[]): Condition[] {
  return specs.flatMap((s) => [
    ...(s.nullWhen ? [condition(s.nullWhen)] : []),
    ...s.levels.map((lv) => condition(lv.when)),
  ]);
}

/**
 * The (left, right) Bloom feature pairs the Dice levels of `specs` compare, in a fixed order.
 * @example
 * ```ts
 * diceFeaturePairs(DEFAULT_COMPARISONS);
 * // [['firstBloom', 'firstBloom'], ['firstBloom', 'lastBloom'], ['lastBloom', 'firstBloom'], ['lastBloom', 'lastBloom']]
 * ```
 */
export function diceFeaturePairs(specs: readonly ComparisonSpec[]): [string, string][] {
  const seen = new Map<string, [string, string]>();
  for (const c of conditions(specs)) for (const [a, b] of c.dicePairs) seen.set(`${a}\u0000${b}`, [a, b]);
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

const DQ_FIELDS: Readonly<Record<DqField, 'nameDq' | 'dobDq' | 'ssnDq'>> = {
  name: 'nameDq',
  dob: 'dobDq',
  ssn: 'ssnDq',
};

/**
 * Checks that both batches have every feature `specs` read, of the kind they read it as, and Bloom
 * filters of equal size where a Dice level compares them.
 * @throws BloomlinkError `MODEL_INVALID` naming the feature and the file that lacks it, or
 *   `SCHEMA_MISMATCH` when compared filters differ in size.
 * @example
 * ```ts
 * checkComparisons(model.comparisons.map((c) => c.spec), coc, mcp);
 * ```
 */
export function checkComparisons(
  specs: readonly ComparisonSpec[],
  left: EncodedBatch,
  right: EncodedBatch,
): void {
  const l = new BatchColumns(left, 'CoC');
  const r = new BatchColumns(right, 'plan');
  for (const s of specs) {
    for (const f of s.requires) {
      for (const side of [l, r])
        if (!(f in side.batch.hashes || f in side.batch.sets)) side.check('bloom', f);
    }
    for (const when of [...(s.nullWhen ? [s.nullWhen] : []), ...s.levels.map((lv) => lv.when)]) {
      const c = condition(when);
      for (const { kind, name } of c.reads) {
        l.check(kind, name);
        r.check(kind, name);
      }
      for (const [a, b] of c.dicePairs)
        if (left.length > 0 && right.length > 0 && l.bloomBytes(a) !== r.bloomBytes(b))
          throw new BloomlinkError('SCHEMA_MISMATCH', 'Bloom filter sizes differ between the two files');
    }
  }
}

/**
 * What the right list's row store must hold for the batch form of `specs`: every hash, hash set,
 * Bloom filter and data-quality column a level, a null rule or a Dice pair reads.
 * @example
 * ```ts
 * const rows = buildRowStore(kernels, mcp.length, batchRowSpec(DEFAULT_COMPARISONS, mcp));
 * ```
 */
export function batchRowSpec(specs: readonly ComparisonSpec[], right: EncodedBatch): RowSpec {
  const names = new Set<string>();
  const dq = new Set<DqField>();
  for (const s of specs) {
    for (const f of s.requires) names.add(f);
    if (s.dq) dq.add(s.dq);
  }
  // Strings (clear-text mode) are read from the batch itself, not from the row store.
  for (const c of conditions(specs)) for (const f of c.reads) if (f.kind !== 'text') names.add(f.name);
  const side = new BatchColumns(right, 'plan');
  const fields: { name: string; width: number; values: ArrayLike<number>; bits?: 8 }[] = [];
  const filters: { name: string; bytes: Uint8Array }[] = [];
  for (const f of [...names].sort()) {
    if (f in right.hashes) fields.push({ name: f, width: 1, values: side.hash(f) });
    else if (f in right.sets) {
      const s = side.set(f);
      fields.push({ name: f, width: s.max, values: s.values });
    } else filters.push({ name: f, bytes: side.bloom(f) }); // MODEL_INVALID for a feature the file lacks
  }
  for (const d of [...dq].sort()) fields.push({ name: DQ_FIELDS[d], width: 1, values: side.dq(d), bits: 8 });
  return { fields, filters };
}

/** The field of a right row that is non-zero when feature f is present. */
function rightPresence(store: RowStore, f: string): RowField {
  const filter = store.filters[f];
  return filter ? field(store, filter.countField) : field(store, f);
}

/** Data-quality codes 8, 9 and 99 (unknown, refused, not collected) make a comparison null. */
const UNKNOWN_DQ = new Uint8Array(256);
UNKNOWN_DQ[8] = 1;
UNKNOWN_DQ[9] = 1;
UNKNOWN_DQ[99] = 1;

function compileBatch(
  spec: ComparisonSpec,
  left: BatchColumns,
  rightColumns: BatchColumns,
  right: RightRows,
  dice: PreparedDice,
): BatchComparison {
  const store = right.store;
  const reqL = spec.requires.map((f) => left.presence(f));
  const reqR = spec.requires.map((f) => rightPresence(store, f));
  const ctx = { left, right: rightColumns, store, dice };
  const splits = spec.levels.map((lv) => condition(lv.when).compile(ctx));
  const nullSplit = spec.nullWhen ? condition(spec.nullWhen).compile(ctx) : undefined;
  const n = splits.length;
  const dqL = spec.dq ? left.dq(spec.dq) : undefined;
  const dqField = spec.dq ? field(store, DQ_FIELDS[spec.dq]) : undefined;
  const dqOff = dqField ? dqField.offset : -1;
  const dqShift = dqField ? dqField.shift : 0;
  const split = spec.splitByDq === true;
  const S = store.stride / 4;
  // The common shape (one required feature, as every default comparison) gets its own loop with the
  // field's place in locals; it also notes each candidate's data-quality code 2 for the split below,
  // so the rows are read once here rather than again after the levels.
  const one = reqR.length === 1 ? reqR[0] : undefined;
  const oneOff = one ? one.offset : 0;
  const oneShift = one ? one.shift : 0;
  const oneMask = one ? (one.bits === 32 ? -1 : (1 << one.bits) - 1) : 0;
  let pend = new Uint32Array(1024);
  let hit = new Uint32Array(1024);
  let dq2 = new Uint8Array(1024);
  let rows: Uint32Array = new Uint32Array(0);
  return {
    levels(i, J, count, out) {
      for (const req of reqL)
        if (req.values[i * req.stride] === 0) {
          out.fill(NULL_LEVEL, 0, count);
          return;
        }
      const a = dqL ? (dqL[i] ?? 0) : 0;
      if (dqL && UNKNOWN_DQ[a]) {
        out.fill(NULL_LEVEL, 0, count);
        return;
      }
      if (rows.buffer !== right.memory.buffer) rows = right.memory.u32(store.base, store.n * S);
      if (pend.length < count) {
        pend = new Uint32Array(count);
        hit = new Uint32Array(count);
        dq2 = new Uint8Array(count);
      }
      let np = 0;
      if (one && dqOff >= 0) {
        for (let x = 0; x < count; x++) {
          const row = (J[x] ?? 0) * S;
          const d = ((rows[row + dqOff] ?? 0) >>> dqShift) & 0xff;
          if (UNKNOWN_DQ[d] === 0 && (((rows[row + oneOff] ?? 0) >>> oneShift) & oneMask) !== 0) {
            dq2[x] = d === 2 ? 1 : 0;
            pend[np++] = x;
          } else out[x] = NULL_LEVEL;
        }
      } else {
        for (let x = 0; x < count; x++) {
          const row = (J[x] ?? 0) * S;
          const d = dqOff < 0 ? 0 : ((rows[row + dqOff] ?? 0) >>> dqShift) & 0xff;
          let ok = UNKNOWN_DQ[d] === 0;
          for (let r = 0; r < reqR.length && ok; r++) ok = readField(rows, row, at(reqR, r)) !== 0;
          if (ok) {
            dq2[x] = d === 2 ? 1 : 0;
            pend[np++] = x;
          } else out[x] = NULL_LEVEL;
        }
      }
      // Pairs the null rule takes have no evidence.
      if (nullSplit && np > 0) {
        const rest = nullSplit(i, J, pend, np, hit, rows, S);
        for (let q = 0, h = np - rest; q < h; q++) out[hit[q] ?? 0] = NULL_LEVEL;
        np = rest;
      }
      // The first level that holds wins; pairs no level takes get the last.
      for (let k = 0; k < n && np > 0; k++) {
        const rest = at(splits, k)(i, J, pend, np, hit, rows, S);
        for (let q = 0, h = np - rest; q < h; q++) out[hit[q] ?? 0] = k;
        np = rest;
      }
      for (let q = 0; q < np; q++) out[pend[q] ?? 0] = n - 1;
      if (!split || dqOff < 0) return;
      if (a === 2) {
        for (let x = 0; x < count; x++) if (out[x] !== NULL_LEVEL) out[x] = (out[x] ?? 0) + n;
      } else {
        for (let x = 0; x < count; x++) if (out[x] !== NULL_LEVEL && dq2[x] === 1) out[x] = (out[x] ?? 0) + n;
      }
    },
  };
}

/**
 * Compiles all comparisons in batch form over the right list's row store (see
 * {@link batchRowSpec}); the Dice levels read `dice`'s and-counts.
 * @example
 * ```ts
 * const batch = compileBatchComparisons(DEFAULT_COMPARISONS, coc, mcp, { store: rows, memory }, dice);
 * dice.prepare(i, candidates, count);
 * batch[0]!.levels(i, candidates, count, out); // FirstName level of each candidate
 * ```
 */
export function compileBatchComparisons(
  specs: readonly ComparisonSpec[],
  left: EncodedBatch,
  right: EncodedBatch,
  rows: RightRows,
  dice: PreparedDice,
): BatchComparison[] {
  checkComparisons(specs, left, right);
  const l = new BatchColumns(left, 'CoC');
  const r = new BatchColumns(right, 'plan');
  return specs.map((s) => compileBatch(s, l, r, rows, dice));
}
