/**
 * Scores record pairs with a trained model: match weight = log2(λ/(1−λ)) + Σ log2(m/u) over the
 * comparisons' levels (0 for a null level), with Splink's term-frequency adjustment on exact-name
 * levels: u is replaced by the frequency of the agreed value (its keyed hash) in both lists.
 */
import type { EncodedBatch } from '../encode/batch.js';
import { compileComparisons, type LevelFn } from './compare.js';
import type { LinkageModel } from './model.js';
import { NULL_LEVEL } from './patterns.js';

/** Frequencies of a hash feature's values over both lists. */
function frequencyTable(
  left: Uint32Array,
  right: Uint32Array,
): { counts: Map<number, number>; total: number } {
  const counts = new Map<number, number>();
  let total = 0;
  for (const col of [left, right]) {
    for (let i = 0; i < col.length; i++) {
      const h = col[i]!;
      if (h === 0) continue;
      counts.set(h, (counts.get(h) ?? 0) + 1);
      total++;
    }
  }
  return { counts, total };
}

interface TfLevel {
  readonly comparison: number;
  readonly level: number;
  readonly m: number;
  readonly values: Uint32Array;
  readonly table: { counts: Map<number, number>; total: number };
}

/**
 * Scores pairs of a CoC batch (left) and a plan batch (right).
 * @example
 * ```ts
 * const scorer = new Scorer(model, coc, mcp);
 * const w = scorer.weight(0, 5); // match weight of CoC record 0 and plan record 5
 * ```
 */
export class Scorer {
  /** Compiled comparisons. */
  readonly fns: LevelFn[];
  /** log2(m/u) per comparison and level. */
  readonly levelWeights: Float64Array[];
  /** log2(λ / (1 − λ)). */
  readonly priorWeight: number;
  private readonly tf: TfLevel[][];
  readonly levels: Uint8Array;

  constructor(
    readonly model: LinkageModel,
    left: EncodedBatch,
    right: EncodedBatch,
  ) {
    const specs = model.comparisons.map((c) => c.spec);
    this.fns = compileComparisons(specs, left, right);
    this.levelWeights = model.comparisons.map((c) =>
      Float64Array.from(c.m, (m, l) => Math.log2(m / c.u[l]!)),
    );
    this.priorWeight = Math.log2(model.lambda / (1 - model.lambda));
    this.levels = new Uint8Array(specs.length);
    const tables = new Map<string, { counts: Map<number, number>; total: number }>();
    this.tf = model.comparisons.map((c, k) => {
      if (!model.termFrequency.enabled || !model.termFrequency.comparisons.includes(c.spec.name)) return [];
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
  }

  /**
   * Match weight of pair (i, j). Leaves the levels in `this.levels` and, when given, the per-comparison
   * weights in `partial`.
   */
  weight(i: number, j: number, partial?: Float64Array): number {
    let w = this.priorWeight;
    for (let k = 0; k < this.fns.length; k++) {
      const l = this.fns[k]!(i, j);
      this.levels[k] = l;
      let pw = 0;
      if (l !== NULL_LEVEL) {
        pw = this.levelWeights[k]![l]!;
        const tfs = this.tf[k]!;
        for (let t = 0; t < tfs.length; t++) {
          const tf = tfs[t]!;
          if (tf.level !== l) continue;
          const count = tf.table.counts.get(tf.values[i]!) ?? 1;
          const uTf = Math.max(count / tf.table.total, 1 / tf.table.total);
          pw = Math.log2(tf.m / uTf);
          break;
        }
      }
      if (partial) partial[k] = pw;
      w += pw;
    }
    return w;
  }
}
