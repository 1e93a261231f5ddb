/**
 * Released columns: a plan batch's Bloom filter and hash-set columns replaced, once the row store
 * holds their values, by stand-ins of the same length that hold no memory (views of one zeroed
 * shared buffer no one writes, so its pages are never committed), each registered with a function
 * that reads given records' values back from where they now are. The whole-file match frees about
 * 0.5 GB this way at 3·10⁶ plan records (docs/scaling.md, "The plan's filters and hash sets apart").
 * Only {@link gatherReleased} (used by `gatherBatch`: explanations, the monthly cycle) reads them;
 * everything else that runs after the release reads the row store, or only a column's length.
 */

/**
 * Reads records `rows`' values of a released column (`width` bytes or u32 words a record).
 * @example
 * ```ts
 * const read: ReleasedReader = (rows) => rowStore.gather('firstBloom', rows);
 * ```
 */
export type ReleasedReader = (rows: Uint32Array) => Uint8Array | Uint32Array;

const READERS = new WeakMap<ArrayBufferView, ReleasedReader>();

/**
 * Replaces `batch`'s Bloom filter columns `blooms` and hash-set columns `sets` (in place: the
 * batch's `blooms` and `sets` records) by stand-ins, each read back by `read(name, rows)`.
 * @example
 * ```ts
 * releaseColumns(mcp, ['firstName'], [], (name, rows) => fromRowStore(name, rows));
 * ```
 */
export function releaseColumns(
  batch: {
    readonly blooms: Readonly<Record<string, Uint8Array>>;
    readonly sets: Readonly<Record<string, Uint32Array>>;
  },
  blooms: readonly string[],
  sets: readonly string[],
  read: (name: string, rows: Uint32Array) => Uint8Array | Uint32Array,
): void {
  const cols = [...blooms.map((n) => batch.blooms[n]), ...sets.map((n) => batch.sets[n])];
  let most = 8;
  for (const c of cols) if (c) most = Math.max(most, c.byteLength);
  const zero = new SharedArrayBuffer(most);
  const b = batch.blooms as Record<string, Uint8Array>;
  for (const name of blooms) {
    const c = b[name];
    if (!c) continue;
    const stand = new Uint8Array(zero, 0, c.length);
    READERS.set(stand, (rows) => read(name, rows));
    b[name] = stand;
  }
  const s = batch.sets as Record<string, Uint32Array>;
  for (const name of sets) {
    const c = s[name];
    if (!c) continue;
    const stand = new Uint32Array(zero, 0, c.length);
    READERS.set(stand, (rows) => read(name, rows));
    s[name] = stand;
  }
}

/**
 * Whether `col` is a released stand-in (see {@link releaseColumns}): its bytes are zeros, not the
 * records' values, so a reader of values must refuse it (a silent wrong result otherwise).
 * @example
 * ```ts
 * if (isReleased(mcp.blooms.firstName!)) throw new Error('read the row store instead');
 * ```
 */
export function isReleased(col: ArrayBufferView): boolean {
  return READERS.has(col);
}

/**
 * Records `rows`' values of column `col` when it is a released stand-in (see {@link releaseColumns}),
 * else undefined.
 * @example
 * ```ts
 * const picked = gatherReleased(mcp.sets.firstParts!, Uint32Array.of(5, 9)) ?? gatherOwn();
 * ```
 */
export function gatherReleased(
  col: ArrayBufferView,
  rows: Uint32Array,
): Uint8Array | Uint32Array | undefined {
  return READERS.get(col)?.(rows);
}
