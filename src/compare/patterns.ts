/**
 * Agreement patterns: the level vector a record pair gets from the K comparisons, counted by
 * distinct pattern so that EM costs time proportional to the number of distinct patterns (hundreds)
 * rather than pairs (millions).
 */

/**
 * Level of a comparison with no evidence (value missing or data quality unknown): weight 0, skipped by EM.
 * @example
 * ```ts
 * if (levels[k] === NULL_LEVEL) continue; // no evidence for comparison k
 * ```
 */
export const NULL_LEVEL = 255;

/**
 * Distinct agreement patterns with their (weighted) pair counts.
 *
 * `patterns` holds `n × K` levels row-major (`patterns[i * K + k]` is comparison k of pattern i), with
 * {@link NULL_LEVEL} for a null; rows are sorted lexicographically (null after every level), so equal
 * inputs give byte-identical tables.
 */
export interface PatternTable {
  /** Number of non-null levels L_k of each comparison k. */
  readonly levelCounts: readonly number[];
  /** `n × K` levels, row-major; each value is in `0..L_k−1` or {@link NULL_LEVEL}. */
  readonly patterns: Uint8Array;
  /** `n` counts (sums of the weights added), one per pattern row. */
  readonly counts: Float64Array;
}

const EMPTY = -1;
const INITIAL_CAPACITY = 64;

/**
 * Counts agreement patterns. Each pattern is interned as a mixed-radix number (radix L_k + 1, a null
 * mapped to digit L_k) in an open-addressing hash table over typed arrays, so `add` neither builds
 * strings nor allocates: about 80 ns per call for K = 8 (10 million calls in under a second).
 *
 * @example
 * ```ts
 * const counter = new PatternCounter([4, 3, 2]); // FirstName, LastName, Sex
 * counter.add(Uint8Array.of(0, 0, 0));
 * counter.add(Uint8Array.of(3, NULL_LEVEL, 1), 2);
 * const table = counter.toTable(); // 2 patterns, counts [1, 2]
 * ```
 */
export class PatternCounter {
  /** Number of non-null levels of each comparison. */
  readonly levelCounts: readonly number[];
  private readonly k: number;
  private readonly radix: Int32Array;
  private readonly stride: Float64Array;
  private keys: Float64Array;
  private weights: Float64Array;
  private mask: number;
  private used = 0;

  /**
   * @param levelCounts - L_k for each comparison, each an integer in `1..254` (so that
   *   {@link NULL_LEVEL} can never be a real level); the product of `L_k + 1` must stay below 2^53.
   */
  constructor(levelCounts: readonly number[]) {
    if (!Array.isArray(levelCounts) || levelCounts.length === 0) {
      throw new TypeError('levelCounts must be a non-empty array');
    }
    const k = levelCounts.length;
    this.k = k;
    this.radix = new Int32Array(k);
    this.stride = new Float64Array(k);
    let space = 1;
    for (let c = k - 1; c >= 0; c--) {
      const l = levelCounts[c] ?? Number.NaN; // missing: refused below, as a non-integer
      if (!Number.isInteger(l) || l < 1 || l >= NULL_LEVEL) {
        throw new RangeError(`levelCounts[${c}] must be an integer in 1..${NULL_LEVEL - 1}`);
      }
      this.radix[c] = l + 1;
      this.stride[c] = space;
      space *= l + 1;
    }
    if (space > Number.MAX_SAFE_INTEGER) {
      throw new RangeError('levelCounts: too many pattern combinations (product of L_k + 1 exceeds 2^53)');
    }
    this.levelCounts = Object.freeze([...levelCounts]);
    this.keys = new Float64Array(INITIAL_CAPACITY).fill(EMPTY);
    this.weights = new Float64Array(INITIAL_CAPACITY);
    this.mask = INITIAL_CAPACITY - 1;
  }

  /** Number of distinct patterns added so far. */
  get size(): number {
    return this.used;
  }

  /**
   * Adds one pair's level vector with a weight (default 1; any finite value ≥ 0, so sampling weights
   * work). The vector is read, never kept, so one buffer can be reused for every pair.
   *
   * @throws RangeError if the vector has the wrong length or a level outside `0..L_k−1` and not null.
   * @example
   * ```ts
   * const levels = new Uint8Array(3);
   * for (const pair of pairs) { compareInto(levels, pair); counter.add(levels); }
   * ```
   */
  add(levels: ArrayLike<number>, weight = 1): void {
    if (levels.length !== this.k) {
      throw new RangeError(`levels must have length ${this.k}, got ${levels.length}`);
    }
    if (!(weight >= 0 && weight < Number.POSITIVE_INFINITY)) {
      throw new RangeError('weight must be a finite number >= 0');
    }
    const key = this.keyOf(levels);
    let slot = hashKey(key) & this.mask;
    for (;;) {
      const found = this.keys[slot] ?? EMPTY;
      if (found === key) {
        this.weights[slot] = (this.weights[slot] ?? 0) + weight;
        return;
      }
      if (found === EMPTY) break;
      slot = (slot + 1) & this.mask;
    }
    this.keys[slot] = key;
    this.weights[slot] = weight;
    this.used++;
    // Load factor ≤ 1/2 keeps linear probing short.
    if (this.used * 2 > this.keys.length) this.grow();
  }

  /**
   * The count accumulated so far for a level vector (0 if never added).
   *
   * @example
   * ```ts
   * counter.count(Uint8Array.of(0, 0, 0)); // 1
   * ```
   */
  count(levels: ArrayLike<number>): number {
    if (levels.length !== this.k) {
      throw new RangeError(`levels must have length ${this.k}, got ${levels.length}`);
    }
    const key = this.keyOf(levels);
    let slot = hashKey(key) & this.mask;
    for (;;) {
      const found = this.keys[slot] ?? EMPTY;
      if (found === key) return this.weights[slot] ?? 0;
      if (found === EMPTY) return 0;
      slot = (slot + 1) & this.mask;
    }
  }

