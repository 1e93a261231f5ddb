/**
 * The checks every encoded-file reader shares: the file-level metadata (format, version, its own
 * checksum) and the records' values (data-quality codes in HUD's set, non-empty and unique IDs).
 */

import { BloomlinkError } from '../errors.js';
import { DATA_QUALITY_CODES } from '../records.js';
import { repeatedIds } from '../util/id-bytes.js';
import { IdSet } from '../util/id-set.js';
import { VERSION } from '../version.js';
import {
  ENCODED_FORMAT_VERSION,
  type EncodedBatch,
  type EncodedMeta,
  type EncodedRowCounts,
} from './batch.js';
import type { Utf8Ids } from './checksum.js';
import { refuseClearText } from './clear-text.js';
import { idBytesOf, idStrings } from './lazy-ids.js';

/**
 * Parses and checks an encoded file's metadata: a bloomlink file, of the current format version (the
 * format is pre-1.0: older files are refused, naming the version to encode again with), whose stored
 * CRC-32C matches. Throws `BloomlinkError` `FILE_CORRUPT` or `FILE_VERSION`.
 * @example
 * ```ts
 * const meta = checkMeta(json, storedCrc, crcHex(crc32c(utf8(json))), 'coc.arrow');
 * ```
 */
export function checkMeta(
  raw: string,
  storedCrc: string | undefined,
  actualCrc: string,
  label: string,
): EncodedMeta {
  let meta: EncodedMeta;
  try {
    meta = JSON.parse(raw) as EncodedMeta;
  } catch (e) {
    throw new BloomlinkError('FILE_CORRUPT', `${label}: the encoded file's metadata is unreadable`, {
      cause: e,
    });
  }
  if (meta === null || typeof meta !== 'object' || meta.format !== 'bloomlink-encoded')
    throw new BloomlinkError('FILE_CORRUPT', `${label}: not a bloomlink encoded file`);
  if (storedCrc === undefined && (meta.formatVersion as number) < ENCODED_FORMAT_VERSION)
    throw new BloomlinkError(
      'FILE_VERSION',
      `${label}: encoded in format version ${Number(meta.formatVersion)}, without checksums; this bloomlink (${VERSION}) reads format version ${ENCODED_FORMAT_VERSION} only (the format changes before 1.0): encode the list again with bloomlink ${VERSION}`,
    );
  if (storedCrc !== actualCrc)
    throw new BloomlinkError(
      'FILE_CORRUPT',
      `${label}: the file's metadata fails its CRC-32C checksum; the file is damaged, encode it again`,
    );
  if (meta.formatVersion !== ENCODED_FORMAT_VERSION)
    throw new BloomlinkError(
      'FILE_VERSION',
      `${label}: encoded in format version ${Number(meta.formatVersion)}; this bloomlink (${VERSION}) reads format version ${ENCODED_FORMAT_VERSION} only: encode the list again with bloomlink ${VERSION}`,
    );
  refuseClearText(label, meta);
  return meta;
}

/**
 * An encoded batch with no records, with the columns of `meta`'s schema.
 * @example
 * ```ts
 * emptyBatch(meta).length; // 0
 * ```
 */
export function emptyBatch(meta: EncodedMeta): EncodedBatch {
  const z8 = new Uint8Array(0);
  const z32 = new Uint32Array(0);
  return {
    length: 0,
    ids: [],
    nameDq: z8,
    dobDq: z8,
    ssnDq: z8,
    blooms: Object.fromEntries(
      meta.schema.features.filter((f) => f.kind === 'bloom').map((f) => [f.name, z8]),
    ),
    hashes: Object.fromEntries(
      meta.schema.features.filter((f) => f.kind === 'hash').map((f) => [f.name, z32]),
    ),
    sets: Object.fromEntries(
      meta.schema.features.filter((f) => f.kind === 'hashSet').map((f) => [f.name, z32]),
    ),
    blocks: Object.fromEntries(
      meta.schema.blocking.map((p) => [p.name, { offsets: new Uint32Array(1), keys: z32 }]),
    ),
  };
}

/**
 * Passes batches on after checking their records: IDs non-empty, data-quality codes in HUD's set
 * (unless `valuesChecked`: the JSON Lines reader checks them per line already, naming the field);
 * when the batches end, IDs must have been unique across the file (unless `uniqueIds` is false). Throws `BloomlinkError`
 * `FILE_CORRUPT` (naming the record) or `FILE_DUPLICATE_ID` (naming the count, never an ID).
 * @example
 * ```ts
 * for await (const b of checkRecords(batches, 'coc.arrow')) use(b);
 * ```
 */
