/**
 * A row store: everything the comparisons read about one record packed into one 64-byte-aligned
 * row of a kernel memory — its Bloom filters first, then 32-bit fields (keyed hashes, hash sets),
 * then small fields packed several to a word (data-quality codes, popcounts). Scoring a pair then
 * touches one record's few consecutive cache lines instead of one line per column: with millions of
 * plan records, that is what decides the speed (memory latency, not arithmetic). The Dice kernel
 * reads the filters in place (its gather takes a stride).
 */
import type { DiceKernels } from './filters.js';
import type { KernelMemory } from './memory.js';

/**
 * A field of a row: `width` consecutive u32 words from word `offset` (`bits` 32); or a small field
 * (`bits` 8 or 16, width 1), bits `shift .. shift + bits − 1` of word `offset`, read as
 * `(row[offset] >>> shift) & (2^bits − 1)`.
 */
export interface RowField {
  readonly offset: number;
  readonly width: number;
  readonly shift: number;
  readonly bits: 8 | 16 | 32;
}

/** A Bloom filter inside each row. */
export interface RowFilter {
  /** Byte offset of the record-0 filter (the row store's base plus the offset in the row). */
  readonly base: number;
  /** Bytes between rows. */
  readonly stride: number;
  /** 64-bit words of the (padded) filter. */
  readonly words: number;
  /** The (16-bit) field holding the filter's popcount. */
  readonly countField: string;
}

/** A row store's layout (plain data, postable to a worker). */
export interface RowStore {
  /** Byte offset of row 0 (64-byte aligned). */
  readonly base: number;
  readonly n: number;
  /** Bytes per row (a multiple of 64). */
  readonly stride: number;
  readonly fields: Readonly<Record<string, RowField>>;
  readonly filters: Readonly<Record<string, RowFilter>>;
  /** Byte offset of the popcount scratch {@link fillRowStore} uses (2 bytes a record). */
  readonly counts?: number;
}

/**
 * What to pack: columns of `width` u32 values per record — or one value of 8 or 16 `bits` per
 * record, packed several to a word — and filter columns.
 */
export interface RowSpec {
  readonly fields: readonly {
    readonly name: string;
    readonly width: number;
    readonly values: ArrayLike<number>;
    readonly bits?: 8 | 16;
    /** Already in the rows ({@link placeRows}): {@link fillRowStore} leaves it; `values` gives only its length. */
    readonly placed?: boolean;
  }[];
  readonly filters: readonly {
    readonly name: string;
    readonly bytes: Uint8Array;
    /** Already in the rows ({@link placeRows}): {@link fillRowStore} only counts its bits. */
    readonly placed?: boolean;
  }[];
}

interface Planned {
  readonly stride: number;
  readonly filterOffsets: number[];
  readonly filterWords: number[];
  /** Per field, then per filter (its popcount): where it goes. */
  readonly places: RowField[];
}

function plan(n: number, spec: RowSpec): Planned {
  let bytes = 0;
  const filterOffsets: number[] = [];
  const filterWords: number[] = [];
  for (const f of spec.filters) {
    const per = n === 0 ? 8 : f.bytes.length / n;
    if (!Number.isInteger(per) || per < 1)
      throw new RangeError(`filter column ${f.name} does not hold n filters`);
    filterOffsets.push(bytes);
    filterWords.push(Math.ceil(per / 8));
    bytes += 8 * Math.ceil(per / 8);
  }
  // Whole-word fields first, then the small ones packed together: with the default schema that
  // makes a row 256 bytes (four cache lines) instead of 320.
  const places: RowField[] = new Array(spec.fields.length + spec.filters.length);
  let word = bytes / 4;
  const small: { index: number; bits: 8 | 16 }[] = [];
  spec.fields.forEach((f, k) => {
    if (f.values.length !== n * f.width)
      throw new RangeError(`field ${f.name} does not hold n × width values`);
    if (f.bits !== undefined) {
      if (f.width !== 1) throw new RangeError(`small field ${f.name} must have width 1`);
      small.push({ index: k, bits: f.bits });
    } else {
      places[k] = { offset: word, width: f.width, shift: 0, bits: 32 };
      word += f.width;
    }
  });
  spec.filters.forEach((_, k) => {
    small.push({ index: spec.fields.length + k, bits: 16 });
  });
  let used = 32;
  for (const { index, bits } of small) {
    if (used + bits > 32) {
      word++;
      used = 0;
    }
    places[index] = { offset: word - 1, width: 1, shift: used, bits };
    used += bits;
  }
  return { stride: Math.ceil((word * 4) / 64) * 64, filterOffsets, filterWords, places };
}

