/**
 * The Dice-similarity kernel: popcounts and AND-popcounts of Bloom filters held in a
 * {@link KernelMemory}, in WebAssembly (64-bit `popcnt`, or 128-bit SIMD) or in JS, with identical
 * results. Used by blocked scoring (the Dice levels of the comparisons) and by exhaustive candidate
 * generation (`match --no-blocking`). Browser-safe: WebAssembly is compiled from bytes emitted at
 * run time (dice-module.ts); when that is refused, the JS kernel takes over.
 */

import { jsDiceFunctions } from './dice-js.js';
import { diceModuleBytes, scanExits } from './dice-module.js';
import type { DiceFunctions, DiceKernelKind } from './dice-types.js';
import type { KernelMemory } from './memory.js';
import { popcount32 } from './popcount.js';

export type { DiceFunctions, DiceKernelKind } from './dice-types.js';

/**
 * A Dice kernel bound to a memory and a filter size. Its `scan` picks, per call, the plain scan or
 * the one with the early exit ({@link earlyExitPays}); both give the same pairs.
 */
export interface DiceKernel extends DiceFunctions {
  /** The scan without the early exit (what `scan` runs when the exit would not pay). */
  readonly scanAll: DiceFunctions['scan'];
  /**
   * Whether the early exit pays for the query at `q` with window `[lo, hi]` and threshold table
   * `cmin` ({@link earlyExitPays}); false for filters too short to have an exit.
   */
  exitPays(q: number, lo: number, hi: number, cmin: number): boolean;
  readonly kind: DiceKernelKind;
  /** 64-bit words per filter. */
  readonly words: number;
  readonly memory: KernelMemory;
}

/** Options of {@link createDiceKernel}. */
export interface DiceKernelOptions {
  /**
   * Implementation: `auto` (default) takes WebAssembly when it compiles — SIMD for filters of
   * {@link SIMD_MIN_WORDS} words or more, where it measured faster — else JS.
   */
  readonly kind?: DiceKernelKind | 'auto';
}

/**
 * Filters of at least this many 64-bit words use the SIMD kernel under `auto`. Measured on the
 * reference machine (bench/dice.bench.ts, 1024-bit filters): 64-bit `popcnt` 1.2 × 10⁸
 * comparisons/s, `i8x16.popcnt` 0.9 × 10⁸ before the scan's early exit, 2.1–2.5 and 2.2–2.3 × 10⁸
 * with it (CPU time, loaded machine) — V8 lowers the SIMD popcount on x86 to a byte-shuffle
 * sequence (about 7 instructions per 128 bits) against one `popcnt` per 64 bits. So
 * never, for now; the SIMD kernel stays available (and tested) for CPUs where it pays.
 * @example
 * ```ts
 * createDiceKernel(memory, 16, { kind: words >= SIMD_MIN_WORDS ? 'wasm-simd' : 'wasm' });
 * ```
 */
export const SIMD_MIN_WORDS = Number.POSITIVE_INFINITY;

const modules = new Map<string, WebAssembly.Module | null>();

function compiled(words: number, simd: boolean, shared: boolean): WebAssembly.Module | undefined {
  const key = `${words}:${simd}:${shared}`;
  let m = modules.get(key);
  if (m === undefined) {
    try {
      m = new WebAssembly.Module(diceModuleBytes({ words, simd, shared }));
    } catch {
      m = null; // no SIMD, a CSP refusing compilation, or a size limit on synchronous compiles
    }
    modules.set(key, m);
  }
  return m ?? undefined;
}

/**
 * Whether the WebAssembly kernel of a kind compiles here.
 * @example
 * ```ts
 * diceKernelAvailable('wasm-simd'); // true on Node 20 and current browsers
 * ```
 */
export function diceKernelAvailable(kind: DiceKernelKind, words = 2): boolean {
  if (kind === 'js') return true;
  if (typeof WebAssembly !== 'object') return false;
  return compiled(words + (words % 2), kind === 'wasm-simd', false) !== undefined;
}

