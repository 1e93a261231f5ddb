/**
 * How many true pairs blocking never compares (issue #13), without labels. A pair is compared when
 * at least one blocking pass gives both records a common key; a pass's key agrees when every one of
 * its parts agrees (e.g. `lastSoundexYear`: the surname Soundex and the birth year). The parts come
 * from a few fields — the names, the DOB, the SSN, the member ID — and which parts of a field agree
 * on a true pair is one outcome of that field's corruption. The passes share fields, so they fail
 * together (capture–recapture over the passes assumes the opposite and fails); the fields, given a
 * match, are taken as independent — the assumption Fellegi–Sunter scoring already makes.
 *
 * So: each field has a latent agreement state (which of its parts agree), with a distribution θ;
 * a true pair shows the set of passes that fire (a bitmask, observed only when not empty); the fit
 * is the maximum-likelihood θ of the product model truncated to the non-empty masks (EM, the empty
 * cell's count being the missing data), each compared pair weighted by its probability of being a
 * match. The share of true pairs no pass catches is the model's probability of the empty mask.
 */
import type { BlockColumn } from '../encoded/batch.js';
import type { BlockingPassSpec, BlockPart } from '../encoded/schema.js';
import { indexHolds, type PassIndex } from './blocking.js';

/** The field each blocking-key part comes from: parts of one field are modelled jointly. */
const FIELD_OF: Readonly<Record<BlockPart, string>> = {
  lastSoundex: 'name',
  lastPartSoundex: 'name',
  firstSoundex: 'name',
  firstCanonicalSoundex: 'name',
  nameSoundexPair: 'name',
  firstInitial: 'name',
  dob: 'dob',
  dobOrSwapped: 'dob',
  dobYear: 'dob',
  sex: 'sex',
  ssn: 'ssn',
  ssnLast4: 'ssn',
  memberId: 'memberId',
};

/** Latent agreement bits at most (2^16 joint states). */
const MAX_BITS = 16;
const MAX_ITERATIONS = 500;
const TOLERANCE = 1e-9;

/**
 * Which blocking passes give both records of each pair a common key: bit p of `mask[k]` is set when
 * pass `names[p]` does for pair k (`left[k]` of `coc`, `right[k]` of `plan`). Caps on block sizes are
 * not applied: the mask says which passes' keys agree.
 * @throws RangeError with more than 31 passes.
 * @example
 * ```ts
 * const masks = passMasks(['dob', 'nameSoundexPair'], coc.blocks, mcp.blocks, [0], [3]);
 * masks[0]; // 1: the DOB pass's keys agree, the name pass's do not
 * ```
 */
export function passMasks(
  names: readonly string[],
  coc: Readonly<Record<string, BlockColumn>>,
  plan: Readonly<Record<string, BlockColumn>>,
  left: ArrayLike<number>,
  right: ArrayLike<number>,
): Uint32Array {
  return masksBy(names, coc, left, right, (name) => {
    const b = plan[name];
    if (!b) return undefined;
    return (key, j) => {
      const end = b.offsets[j + 1] ?? 0;
      for (let t = b.offsets[j] ?? 0; t < end; t++) if (b.keys[t] === key) return true;
      return false;
    };
  });
}

/**
 * {@link passMasks} with the plan's side answered from its pass indexes (`buildPassIndex`) instead
 * of its block lists — the same masks: plan record j holds a key of the index's pass exactly when
 * the index has the pair (key, j). For a plan whose block lists were consumed building the indexes
 * in place (`buildPassIndexOver`). A pass without an index (by name) has no bit set.
 * @throws RangeError with more than 31 passes.
 * @example
 * ```ts
 * const masks = passMasksIndexed(['dob'], coc.blocks, [buildPassIndex('dob', mcp.blocks.dob!)], [0], [3]);
 * ```
 */
export function passMasksIndexed(
  names: readonly string[],
  coc: Readonly<Record<string, BlockColumn>>,
  plan: readonly PassIndex[],
  left: ArrayLike<number>,
  right: ArrayLike<number>,
): Uint32Array {
  return masksBy(names, coc, left, right, (name) => {
    const idx = plan.find((x) => x.name === name);
    return idx ? (key, j) => indexHolds(idx, key, j) : undefined;
  });
}

