/**
 * Scores record pairs with a trained model: match weight = log2(λ/(1−λ)) + Σ log2(m/u) over the
 * comparisons' levels (0 for a null level), with Splink's term-frequency adjustment on exact-name
 * levels: u is replaced by the frequency of the agreed value (its keyed hash) in both lists. The
 * weights come from weights.ts ({@link priorWeight}, {@link levelWeight}); the levels from the batch
 * form of the comparisons, a single pair being a batch of one.
 */

import {
  type BatchComparison,
  batchRowSpec,
  checkComparisons,
  compileBatchComparisons,
  diceFeaturePairs,
  type RightRows,
} from '../compare/compare.js';
import type { ComparisonSpec } from '../compare/comparisons.js';
import type { PreparedDice } from '../compare/conditions.js';
import {
  allocLevelScratch,
  compileLevelKernel,
  type LevelKernel,
  type LevelScratch,
  levelScratchBytes,
} from '../compare/level-kernel.js';
import { NULL_LEVEL } from '../compare/patterns.js';
import type { EncodedBatch } from '../encoded/batch.js';
import { withClearTextOf } from '../encoded/clear-text.js';
import { isReleased } from '../encoded/released.js';
import { gatherBatch } from '../encoded/slice.js';
import { allocCandidateScratch, CandidateDice, type CandidateScratch } from '../kernel/candidate-dice.js';
import type { DiceKernelKind } from '../kernel/dice.js';
import { DiceKernels, type FilterColumn, filterColumnBytes, storeFilters } from '../kernel/filters.js';
import { KernelMemory } from '../kernel/memory.js';
import { buildRowStore, layoutRowStore, type RowStore, rowStoreBytes } from '../kernel/rows.js';
import { grown } from '../util/bytes.js';
import { FrequencyCount } from './frequency.js';
import type { LinkageModel } from './model.js';
import { levelWeight, priorWeight } from './weights.js';

/**
 * Frequencies over both lists of the hash values the left list has (only left values are ever
 * looked up: a TF level means both sides agree on the left record's value). Counting only those
 * keeps the table as small as the CoC list, whatever the size of the plan's.
 * @example
 * ```ts
 * const { counts, total } = frequencyTable(coc.hashes.last, mcp.hashes.last);
 * const uTf = Math.max((counts.get(coc.hashes.last[0]) ?? 1) / total, 1 / total);
 * ```
 */
export function frequencyTable(
  left: Uint32Array,
  right: Uint32Array,
): { counts: Map<number, number>; total: number } {
  let byLeft = tables.get(right);
  if (!byLeft) {
    byLeft = new WeakMap();
    tables.set(right, byLeft);
  }
  let table = byLeft.get(left);
  if (!table) {
    // A released stand-in is zeros, not the plan's values: counting it would give wrong weights.
    if (isReleased(right) || isReleased(left))
      throw new TypeError('frequencyTable of a released keyed-hash column: preset its table first');
    table = countFrequencies(left, right);
    byLeft.set(left, table);
  }
  return table;
}

/**
 * Gives `frequencyTable(left, right)` a table counted elsewhere: a plan read in chunks counts its
 * frequencies pass by pass (`matchStreaming`), and the scorers of its chunks must use the whole
 * plan's counts, not a chunk's.
 * @example
 * ```ts
 * presetFrequencyTable(coc.hashes.last!, chunk.hashes.last!, { counts, total });
 * new Scorer(model, coc, chunk); // its TF weights use { counts, total }
 * ```
 */
export function presetFrequencyTable(
  left: Uint32Array,
  right: Uint32Array,
  table: { counts: Map<number, number>; total: number },
): void {
  let byLeft = tables.get(right);
  if (!byLeft) {
    byLeft = new WeakMap();
    tables.set(right, byLeft);
  }
  byLeft.set(left, table);
}

/**
 * Tables already counted, by right then left column: training, scoring and explaining ask for the
 * same ones, and counting millions of plan values is not free. (Callers never change the tables.)
 */
const tables = new WeakMap<
  Uint32Array,
  WeakMap<Uint32Array, { counts: Map<number, number>; total: number }>
>();

