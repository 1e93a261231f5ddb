/**
 * Matching with the plan side streamed (issue #16): memory grows with the CoC list and one chunk of
 * the plan, never with the whole plan. The CoC list (always the small one) is indexed by blocking key;
 * the plan's encoded file is read twice (four times when training, below), in chunks of its record
 * batches:
 *
 * 1. counting: the plan's size, the term-frequency tables (both lists' counts of the CoC side's
 *    values) and, for every blocking key the CoC side has, how many plan records hold it — which
 *    gives each block's size, so the cap (`maxBlockSize`) and every pass statistic but `newPairs` are
 *    known before any pair is scored;
 * 2. scoring: each chunk's records look their keys up in the CoC index, each (CoC, plan) pair once,
 *    scored with the batch form against a row store of the chunk only; every weight goes into the
 *    histogram, pairs at or above the keep weight are kept, with a copy of their plan record.
 *
 * The kept pairs are then put in the order the whole-file path gives them (CoC record, then the
 * pass and key that first found the pair, then plan record) and go through the same assignment,
 * thresholds and explanations (`assembleMatch`) against a batch of the kept plan records only (and,
 * with the monthly cycle, of the records its decisions and previous links name, which it scores
 * directly). The result is identical, byte for byte, to `matchBatches` with the same model, for any
 * chunk size.
 *
 * Pass 2 scores each chunk with a {@link ChunkScorer} (src/match/stream-score.ts): on this thread by
 * default, or on worker threads with `scoreChunks: scoreChunksOnThreads(n)` (src/match/stream.node.ts),
 * the chunks' scores merged in file order either way, so the result does not depend on it.
 *
 * Without a model, the model is trained first on the streamed plan, in two more readings of the
 * file (`ModelTraining`: the u sample, then the EM sessions' patterns; its counting rides on the
 * first reading above): the same model `matchBatches` trains on the whole plan, byte for byte (see
 * docs/scaling.md, "Streaming the plan side").
 */

import type { PassStats } from '../block/blocking.js';
import { DEFAULT_MAX_BLOCK_SIZE, noPassStats } from '../block/blocking.js';
import type { EncodedBatch, EncodedMeta, EncodedRowCounts, EncodedTrailer } from '../encoded/batch.js';
import { refuseClearText } from '../encoded/clear-text.js';
import { concatBatches } from '../encoded/concat.js';
import { type EncodedSource, emptyBatch, openEncoded } from '../encoded/file.js';
import { filterBatch, sliceBatch } from '../encoded/slice.js';
import { BloomlinkError } from '../errors.js';
import { FrequencyCount } from '../model/frequency.js';
import type { LinkageModel } from '../model/model.js';
import { presetFrequencyTable, WEIGHT_HISTOGRAM } from '../model/score.js';
import { ModelTraining } from '../model/train.js';
import { grown } from '../util/bytes.js';
import { at, defined } from '../util/defined.js';
import { stableReorder } from '../util/id-order.js';
import {
  assembleMatch,
  checkCompatible,
  KEEP_WEIGHT,
  type MatchOptions,
  type MatchResult,
  matchProgress,
  matchSpecs,
  type ScoredCandidates,
  trainOptions,
} from './match.js';
import {
  ChunkScorer,
  type ChunkScores,
  type ChunkScoringInit,
  type CocPass,
  findKey,
} from './stream-score.js';

/**
 * Plan records per chunk by default (eight of the encoder's record batches): the chunk's columns and
 * row store take about 130 MB with the default schema.
 * @example
 * ```ts
 * await matchStreaming(coc.batch, () => fileBytes('mcp.arrow'), { model, chunkRecords: STREAM_CHUNK_RECORDS / 2 });
 * ```
 */
export const STREAM_CHUNK_RECORDS = 131_072;

