/**
 * The shape of a micro-benchmark suite run by bench/micro.bench.ts on tinybench: tasks that each
 * process a known number of items per call (so rates are comparable across tasks), and the ratios
 * worth printing (one implementation against another on the same work).
 */

/** One measured operation. */
export interface MicroTask {
  readonly name: string;
  /** One call: the unit tinybench times. */
  readonly fn: () => unknown;
  /** Items one call processes (comparisons, rows, digests), for the rate column. */
  readonly items: number;
  /** What an item is, when not the suite's {@link MicroSuite.unit}. */
  readonly unit?: string;
}

/** A ratio of two tasks' throughput: how many times faster `faster` is than `than`. */
export interface MicroRatio {
  readonly faster: string;
  readonly than: string;
}

/** A suite: its tasks, the unit of their items, and the ratios to print. */
export interface MicroSuite {
  readonly name: string;
  readonly what: string;
  /** What an item is (e.g. 'comparisons'). */
  readonly unit: string;
  readonly tasks: readonly MicroTask[];
  readonly ratios: readonly MicroRatio[];
}
