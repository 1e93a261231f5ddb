/**
 * The comparisons' levels in WebAssembly, compiled from their specs: one loop over a slice of one
 * left (CoC) record's candidates that, per candidate, reads its row once and evaluates every
 * comparison's null rule and levels in order (the first that holds wins), writes each comparison's
 * level and, when asked, the pair's match weight (the weight tables folded into the loop). It gives
 * exactly the levels of the condition loops in conditions.ts — the JS form, kept for runtimes
 * without WebAssembly and for clear-text string levels, which this kernel does not compile (such a
 * comparison stays in JS; the others still run here). The Dice thresholds are the same f64
 * operations as in JS (IEEE 754 gives identical results), so the levels are bit-identical. A
 * complete kernel (every comparison compiled) also computes the Dice and-counts itself, at a pair's
 * first Dice level that needs one: popcount(left AND right) over the row's filter words, the integer
 * the Dice kernel's gather gives, without the gather's separate passes over the candidates.
 *
 * Why: the JS form runs one loop per level over the candidates still undecided — 28 passes for a
 * non-matching pair with the default comparisons, each re-reading the candidate list and its row —
 * which was the largest share of a candidate pair's CPU (docs/scaling.md).
 */
import type { EncodedBatch } from '../encoded/batch.js';
import type { KernelMemory } from '../kernel/memory.js';
import type { RowField, RowStore } from '../kernel/rows.js';
import { type FunctionBuilder, ModuleBuilder } from '../kernel/wasm/module.js';
import { OP } from '../kernel/wasm/opcodes.js';
import { at } from '../util/defined.js';
import { BatchColumns } from './columns.js';
import type { ComparisonSpec, DqField, LevelCondition } from './comparisons.js';
import type { PreparedDice } from './conditions.js';
import { NULL_LEVEL } from './patterns.js';

/** Where one thread's level kernel works in the kernel memory (plain data: postable to a worker). */
export interface LevelScratch {
  /** Candidates per call. */
  readonly capacity: number;
  /** Byte offset of `capacity` u32 candidate indices. */
  readonly idx: number;
  /** Byte offset of the levels: comparison k's `capacity` u8 levels at `out + k · outStride`. */
  readonly out: number;
  readonly outStride: number;
  /** Byte offset of `capacity` f64 match weights. */
  readonly weights: number;
  /** Byte offset of the weight tables: comparison k's 256 f64 (level → weight) at `table + 2048 · k`. */
  readonly table: number;
  /** Byte offset of the left record's values the conditions read (`leftWords` u32). */
  readonly left: number;
  readonly leftWords: number;
}

const round16 = (b: number) => Math.ceil(b / 16) * 16;

/** u32 words of left values a condition reads, or undefined when the kernel cannot compile it. */
function conditionWords(c: LevelCondition, setMax: (f: string) => number): number | undefined {
  switch (c.type) {
    case 'else':
      return 0;
    case 'exact':
    case 'dice':
      return 1;
    case 'cross':
    case 'crossDice':
      return 2;
    case 'overlap':
      return 3 + setMax(c.feature);
    case 'partOf':
      return 4 + setMax(c.parts);
    case 'all': {
      let sum = 0;
      for (const p of c.of) {
        const w = conditionWords(p, setMax);
        if (w === undefined) return undefined;
        sum += w;
      }
      return sum;
    }
    case 'jaroWinkler':
    case 'crossJaroWinkler':
    case 'levenshtein':
      return undefined;
  }
}

/** Left words of a comparison (its null flags and its conditions'), or undefined when not compiled. */
function comparisonWords(spec: ComparisonSpec, setMax: (f: string) => number): number | undefined {
  let sum = 2;
  for (const when of [...(spec.nullWhen ? [spec.nullWhen] : []), ...spec.levels.map((lv) => lv.when)]) {
    const w = conditionWords(when, setMax);
    if (w === undefined) return undefined;
    sum += w;
  }
  return sum;
}

function setMaxOf(left: EncodedBatch): (f: string) => number {
  return (f) => {
    const s = left.sets[f];
    return s && left.length > 0 ? s.length / left.length : 1;
  };
}

