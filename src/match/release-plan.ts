/**
 * The whole-file match's plan columns released once the row store holds them (see
 * `src/encoded/released.ts`): the Bloom filter and hash-set columns the row store copied (and its
 * keyed hashes, once training has counted them), replaced in the plan batch by stand-ins that hold
 * no memory, read back from the row store when records are
 * gathered (explanations, the monthly cycle). Runtime-neutral.
 */
import { batchRowSpec } from '../compare/compare.js';
import type { ComparisonSpec } from '../compare/comparisons.js';
import { bloomBytes, type EncodedBatch, type EncodedMeta } from '../encoded/batch.js';
import { hasClearText } from '../encoded/clear-text.js';
import { releaseColumns } from '../encoded/released.js';
import type { KernelMemory } from '../kernel/memory.js';
import { type RowSpec, type RowStore, rowStoreColumn } from '../kernel/rows.js';
import { DEFAULT_TRAINING_RULES } from '../model/train.js';

/**
 * The plan's Bloom filter, hash-set and keyed-hash columns that the row store `store` holds (what
 * `batchRowSpec(specs, mcp)` copies). Clear-text batches: none (their strings stay).
 * @example
 * ```ts
 * const { blooms, sets, hashes } = storedColumns(specs, mcp);
 * ```
 */
export function storedColumns(
  specs: readonly ComparisonSpec[],
  mcp: EncodedBatch,
): { blooms: string[]; sets: string[]; hashes: string[] } {
  if (hasClearText(mcp)) return { blooms: [], sets: [], hashes: [] };
  const spec = batchRowSpec(specs, batchShape(mcp));
  return {
    blooms: spec.filters.map((f) => f.name),
    sets: spec.fields.filter((f) => f.name in mcp.sets).map((f) => f.name),
    hashes: spec.fields.filter((f) => f.name in mcp.hashes).map((f) => f.name),
  };
}

/**
 * Releases, in each of `batches` (the plan batch and its shared copies on this thread), the columns
 * {@link storedColumns} names, read back from `store` in `memory` — which must have been written.
 * @example
 * ```ts
 * releasePlanColumns(specs, [mcp, right], memory, layout.rows);
 * ```
 */
export function releasePlanColumns(
  specs: readonly ComparisonSpec[],
  batches: readonly EncodedBatch[],
  memory: KernelMemory,
  store: RowStore,
): void {
  for (const b of batches) {
    const n = b.length;
    const { blooms, sets } = storedColumns(specs, b);
    const widths = new Map<string, number>();
    for (const f of blooms) widths.set(f, n === 0 ? 0 : (b.blooms[f]?.length ?? 0) / n);
    for (const f of sets) widths.set(f, n === 0 ? 0 : (b.sets[f]?.length ?? 0) / n);
    releaseColumns(b, blooms, sets, (name, rows) =>
      rowStoreColumn(memory, store, name, widths.get(name) ?? 0, rows),
    );
  }
}

/**
 * The keyed-hash features a match's training reads whole from the plan (its exact-key rules'
 * features and the term-frequency features of `specs`): the others are read only through the row
 * store once it is written, and can be released as soon as it holds them.
 * @example
 * ```ts
 * countedHashes(DEFAULT_COMPARISONS); // ['dob', 'first', 'last', 'ssn']
 * ```
 */
export function countedHashes(specs: readonly ComparisonSpec[]): string[] {
  const out = new Set<string>();
  for (const r of DEFAULT_TRAINING_RULES) for (const f of r.features) out.add(f);
  for (const s of specs) for (const lv of s.levels) if (lv.tf) out.add(lv.tf);
  return [...out].sort();
}

/**
 * Releases, in each of `batches` (the plan batch and its shared copies on this thread), the keyed-hash
 * columns `names`, read back from `store` in `memory` — which must hold them. Training reads these
 * columns whole (its counting, the term-frequency tables), so they go only once it has counted; a
 * term-frequency table the scorers look up by column must then be preset for the stand-in.
 * @example
 * ```ts
 * releasePlanHashes([mcp, right], ['first', 'dob'], memory, layout.rows);
 * ```
 */
export function releasePlanHashes(
  batches: readonly EncodedBatch[],
  names: readonly string[],
  memory: KernelMemory,
  store: RowStore,
): void {
  if (names.length === 0) return;
  for (const b of batches)
    releaseColumns(b, [], [], (name, rows) => rowStoreColumn(memory, store, name, 1, rows), names);
}

