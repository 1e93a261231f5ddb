/**
 * Training in stages that take the plan side chunk by chunk (issue #16): `trainModel` runs them on
 * the whole plan as one chunk, a streamed match (`matchStreaming` without a model) on each chunk of
 * three readings of the plan file. The stages give the same input to the model fit either way:
 *
 * 1. counting (`count`): the plan's size, a seeded hash of each plan ID (4 bytes a record: the
 *    plan's ID order), the term-frequency tables (the CoC side's values over both lists) and, per
 *    training rule, how many plan records hold each CoC record's key (the training blocks' sizes);
 *    then (`endCounting`) the plan's ID order, the u sample's pairs drawn by rank from the seeded
 *    generator and the training sample of CoC records, as `trainModel` always drew them;
 * 2. u (`uChunk`): each sampled pair evaluated in the chunk that holds its plan record; a rank that
 *    falls among plan IDs of equal hash (ordered by ID, which only a reading gives) is evaluated
 *    against each of them and resolved at `endU`. Integer counts: the same u;
 * 3. EM (`emChunk`): the pairs of sampled CoC records with plan records sharing a training key in
 *    blocks of at most `maxBlockSize`, counted by agreement pattern and prior-shift bin (which needs
 *    u, hence a reading of its own). `PatternCounter` tables are sorted, so any order of the pairs
 *    gives the same EM input.
 */

import { keyDirectory, lowerBound } from '../block/blocking.js';
import { type ComparisonSpec, levelCount } from '../compare/comparisons.js';
import { NULL_LEVEL, PatternCounter, type PatternTable } from '../compare/patterns.js';
import type { EncodedBatch } from '../encoded/batch.js';
import { idBytesOf } from '../encoded/lazy-ids.js';
import { grown } from '../util/bytes.js';
import { at } from '../util/defined.js';
import { idHash, idHashesOfAscii, idOrder, orderByHash, sortTies } from '../util/id-order.js';
import { Random } from '../util/prng.js';
import { FrequencyCount } from './frequency.js';
import { BatchLevels } from './score.js';
import type { TrainingRule, TrainOptions } from './train.js';

/** Added to every level's count of the random pairs before u is taken from them. */
export const U_SMOOTHING = 0.5;
/**
 * Prior-shift bins of a training session (natural log of a pair's match odds relative to the
 * session's average, from the frequencies of the values it agrees on): −10 … +14 in steps of 0.25.
 * Pairs are counted per bin, so EM sees each pair's own prior at the cost of more patterns.
 */
const SHIFT_MIN = -10;
const SHIFT_STEP = 0.25;
/** Number of prior-shift bins (the last position of a training pattern). */
export const SHIFT_BINS = 97;
/** The centre of each prior-shift bin. */
export const SHIFT_CENTRES = Array.from({ length: SHIFT_BINS }, (_, b) => SHIFT_MIN + b * SHIFT_STEP);

/**
 * `src[order[x]]` for each x, in a fresh array: a plain loop (`Uint32Array.from` with a mapping
 * function costs about 0.2 µs an element, 0.4 s for the u sample's 10⁶ pairs).
 */
function gather(order: ArrayLike<number>, src: ArrayLike<number>): Uint32Array<ArrayBuffer> {
  const out = new Uint32Array(order.length);
  for (let x = 0; x < order.length; x++) out[x] = src[order[x] as number] as number;
  return out;
}

function shiftBin(shift: number): number {
  const b = Math.round((shift - SHIFT_MIN) / SHIFT_STEP);
  return Math.min(Math.max(b, 0), SHIFT_BINS - 1);
}

/** A hash column of the left list and its value frequencies over both lists. */
interface TfColumn {
  readonly values: Uint32Array;
  readonly table: { readonly counts: Map<number, number>; readonly total: number };
}

/** log of the frequency of left record i's value (as scoring's TF: at least one occurrence). */
function logFrequency(f: TfColumn, i: number): number {
  const count = f.table.counts.get(f.values[i] ?? 0) ?? 1;
  return Math.log(Math.max(count, 1) / f.table.total);
}

/**
 * log of the frequency of left record i's joint value among the others: its count over both lists
 * less two (the record itself and, usually, its match), −∞ when nothing is left — the caller takes
 * the larger of this and the product of the single values' frequencies, so a combination seen only
 * in the pair itself falls back to independence, while a common one (JOSE GARCIA) counts as common.
 */
function logJointFrequency(f: TfColumn, i: number): number {
  const count = (f.table.counts.get(f.values[i] ?? 0) ?? 0) - 2;
  return count > 0 ? Math.log(count / f.table.total) : Number.NEGATIVE_INFINITY;
}

function mixKey(h: number, x: number): number {
  let k = Math.imul(x, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  const r = h ^ k;
  return (Math.imul((r << 13) | (r >>> 19), 5) + 0xe6546b64) | 0;
}

interface RuleColumn {
  readonly offsets: Uint32Array;
  readonly keys: Uint32Array;
}

/**
 * Exact-key column of a rule over records `from..to−1` of a batch (one key per record; none when a
 * feature is missing); `offsets` are indexed from `from`.
 */
function ruleColumn(
  batch: EncodedBatch,
  rule: { readonly features: readonly string[] },
  from = 0,
  to = batch.length,
): RuleColumn | undefined {
  const cols: Uint32Array[] = [];
  for (const f of rule.features) {
    const c = batch.hashes[f];
    if (c === undefined) return undefined;
    cols.push(c);
  }
  const offsets = new Uint32Array(to - from + 1);
  // At most one key a record: a typed array, not a growing array of (mostly heap) numbers.
  const keys = new Uint32Array(to - from);
  let n = 0;
  for (let i = from; i < to; i++) {
    const key = ruleKey(cols, i);
    if (key >= 0) keys[n++] = key;
    offsets[i - from + 1] = n;
  }
  return { offsets, keys: keys.slice(0, n) };
}

/**
 * A training rule's key of record `i`: its features' hashes (`cols`, one column a feature) mixed in
 * order; −1 when a feature has no hash (0). The one definition both the plan's counting and the
 * chunked look-up use, so the plan counted whole or in chunks gives the same sessions.
 * @example
 * ```ts
 * ruleKey([Uint32Array.of(7, 0), Uint32Array.of(9, 5)], 1); // −1: record 1 has no hash of the first feature
 * ```
 */
export function ruleKey(cols: readonly Uint32Array[], i: number): number {
  let h = 0x9e3779b9;
  for (let k = 0; k < cols.length; k++) {
    const v = (cols[k] as Uint32Array)[i] as number;
    if (v === 0) return -1;
    h = mixKey(h, v);
  }
  return h >>> 0;
}

/** A rule column's key per record (0 when the record has none). */
function perRecord(col: RuleColumn, n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++)
    if ((col.offsets[i + 1] ?? 0) > (col.offsets[i] ?? 0)) out[i] = col.keys[col.offsets[i] ?? 0] ?? 0;
  return out;
}