function leftWordsOf(specs: readonly ComparisonSpec[], left: EncodedBatch): number {
  const setMax = setMaxOf(left);
  let sum = 0;
  const blooms = new Set<string>();
  for (const s of specs) {
    sum += comparisonWords(s, setMax) ?? 0;
    for (const when of [...(s.nullWhen ? [s.nullWhen] : []), ...s.levels.map((lv) => lv.when)])
      for (const [a] of dicePairsOf(when)) blooms.add(a);
  }
  // The left filters of the Dice levels, as whole 64-bit words (the loop's and-counts).
  for (const a of blooms) {
    const b = left.blooms[a];
    sum += 2 * Math.ceil((b && left.length > 0 ? b.length / left.length : 8) / 8);
  }
  return sum;
}

/**
 * Bytes of kernel memory one thread's {@link LevelScratch} takes.
 * @example
 * ```ts
 * const bytes = levelScratchBytes(DEFAULT_COMPARISONS, coc, 4096);
 * ```
 */
export function levelScratchBytes(
  specs: readonly ComparisonSpec[],
  left: EncodedBatch,
  capacity: number,
): number {
  return (
    round16(capacity * 4) +
    specs.length * round16(capacity) +
    round16(capacity * 8) +
    specs.length * 2048 +
    round16(leftWordsOf(specs, left) * 4)
  );
}

/**
 * Allocates one thread's {@link LevelScratch} in `memory`.
 * @example
 * ```ts
 * const scratch = allocLevelScratch(memory, DEFAULT_COMPARISONS, coc, 4096);
 * ```
 */
export function allocLevelScratch(
  memory: KernelMemory,
  specs: readonly ComparisonSpec[],
  left: EncodedBatch,
  capacity: number,
): LevelScratch {
  const outStride = round16(capacity);
  const leftWords = leftWordsOf(specs, left);
  return {
    capacity,
    idx: memory.alloc(capacity * 4),
    out: memory.alloc(specs.length * outStride),
    outStride,
    weights: memory.alloc(capacity * 8),
    table: memory.alloc(specs.length * 2048),
    left: memory.alloc(leftWords * 4),
    leftWords,
  };
}

/** The compiled levels of some comparisons, bound to one thread's scratch. */
export interface LevelKernel {
  /** Per comparison, whether the kernel computes it (the others stay with the JS form). */
  readonly compiled: readonly boolean[];
  /** Whether it computes every comparison (and so can fold in the weights). */
  readonly complete: boolean;
  /**
   * Whether its loop computes the Dice and-counts itself from the rows' filters (complete kernels):
   * then `dice.prepare` is not needed before {@link LevelKernel.run}.
   */
  readonly ownAnds: boolean;
  /**
   * Takes left record i and its candidates `J[0..n)`, n ≤ capacity, for the next
   * {@link LevelKernel.run}, and brings the candidates' rows into cache (call it before
   * `dice.prepare`, whose gather then finds them there; a kernel that {@link LevelKernel.ownAnds}
   * needs no gather).
   */
  stage(i: number, J: Uint32Array, n: number): void;
  /**
   * Levels of the staged pairs into {@link LevelKernel.out} (compiled comparisons only); with
   * `prior`, also the match weights (`complete` kernels only): prior + Σ table[k][level], in
   * comparison order, into {@link LevelKernel.weights}. Unless the kernel
   * {@link LevelKernel.ownAnds}, the and-counts must be prepared (`dice.prepare(i, J, n)`) after the
   * stage.
   */
  run(prior?: number): void;
  /** Per comparison, the levels of the last run (views of the kernel memory). */
  out(): Uint8Array[];
  /** The weights of the last run with a prior. */
  weights(): Float64Array;
  /** Per comparison, the weight of each level (index {@link NULL_LEVEL} must stay 0). */
  tables(): Float64Array[];
}

/** Data-quality codes 8, 9 and 99 (unknown, refused, not collected) make a comparison null. */
const isUnknownDq = (d: number) => d === 8 || d === 9 || d === 99;

const DQ_FIELDS: Readonly<Record<DqField, 'nameDq' | 'dobDq' | 'ssnDq'>> = {
  name: 'nameDq',
  dob: 'dobDq',
  ssn: 'ssnDq',
};

type Writer = (u32: Uint32Array, i: number) => void;
type Emit = () => void;

/**
 * Compiled modules by their bytes, most recently used last. The bytes hold the row store's and the
 * scratch's addresses, so each new layout (list sizes, a streamed match's last chunk) is a new
 * module: only the last few are kept, so a long-running process does not grow without bound.
 */
const modules = new Map<string, WebAssembly.Module | null>();
const MAX_MODULES = 4;

