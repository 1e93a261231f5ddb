/**
 * Released columns: a plan batch's Bloom filter, hash-set and keyed-hash columns replaced, once the
 * row store holds their values (the keyed hashes once training has counted them too), by stand-ins
 * of the same length that hold no memory (views of one zeroed shared buffer no one writes, so its
 * pages are never committed), each registered with a function that reads given records' values
 * back from where they now are. The whole-file match frees about 0.7 GB this way at 3·10⁶ plan
 * records (docs/scaling.md, "The plan's filters and hash sets apart", "The plan's keyed hashes").
 * Only {@link gatherReleased} (used by `gatherBatch`: explanations, the monthly cycle) reads them;
 * everything else that runs after the release reads the row store, or only a column's length (a
 * released keyed hash's term-frequency table is preset for its stand-in).
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
 * Replaces `batch`'s Bloom filter columns `blooms`, hash-set columns `sets` and keyed-hash columns
 * `hashes` (in place: the batch's `blooms`, `sets` and `hashes` records) by stand-ins, each read
 * back by `read(name, rows)`.
 * @example
 * ```ts
 * releaseColumns(mcp, ['firstName'], [], (name, rows) => fromRowStore(name, rows));
 * ```
 */
export function releaseColumns(
  batch: {
    readonly blooms: Readonly<Record<string, Uint8Array>>;
    readonly sets: Readonly<Record<string, Uint32Array>>;
    readonly hashes: Readonly<Record<string, Uint32Array>>;
  },
  blooms: readonly string[],
  sets: readonly string[],
  read: (name: string, rows: Uint32Array) => Uint8Array | Uint32Array,
  hashes: readonly string[] = [],
): void {
  const cols = [
    ...blooms.map((n) => batch.blooms[n]),
    ...sets.map((n) => batch.sets[n]),
    ...hashes.map((n) => batch.hashes[n]),
  ];
  let most = 8;
  for (const c of cols) if (c) most = Math.max(most, c.byteLength);
  const zero = new SharedArrayBuffer(most);
  // One stand-in per column, a view of the zero buffer as long as the column.
  const swap = <T extends Uint8Array | Uint32Array>(
    cols: Record<string, T>,
    names: readonly string[],
    view: (length: number) => T,
  ) => {
    for (const name of names) {
      const c = cols[name];
      if (!c) continue;
      const stand = view(c.length);
      READERS.set(stand, (rows) => read(name, rows));
      cols[name] = stand;
    }
  };
  swap(batch.blooms as Record<string, Uint8Array>, blooms, (n) => new Uint8Array(zero, 0, n));
  swap(batch.sets as Record<string, Uint32Array>, sets, (n) => new Uint32Array(zero, 0, n));
  swap(batch.hashes as Record<string, Uint32Array>, hashes, (n) => new Uint32Array(zero, 0, n));
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
