/**
 * One-to-one assignment: from scored candidate pairs keep at most one pair per left record and per
 * right record, greedily (fast, simple to explain) or optimally (maximum total weight).
 */

/**
 * Scored candidate pairs as columns: pair i links left record `left[i]` to right record `right[i]`
 * with match weight `weight[i]`. All three have the same length.
 */
export interface ScoredPairs {
  readonly left: Uint32Array;
  readonly right: Uint32Array;
  readonly weight: Float64Array;
}

/**
 * Orders two pair indices whose weights are equal: negative if pair `a` should be kept in preference
 * to pair `b`, positive for the reverse, 0 if indifferent.
 */
export type TieBreak = (a: number, b: number) => number;

/**
 * Greedy one-to-one assignment: pairs are taken in decreasing weight and kept if neither record is
 * already linked (the common rule in registry linkage). Every pair given is a candidate, whatever
 * its sign: filter by threshold first.
 *
 * **Tie rule:** equal weights are ordered by `tie` when given (then by pair index if it returns 0);
 * otherwise by smaller left index, then smaller right index, then smaller pair index. The result
 * is therefore deterministic and independent of the input order up to duplicate pairs.
 *
 * Time O(n log n) for n pairs; memory O(n + records).
 *
 * @returns the indices of the kept pairs, ascending.
 * @throws TypeError / RangeError if the columns differ in length or a weight is NaN.
 * @example
 * ```ts
 * const kept = greedyOneToOne({ left, right, weight }, (a, b) => cmp(ids[a], ids[b]));
 * for (const i of kept) link(left[i], right[i]);
 * ```
 */
export function greedyOneToOne(pairs: ScoredPairs, tie?: TieBreak): Uint32Array {
  const n = assertPairs(pairs, false);
  const all = new Uint32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const l = compactIds(pairs.left);
  const r = compactIds(pairs.right);
  const kept = greedyOn(pairs, all, tie, l.ids, r.ids, new Uint8Array(l.count), new Uint8Array(r.count));
  return kept.slice().sort();
}

/** Information on a component too large for the exact solver (solved greedily instead). */
export interface FallbackInfo {
  /** Candidate pairs (with weight > baseline) in the component. */
  readonly pairs: number;
  /** Distinct left records in the component. */
  readonly leftRecords: number;
  /** Distinct right records in the component. */
  readonly rightRecords: number;
}

/** Options of {@link optimalOneToOne}. */
export interface OptimalOptions {
  /**
   * Size guard: a connected component whose `pairs × min(leftRecords, rightRecords)` (the bound on
   * its solving work) exceeds this is solved greedily. Default 2e7: each unit costs about 50–150 ns
   * (measured on a busy 2-core machine), so no single component takes more than a few seconds.
   */
  readonly maxComponentWork?: number;
  /** Called for every component solved greedily because of the size guard. */
  readonly onFallback?: (info: FallbackInfo) => void;
  /**
   * The value of leaving a record unlinked, in weight units; default 0. Pairs with weight ≤
   * `baseline` are never kept and the objective is Σ (weight − baseline). 0 gives the most probable
   * linkage (see below); a lower baseline, e.g. the weight of the review threshold, makes every pair
   * above it worth keeping, so fewer records are left unlinked in contested components.
   */
  readonly baseline?: number;
  /**
   * Orders equal-weight pairs in the greedy fallback, as in {@link greedyOneToOne} (default: by left
   * index, then right index). The exact solver breaks ties by pair order: to make the result
   * independent of record positions, give the pairs in an order by record ID and a `tie` by ID.
   */
  readonly tie?: TieBreak;
}