/**
 * Bytes of kernel memory a row store of `n` records takes.
 * @example
 * ```ts
 * rowStoreBytes(1000, { fields: [{ name: 'dob', width: 1, values: dob }], filters: [] }); // 64064
 * ```
 */
export function rowStoreBytes(n: number, spec: RowSpec): number {
  return n * plan(n, spec).stride + 64;
}

/**
 * Reads field `f` of the row starting at word `row` of `rows` (the row store as u32 words).
 * @example
 * ```ts
 * const dq = readField(rows, j * (store.stride / 4), store.fields.nameDq!);
 * ```
 */
export function readField(rows: Uint32Array, row: number, f: RowField): number {
  const w = rows[row + f.offset]!;
  return f.bits === 32 ? w : (w >>> f.shift) & ((1 << f.bits) - 1);
}

/**
 * Packs `n` records into rows in the kernels' memory. Each filter also gets a 16-bit
 * `<name>#count` field with its popcount (computed by the kernel).
 * @throws RangeError when a column does not hold `n` records, or a small field's value does not fit
 * @example
 * ```ts
 * const rows = buildRowStore(kernels, mcp.length, {
 *   fields: [{ name: 'dob', width: 1, values: mcp.hashes.dob! }, { name: 'dobDq', width: 1, values: mcp.dobDq, bits: 8 }],
 *   filters: [{ name: 'firstBloom', bytes: mcp.blooms.firstBloom! }],
 * });
 * ```
 */
export function buildRowStore(kernels: DiceKernels, n: number, spec: RowSpec): RowStore {
  const store = layoutRowStore(kernels, n, spec);
  fillRowStore(kernels, store, spec, 0, n);
  return store;
}

/** Rows filled per step of {@link fillRowStore}: 1 MiB of rows at 256 bytes a row, kept in cache. */
const TILE = 4096;

/**
 * Lays out (allocates) a row store of `n` records in the kernels' memory without writing it; rows
 * are then written by {@link fillRowStore}, in any order of ranges and on any thread that shares
 * the memory. `buildRowStore` is the two in one.
 * @throws RangeError when a column does not hold `n` records
 * @example
 * ```ts
 * const store = layoutRowStore(kernels, mcp.length, spec);
 * fillRowStore(kernels, store, spec, 0, mcp.length);
 * ```
 */
export function layoutRowStore(kernels: DiceKernels, n: number, spec: RowSpec): RowStore {
  const p = plan(n, spec);
  const mem = kernels.memory;
  const raw = mem.alloc(n * p.stride + 64);
  const base = Math.ceil(raw / 64) * 64;
  // Scratch for the filters' popcounts, 2 bytes a record (each range writes its own part).
  const counts = mem.alloc(n * 2);
  const fields: Record<string, RowField> = {};
  spec.fields.forEach((f, k) => {
    fields[f.name] = p.places[k]!;
  });
  const filters: Record<string, RowFilter> = {};
  spec.filters.forEach((f, k) => {
    const countField = `${f.name}#count`;
    fields[countField] = p.places[spec.fields.length + k]!;
    filters[f.name] = {
      base: base + p.filterOffsets[k]!,
      stride: p.stride,
      words: p.filterWords[k]!,
      countField,
    };
  });
  return { base, n, stride: p.stride, fields, filters, counts };
}

/**
 * Writes rows `from..to−1` of a store laid out by {@link layoutRowStore} from the columns of `spec`
 * (the same spec): the fields, the filters and their popcounts. The rows must not have been written
 * before (small fields are OR-ed into zeroed words). Tile by tile, every field of a tile of rows at a
 * time, so each row's cache lines are written while they are in cache (not once per field).
 * @throws RangeError when a small field's value does not fit its bits
 * @example
 * ```ts
 * fillRowStore(kernels, store, spec, 0, store.n >> 1); // one half here, the other on another thread
 * ```
 */
