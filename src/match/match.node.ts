/**
 * Matching on all cores: the model is trained on the main thread, then the CoC records are split
 * into chunks that worker threads score against the plan — both lists, the blocking pass indexes
 * and the kernel memory (the plan's row store) in shared memory, so each worker adds only its own
 * scratch — and the chunks' kept pairs, histograms and statistics are merged in chunk order. The
 * result is identical to `matchBatches` (same links, same model, same statistics).
 */

import {
  buildPassIndex,
  buildPassIndexOver,
  CandidateGenerator,
  ExhaustiveGenerator,
  exhaustiveBytes,
  layoutExhaustive,
  noPassStats,
  type PassStats,
} from '../block/blocking.js';
import { batchRowSpec } from '../compare/compare.js';
import { DEFAULT_COMPARISONS } from '../compare/comparisons.js';
import type { BlockColumn, EncodedBatch, EncodedMeta } from '../encoded/batch.js';
import { idBytesOf } from '../encoded/lazy-ids.js';
import { isReleased } from '../encoded/released.js';
import { shareBatch, sharedU32 } from '../encoded/shared.js';
import { DiceKernels } from '../kernel/filters.js';
import { KernelMemory } from '../kernel/memory.js';
import type { RowSpec } from '../kernel/rows.js';
import type { LinkageModel } from '../model/model.js';
import {
  attachBatchScoring,
  type BatchLayout,
  batchScoringBytes,
  frequencyTable,
  layoutBatchScoring,
  presetFrequencyTable,
  termFrequencyFeatures,
  WEIGHT_HISTOGRAM,
} from '../model/score.js';
import { countTraining, finishTrainingOn } from '../model/train.js';
import type { SessionCounting } from '../model/train-stages.js';
import { WORKER_FILE, WorkerEntry } from '../parallel/entry.node.js';
import { queued } from '../parallel/pool.node.js';
import { threadsForWork } from '../parallel/threads.node.js';
import { defined } from '../util/defined.js';
import { prepareCycle } from './cycle.js';
import {
  assembleMatch,
  KEEP_WEIGHT,
  type MatchOptions,
  type MatchResult,
  matchBatches,
  matchModel,
  matchProgress,
  matchSpecs,
  type ScoredCandidates,
  type StatsSource,
  scoreWork,
  trainOptions,
} from './match.js';
import type {
  MatchChunk,
  MatchChunkResult,
  MatchInit,
  matchRole,
  PackedFrequencies,
  SourceInit,
} from './match-task.js';
import { batchShape, releasePlanColumns, releasePlanHashes, sameRows } from './release-plan.js';
import type { rowFillRole } from './rows-task.js';

/** The worker role matching starts (served by src/worker.node.ts). */
const WORKERS = new WorkerEntry<{ readonly match: typeof matchRole; readonly rowFill: typeof rowFillRole }>(
  WORKER_FILE,
);

/**
 * The smallest CoC records × plan records that matching starts worker threads for when the caller
 * does not set `threads`: below it (FEBRL 4's 5,000 × 5,000 is 2.5·10⁷) training, assignment and
 * the workers' start-up outweigh the scoring the workers would share. 5,000 × 50,000 and up run on
 * all cores; measured in docs/scaling.md ("Small jobs").
 * @example
 * ```ts
 * import { availableParallelism } from 'node:os';
 * const work = coc.batch.length * mcp.batch.length;
 * const threads = work >= MATCH_PARALLEL_MIN_WORK ? availableParallelism() : 1;
 * ```
 */
export const MATCH_PARALLEL_MIN_WORK = 2.5e8;