/** How many compiled modules the cache holds (tests: it stays bounded). Not part of the package's API. */
export function cachedLevelModules(): number {
  return modules.size;
}

/**
 * Compiles the levels of `specs` into one WebAssembly loop over the right list's row store,
 * reading the and-counts `dice` prepares; undefined when the memory is not a WebAssembly memory,
 * no comparison compiles, or the runtime refuses to compile (a CSP, a size limit on synchronous
 * compiles on a browser's main thread): the JS form then does all the work.
 * @example
 * ```ts
 * const kernel = compileLevelKernel(specs, coc, store, memory, dice, scratch);
 * kernel?.stage(i, J, n);
 * if (!kernel?.ownAnds) dice.prepare(i, J, n);
 * kernel?.run();
 * kernel?.out()[3]![0]; // DOB level of the first candidate
 * ```
 */
export function compileLevelKernel(
  specs: readonly ComparisonSpec[],
  left: EncodedBatch,
  store: RowStore,
  memory: KernelMemory,
  dice: PreparedDice,
  scratch: LevelScratch,
): LevelKernel | undefined {
  if (!memory.wasm || typeof WebAssembly !== 'object') return undefined;
  if (scratch.capacity < dice.capacity)
    throw new RangeError('the level scratch is smaller than the Dice scratch');
  const setMax = setMaxOf(left);
  const compiled = specs.map((s) => comparisonWords(s, setMax) !== undefined);
  if (!compiled.some(Boolean)) return undefined;
  // The and-counts must be views of this memory (CandidateDice's are): the kernel reads them there.
  const andsAddr = new Map<number, number>();
  for (const s of specs) {
    if (!compiled[specs.indexOf(s)]) continue;
    for (const when of [...(s.nullWhen ? [s.nullWhen] : []), ...s.levels.map((lv) => lv.when)])
      for (const [a, b] of dicePairsOf(when)) {
        const p = dice.pairIndex(a, b);
        if (p < 0) throw new TypeError(`Dice pair ${a}/${b} was not prepared`);
        const v = dice.ands(p);
        if (v.buffer !== memory.buffer) return undefined;
        andsAddr.set(p, v.byteOffset);
      }
  }
  const cols = new BatchColumns(left, 'CoC');
  const writers: Writer[] = [];
  const complete = compiled.every(Boolean);
  const ownAnds = complete;
  const levels = emitModule(
    specs,
    compiled,
    cols,
    store,
    dice,
    scratch,
    andsAddr,
    writers,
    memory.shared,
    ownAnds,
  );
  let module = modules.get(levels.key);
  if (module === undefined) {
    try {
      module = new WebAssembly.Module(levels.bytes);
    } catch {
      module = null;
    }
  }
  modules.delete(levels.key);
  modules.set(levels.key, module);
  if (modules.size > MAX_MODULES) {
    const oldest = modules.keys().next().value;
    if (oldest !== undefined) modules.delete(oldest);
  }
  if (!module) return undefined;
  const fns = new WebAssembly.Instance(module, { env: { memory: memory.wasm } }).exports as unknown as {
    levels(n: number): void;
    score(n: number, prior: number): void;
    touch(n: number): void;
  };
  let buffer: ArrayBuffer | SharedArrayBuffer | undefined;
  let idx: Uint32Array = new Uint32Array(0);
  let leftU32: Uint32Array = new Uint32Array(0);
  let outs: Uint8Array[] = [];
  let weights: Float64Array = new Float64Array(0);
  let tables: Float64Array[] = [];
  let staged = 0;
  const refresh = () => {
    if (buffer === memory.buffer) return;
    buffer = memory.buffer;
    idx = memory.u32(scratch.idx, scratch.capacity);
    leftU32 = memory.u32(scratch.left, scratch.leftWords);
    outs = specs.map((_, k) => memory.u8(scratch.out + k * scratch.outStride, scratch.capacity));
    weights = new Float64Array(memory.buffer, scratch.weights, scratch.capacity);
    tables = specs.map((_, k) => new Float64Array(memory.buffer, scratch.table + 2048 * k, 256));
  };
  return {
    compiled,
    complete,
    ownAnds,
    stage(i, J, n) {
      if (n > scratch.capacity) throw new RangeError('more candidates than the scratch capacity');
      refresh();
      idx.set(n === J.length ? J : J.subarray(0, n));
      for (let w = 0; w < writers.length; w++) (writers[w] as Writer)(leftU32, i);
      fns.touch(n);
      staged = n;
    },
    run(prior) {
      if (prior === undefined) fns.levels(staged);
      else {
        if (!complete) throw new TypeError('weights need every comparison compiled');
        fns.score(staged, prior);
      }
    },
    out() {
      refresh();
      return outs;
    },
    weights() {
      refresh();
      return weights;
    },
    tables() {
      refresh();
      return tables;
    },
  };
}