/** Options of {@link matchStreaming}: those of `match` it supports. */
export interface StreamMatchOptions extends MatchOptions {
  /** The model to score with; without one, a model is trained on the streamed plan first. */
  readonly model?: LinkageModel;
  /** The CoC file's metadata: checked against the plan file's (party, schema, key). */
  readonly meta?: EncodedMeta;
  /** Plan records per chunk (default {@link STREAM_CHUNK_RECORDS}); the result does not depend on it. */
  readonly chunkRecords?: number;
  /** The plan file's name in messages (default `mcp`). */
  readonly label?: string;
  /**
   * What scores the chunks (pass 2): default {@link scoreChunksHere}, on this thread; in Node,
   * `scoreChunksOnThreads(threads)` (`bloomlink/node`) scores them on worker threads. The result
   * does not depend on it.
   */
  readonly scoreChunks?: ChunkRunner;
  /**
   * Called once the plan's first reading (which reads every plan ID, before any training or
   * scoring) has ended, with whether the plan holds a given MemberID — asked only for the IDs
   * `decisions` and `previous` name: the CLI checks last month's links here, so a wrong file stops
   * the run before the long work. A throw stops the match.
   */
  readonly onPlanIdsRead?: (hasCycleMember: (memberId: string) => boolean) => void;
}

/**
 * Scores a plan's chunks in file order, handing each chunk's scores to `merge` in that order (the
 * scoring itself may overlap with reading and with other chunks).
 */
export type ChunkRunner = (
  init: ChunkScoringInit,
  chunks: AsyncIterable<EncodedBatch>,
  merge: (scores: ChunkScores) => void,
) => Promise<void>;

/**
 * The default {@link ChunkRunner}: each chunk scored on this thread as it is read.
 * @example
 * ```ts
 * await matchStreaming(coc.batch, () => fileBytes('mcp.arrow'), { model, scoreChunks: scoreChunksHere });
 * ```
 */
export const scoreChunksHere: ChunkRunner = async (init, chunks, merge) => {
  const scorer = new ChunkScorer(init);
  let base = 0;
  for await (const chunk of chunks) {
    merge(scorer.score(chunk, base));
    base += chunk.length;
  }
};

/** A reading of the plan file: called once per reading (twice, four times when training), each call a fresh source. */
export type PlanSource = () => EncodedSource | Promise<EncodedSource>;