/** Options of {@link matchBatchesParallel}. */
export interface ParallelMatchOptions extends MatchOptions {
  readonly meta?: EncodedMeta;
  /**
   * Worker threads; 1 runs {@link matchBatches} on this thread. Default: all cores when CoC records
   * × plan records reach {@link MATCH_PARALLEL_MIN_WORK}, else 1.
   */
  readonly threads?: number;
  /**
   * Frees the plan's Bloom filter and hash-set columns once the row store holds them: they are
   * replaced in `mcp` itself (and in the workers' copies) by stand-ins that hold no memory, read back
   * from the row store where records are gathered (explanations, the cycle). For a caller that
   * reads nothing else from those columns afterwards (the CLI; see `src/match/release-plan.ts`).
   * The plan's block lists in shared memory are consumed too: the pass indexes are written over
   * them (`buildPassIndexOver`) and `mcp`'s block columns left empty.
   * Not with `exhaustive`, whose layout reads the plan's filters after training.
   */
  readonly releasePlan?: boolean;
  /**
   * The kernel memory and row store laid out before the plan was read ({@link layoutPlanRows} with
   * these options), with the columns `placed` already copied into the rows (`placeRows`) — the CLI
   * copies the plan's filter and hash-set columns there as the file's pieces land, so they are never
   * held whole. Needs `releasePlan`; not with `exhaustive`.
   */
  readonly planRows?: PlanRows & { readonly placed: readonly string[] };
}

/**
 * A whole-file match's shared kernel memory and its layout: the plan's row store (laid out, not
 * written), the CoC filters and every thread's scratch.
 */
export interface PlanRows {
  readonly memory: KernelMemory;
  readonly kernels: DiceKernels;
  readonly batch: BatchLayout;
  /** The worker threads it was laid out for. */
  readonly threads: number;
  /** The rows' spec for the plan it was laid out for (its shape: lengths, not values). */
  readonly spec: RowSpec;
}

/**
 * Lays out {@link matchBatchesParallel}'s kernel memory for `threads` workers (`threads` ≥ 2): the
 * plan's row store, not written. `mcp` may be a plan's shape (`planShape`): only the lengths of its
 * columns are read.
 * @example
 * ```ts
 * const rows = layoutPlanRows(coc, planShape(meta, n), { threads: 2 });
 * ```
 */
export function layoutPlanRows(
  coc: EncodedBatch,
  mcp: EncodedBatch,
  opts: MatchOptions & { readonly threads: number },
): PlanRows {
  const threads = opts.threads;
  const specs = matchSpecs(opts);
  const dice = opts.dice ?? 'auto';
  // One shared kernel memory (the plan's row store): scratch for each worker, and one for this
  // thread, which trains the model with it first.
  const bytes =
    batchScoringBytes(specs, coc, mcp, threads + 1) +
    (opts.exhaustive ? exhaustiveBytes(coc, mcp, threads + 1, opts.exhaustive.features) : 0);
  const memory = KernelMemory.create({ bytes, shared: true });
  const kernels = new DiceKernels(memory, { kind: dice });
  const batch = layoutBatchScoring(specs, coc, mcp, kernels, threads + 1, undefined, { rows: 'later' });
  return { memory, kernels, batch, threads, spec: batchRowSpec(specs, mcp) };
}

/**
 * Training's term-frequency tables for the match workers' scorers, as typed arrays (a post copies
 * two arrays, not a Map of 10⁵ entries): each worker would otherwise count the plan's 3·10⁶ values
 * again (0.4 s each, quiet).
 */
function packFrequencies(
  tables: ReadonlyMap<string, { readonly counts: ReadonlyMap<number, number>; readonly total: number }>,
): PackedFrequencies[] {
  return [...tables].map(([feature, t]) => {
    const values = new Uint32Array(t.counts.size);
    const counts = new Float64Array(t.counts.size);
    let x = 0;
    for (const [v, c] of t.counts) {
      values[x] = v;
      counts[x++] = c;
    }
    return { feature, values, counts, total: t.total };
  });
}

/** `a` copied into shared memory: posted to worker threads without a copy each. */
function sharedCopy<T extends Uint32Array | Int32Array | Float64Array>(a: T): T {
  const Ctor = a.constructor as new (b: SharedArrayBuffer, offset: number, length: number) => T;
  const out = new Ctor(new SharedArrayBuffer(Math.max(a.byteLength, 8)), 0, a.length);
  out.set(a as never);
  return out;
}