function dicePairsOf(c: LevelCondition): [string, string][] {
  if (c.type === 'dice') return [[c.feature, c.feature]];
  if (c.type === 'crossDice')
    return [
      [c.a, c.b],
      [c.b, c.a],
    ];
  if (c.type === 'all') return c.of.flatMap(dicePairsOf);
  return [];
}

function field(store: RowStore, f: string): RowField {
  const r = store.fields[f];
  if (!r) throw new TypeError(`the row store has no field ${f}`);
  return r;
}

/** The right-side field that is non-zero when feature f is present (a filter's popcount). */
function presenceField(store: RowStore, f: string): RowField {
  const filter = store.filters[f];
  return filter ? field(store, filter.countField) : field(store, f);
}

/**
 * Emits the module: `levels(n)` and `score(n, prior)` (the same loop, with the weights), and the
 * `writers` that put a left record's values where the loop reads them.
 */
function emitModule(
  specs: readonly ComparisonSpec[],
  compiled: readonly boolean[],
  cols: BatchColumns,
  store: RowStore,
  dice: PreparedDice,
  scratch: LevelScratch,
  andsAddr: ReadonlyMap<number, number>,
  writers: Writer[],
  shared: boolean,
  ownAnds: boolean,
): { bytes: Uint8Array<ArrayBuffer>; key: string } {
  const m = new ModuleBuilder().importMemory(
    'env',
    'memory',
    shared ? { initial: 0, maximum: 65536, shared: true } : { initial: 0 },
  );
  // has(ptr, n, v): whether v is among the n u32 values at ptr (after the masks let it through).
  const has = m.func(undefined, ['i32', 'i32', 'i32'], ['i32'], (f) => {
    const z = f.local('i32');
    f.block().loop();
    f.get(z).get(1).op(OP.i32_ge_u).brIf(1);
    f.get(0).get(z).i32(2).op(OP.i32_shl, OP.i32_add).mem(OP.i32_load, 0, 2);
    f.get(2).op(OP.i32_eq).if().i32(1).op(OP.return).end();
    f.get(z).i32(1).op(OP.i32_add).set(z);
    f.br(0).end().end();
    f.i32(0);
  });
  let recordWriters = true;
  for (const score of [false, true]) {
    m.func(score ? 'score' : 'levels', score ? ['i32', 'f64'] : ['i32'], [], (f) => {
      const e = new Emitter(
        f,
        store,
        dice,
        cols,
        scratch,
        andsAddr,
        has,
        recordWriters ? writers : [],
        ownAnds,
      );
      e.body(specs, compiled, score);
    });
    recordWriters = false;
  }
  m.func('touch', ['i32'], [], (f) => {
    new Emitter(f, store, dice, cols, scratch, andsAddr, has, []).touch();
  });
  const bytes = m.bytes();
  let key = shared ? 's' : 'p';
  for (const b of bytes) key += String.fromCharCode(b);
  return { bytes, key };
}

/** A left hash set as the loop reads it: count, two masks of the values' low bits, the values. */
interface LeftSetLocals {
  readonly count: number;
  readonly m1: number;
  readonly m2: number;
  /** Byte address of the values. */
  readonly ptr: number;
}

/** Emits one function's body; conditions are prepared (left values hoisted) before the loop. */
class Emitter {
  private slot = 0;
  /** Locals of the loop. */
  private readonly x: number;
  private readonly r: number;
  private readonly x2: number;
  private readonly L: number;
  private readonly d: number;
  private readonly t: number;
  private readonly cj: number;
  private readonly tot: number;
  private readonly ok: number;
  private readonly found: number;
  private readonly inside: number;
  /** Per Dice pair index, its and-count's local (−1 until computed for the current candidate). */
  private readonly ands = new Map<number, { local: number; compute: Emit }>();
  /** Per left Bloom feature, the locals holding its filter's 64-bit words. */
  private readonly leftFilters = new Map<string, number[]>();