/**
 * The masks of {@link passMasks} with the plan's side asked of `holdsOf(name)`: whether plan record
 * j has `key` in that pass (undefined: the pass is not on both sides, no bit).
 */
function masksBy(
  names: readonly string[],
  coc: Readonly<Record<string, BlockColumn>>,
  left: ArrayLike<number>,
  right: ArrayLike<number>,
  holdsOf: (name: string) => ((key: number, j: number) => boolean) | undefined,
): Uint32Array {
  if (names.length > 31) throw new RangeError('names: at most 31 passes');
  const n = left.length;
  const out = new Uint32Array(n);
  // Many pairs in plan-record order: each pass's plan offsets and keys (12 MB a pass for 3·10⁶
  // members) are then read front to back, not at random. A few thousand pairs read few enough
  // records that the sort (in a fresh process, before the JIT has compiled it) costs more.
  const order = n >= 1 << 15 ? byRight(right) : identity(n);
  names.forEach((name, p) => {
    const a = coc[name];
    const holds = holdsOf(name);
    if (!a || !holds) return;
    for (let x = 0; x < n; x++) {
      const k = order[x] ?? 0;
      const i = left[k] ?? 0;
      const j = right[k] ?? 0;
      const aEnd = a.offsets[i + 1] ?? 0;
      for (let q = a.offsets[i] ?? 0; q < aEnd; q++)
        if (holds(a.keys[q] ?? 0, j)) {
          out[k] = (out[k] ?? 0) | (1 << p);
          break;
        }
    }
  });
  return out;
}

function identity(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  return order;
}

/**
 * Pair indices in ascending `right` order (a stable LSD radix sort, 11 bits a pass; a pass whose
 * digit every index shares, as the top one below 2^22 records, is skipped).
 */