  /**
   * The counts as a {@link PatternTable}, rows sorted lexicographically. The counter stays usable.
   *
   * @example
   * ```ts
   * const { patterns, counts } = counter.toTable();
   * ```
   */
  toTable(): PatternTable {
    const n = this.used;
    const keys = this.keys;
    const slots = new Uint32Array(n);
    let i = 0;
    for (let slot = 0; slot < keys.length; slot++) if (keys[slot] !== EMPTY) slots[i++] = slot;
    slots.sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0));
    const k = this.k;
    const patterns = new Uint8Array(n * k);
    const counts = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const slot = slots[r] ?? 0;
      const key = keys[slot] ?? 0;
      counts[r] = this.weights[slot] ?? 0;
      for (let c = 0; c < k; c++) {
        const radix = this.radix[c] ?? 0;
        const digit = Math.floor(key / (this.stride[c] ?? 0)) % radix;
        patterns[r * k + c] = digit === radix - 1 ? NULL_LEVEL : digit;
      }
    }
    return { levelCounts: this.levelCounts, patterns, counts };
  }

  private keyOf(levels: ArrayLike<number>): number {
    let key = 0;
    const lc = this.radix;
    for (let c = 0; c < this.k; c++) {
      const v = levels[c] ?? Number.NaN; // missing: refused below, as out of range
      const nonNull = (lc[c] ?? 0) - 1;
      let digit: number;
      if (v === NULL_LEVEL) digit = nonNull;
      else if (v >= 0 && v < nonNull && (v | 0) === v) digit = v;
      else
        throw new RangeError(
          `level of comparison ${c} must be an integer in 0..${nonNull - 1} or NULL_LEVEL`,
        );
      key += digit * (this.stride[c] ?? 0);
    }
    return key;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldWeights = this.weights;
    const capacity = oldKeys.length * 2;
    this.keys = new Float64Array(capacity).fill(EMPTY);
    this.weights = new Float64Array(capacity);
    this.mask = capacity - 1;
    for (let s = 0; s < oldKeys.length; s++) {
      const key = oldKeys[s] ?? EMPTY;
      if (key === EMPTY) continue;
      let slot = hashKey(key) & this.mask;
      while (this.keys[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      this.keys[slot] = key;
      this.weights[slot] = oldWeights[s] ?? 0;
    }
  }
}

/** Mixes a key < 2^53 into 32 bits (murmur3 finaliser over both halves) without allocating. */
function hashKey(key: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Checks a {@link PatternTable}'s shape and values (used before EM so that a malformed table fails
 * with a clear message instead of producing NaN parameters).
 *
 * @throws TypeError / RangeError naming the offending row and comparison.
 * @example
 * ```ts
 * assertPatternTable(counter.toTable());
 * ```
 */
export function assertPatternTable(table: PatternTable): void {
  const { levelCounts, patterns, counts } = table;
  if (!Array.isArray(levelCounts) || levelCounts.length === 0) {
    throw new TypeError('table.levelCounts must be a non-empty array');
  }
  if (!(patterns instanceof Uint8Array)) throw new TypeError('table.patterns must be a Uint8Array');
  if (!(counts instanceof Float64Array)) throw new TypeError('table.counts must be a Float64Array');
  const k = levelCounts.length;
  for (let c = 0; c < k; c++) {
    const l = levelCounts[c] ?? Number.NaN; // missing: refused below, as a non-integer
    if (!Number.isInteger(l) || l < 1 || l >= NULL_LEVEL) {
      throw new RangeError(`table.levelCounts[${c}] must be an integer in 1..${NULL_LEVEL - 1}`);
    }
  }
  if (patterns.length !== counts.length * k) {
    throw new RangeError(`table.patterns must hold counts.length × ${k} levels`);
  }
  for (let r = 0; r < counts.length; r++) {
    const n = counts[r] ?? Number.NaN; // missing: refused below, as not a count
    if (!(n >= 0 && n < Number.POSITIVE_INFINITY)) {
      throw new RangeError(`table.counts[${r}] must be a finite number >= 0`);
    }
    for (let c = 0; c < k; c++) {
      const v = patterns[r * k + c] ?? NULL_LEVEL;
      if (v !== NULL_LEVEL && v >= (levelCounts[c] ?? Number.NaN)) {
        throw new RangeError(`table.patterns row ${r}, comparison ${c}: level out of range`);
      }
    }
  }
}

/**
 * Adds two pattern tables with the same comparisons (e.g. counts from two blocking passes or two
 * worker shards). Inputs are not modified.
 *
 * @throws RangeError if the tables' `levelCounts` differ.
 * @example
 * ```ts
 * const all = mergeTables(shardA.toTable(), shardB.toTable());
 * ```
 */
export function mergeTables(a: PatternTable, b: PatternTable): PatternTable {
  assertPatternTable(a);
  assertPatternTable(b);
  if (a.levelCounts.length !== b.levelCounts.length || a.levelCounts.some((l, i) => l !== b.levelCounts[i])) {
    throw new RangeError('mergeTables: the tables have different levelCounts');
  }
  const counter = new PatternCounter(a.levelCounts);
  const k = a.levelCounts.length;
  for (const t of [a, b]) {
    for (let r = 0; r < t.counts.length; r++)
      counter.add(t.patterns.subarray(r * k, r * k + k), t.counts[r] ?? 0);
  }
  return counter.toTable();
}
