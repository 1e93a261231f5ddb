/**
 * Reading an encoded file straight into shared memory, batch by batch, for matching on worker
 * threads. Given the file's size, the fixed-width columns are allocated once at their largest
 * possible length (untouched pages of a large buffer are not committed, so the slack costs address
 * space, not memory) and each batch is copied in as it is decoded: no second copy of the list is
 * held beside the columns. A file of one record batch already in shared memory (`fileBytesShared`;
 * `bloomlink match` reads such files that way) is used in place: its columns are views of the
 * file's bytes (and, with `lazyIds`, its IDs a lazy list of them). Without a size, batches are
 * collected and concatenated.
 */
import { at, defined } from '../util/defined.js';
import { bloomBytes, type EncodedBatch, type EncodedMeta } from './batch.js';
import { type EncodedList, type EncodedSource, emptyBatch, openEncoded } from './file.js';
import { idStrings } from './lazy-ids.js';
import { concatShared, toShared } from './shared.js';

/** Options of {@link readEncodedShared}. */
export interface SharedReadOptions {
  /**
   * Put the block columns in shared memory too (the CoC side); else ordinary memory, except that a
   * file used in place keeps them as views of its (shared) bytes, as its other columns.
   */
  readonly blocks: boolean;
  /** The file's size in bytes, if known (bounds the number of records). */
  readonly sizeHint?: number;
  /** Continues a CRC-32C over a column (see `OpenEncodedOptions.crcOf`). */
  readonly crcOf?: (bytes: Uint8Array, crc: number) => number;
  /**
   * A file of one record batch used in place keeps its IDs as a lazy list of its bytes
   * (`OpenEncodedOptions.lazyIds`); batches copied into shared columns get strings as before.
   */
  readonly lazyIds?: boolean;
}

/** Bytes every record takes at least in any encoded file (the fixed-width columns). */
function minRecordBytes(meta: EncodedMeta): number {
  let b = 3;
  for (const f of meta.schema.features)
    b += f.kind === 'bloom' ? bloomBytes(meta.schema, f.bits) : f.kind === 'hash' ? 4 : 4 * f.max;
  return b;
}

/** A growable u32 column (ordinary memory). */
class Grow {
  data = new Uint32Array(1 << 16);
  n = 0;
  append(src: Uint32Array): void {
    if (this.n + src.length > this.data.length) {
      const next = new Uint32Array(Math.max(this.data.length * 2, this.n + src.length));
      next.set(this.data.subarray(0, this.n));
      this.data = next;
    }
    this.data.set(src, this.n);
    this.n += src.length;
  }
}

async function readInto(
  meta: EncodedMeta,
  batches: AsyncIterable<EncodedBatch>,
  capacity: number,
  opts: SharedReadOptions,
): Promise<EncodedBatch> {
  const sab = <T extends Uint8Array | Uint32Array>(make: new (b: SharedArrayBuffer) => T, bytes: number): T =>
    new make(new SharedArrayBuffer(Math.max(bytes, 8)));
  const u8 = (per: number) => sab(Uint8Array, capacity * per);
  const u32 = (per: number) => sab(Uint32Array, capacity * per * 4);
  const ids: string[] = [];
  const dq = [u8(1), u8(1), u8(1)] as const;
  const blooms = new Map<string, { col: Uint8Array; per: number }>();
  const hashes = new Map<string, Uint32Array>();
  const sets = new Map<string, { col: Uint32Array; per: number }>();
  for (const f of meta.schema.features) {
    if (f.kind === 'bloom') {
      const per = bloomBytes(meta.schema, f.bits);
      blooms.set(f.name, { col: u8(per), per });
    } else if (f.kind === 'hash') hashes.set(f.name, u32(1));
    else sets.set(f.name, { col: u32(f.max), per: f.max });
  }
  const blockNames = meta.schema.blocking.map((p) => p.name);
  const offsets = blockNames.map(() => new Grow());
  const keys = blockNames.map(() => new Grow());
  for (const o of offsets) o.append(Uint32Array.of(0));
  let n = 0;
  for await (const b of batches) {
    if (n + b.length > capacity) throw new RangeError('more records than the file size allows');
    for (const id of idStrings(b.ids)) ids.push(id);
    dq[0].set(b.nameDq, n);
    dq[1].set(b.dobDq, n);
    dq[2].set(b.ssnDq, n);
    for (const [name, { col, per }] of blooms)
      col.set(defined(b.blooms[name], `bloom column ${name}`), n * per);
    for (const [name, col] of hashes) col.set(defined(b.hashes[name], `hash column ${name}`), n);
    for (const [name, { col, per }] of sets)
      col.set(defined(b.sets[name], `hash-set column ${name}`), n * per);
    blockNames.forEach((name, k) => {
      const c = defined(b.blocks[name], `blocking pass ${name}`);
      const passKeys = at(keys, k);
      const base = passKeys.n;
      const shifted = c.offsets.subarray(1).map((o) => o + base);
      at(offsets, k).append(shifted);
      passKeys.append(c.keys);
    });
    n += b.length;
  }
  const view = <T extends Uint8Array | Uint32Array>(a: T, per: number): T => a.subarray(0, n * per) as T;
  const block = (g: Grow) => {
    const a = g.data.subarray(0, g.n);
    return opts.blocks ? toShared(a) : a.slice();
  };
  return {
    length: n,
    ids,
    nameDq: view(dq[0], 1),
    dobDq: view(dq[1], 1),
    ssnDq: view(dq[2], 1),
    blooms: Object.fromEntries([...blooms].map(([k, { col, per }]) => [k, view(col, per)])),
    hashes: Object.fromEntries([...hashes].map(([k, col]) => [k, view(col, 1)])),
    sets: Object.fromEntries([...sets].map(([k, { col, per }]) => [k, view(col, per)])),
    blocks: Object.fromEntries(
      blockNames.map((name, k) => [name, { offsets: block(at(offsets, k)), keys: block(at(keys, k)) }]),
    ),
  };
}