/** Whether `model`'s scorer weighs comparison `name`'s agreeing levels by term frequency. */
function usesTermFrequency(model: LinkageModel, name: string): boolean {
  return model.termFrequency.enabled && model.termFrequency.comparisons.includes(name);
}

/**
 * The keyed-hash features whose term frequencies a {@link Scorer} of `model` reads (its tables come
 * from {@link frequencyTable}): what must be counted before those columns may be released.
 * @example
 * ```ts
 * termFrequencyFeatures(model); // e.g. ['first', 'last', 'dob'] with term frequencies on
 * ```
 */
export function termFrequencyFeatures(model: LinkageModel): string[] {
  const out = new Set<string>();
  for (const c of model.comparisons)
    if (usesTermFrequency(model, c.spec.name)) for (const lv of c.spec.levels) if (lv.tf) out.add(lv.tf);
  return [...out];
}

function countFrequencies(
  left: Uint32Array,
  right: Uint32Array,
): { counts: Map<number, number>; total: number } {
  const f = new FrequencyCount(left);
  f.add(right);
  return { counts: f.counts, total: f.total };
}

/**
 * The weight of a TF level for left record i: at full strength the level's u is replaced by the
 * value's frequency (`tfAdjustedU(u, uTf, u)` is exactly uTf), floored at one occurrence.
 */
function tfWeight(tf: TfLevel, i: number): number {
  const count = tf.table.counts.get(tf.values[i]!) ?? 1;
  const uTf = Math.max(count / tf.table.total, 1 / tf.table.total);
  return levelWeight(tf.m, uTf);
}

interface TfLevel {
  readonly comparison: number;
  readonly level: number;
  readonly m: number;
  readonly values: Uint32Array;
  readonly table: { counts: Map<number, number>; total: number };
}

/** Levels and weights of some pairs (see {@link Scorer.scorePairs}); index x is pair x. */
export interface PairScores {
  /** Match weight of each pair. */
  readonly weight: Float64Array;
  /** Per comparison, the level of each pair ({@link NULL_LEVEL} for no evidence). */
  readonly levels: Uint8Array[];
  /** Per comparison, the weight each pair's level adds (0 for a null level). */
  readonly partial: Float64Array[];
}

/** The distinct records `rows` names, as a batch of their own, with each one's index in it. */
function gatherRecords(
  batch: EncodedBatch,
  rows: ArrayLike<number>,
): { batch: EncodedBatch; index: Map<number, number> } {
  const index = new Map<number, number>();
  const picked: number[] = [];
  for (let x = 0; x < rows.length; x++) {
    const r = rows[x]!;
    if (index.has(r)) continue;
    index.set(r, picked.length);
    picked.push(r);
  }
  return { batch: withClearTextOf(batch, gatherBatch(batch, picked), picked), index };
}

/**
 * Scores pairs of a CoC batch (left) and a plan batch (right).
 * @example
 * ```ts
 * const scorer = new Scorer(model, coc, mcp);
 * const w = scorer.scorePairs([0], [5]).weight[0]; // match weight of CoC record 0 and plan record 5
 * ```
 */
export class Scorer {
  /** {@link levelWeight} log2(m/u) per comparison and level. */
  readonly levelWeights: Float64Array[];
  /** {@link priorWeight} log2(λ / (1 − λ)). */
  readonly priorWeight: number;

  private readonly specs: readonly ComparisonSpec[];
  private readonly tf: TfLevel[][];
  private batch: BatchLevels | undefined;
  /** The weight table of the current left record: `levelWeights` with its TF levels' weights. */
  private readonly rowWeights: Float64Array[];