export async function* checkRecords(
  batches: AsyncIterable<EncodedBatch>,
  label: string,
  opts: {
    readonly valuesChecked?: boolean;
    readonly uniqueIds?: boolean;
    /**
     * A batch's IDs as the file's UTF-8 bytes, when the reader has them (`arrowIdBytes`): a file
     * of one batch then has its IDs checked on those bytes, without a set of 3·10⁶ strings.
     */
    readonly idBytes?: (b: EncodedBatch) => Utf8Ids | undefined;
  } = {},
): AsyncGenerator<EncodedBatch> {
  const seen = opts.uniqueIds === false ? undefined : new IdSet();
  const checkValues = opts.valuesChecked !== true;
  let duplicates = 0;
  let row = 0;
  // The first batch, while it may be the only one: its IDs are checked on their bytes at the end.
  let first: { readonly batch: EncodedBatch; readonly ids: Utf8Ids } | undefined;
  const addStrings = (b: EncodedBatch) => {
    if (!seen) return;
    seen.reserve(seen.size + b.length);
    const strings = idStrings(b.ids);
    for (let i = 0; i < b.length; i++) {
      const id = strings[i] as string;
      if (seen.has(id)) duplicates++;
      else seen.addChecked(id);
    }
  };
  for await (const b of batches) {
    const ids = seen && row === 0 ? opts.idBytes?.(b) : undefined;
    if (checkValues && (ids || !seen)) {
      // A lazy list's IDs are ASCII bytes: one is empty exactly when it has none (no string made).
      const lazy = idBytesOf(b.ids);
      for (let i = 0; i < b.length; i++)
        checkValuesOf(
          b,
          i,
          lazy ? lazy.offsets[i + 1] === lazy.offsets[i] : isEmptyId(b.ids[i]),
          label,
          row + i + 1,
        );
    }
    if (ids) first = { batch: b, ids };
    else if (seen) {
      // A second batch: the first one's IDs go into the set of strings after all.
      if (first) addStrings(first.batch);
      first = undefined;
      seen.reserve(row + b.length);
      const strings = idStrings(b.ids);
      for (let i = 0; i < b.length; i++) {
        const id = strings[i] as string;
        if (checkValues) checkValuesOf(b, i, isEmptyId(id), label, row + i + 1);
        if (seen.has(id)) duplicates++;
        else seen.addChecked(id);
      }
    }
    row += b.length;
    yield b;
  }
  if (first) {
    const repeats = repeatedIds(first.ids.offsets, first.ids.bytes);
    if (repeats === undefined) addStrings(first.batch);
    else duplicates += repeats;
  }
  if (duplicates > 0)
    throw new BloomlinkError(
      'FILE_DUPLICATE_ID',
      `${label}: ${duplicates} record${duplicates === 1 ? '' : 's'} repeat${duplicates === 1 ? 's' : ''} an ID of an earlier record; each record needs its own ID: fix the list and encode it again`,
    );
}

/** HUD's data-quality codes as a table by byte (the columns are bytes): one load a code, no `Set` lookup. */
const DQ_BYTE = (() => {
  const t = new Uint8Array(256);
  for (const c of DATA_QUALITY_CODES) if (c >= 0 && c < 256) t[c] = 1;
  return t;
})();

/** An ID that is missing, not a string, or empty. */
const isEmptyId = (id: unknown): boolean => typeof id !== 'string' || id === '';

/** Record i's ID is non-empty (`emptyId` false) and its data-quality codes are HUD's. */
function checkValuesOf(b: EncodedBatch, i: number, emptyId: boolean, label: string, record: number): void {
  if (emptyId) throw new BloomlinkError('FILE_CORRUPT', `${label}: record ${record} has an empty ID`);
  if (
    DQ_BYTE[b.nameDq[i] as number] !== 1 ||
    DQ_BYTE[b.dobDq[i] as number] !== 1 ||
    DQ_BYTE[b.ssnDq[i] as number] !== 1
  )
    throw new BloomlinkError(
      'FILE_CORRUPT',
      `${label}: record ${record} has a data-quality code outside HUD's set 1, 2, 8, 9, 99`,
    );
}

/**
 * The end record's JSON: the record count and checksum, then the row counts when known.
 * @example
 * ```ts
 * endRecord({ records: 3, crc32c: '0a1b2c3d' }, { rowsRead: 4, rejected: 1 });
 * // '{"records":3,"crc32c":"0a1b2c3d","rowsRead":4,"rejected":1}'
 * ```
 */
export function endRecord(checks: Record<string, unknown>, rows: EncodedRowCounts | undefined): string {
  if (rows === undefined) return JSON.stringify(checks);
  for (const k of ['rowsRead', 'rejected'] as const)
    if (!Number.isSafeInteger(rows[k]) || rows[k] < 0)
      throw new RangeError(`rows.${k} must be an integer >= 0`);
  if (rows.rejected > rows.rowsRead) throw new RangeError('rows.rejected must be at most rows.rowsRead');
  return JSON.stringify({ ...checks, rowsRead: rows.rowsRead, rejected: rows.rejected });
}

/**
 * Checks an end record against the checks the reader computed (`expected`, in the writer's key
 * order) and returns its row counts, if any; throws `FILE_CORRUPT` (with `damaged` as the message)
 * when the checks differ or the counts are malformed.
 * @example
 * ```ts
 * const rows = checkEndRecord(JSON.parse(line), { records: 3, crc32c: 'aabbccdd' }, 'coc.arrow: damaged');
 * ```
 */
export function checkEndRecord(
  end: unknown,
  expected: Record<string, unknown>,
  damaged: string,
): EncodedRowCounts | undefined {
  if (typeof end !== 'object' || end === null || Array.isArray(end))
    throw new BloomlinkError('FILE_CORRUPT', damaged);
  const { rowsRead, rejected, ...checks } = end as Record<string, unknown>;
  if (JSON.stringify(checks) !== JSON.stringify(expected)) throw new BloomlinkError('FILE_CORRUPT', damaged);
  if (rowsRead === undefined && rejected === undefined) return undefined;
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!ok(rowsRead) || !ok(rejected) || rejected > rowsRead)
    throw new BloomlinkError('FILE_CORRUPT', damaged);
  return { rowsRead, rejected };
}