/** Whether every fixed-width column of `b` lies in shared memory (views of a shared file's bytes). */
function sharedColumns(b: EncodedBatch): boolean {
  const cols: ArrayBufferView[] = [b.nameDq, b.dobDq, b.ssnDq];
  cols.push(...Object.values(b.blooms), ...Object.values(b.hashes), ...Object.values(b.sets));
  return cols.every((c) => c.buffer instanceof SharedArrayBuffer);
}

/** A batch whose columns are already shared, with its block columns placed as `readInto` does. */
function inPlace(b: EncodedBatch, opts: SharedReadOptions): EncodedBatch {
  const blocks: Record<string, { offsets: Uint32Array; keys: Uint32Array }> = {};
  for (const [name, c] of Object.entries(b.blocks))
    blocks[name] = opts.blocks
      ? { offsets: toShared(c.offsets), keys: toShared(c.keys) }
      : { offsets: c.offsets, keys: c.keys };
  return { ...b, blocks };
}

/**
 * Reads a whole encoded file (Arrow or JSON Lines) into one batch in shared memory (see the module
 * comment). Record IDs stay in ordinary memory (or are a lazy list of the file's bytes: `lazyIds`).
 * @example
 * ```ts
 * const mcp = await readEncodedShared(fileBytes('mcp.arrow'), 'mcp.arrow', { blocks: false, sizeHint: statSync('mcp.arrow').size });
 * ```
 */
export async function readEncodedShared(
  source: EncodedSource,
  label: string,
  opts: SharedReadOptions,
): Promise<EncodedList> {
  // Each batch is copied into the shared columns before the next is read: its columns can be
  // views of the file's bytes (one copy fewer of the whole list).
  const views = opts.sizeHint !== undefined;
  const { meta, batches, trailer } = await openEncoded(source, label, {
    views,
    lazyIds: views && opts.lazyIds === true,
    ...(opts.crcOf ? { crcOf: opts.crcOf } : {}),
  });
  let batch: EncodedBatch;
  if (opts.sizeHint !== undefined) {
    const capacity = Math.floor(opts.sizeHint / minRecordBytes(meta)) + 1;
    // A file of one record batch read into shared memory (`fileBytesShared`): its columns are
    // views of those bytes, used as they are (the file's own checks have all run by then).
    const it = batches[Symbol.asyncIterator]();
    const first = await it.next();
    const second = first.done ? first : await it.next();
    if (!first.done && second.done && sharedColumns(first.value)) batch = inPlace(first.value, opts);
    else {
      const rest = async function* () {
        if (!first.done) yield first.value;
        if (!second.done && second !== first) yield second.value;
        for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      };
      batch = await readInto(meta, rest(), capacity, opts);
    }
  } else {
    const parts: EncodedBatch[] = [];
    for await (const b of batches) parts.push(b);
    batch = parts.length === 0 ? emptyBatch(meta) : concatShared(parts, opts);
  }
  return { meta, batch, ...(trailer.rows ? { rows: trailer.rows } : {}) };
}