/**
 * Optimal one-to-one assignment: the set of pairs, at most one per left and per right record, with the
 * largest total weight (a maximum-weight bipartite matching).
 *
 * Because the weight is a log-odds, this is the most probable one-to-one linkage when pairs are
 * treated as independent: log P(kept are matches, others not) = const + Σ_kept weight. Hence a pair
 * with weight ≤ 0 is never kept (it cannot raise the total); to keep every unconflicted candidate
 * above a threshold t instead, pass `baseline: probabilityToWeight(t)` (then pairs at exactly t are
 * left out).
 *
 * Method: pairs with weight > baseline are split into connected components of the bipartite graph; a
 * single-pair component is kept as is; others are solved exactly by successive shortest augmenting
 * paths (Dijkstra with potentials on the sparse residual graph, stopping when the best augmenting
 * path no longer adds weight: the matching of size s+1 found this way is optimal among size s+1, and
 * the optimum total is concave in s). Time O(a · E log V) for a component with E pairs, V records and
 * a ≤ min(left, right) augmentations. Components over `maxComponentWork` fall back to the greedy rule
 * (reported through `onFallback`).
 *
 * @returns the indices of the kept pairs, ascending.
 * @throws TypeError / RangeError if the columns differ in length or a weight is not finite.
 * @example
 * ```ts
 * let fallbacks = 0;
 * const kept = optimalOneToOne(pairs, { onFallback: () => fallbacks++ });
 * ```
 */
export function optimalOneToOne(pairs: ScoredPairs, opts: OptimalOptions = {}): Uint32Array {
  const n = assertPairs(pairs, true);
  const maxWork = opts.maxComponentWork ?? 2e7;
  const baseline = opts.baseline ?? 0;
  if (!(maxWork >= 0)) throw new RangeError('opts.maxComponentWork must be >= 0');
  if (!Number.isFinite(baseline)) throw new RangeError('opts.baseline must be finite');
  const { weight } = pairs;
  let worth = 0;
  for (let i = 0; i < n; i++) if (weight[i]! > baseline) worth++;
  const edges = new Uint32Array(worth);
  for (let i = 0, j = 0; i < n; i++) if (weight[i]! > baseline) edges[j++] = i;

  const l = compactIds(pairs.left);
  const r = compactIds(pairs.right);
  const { start, members } = components(edges, l, r);

  const kept: number[] = [];
  const usedL = new Uint8Array(l.count);
  const usedR = new Uint8Array(r.count);
  let maxEdges = 0;
  for (let c = 0; c + 1 < start.length; c++) maxEdges = Math.max(maxEdges, start[c + 1]! - start[c]!);
  const solver = new ComponentSolver(pairs, baseline, l, r, maxEdges);
  for (let c = 0; c + 1 < start.length; c++) {
    const from = start[c]!;
    const to = start[c + 1]!;
    if (to - from === 1) {
      kept.push(members[from]!);
      continue;
    }
    const info = solver.load(members, from, to);
    if ((to - from) * Math.min(info.leftRecords, info.rightRecords) > maxWork) {
      opts.onFallback?.(info);
      const comp = members.subarray(from, to);
      for (const i of greedyOn(pairs, comp, opts.tie, l.ids, r.ids, usedL, usedR)) kept.push(i);
    } else {
      solver.solve(kept);
    }
  }
  return Uint32Array.from(kept).sort();
}

/** Checks the columns; returns the number of pairs. */
function assertPairs(pairs: ScoredPairs, finite: boolean): number {
  const { left, right, weight } = pairs;
  if (!(left instanceof Uint32Array) || !(right instanceof Uint32Array)) {
    throw new TypeError('pairs.left and pairs.right must be Uint32Arrays');
  }
  if (!(weight instanceof Float64Array)) throw new TypeError('pairs.weight must be a Float64Array');
  const n = left.length;
  if (right.length !== n || weight.length !== n) {
    throw new RangeError('pairs.left, pairs.right and pairs.weight must have the same length');
  }
  for (let i = 0; i < n; i++) {
    const w = weight[i]!;
    if (finite ? !Number.isFinite(w) : Number.isNaN(w)) {
      throw new RangeError(`pairs.weight[${i}] must be ${finite ? 'finite' : 'a number'}`);
    }
  }
  return n;
}