export function fillRowStore(
  kernels: DiceKernels,
  store: RowStore,
  spec: RowSpec,
  from: number,
  to: number,
): void {
  const { n, stride, base } = store;
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= n))
    throw new RangeError('rows out of range');
  const counts = store.counts;
  // A store without its popcount scratch (not laid out by layoutRowStore) would have them written
  // at address 0 of the kernel's memory.
  if (counts === undefined) throw new RangeError('a row store without its popcount scratch');
  const mem = kernels.memory;
  const S = stride / 4;
  const u32 = mem.u32(base, n * S);
  const u8 = mem.u8(base, n * stride);
  const count16 = mem.u16(counts, n);
  const fieldPlaces = spec.fields.map((f) => defined(store.fields[f.name]));
  const filterPlaces = spec.filters.map((f) => {
    const rf = defined(store.filters[f.name]);
    return {
      off: rf.base - base,
      words: rf.words,
      per: n === 0 ? 8 : f.bytes.length / n,
      place: defined(store.fields[rf.countField]),
    };
  });
  for (let a = from; a < to; a += TILE) {
    const b = Math.min(to, a + TILE);
    spec.fields.forEach((f, k) => {
      if (!f.placed) write(u32, S, fieldPlaces[k]!, f.values, a, b);
    });
    spec.filters.forEach((f, k) => {
      const { off, words, per, place } = filterPlaces[k]!;
      if (!f.placed) copyFilters(u8, stride, off, per, a, b, f.bytes);
      kernels.get(words).popcounts(base + off + a * stride, stride, b - a, counts + 2 * a);
      write(u32, S, place, count16, a, b);
    });
  }
}

function defined<T>(x: T | undefined): T {
  if (x === undefined) throw new RangeError('a row spec that does not match the store');
  return x;
}

function write(
  u32: Uint32Array,
  S: number,
  place: RowField,
  values: ArrayLike<number>,
  a: number,
  b: number,
) {
  if (place.bits === 32) copyWords(u32, S, place.offset, place.width, a, b, values);
  else packSmall(u32, S, place, a, b, values);
}

// The copies below run once per record and field of a plan of millions: each is written for one
// kind of source array (a loop over `ArrayLike<number>` that sees three kinds is several times
// slower) and copies whole words where it can, with no per-record views.

/** Copies `width` u32 values per record into word `offset` of rows `a..b−1`. */
function copyWords(
  u32: Uint32Array,
  S: number,
  offset: number,
  width: number,
  a: number,
  b: number,
  values: ArrayLike<number>,
) {
  if (values instanceof Uint32Array) {
    if (width === 1) for (let j = a; j < b; j++) u32[j * S + offset] = values[j]!;
    else
      for (let j = a; j < b; j++)
        for (let t = 0, r = j * S + offset, v = j * width; t < width; t++) u32[r + t] = values[v + t]!;
    return;
  }
  for (let j = a; j < b; j++)
    for (let t = 0; t < width; t++) u32[j * S + offset + t] = values[j * width + t]!;
}

/** Packs one small value per record (8 or 16 bits) into its place in rows `a..b−1`. */
function packSmall(
  u32: Uint32Array,
  S: number,
  place: RowField,
  a: number,
  b: number,
  values: ArrayLike<number>,
) {
  const { offset, shift, bits } = place;
  const mask = (1 << bits) - 1;
  const pack = (v: number, j: number) => {
    if (v < 0 || v > mask) throw new RangeError(`a value does not fit ${bits} bits`);
    u32[j * S + offset] = (u32[j * S + offset]! | (v << shift)) >>> 0;
  };
  if (values instanceof Uint8Array) for (let j = a; j < b; j++) pack(values[j]!, j);
  else if (values instanceof Uint16Array) for (let j = a; j < b; j++) pack(values[j]!, j);
  else for (let j = a; j < b; j++) pack(values[j]!, j);
}

