/**
 * The whole-file match's plan columns released once the row store holds them (see
 * `src/encoded/released.ts`): the Bloom filter and hash-set columns the row store copied, replaced
 * in the plan batch by stand-ins that hold no memory, read back from the row store when records are
 * gathered (explanations, the monthly cycle). Runtime-neutral.
 */
import { batchRowSpec } from '../compare/compare.js';
import type { ComparisonSpec } from '../compare/comparisons.js';
import type { EncodedBatch } from '../encoded/batch.js';
import { hasClearText } from '../encoded/clear-text.js';
import { releaseColumns } from '../encoded/released.js';
import type { KernelMemory } from '../kernel/memory.js';
import { type RowStore, rowStoreColumn } from '../kernel/rows.js';

/**
 * The plan's Bloom filter and hash-set columns that the row store `store` holds (what
 * `batchRowSpec(specs, mcp)` copies). Clear-text batches: none (their strings stay).
 * @example
 * ```ts
 * const { blooms, sets } = storedColumns(specs, mcp);
 * ```
 */
export function storedColumns(
  specs: readonly ComparisonSpec[],
  mcp: EncodedBatch,
): { blooms: string[]; sets: string[] } {
  if (hasClearText(mcp)) return { blooms: [], sets: [] };
  const spec = batchRowSpec(specs, mcp);
  return {
    blooms: spec.filters.map((f) => f.name),
    sets: spec.fields.filter((f) => f.name in mcp.sets).map((f) => f.name),
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