  /**
   * @param batchSetup - the kernel state for {@link Scorer.scoreCandidates} (a row store of the right
   *   list and a Dice kernel), e.g. shared with worker threads; built on first use when absent.
   * @throws BloomlinkError `MODEL_INVALID` when a batch lacks a feature the comparisons read,
   *   `SCHEMA_MISMATCH` when compared Bloom filters differ in size; RangeError when λ ∉ (0, 1).
   */
  constructor(
    readonly model: LinkageModel,
    private readonly left: EncodedBatch,
    private readonly right: EncodedBatch,
    private readonly batchSetup?: BatchScoring,
  ) {
    this.specs = model.comparisons.map((c) => c.spec);
    checkComparisons(this.specs, left, right);
    this.levelWeights = model.comparisons.map((c) =>
      Float64Array.from(c.m, (m, l) => levelWeight(m, c.u[l]!)),
    );
    this.priorWeight = priorWeight(model.lambda);
    const tables = new Map<string, { counts: Map<number, number>; total: number }>();
    this.tf = model.comparisons.map((c, k) => {
      if (!usesTermFrequency(model, c.spec.name)) return [];
      const out: TfLevel[] = [];
      const n = c.spec.levels.length;
      c.spec.levels.forEach((lv, l) => {
        if (!lv.tf) return;
        const values = left.hashes[lv.tf];
        const rightValues = right.hashes[lv.tf];
        if (!values || !rightValues) return;
        let table = tables.get(lv.tf);
        if (!table) {
          table = frequencyTable(values, rightValues);
          tables.set(lv.tf, table);
        }
        for (const level of c.spec.splitByDq ? [l, l + n] : [l]) {
          out.push({ comparison: k, level, m: c.m[level]!, values, table });
        }
      });
      return out;
    });
    this.rowWeights = this.levelWeights.map((w) => w.slice());
  }

  /**
   * Levels and weights of the pairs (I[x], J[x]), the values {@link Scorer.scoreCandidates} gives,
   * from the batch form run on the pairs of each left record. A scorer without kernel state (see the
   * constructor) lays out only the records these pairs involve, not the whole right list, so
   * explaining a few thousand links costs little whatever the size of the lists.
   * @example
   * ```ts
   * const s = scorer.scorePairs([0, 0, 4], [5, 9, 2]);
   * s.weight[1]; // match weight of CoC record 0 and plan record 9
   * s.levels[3]![1]; // its DOB level
   * ```
   */
  scorePairs(I: ArrayLike<number>, J: ArrayLike<number>): PairScores {
    const n = I.length;
    if (J.length !== n) throw new RangeError('I and J must have the same length');
    const K = this.specs.length;
    const levels = this.specs.map(() => new Uint8Array(n));
    const partial = this.specs.map(() => new Float64Array(n));
    const weight = new Float64Array(n);
    if (n === 0) return { weight, levels, partial };
    const { batch, left, right } = this.pairBatch(I, J);
    // Pairs in order of their left record, each left record's candidates in slices of the capacity.
    const order = Array.from({ length: n }, (_, x) => x).sort((a, b) => I[a]! - I[b]! || a - b);
    const cand = new Uint32Array(Math.min(n, batch.capacity));
    for (let from = 0; from < n; ) {
      const i = I[order[from]!]!;
      let to = from;
      while (to < n && to - from < batch.capacity && I[order[to]!] === i) to++;
      for (let q = from; q < to; q++) cand[q - from] = right(J[order[q]!]!);
      batch.run(left(i), cand, 0, to - from);
      const table = this.weightTable(i);
      const out = batch.out;
      for (let q = from; q < to; q++) {
        const x = order[q]!;
        let w = this.priorWeight;
        for (let k = 0; k < K; k++) {
          const l = out[k]![q - from]!;
          const pw = l === NULL_LEVEL ? 0 : table[k]![l]!;
          levels[k]![x] = l;
          partial[k]![x] = pw;
          w += pw;
        }
        weight[x] = w;
      }
      from = to;
    }
    return { weight, levels, partial };
  }

  /**
   * The batch form for some pairs, with the record indices it knows them by: the scorer's own when
   * it has kernel state, else one laid out for just the records the pairs involve.
   */
  private pairBatch(
    I: ArrayLike<number>,
    J: ArrayLike<number>,
  ): { batch: BatchLevels; left: (i: number) => number; right: (j: number) => number } {
    if (this.batch || this.batchSetup) return { batch: this.batchLevels(), left: (i) => i, right: (j) => j };
    const l = gatherRecords(this.left, I);
    const r = gatherRecords(this.right, J);
    // The JS kernel: a few pairs do not repay compiling and instantiating a WebAssembly one.
    const setup = buildBatchScoring(this.specs, l.batch, r.batch, {
      kind: 'js',
      capacity: Math.max(1, Math.min(I.length, BATCH_CAPACITY)),
    });
    const batch = new BatchLevels(this.specs, l.batch, r.batch, setup);
    return { batch, left: (i) => l.index.get(i)!, right: (j) => r.index.get(j)! };
  }