/** Copies `per` bytes of filter per record to byte `off` of rows `a..b−1` (whole words when aligned). */
function copyFilters(
  u8: Uint8Array,
  stride: number,
  off: number,
  per: number,
  a: number,
  b: number,
  bytes: Uint8Array,
) {
  if (per % 4 === 0 && bytes.byteOffset % 4 === 0 && off % 4 === 0 && u8.byteOffset % 4 === 0) {
    const dst = new Uint32Array(u8.buffer, u8.byteOffset, u8.length >>> 2);
    const src = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
    const W = per / 4;
    const S = stride / 4;
    const o = off / 4;
    for (let j = a; j < b; j++)
      for (let t = 0, d = j * S + o, s = j * W; t < W; t++) dst[d + t] = src[s + t]!;
    return;
  }
  for (let j = a; j < b; j++) for (let t = 0; t < per; t++) u8[j * stride + off + t] = bytes[j * per + t]!;
}

/**
 * Writes whole records' values of column `name` straight into a store laid out by
 * {@link layoutRowStore}, before {@link fillRowStore} writes the rest: `bytes` holds records
 * `first, first + 1, …`, `per` bytes each — a filter's bytes, or a 32-bit field's `width` words
 * (little-endian, as in an encoded file). The spec then marks the column `placed`. The whole-file
 * match copies the plan's filter and hash-set columns this way as the file's pieces land, so they
 * are never held whole beside the store.
 * @throws RangeError when the store holds no such column of that size, or the records lie outside it
 * @example
 * ```ts
 * placeRows(memory, store, 'firstBloom', 32, 4096, piece); // piece.length / 32 records from 4096
 * ```
 */
export function placeRows(
  memory: KernelMemory,
  store: RowStore,
  name: string,
  per: number,
  first: number,
  bytes: Uint8Array,
): void {
  const count = bytes.length / per;
  if (!Number.isInteger(count) || first < 0 || first + count > store.n)
    throw new RangeError('records outside the row store');
  const rf = store.filters[name];
  let off: number;
  if (rf) {
    if (per > 8 * rf.words) throw new RangeError('a filter wider than its rows');
    off = rf.base - store.base;
  } else {
    const f = store.fields[name];
    if (f?.bits !== 32 || 4 * f.width !== per) throw new RangeError('a column the row store does not hold');
    off = 4 * f.offset;
  }
  if (count === 0) return;
  const u8 = memory.u8(store.base + first * store.stride, count * store.stride);
  copyFilters(u8, store.stride, off, per, 0, count, bytes);
}

/**
 * Records `rows`' values of column `name` read back from a written row store: a filter's first
 * `width` bytes, or a field of `width` u32 words (a hash set) — the values `fillRowStore` copied in.
 * @throws RangeError when the store holds no such column of that width
 * @example
 * ```ts
 * const sets = rowStoreColumn(memory, store, 'firstParts', 3, Uint32Array.of(4, 17)); // 6 words
 * ```
 */
export function rowStoreColumn(
  memory: KernelMemory,
  store: RowStore,
  name: string,
  width: number,
  rows: Uint32Array,
): Uint8Array | Uint32Array {
  const rf = store.filters[name];
  if (rf) {
    if (width > 8 * rf.words) throw new RangeError('a filter wider than its rows');
    const out = new Uint8Array(rows.length * width);
    for (let j = 0; j < rows.length; j++) {
      const r = rows[j] as number;
      if (r >= store.n) throw new RangeError('row outside the store');
      out.set(memory.u8(rf.base + r * rf.stride, width), j * width);
    }
    return out;
  }
  const f = store.fields[name];
  if (f?.bits !== 32 || f.width !== width) throw new RangeError('a column the row store does not hold');
  const S = store.stride / 4;
  const u32 = memory.u32(store.base, store.n * S);
  const out = new Uint32Array(rows.length * width);
  for (let j = 0; j < rows.length; j++) {
    const r = rows[j] as number;
    if (r >= store.n) throw new RangeError('row outside the store');
    for (let q = 0; q < width; q++) out[j * width + q] = u32[r * S + f.offset + q] as number;
  }
  return out;
}
