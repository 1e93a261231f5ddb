/**
 * A minimal ZIP writer: stored (uncompressed) entries, CRC-32, no ZIP64. Enough for small Office
 * Open XML files such as the rejection report workbook, without a dependency. Entries get a fixed
 * timestamp (1980-01-01) so the same content always gives the same bytes.
 */

const CRC_TABLE = /* @__PURE__ */ (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 (ISO-HDLC, as ZIP and PNG use) of `bytes`.
 *
 * @example
 * ```ts
 * crc32(new TextEncoder().encode('123456789')).toString(16); // 'cbf43926'
 * ```
 */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  // The index is a byte, and the table has 256 entries.
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One file of a ZIP archive. */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated, ASCII. */
  readonly name: string;
  readonly data: Uint8Array;
}

const LIMIT = 0xffffffff;
const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;

/**
 * Builds a ZIP archive of stored entries.
 *
 * @throws RangeError for a non-ASCII or empty name, or an archive too large for plain ZIP (4 GiB)
 * @example
 * ```ts
 * const zip = zipStored([{ name: 'hello.txt', data: new TextEncoder().encode('hi') }]);
 * ```
 */
export function zipStored(entries: readonly ZipEntry[]): Uint8Array {
  const files = entries.map((e) => {
    if (!/^[\x20-\x7e]+$/.test(e.name)) throw new RangeError('entry names must be non-empty printable ASCII');
    return { name: new TextEncoder().encode(e.name), data: e.data };
  });
  let size = 22;
  for (const { name, data } of files) size += 30 + 46 + 2 * name.length + data.length;
  if (size > LIMIT || entries.length > 0xffff)
    throw new RangeError('archive too large for ZIP without ZIP64');
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  const written: { name: Uint8Array; data: Uint8Array; crc: number; offset: number }[] = [];
  for (const { name, data } of files) {
    const crc = crc32(data);
    written.push({ name, data, crc, offset: at });
    view.setUint32(at, 0x04034b50, true);
    view.setUint16(at + 4, 20, true); // version needed: 2.0
    view.setUint16(at + 6, 0, true); // flags
    view.setUint16(at + 8, 0, true); // method: stored
    view.setUint16(at + 10, 0, true); // time 00:00
    view.setUint16(at + 12, DOS_DATE_1980_01_01, true);
    view.setUint32(at + 14, crc, true);
    view.setUint32(at + 18, data.length, true);
    view.setUint32(at + 22, data.length, true);
    view.setUint16(at + 26, name.length, true);
    view.setUint16(at + 28, 0, true);
    out.set(name, at + 30);
    out.set(data, at + 30 + name.length);
    at += 30 + name.length + data.length;
  }
  const centralStart = at;
  for (const { name, data, crc, offset } of written) {
    view.setUint32(at, 0x02014b50, true);
    view.setUint16(at + 4, 20, true); // made by: 2.0, MS-DOS
    view.setUint16(at + 6, 20, true);
    view.setUint16(at + 8, 0, true);
    view.setUint16(at + 10, 0, true);
    view.setUint16(at + 12, 0, true);
    view.setUint16(at + 14, DOS_DATE_1980_01_01, true);
    view.setUint32(at + 16, crc, true);
    view.setUint32(at + 20, data.length, true);
    view.setUint32(at + 24, data.length, true);
    view.setUint16(at + 28, name.length, true);
    // extra length, comment length, disk, internal and external attributes: all 0
    view.setUint32(at + 42, offset, true);
    out.set(name, at + 46);
    at += 46 + name.length;
  }
  view.setUint32(at, 0x06054b50, true);
  view.setUint16(at + 8, entries.length, true);
  view.setUint16(at + 10, entries.length, true);
  view.setUint32(at + 12, at - centralStart, true);
  view.setUint32(at + 16, centralStart, true);
  return out;
}