  constructor(
    private readonly f: FunctionBuilder,
    private readonly store: RowStore,
    private readonly dice: PreparedDice,
    private readonly cols: BatchColumns,
    private readonly scratch: LevelScratch,
    private readonly andsAddr: ReadonlyMap<number, number>,
    private readonly has: number,
    private readonly writers: Writer[],
    /** Compute the and-counts in the loop (from the rows' filters) instead of reading the gather's. */
    private readonly inlineAnds = false,
  ) {
    this.x = f.local('i32');
    this.r = f.local('i32');
    this.x2 = f.local('i32');
    this.L = f.local('i32');
    this.d = f.local('i32');
    this.t = f.local('i32');
    this.cj = f.local('i32');
    this.tot = f.local('i32');
    this.ok = f.local('i32');
    this.found = f.local('i32');
    this.inside = f.local('i32');
  }

  /** A left value slot: a local loaded before the loop, filled per left record by `write`. */
  private leftValue(write: (i: number) => number): number {
    const s = this.slot++;
    this.writers.push((u32, i) => {
      u32[s] = write(i);
    });
    const l = this.f.local('i32');
    this.f
      .i32(0)
      .mem(OP.i32_load, this.scratch.left + 4 * s, 2)
      .set(l);
    return l;
  }

  private leftSet(feature: string): LeftSetLocals {
    const col = this.cols.set(feature);
    const { values, max } = col;
    const s = this.slot;
    this.slot += 3 + max;
    // As LeftSet in conditions.ts: the non-zero prefix of record i's set, with its masks.
    this.writers.push((u32, i) => {
      let n = 0;
      let m1 = 0;
      let m2 = 0;
      for (let y = 0; y < max; y++) {
        const v = values[i * max + y] ?? 0;
        if (v === 0) break;
        u32[s + 3 + n++] = v;
        m1 |= 1 << (v & 31);
        m2 |= 1 << ((v >>> 5) & 31);
      }
      u32[s] = n;
      u32[s + 1] = m1;
      u32[s + 2] = m2;
    });
    const f = this.f;
    const [count, m1, m2] = [f.local('i32'), f.local('i32'), f.local('i32')];
    const base = this.scratch.left + 4 * s;
    f.i32(0).mem(OP.i32_load, base, 2).set(count);
    f.i32(0)
      .mem(OP.i32_load, base + 4, 2)
      .set(m1);
    f.i32(0)
      .mem(OP.i32_load, base + 8, 2)
      .set(m2);
    return { count, m1, m2, ptr: base + 12 };
  }

  /**
   * The locals holding left record's filter of feature `a` as `words` 64-bit words (loaded before
   * the loop; the writer copies the record's filter bytes, zero-padded, into the left area).
   */
  private leftFilter(a: string, words: number): number[] {
    const known = this.leftFilters.get(a);
    if (known) return known;
    const bytes = this.cols.bloom(a);
    const per = this.cols.bloomBytes(a);
    const s = this.slot;
    this.slot += 2 * words;
    this.writers.push((u32, i) => {
      for (let w = 0; w < 2 * words; w++) {
        let v = 0;
        for (let b = 3; b >= 0; b--) {
          const at = 4 * w + b;
          v = (v << 8) | (at < per ? (bytes[i * per + at] ?? 0) : 0);
        }
        u32[s + w] = v;
      }
    });
    const locals: number[] = [];
    for (let w = 0; w < words; w++) {
      const l = this.f.local('i64');
      this.f
        .i32(0)
        .mem(OP.i64_load, this.scratch.left + 4 * s + 8 * w, 2)
        .set(l);
      locals.push(l);
    }
    this.leftFilters.set(a, locals);
    return locals;
  }

