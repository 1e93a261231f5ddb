/**
 * Record IDs made from the file's bytes when asked for, not held as strings: a large plan's 3·10⁶
 * IDs cost ≈ 40 bytes each as strings in an array (≈ 0.11 GiB), while the file's UTF-8 bytes and
 * offsets of them are already in memory (docs/scaling.md, "The plan's IDs from the file's bytes").
 *
 * A lazy list is a read-only array (`readonly string[]`: indexing, `length`, iteration and the
 * array methods work, `Array.isArray` holds) whose element `i` is decoded from the bytes at each
 * read. An access costs ≈ 0.5 µs (a proxy's trap), so the loops over every record of a list read
 * the bytes instead ({@link idBytesOf}: the ID checks, training's ID hashes) or make the strings
 * once ({@link idStrings}). Only ASCII columns are made lazy: a byte is then a UTF-16 unit, so the
 * strings are the ones the eager decoding gives, and byte order is string order.
 */
import type { Utf8Ids } from './checksum.js';

/** The bytes behind each lazy list. */
const BYTES = new WeakMap<readonly string[], Utf8Ids>();

/** `key` as an array index below `n`, else -1 (canonical decimal only: '01', '1e0', ' 1' are not). */
function indexOf(key: string, n: number): number {
  const len = key.length;
  if (len === 0 || len > 15 || (len > 1 && key.charCodeAt(0) === 48)) return -1;
  let i = 0;
  for (let k = 0; k < len; k++) {
    const d = key.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    i = i * 10 + d;
  }
  return i < n ? i : -1;
}

/**
 * The OR of `bytes[0 .. end)` (≥ 0x80: not ASCII). A function of its own: optimised during the
 * loop, `lazyIds`' code was dropped at the line after it, which had not run yet.
 */
function orBytes(bytes: Uint8Array, end: number): number {
  let high = 0;
  for (let k = 0; k < end; k++) high |= bytes[k] as number;
  return high;
}

/**
 * The IDs `ids` holds (offsets relative to `offsets[0]`, as {@link Utf8Ids}) as a read-only lazy
 * list, or undefined when a byte is not ASCII (the caller decodes the strings then). The list keeps
 * `ids`' buffers alive; nothing may write them while it lives. Reading through the list costs
 * ≈ 0.5 µs an ID (a proxy), and spreading, slicing or walking its keys makes every string: a loop
 * over a whole plan's IDs reads the bytes ({@link idBytesOf}, {@link idComparison}) or takes
 * {@link idStrings} a range at a time.
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode('M1M22');
 * const ids = lazyIds({ offsets: Int32Array.of(0, 2, 5), bytes }); // ['M1', 'M22'], made when read
 * ids?.[1]; // 'M22'
 * ```
 */
export function lazyIds(ids: Utf8Ids): readonly string[] | undefined {
  const { offsets, bytes } = ids;
  const n = offsets.length - 1;
  if (n < 0) return undefined;
  const base = offsets[0] as number;
  const end = (offsets[n] as number) - base;
  if (base < 0 || end < 0 || end > bytes.length) return undefined;
  if (orBytes(bytes, end) >= 0x80) return undefined;
  const id = (i: number): string => {
    const from = (offsets[i] as number) - base;
    const to = (offsets[i + 1] as number) - base;
    // Short IDs in one call; a long one in pieces (an argument list has a limit).
    if (to - from <= 1024)
      return String.fromCharCode.apply(null, bytes.subarray(from, to) as unknown as number[]);
    let s = '';
    for (let k = from; k < to; k += 1024)
      s += String.fromCharCode.apply(null, bytes.subarray(k, Math.min(to, k + 1024)) as unknown as number[]);
    return s;
  };
  const readOnly = (): never => {
    throw new TypeError('the record IDs of an encoded list are read-only');
  };
  const list = new Proxy([] as string[], {
    get(target, key, receiver) {
      if (typeof key === 'string') {
        if (key === 'length') return n;
        const i = indexOf(key, n);
        if (i >= 0) return id(i);
      }
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      return (typeof key === 'string' && indexOf(key, n) >= 0) || Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key === 'string') {
        const i = indexOf(key, n);
        if (i >= 0) return { value: id(i), writable: false, enumerable: true, configurable: true };
        if (key === 'length') return { value: n, writable: true, enumerable: false, configurable: false };
      }
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    ownKeys() {
      return [...Array.from({ length: n }, (_, i) => String(i)), 'length'];
    },
    set: readOnly,
    defineProperty: readOnly,
    deleteProperty: readOnly,
    setPrototypeOf: readOnly,
    preventExtensions: readOnly,
  });
  BYTES.set(list, { offsets, bytes });
  return list;
}

/**
 * The file's UTF-8 bytes and offsets behind a lazy list ({@link lazyIds}), else undefined (a list
 * of strings): a loop over every record reads these instead of the strings.
 * @example
 * ```ts
 * const utf8 = idBytesOf(batch.ids);
 * if (utf8) hashBytes(utf8); else for (const id of batch.ids) hash(id);
 * ```
 */
export function idBytesOf(ids: readonly string[]): Utf8Ids | undefined {
  return BYTES.get(ids);
}

/**
 * IDs `from..to−1` of `ids` as an array of strings: `ids` itself when it is a list of strings
 * (and the range is all of it), else a lazy list's strings made in one pass (for a caller that
 * reads every ID as a string, e.g. into a `Map`; a range at a time keeps few alive).
 * @example
 * ```ts
 * const index = new Map(idStrings(batch.ids).map((id, i) => [id, i]));
 * ```
 */
export function idStrings(ids: readonly string[], from = 0, to: number = ids.length): readonly string[] {
  const utf8 = BYTES.get(ids);
  if (!utf8) return from === 0 && to === ids.length ? ids : ids.slice(from, to);
  const { offsets, bytes } = utf8;
  const base = offsets[from] as number;
  const zero = offsets[0] as number;
  const all = new TextDecoder().decode(bytes.subarray(base - zero, (offsets[to] as number) - zero));
  const out: string[] = new Array(to - from);
  for (let i = from; i < to; i++)
    out[i - from] = all.slice((offsets[i] as number) - base, (offsets[i + 1] as number) - base);
  return out;
}

/**
 * A comparison of two records of `ids` by ID, as `<` orders their strings (UTF-16 units, a prefix
 * first): a lazy list's IDs are compared on their ASCII bytes, in the same order, without making
 * the strings (the one-to-one assignment's tie rule compares ≈ 10⁶ pairs of IDs at 3·10⁶ records).
 * @example
 * ```ts
 * const byId = idComparison(batch.ids);
 * byId(0, 1); // < 0 when record 0's ID sorts before record 1's
 * ```
 */
export function idComparison(ids: readonly string[]): (a: number, b: number) => number {
  const utf8 = BYTES.get(ids);
  if (!utf8)
    return (a, b) => {
      const x = ids[a] ?? '';
      const y = ids[b] ?? '';
      return x < y ? -1 : x > y ? 1 : 0;
    };
  const { offsets, bytes } = utf8;
  const base = offsets[0] as number;
  return (a, b) => {
    const a0 = (offsets[a] as number) - base;
    const b0 = (offsets[b] as number) - base;
    const la = (offsets[a + 1] as number) - base - a0;
    const lb = (offsets[b + 1] as number) - base - b0;
    const n = Math.min(la, lb);
    for (let k = 0; k < n; k++) {
      const d = (bytes[a0 + k] as number) - (bytes[b0 + k] as number);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return la < lb ? -1 : la > lb ? 1 : 0;
  };
}