  /**
   * Match weights of left record `i` with each candidate `J[x]`, x < n, into `out[x]`, computed
   * comparison by comparison over all candidates at once (with the kernel's and-counts).
   */
  scoreCandidates(i: number, J: Uint32Array, n: number, out: Float64Array): void {
    const batch = this.batchLevels();
    const table = this.weightTable(i);
    if (batch.fused) {
      // The level kernel adds the weights in its loop, in the same order as below.
      batch.setTables(table);
      for (let from = 0; from < n; from += batch.capacity) {
        const m = Math.min(batch.capacity, n - from);
        const w = batch.score(i, J, from, m, this.priorWeight);
        out.set(m === w.length ? w : w.subarray(0, m), from);
      }
      return;
    }
    const K = table.length;
    for (let from = 0; from < n; from += batch.capacity) {
      const m = Math.min(batch.capacity, n - from);
      batch.run(i, J, from, m);
      const levels = batch.out;
      for (let x = 0; x < m; x++) {
        let w = this.priorWeight;
        for (let k = 0; k < K; k++) {
          const l = levels[k]![x]!;
          w += l === NULL_LEVEL ? 0 : table[k]![l]!;
        }
        out[from + x] = w;
      }
    }
  }

  private batchLevels(): BatchLevels {
    this.batch ??= new BatchLevels(this.specs, this.left, this.right, this.batchSetup);
    return this.batch;
  }

  /** The weight table of left record i (TF levels depend on the left record only). */
  private weightTable(i: number): Float64Array[] {
    for (let k = 0; k < this.tf.length; k++) {
      for (const tf of this.tf[k]!) {
        if (this.tfFor(k, tf.level) === tf) this.rowWeights[k]![tf.level] = tfWeight(tf, i);
      }
    }
    return this.rowWeights;
  }

  /** The TF adjustment that applies to level l of comparison k (the first listed), if any. */
  private tfFor(k: number, l: number): TfLevel | undefined {
    const tfs = this.tf[k]!;
    for (let t = 0; t < tfs.length; t++) if (tfs[t]!.level === l) return tfs[t];
    return undefined;
  }
}

/**
 * The levels of one left record against slices of its candidates, all comparisons at once (the
 * batch form: row store and Dice kernel). With a level scratch in a WebAssembly memory (see
 * {@link BatchScoring}) the levels come from one compiled loop ({@link compileLevelKernel}), else
 * from the condition loops of the JS form; both give the same levels.
 * @example
 * ```ts
 * const levels = new BatchLevels(specs, coc, mcp);
 * levels.run(i, candidates, 0, Math.min(count, levels.capacity));
 * levels.out[3]![0]; // DOB level of the first candidate
 * ```
 */
export class BatchLevels {
  private readonly comparisons: BatchComparison[];
  private readonly dice: PreparedDice;
  private readonly kernel: LevelKernel | undefined;
  /** The JS form's level arrays (when there is no kernel). */
  private readonly own: Uint8Array[];

  /** `setup` defaults to a fresh single-thread kernel memory (see {@link buildBatchScoring}). */
  constructor(
    specs: readonly ComparisonSpec[],
    left: EncodedBatch,
    right: EncodedBatch,
    setup?: BatchScoring,
  ) {
    const s = setup ?? buildBatchScoring(specs, left, right);
    this.comparisons = compileBatchComparisons(specs, left, right, s.rows, s.dice);
    this.dice = s.dice;
    this.kernel = s.levels
      ? compileLevelKernel(specs, left, s.rows.store, s.rows.memory, s.dice, s.levels)
      : undefined;
    this.own = this.kernel ? [] : this.comparisons.map(() => new Uint8Array(s.dice.capacity));
  }

  /** Per comparison, the level of each candidate of the last `run` (index = position in the slice). */
  get out(): Uint8Array[] {
    return this.kernel ? this.kernel.out() : this.own;
  }

  /** Most candidates per `run`. */
  get capacity(): number {
    return this.dice.capacity;
  }

  /** Per comparison, whether its levels come from the compiled kernel (else from the JS form). */
  get compiled(): readonly boolean[] {
    return this.kernel ? this.kernel.compiled : this.comparisons.map(() => false);
  }

