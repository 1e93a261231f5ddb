/**
 * The scoring pass of a streamed match (`matchStreaming`, pass 2) for one chunk of the plan: its
 * records look their keys up in the CoC index, each (CoC, plan) pair once, and the pairs are scored
 * with the batch form against a row store of the chunk only. What a chunk gives (kept pairs with
 * their order key, histogram counts, pair counts) depends on the chunk alone, so chunks can be
 * scored on this thread one after another or on worker threads (`src/match/stream.node.ts`) and
 * merged in chunk order with the same result. Runtime-neutral.
 */

import type { EncodedBatch } from '../encoded/batch.js';
import { filterBatch } from '../encoded/slice.js';
import type { DiceKernelKind } from '../kernel/dice.js';
import type { LinkageModel } from '../model/model.js';
import { buildBatchScoring, presetFrequencyTable, Scorer, WEIGHT_HISTOGRAM } from '../model/score.js';
import { grown } from '../util/bytes.js';
import { at } from '../util/defined.js';

/** One blocking pass of the CoC side, indexed by key: positions of its keys, sorted by key. */
export interface CocPass {
  readonly name: string;
  /** The CoC side's keys of this pass, sorted. */
  readonly keys: Uint32Array;
  /** For each sorted entry, the key's position in the CoC block column (record via `owner`). */
  readonly pos: Uint32Array;
  /** For each position in the CoC block column, its record. */
  readonly owner: Uint32Array;
  readonly offsets: Uint32Array;
  /** Plan records holding the key, counted at the first entry of each run of equal keys. */
  readonly planCount: Uint32Array;
  /** `buckets[h]`: the first sorted entry whose key's top 16 bits are ≥ h (65,537 entries). */
  readonly buckets: Uint32Array;
}

/**
 * The first sorted entry of `key` in a CoC pass, or -1 when the CoC side does not hold it.
 * @example
 * ```ts
 * if (findKey(pass, key) >= 0) planCount[findKey(pass, key)]++;
 * ```
 */