/**
 * `spec` with the columns named in `placed` marked as already in the rows (copied as the plan file
 * was read; `fillRowStore` leaves them).
 * @example
 * ```ts
 * fillRowStore(kernels, store, placedSpec(batchRowSpec(specs, mcp), ['firstBloom']), 0, mcp.length);
 * ```
 */
export function placedSpec(spec: RowSpec, placed: readonly string[]): RowSpec {
  if (placed.length === 0) return spec;
  const is = new Set(placed);
  return {
    fields: spec.fields.map((f) => (is.has(f.name) ? { ...f, placed: true } : f)),
    filters: spec.filters.map((f) => (is.has(f.name) ? { ...f, placed: true } : f)),
  };
}

/**
 * A plan batch of `n` records of the encoded file described by `meta` whose columns hold no values
 * (views of one zeroed shared buffer that no one writes, so it takes no memory) and no IDs or block
 * lists: its shape, enough to lay out the plan's row store before the file is read
 * (`layoutPlanRows`), so that its filter and hash-set columns can be copied into the rows as the
 * file's pieces land.
 * @example
 * ```ts
 * const shape = planShape(meta, 3_000_000);
 * shape.blooms.firstBloom?.length; // 3_000_000 × the filter's bytes
 * ```
 */
export function planShape(meta: EncodedMeta, n: number): EncodedBatch {
  const schema = meta.schema;
  const widths = schema.features.map((f) =>
    f.kind === 'bloom' ? bloomBytes(schema, f.bits) : f.kind === 'hash' ? 4 : 4 * f.max,
  );
  const zero = new SharedArrayBuffer(Math.max(8, n * Math.max(4, ...widths)));
  const blooms: Record<string, Uint8Array> = {};
  const hashes: Record<string, Uint32Array> = {};
  const sets: Record<string, Uint32Array> = {};
  for (const f of schema.features) {
    if (f.kind === 'bloom') blooms[f.name] = new Uint8Array(zero, 0, n * bloomBytes(schema, f.bits));
    else if (f.kind === 'hash') hashes[f.name] = new Uint32Array(zero, 0, n);
    else sets[f.name] = new Uint32Array(zero, 0, n * f.max);
  }
  const dq = new Uint8Array(zero, 0, n);
  return { length: n, ids: [], nameDq: dq, dobDq: dq, ssnDq: dq, blooms, hashes, sets, blocks: {} };
}

/**
 * A batch's shape: {@link planShape} with the lengths of `batch`'s own columns (released columns
 * included: only their lengths are read).
 * @example
 * ```ts
 * batchRowSpec(specs, batchShape(mcp)); // the rows' spec, without reading a value
 * ```
 */
export function batchShape(batch: EncodedBatch): EncodedBatch {
  const cols = [...Object.values(batch.blooms), ...Object.values(batch.hashes), ...Object.values(batch.sets)];
  const zero = new SharedArrayBuffer(Math.max(8, batch.length, ...cols.map((c) => c.byteLength)));
  const like = <T extends Uint8Array | Uint32Array>(
    o: Readonly<Record<string, T>>,
    make: (n: number) => T,
  ): Record<string, T> => Object.fromEntries(Object.entries(o).map(([k, c]) => [k, make(c.length)]));
  const dq = new Uint8Array(zero, 0, batch.length);
  return {
    length: batch.length,
    ids: [],
    nameDq: dq,
    dobDq: dq,
    ssnDq: dq,
    blooms: like(batch.blooms, (n) => new Uint8Array(zero, 0, n)),
    hashes: like(batch.hashes, (n) => new Uint32Array(zero, 0, n)),
    sets: like(batch.sets, (n) => new Uint32Array(zero, 0, n)),
    blocks: {},
  };
}

/**
 * Whether the row specs of two plan batches lay out the same rows (same columns, widths and
 * lengths): the file read whole has the shape its first bytes promised.
 * @example
 * ```ts
 * if (!sameRows(batchRowSpec(specs, shape), batchRowSpec(specs, mcp))) throw new Error('changed');
 * ```
 */
export function sameRows(a: RowSpec, b: RowSpec): boolean {
  const fields = (s: RowSpec) =>
    s.fields.map((f) => [f.name, f.width, f.bits ?? 32, f.values.length].join(':'));
  const filters = (s: RowSpec) => s.filters.map((f) => [f.name, f.bytes.length].join(':'));
  return fields(a).join(',') === fields(b).join(',') && filters(a).join(',') === filters(b).join(',');
}