/**
 * Training's EM counting with its arrays in shared memory: each EM task posts it, and a clone of the
 * sessions' blocks (4 bytes a plan record per rule) for each would cost a copy per task.
 */
function shareCounting(c: SessionCounting): SessionCounting {
  return {
    ...c,
    sampleOf: sharedCopy(c.sampleOf),
    rules: c.rules.map((r) => ({
      ...r,
      keys: sharedCopy(r.keys),
      records: sharedCopy(r.records),
      planCount: sharedCopy(r.planCount),
      shiftBase: sharedCopy(r.shiftBase),
      tfShift: sharedCopy(r.tfShift),
      ...(r.blocks
        ? {
            blocks: {
              planRecords: r.blocks.planRecords,
              start: sharedCopy(r.blocks.start),
              records: sharedCopy(r.blocks.records),
            },
          }
        : {}),
    })),
  };
}

/** Sums per-chunk pass statistics (largest block: the maximum) and fills in cumulative counts. */
function mergeStats(chunks: readonly MatchChunkResult[]): PassStats[] {
  const first = chunks[0]?.stats ?? [];
  const out = first.map((s) => noPassStats(s.name));
  for (const c of chunks)
    c.stats.forEach((s, p) => {
      const o = defined(out[p], 'statistics of a pass every chunk ran');
      o.pairs += s.pairs;
      o.newPairs += s.newPairs;
      o.cappedBlocks += s.cappedBlocks;
      o.cappedPairs += s.cappedPairs;
      o.largestBlock = Math.max(o.largestBlock, s.largestBlock);
    });
  let cum = 0;
  for (const s of out) {
    cum += s.newPairs;
    s.cumulativePairs = cum;
  }
  return out;
}

function mergeScores(chunks: readonly MatchChunkResult[]): ScoredCandidates {
  const n = chunks.reduce((a, c) => a + c.left.length, 0);
  const left = new Uint32Array(n);
  const right = new Uint32Array(n);
  const weight = new Float64Array(n);
  const hist = new Array<number>(WEIGHT_HISTOGRAM.bins).fill(0);
  let at = 0;
  let scored = 0;
  for (const c of chunks) {
    left.set(c.left, at);
    right.set(c.right, at);
    weight.set(c.weight, at);
    at += c.left.length;
    scored += c.scored;
    for (let b = 0; b < hist.length; b++) hist[b] = (hist[b] ?? 0) + (c.hist[b] ?? 0);
  }
  return { pairs: { left, right, weight }, hist, scored, passes: mergeStats(chunks) };
}

/**
 * Matches an encoded CoC batch against an encoded plan batch on `threads` worker threads. Columns
 * already in shared memory (see `readEncodedShared`) are used in place; others are copied once.
 * @example
 * ```ts
 * const result = await matchBatchesParallel(coc.batch, mcp.batch, { meta: coc.meta, threads: 2 });
 * ```
 */
