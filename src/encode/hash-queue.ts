/**
 * Keyed 32-bit hashes (the first word of HMAC-SHA256, `|| 1` so that 0 can mean missing) delivered
 * straight into a word of a typed array. Requests are queued in the WebAssembly kernel, which runs
 * them four at a time (one per SIMD lane, each under its own key), and written when the queue is
 * flushed; without the kernel, or for a message it does not take, a hash is computed at once in JS.
 * The words written are the same either way.
 */

import { defined } from '../util/defined.js';
import type { KeyedHash } from './hmac.js';
import { HMAC_BATCH, HmacKernel } from './kernel/sha256.js';
import { mask } from './sources.js';

/**
 * Where a queued hash goes: word `at` of the holder's `words`, read when the hash is written, so the
 * holder may replace its array (a `RootTable` growing) while the hash waits in the queue.
 * @example
 * ```ts
 * const target: WordTarget = { words: new Uint32Array(8) };
 * ```
 */
export interface WordTarget {
  readonly words: Uint32Array;
}

const NO_TARGET: WordTarget = { words: new Uint32Array(0) };

/**
 * A queue of keyed hashes with their destinations.
 * @example
 * ```ts
 * const q = new HashQueue();
 * const target = { words: new Uint32Array(8) };
 * q.add(hash, 'SMITH', target, 7);
 * q.flush(); // target.words[7] = first word of HMAC(key, 'SMITH') || 1
 * ```
 */
export class HashQueue {
  private readonly kernel = HmacKernel.get();
  /** Per queued request: the holder and index its word goes to. */
  private readonly targets: WordTarget[] = new Array<WordTarget>(HMAC_BATCH).fill(NO_TARGET);
  private readonly at = new Int32Array(HMAC_BATCH);
  private n = 0;

  /** Hashes `message` under `h` into `target.words[at]`, now or at the next {@link HashQueue.flush}. */
  add(h: KeyedHash, message: string, target: WordTarget, at: number): void {
    const kernel = this.kernel;
    const slot = h.kernelSlot;
    if (kernel !== undefined && slot >= 0) {
      if (this.n === HMAC_BATCH) this.flush();
      if (this.n === 0) kernel.begin();
      const k = kernel.queue(slot, message);
      if (k >= 0) {
        this.targets[k] = target;
        this.at[k] = at;
        this.n = k + 1;
        return;
      }
    }
    target.words[at] = h.word(message) || 1;
  }

  /** Hashes mask `i` of `value` (see `mask`) under `h` into `target.words[at]`, without building its string. */
  addMask(h: KeyedHash, value: string, i: number, target: WordTarget, at: number): void {
    const kernel = this.kernel;
    const slot = h.kernelSlot;
    if (kernel !== undefined && slot >= 0) {
      if (this.n === HMAC_BATCH) this.flush();
      if (this.n === 0) kernel.begin();
      const k = kernel.queueMask(slot, value, i);
      if (k >= 0) {
        this.targets[k] = target;
        this.at[k] = at;
        this.n = k + 1;
        return;
      }
    }
    target.words[at] = h.word(mask(value, i)) || 1;
  }

  /**
   * Hashes masks 0 to m − 1 of `value` under `h` into `target.words[at]` to `[at + m − 1]`: the same
   * words as m calls of {@link HashQueue.addMask}, the masks' blocks written in one kernel call.
   */
  addMasks(h: KeyedHash, value: string, m: number, target: WordTarget, at: number): void {
    const kernel = this.kernel;
    const slot = h.kernelSlot;
    if (kernel !== undefined && slot >= 0 && m > 0 && m <= 10) {
      if (this.n + m > HMAC_BATCH) this.flush();
      if (this.n === 0) kernel.begin();
      const k = kernel.queueMasks(slot, value, m);
      if (k >= 0) {
        for (let j = 0; j < m; j++) {
          this.targets[k + j] = target;
          this.at[k + j] = at + j;
        }
        this.n = k + m;
        return;
      }
    }
    for (let j = 0; j < m; j++) this.addMask(h, value, j, target, at + j);
  }

  /**
   * Full digests: HMAC-SHA256 of each message under `h`, 8 big-endian words (signed) each, into
   * `out` (message m at `8m`). Runs the queued requests first.
   */
  digestAll(h: KeyedHash, messages: readonly string[], out: Int32Array): void {
    this.flush();
    const kernel = this.kernel;
    const slot = h.kernelSlot;
    for (let from = 0; from < messages.length; from += HMAC_BATCH) {
      const to = Math.min(messages.length, from + HMAC_BATCH);
      if (kernel === undefined || slot < 0) {
        for (let m = from; m < to; m++) h.digestWords(messages[m] ?? '', out.subarray(8 * m, 8 * m + 8));
        continue;
      }
      kernel.begin();
      const req = this.at;
      for (let m = from; m < to; m++) {
        const message = messages[m] ?? '';
        const r = kernel.queue(slot, message);
        req[m - from] = r;
        // Too long for one block: computed apart (the kernel's single digests do not touch the batch).
        if (r < 0) h.digestWords(message, out.subarray(8 * m, 8 * m + 8));
      }
      kernel.flush();
      for (let m = from; m < to; m++) {
        const r = req[m - from] ?? -1;
        if (r >= 0) kernel.words(r, out, 8 * m);
      }
    }
  }

  /** Runs the queued requests and writes their words. */
  flush(): void {
    const n = this.n;
    if (n === 0) return;
    const kernel = defined(this.kernel, 'HMAC kernel of queued requests');
    kernel.flush();
    const targets = this.targets;
    const at = this.at;
    for (let k = 0; k < n; k++) {
      defined(targets[k], 'target of a queued request').words[at[k] ?? 0] = kernel.firstWord(k) || 1;
      targets[k] = NO_TARGET;
    }
    this.n = 0;
  }
}
