/**
 * Emits the WebAssembly Dice kernel for one filter size: five functions over filters stored as
 * `words` little-endian 64-bit words each, in an imported linear memory (shared between threads when
 * asked). The and-count of a pair is fully unrolled and the query's words are kept in locals, which
 * is why the module is generated per size at run time rather than shipped as one binary.
 *
 * Exports (all pointers are byte offsets into the memory; counts are u16):
 * - `popcounts(base, stride, n, out)`: `out[r] = popcount(filter at base + r · stride)`;
 * - `andCounts(q, base, stride, idx, n, out)`: `out[x] = popcount(q AND filter at
 *   base + idx[x] · stride)` (a gather, for scoring the candidates of one record; the stride lets
 *   filters sit inside wider rows);
 * - `scan(q, base, counts, from, to, lo, hi, cmin, outIdx, outCnt) → found`: over contiguous
 *   filters (stride = filter size), for r in
 *   `[from, to)` with `lo ≤ counts[r] ≤ hi` (popcount-difference pruning), c = the and-count, and
 *   when `c ≥ cmin[counts[r]]` (the smallest and-count reaching the threshold, see dice.ts) records
 *   `r` and `c`; returns how many were recorded.
 * - `scanExit(…)`: the same with an early exit: after the words before each exit (by default half
 *   of them, {@link scanExits}), a pair whose and-count so far plus the query's popcount in the
 *   rest is below `cmin[counts[r]]` is skipped — exact, the same pairs and counts;
 * - `scanExit2(q1, q2, base, counts, from, to, lo1, hi1, lo2, hi2, cmin1, cmin2, outIdx1, outCnt1,
 *   outIdx2, outCnt2) → found1 + found2 · 65536`: two queries per pass (register blocking).
 */
import { type FunctionBuilder, ModuleBuilder } from './wasm/module.js';
import { OP, SIMD } from './wasm/opcodes.js';

/** Options of {@link diceModuleBytes}. */
export interface DiceModuleOptions {
  /** 64-bit words per filter (1..256). */
  readonly words: number;
  /** Use 128-bit SIMD (`i8x16.popcnt`); needs an even number of words. */
  readonly simd: boolean;
  /** Import a shared memory (for worker threads). */
  readonly shared: boolean;
  /**
   * Word counts after which the scan tests whether the pair can still reach the threshold (see
   * {@link scanExits}, the default); `[]` for none.
   */
  readonly exits?: readonly number[];
}

/**
 * Where the scan tests its early-exit bound by default: after half of the words, for filters of
 * {@link EXIT_MIN_WORDS} words or more (SIMD: a whole number of 128-bit chunks). Measured in
 * bench/dice.bench.ts; see docs/scaling.md.
 * @example
 * ```ts
 * scanExits(16, false); // [8]
 * scanExits(2, false); // []
 * ```
 */
export function scanExits(words: number, simd: boolean): number[] {
  if (words < EXIT_MIN_WORDS) return [];
  const half = simd ? 2 * Math.floor(words / 4) : Math.floor(words / 2);
  return half > 0 ? [half] : [];
}

/** Filters shorter than this many words get no early exit (too little left to skip). */
const EXIT_MIN_WORDS = 4;

function checkExits(exits: readonly number[], words: number, simd: boolean): void {
  let prev = 0;
  for (const e of exits) {
    if (!Number.isInteger(e) || e <= prev || e >= words || (simd && e % 2 !== 0))
      throw new RangeError('exits must be increasing word counts inside the filter (even with SIMD)');
    prev = e;
  }
}

/** Queries up to this many registers' worth of words are held in locals. */
const HOIST_LIMIT = 16;
/** i8x16 lanes add at most 8 per 128-bit chunk: flush to wider lanes before 255 can overflow. */
const SIMD_GROUP = 31;

/**
 * Emits `n` leaves summed left to right. A running sum rather than a balanced tree: fewer values
 * live at once, no spills; measured 1.6× faster in the scan (bench/dice.bench.ts).
 */