export async function matchBatchesParallel(
  coc: EncodedBatch,
  mcp: EncodedBatch,
  opts: ParallelMatchOptions = {},
): Promise<MatchResult> {
  const threads = opts.threads ?? threadsForWork(coc.length * mcp.length, MATCH_PARALLEL_MIN_WORK);
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError('threads must be a positive integer');
  if (threads === 1 || coc.length === 0 || mcp.length === 0) return matchBatches(coc, mcp, opts);
  if (opts.decisions !== undefined || opts.previous !== undefined) prepareCycle(coc, mcp, opts);
  const specs = matchSpecs(opts);
  const dice = opts.dice ?? 'auto';
  const prepared = opts.planRows;
  if (
    prepared &&
    (prepared.threads !== threads ||
      opts.exhaustive ||
      opts.releasePlan !== true ||
      !sameRows(prepared.spec, batchRowSpec(specs, batchShape(mcp))))
  )
    throw new RangeError('planRows laid out for another plan, thread count or kind of match');
  // The row store (0.77 GB at 3·10⁶ plan records) is laid out here (or before the plan was read)
  // and written by `threads` workers, each its share of the rows, while this thread counts for
  // training and builds the pass indexes; nothing reads it before `filling` ends.
  const { memory, kernels, batch } = prepared ?? layoutPlanRows(coc, mcp, { ...opts, threads });
  const placed = prepared?.placed ?? [];
  const release = opts.releasePlan === true && !opts.exhaustive;
  const left = shareBatch(coc, { blocks: true });
  // The plan's keyed hashes copied into the rows as the file was read (`placed`) are in arrays of
  // this thread's own: only its training counting and term-frequency tables read them whole. The
  // workers get stand-ins from the start (the rows hold the values; the tables are posted), and
  // this thread's go once counted (docs/scaling.md, "The plan's keyed hashes").
  const placedHashes = release
    ? placed.filter((f) => mcp.hashes[f] !== undefined && !isReleased(mcp.hashes[f]))
    : [];
  const posted = placedHashes.length > 0 ? { ...mcp, hashes: { ...mcp.hashes } } : mcp;
  releasePlanHashes([posted], placedHashes, memory, batch.rows);
  const right = shareBatch(posted, { blocks: false });
  const releaseHashes = (tables: ReadonlyMap<string, { counts: Map<number, number>; total: number }>) => {
    if (placedHashes.length === 0) return;
    const own = placedHashes.map((f) => mcp.hashes[f]);
    releasePlanHashes([mcp], placedHashes, memory, batch.rows);
    // The scorers find a term-frequency table by its columns: preset for the stand-ins.
    for (const [f, table] of tables) {
      const l = coc.hashes[f];
      if (!l || !placedHashes.includes(f)) continue;
      for (const b of [mcp, right]) {
        const r = b.hashes[f];
        if (r) presetFrequencyTable(l, r, table);
      }
    }
    // Freed now, not at this thread's next full collection: a detached buffer's memory goes with
    // the young clone that took it over.
    for (const a of own) if (a && !(a.buffer instanceof SharedArrayBuffer)) detach(a.buffer);
  };
  const handle = memory.handle();
  const share = Math.ceil(mcp.length / threads);
  // Worker t writes rows `from..to−1` (none for the training pool started after a release).
  const rowInit = (t: number, rows: boolean) => ({
    mcp: right,
    coc: left,
    specs,
    memory: handle,
    dice,
    batch,
    thread: t,
    from: rows ? Math.min(mcp.length, t * share) : 0,
    to: rows ? Math.min(mcp.length, (t + 1) * share) : 0,
    release,
    placed,
  });
  const filling = queued(WORKERS.start('rowFill', threads, (t) => rowInit(t, true)));
  // The init messages are posted (cloned) as the workers are created, before `start` returns: this
  // thread's references to the columns the row store will hold can go at once, while they are still
  // young (the workers drop theirs once their rows are written; gathering reads the written rows).
  if (release) releasePlanColumns(specs, [mcp, right], memory, batch.rows);
  let model: LinkageModel;
  let frequencies: PackedFrequencies[] = [];
  let source: SourceInit | undefined;
  let mainSource: StatsSource | undefined;
  let work: Float64Array | undefined;
  const passIndexes = () => {
    if (opts.exhaustive) return;
    const names = Object.keys(coc.blocks).filter((n) => n in mcp.blocks);
    // With the plan released, its block lists serve only to build these indexes: each is built over
    // its pass's list (docs/scaling.md, "The pass indexes over the plan's block lists"), unless a
    // list's bytes are shared with another column (then nothing may be written over them).
    const over = release && ownBlockBytes(mcp);
    const passes = names.map((n) => {
      const col = defined(mcp.blocks[n], 'blocking pass of both lists');
      const idx = (over ? buildPassIndexOver : buildPassIndex)(n, col, sharedU32);
      // A list the index was written over now holds the index: nothing reads it as a list again
      // (the expected quality's pass masks are answered from the indexes), and an emptied column
      // says so.
      if (idx.records.buffer === col.offsets.buffer || idx.records.buffer === col.keys.buffer)
        (mcp.blocks as Record<string, BlockColumn>)[n] = consumedColumn();
      return idx;
    });
    const maxBlockSize = opts.maxBlockSize;
    source = { kind: 'blocking', passes, ...(maxBlockSize === undefined ? {} : { maxBlockSize }) };
    mainSource = new CandidateGenerator(coc, mcp, {
      passes,
      ...(maxBlockSize === undefined ? {} : { maxBlockSize }),
    });
    // Progress in the work each chunk holds (block pairs), not records: see scoreWork.
    if (opts.onProgress) work = scoreWork(mainSource, coc.length);
  };
  try {
    const scoring = attachBatchScoring(kernels, batch, threads);
    const training = opts.model
      ? undefined
      : countTraining(coc, mcp, opts.comparisons ?? DEFAULT_COMPARISONS, trainOptions(opts, scoring));
    if (training) {
      frequencies = packFrequencies(training.training.frequencyTables());
      // Training has counted: the placed keyed hashes go (the rows hold them), while the rows are
      // still being written.
      releaseHashes(training.training.frequencyTables());
      // Training's per-pair loops go to the workers once their rows are written; this thread builds
      // the pass indexes meanwhile, then fits the model on the summed counts.
      const filled = await filling;
      // With the plan's columns released, the row-filling workers end once their rows are written,
      // and their copies of those columns with them (a worker's copies would otherwise live until
      // its next garbage collection); training's loops run on a fresh pool, started while this
      // thread prepares the first tasks.
      const pool = release
        ? queued(filled.close().then(() => WORKERS.start('rowFill', threads, (t) => rowInit(t, false))))
        : Promise.resolve(filled);
      // Every task is posted at once (the pieces are of about equal work): this thread builds the
      // pass indexes meanwhile, synchronously, and could not hand out a next task before that ends.
      let ready: Awaited<typeof pool> | undefined;
      void pool.then(
        (p) => {
          ready = p.pipeline(4 * threads);
        },
        () => {},
      );
      let shared: { readonly of: SessionCounting; readonly copy: SessionCounting } | undefined;
      try {
        model = await finishTrainingOn(training, {
          pieces: threads,
          tallyU: async (l, r) => {
            const res = await (await pool).run({ kind: 'u', left: l, right: r });
            if (res.kind !== 'u') throw new Error('a training worker answered another task');
            return res.hist;
          },
          countSessions: (counting, piece) => {
            // Posted now when the pool is up (it is once the u tallies are in), not after `meanwhile`;
            // the counting's arrays copied into shared memory once, not cloned into every task.
            if (shared?.of !== counting) shared = { of: counting, copy: shareCounting(counting) };
            const task = { kind: 'em', counting: shared.copy, piece } as const;
            return (ready ? ready.run(task) : pool.then((p) => p.run(task))).then((res) => {
              if (res.kind !== 'em') throw new Error('a training worker answered another task');
              return res.counts;
            });
          },
          meanwhile: passIndexes,
        });
      } finally {
        await pool.then(
          (p) => p.close(),
          () => {},
        );
      }
    } else {
      passIndexes();
      await (await filling).close();
      model = matchModel(coc, mcp, opts);
      // The workers' scorers read the placed keyed hashes' stand-ins: their tables are counted here.
      if (placedHashes.length > 0) {
        const tables = new Map(
          termFrequencyFeatures(model)
            .filter((f) => placedHashes.includes(f) && coc.hashes[f] !== undefined)
            .map(
              (f) =>
                [
                  f,
                  frequencyTable(defined(coc.hashes[f], 'a CoC hash'), defined(mcp.hashes[f], 'a plan hash')),
                ] as const,
            ),
        );
        frequencies = packFrequencies(tables);
        releaseHashes(tables);
      }
    }
  } catch (e) {
    // The workers end once their rows are written.
    await filling.then(
      (p) => p.close(),
      () => {},
    );
    throw e;
  }
  if (opts.exhaustive) {
    const layout = layoutExhaustive(coc, mcp, kernels, threads + 1, opts.exhaustive);
    source = { kind: 'exhaustive', layout };
    mainSource = new ExhaustiveGenerator(kernels, layout, threads);
    if (opts.onProgress) work = scoreWork(mainSource, coc.length);
  }
  const init = defined(source, 'a candidate source');
  const stats = defined(mainSource, 'a candidate source');
  const pool = await WORKERS.start(
    'match',
    threads,
    (t): MatchInit => ({
      coc: left,
      mcp: right,
      model,
      memory: handle,
      dice,
      batch,
      thread: t,
      source: init,
      keepWeight: KEEP_WEIGHT,
      frequencies,
    }),
  );
  let scored: ScoredCandidates;
  try {
    // Small chunks balance the load (records differ a lot in candidates); results merge in order.
    const size = Math.min(2048, Math.max(32, Math.ceil(coc.length / (threads * 32))));
    const chunks: MatchChunk[] = [];
    for (let from = 0; from < coc.length; from += size)
      chunks.push({ from, to: Math.min(coc.length, from + size) });
    const total = work?.[coc.length] ?? 0;
    let done = 0;
    const results = await Promise.all(
      chunks.map((c) =>
        pool.run(c).then((r) => {
          done += (work?.[c.to] ?? 0) - (work?.[c.from] ?? 0);
          matchProgress(opts.onProgress, 'score', done, total);
          return r;
        }),
      ),
    );
    scored = mergeScores(results);
    // The chunks' arrays are merged: freed now, not at this thread's next full collection.
    const merged = new Set<ArrayBufferLike>();
    for (const r of results) for (const a of [r.hist, r.left, r.right, r.weight]) merged.add(a.buffer);
    for (const b of merged) if (b instanceof ArrayBuffer && b.byteLength > 0) detach(b);
  } finally {
    // The workers' isolates go before the links are assembled (the match's last memory peak).
    await pool.close();
  }
  return assembleMatch(coc, mcp, model, scored, opts, stats);
}