function byRight(right: ArrayLike<number>): Uint32Array {
  const n = right.length;
  let src = new Uint32Array(n);
  for (let k = 0; k < n; k++) src[k] = k;
  if (n === 0) return src;
  let dst = new Uint32Array(n);
  const count = new Uint32Array(2049);
  for (const shift of [0, 11, 22]) {
    count.fill(0);
    for (let k = 0; k < n; k++) {
      const d = ((right[k] ?? 0) >>> shift) & 0x7ff;
      count[d + 1] = (count[d + 1] ?? 0) + 1;
    }
    if (count[(((right[0] ?? 0) >>> shift) & 0x7ff) + 1] === n) continue;
    for (let d = 0; d < 2048; d++) count[d + 1] = (count[d + 1] ?? 0) + (count[d] ?? 0);
    for (let x = 0; x < n; x++) {
      const k = src[x] ?? 0;
      const d = ((right[k] ?? 0) >>> shift) & 0x7ff;
      const at = count[d] ?? 0;
      dst[at] = k;
      count[d] = at + 1;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

/** The fitted model of which passes catch a true pair. */
export interface UnseenEstimate {
  /** β: the share of true pairs that no pass catches (the empty mask's probability). */
  readonly share: number;
  /** Per field (`name`, `dob`, `ssn`, `sex`, `memberId`, those the passes use): the parts modelled. */
  readonly fields: readonly { readonly field: string; readonly parts: readonly BlockPart[] }[];
  /** Σ of the pair weights the fit read (the expected true pairs among the compared ones). */
  readonly weight: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Fits the truncated product model (see the module comment) to the pass masks of compared pairs,
 * each weighted by its probability of being a true match, and returns β, the share of true pairs
 * that no pass catches. Undefined when the passes use more than 16 distinct parts, when β is not
 * identifiable (a field every pass keys on: its disagreement hides the pair from every pass, so no
 * caught pair tells how often it happens), or the weights sum to 0. Sums run over sorted values per mask, so the result does not depend on pair order.
 * @param passes - the blocking passes, in the mask's bit order.
 * @param masks - per pair, the passes whose keys agree ({@link passMasks}).
 * @param weights - per pair, its probability of being a true match.
 * @example
 * ```ts
 * const est = unseenShare(DEFAULT_SCHEMA.blocking, masks, probabilities);
 * est?.share; // e.g. 0.027 on FEBRL 4
 * ```
 */
export function unseenShare(
  passes: readonly BlockingPassSpec[],
  masks: ArrayLike<number>,
  weights: ArrayLike<number>,
): UnseenEstimate | undefined {
  if (masks.length !== weights.length) throw new RangeError('masks and weights must have the same length');
  // Latent bits: one per distinct part, grouped by field.
  const fieldParts = new Map<string, BlockPart[]>();
  for (const p of passes)
    for (const part of p.parts) {
      const f = FIELD_OF[part];
      const list = fieldParts.get(f) ?? [];
      if (!list.includes(part)) list.push(part);
      fieldParts.set(f, list);
    }
  const fields = [...fieldParts].map(([field, parts]) => ({ field, parts }));
  const bits: BlockPart[] = fields.flatMap((f) => f.parts);
  if (bits.length > MAX_BITS || passes.length > 31) return undefined;
  const states = 1 << bits.length;
  // Each joint state's mask: pass p fires when all its parts' bits are set.
  const need = passes.map((p) => p.parts.reduce((m, part) => m | (1 << bits.indexOf(part)), 0));
  const fired = new Uint32Array(states);
  for (let s = 0; s < states; s++) {
    let m = 0;
    need.forEach((nd, p) => {
      if ((s & nd) === nd) m |= 1 << p;
    });
    fired[s] = m;
  }
  // A field state that fires no pass whatever the other fields do (a field every pass keys on, as
  // with one pass) puts its mass only in the empty cell: β is then not identifiable.
  let shift0 = 0;
  for (const f of fields) {
    const size = 1 << f.parts.length;
    const fires = new Uint8Array(size);
    for (let s = 0; s < states; s++) if ((fired[s] ?? 0) !== 0) fires[(s >>> shift0) & (size - 1)] = 1;
    if (fires.includes(0)) return undefined;
    shift0 += f.parts.length;
  }
  const { observed, total } = observedByMask(masks, weights);
  if (!(total > 0)) return undefined;
  // Field f's state is the slice of the joint state holding its bits.
  let shift = 0;
  const slices = fields.map((f) => {
    const s = { shift, size: 1 << f.parts.length };
    shift += f.parts.length;
    return s;
  });
  const F = slices.length;
  const shifts = Int32Array.from(slices, (sl) => sl.shift);
  const sizeMasks = Int32Array.from(slices, (sl) => sl.size - 1);
  // Each joint state's observable mask as a dense index (0: the empty mask), in order of first
  // appearance, and that mask's observed weight: the E-step's sums then run over arrays, in the
  // same state order as before, so to the same bits.
  const maskIndex = new Int32Array(states);
  const indexOf = new Map<number, number>([[0, 0]]);
  const observedOf: number[] = [0];
  for (let s = 0; s < states; s++) {
    const m = fired[s] ?? 0;
    let x = indexOf.get(m);
    if (x === undefined) {
      x = observedOf.length;
      indexOf.set(m, x);
      observedOf.push(observed.get(m) ?? 0);
    }
    maskIndex[s] = x;
  }
  const theta = slices.map((s) => new Float64Array(s.size).fill(1 / s.size));
  const prob = new Float64Array(states);
  const maskP = new Float64Array(observedOf.length);
  const jointProbabilities = (): void => {
    for (let s = 0; s < states; s++) {
      let p = 1;
      for (let f = 0; f < F; f++)
        p *= (theta[f] as Float64Array)[(s >>> (shifts[f] as number)) & (sizeMasks[f] as number)] ?? 0;
      prob[s] = p;
    }
  };
  let iterations = 0;
  let converged = false;
  let share = 0;
  while (iterations < MAX_ITERATIONS) {
    jointProbabilities();
    // Probability of each observable mask, and of the empty one.
    maskP.fill(0);
    let empty = 0;
    for (let s = 0; s < states; s++) {
      const x = maskIndex[s] as number;
      if (x === 0) empty += prob[s] as number;
      else maskP[x] = (maskP[x] as number) + (prob[s] as number);
    }
    // E-step: expected count of each joint state; the empty cell holds total × empty / (1 − empty).
    const emptyCount = empty < 1 ? (total * empty) / (1 - empty) : 0;
    const next = slices.map((s) => new Float64Array(s.size));
    for (let s = 0; s < states; s++) {
      const x = maskIndex[s] as number;
      const p = prob[s] as number;
      if (p === 0) continue;
      const count =
        x === 0 ? (emptyCount * p) / empty : ((observedOf[x] as number) * p) / (maskP[x] as number);
      if (count === 0) continue;
      for (let f = 0; f < F; f++) {
        const row = next[f] as Float64Array;
        const y = (s >>> (shifts[f] as number)) & (sizeMasks[f] as number);
        row[y] = (row[y] as number) + count;
      }
    }
    let moved = 0;
    next.forEach((row, f) => {
      const sum = row.reduce((a, x) => a + x, 0);
      const old = theta[f];
      if (!old) return;
      for (let x = 0; x < row.length; x++) {
        const v = sum > 0 ? (row[x] ?? 0) / sum : 0;
        moved = Math.max(moved, Math.abs(v - (old[x] ?? 0)));
        old[x] = v;
      }
    });
    iterations++;
    share = empty;
    if (moved < TOLERANCE) {
      converged = true;
      break;
    }
  }
  jointProbabilities();
  share = 0;
  for (let s = 0; s < states; s++) if ((fired[s] ?? 0) === 0) share += prob[s] ?? 0;
  return { share, fields, weight: total, iterations, converged };
}

/** `observedByMask`'s dense index: each counted pair's mask slot (`slotOf`) and each slot's size. */
function slotMasks(
  masks: ArrayLike<number>,
  weights: ArrayLike<number>,
  slot: Map<number, number>,
  slotOf: Int32Array,
  sizes: number[],
): void {
  for (let k = 0; k < masks.length; k++) {
    const m = masks[k] ?? 0;
    const w = weights[k] ?? 0;
    if (m === 0 || !(w > 0)) continue;
    let x = slot.get(m);
    if (x === undefined) {
      x = sizes.length;
      slot.set(m, x);
      sizes.push(0);
    }
    slotOf[k] = x;
    sizes[x] = (sizes[x] ?? 0) + 1;
  }
}

/** The counted pairs' weights grouped by slot (slot x at `start[x] .. start[x + 1]`), in pair order. */
function groupWeights(
  weights: ArrayLike<number>,
  slotOf: Int32Array,
  start: Uint32Array,
  slots: number,
): Float64Array {
  const fill = start.slice(0, slots);
  const grouped = new Float64Array(start[slots] ?? 0);
  for (let k = 0; k < slotOf.length; k++) {
    const x = slotOf[k] ?? -1;
    if (x < 0) continue;
    const at = fill[x] ?? 0;
    grouped[at] = weights[k] ?? 0;
    fill[x] = at + 1;
  }
  return grouped;
}

/**
 * The observed weight of each non-empty mask (Σ of its pairs' positive weights, in ascending order:
 * the same bits whatever the pair order), in ascending mask order, and their total (added in that
 * order). The pairs are grouped by mask with a counting sort into one typed array, each group
 * sorted in place: no list per mask.
 */
function observedByMask(
  masks: ArrayLike<number>,
  weights: ArrayLike<number>,
): { observed: Map<number, number>; total: number } {
  // Dense index of each distinct mask, then the masks in ascending order.
  // The two loops over the pairs are functions of their own: optimised during one, this
  // function's code was dropped at the allocation after it, which had not run yet.
  const slot = new Map<number, number>();
  const slotOf = new Int32Array(masks.length).fill(-1);
  const sizes: number[] = [];
  slotMasks(masks, weights, slot, slotOf, sizes);
  const start = new Uint32Array(sizes.length + 1);
  for (let x = 0; x < sizes.length; x++) start[x + 1] = (start[x] ?? 0) + (sizes[x] ?? 0);
  const grouped = groupWeights(weights, slotOf, start, sizes.length);
  const observed = new Map<number, number>();
  let total = 0;
  for (const m of [...slot.keys()].sort((a, b) => a - b)) {
    const x = slot.get(m) ?? 0;
    // Positive finite weights: the typed array's numeric sort is the comparator sort's order.
    const group = grouped.subarray(start[x] ?? 0, start[x + 1] ?? 0).sort();
    let w = 0;
    for (let q = 0; q < group.length; q++) w += group[q] ?? 0;
    observed.set(m, w);
    total += w;
  }
  return { observed, total };
}
