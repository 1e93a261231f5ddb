/**
 * The worker side of the whole-file match's first part (`matchBatchesParallel`): each worker writes
 * its range of the plan's row store into the shared kernel memory while the main thread counts for
 * training and builds the pass indexes, then serves training's per-pair loops — slices of the u
 * sample, ranges of the plan for the EM sessions' pattern counts — which the main thread sums in a
 * fixed order (whole numbers: the same model as on one thread). The rows are written in `init`, so a
 * worker's `ready` says its rows are written: the main thread needs no turn of its event loop to hand
 * out tasks while it runs its own synchronous work. Runtime-neutral.
 */

import { batchRowSpec } from '../compare/compare.js';
import type { ComparisonSpec } from '../compare/comparisons.js';
import { PatternCounter } from '../compare/patterns.js';
import type { EncodedBatch } from '../encoded/batch.js';
import { releaseColumns } from '../encoded/released.js';
import type { DiceKernelKind } from '../kernel/dice.js';
import { DiceKernels } from '../kernel/filters.js';
import { KernelMemory, type KernelMemoryHandle } from '../kernel/memory.js';
import { fillRowStore } from '../kernel/rows.js';
import { attachBatchScoring, type BatchLayout, BatchLevels } from '../model/score.js';
import {
  countSessionPairs,
  type SessionCounting,
  type SessionCounts,
  type SessionPiece,
  tallyUPairs,
} from '../model/train-stages.js';
import type { WorkerRole } from '../parallel/protocol.js';
import { placedSpec, storedColumns } from './release-plan.js';

/** What a row-filling worker writes: rows `from..to−1` of `batch.rows`, from the plan's shared columns. */
export interface RowFillInit {
  /** The plan batch, columns in shared memory (no IDs). */
  readonly mcp: EncodedBatch;
  /** The CoC batch, columns in shared memory (no IDs): training's pairs read it. */
  readonly coc: EncodedBatch;
  readonly specs: readonly ComparisonSpec[];
  readonly memory: KernelMemoryHandle;
  readonly dice: DiceKernelKind | 'auto';
  /** The layout by `layoutBatchScoring(…, { rows: 'later' })`; `batch.rows` is the store written. */
  readonly batch: BatchLayout;
  /** This worker's scratch area in the kernel memory (for training's levels). */
  readonly thread: number;
  readonly from: number;
  readonly to: number;
  /**
   * Drop this worker's copies of the plan columns the row store holds once its rows are written
   * (`releasePlan` of `matchBatchesParallel`): nothing here reads them afterwards.
   */
  readonly release?: boolean;
  /** Columns already copied into the rows as the plan file was read (`placeRows`): left as they are. */
  readonly placed?: readonly string[];
}

/** A training task: a piece of the u sample's pairs, or a piece of the EM sessions (a rule's key entries). */
export type TrainTask =
  | { readonly kind: 'u'; readonly left: Uint32Array; readonly right: Uint32Array }
  | { readonly kind: 'em'; readonly counting: SessionCounting; readonly piece: SessionPiece };

/** What a training task gives back: the u tally, or the sessions' counts. */
export type TrainResult =
  | { readonly kind: 'u'; readonly hist: Float64Array }
  | { readonly kind: 'em'; readonly counts: SessionCounts };

interface State {
  readonly init: RowFillInit;
  readonly kernels: DiceKernels;
  levels: BatchLevels | undefined;
}

/**
 * The row-filling worker role: `init` writes the rows; tasks are training's per-pair loops.
 * @example
 * ```ts
 * const pool = await entry.start('rowFill', 2, (t) => ({ ...common, thread: t, from: t * half, to: (t + 1) * half }));
 * const { hist } = await pool.run({ kind: 'u', left, right }); // every row written before
 * ```
 */
export const rowFillRole: WorkerRole<RowFillInit, TrainTask, TrainResult, State> = {
  init(d) {
    const kernels = new DiceKernels(KernelMemory.attach(d.memory), { kind: d.dice });
    fillRowStore(
      kernels,
      d.batch.rows,
      placedSpec(batchRowSpec(d.specs, d.mcp), d.placed ?? []),
      d.from,
      d.to,
    );
    if (d.release) {
      const { blooms, sets } = storedColumns(d.specs, d.mcp);
      releaseColumns(d.mcp, blooms, sets, () => {
        throw new Error('a training worker read a released plan column');
      });
    }
    return { init: d, kernels, levels: undefined };
  },
  run(s, task) {
    // Built on the first task: every worker has written its rows by then (the pool started).
    const levels = () => {
      s.levels ??= new BatchLevels(
        s.init.specs,
        s.init.coc,
        s.init.mcp,
        attachBatchScoring(s.kernels, s.init.batch, s.init.thread),
      );
      return s.levels;
    };
    if (task.kind === 'u') {
      const hist = new Float64Array(s.init.specs.length * 256);
      tallyUPairs(task.left, task.right, s.init.coc.length, 0, levels, hist);
      return { result: { kind: 'u', hist } };
    }
    const c = task.counting;
    const counters = c.rules.map(() => new PatternCounter(c.levelCounts));
    const linked = new Uint8Array(c.sampled);
    countSessionPairs(c, s.init.mcp, 0, s.init.mcp.length, levels, counters, linked, task.piece);
    const tables = counters.map((x) => x.toTable());
    return { result: { kind: 'em', counts: { tables, linked } } };
  },
};