/**
 * Detaches `buffer`: its memory is freed with the clone that takes it, at the next scavenge. The one
 * deliberate detach on this thread (it invalidates V8's `ArrayBufferDetaching` protector here, see
 * `TaskOutput`): measured against leaving the buffers to the collector, it keeps the 3·10⁶ match's
 * peak 19–40 MiB lower, and the CPU it may cost was not resolved (docs/scaling.md, "Follow-ups,
 * session 15").
 */
function detach(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] });
}

/** A block column whose list was consumed (`buildPassIndexOver`): no records' keys. */
function consumedColumn(): BlockColumn {
  return { offsets: new Uint32Array(1), keys: new Uint32Array(0) };
}

/**
 * Whether every block column's offsets and keys of `b` lie in bytes no other column of `b` (nor
 * another block array) views: only then may a pass index be written over them.
 */
function ownBlockBytes(b: EncodedBatch): boolean {
  const views: ArrayBufferView[] = [b.nameDq, b.dobDq, b.ssnDq];
  views.push(...Object.values(b.blooms), ...Object.values(b.hashes), ...Object.values(b.sets));
  // A lazy list's IDs are read from the file's bytes until the end: never written over.
  const ids = idBytesOf(b.ids);
  if (ids) views.push(ids.offsets, ids.bytes);
  const blocks = Object.values(b.blocks).flatMap((c) => [c.offsets, c.keys]);
  return blocks.every(
    (x, i) => !views.some((y) => overlap(x, y)) && !blocks.some((y, k) => k !== i && overlap(x, y)),
  );
}

function overlap(x: ArrayBufferView, y: ArrayBufferView): boolean {
  return (
    x.buffer === y.buffer &&
    x.byteOffset < y.byteOffset + y.byteLength &&
    y.byteOffset < x.byteOffset + x.byteLength
  );
}