/**
 * Picks up to `n` of the records, seeded, as ranks in their ID order `order` (so by ID, not
 * position); returns their positions in increasing order.
 */
function sampleRecords(order: Uint32Array, n: number, rng: Random): Uint32Array {
  const total = order.length;
  if (n >= total) return Uint32Array.from({ length: total }, (_, i) => i);
  // Floyd's algorithm, then sort.
  const chosen = new Set<number>();
  for (let j = total - n; j < total; j++) {
    const t = rng.below(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Uint32Array.from(chosen, (r) => order[r] ?? r).sort();
}

/** A term-frequency level of a comparison, with u of the level and its frequency table. */
interface TfLevel {
  readonly k: number;
  readonly level: number;
  readonly logU: number;
  readonly f: TfColumn;
}

/** One training rule: the CoC side's keys indexed, the plan's block sizes, the session's counts. */
interface RuleState {
  readonly rule: TrainingRule;
  readonly forced: number[];
  /** The CoC side's keys, sorted, with their records. */
  readonly keys: Uint32Array;
  /** `keyDirectory(keys)`: a plan key is looked up in its bucket, not all of `keys`. */
  readonly dir: Uint32Array;
  readonly records: Uint32Array;
  /** Plan records holding each key (at every entry of a run of equal keys once counting ended). */
  readonly planCount: Uint32Array;
  /** The plan records of each key, when the plan was counted whole (`count(plan, { whole: true })`). */
  blocks: SessionBlocks | undefined;
  /** The forced values' frequency tables (name of the comparison, feature). */
  readonly forcedFeatures: readonly { readonly k: number; readonly feature: string }[];
  /** Frequencies of the CoC side's joint keys (two or more forced values with term frequencies). */
  readonly joint: FrequencyCount | undefined;
  readonly counter: PatternCounter;
  forcedTf: { readonly k: number; readonly logU: number; readonly f: TfColumn }[];
  jointTf: TfColumn | undefined;
  activeTf: TfLevel[];
}

/** What the stages give the model fit (EM and λ rounds). */
export interface TrainingInput {
  /** u of every level from the random pairs as they are (smoothed counts; true pairs included). */
  readonly u: number[][];
  /** The random pairs' counts per comparison and level (non-null pairs), before smoothing. */
  readonly uCounts: number[][];
  readonly nonNull: number[];
  /**
   * Levels whose log u (as in `u`) the sessions' prior shifts hold (`[k, level]`: the term-frequency
   * levels of the active comparisons): a pair at such a level has the prior shift log(u / u_v), so EM
   * must see that same u there for the two to cancel into m / u_v, the weight scoring gives it.
   */
  readonly tfLevels: readonly (readonly [number, number])[];
  readonly sessions: readonly {
    readonly rule: TrainingRule;
    readonly forced: readonly number[];
    /** The forced comparisons whose exact level's log u (as in `u`) the session's prior shifts hold. */
    readonly forcedTf: readonly number[];
    readonly table: PatternTable;
  }[];
  readonly detLinks: number;
  readonly sampled: number;
  readonly nL: number;
  readonly nR: number;
  readonly uSamplePairs: number;
}

/**
 * The plan-side stages of training (see the module comment): `count` every chunk, `endCounting`,
 * `uChunk` every chunk, `endU`, `emChunk` every chunk, then `input()` for the fit. The chunks of
 * each reading must be the plan's records in file order; their sizes do not matter.
 * @example
 * ```ts
 * const t = new TrainingStages(coc, DEFAULT_COMPARISONS, {}, DEFAULT_TRAINING_RULES);
 * t.count(mcp); t.endCounting(); t.uChunk(mcp, 0); t.endU(); t.emChunk(mcp);
 * const input = t.input();
 * ```
 */
export class TrainingStages {
  private readonly seed: number;
  private readonly rng: Random;
  private readonly orderL: Uint32Array;
  private readonly nL: number;
  private readonly tfOn: boolean;
  private readonly maxBlock: number;
  private readonly uSamples: number;
  private readonly K: number;
  private nR = 0;
  private idHashes = new Uint32Array(1024);
  private readonly freqs = new Map<string, FrequencyCount>();
  private rules: RuleState[] | undefined;
  // ── after counting
  private all = false;
  private uTotal = 0;
  private uLeft = new Uint32Array(0);
  private uRight = new Uint32Array(0);
  private uNext = 0;
  private uDone = 0;
  private emDone = 0;
  /** Ranks of the u sample among plan IDs of equal hash: runs, and the pairs waiting on them. */
  private runs: Uint32Array[] = [];
  private readonly runOf = new Map<number, { run: number; member: number }>();
  private tiePositions = new Uint32Array(0);
  private tieNext = 0;
  private readonly tieIds = new Map<number, string>();
  private pending: { left: number; run: number; offset: number; levels: (Uint8Array | undefined)[] }[] = [];
  private sampleOf = new Int32Array(0);
  private sample: Uint32Array = new Uint32Array(0);
  private sampled = 0;
  private linked = new Uint8Array(0);
  private readonly uCounts: Float64Array[];
  private readonly uNonNull: Float64Array;
  /** The u sample's levels tallied per comparison and byte value (`k * 256 + level`), folded in at the end. */
  private readonly uHist: Float64Array;
  /** `tally`'s lanes ({@link tallyLevels}), folded into `uHist` by `endU`. */
  private readonly uLanes: Float64Array;
  /** The u pairs are not in plan order: the plan is read as one chunk (`endCounting`'s `oneChunk`). */
  private uOneChunk = false;
  // ── after u
  private u: number[][] = [];
  private tfLevels: (readonly [number, number])[] = [];
  private nonNull: number[] = [];
  private counting: SessionCounting | undefined;

  constructor(
    private readonly left: EncodedBatch,
    private readonly specs: readonly ComparisonSpec[],
    private readonly opts: TrainOptions,
    private readonly trainingRules: readonly TrainingRule[],
  ) {
    this.seed = opts.seed ?? 42;
    this.rng = new Random(this.seed);
    this.nL = left.length;
    // Samples are drawn by rank in a seeded order of the record IDs: row order cannot change them.
    this.orderL = idOrder(left.ids, this.seed);
    this.tfOn = opts.termFrequency ?? true;
    this.maxBlock = opts.maxBlockSize ?? 500;
    this.uSamples = opts.uSamplePairs ?? 1_000_000;
    this.K = specs.length;
    this.uCounts = specs.map((s) => new Float64Array(levelCount(s)));
    this.uNonNull = new Float64Array(specs.length);
    this.uHist = new Float64Array(specs.length * 256);
    this.uLanes = new Float64Array(specs.length * TALLY_LANES * 256);
  }

  private idx(name: string): number {
    return this.specs.findIndex((s) => s.name === name);
  }

  /** The features with term-frequency tables (both lists hold them, TF on), decided at the first chunk. */
  private setUp(chunk: EncodedBatch): RuleState[] {
    const has = (f: string) =>
      this.tfOn && this.left.hashes[f] !== undefined && chunk.hashes[f] !== undefined;
    const wanted = new Set<string>();
    for (const sp of this.specs) for (const lv of sp.levels) if (lv.tf && has(lv.tf)) wanted.add(lv.tf);
    const rules: RuleState[] = [];
    for (const rule of this.trainingRules) {
      const l = ruleColumn(this.left, rule);
      if (!l || !rule.features.every((f) => chunk.hashes[f] !== undefined)) continue;
      const forced = rule.forces.map((n) => this.idx(n)).filter((k) => k >= 0);
      const forcedFeatures =
        rule.features.length !== rule.forces.length
          ? []
          : rule.forces.flatMap((name, j) => {
              const k = this.idx(name);
              const f = at(rule.features, j);
              return k >= 0 && has(f) ? [{ k, feature: f }] : [];
            });
      for (const f of forcedFeatures) wanted.add(f.feature);
      const jointOn =
        this.tfOn && forcedFeatures.length >= 2 && forcedFeatures.length === rule.features.length;
      const n = l.keys.length;
      const own = new Uint32Array(n);
      for (let i = 0; i < this.nL; i++)
        for (let q = l.offsets[i] ?? 0; q < (l.offsets[i + 1] ?? 0); q++) own[q] = i;
      const order = orderByHash(l.keys);
      const keys = gather(order, l.keys);
      rules.push({
        rule,
        forced,
        keys,
        dir: keyDirectory(keys),
        records: gather(order, own),
        planCount: new Uint32Array(n),
        blocks: undefined,
        forcedFeatures,
        joint: jointOn ? new FrequencyCount(perRecord(l, this.nL)) : undefined,
        counter: new PatternCounter([...this.specs.map(levelCount), SHIFT_BINS]),
        forcedTf: [],
        jointTf: undefined,
        activeTf: [],
      });
    }
    for (const f of wanted) this.freqs.set(f, new FrequencyCount(at2(this.left.hashes, f)));
    return rules;
  }

  /**
   * Stage 1: counts a chunk of the plan (IDs, term frequencies, training blocks' sizes). `whole`:
   * the chunk is the whole plan (no other chunk comes), and each training block's plan records are
   * kept (4 bytes a plan record with a key, per rule), so that the EM sessions' pairs are read from
   * them ({@link countSessionPairs}) instead of every EM piece looking the plan's keys up again.
   */
  count(chunk: EncodedBatch, opts: { readonly whole?: boolean } = {}): void {
    if (opts.whole && this.nR > 0) throw new Error('training: the whole plan counted after another chunk');
    if (!this.rules) this.rules = this.setUp(chunk);
    const rules = this.rules;
    const m = chunk.length;
    if (this.nR + m > this.idHashes.length) {
      const grown = new Uint32Array(Math.max(this.nR + m, this.idHashes.length * 2));
      grown.set(this.idHashes.subarray(0, this.nR));
      this.idHashes = grown;
    }
    const seedR = this.seed ^ 0x5bd1e995;
    // A lazy list's IDs (a large plan's, kept as the file's bytes) are hashed from their bytes.
    const utf8 = idBytesOf(chunk.ids);
    if (utf8 && utf8.offsets.length === m + 1)
      idHashesOfAscii(utf8.offsets, utf8.bytes, seedR, this.idHashes, this.nR);
    else for (let j = 0; j < m; j++) this.idHashes[this.nR + j] = idHash(chunk.ids[j] ?? '', seedR);
    this.nR += m;
    for (const [f, count] of this.freqs) count.add(at2(chunk.hashes, f));
    for (const r of rules) {
      const cols: Uint32Array[] = [];
      for (const f of r.rule.features) {
        const c = chunk.hashes[f];
        if (c) cols.push(c);
      }
      if (cols.length < r.rule.features.length) continue;
      const { keys, dir, planCount } = r;
      const n = keys.length;
      // The key entry (first of its run) of each plan record's key, −1 when no CoC record holds it.
      const entry = opts.whole ? new Int32Array(m).fill(-1) : undefined;
      // Each plan record's key (0: none), for the joint frequencies.
      const joint = r.joint ? new Uint32Array(m) : undefined;
      // One loop: each record's key (`ruleKey`, as `ruleColumn` makes it), looked up at once (no key
      // column in between).
      for (let j = 0; j < m; j++) {
        const key = ruleKey(cols, j);
        if (key < 0) continue;
        if (joint) joint[j] = key;
        const b = key >>> 16;
        const e = lowerBound(keys, key, dir[b] as number, dir[b + 1] as number);
        if (e < n && keys[e] === key) {
          planCount[e] = (planCount[e] as number) + 1;
          if (entry) entry[j] = e;
        }
      }
      if (entry) r.blocks = sessionBlocks(keys, planCount, entry, this.maxBlock);
      if (r.joint && joint) r.joint.add(joint);
    }
  }

  /** Term-frequency tables of the features training uses (complete once counting ended). */
  frequencyTables(): ReadonlyMap<string, { counts: Map<number, number>; total: number }> {
    return this.freqs;
  }

  /** Plan records counted. */
  get planRecords(): number {
    return this.nR;
  }

  /** End of stage 1: the plan's ID order, the u sample's pairs and the CoC training sample. */
  endCounting(opts: { readonly oneChunk?: boolean } = {}): void {
    this.rules ??= [];
    const rules = this.rules;
    for (const r of rules)
      for (let e = 1; e < r.keys.length; e++)
        if (r.keys[e] === r.keys[e - 1]) r.planCount[e] = r.planCount[e - 1] ?? 0;
    const { nL, nR } = this;
    this.all = nL * nR <= this.uSamples;
    this.uTotal = this.all ? nL * nR : this.uSamples;
    if (!this.all) {
      const hash = this.idHashes.subarray(0, nR);
      const orderR = orderByHash(hash);
      // Runs of equal hashes: idOrder puts them in ID order, known only when a reading passes them.
      const rankRun = new Map<number, number>();
      const members: number[] = [];
      for (let s = 0; s < nR; ) {
        let e = s + 1;
        while (e < nR && hash[orderR[e] ?? 0] === hash[orderR[s] ?? 0]) e++;
        if (e - s > 1) {
          const run = orderR.slice(s, e);
          for (let r = s; r < e; r++) rankRun.set(r, this.runs.length);
          run.forEach((p, member) => {
            this.runOf.set(p, { run: this.runs.length, member });
            members.push(p);
          });
          this.runs.push(run);
        }
        s = e;
      }
      this.tiePositions = Uint32Array.from(members).sort();
      const runStart = new Map<number, number>();
      for (const [r, run] of rankRun) if (!runStart.has(run)) runStart.set(run, r);
      const li = new Uint32Array(this.uTotal);
      const rj = new Uint32Array(this.uTotal);
      let n = 0;
      const { orderL, rng } = this;
      // Most lists have no equal ID hashes at all: then no rank needs looking up.
      const ties = rankRun.size > 0;
      for (let s = 0; s < this.uTotal; s++) {
        const l = orderL[rng.below(nL)] ?? 0;
        const rank = rng.below(nR);
        const run = ties ? rankRun.get(rank) : undefined;
        if (run === undefined) {
          li[n] = l;
          rj[n] = orderR[rank] ?? 0;
          n++;
        } else
          this.pending.push({
            left: l,
            run,
            offset: rank - (runStart.get(run) ?? 0),
            levels: Array.from(at(this.runs, run), () => undefined),
          });
      }
      if (opts.oneChunk) {
        // The whole plan is the one chunk `uChunk` reads: no need to put the pairs in plan order
        // (the u counts are whole numbers, so their order changes no sum).
        this.uLeft = li.subarray(0, n);
        this.uRight = rj.subarray(0, n);
        this.uOneChunk = true;
      } else {
        // In plan order, so each chunk takes the next slice.
        const byRight = orderByHash(rj.subarray(0, n));
        this.uLeft = gather(byRight, li);
        this.uRight = gather(byRight, rj);
      }
    }
    this.idHashes = new Uint32Array(0);
    const sample = sampleRecords(this.orderL, this.opts.trainingRecords ?? 50_000, this.rng);
    this.sampled = sample.length;
    this.sample = sample;
    this.sampleOf = new Int32Array(nL).fill(-1);
    sample.forEach((i, s) => {
      this.sampleOf[i] = s;
    });
    this.linked = new Uint8Array(sample.length);
  }

  /**
   * Adds the levels of the last `run` of `n` candidates to the u tally: per comparison a count of
   * each byte value (the null level included, skipped when folded in), no branch per pair, so the u
   * sample's 10⁶ pairs × comparisons cost little next to their levels.
   */
  private tally(out: readonly Uint8Array[], n: number): void {
    tallyLevels(this.uLanes, this.K, out, n);
  }

  /**
   * The u sample's pairs (CoC and plan positions) when the plan is read as one chunk
   * (`endCounting({ oneChunk: true })`, not every pair): other threads may tally them
   * ({@link tallyUPairs}, in any slices) and give `uChunk` their tallies. Undefined otherwise.
   */
  uPairs(): { readonly left: Uint32Array; readonly right: Uint32Array } | undefined {
    return this.uOneChunk && !this.all ? { left: this.uLeft, right: this.uRight } : undefined;
  }

  /**
   * Stage 2: evaluates the u sample's pairs whose plan record is in this chunk (`base`: its first
   * record's position in the plan). `levels` (over the CoC list and this chunk) is built when absent.
   * `tallies`: the pairs of {@link TrainingStages.uPairs} already tallied elsewhere ({@link tallyUPairs}
   * over slices of them, whole numbers summed here); the pairs tied on an ID hash are still evaluated here.
   */
  uChunk(chunk: EncodedBatch, base: number, levels?: BatchLevels, tallies?: readonly Float64Array[]): void {
    const m = chunk.length;
    // Built on first use: most small chunks hold no sampled pair.
    let built = levels;
    const batchLevels = () => {
      built ??= new BatchLevels(this.specs, this.left, chunk);
      return built;
    };
    if (this.all) {
      const lv = batchLevels();
      const J = new Uint32Array(m);
      for (let j = 0; j < m; j++) J[j] = j;
      for (let i = 0; i < this.nL; i++)
        for (let from = 0; from < m; from += lv.capacity) {
          const n = Math.min(lv.capacity, m - from);
          lv.run(i, J, from, n);
          this.tally(lv.out, n);
        }
      this.uDone += this.nL * m;
    } else {
      const start = this.uNext;
      let end = start;
      if (this.uOneChunk) {
        if (base !== 0 || m !== this.nR)
          throw new Error('training: endCounting({ oneChunk }) but the plan came in chunks');
        end = this.uRight.length;
      } else while (end < this.uRight.length && (this.uRight[end] ?? 0) < base + m) end++;
      this.uNext = end;
      if (tallies) {
        if (!this.uOneChunk) throw new Error('training: u tallies given but the plan came in chunks');
        // Whole numbers: summed in any order, the same counts.
        const hist = this.uHist;
        for (const t of tallies)
          for (let x = 0; x < hist.length; x++) hist[x] = (hist[x] as number) + (t[x] ?? 0);
      } else
        tallyUPairs(
          this.uLeft.subarray(start, end),
          this.uRight.subarray(start, end),
          this.nL,
          base,
          batchLevels,
          this.uHist,
        );
      this.uDone += end - start;
      // Plan records whose ID hash ties with another's: their IDs, and each waiting pair's levels.
      const one = new Uint32Array(1);
      while (this.tieNext < this.tiePositions.length && (this.tiePositions[this.tieNext] ?? 0) < base + m) {
        const p = this.tiePositions[this.tieNext++] ?? 0;
        this.tieIds.set(p, chunk.ids[p - base] ?? '');
        const where = this.runOf.get(p);
        if (!where) continue;
        one[0] = p - base;
        for (const w of this.pending) {
          if (w.run !== where.run) continue;
          const lv = batchLevels();
          lv.run(w.left, one, 0, 1);
          w.levels[where.member] = Uint8Array.from(lv.out, (o) => o[0] ?? 0);
        }
      }
    }
    this.opts.onProgress?.({ stage: 'u', done: Math.min(this.uDone, this.uTotal), total: this.uTotal });
  }

  /** End of stage 2: the waiting pairs resolved, u and the non-null rates, the sessions' TF set-up. */
  endU(): void {
    for (const w of this.pending) {
      const run = at(this.runs, w.run);
      const sorted = run.slice();
      sortTies(sorted, (p) => this.tieIds.get(p) ?? '');
      const member = run.indexOf(sorted[w.offset] ?? 0);
      const levels = w.levels[member];
      if (!levels) throw new Error('training: a tied plan record was not read');
      this.tally(
        Array.from(levels, (l) => Uint8Array.of(l)),
        1,
      );
    }
    this.pending = [];
    foldLanes(this.uLanes, this.uHist);
    this.uLeft = new Uint32Array(0);
    this.uRight = new Uint32Array(0);
    const total = this.uTotal;
    // Counts are whole numbers, so tallying them per byte value first changes no sum.
    for (let k = 0; k < this.K; k++) {
      const c = at(this.uCounts, k);
      for (let l = 0; l < 256; l++) {
        const h = this.uHist[k * 256 + l] ?? 0;
        if (l === NULL_LEVEL || h === 0) continue;
        if (l < c.length) c[l] = (c[l] ?? 0) + h;
        this.uNonNull[k] = (this.uNonNull[k] ?? 0) + h;
      }
    }
    this.uHist.fill(0);
    this.u = this.uCounts.map((c) => {
      const sum = c.reduce((a, b) => a + b, 0);
      return Array.from(c, (x) => (x + U_SMOOTHING) / (sum + U_SMOOTHING * c.length));
    });
    this.nonNull = Array.from(this.uNonNull, (x) => x / Math.max(total, 1));
    const u = this.u;
    const tf = (feature: string): TfColumn | undefined => {
      const table = this.freqs.get(feature);
      const values = this.left.hashes[feature];
      return table && values ? { values, table } : undefined;
    };
    // Term-frequency levels of the comparisons (as scoring applies them): in EM a pair at such a
    // level has the u of its own value, not the level's average — u is fixed, so it is a per-pair prior.
    const tfLevels = this.specs.flatMap((sp, k) =>
      sp.levels.flatMap((lv, l) => {
        const f = lv.tf ? tf(lv.tf) : undefined;
        if (!f) return [];
        const n = sp.levels.length;
        return (sp.splitByDq ? [l, l + n] : [l]).map((level) => ({
          k,
          level,
          logU: Math.log(at(at(u, k), level)),
          f,
        }));
      }),
    );
    for (const r of this.rules ?? []) {
      // The values the rule forces to agree: in a block of a common name (or a placeholder DOB) most
      // pairs are strangers, in a block of a rare one most are matches; the session's λ is an average.
      r.forcedTf = r.forcedFeatures.map(({ k, feature }) => ({
        k,
        logU: Math.log(at(at(u, k), 0)),
        f: tf(feature) as TfColumn,
      }));
      // Two or more forced values (first and last name): their joint frequency, not the product of
      // each one's — names are not independent (JOSE GARCIA is far commoner than JOSE × GARCIA).
      r.jointTf = r.joint ? { values: r.joint.left, table: r.joint } : undefined;
      r.activeTf = tfLevels.filter((t) => !r.forced.includes(t.k));
    }
    this.tfLevels = tfLevels.map((t) => [t.k, t.level] as const);
    this.counting = undefined;
  }

  /**
   * What counting the EM sessions' pairs needs once u is known (after `endU`), as plain data that can
   * be posted to worker threads: {@link countSessionPairs} over ranges of the plan there, then
   * {@link TrainingStages.addSessionCounts} here, gives the same sessions as `emChunk`. Each sampled
   * CoC record's prior-shift terms are computed here once, as `emChunk` computes them.
   */
  sessionCounting(): SessionCounting {
    if (this.counting) return this.counting;
    const { sample } = this;
    const rules = (this.rules ?? []).map((r): SessionRule => {
      const T = r.activeTf.length;
      const shiftBase = new Float64Array(sample.length);
      const tfShift = new Float64Array(sample.length * T);
      for (let s = 0; s < sample.length; s++) {
        const i = sample[s] as number;
        let base = 0;
        let logProduct = 0;
        // Indexed, not for…of (baseline code, per sampled record: an iterator costs a call a step).
        for (let q = 0; q < r.forcedTf.length; q++) {
          const t = at(r.forcedTf, q);
          base += t.logU;
          logProduct += logFrequency(t.f, i);
        }
        base -= r.jointTf ? Math.max(logProduct, logJointFrequency(r.jointTf, i)) : logProduct;
        shiftBase[s] = base;
        for (let t = 0; t < T; t++) {
          const tl = at(r.activeTf, t);
          tfShift[s * T + t] = tl.logU - logFrequency(tl.f, i);
        }
      }
      return {
        features: r.rule.features,
        keys: r.keys,
        records: r.records,
        planCount: r.planCount,
        ...(r.blocks ? { blocks: r.blocks } : {}),
        tfComparison: Int32Array.from(r.activeTf, (t) => t.k),
        tfLevel: Int32Array.from(r.activeTf, (t) => t.level),
        shiftBase,
        tfShift,
      };
    });
    this.counting = {
      maxBlock: this.maxBlock,
      sampleOf: this.sampleOf,
      sampled: this.sampled,
      det: {
        first: this.idx('FirstName'),
        last: this.idx('LastName'),
        dob: this.idx('DOB'),
        ssn: this.idx('SSN'),
      },
      levelCounts: [...this.specs.map(levelCount), SHIFT_BINS],
      rules,
    };
    return this.counting;
  }

  /**
   * Adds sessions counted elsewhere ({@link countSessionPairs} over `planRecords` of the plan's
   * records) to this training: pattern counts are whole numbers, so the sum is the same in any
   * order and the same as `emChunk` over those records.
   */
  addSessionCounts(counts: SessionCounts, planRecords: number): void {
    const rules = this.rules ?? [];
    if (counts.tables.length !== rules.length) throw new Error('training: session counts of other rules');
    counts.tables.forEach((table, ri) => {
      const counter = at(rules, ri).counter;
      const width = table.levelCounts.length;
      for (let x = 0; x < table.counts.length; x++)
        counter.add(table.patterns.subarray(x * width, (x + 1) * width), table.counts[x] ?? 0);
    });
    for (let s = 0; s < this.linked.length; s++) if (counts.linked[s]) this.linked[s] = 1;
    this.emDone += planRecords;
    this.opts.onProgress?.({ stage: 'em', done: this.emDone, total: this.nR });
  }

  /**
   * Stage 3: counts the training sessions' pairs (sampled CoC records with this chunk's plan
   * records sharing a training key, blocks of at most `maxBlockSize`) by pattern and prior shift.
   */
  emChunk(chunk: EncodedBatch, levels?: BatchLevels): void {
    let lv = levels;
    countSessionPairs(
      this.sessionCounting(),
      chunk,
      0,
      chunk.length,
      () => {
        lv ??= new BatchLevels(this.specs, this.left, chunk);
        return lv;
      },
      (this.rules ?? []).map((r) => r.counter),
      this.linked,
    );
    this.emDone += chunk.length;
    this.opts.onProgress?.({ stage: 'em', done: this.emDone, total: this.nR });
  }

  /** The fit's input, once the three stages have seen every chunk. */
  input(): TrainingInput {
    let detLinks = 0;
    for (const l of this.linked) detLinks += l;
    return {
      u: this.u,
      uCounts: this.uCounts.map((c) => Array.from(c)),
      nonNull: this.nonNull,
      tfLevels: this.tfLevels,
      sessions: (this.rules ?? []).map((r) => ({
        rule: r.rule,
        forced: r.forced,
        forcedTf: r.forcedTf.map((t) => t.k),
        table: r.counter.toTable(),
      })),
      detLinks,
      sampled: this.sampled,
      nL: this.nL,
      nR: this.nR,
      uSamplePairs: Math.min(this.uSamples, this.nL * this.nR),
    };
  }
}

function at2(hashes: Readonly<Record<string, Uint32Array>>, f: string): Uint32Array {
  const c = hashes[f];
  if (!c) throw new Error(`training: hash feature ${f} missing`);
  return c;
}

/** Whether a pattern is a deterministic link (SSN exact, or names and DOB exact). */
export function isDeterministic(
  levels: Uint8Array,
  det: { first: number; last: number; dob: number; ssn: number },
): boolean {
  if (det.ssn >= 0 && levels[det.ssn] === 0) return true;
  return (
    det.first >= 0 &&
    det.last >= 0 &&
    det.dob >= 0 &&
    levels[det.first] === 0 &&
    levels[det.last] === 0 &&
    levels[det.dob] === 0
  );
}

/** Lanes of {@link tallyLevels}' tally. */
const TALLY_LANES = 4;

/**
 * Adds `n` candidates' levels (`out`, per comparison) to a per-comparison, per-byte-value tally
 * kept in {@link TALLY_LANES} lanes (`lanes[(k * TALLY_LANES + x % TALLY_LANES) * 256 + level]`;
 * {@link foldLanes} sums them): most of the u sample's pairs share a level, and one tally would
 * make each increment wait for the one before at the same place (≈ 2× the CPU on 10⁶ pairs).
 */
function tallyLevels(lanes: Float64Array, K: number, out: readonly Uint8Array[], n: number): void {
  for (let k = 0; k < K; k++) {
    const o = at(out, k);
    const b0 = k * TALLY_LANES * 256;
    const b1 = b0 + 256;
    const b2 = b1 + 256;
    const b3 = b2 + 256;
    let x = 0;
    for (; x + TALLY_LANES <= n; x += TALLY_LANES) {
      const j0 = b0 + (o[x] as number);
      const j1 = b1 + (o[x + 1] as number);
      const j2 = b2 + (o[x + 2] as number);
      const j3 = b3 + (o[x + 3] as number);
      lanes[j0] = (lanes[j0] as number) + 1;
      lanes[j1] = (lanes[j1] as number) + 1;
      lanes[j2] = (lanes[j2] as number) + 1;
      lanes[j3] = (lanes[j3] as number) + 1;
    }
    for (; x < n; x++) {
      const j = b0 + (o[x] as number);
      lanes[j] = (lanes[j] as number) + 1;
    }
  }
}

/** Adds {@link tallyLevels}' lanes into `hist` (`k * 256 + level`) and clears them (whole numbers: the same counts). */
function foldLanes(lanes: Float64Array, hist: Float64Array): void {
  addLanes(lanes, hist);
  lanes.fill(0);
}

/** `foldLanes`' loop alone (its optimised code was dropped at the `fill` after it, not yet run). */
function addLanes(lanes: Float64Array, hist: Float64Array): void {
  for (let j = 0; j < hist.length; j++) {
    const b = (j >> 8) * TALLY_LANES * 256 + (j & 255);
    let sum = hist[j] as number;
    for (let l = 0; l < TALLY_LANES; l++) sum += lanes[b + l * 256] as number;
    hist[j] = sum;
  }
}

/**
 * Tallies the levels of u-sample pairs (`lefts[x]`, `rights[x]`: CoC position, plan position; the
 * plan chunk `levels` reads starts at plan position `base`) into `hist`, per comparison and byte
 * value (`k * 256 + level`, the null level included). Whole numbers: tallies of any slices of the
 * pairs, summed, equal the tally of all of them, which lets worker threads share the u sample.
 * @example
 * ```ts
 * const hist = new Float64Array(specs.length * 256);
 * tallyUPairs(pairs.left.subarray(0, half), pairs.right.subarray(0, half), coc.length, 0, () => levels, hist);
 * ```
 */
export function tallyUPairs(
  lefts: Uint32Array,
  rights: Uint32Array,
  nL: number,
  base: number,
  levels: () => BatchLevels,
  hist: Float64Array,
): void {
  // The pairs' plan records grouped by CoC record, in draw order within a record (one counting sort
  // straight into the candidate list: the pairs are read in order and each plan record written at
  // its group's next place, with no permutation gathered back; the order the records' levels are
  // tallied in does not matter, the counts being whole numbers).
  // A slice without a pair (most small chunks) needs no grouping.
  const n = lefts.length;
  const groups = n > 0 ? nL : 0;
  const first = new Uint32Array(groups + 1);
  const J = new Uint32Array(n);
  groupByLeft(lefts, rights, base, first, J);
  const K = hist.length / 256;
  const lanes = new Float64Array(K * TALLY_LANES * 256);
  tallyGroups(first, J, levels, lanes, K);
  foldLanes(lanes, hist);
}

/**
 * {@link tallyUPairs}' counting sort: `first[i] … first[i + 1]` (`first`: zeros, one more entry
 * than CoC records) becomes group i's range of `J`, which receives `rights[x] − base` of each pair
 * in draw order within its group. Typed arrays only, and nothing allocated after the first loop:
 * code optimised inside one of the 10⁶-pair loops (on-stack replacement) then runs to the end
 * instead of being dropped on reaching code that had not run yet, as it was inside `tallyUPairs`.
 */
function groupByLeft(
  lefts: Uint32Array,
  rights: Uint32Array,
  base: number,
  first: Uint32Array,
  J: Uint32Array,
): void {
  const n = lefts.length;
  const groups = first.length - 1;
  const next = new Uint32Array(groups);
  for (let x = 0; x < n; x++) {
    const g = (lefts[x] as number) + 1;
    first[g] = (first[g] as number) + 1;
  }
  for (let g = 1; g <= groups; g++) {
    const f = (first[g] as number) + (first[g - 1] as number);
    first[g] = f;
    if (g < groups) next[g] = f;
  }
  for (let x = 0; x < n; x++) {
    const i = lefts[x] as number;
    const at = next[i] as number;
    next[i] = at + 1;
    J[at] = (rights[x] as number) - base;
  }
}

/** {@link tallyUPairs}' tally: each group of `J` (ranges `first`) through the level kernel into `lanes`. */
function tallyGroups(
  first: Uint32Array,
  J: Uint32Array,
  levels: () => BatchLevels,
  lanes: Float64Array,
  K: number,
): void {
  for (let i = 0; i + 1 < first.length; i++) {
    const from0 = first[i] as number;
    const c = (first[i + 1] as number) - from0;
    if (c === 0) continue;
    const lv = levels();
    for (let from = 0; from < c; from += lv.capacity) {
      const cn = Math.min(lv.capacity, c - from);
      lv.run(i, J, from0 + from, cn);
      tallyLevels(lanes, K, lv.out, cn);
    }
  }
}

/**
 * The plan records of each training block (a rule's CoC key entries): those of key entry `e` are
 * `records[start[e] … start[e] + planCount[e])` (every entry of a run of equal keys has the same
 * start), in plan order; blocks above the size cap hold none (EM skips them).
 */
export interface SessionBlocks {
  /** Records of the plan the blocks were counted on (the plan the EM pieces must read). */
  readonly planRecords: number;
  readonly start: Uint32Array;
  readonly records: Uint32Array;
}

/**
 * The blocks of a rule counted over the whole plan: `entry[j]`, the first key entry of plan record
 * j's key (−1: none), put in key-entry order by one counting sort (plan order within a block).
 */
function sessionBlocks(
  keys: Uint32Array,
  planCount: Uint32Array,
  entry: Int32Array,
  maxBlock: number,
): SessionBlocks {
  const n = keys.length;
  const start = new Uint32Array(n);
  let total = 0;
  for (let e = 0; e < n; ) {
    let f = e + 1;
    while (f < n && keys[f] === keys[e]) f++;
    start.fill(total, e, f);
    const c = planCount[e] as number;
    if (c <= maxBlock) total += c;
    e = f;
  }
  const records = new Uint32Array(total);
  const next = start.slice();
  for (let j = 0; j < entry.length; j++) {
    const e = entry[j] as number;
    if (e < 0 || (planCount[e] as number) > maxBlock) continue;
    const at = next[e] as number;
    next[e] = at + 1;
    records[at] = j;
  }
  return { planRecords: entry.length, start, records };
}

/** One training rule's part of {@link SessionCounting}. */
export interface SessionRule {
  /** The hash features of the rule's key. */
  readonly features: readonly string[];
  /** The CoC side's keys, sorted, with their records. */
  readonly keys: Uint32Array;
  readonly records: Uint32Array;
  /** Plan records holding each key (the training block's size). */
  readonly planCount: Uint32Array;
  /** Each key's plan records, when the whole plan was counted at once (`count(plan, { whole: true })`). */
  readonly blocks?: SessionBlocks;
  /** The active term-frequency levels t: comparison and level. */
  readonly tfComparison: Int32Array;
  readonly tfLevel: Int32Array;
  /** Per sampled CoC record s: the forced values' part of the prior shift. */
  readonly shiftBase: Float64Array;
  /** At `s * T + t`: what a pair of sampled record s at TF level t adds to its prior shift. */
  readonly tfShift: Float64Array;
}

/**
 * What counting the EM sessions' pairs needs (`TrainingStages.sessionCounting`): typed arrays and
 * numbers only, so it can be posted to a worker thread.
 */
export interface SessionCounting {
  readonly maxBlock: number;
  /** Per CoC record, its index in the training sample (−1: not sampled). */
  readonly sampleOf: Int32Array;
  readonly sampled: number;
  /** The comparisons of the deterministic rules (−1: absent). */
  readonly det: { readonly first: number; readonly last: number; readonly dob: number; readonly ssn: number };
  /** The patterns' level counts: each comparison's, then the prior-shift bins. */
  readonly levelCounts: readonly number[];
  readonly rules: readonly SessionRule[];
}

/** Sessions counted over some plan records: a pattern table per rule, and the sampled records linked. */
export interface SessionCounts {
  readonly tables: readonly PatternTable[];
  /** Per sampled CoC record, 1 when one of its pairs is a deterministic link. */
  readonly linked: Uint8Array;
}

/**
 * A piece of the EM sessions' counting: one rule's CoC-side key entries `from..to−1` (whole runs of
 * equal keys), so that each CoC record's pairs stay together — its levels evaluated in as few kernel
 * calls as on one thread.
 */
export interface SessionPiece {
  readonly rule: number;
  readonly from: number;
  readonly to: number;
}

/**
 * Cuts each rule's key entries into at most `pieces` ranges of about equal pairs (the training
 * blocks' sizes of the sampled records), at boundaries between runs of equal keys.
 * @example
 * ```ts
 * const parts = sessionPieces(training.sessionCounting(), 4);
 * ```
 */
export function sessionPieces(c: SessionCounting, pieces: number): SessionPiece[] {
  const out: SessionPiece[] = [];
  c.rules.forEach((r, rule) => {
    const n = r.keys.length;
    const weight = (e: number) =>
      (c.sampleOf[r.records[e] ?? 0] ?? -1) >= 0 && (r.planCount[e] ?? 0) <= c.maxBlock
        ? (r.planCount[e] ?? 0) + 1
        : 1;
    let total = 0;
    for (let e = 0; e < n; e++) total += weight(e);
    const per = total / Math.max(1, pieces);
    let from = 0;
    let sum = 0;
    let made = 0;
    for (let e = 0; e < n; e++) {
      if (e > from && r.keys[e] !== r.keys[e - 1] && sum >= per * (made + 1)) {
        out.push({ rule, from, to: e });
        made++;
        from = e;
      }
      sum += weight(e);
    }
    if (n > from) out.push({ rule, from, to: n });
  });
  return out;
}

/**
 * Counts the EM sessions' pairs of plan records `from..to−1` of `chunk` (sampled CoC records with
 * plan records sharing a training key, in blocks of at most `maxBlock`) by agreement pattern and
 * prior-shift bin into `counters` (one per rule), and marks in `linked` the sampled records with a
 * deterministic link; with `piece`, only that rule's key entries. The counts of any split of the
 * plan or of the keys, summed, equal those of the whole. A rule whose blocks were kept (the plan
 * counted whole) reads its pairs from them, and `chunk` must then be that whole plan.
 * @example
 * ```ts
 * const c = training.sessionCounting();
 * const counters = c.rules.map(() => new PatternCounter(c.levelCounts));
 * const linked = new Uint8Array(c.sampled);
 * countSessionPairs(c, mcp, 0, mcp.length / 2, () => levels, counters, linked);
 * ```
 */
export function countSessionPairs(
  c: SessionCounting,
  chunk: EncodedBatch,
  from: number,
  to: number,
  levels: () => BatchLevels,
  counters: readonly PatternCounter[],
  linked: Uint8Array,
  piece?: SessionPiece,
): void {
  const K = c.levelCounts.length - 1;
  const pattern = new Uint8Array(K + 1);
  const { det, sampleOf, maxBlock } = c;
  let pl = new Uint32Array(1024);
  let pj = new Uint32Array(1024);
  c.rules.forEach((r, ri) => {
    if (piece && piece.rule !== ri) return;
    const counter = at(counters, ri);
    const eFrom = piece?.from ?? 0;
    const eTo = piece?.to ?? r.keys.length;
    if (eTo <= eFrom) return;
    const T = r.tfComparison.length;
    /** Counts the pairs of CoC record i with plan records `J[f0 … f0 + cnt)`. */
    const countPairs = (i: number, J: Uint32Array, f0: number, cnt: number) => {
      const sampled = sampleOf[i] ?? 0;
      const shiftBase = r.shiftBase[sampled] ?? 0;
      const tfAt = sampled * T;
      let isLinked = false;
      const lv = levels();
      for (let f = 0; f < cnt; f += lv.capacity) {
        const cn = Math.min(lv.capacity, cnt - f);
        lv.run(i, J, f0 + f, cn);
        // A column per comparison, read once per run: the getter checks the kernel memory's
        // buffer, which cost more than the pair's counting when read per pair and comparison.
        const out = lv.out;
        for (let x = 0; x < cn; x++) {
          for (let k = 0; k < K; k++) pattern[k] = out[k]?.[x] ?? 0;
          let shift = shiftBase;
          for (let t = 0; t < T; t++)
            if (pattern[r.tfComparison[t] ?? 0] === r.tfLevel[t]) shift += r.tfShift[tfAt + t] ?? 0;
          pattern[K] = shiftBin(shift);
          counter.add(pattern);
          if (!isLinked && isDeterministic(pattern, det)) isLinked = true;
        }
      }
      if (isLinked) linked[sampled] = 1;
    };
    const blocks = r.blocks;
    if (blocks) {
      // The blocks were gathered when the plan was counted: each sampled record's block is read
      // where it lies, with no pass over the plan.
      if (from !== 0 || to !== chunk.length || chunk.length !== blocks.planRecords)
        throw new Error('training: session blocks of the whole plan, counted on part of it');
      for (let e = eFrom; e < eTo; e++) {
        const i = r.records[e] as number;
        const cnt = r.planCount[e] as number;
        if ((sampleOf[i] as number) < 0 || cnt === 0 || cnt > maxBlock) continue;
        countPairs(i, blocks.records, blocks.start[e] as number, cnt);
      }
      return;
    }
    const col = ruleColumn(chunk, r, from, to);
    if (!col) return;
    const lo = r.keys[eFrom] ?? 0;
    const hi = r.keys[eTo - 1] ?? 0;
    const dir = keyDirectory(r.keys, eFrom, eTo);
    let n = 0;
    for (let j = from; j < to; j++) {
      const q = col.offsets[j - from] ?? 0;
      if (q === (col.offsets[j - from + 1] ?? 0)) continue;
      const key = col.keys[q] ?? 0;
      if (key < lo || key > hi) continue;
      const e0 = lowerBound(r.keys, key, dir[key >>> 16] ?? eFrom, dir[(key >>> 16) + 1] ?? eTo);
      if (e0 >= eTo || r.keys[e0] !== key || (r.planCount[e0] ?? 0) > maxBlock) continue;
      for (let e = e0; e < eTo && r.keys[e] === key; e++) {
        const i = r.records[e] ?? 0;
        if ((sampleOf[i] ?? -1) < 0) continue;
        if (n === pl.length) [pl, pj] = [grown(pl, n + 1), grown(pj, n + 1)];
        pl[n] = i;
        pj[n] = j;
        n++;
      }
    }
    const lefts = pl.subarray(0, n);
    const byLeft = orderByHash(lefts);
    const J = new Uint32Array(n);
    for (let s = 0; s < n; ) {
      const i = lefts[byLeft[s] ?? 0] ?? 0;
      let cnt = 0;
      while (s + cnt < n && lefts[byLeft[s + cnt] ?? 0] === i) {
        J[cnt] = pj[byLeft[s + cnt] ?? 0] ?? 0;
        cnt++;
      }
      s += cnt;
      countPairs(i, J, 0, cnt);
    }
  });
}