  /**
   * Prepares the and-count of Dice pair p (left a, right b) and returns the code pushing it for the
   * candidate: the gather's, or (inline) computed from the row's filter at its first use in the
   * candidate's iteration (a feature pair's Dice levels share it).
   */
  private andCount(p: number, a: string, b: string): Emit {
    const f = this.f;
    if (!this.inlineAnds) {
      const addr = this.andsAddr.get(p);
      if (addr === undefined) throw new TypeError(`Dice pair ${a}/${b} was not prepared`);
      return () => f.get(this.x2).mem(OP.i32_load16_u, addr, 1);
    }
    let known = this.ands.get(p);
    if (!known) {
      const rf = this.store.filters[b];
      if (!rf) throw new TypeError(`the row store has no filter ${b}`);
      const left = this.leftFilter(a, rf.words);
      const local = f.local('i32');
      const compute = () => {
        for (let w = 0; w < rf.words; w++) {
          f.get(this.r)
            .mem(OP.i64_load, rf.base + 8 * w, 3)
            .get(left[w] ?? 0)
            .op(OP.i64_and, OP.i64_popcnt);
          if (w > 0) f.op(OP.i64_add);
        }
        f.op(OP.i32_wrap_i64);
      };
      known = { local, compute };
      this.ands.set(p, known);
    }
    const { local, compute } = known;
    return () => {
      f.get(local).i32(-1).op(OP.i32_eq).if();
      compute();
      f.set(local).end();
      f.get(local);
    };
  }

  /** Pushes word `off` of the candidate's row. */
  private rowWord(off: number): void {
    this.f.get(this.r).mem(OP.i32_load, this.store.base + 4 * off, 2);
  }

  /** Pushes a row field's value. */
  private rowField(fl: RowField): void {
    this.rowWord(fl.offset);
    if (fl.bits !== 32)
      this.f
        .i32(fl.shift)
        .op(OP.i32_shr_u)
        .i32((1 << fl.bits) - 1)
        .op(OP.i32_and);
  }

  /** Pushes whether local v (non-zero) may be in the set: its low bits are in both masks. */
  private maskTest(set: LeftSetLocals, v: number): void {
    const f = this.f;
    f.get(set.m1).get(v).op(OP.i32_shr_u);
    f.get(set.m2).get(v).i32(5).op(OP.i32_shr_u).op(OP.i32_shr_u);
    f.op(OP.i32_and).i32(1).op(OP.i32_and);
  }

  /** Pushes whether local v is in the set (LeftSet.has). */
  private inSet(set: LeftSetLocals, v: number): void {
    const f = this.f;
    this.maskTest(set, v);
    f.if();
    f.i32(set.ptr).get(set.count).get(v).call(this.has).set(this.inside);
    f.else();
    f.i32(0).set(this.inside);
    f.end();
    f.get(this.inside);
  }

  /** Prepares condition c (hoisting its left values) and returns the code pushing whether it holds. */
  private condition(c: LevelCondition): Emit {
    const f = this.f;
    switch (c.type) {
      case 'else':
        return () => f.i32(1);
      case 'exact': {
        const col = this.cols.hash(c.feature);
        const v = this.leftValue((i) => col[i] ?? 0);
        const off = field(this.store, c.feature).offset;
        return () => {
          f.get(v).i32(0).op(OP.i32_ne);
          this.rowWord(off);
          f.get(v).op(OP.i32_eq, OP.i32_and);
        };
      }
      case 'cross': {
        const ca = this.cols.hash(c.a);
        const cb = this.cols.hash(c.b);
        const va = this.leftValue((i) => ca[i] ?? 0);
        const vb = this.leftValue((i) => cb[i] ?? 0);
        const offA = field(this.store, c.a).offset;
        const offB = field(this.store, c.b).offset;
        return () => {
          f.get(va).i32(0).op(OP.i32_ne);
          this.rowWord(offB);
          f.get(va).op(OP.i32_eq, OP.i32_and);
          f.get(vb).i32(0).op(OP.i32_ne);
          this.rowWord(offA);
          f.get(vb).op(OP.i32_eq, OP.i32_and, OP.i32_or);
        };
      }
      case 'overlap': {
        const set = this.leftSet(c.feature);
        const b = field(this.store, c.feature);
        return () => {
          const { found, t } = this;
          f.i32(0).set(found);
          f.block();
          for (let y = 0; y < b.width; y++) {
            this.rowWord(b.offset + y);
            f.tee(t).op(OP.i32_eqz).brIf(0);
            this.maskTest(set, t);
            f.if();
            f.i32(set.ptr).get(set.count).get(t).call(this.has).if();
            f.i32(1).set(found).br(2);
            f.end().end();
          }
          f.end();
          f.get(found);
        };
      }
      case 'partOf': {
        const wholeCol = this.cols.hash(c.whole);
        const whole = this.leftValue((i) => wholeCol[i] ?? 0);
        const set = this.leftSet(c.parts);
        const rw = field(this.store, c.whole);
        const rp = field(this.store, c.parts);
        return () => {
          const { found, t } = this;
          f.i32(0).set(found);
          f.block();
          // Left whole among the right parts, right whole among the left parts, or a shared part.
          this.rowWord(rw.offset);
          f.tee(t).if();
          this.inSet(set, t);
          f.if().i32(1).set(found).br(2).end();
          f.end();
          for (let y = 0; y < rp.width; y++) {
            this.rowWord(rp.offset + y);
            f.tee(t).op(OP.i32_eqz).brIf(0);
            f.get(t).get(whole).op(OP.i32_eq).get(whole).i32(0).op(OP.i32_ne, OP.i32_and);
            f.if().i32(1).set(found).br(1).end();
            this.inSet(set, t);
            f.if().i32(1).set(found).br(1).end();
          }
          f.end();
          f.get(found);
        };
      }
      case 'dice': {
        const d = this.diceTest(c.feature, c.feature, c.min);
        return d;
      }
      case 'crossDice': {
        const ab = this.diceTest(c.a, c.b, c.min);
        const ba = this.diceTest(c.b, c.a, c.min);
        const both = c.both === true;
        return () => {
          ab();
          ba();
          f.op(both ? OP.i32_and : OP.i32_or);
        };
      }
      case 'all': {
        const parts = c.of.map((p) => this.condition(p));
        return () => {
          parts.forEach((p, k) => {
            p();
            if (k > 0) f.op(OP.i32_and);
          });
          if (parts.length === 0) f.i32(1);
        };
      }
      case 'jaroWinkler':
      case 'crossJaroWinkler':
      case 'levenshtein':
        throw new TypeError('string levels are not compiled');
    }
  }