function chain(n: number, leaf: (k: number) => void, add: () => void): void {
  for (let k = 0; k < n; k++) {
    leaf(k);
    if (k > 0) add();
  }
}

/**
 * Emits code leaving popcount(q AND filter at local `p` + `off` bytes) as an i32 (`q` undefined:
 * popcount only).
 */
type AndCount = (f: FunctionBuilder, p: number, off?: number, from?: number, to?: number) => void;

function scalarAndCount(words: number, q: readonly number[] | number | undefined): AndCount {
  return (f, p, off = 0, from = 0, to = words) => {
    chain(
      to - from,
      (k) => {
        const w = from + k;
        f.get(p).mem(OP.i64_load, off + 8 * w, 3);
        if (Array.isArray(q)) f.get(q[w]!).op(OP.i64_and);
        else if (typeof q === 'number')
          f.get(q)
            .mem(OP.i64_load, 8 * w, 3)
            .op(OP.i64_and);
        f.op(OP.i64_popcnt);
      },
      () => f.op(OP.i64_add),
    );
    f.op(OP.i32_wrap_i64);
  };
}

function simdAndCount(words: number, q: readonly number[] | number | undefined): AndCount {
  return (f, p, off = 0, from = 0, to = words) => {
    // Word ranges are even here (whole 128-bit chunks).
    const first = from / 2;
    const chunks = to / 2 - first;
    const groups = Math.ceil(chunks / SIMD_GROUP);
    for (let g = 0; g < groups; g++) {
      const lo = first + g * SIMD_GROUP;
      const hi = Math.min(first + chunks, lo + SIMD_GROUP);
      chain(
        hi - lo,
        (j) => {
          const k = lo + j;
          f.get(p).simdMem(SIMD.v128_load, off + 16 * k, 4);
          if (Array.isArray(q)) f.get(q[k]!).simd(SIMD.v128_and);
          else if (typeof q === 'number')
            f.get(q)
              .simdMem(SIMD.v128_load, 16 * k, 4)
              .simd(SIMD.v128_and);
          f.simd(SIMD.i8x16_popcnt);
        },
        () => f.simd(SIMD.i8x16_add),
      );
      f.simd(SIMD.i16x8_extadd_pairwise_i8x16_u).simd(SIMD.i32x4_extadd_pairwise_i16x8_u);
      if (g > 0) f.simd(SIMD.i32x4_add);
    }
    const v = f.local('v128');
    f.set(v);
    f.get(v).lane(SIMD.i32x4_extract_lane, 0);
    f.get(v).lane(SIMD.i32x4_extract_lane, 1).op(OP.i32_add);
    f.get(v).lane(SIMD.i32x4_extract_lane, 2).op(OP.i32_add);
    f.get(v).lane(SIMD.i32x4_extract_lane, 3).op(OP.i32_add);
  };
}

/** Declares locals holding the query at pointer `q` (or returns `q` itself when it is too long). */
function hoistQuery(f: FunctionBuilder, q: number, words: number, simd: boolean): number[] | number {
  const regs = simd ? words / 2 : words;
  if (regs > HOIST_LIMIT) return q;
  const locals: number[] = [];
  for (let k = 0; k < regs; k++) {
    const l = f.local(simd ? 'v128' : 'i64');
    if (simd)
      f.get(q)
        .simdMem(SIMD.v128_load, 16 * k, 4)
        .set(l);
    else
      f.get(q)
        .mem(OP.i64_load, 8 * k, 3)
        .set(l);
    locals.push(l);
  }
  return locals;
}

/**
 * The kernel's binary for one filter size.
 * @example
 * ```ts
 * const bytes = diceModuleBytes({ words: 16, simd: false, shared: false }); // 1024-bit filters
 * WebAssembly.validate(bytes); // true
 * ```
 */