/**
 * A kernel over `memory` for filters of `words` 64-bit words.
 * @throws RangeError when `words` is out of range, or a WebAssembly kind was asked for explicitly
 *   and cannot run here (with a WebAssembly memory)
 * @example
 * ```ts
 * const mem = KernelMemory.create({ bytes: 1 << 20 });
 * const k = createDiceKernel(mem, 4); // 256-bit filters
 * k.kind; // 'wasm' (or 'js' without WebAssembly)
 * ```
 */
export function createDiceKernel(
  memory: KernelMemory,
  words: number,
  opts: DiceKernelOptions = {},
): DiceKernel {
  if (!Number.isInteger(words) || words < 1 || words > 256) throw new RangeError('words must be in 1..256');
  const want = opts.kind ?? 'auto';
  let kind: DiceKernelKind = 'js';
  let fns: DiceFunctions | undefined;
  if (want !== 'js' && memory.wasm) {
    const order: DiceKernelKind[] =
      want === 'auto'
        ? words >= SIMD_MIN_WORDS && words % 2 === 0
          ? ['wasm-simd', 'wasm']
          : ['wasm']
        : [want];
    for (const k of order) {
      if (k === 'wasm-simd' && words % 2 !== 0) continue;
      const mod = compiled(words, k === 'wasm-simd', memory.shared);
      if (!mod) continue;
      fns = new WebAssembly.Instance(mod, { env: { memory: memory.wasm } })
        .exports as unknown as DiceFunctions;
      kind = k;
      break;
    }
    if (!fns && want !== 'auto') throw new RangeError(`the ${want} Dice kernel is not available here`);
  } else if (want !== 'js' && want !== 'auto') {
    throw new RangeError(`the ${want} Dice kernel needs a WebAssembly kernel memory`);
  }
  fns ??= jsDiceFunctions(memory, words);
  const raw = fns;
  const exit = scanExits(words, kind === 'wasm-simd')[0];
  const exitPays = (q: number, lo: number, hi: number, cmin: number): boolean => {
    if (exit === undefined) return false;
    const qw = memory.u32(q, 2 * words);
    let first = 0;
    let rest = 0;
    for (let w = 0; w < 2 * exit; w++) first += popcount32(qw[w] ?? 0);
    for (let w = 2 * exit; w < 2 * words; w++) rest += popcount32(qw[w] ?? 0);
    const a = first + rest;
    return (
      a >= lo && a <= hi && earlyExitPays(first, rest, memory.u16(cmin + 2 * a, 1)[0] ?? NEVER, 64 * exit)
    );
  };
  const scan: DiceFunctions['scan'] = (q, base, counts, from, to, lo, hi, cmin, outIdx, outCnt) =>
    (exitPays(q, lo, hi, cmin) ? raw.scanExit : raw.scan)(
      q,
      base,
      counts,
      from,
      to,
      lo,
      hi,
      cmin,
      outIdx,
      outCnt,
    );
  return {
    kind,
    words,
    memory,
    popcounts: raw.popcounts,
    andCounts: raw.andCounts,
    scan: exit === undefined ? raw.scan : scan,
    scanAll: raw.scan,
    scanExit: raw.scanExit,
    scanExit2: raw.scanExit2,
    exitPays,
  };
}