  /**
   * Dice of left feature a with right feature b ≥ min, as diceSplit computes it: the
   * popcount-difference bound first, then 2·and / (|a| + |b|), in f64.
   */
  private diceTest(a: string, b: string, min: number): Emit {
    const f = this.f;
    const p = this.dice.pairIndex(a, b);
    if (p < 0) throw new TypeError(`Dice pair ${a}/${b} was not prepared`);
    const and = this.andCount(p, a, b);
    const counts = () => this.dice.leftCounts(a);
    let view: Uint16Array | undefined;
    const ci = this.leftValue((i) => {
      // leftCounts gives a view of the kernel memory: taken again if the memory's buffer changed.
      if (!view || view.buffer.byteLength === 0) view = counts();
      return view[i] ?? 0;
    });
    const cField = field(this.store, `${b}#count`);
    return () => {
      const { cj, tot, ok } = this;
      this.rowField(cField);
      f.set(cj);
      f.get(ci).get(cj).op(OP.i32_add).set(tot);
      f.i32(0).set(ok);
      // !(2·min(ci, cj) < min·(ci + cj))
      f.get(ci)
        .get(cj)
        .get(ci)
        .get(cj)
        .op(OP.i32_lt_u, OP.select)
        .i32(1)
        .op(OP.i32_shl, OP.f64_convert_i32_u);
      f.f64(min).get(tot).op(OP.f64_convert_i32_u, OP.f64_mul, OP.f64_lt, OP.i32_eqz);
      f.if();
      f.get(tot).if();
      and();
      f.i32(1).op(OP.i32_shl, OP.f64_convert_i32_u);
      f.get(tot).op(OP.f64_convert_i32_u, OP.f64_div).f64(min).op(OP.f64_ge).set(ok);
      f.else();
      f.i32(0 >= min ? 1 : 0).set(ok);
      f.end();
      f.end();
      f.get(ok);
    };
  }

  /**
   * `touch(n)`: loads one word of every cache line of each candidate's row and discards it. A loop
   * this short keeps many cache misses in flight at once, so the rows (of millions, in no order)
   * are in cache for the Dice gather and the level loop, whose long bodies would wait for each
   * miss in turn (bench/score.bench.ts: 0.19–0.28 µs a pair with it, 0.36–0.43 without; docs/scaling.md).
   */
  touch(): void {
    const f = this.f;
    const { x, r } = this;
    f.block().loop();
    f.get(x).get(0).op(OP.i32_ge_u).brIf(1);
    f.get(x).i32(2).op(OP.i32_shl).mem(OP.i32_load, this.scratch.idx, 2);
    f.i32(this.store.stride).op(OP.i32_mul).set(r);
    for (let o = 0; o < this.store.stride; o += 64)
      f.get(r)
        .mem(OP.i32_load, this.store.base + o, 2)
        .op(OP.drop);
    f.get(x).i32(1).op(OP.i32_add).set(x);
    f.br(0).end().end();
  }