/** Greedy on a subset of pair indices (ascending), marking used records; returns the kept indices. */
function greedyOn(
  pairs: ScoredPairs,
  subset: Uint32Array,
  tie: TieBreak | undefined,
  leftIds: Uint32Array,
  rightIds: Uint32Array,
  usedL: Uint8Array,
  usedR: Uint8Array,
): Uint32Array {
  const order = preferenceOrder(pairs, subset, tie);
  let kept = 0;
  for (const i of order) {
    const li = leftIds[i]!;
    const ri = rightIds[i]!;
    if (usedL[li] === 1 || usedR[ri] === 1) continue;
    usedL[li] = 1;
    usedR[ri] = 1;
    order[kept++] = i;
  }
  return order.subarray(0, kept);
}

/**
 * `subset` (ascending pair indices) in greedy preference order: weight descending, then `tie` (then
 * pair index), or by default left index, right index, pair index ascending. The order is total, so
 * any sort gives it: a stable radix sort by weight (pair index ascending within a weight), then a
 * comparator sort of each run of equal weights only. (A comparator sort of all the pairs measured
 * about 1 µs a pair, most of it the comparator's calls.)
 */
function preferenceOrder(pairs: ScoredPairs, subset: Uint32Array, tie: TieBreak | undefined): Uint32Array {
  const { left, right, weight } = pairs;
  const breakTie: TieBreak = tie ?? ((a, b) => left[a]! - left[b]! || right[a]! - right[b]!);
  if (subset.length < RADIX_MIN) {
    return subset.slice().sort((a, b) => {
      const wa = weight[a]!;
      const wb = weight[b]!;
      if (wa !== wb) return wa > wb ? -1 : 1;
      return breakTie(a, b) || a - b;
    });
  }
  const order = byWeightDescending(weight, subset);
  const n = order.length;
  for (let s = 0; s < n; ) {
    const w = weight[order[s]!]!;
    let e = s + 1;
    while (e < n && weight[order[e]!]! === w) e++;
    if (e - s > 1) order.subarray(s, e).sort((a, b) => breakTie(a, b) || a - b);
    s = e;
  }
  return order;
}

/**
 * Below this many pairs the comparator sort is quicker: a small job runs this once, mostly before
 * the JIT has compiled the radix loops (6,705 pairs of FEBRL 4 in a fresh process: 14 ms by the
 * comparator, 25–35 ms by the radix sort).
 */
const RADIX_MIN = 1 << 15;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * `subset` sorted by weight descending, stably (LSD radix sort on the weights' bits, 11 bits a
 * pass). The keys order the doubles: a non-negative weight's bits inverted with the sign bit
 * cleared, a negative weight's bits as they are; −0 counts as +0, as `===` has it. No NaN (checked).
 */
