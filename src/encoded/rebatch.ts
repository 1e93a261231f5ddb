/**
 * Re-cuts a stream of encoded batches of any sizes into batches of a fixed size (the last one
 * shorter), in order: what makes the parallel encoder's file identical to the single-threaded one,
 * whose batches hold exactly `batchSize` records.
 */
import type { EncodedBatch } from './batch.js';
import { partedBatch, type RowRange } from './parted.js';

/**
 * Collects batches and hands out batches of exactly `size` records. A batch handed out is made of
 * row ranges of the batches pushed (`partedBatch`), not a copy: the Arrow writer writes it range by
 * range, and its columns are concatenated only when something else reads them.
 * @example
 * ```ts
 * const r = new Rebatcher(16_384);
 * for (const b of incoming) for (const out of r.push(b)) yield out;
 * const last = r.flush(); // undefined when nothing is left
 * ```
 */
export class Rebatcher {
  private parts: RowRange[] = [];
  private held = 0;

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('size must be a positive integer');
  }

  /** Adds a batch; returns the full batches now complete (possibly none). */
  push(b: EncodedBatch): EncodedBatch[] {
    const out: EncodedBatch[] = [];
    let at = 0;
    while (at < b.length) {
      const take = Math.min(this.size - this.held, b.length - at);
      this.parts.push({ batch: b, from: at, to: at + take });
      this.held += take;
      at += take;
      if (this.held === this.size) out.push(this.take());
    }
    return out;
  }

  /** The records still held, as one batch (undefined when none). */
  flush(): EncodedBatch | undefined {
    return this.held === 0 ? undefined : this.take();
  }

  private take(): EncodedBatch {
    const b = partedBatch(this.parts);
    this.parts = [];
    this.held = 0;
    return b;
  }
}
