import { crc32 as zlibCrc32 } from 'node:zlib';
import { expect } from 'vitest';
import type { RowValidator } from '../../src/read/validate.js';

/** Validates CSV-like lines (header first) and returns `line field code severity` strings and records. */
export function run<R>(
  make: (header: readonly string[], opts: { today: string }) => RowValidator<R>,
  header: string,
  rows: readonly (string | readonly string[])[],
  today = '2025-06-01',
): { issues: string[]; records: R[]; rejected: number[] } {
  const v = make(header.split(','), { today });
  const issues: string[] = [];
  const records: R[] = [];
  const rejected: number[] = [];
  rows.forEach((row, i) => {
    const fields = typeof row === 'string' ? row.split(',') : [...row];
    const r = v.validate({ line: i + 2, fields });
    for (const issue of r.issues) issues.push(`${issue.line} ${issue.field} ${issue.code} ${issue.severity}`);
    if (r.record === undefined) rejected.push(i + 2);
    else records.push(r.record);
  });
  return { issues, records, rejected };
}

/** Reads a stored ZIP through its central directory, checking sizes, methods and CRCs. */
export function unzip(zip: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  expect(view.getUint32(eocd, true)).toBe(0x06054b50);
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  expect(at + view.getUint32(eocd + 12, true)).toBe(eocd);
  const out = new Map<string, Uint8Array>();
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    expect(view.getUint16(at + 10, true)).toBe(0);
    const crc = view.getUint32(at + 16, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    const local = view.getUint32(at + 42, true);
    expect(view.getUint32(local, true)).toBe(0x04034b50);
    expect(view.getUint32(local + 14, true)).toBe(crc);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = zip.subarray(start, start + size);
    expect(zlibCrc32(data)).toBe(crc);
    out.set(name, data);
    at += 46 + nameLength;
  }
  return out;
}
