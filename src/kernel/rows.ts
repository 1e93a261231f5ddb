/**
 * A row store: everything the comparisons read about one record packed into one 64-byte-aligned
 * row of a kernel memory — its Bloom filters first, then 32-bit fields (keyed hashes, hash sets,
 * popcounts, data-quality codes). Scoring a pair then touches one record's few consecutive cache
 * lines instead of one line per column: with millions of plan records, that is what decides the
 * speed (memory latency, not arithmetic). The Dice kernel reads the filters in place (its gather
 * takes a stride).
 */
import type { DiceKernels } from './filters.js';

/** A u32 field of a row: `width` consecutive words from word `offset`. */
export interface RowField {
  readonly offset: number;
  readonly width: number;
}

/** A Bloom filter inside each row. */
export interface RowFilter {
  /** Byte offset of the record-0 filter (the row store's base plus the offset in the row). */
  readonly base: number;
  /** Bytes between rows. */
  readonly stride: number;
  /** 64-bit words of the (padded) filter. */
  readonly words: number;
  /** The u32 field holding the filter's popcount. */
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
}

/** What to pack: u32 (or u8) columns of `width` values per record, and filter columns. */
export interface RowSpec {
  readonly fields: readonly {
    readonly name: string;
    readonly width: number;
    readonly values: ArrayLike<number>;
  }[];
  readonly filters: readonly { readonly name: string; readonly bytes: Uint8Array }[];
}

interface Planned {
  readonly stride: number;
  readonly filterOffsets: number[];
  readonly filterWords: number[];
  readonly fieldOffsets: number[];
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
  const fieldOffsets: number[] = [];
  let word = bytes / 4;
  for (const f of spec.fields) {
    if (f.values.length !== n * f.width)
      throw new RangeError(`field ${f.name} does not hold n × width values`);
    fieldOffsets.push(word);
    word += f.width;
  }
  for (const f of spec.filters) {
    fieldOffsets.push(word);
    word++;
    void f;
  }
  return { stride: Math.ceil((word * 4) / 64) * 64, filterOffsets, filterWords, fieldOffsets };
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
 * Packs `n` records into rows in the kernels' memory. Each filter also gets a `<name>#count` field
 * with its popcount (computed by the kernel).
 * @example
 * ```ts
 * const rows = buildRowStore(kernels, mcp.length, {
 *   fields: [{ name: 'dob', width: 1, values: mcp.hashes.dob! }],
 *   filters: [{ name: 'firstBloom', bytes: mcp.blooms.firstBloom! }],
 * });
 * ```
 */
export function buildRowStore(kernels: DiceKernels, n: number, spec: RowSpec): RowStore {
  const p = plan(n, spec);
  const mem = kernels.memory;
  const raw = mem.alloc(n * p.stride + 64);
  const base = Math.ceil(raw / 64) * 64;
  const counts = mem.alloc(n * 2);
  const u32 = mem.u32(base, (n * p.stride) / 4);
  const u8 = mem.u8(base, n * p.stride);
  const S = p.stride / 4;
  const fields: Record<string, RowField> = {};
  spec.fields.forEach((f, k) => {
    const off = p.fieldOffsets[k]!;
    const w = f.width;
    const v = f.values;
    for (let j = 0; j < n; j++) for (let t = 0; t < w; t++) u32[j * S + off + t] = v[j * w + t]!;
    fields[f.name] = { offset: off, width: w };
  });
  const filters: Record<string, RowFilter> = {};
  spec.filters.forEach((f, k) => {
    const per = n === 0 ? 8 : f.bytes.length / n;
    const off = p.filterOffsets[k]!;
    const words = p.filterWords[k]!;
    for (let j = 0; j < n; j++) u8.set(f.bytes.subarray(j * per, (j + 1) * per), j * p.stride + off);
    kernels.get(words).popcounts(base + off, p.stride, n, counts);
    const countField = `${f.name}#count`;
    const cOff = p.fieldOffsets[spec.fields.length + k]!;
    const c16 = mem.u16(counts, n);
    const rows = mem.u32(base, (n * p.stride) / 4);
    for (let j = 0; j < n; j++) rows[j * S + cOff] = c16[j]!;
    fields[countField] = { offset: cOff, width: 1 };
    filters[f.name] = { base: base + off, stride: p.stride, words, countField };
  });
  return { base, n, stride: p.stride, fields, filters };
}