  /** The function body: hoisted left values, then the loop over the candidates. */
  body(specs: readonly ComparisonSpec[], compiled: readonly boolean[], score: boolean): void {
    const f = this.f;
    const { x, r, x2, L } = this;
    const w = score ? f.local('f64') : -1;
    const plans = specs.map((spec, k) => (compiled[k] ? this.comparison(spec) : undefined));
    f.block().loop();
    f.get(x).get(0).op(OP.i32_ge_u).brIf(1);
    f.get(x).i32(2).op(OP.i32_shl).mem(OP.i32_load, this.scratch.idx, 2);
    f.i32(this.store.stride).op(OP.i32_mul).set(r);
    f.get(x).i32(1).op(OP.i32_shl).set(x2);
    for (const { local } of this.ands.values()) f.i32(-1).set(local);
    if (score) f.get(1).set(w);
    plans.forEach((plan, k) => {
      if (!plan) return;
      plan();
      f.get(x)
        .get(L)
        .mem(OP.i32_store8, this.scratch.out + k * this.scratch.outStride, 0);
      if (score) {
        f.get(w);
        f.get(L)
          .i32(3)
          .op(OP.i32_shl)
          .mem(OP.f64_load, this.scratch.table + 2048 * k, 3);
        f.op(OP.f64_add).set(w);
      }
    });
    if (score) f.get(x).i32(3).op(OP.i32_shl).get(w).mem(OP.f64_store, this.scratch.weights, 3);
    f.get(x).i32(1).op(OP.i32_add).set(x);
    f.br(0).end().end();
  }

  /** Prepares one comparison; the returned code leaves its level (or NULL_LEVEL) in local L. */
  private comparison(spec: ComparisonSpec): Emit {
    const f = this.f;
    const { L, d } = this;
    const reqL = spec.requires.map((r) => this.cols.presence(r));
    const dqL = spec.dq ? this.cols.dq(spec.dq) : undefined;
    // Null on the left side (a required feature missing, data quality unknown) nulls every pair.
    const active = this.leftValue((i) => {
      // Indexed, not for…of: run per CoC record staged, mostly before the code is optimised, where
      // an iterator costs a call per step.
      for (let r = 0; r < reqL.length; r++) {
        const req = reqL[r] as (typeof reqL)[number];
        if (req.values[i * req.stride] === 0) return 0;
      }
      return dqL && isUnknownDq(dqL[i] ?? 0) ? 0 : 1;
    });
    const a2 = this.leftValue((i) => (dqL && dqL[i] === 2 ? 1 : 0));
    const reqR = spec.requires.map((r) => presenceField(this.store, r));
    const dqField = spec.dq ? field(this.store, DQ_FIELDS[spec.dq]) : undefined;
    const nullCond = spec.nullWhen ? this.condition(spec.nullWhen) : undefined;
    const conds = spec.levels.map((lv) => this.condition(lv.when));
    const n = conds.length;
    const split = spec.splitByDq === true && dqField !== undefined;
    return () => {
      f.i32(NULL_LEVEL).set(L);
      f.block();
      f.get(active).op(OP.i32_eqz).brIf(0);
      if (dqField) {
        this.rowField(dqField);
        f.tee(d).i32(8).op(OP.i32_eq);
        f.get(d).i32(9).op(OP.i32_eq, OP.i32_or);
        f.get(d).i32(99).op(OP.i32_eq, OP.i32_or);
        f.brIf(0);
      }
      for (const req of reqR) {
        this.rowField(req);
        f.op(OP.i32_eqz).brIf(0);
      }
      // Pairs the null rule takes have no evidence (L stays NULL_LEVEL).
      if (nullCond) {
        nullCond();
        f.brIf(0);
      }
      // The first level that holds wins; pairs no level takes get the last.
      f.block();
      for (let k = 0; k < n - 1; k++) {
        f.i32(k).set(L);
        at(conds, k)();
        f.brIf(0);
      }
      f.i32(n - 1).set(L);
      f.end();
      if (split) {
        f.get(L).i32(n).i32(0);
        f.get(a2).get(d).i32(2).op(OP.i32_eq, OP.i32_or);
        f.op(OP.select, OP.i32_add).set(L);
      }
      f.end();
    };
  }
}