  /** Whether {@link BatchLevels.score} is available (every comparison compiled). */
  get fused(): boolean {
    return this.kernel?.complete === true;
  }

  /** Levels of left record i with candidates `J[from..from+n)`, n ≤ capacity, into `out`. */
  run(i: number, J: Uint32Array, from: number, n: number): void {
    const Js = from === 0 && n === J.length ? J : J.subarray(from, from + n);
    const kernel = this.kernel;
    if (!kernel) {
      this.dice.prepare(i, Js, n);
      for (let k = 0; k < this.comparisons.length; k++) this.comparisons[k]!.levels(i, Js, n, this.own[k]!);
      return;
    }
    kernel.stage(i, Js, n);
    if (!kernel.ownAnds) this.dice.prepare(i, Js, n);
    kernel.run();
    if (kernel.complete) return;
    const out = kernel.out();
    for (let k = 0; k < this.comparisons.length; k++)
      if (!kernel.compiled[k]) this.comparisons[k]!.levels(i, Js, n, out[k]!);
  }

  /**
   * Sets the weight of each comparison's levels for the next {@link BatchLevels.score} calls
   * (`tables[k][level]`; a null level adds 0). Only when {@link BatchLevels.fused}.
   */
  setTables(tables: readonly Float64Array[]): void {
    const into = this.fusedKernel().tables();
    for (let k = 0; k < tables.length; k++) {
      const t = into[k]!;
      t.set(tables[k]!);
      t[NULL_LEVEL] = 0;
    }
  }

  /**
   * Levels (into `out`) and match weights of left record i with candidates `J[from..from+n)`:
   * `prior` plus each comparison's table weight, added in comparison order. Only when
   * {@link BatchLevels.fused}; the returned view is reused by the next call.
   */
  score(i: number, J: Uint32Array, from: number, n: number, prior: number): Float64Array {
    const kernel = this.fusedKernel();
    const Js = from === 0 && n === J.length ? J : J.subarray(from, from + n);
    kernel.stage(i, Js, n);
    if (!kernel.ownAnds) this.dice.prepare(i, Js, n);
    kernel.run(prior);
    return kernel.weights();
  }

  private fusedKernel(): LevelKernel {
    if (!this.kernel?.complete) throw new TypeError('the levels are not all compiled');
    return this.kernel;
  }
}

/** The kernel state batch scoring reads: the right list's rows and a thread's Dice and-counts. */
export interface BatchScoring {
  readonly rows: RightRows;
  readonly dice: PreparedDice;
  /** Where the compiled level kernel works (absent: the JS form computes the levels). */
  readonly levels?: LevelScratch;
}

/** Where everything batch scoring needs sits in a kernel memory (plain data: postable to workers). */
export interface BatchLayout {
  readonly rows: RowStore;
  readonly left: Readonly<Record<string, FilterColumn>>;
  readonly pairs: readonly (readonly [string, string])[];
  /** One scratch area per thread. */
  readonly scratch: readonly CandidateScratch[];
  /** One level-kernel scratch area per thread. */
  readonly levels: readonly LevelScratch[];
}

/**
 * Candidates per kernel call (and per scratch area); longer candidate lists are scored in slices.
 * Small on purpose: a slice's rows (256 bytes each with the default schema) are brought into cache
 * by the level kernel's `touch` and must still be there for the level loop (and the Dice gather of a
 * kernel that does not compute its own and-counts); 512
 * rows (128 KiB) stay in L2, 4,096 (1 MiB) did not, and cost ≈ 1.35× the CPU per pair
 * (bench/scoring.bench.ts, docs/scaling.md).
 * @example
 * ```ts
 * allocCandidateScratch(memory, pairs, BATCH_CAPACITY);
 * ```
 */
export const BATCH_CAPACITY = 512;

function leftBloomFeatures(specs: readonly ComparisonSpec[]): string[] {
  return [...new Set(diceFeaturePairs(specs).map(([a]) => a))].sort();
}