/**
 * Whether the scan's early exit pays for a query whose popcount is `first` in the words before
 * the exit (`firstBits` bits) and `rest` after it, when a pair needs an and-count of `need`: the
 * exit skips a pair whose and-count over the first words is below `need − rest`. Most pairs a scan
 * meets are unrelated, and the first words of two unrelated filters share about as many bits as
 * independent ones would — mean μ = first² / firstBits for a record of the query's popcount. The
 * exit pays when that is at least two standard deviations short (it then skips ≳ 97 % of such
 * pairs and its branch is predictable); otherwise it would mostly cost a test and a mispredicted
 * branch. Measured: random 1024-bit filters at t = 0.8 take the exit; the default schema's
 * 512-bit name filters at t = 0.7 do not (docs/scaling.md). Either way the pairs are the same.
 * @example
 * ```ts
 * earlyExitPays(256, 256, 410, 512); // true: random 1024-bit filters, Dice ≥ 0.8
 * earlyExitPays(150, 150, 210, 256); // false
 * ```
 */
export function earlyExitPays(first: number, rest: number, need: number, firstBits: number): boolean {
  if (firstBits <= 0) return false;
  const p = first / firstBits;
  const mean = first * p;
  const sd = Math.sqrt(mean * (1 - p));
  return need - rest - mean >= 2 * sd;
}

/**
 * Dice similarity from an and-count and two popcounts, exactly as the comparisons compute it.
 * @example
 * ```ts
 * dice(3, 4, 4); // 0.75
 * ```
 */
export function dice(c: number, a: number, b: number): number {
  const tot = a + b;
  return tot === 0 ? 0 : (2 * c) / tot;
}

/**
 * Popcount-difference pruning: true when filters with popcounts `a` and `b` cannot reach Dice `t`
 * (Dice ≤ 2·min(a, b)/(a + b)). The same test as the comparisons' Dice levels.
 * @example
 * ```ts
 * pruned(10, 40, 0.8); // true: at most 0.4
 * ```
 */
export function pruned(a: number, b: number, t: number): boolean {
  return 2 * Math.min(a, b) < t * (a + b);
}

/**
 * The popcounts b in `0..maxBits` that {@link pruned} keeps for a filter of popcount `a`: an interval
 * `[lo, hi]` (empty when lo > hi), found by binary search on each side of `a`.
 * @example
 * ```ts
 * popcountWindow(100, 0.8, 1024); // [67, 150]
 * ```
 */
export function popcountWindow(a: number, t: number, maxBits: number): [number, number] {
  const keep = (b: number): boolean => !pruned(a, b, t);
  if (!keep(a)) return [1, 0];
  let lo = 0;
  let hi = a;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keep(mid)) hi = mid;
    else lo = mid + 1;
  }
  const first = lo;
  lo = a;
  hi = maxBits;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (keep(mid)) lo = mid;
    else hi = mid - 1;
  }
  return [first, lo];
}

/**
 * An and-count no filter reaches (the kernel's "never" in a threshold table).
 * @example
 * ```ts
 * cmin[b] === NEVER; // no and-count with a filter of popcount b reaches the threshold
 * ```
 */
export const NEVER = 0xffff;

/**
 * Fills `cmin[b]` for b in `[lo, hi]` with the smallest and-count c for which
 * `dice(c, a, b) ≥ t`, or {@link NEVER}: the kernel then compares integers only, and both kernels
 * decide exactly as {@link dice} would.
 * @example
 * ```ts
 * const cmin = new Uint16Array(1025);
 * minAndCounts(100, 0.8, 67, 150, cmin);
 * cmin[100]; // 80
 * ```
 */
export function minAndCounts(a: number, t: number, lo: number, hi: number, cmin: Uint16Array): void {
  // cmin never decreases with b: 2c/(a + b) only falls as b grows (also in floating point, the
  // quotient being correctly rounded), so an and-count short at b' < b is short at b too. Each
  // entry therefore starts from the last one and steps up: O(window + a) in all, instead of a binary
  // search per entry (a fifth of a small scan's time at t = 0.55).
  let from = 0;
  for (let b = lo; b <= hi; b++) {
    const top = Math.min(a, b);
    if (dice(top, a, b) < t) {
      cmin[b] = NEVER;
      continue;
    }
    let l = from;
    while (dice(l, a, b) < t) l++;
    cmin[b] = l;
    from = l;
  }
}