function byWeightDescending(weight: Float64Array, subset: Uint32Array): Uint32Array {
  const n = subset.length;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  const H = LITTLE_ENDIAN ? 1 : 0;
  const L = 1 - H;
  for (let x = 0; x < n; x++) {
    const w = weight[subset[x]!]!;
    f[0] = w === 0 ? 0 : w;
    const h = u[H]!;
    if (h >>> 31 === 1) {
      hi[x] = h;
      lo[x] = u[L]!;
    } else {
      hi[x] = ~h & 0x7fffffff;
      lo[x] = ~u[L]! >>> 0;
    }
  }
  let src = new Uint32Array(n);
  for (let x = 0; x < n; x++) src[x] = x;
  let dst = new Uint32Array(n);
  // 11-bit digits (six passes; a pass whose digit every key shares is skipped): a count table that
  // stays in the first-level cache, and little fixed work for the few thousand pairs of a small job.
  const count = new Uint32Array(2049);
  for (const [key, shift] of [
    [lo, 0],
    [lo, 11],
    [lo, 22],
    [hi, 0],
    [hi, 11],
    [hi, 22],
  ] as const) {
    count.fill(0);
    for (let x = 0; x < n; x++) count[((key[x]! >>> shift) & 0x7ff) + 1]!++;
    if (count[((key[0]! >>> shift) & 0x7ff) + 1] === n) continue;
    for (let d = 0; d < 2048; d++) count[d + 1]! += count[d]!;
    for (let x = 0; x < n; x++) {
      const p = src[x]!;
      dst[count[(key[p]! >>> shift) & 0x7ff]!++] = p;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  for (let x = 0; x < n; x++) src[x] = subset[src[x]!]!;
  return src;
}

/**
 * Record indices mapped to dense ids `0..count−1` (per pair).
 * @example
 * ```ts
 * const { ids, count }: Compacted = compactIds(Uint32Array.of(7, 3, 7)); // ids [0, 1, 0], count 2
 * ```
 */
export interface Compacted {
  /** Per pair, its record's dense id. */
  readonly ids: Uint32Array;
  /** Distinct records. */
  readonly count: number;
}

/**
 * The records of the pairs as dense ids `0..count−1`, numbered in order of first appearance when
 * the indices are small (direct lookup, the usual case), else in index order (sort + binary
 * search): per-record state then lives in typed arrays of `count` entries instead of a Map.
 * @example
 * ```ts
 * const { ids, count } = compactIds(Uint32Array.of(7, 3, 7));
 * // ids = [0, 1, 0], count = 2
 * ```
 */
export function compactIds(index: Uint32Array): Compacted {
  const n = index.length;
  let max = -1;
  for (let i = 0; i < n; i++) if (index[i]! > max) max = index[i]!;
  const ids = new Uint32Array(n);
  // Direct lookup while the largest record index is below 4n + 2^24: a transient table of 4 bytes
  // per index up to it, so at most 64 MiB + 16 bytes per pair (not 64 MiB at most: n pairs add
  // their share). A plan of millions has far fewer kept pairs than records, and sorting them costs
  // several times more.
  if (max < 4 * n + (1 << 24)) {
    // id + 1 per record, 0 for one not seen yet (a fresh table needs no fill).
    const map = new Uint32Array(max + 1);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const v = index[i]!;
      let id = map[v]!;
      if (id === 0) {
        id = ++count;
        map[v] = id;
      }
      ids[i] = id - 1;
    }
    return { ids, count };
  }
  const sorted = index.slice().sort();
  let count = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[count++] = sorted[i]!;
  const unique = sorted.subarray(0, count);
  for (let i = 0; i < n; i++) {
    const v = index[i]!;
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (unique[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    ids[i] = lo;
  }
  return { ids, count };
}

/** Connected components of the bipartite graph of `edges` (union–find), as CSR groups of pair indices. */
function components(
  edges: Uint32Array,
  l: Compacted,
  r: Compacted,
): { start: Uint32Array; members: Uint32Array } {
  const parent = new Int32Array(l.count + r.count);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[x] !== root) {
      const up = parent[x]!;
      parent[x] = root;
      x = up;
    }
    return root;
  };
  for (const e of edges) {
    const a = find(l.ids[e]!);
    const b = find(l.count + r.ids[e]!);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  // Counting sort of edges by component root.
  const compOf = new Int32Array(parent.length).fill(-1);
  const edgeComp = new Uint32Array(edges.length);
  let comps = 0;
  for (let j = 0; j < edges.length; j++) {
    const root = find(l.ids[edges[j]!]!);
    if (compOf[root]! < 0) compOf[root] = comps++;
    edgeComp[j] = compOf[root]!;
  }
  const start = new Uint32Array(comps + 1);
  for (const c of edgeComp) start[c + 1]!++;
  for (let c = 0; c < comps; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, comps);
  const members = new Uint32Array(edges.length);
  for (let j = 0; j < edges.length; j++) members[fill[edgeComp[j]!]!++] = edges[j]!;
  return { start, members };
}

/**
 * Exact maximum-weight matching of one component by successive shortest augmenting paths. All
 * buffers are allocated once, sized for the largest component, and reused (most components have
 * two or three pairs, so per-component allocation would dominate).
 */
class ComponentSolver {
  private readonly pairs: ScoredPairs;
  private readonly baseline: number;
  private readonly leftIds: Uint32Array;
  private readonly rightIds: Uint32Array;
  private readonly localL: Int32Array;
  private readonly localR: Int32Array;
  private members: Uint32Array = new Uint32Array(0);
  private from = 0;
  private edges = 0;
  private nL = 0;
  private nR = 0;
  // Local edge j: endpoints, weight; CSR adjacency of left nodes.
  private readonly edgeL: Int32Array;
  private readonly edgeR: Int32Array;
  private readonly edgeW: Float64Array;
  private readonly adjStart: Int32Array;
  private readonly adj: Int32Array;
  // Per local node.
  private readonly matchL: Int32Array;
  private readonly matchR: Int32Array;
  private readonly piL: Float64Array;
  private readonly piR: Float64Array;
  private readonly distL: Float64Array;
  private readonly distR: Float64Array;
  private readonly prevR: Int32Array;
  private readonly heap: MinHeap;

  constructor(pairs: ScoredPairs, baseline: number, left: Compacted, right: Compacted, maxEdges: number) {
    this.pairs = pairs;
    this.baseline = baseline;
    this.leftIds = left.ids;
    this.rightIds = right.ids;
    this.localL = new Int32Array(left.count).fill(-1);
    this.localR = new Int32Array(right.count).fill(-1);
    // A connected component with E edges has at most E + 1 nodes, at most E on each side.
    this.edgeL = new Int32Array(maxEdges);
    this.edgeR = new Int32Array(maxEdges);
    this.edgeW = new Float64Array(maxEdges);
    this.adjStart = new Int32Array(maxEdges + 2);
    this.adj = new Int32Array(maxEdges);
    this.matchL = new Int32Array(maxEdges);
    this.matchR = new Int32Array(maxEdges);
    this.piL = new Float64Array(maxEdges);
    this.piR = new Float64Array(maxEdges);
    this.distL = new Float64Array(maxEdges);
    this.distR = new Float64Array(maxEdges);
    this.prevR = new Int32Array(maxEdges);
    this.heap = new MinHeap(3 * maxEdges);
  }

  /** Indexes the component `members[from..to)` locally; returns its size. */
  load(members: Uint32Array, from: number, to: number): FallbackInfo {
    const { localL, localR, edgeL, edgeR, edgeW, adjStart, adj } = this;
    this.members = members;
    this.from = from;
    this.edges = to - from;
    const e = to - from;
    let nL = 0;
    let nR = 0;
    for (let j = 0; j < e; j++) {
      const i = members[from + j]!;
      const gl = this.leftIds[i]!;
      const gr = this.rightIds[i]!;
      if (localL[gl]! < 0) localL[gl] = nL++;
      if (localR[gr]! < 0) localR[gr] = nR++;
      edgeL[j] = localL[gl]!;
      edgeR[j] = localR[gr]!;
      edgeW[j] = this.pairs.weight[i]! - this.baseline;
    }
    // Reset the global → local maps for the next component.
    for (let j = 0; j < e; j++) {
      const i = members[from + j]!;
      localL[this.leftIds[i]!] = -1;
      localR[this.rightIds[i]!] = -1;
    }
    this.nL = nL;
    this.nR = nR;
    adjStart.fill(0, 0, nL + 2);
    for (let j = 0; j < e; j++) adjStart[edgeL[j]! + 2]!++;
    for (let a = 0; a < nL; a++) adjStart[a + 2]! += adjStart[a + 1]!;
    // adjStart[a + 1] is now the write cursor of node a; after filling it is node a's end = a+1's start.
    for (let j = 0; j < e; j++) adj[adjStart[edgeL[j]! + 1]!++] = j;
    return { pairs: e, leftRecords: nL, rightRecords: nR };
  }

  /** Solves the loaded component, pushing the kept global pair indices to `out`. */
  solve(out: number[]): void {
    const { nL, nR, adjStart, adj, edgeL, edgeR, edgeW, heap } = this;
    const e = this.edges;
    const matchL = this.matchL.fill(-1, 0, nL);
    const matchR = this.matchR.fill(-1, 0, nR);
    const { piL, piR, distL, distR, prevR } = this;
    const INF = Number.POSITIVE_INFINITY;
    // Potentials: reduced cost of residual arc x→y is cost + pi[x] − pi[y] ≥ 0. Unmatched arcs L→R
    // cost −w, matched arcs R→L cost +w. Start: piL = 0, piR[b] = min over arcs into b of −w.
    piL.fill(0, 0, nL);
    piR.fill(INF, 0, nR);
    for (let j = 0; j < e; j++) piR[edgeR[j]!] = Math.min(piR[edgeR[j]!]!, -edgeW[j]!);
    for (;;) {
      distL.fill(INF, 0, nL);
      distR.fill(INF, 0, nR);
      heap.clear();
      for (let a = 0; a < nL; a++) {
        if (matchL[a]! < 0) {
          distL[a] = 0;
          heap.push(0, a);
        }
      }
      // Node ids in the heap: left a → a, right b → nL + b.
      while (heap.size > 0) {
        const d = heap.topKey();
        const node = heap.pop();
        if (node < nL) {
          if (d > distL[node]!) continue;
          for (let p = adjStart[node]!; p < adjStart[node + 1]!; p++) {
            const j = adj[p]!;
            if (matchL[node] === j) continue;
            const b = edgeR[j]!;
            const nd = d + (-edgeW[j]! + piL[node]! - piR[b]!);
            if (nd < distR[b]!) {
              distR[b] = nd;
              prevR[b] = j;
              heap.push(nd, nL + b);
            }
          }
        } else {
          const b = node - nL;
          if (d > distR[b]!) continue;
          const j = matchR[b]!;
          if (j < 0) continue;
          const a = edgeL[j]!;
          const nd = d + (edgeW[j]! + piR[b]! - piL[a]!);
          if (nd < distL[a]!) {
            distL[a] = nd;
            heap.push(nd, a);
          }
        }
      }
      // Best free right node by true path cost (= reduced distance + its potential; free lefts have 0).
      let best = -1;
      let bestCost = 0;
      let maxDist = 0;
      for (let b = 0; b < nR; b++) {
        const d = distR[b]!;
        if (d === INF) continue;
        if (d > maxDist) maxDist = d;
        if (matchR[b]! < 0 && d + piR[b]! < bestCost) {
          bestCost = d + piR[b]!;
          best = b;
        }
      }
      if (best < 0) break; // no augmenting path adds weight
      for (let a = 0; a < nL; a++) {
        const d = distL[a]!;
        if (d !== INF && d > maxDist) maxDist = d;
      }
      // Unreached nodes move by the largest distance, which keeps every reduced cost ≥ 0.
      for (let a = 0; a < nL; a++) piL[a]! += Math.min(distL[a]!, maxDist);
      for (let b = 0; b < nR; b++) piR[b]! += Math.min(distR[b]!, maxDist);
      // Augment along the shortest-path tree back to a free left node.
      for (let b = best; ; ) {
        const j = prevR[b]!;
        const a = edgeL[j]!;
        const old = matchL[a]!;
        matchL[a] = j;
        matchR[b] = j;
        if (old < 0) break;
        b = edgeR[old]!;
      }
    }
    for (let a = 0; a < nL; a++) if (matchL[a]! >= 0) out.push(this.members[this.from + matchL[a]!]!);
  }
}

/** Binary min-heap of (key, node) with lazy deletion by the caller. */
class MinHeap {
  private keys: Float64Array;
  private nodes: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(16, capacity));
    this.nodes = new Int32Array(Math.max(16, capacity));
  }

  clear(): void {
    this.size = 0;
  }

  topKey(): number {
    return this.keys[0]!;
  }

  push(key: number, node: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.keys = keys;
      const nodes = new Int32Array(this.size * 2);
      nodes.set(this.nodes);
      this.nodes = nodes;
    }
    let i = this.size++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (this.keys[up]! <= key) break;
      this.keys[i] = this.keys[up]!;
      this.nodes[i] = this.nodes[up]!;
      i = up;
    }
    this.keys[i] = key;
    this.nodes[i] = node;
  }

  pop(): number {
    const top = this.nodes[0]!;
    const n = --this.size;
    const key = this.keys[n]!;
    const node = this.nodes[n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.keys[child + 1]! < this.keys[child]!) child++;
      if (this.keys[child]! >= key) break;
      this.keys[i] = this.keys[child]!;
      this.nodes[i] = this.nodes[child]!;
      i = child;
    }
    this.keys[i] = key;
    this.nodes[i] = node;
    return top;
  }
}