/**
 * Bytes of kernel memory {@link layoutBatchScoring} needs for `threads` threads of `capacity`
 * candidates per kernel call (default {@link BATCH_CAPACITY}).
 * @example
 * ```ts
 * const memory = KernelMemory.create({ bytes: batchScoringBytes(specs, coc, mcp, 2), shared: true });
 * ```
 */
export function batchScoringBytes(
  specs: readonly ComparisonSpec[],
  left: EncodedBatch,
  right: EncodedBatch,
  threads: number,
  capacity = BATCH_CAPACITY,
): number {
  const pairs = diceFeaturePairs(specs).length;
  let bytes = rowStoreBytes(right.length, batchRowSpec(specs, right)) + right.length * 2 + 64;
  for (const f of leftBloomFeatures(specs)) {
    const b = left.blooms[f];
    bytes += filterColumnBytes(left.length, b && left.length > 0 ? b.length / left.length : 8);
  }
  const round = (b: number) => Math.ceil(b / 16) * 16;
  const perThread =
    round(capacity * 4) + pairs * round(capacity * 2) + levelScratchBytes(specs, left, capacity) + 128;
  return bytes + threads * perThread + 4096;
}

/**
 * Lays out the right list's row store, the left list's filters and `threads` scratch areas of
 * `capacity` candidates (default {@link BATCH_CAPACITY}) in `kernels`' memory. With `rows: 'later'`
 * the row store is only laid out, not written: the caller fills it (`fillRowStore` with
 * `batchRowSpec(specs, right)`, on any threads sharing the memory) before anything scores with it.
 * @example
 * ```ts
 * const layout = layoutBatchScoring(specs, coc, mcp, new DiceKernels(memory), 2);
 * ```
 */
export function layoutBatchScoring(
  specs: readonly ComparisonSpec[],
  left: EncodedBatch,
  right: EncodedBatch,
  kernels: DiceKernels,
  threads: number,
  capacity = BATCH_CAPACITY,
  opts: { readonly rows?: 'now' | 'later' } = {},
): BatchLayout {
  const pairs = diceFeaturePairs(specs);
  const rowSpec = batchRowSpec(specs, right);
  const rows =
    opts.rows === 'later'
      ? layoutRowStore(kernels, right.length, rowSpec)
      : buildRowStore(kernels, right.length, rowSpec);
  const leftCols: Record<string, FilterColumn> = {};
  for (const f of leftBloomFeatures(specs)) {
    const b = left.blooms[f];
    if (b) leftCols[f] = storeFilters(kernels, b, left.length);
  }
  const scratch = Array.from({ length: threads }, () =>
    allocCandidateScratch(kernels.memory, pairs.length, capacity),
  );
  const levels = Array.from({ length: threads }, () =>
    allocLevelScratch(kernels.memory, specs, left, capacity),
  );
  return { rows, left: leftCols, pairs, scratch, levels };
}

/**
 * Batch scoring state for thread `t` of a layout (in the thread that will use it).
 * @example
 * ```ts
 * const scorer = new Scorer(model, coc, mcp, attachBatchScoring(new DiceKernels(memory), layout, 0));
 * ```
 */
export function attachBatchScoring(kernels: DiceKernels, layout: BatchLayout, t: number): BatchScoring {
  const right = Object.fromEntries(Object.entries(layout.rows.filters).map(([f, p]) => [f, p]));
  const dice = new CandidateDice(kernels, {
    pairs: layout.pairs,
    left: layout.left,
    right,
    scratch: layout.scratch[t]!,
  });
  const levels = layout.levels[t];
  return { rows: { store: layout.rows, memory: kernels.memory }, dice, ...(levels ? { levels } : {}) };
}

/**
 * Batch scoring state in a fresh single-thread kernel memory: the `kind` of Dice kernel (default
 * the fastest available), `capacity` candidates per kernel call (default {@link BATCH_CAPACITY}),
 * and whether the levels may come from the compiled kernel (`levels: 'auto'`, the default, when the
 * memory is a WebAssembly memory) or only from the JS form (`'js'`).
 * @example
 * ```ts
 * const scorer = new Scorer(model, coc, mcp, buildBatchScoring(specs, coc, mcp, { kind: 'js' }));
 * ```
 */