function indexPass(name: string, offsets: Uint32Array, keys: Uint32Array): CocPass {
  const n = keys.length;
  const owner = new Uint32Array(n);
  for (let i = 0; i + 1 < offsets.length; i++)
    for (let p = offsets[i] ?? 0, end = offsets[i + 1] ?? 0; p < end; p++) owner[p] = i;
  const pos = Uint32Array.from({ length: n }, (_, p) => p).sort(
    (a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b,
  );
  const sorted = Uint32Array.from(pos, (p) => keys[p] ?? 0);
  const buckets = new Uint32Array(65537);
  let e = 0;
  for (let h = 0; h <= 65536; h++) {
    while (e < n && (sorted[e] ?? 0) >>> 16 < h) e++;
    buckets[h] = e;
  }
  return { name, keys: sorted, pos, owner, offsets, planCount: new Uint32Array(n), buckets };
}

/** The term-frequency features a model's scorer reads (as `Scorer` picks them). */
function tfFeatures(model: LinkageModel): string[] {
  if (!model.termFrequency.enabled) return [];
  const out = new Set<string>();
  for (const c of model.comparisons)
    if (model.termFrequency.comparisons.includes(c.spec.name))
      for (const lv of c.spec.levels) if (lv.tf) out.add(lv.tf);
  return [...out];
}

/** The plan's record batches regrouped into chunks of at most `size` records. */
async function* chunks(batches: AsyncIterable<EncodedBatch>, size: number): AsyncGenerator<EncodedBatch> {
  let parts: EncodedBatch[] = [];
  let n = 0;
  for await (const batch of batches) {
    // A record batch larger than a chunk (a file not written by the encoder) is cut: the row store
    // and candidate lists stay chunk-sized.
    for (let from = 0; from < batch.length; from += size) {
      const b = sliceBatch(batch, from, Math.min(batch.length, from + size));
      parts.push(b);
      n += b.length;
      if (n >= size) {
        yield concatBatches(parts);
        parts = [];
        n = 0;
      }
    }
  }
  if (parts.length > 0) yield concatBatches(parts);
}

/** The plan IDs the monthly cycle names (decisions and last month's links), or none without it. */
function cycleMemberIds(opts: StreamMatchOptions): ReadonlySet<string> | undefined {
  if (opts.decisions === undefined && opts.previous === undefined) return undefined;
  return new Set([...(opts.decisions ?? []), ...(opts.previous ?? [])].map((d) => d.memberId));
}

/** Growable parallel arrays of kept pairs, with the order key of the whole-file path. */
class KeptPairs {
  left = new Uint32Array(1024);
  right = new Uint32Array(1024);
  tag = new Uint32Array(1024);
  weight = new Float64Array(1024);
  n = 0;
  push(i: number, j: number, tag: number, w: number): void {
    if (this.n === this.left.length) {
      const need = this.n + 1;
      this.left = grown(this.left, need);
      this.right = grown(this.right, need);
      this.tag = grown(this.tag, need);
      this.weight = grown(this.weight, need);
    }
    this.left[this.n] = i;
    this.right[this.n] = j;
    this.tag[this.n] = tag;
    this.weight[this.n] = w;
    this.n++;
  }
}

/**
 * Matches a CoC batch against a plan file read in chunks: memory in the CoC list's size plus one
 * chunk (see the module comment). The result is identical to `matchBatches` on the whole plan with
 * the same options, model given or trained. `plan` is called twice with a model, four times without
 * (the file is read that often): a file on disk can be reopened; a one-shot stream (stdin) must be
 * saved to a file first. The monthly cycle (`decisions`, `previous`) is applied as `matchBatches`
 * applies it. Not supported (RangeError): exhaustive generation and `truth`.
 * @throws BloomlinkError for an unreadable, corrupt or incompatible plan file, or an empty list.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { readEncoded, parseModel } from 'bloomlink';
 * import { fileBytes } from 'bloomlink/node';
 * const coc = await readEncoded(fileBytes('coc.arrow'), 'coc.arrow');
 * const model = parseModel(JSON.parse(readFileSync('model.json', 'utf8')));
 * const result = await matchStreaming(coc.batch, () => fileBytes('mcp.arrow'), { model, meta: coc.meta });
 * console.log(result.counts.matches, 'matches');
 * ```
 */
export async function matchStreaming(
  coc: EncodedBatch,
  plan: PlanSource,
  opts: StreamMatchOptions,
): Promise<MatchResult> {
  const s = await scoreStreaming(coc, plan, opts);
  return assembleMatch(coc, s.records, s.model, s.scored, opts, undefined, s.planRecords);
}

/** What {@link scoreStreaming} produced: the scored candidates, and the plan records they name. */
export interface StreamedScores {
  /** As `scoreCandidates` gives them, but `pairs.right` indexes `records`. */
  readonly scored: ScoredCandidates;
  /**
   * The plan records of the kept pairs, in file order; then, with the monthly cycle, the records its
   * decisions and previous links name that no kept pair does, in file order.
   */
  readonly records: EncodedBatch;
  /** Records in the plan file. */
  readonly planRecords: number;
  /** The model scored with: `model` as given, or the one trained on the streamed plan. */
  readonly model: LinkageModel;
  /** The plan list's rows read and rejected, when its file records them (for the report). */
  readonly rows?: EncodedRowCounts;
}

/**
 * The scoring stage of {@link matchStreaming}: the kept pairs (in `scoreCandidates`' order), the
 * weight histogram and the pass statistics, with a batch of the plan records the kept pairs name.
 * @example
 * ```ts
 * const { scored, records, planRecords } = await scoreStreaming(coc.batch, () => fileBytes('mcp.arrow'), { model });
 * const firstPlanId = records.ids[scored.pairs.right[0]!];
 * ```
 */
export async function scoreStreaming(
  coc: EncodedBatch,
  plan: PlanSource,
  opts: StreamMatchOptions,
): Promise<StreamedScores> {
  if (opts.exhaustive) throw new RangeError('matchStreaming: exhaustive generation is not supported');
  if (opts.truth !== undefined) throw new RangeError('matchStreaming: truth is not supported');
  const size = opts.chunkRecords ?? STREAM_CHUNK_RECORDS;
  if (!Number.isInteger(size) || size < 1) throw new RangeError('chunkRecords must be a positive integer');
  const label = opts.label ?? 'mcp';
  const specs = matchSpecs(opts);
  // Without a model, training counts its plan-side tables with the first reading.
  const training = opts.model ? undefined : new ModelTraining(coc, specs, trainOptions(opts));
  const maxBlock = opts.maxBlockSize ?? DEFAULT_MAX_BLOCK_SIZE;
  if (opts.meta) refuseClearText('matchStreaming', opts.meta, coc);
  // Before the plan's first reading, which is long.
  if (coc.length === 0) throw emptyList('--coc');

  // The second reading leaves out the duplicate-ID check: the first did it, and the check holds
  // every plan ID until the file ends.
  const open = async (uniqueIds: boolean) => {
    const f = await openEncoded(await plan(), label, { uniqueIds });
    if (opts.meta) checkCompatible(opts.meta, f.meta);
    refuseClearText(label, f.meta);
    return f;
  };

  // Every later reading must find the list the first one did: the same records and the same
  // CRC-32C of their contents (checked against the file's end record by each reading), so a file
  // replaced between readings stops the match instead of mixing two lists.
  let listCrc: string | undefined;
  const sameList = (trailer: EncodedTrailer, records: number, nR: number) => {
    if (records !== nR || trailer.crc32c !== listCrc)
      throw new BloomlinkError('FILE_CORRUPT', `${label}: the file changed between its readings`);
  };

  // ── Pass 1: counting ─────────────────────────────────────────────────────────────────────────
  const first = await open(true);
  const planMeta = first.meta;
  const passNames = Object.keys(coc.blocks).filter((n) => planMeta.schema.blocking.some((p) => p.name === n));
  if (passNames.length > 31)
    throw new BloomlinkError(
      'SCHEMA_INVALID',
      `the schema has ${passNames.length} blocking passes; a streamed match supports at most 31`,
    );
  const passes = passNames.map((n) => {
    const c = defined(coc.blocks[n], 'a blocking pass of the CoC batch');
    return indexPass(n, c.offsets, c.keys);
  });
  const freqs = new Map<string, FrequencyCount>();
  for (const f of opts.model ? tfFeatures(opts.model) : []) {
    const left = coc.hashes[f];
    if (left) freqs.set(f, new FrequencyCount(left));
  }
  const cycleIds = cycleMemberIds(opts);
  const seenCycleIds = opts.onPlanIdsRead && cycleIds ? new Set<string>() : undefined;
  let nR = 0;
  for await (const b of first.batches) {
    nR += b.length;
    if (seenCycleIds) for (const id of b.ids) if (cycleIds?.has(id) === true) seenCycleIds.add(id);
    training?.count(b);
    for (const [f, count] of freqs) {
      const right = b.hashes[f];
      if (right) count.add(right);
    }
    for (const p of passes) {
      const col = b.blocks[p.name];
      if (!col) continue;
      for (let q = 0; q < col.keys.length; q++) {
        const e = findKey(p, col.keys[q] ?? 0);
        if (e >= 0) p.planCount[e] = (p.planCount[e] ?? 0) + 1;
      }
    }
  }
  if (nR === 0) throw emptyList('--mcp');
  opts.onPlanIdsRead?.((id) => seenCycleIds?.has(id) === true);
  const planRows = first.trailer.rows;
  listCrc = first.trailer.crc32c;
  // Block sizes of every CoC key: each run's count, spread to its entries.
  for (const p of passes)
    for (let e = 1; e < p.keys.length; e++)
      if (p.keys[e] === p.keys[e - 1]) p.planCount[e] = p.planCount[e - 1] ?? 0;
  const stats = passes.map((p) => passStats(p, maxBlock));
  const model = training
    ? await train(
        training,
        () => open(false),
        size,
        (t, n) => sameList(t, n, nR),
      )
    : opts.model;
  if (!model) throw new TypeError('matchStreaming: no model');
  const counted = training ? training.frequencyTables() : freqs;
  const tables = new Map(
    tfFeatures(model).flatMap((f) => {
      const c = counted.get(f);
      return c ? [[f, { counts: c.counts, total: c.total }] as const] : [];
    }),
  );
  const preset = (right: EncodedBatch) => {
    for (const [f, table] of tables) {
      const l = coc.hashes[f];
      const r = right.hashes[f];
      if (l && r) presetFrequencyTable(l, r, table);
    }
  };

  // ── Pass 2: candidate pairs and scoring, chunk by chunk ──────────────────────────────────────
  const hist = new Float64Array(WEIGHT_HISTOGRAM.bins);
  // Kept pairs name their plan record by its place among the kept records (in file order), so
  // nothing here grows with the plan's size. (A chunk's pairs carry file positions as Uint32: plans
  // below 2³² records.)
  const kept = new KeptPairs();
  const keptRecords: EncodedBatch[] = [];
  let keptCount = 0;
  // The monthly cycle names plan records by ID (clerical decisions, last month's links); assembly
  // scores those pairs directly and tells which records are absent, as in the whole-file path, so
  // the records of those IDs are kept too: after the kept pairs' records, in file order.
  const cycleRows: ({ readonly rows: readonly number[]; readonly batch: EncodedBatch } | undefined)[] = [];
  const cycleRecords: EncodedBatch[] = [];
  async function* noteCycleRows(all: AsyncIterable<EncodedBatch>): AsyncGenerator<EncodedBatch> {
    for await (const chunk of all) {
      const flags = new Uint8Array(chunk.length);
      const rows: number[] = [];
      for (let r = 0; r < chunk.length; r++)
        if (cycleIds?.has(chunk.ids[r] ?? '')) {
          flags[r] = 1;
          rows.push(r);
        }
      cycleRows.push(rows.length > 0 ? { rows, batch: filterBatch(chunk, flags) } : undefined);
      yield chunk;
    }
  }
  let localOf = new Uint32Array(0);
  let scored = 0;
  let base = 0;
  const second = await open(false);
  const init: ChunkScoringInit = {
    coc,
    model,
    passes,
    maxBlock,
    tables: [...tables],
    ...(opts.dice ? { dice: opts.dice } : {}),
    keepWeight: KEEP_WEIGHT,
  };
  // Chunks merge in file order, whichever thread scored them: the same sums and kept pairs.
  const planChunks = chunks(second.batches, size);
  await (opts.scoreChunks ?? scoreChunksHere)(
    init,
    cycleIds ? noteCycleRows(planChunks) : planChunks,
    (c) => {
      // The plan records of kept pairs, for assignment (IDs), explanations and links.
      if (localOf.length < c.length) localOf = new Uint32Array(c.length);
      for (let x = 0; x < c.keptRows.length; x++) localOf[c.keptRows[x] ?? 0] = keptCount + x;
      for (let x = 0; x < c.left.length; x++)
        kept.push(c.left[x] ?? 0, localOf[(c.right[x] ?? 0) - base] ?? 0, c.tag[x] ?? 0, c.weight[x] ?? 0);
      keptCount += c.keptRows.length;
      for (let b = 0; b < hist.length; b++) hist[b] = (hist[b] ?? 0) + (c.hist[b] ?? 0);
      c.newPairs.forEach((v, p) => {
        at(stats, p).newPairs += v;
      });
      scored += c.scored;
      keptRecords.push(c.records);
      // The chunks are merged in the order they were read: this chunk's records the cycle names,
      // less those already kept.
      const named = cycleIds ? cycleRows.shift() : undefined;
      if (named) {
        const keptRows = new Set(c.keptRows);
        const flags = Uint8Array.from(named.rows, (r) => (keptRows.has(r) ? 0 : 1));
        if (flags.includes(1)) cycleRecords.push(filterBatch(named.batch, flags));
      }
      base += c.length;
      matchProgress(opts.onProgress, 'score', base, nR, 'plan records');
    },
  );
  sameList(second.trailer, base, nR);

  // Kept pairs in the whole-file path's order: CoC record, the pass and key that found the pair
  // first, plan record. Keys are unique (one entry per pair), so three stable radix sorts, least
  // significant key first, give the comparator sort's order in linear time.
  const n = kept.n;
  const bufs = [new Uint32Array(n), new Uint32Array(n)] as const;
  let order = bufs[0];
  for (let x = 0; x < n; x++) order[x] = x;
  for (const key of [kept.right, kept.tag, kept.left])
    order = stableReorder(key.subarray(0, n), order, order === bufs[0] ? bufs[1] : bufs[0]);
  const left = new Uint32Array(n);
  const right = new Uint32Array(n);
  const weight = new Float64Array(n);
  for (let y = 0; y < n; y++) {
    const x = order[y] ?? 0;
    left[y] = kept.left[x] ?? 0;
    right[y] = kept.right[x] ?? 0;
    weight[y] = kept.weight[x] ?? 0;
  }
  const all = [...keptRecords, ...cycleRecords];
  const records = all.length === 0 ? emptyBatch(planMeta) : concatBatches(all);
  preset(records);
  let cum = 0;
  for (const s of stats) {
    cum += s.newPairs;
    s.cumulativePairs = cum;
  }
  return {
    scored: { pairs: { left, right, weight }, hist: Array.from(hist), scored, passes: stats },
    records,
    planRecords: nR,
    model,
    ...(planRows ? { rows: planRows } : {}),
  };
}

/**
 * Training's second and third readings of the plan (its first, counting, rode on the match's
 * first reading): the u sample, then the EM sessions' patterns; the model.
 */
async function train(
  t: ModelTraining,
  open: () => Promise<{ batches: AsyncIterable<EncodedBatch>; trailer: EncodedTrailer }>,
  size: number,
  sameList: (trailer: EncodedTrailer, records: number) => void,
): Promise<LinkageModel> {
  t.endCounting();
  for (const stage of ['u', 'em'] as const) {
    let base = 0;
    const f = await open();
    for await (const chunk of chunks(f.batches, size)) {
      if (stage === 'u') t.uChunk(chunk, base);
      else t.emChunk(chunk);
      base += chunk.length;
    }
    sameList(f.trailer, base);
    if (stage === 'u') t.endU();
  }
  return t.finish();
}

/** The error of `checkNotEmpty`, for a list known to be empty. */
function emptyList(side: '--coc' | '--mcp'): BloomlinkError {
  return new BloomlinkError(
    'INPUT_INVALID',
    `the ${side} file holds no records (every row of its list was rejected, or the list was empty); see that list's rejection report`,
  );
}

/** A pass's statistics from the block sizes alone (all but `newPairs`, as the generator counts them). */
function passStats(p: CocPass, maxBlock: number): PassStats {
  const st = noPassStats(p.name);
  for (let e = 0; e < p.keys.length; e++) {
    const size = p.planCount[e] ?? 0;
    if (size > st.largestBlock) st.largestBlock = size;
    if (size > maxBlock) {
      st.cappedBlocks++;
      st.cappedPairs += size;
    } else st.pairs += size;
  }
  return st;
}
