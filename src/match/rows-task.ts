/**
 * The worker side of filling the plan's row store on several threads (`matchBatchesParallel`): each
 * worker writes its range of rows into the shared kernel memory while the main thread counts for
 * training and builds the pass indexes. The work is done in `init`, so a worker's `ready` says its
 * rows are written: the main thread needs no turn of its event loop to hand out tasks while it runs
 * its own synchronous work. Runtime-neutral.
 */

import { batchRowSpec } from '../compare/compare.js';
import type { ComparisonSpec } from '../compare/comparisons.js';
import type { EncodedBatch } from '../encoded/batch.js';
import type { DiceKernelKind } from '../kernel/dice.js';
import { DiceKernels } from '../kernel/filters.js';
import { KernelMemory, type KernelMemoryHandle } from '../kernel/memory.js';
import { fillRowStore, type RowStore } from '../kernel/rows.js';
import type { WorkerRole } from '../parallel/protocol.js';

/** What a row-filling worker writes: rows `from..to−1` of `store`, from the plan's shared columns. */
export interface RowFillInit {
  /** The plan batch, columns in shared memory (no IDs). */
  readonly mcp: EncodedBatch;
  readonly specs: readonly ComparisonSpec[];
  readonly memory: KernelMemoryHandle;
  readonly dice: DiceKernelKind | 'auto';
  /** The store laid out by `layoutBatchScoring(…, { rows: 'later' })`. */
  readonly store: RowStore;
  readonly from: number;
  readonly to: number;
}

/**
 * The row-filling worker role: `init` writes the rows; there are no tasks.
 * @example
 * ```ts
 * const pool = await entry.start('rowFill', 2, (t) => ({ ...common, from: t * half, to: (t + 1) * half }));
 * await pool.close(); // every row written
 * ```
 */
export const rowFillRole: WorkerRole<RowFillInit, never, never, null> = {
  init(d) {
    const kernels = new DiceKernels(KernelMemory.attach(d.memory), { kind: d.dice });
    fillRowStore(kernels, d.store, batchRowSpec(d.specs, d.mcp), d.from, d.to);
    return null;
  },
  run() {
    throw new TypeError('the row-filling role takes no tasks');
  },
};