export function buildBatchScoring(
  specs: readonly ComparisonSpec[],
  left: EncodedBatch,
  right: EncodedBatch,
  opts: {
    readonly kind?: DiceKernelKind | 'auto';
    readonly capacity?: number;
    readonly levels?: 'auto' | 'js';
  } = {},
): BatchScoring {
  const capacity = opts.capacity ?? BATCH_CAPACITY;
  // The JS kernel needs no WebAssembly memory; a plain buffer is cheaper to make (a pair's setup).
  const memory = KernelMemory.create({
    bytes: batchScoringBytes(specs, left, right, 1, capacity),
    ...(opts.kind === 'js' ? { wasm: false } : {}),
  });
  const kernels = new DiceKernels(memory, opts.kind ? { kind: opts.kind } : {});
  const s = attachBatchScoring(kernels, layoutBatchScoring(specs, left, right, kernels, 1, capacity), 0);
  return opts.levels === 'js' ? { rows: s.rows, dice: s.dice } : s;
}

/**
 * Histogram of the match weights of all scored pairs: `bins` bins of `binWidth` bits from `min`.
 * @example
 * ```ts
 * const bin = Math.floor((w - WEIGHT_HISTOGRAM.min) / WEIGHT_HISTOGRAM.binWidth);
 * ```
 */
export const WEIGHT_HISTOGRAM = { min: -40, binWidth: 0.5, bins: 160 } as const;

/** Anything that yields the candidates of a left record (blocking or exhaustive generation). */
export interface CandidateSource {
  /** Candidates of left record `i`: `right[0..count)`; the arrays are reused by the next call. */
  candidates(i: number): { readonly count: number; readonly right: Uint32Array };
}

/** What scoring a range of left records produced. */
export interface RangeScores {
  /** Pairs scored. */
  readonly scored: number;
  /** Weight histogram ({@link WEIGHT_HISTOGRAM}). */
  readonly hist: Float64Array;
  /** Pairs with weight ≥ the keep weight, in left-record order, then candidate order. */
  readonly left: Uint32Array;
  readonly right: Uint32Array;
  readonly weight: Float64Array;
}

/** Growable parallel arrays of kept pairs. */
class Kept {
  left = new Uint32Array(1024);
  right = new Uint32Array(1024);
  weight = new Float64Array(1024);
  n = 0;
  push(i: number, j: number, w: number): void {
    if (this.n === this.left.length) {
      const need = this.n + 1;
      this.left = grown(this.left, need);
      this.right = grown(this.right, need);
      this.weight = grown(this.weight, need);
    }
    this.left[this.n] = i;
    this.right[this.n] = j;
    this.weight[this.n] = w;
    this.n++;
  }
}

/**
 * Scores the candidates of left records `from..to−1`: every pair's weight goes into the histogram,
 * pairs at or above `keepWeight` are kept. Memory is bounded by the kept pairs (one candidate list
 * at a time), never by the number of pairs scored.
 * @example
 * ```ts
 * const r = scoreRange(new CandidateGenerator(coc, mcp), new Scorer(model, coc, mcp), 0, coc.length, -10);
 * r.scored; // pairs compared
 * ```
 */
export function scoreRange(
  source: CandidateSource,
  scorer: Scorer,
  from: number,
  to: number,
  keepWeight: number,
  onRecord?: (i: number) => void,
): RangeScores {
  const { min, binWidth, bins } = WEIGHT_HISTOGRAM;
  const hist = new Float64Array(bins);
  const kept = new Kept();
  let weights = new Float64Array(4096);
  let scored = 0;
  for (let i = from; i < to; i++) {
    const c = source.candidates(i);
    const n = c.count;
    if (n > 0) {
      if (weights.length < n) weights = new Float64Array(Math.max(n, weights.length * 2));
      scorer.scoreCandidates(i, c.right, n, weights);
      for (let x = 0; x < n; x++) {
        const w = weights[x]!;
        const bin = Math.min(bins - 1, Math.max(0, Math.floor((w - min) / binWidth)));
        hist[bin]!++;
        if (w >= keepWeight) kept.push(i, c.right[x]!, w);
      }
      scored += n;
    }
    onRecord?.(i);
  }
  return {
    scored,
    hist,
    left: kept.left.slice(0, kept.n),
    right: kept.right.slice(0, kept.n),
    weight: kept.weight.slice(0, kept.n),
  };
}