export function diceModuleBytes(o: DiceModuleOptions): Uint8Array<ArrayBuffer> {
  const { words, simd } = o;
  if (!Number.isInteger(words) || words < 1 || words > 256) throw new RangeError('words must be in 1..256');
  if (simd && words % 2 !== 0) throw new RangeError('the SIMD kernel needs an even number of words');
  const make = simd ? simdAndCount : scalarAndCount;
  const m = new ModuleBuilder().importMemory(
    'env',
    'memory',
    o.shared ? { initial: 0, maximum: 65536, shared: true } : { initial: 0 },
  );

  // popcounts(base, stride, n, out)
  m.func('popcounts', ['i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [base, stride, n, out] = [0, 1, 2, 3];
    const r = f.local('i32');
    const p = f.local('i32');
    f.get(base).set(p);
    f.block().loop();
    f.get(r).get(n).op(OP.i32_ge_u).brIf(1);
    f.get(out).get(r).i32(1).op(OP.i32_shl, OP.i32_add);
    make(words, undefined)(f, p);
    f.mem(OP.i32_store16, 0, 1);
    f.get(p).get(stride).op(OP.i32_add).set(p);
    f.get(r).i32(1).op(OP.i32_add).set(r);
    f.br(0).end().end();
  });

  // andCounts(q, base, stride, idx, n, out)
  m.func('andCounts', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [q, base, stride, idx, n, out] = [0, 1, 2, 3, 4, 5];
    const x = f.local('i32');
    const p = f.local('i32');
    const qv = hoistQuery(f, q, words, simd);
    const count = make(words, qv);
    f.block().loop();
    f.get(x).get(n).op(OP.i32_ge_u).brIf(1);
    f.get(base).get(idx).get(x).i32(2).op(OP.i32_shl, OP.i32_add).mem(OP.i32_load, 0, 2);
    f.get(stride).op(OP.i32_mul, OP.i32_add).set(p);
    f.get(out).get(x).i32(1).op(OP.i32_shl, OP.i32_add);
    count(f, p);
    f.mem(OP.i32_store16, 0, 1);
    f.get(x).i32(1).op(OP.i32_add).set(x);
    f.br(0).end().end();
  });

  // scan / scanExit(q, base, counts, from, to, lo, hi, cmin, outIdx, outCnt) -> found
  const exits = o.exits ?? scanExits(words, simd);
  checkExits(exits, words, simd);
  const tails = exits.map((e) =>
    m.func(undefined, ['i32'], ['i32'], (f) => {
      make(words, undefined)(f, 0, 0, e, words);
    }),
  );
  emitScan(m, 'scan', [], [], words, simd, make, 1);
  emitScan(m, 'scanExit', exits, tails, words, simd, make, 1);
  emitScan(m, 'scanExit2', exits, tails, words, simd, make, 2);
  return m.bytes();
}

/** Locals of one query in a scan. */
interface ScanQuery {
  readonly q: number;
  readonly lo: number;
  readonly span: number;
  readonly cmin: number;
  readonly outIdx: number;
  readonly outCnt: number;
  readonly found: number;
  readonly rest: readonly number[];
  readonly count: AndCount;
}

/**
 * Emits a scan function (see the module comment) over `queries` (1 or 2) queries at once, with
 * early exits after the words in `exits`. With two queries (register blocking: each record's loop
 * step, popcount and pruning are shared) the parameters are
 * `(q1, q2, base, counts, from, to, lo1, hi1, lo2, hi2, cmin1, cmin2, outIdx1, outCnt1, outIdx2,
 * outCnt2)` and the result is `found1 + found2 · 65536`.
 */
