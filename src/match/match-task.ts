/**
 * The worker side of parallel matching: each worker scores chunks of CoC records against the plan,
 * reading both lists, the pass indexes and the kernel memory (row store, filters) from shared
 * memory, and returns the chunk's kept pairs, weight histogram and blocking statistics. The main
 * thread merges chunks in order, so the result equals the single-threaded one. Runtime-neutral.
 */

import {
  CandidateGenerator,
  ExhaustiveGenerator,
  type ExhaustiveLayout,
  type PassIndex,
  type PassStats,
} from '../block/blocking.js';
import type { EncodedBatch } from '../encoded/batch.js';
import type { DiceKernelKind } from '../kernel/dice.js';
import { DiceKernels } from '../kernel/filters.js';
import { KernelMemory, type KernelMemoryHandle } from '../kernel/memory.js';
import type { LinkageModel } from '../model/model.js';
import {
  attachBatchScoring,
  type BatchLayout,
  presetFrequencyTable,
  type RangeScores,
  Scorer,
  scoreRange,
} from '../model/score.js';
import type { WorkerRole } from '../parallel/protocol.js';

/** How a worker finds candidates: shared pass indexes, or the exhaustive layout. */
export type SourceInit =
  | { readonly kind: 'blocking'; readonly passes: readonly PassIndex[]; readonly maxBlockSize?: number }
  | { readonly kind: 'exhaustive'; readonly layout: ExhaustiveLayout };

/** Everything a match worker needs (shared arrays are posted, not copied). */
export interface MatchInit {
  readonly coc: EncodedBatch;
  readonly mcp: EncodedBatch;
  readonly model: LinkageModel;
  readonly memory: KernelMemoryHandle;
  readonly dice: DiceKernelKind | 'auto';
  readonly batch: BatchLayout;
  /** This worker's scratch area in the kernel memory. */
  readonly thread: number;
  readonly source: SourceInit;
  readonly keepWeight: number;
  /**
   * Term-frequency tables training counted on the main thread (see {@link packFrequencies}), so
   * that the worker's scorer does not count the plan's values again; a feature absent here is
   * counted by the worker.
   */
  readonly frequencies?: readonly PackedFrequencies[];
}

/** A hash feature's frequency table as typed arrays (values, their counts; the total). */
export interface PackedFrequencies {
  readonly feature: string;
  readonly values: Uint32Array;
  readonly counts: Float64Array;
  readonly total: number;
}

/** Gives the scorer of `coc` against `mcp` the tables the main thread counted. */
function presetFrequencies(coc: EncodedBatch, mcp: EncodedBatch, packed: readonly PackedFrequencies[]): void {
  for (const p of packed) {
    const l = coc.hashes[p.feature];
    const r = mcp.hashes[p.feature];
    if (!l || !r) continue;
    const counts = new Map<number, number>();
    for (let x = 0; x < p.values.length; x++) counts.set(p.values[x] ?? 0, p.counts[x] ?? 0);
    presetFrequencyTable(l, r, { counts, total: p.total });
  }
}

/** A chunk of CoC records. */
export interface MatchChunk {
  readonly from: number;
  readonly to: number;
}

/** A chunk's scores and the blocking statistics of that chunk alone. */
export interface MatchChunkResult extends RangeScores {
  readonly stats: readonly PassStats[];
}

interface State {
  readonly source: CandidateGenerator | ExhaustiveGenerator;
  readonly scorer: Scorer;
  readonly keepWeight: number;
}

/**
 * The match worker role.
 * @example
 * ```ts
 * const state = matchRole.init(init);
 * const { result } = matchRole.run(state, { from: 0, to: 256 });
 * ```
 */
export const matchRole: WorkerRole<MatchInit, MatchChunk, MatchChunkResult, State> = {
  init(d) {
    const memory = KernelMemory.attach(d.memory);
    const kernels = new DiceKernels(memory, { kind: d.dice });
    const source =
      d.source.kind === 'blocking'
        ? new CandidateGenerator(d.coc, d.mcp, {
            passes: d.source.passes,
            ...(d.source.maxBlockSize === undefined ? {} : { maxBlockSize: d.source.maxBlockSize }),
          })
        : new ExhaustiveGenerator(kernels, d.source.layout, d.thread);
    presetFrequencies(d.coc, d.mcp, d.frequencies ?? []);
    const scorer = new Scorer(d.model, d.coc, d.mcp, attachBatchScoring(kernels, d.batch, d.thread));
    return { source, scorer, keepWeight: d.keepWeight };
  },
  run(s, chunk) {
    for (const st of s.source.stats) {
      st.pairs = 0;
      st.newPairs = 0;
      st.cumulativePairs = 0;
      st.cappedBlocks = 0;
      st.cappedPairs = 0;
      st.largestBlock = 0;
    }
    const r = scoreRange(s.source, s.scorer, chunk.from, chunk.to, s.keepWeight);
    const result = { ...r, stats: s.source.stats.map((st) => ({ ...st })) };
    return { result };
  },
};