export function findKey(p: CocPass, key: number): number {
  let lo = p.buckets[key >>> 16] ?? 0;
  let hi = p.buckets[(key >>> 16) + 1] ?? 0;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((p.keys[mid] ?? 0) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo < p.keys.length && p.keys[lo] === key ? lo : -1;
}

/** A term-frequency table over both lists (the CoC side's values only). */
export interface FrequencyTable {
  readonly counts: Map<number, number>;
  readonly total: number;
}

/** Everything a chunk's scoring reads that does not change from chunk to chunk (plain data: postable). */
export interface ChunkScoringInit {
  readonly coc: EncodedBatch;
  readonly model: LinkageModel;
  /** The CoC index, with every key's block size counted over the whole plan (pass 1). */
  readonly passes: readonly CocPass[];
  readonly maxBlock: number;
  /** The whole plan's term-frequency tables, by hash feature. */
  readonly tables: readonly (readonly [string, FrequencyTable])[];
  readonly dice?: DiceKernelKind | 'auto';
  readonly keepWeight: number;
}

/** What one chunk's scoring gives; `right` counts plan records from the start of the file. */
export interface ChunkScores {
  /** Kept pairs (weight ≥ the keep weight), in the order they were scored. */
  readonly left: Uint32Array;
  readonly right: Uint32Array;
  /** Each kept pair's order key: pass, then position of the CoC record's key that first found it. */
  readonly tag: Uint32Array;
  readonly weight: Float64Array;
  /** Scored pairs per weight bin ({@link WEIGHT_HISTOGRAM}). */
  readonly hist: Float64Array;
  readonly scored: number;
  /** Per pass, the pairs it found first. */
  readonly newPairs: Float64Array;
  /** Records in the chunk. */
  readonly length: number;
  /** The chunk's records that kept pairs name, in chunk order (positions in the chunk). */
  readonly keptRows: Uint32Array;
  /** Those records (a copy), with the IDs of the chunk given to {@link ChunkScorer.score}. */
  readonly records: EncodedBatch;
}

/** Bits of a pair's order key given to the key's position within its CoC record's pass keys. */
export const TAG_POSITION_BITS = 20;

/**
 * Scores chunks of the plan against the CoC side; holds the scratch that does not depend on the
 * chunk (one per thread).
 * @example
 * ```ts
 * const scorer = new ChunkScorer({ coc, model, passes, maxBlock: 1000, tables, keepWeight: KEEP_WEIGHT });
 * const s = scorer.score(chunk, planRecordsBefore);
 * ```
 */
export class ChunkScorer {
  private readonly stamp: Int32Array;
  private readonly slot: Uint32Array;
  private readonly leftStart: Uint32Array;
  private pl = new Uint32Array(1 << 16);
  private pj = new Uint32Array(1 << 16);
  private pt = new Uint32Array(1 << 16);
  private sj = new Uint32Array(1 << 16);
  private st = new Uint32Array(1 << 16);
  private weights = new Float64Array(4096);
  private readonly specs;
  /** Per pass and sorted entry: the CoC record holding the key, and the pair's order key. */
  private readonly rec: Uint32Array[];
  private readonly tag: Uint32Array[];

  constructor(private readonly init: ChunkScoringInit) {
    const n = init.coc.length;
    this.stamp = new Int32Array(n);
    this.slot = new Uint32Array(n);
    this.leftStart = new Uint32Array(n + 1);
    this.specs = init.model.comparisons.map((c) => c.spec);
    // Read in sorted-entry order while pairs are generated, instead of through `pos` and `owner`
    // (two cache misses a pair).
    this.rec = init.passes.map((cp) => Uint32Array.from(cp.pos, (pos) => cp.owner[pos] ?? 0));
    this.tag = init.passes.map((cp, p) =>
      Uint32Array.from(
        cp.pos,
        (pos) => p * 2 ** TAG_POSITION_BITS + pos - (cp.offsets[cp.owner[pos] ?? 0] ?? 0),
      ),
    );
  }

  /** Scores the pairs of `chunk`, whose first record is record `base` of the plan file. */
  score(chunk: EncodedBatch, base: number): ChunkScores {
    const { coc, model, passes, maxBlock, keepWeight } = this.init;
    const nL = coc.length;
    const m = chunk.length;
    const stamp = this.stamp;
    const slot = this.slot;
    const newPairs = new Float64Array(passes.length);
    // Stamped with the plan record's place in the chunk (not in the file: an Int32Array of file
    // positions would wrap past 2³¹ plan records), so cleared for each chunk.
    stamp.fill(-1);
    // Candidates of each plan record of the chunk: its keys looked up in the CoC index, uncapped
    // blocks only, each CoC record once (the first pass and key that find it give its order).
    let n = 0;
    let { pl, pj, pt } = this;
    for (let j = 0; j < m; j++) {
      for (let p = 0; p < passes.length; p++) {
        const cp = at(passes, p);
        const col = chunk.blocks[cp.name];
        if (!col) continue;
        const rec = at(this.rec, p);
        const tags = at(this.tag, p);
        for (let q = col.offsets[j] ?? 0, end = col.offsets[j + 1] ?? 0; q < end; q++) {
          const key = col.keys[q] ?? 0;
          const e0 = findKey(cp, key);
          if (e0 < 0 || (cp.planCount[e0] ?? 0) > maxBlock) continue;
          for (let e = e0; e < cp.keys.length && cp.keys[e] === key; e++) {
            const i = rec[e] ?? 0;
            const tag = tags[e] ?? 0;
            if (stamp[i] !== j) {
              stamp[i] = j;
              if (n === pl.length) [pl, pj, pt] = [grown(pl, n + 1), grown(pj, n + 1), grown(pt, n + 1)];
              slot[i] = n;
              pl[n] = i;
              pj[n] = j;
              pt[n] = tag;
              n++;
              newPairs[p] = (newPairs[p] ?? 0) + 1;
            } else {
              const x = slot[i] ?? 0;
              if (tag < (pt[x] ?? 0)) pt[x] = tag;
            }
          }
        }
      }
    }
    this.pl = pl;
    this.pj = pj;
    this.pt = pt;
    // Grouped by CoC record (counting sort), each group scored as one candidate list.
    const leftStart = this.leftStart;
    leftStart.fill(0);
    for (let x = 0; x < n; x++) leftStart[(pl[x] ?? 0) + 1] = (leftStart[(pl[x] ?? 0) + 1] ?? 0) + 1;
    let maxGroup = 0;
    for (let i = 0; i < nL; i++) {
      maxGroup = Math.max(maxGroup, leftStart[i + 1] ?? 0);
      leftStart[i + 1] = (leftStart[i + 1] ?? 0) + (leftStart[i] ?? 0);
    }
    // Each pair's plan record and order key, grouped by CoC record (in plan-record order within a
    // group): the scoring below reads them in sequence.
    const next = leftStart.slice(0, nL);
    if (this.sj.length < n)
      [this.sj, this.st] = [new Uint32Array(Math.ceil(n * 1.25)), new Uint32Array(Math.ceil(n * 1.25))];
    const { sj, st } = this;
    for (let x = 0; x < n; x++) {
      const i = pl[x] ?? 0;
      const y = next[i] ?? 0;
      next[i] = y + 1;
      sj[y] = pj[x] ?? 0;
      st[y] = pt[x] ?? 0;
    }
    for (const [f, table] of this.init.tables) {
      const l = coc.hashes[f];
      const r = chunk.hashes[f];
      if (l && r) presetFrequencyTable(l, r, table);
    }
    const dice = this.init.dice;
    const scorer = new Scorer(
      model,
      coc,
      chunk,
      buildBatchScoring(this.specs, coc, chunk, dice ? { kind: dice } : {}),
    );
    const { min, binWidth, bins } = WEIGHT_HISTOGRAM;
    const hist = new Float64Array(bins);
    const keep = new Uint8Array(m);
    let kl = new Uint32Array(256);
    let kr = new Uint32Array(256);
    let kt = new Uint32Array(256);
    let kw = new Float64Array(256);
    let k = 0;
    let scored = 0;
    this.weights = grown(this.weights, maxGroup);
    const weights = this.weights;
    for (let i = 0; i < nL; i++) {
      const s = leftStart[i] ?? 0;
      const c = (leftStart[i + 1] ?? 0) - s;
      if (c === 0) continue;
      const J = sj.subarray(s, s + c);
      scorer.scoreCandidates(i, J, c, weights);
      for (let y = 0; y < c; y++) {
        const w = weights[y] ?? 0;
        const bin = Math.min(bins - 1, Math.max(0, Math.floor((w - min) / binWidth)));
        hist[bin] = (hist[bin] ?? 0) + 1;
        if (w >= keepWeight) {
          const j = J[y] ?? 0;
          if (k === kl.length)
            [kl, kr, kt, kw] = [grown(kl, k + 1), grown(kr, k + 1), grown(kt, k + 1), grown(kw, k + 1)];
          kl[k] = i;
          kr[k] = base + j;
          kt[k] = st[s + y] ?? 0;
          kw[k] = w;
          k++;
          keep[j] = 1;
        }
      }
      scored += c;
    }
    let nk = 0;
    for (let j = 0; j < m; j++) if (keep[j]) nk++;
    const keptRows = new Uint32Array(nk);
    for (let j = 0, x = 0; j < m; j++) if (keep[j]) keptRows[x++] = j;
    return {
      length: m,
      left: kl.slice(0, k),
      right: kr.slice(0, k),
      tag: kt.slice(0, k),
      weight: kw.slice(0, k),
      hist,
      scored,
      newPairs,
      keptRows,
      records: filterBatch(chunk, keep),
    };
  }
}