function emitScan(
  m: ModuleBuilder,
  name: string,
  exits: readonly number[],
  tails: readonly number[],
  words: number,
  simd: boolean,
  make: (words: number, q: readonly number[] | number | undefined) => AndCount,
  queries: 1 | 2,
): void {
  const bytes = 8 * words;
  const nParams = queries === 1 ? 10 : 16;
  m.func(
    name,
    Array.from({ length: nParams }, () => 'i32' as const),
    ['i32'],
    (f) => {
      const param =
        queries === 1
          ? {
              q: [0],
              base: 1,
              counts: 2,
              from: 3,
              to: 4,
              lo: [5],
              hi: [6],
              cmin: [7],
              outIdx: [8],
              outCnt: [9],
            }
          : {
              q: [0, 1],
              base: 2,
              counts: 3,
              from: 4,
              to: 5,
              lo: [6, 8],
              hi: [7, 9],
              cmin: [10, 11],
              outIdx: [12, 14],
              outCnt: [13, 15],
            };
      const { base, counts, from, to } = param;
      const r = f.local('i32');
      const p = f.local('i32');
      const rc = f.local('i32');
      const c = f.local('i32');
      const need = f.local('i32');
      const qs: ScanQuery[] = param.q.map((q, k) => {
        const found = f.local('i32');
        const lo = f.local('i32');
        const span = f.local('i32');
        // rest[e]: popcount of the query's words from exits[e] on, the most the rest can add.
        const rest = tails.map((t) => {
          const l = f.local('i32');
          f.get(q).call(t).set(l);
          return l;
        });
        // Window [lo, hi] as one unsigned comparison, rc − lo ≤ hi − lo; an empty window (lo > hi)
        // becomes lo = 65536, span 0, which no u16 popcount passes.
        f.get(param.lo[k]!).get(param.hi[k]!).op(OP.i32_gt_u).if();
        f.i32(65536).set(lo).i32(0).set(span);
        f.else();
        f.get(param.lo[k]!).set(lo);
        f.get(param.hi[k]!).get(param.lo[k]!).op(OP.i32_sub).set(span);
        f.end();
        const qv = hoistQuery(f, q, words, simd);
        return {
          q,
          lo,
          span,
          cmin: param.cmin[k]!,
          outIdx: param.outIdx[k]!,
          outCnt: param.outCnt[k]!,
          found,
          rest,
          count: make(words, qv),
        };
      });
      f.block();
      f.get(from).set(r);
      f.get(base).get(from).i32(bytes).op(OP.i32_mul, OP.i32_add).set(p);
      f.loop();
      f.get(r).get(to).op(OP.i32_ge_u).brIf(1);
      f.get(counts).get(r).i32(1).op(OP.i32_shl, OP.i32_add).mem(OP.i32_load16_u, 0, 1).set(rc);
      for (const Q of qs) {
        // Popcount-difference pruning: outside [lo, hi] the Dice cannot reach the threshold.
        f.get(rc).get(Q.lo).op(OP.i32_sub).get(Q.span).op(OP.i32_le_u).if();
        f.get(Q.cmin).get(rc).i32(1).op(OP.i32_shl, OP.i32_add).mem(OP.i32_load16_u, 0, 1).set(need);
        // Early exits: after the words before exits[k], the and-count can grow by at most rest[k];
        // when that cannot reach `need`, the pair is skipped (an exact bound: the same pairs).
        let at = 0;
        exits.forEach((e, k) => {
          Q.count(f, p, 0, at, e);
          if (k > 0) f.get(c).op(OP.i32_add);
          f.tee(c).get(Q.rest[k]!).op(OP.i32_add).get(need).op(OP.i32_ge_u).if();
          at = e;
        });
        Q.count(f, p, 0, at, words);
        if (exits.length > 0) f.get(c).op(OP.i32_add);
        f.tee(c);
        f.get(need).op(OP.i32_ge_u).if();
        f.get(Q.outIdx).get(Q.found).i32(2).op(OP.i32_shl, OP.i32_add).get(r).mem(OP.i32_store, 0, 2);
        f.get(Q.outCnt).get(Q.found).i32(1).op(OP.i32_shl, OP.i32_add).get(c).mem(OP.i32_store16, 0, 1);
        f.get(Q.found).i32(1).op(OP.i32_add).set(Q.found);
        f.end();
        for (let k = 0; k < exits.length; k++) f.end();
        f.end();
      }
      f.get(p).i32(bytes).op(OP.i32_add).set(p);
      f.get(r).i32(1).op(OP.i32_add).set(r);
      f.br(0).end().end();
      f.get(qs[0]!.found);
      if (qs[1]) f.get(qs[1].found).i32(16).op(OP.i32_shl, OP.i32_add);
    },
  );
}
