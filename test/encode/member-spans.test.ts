/**
 * Encoding a plan member list with several rows per member (one per coverage span): one record per
 * member, from its most recent span, at that span's place in the file; the same on one thread and
 * on worker threads, from bytes and from a one-shot stream.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeParallel } from '../../src/encode/encode.node.js';
import { parseKey } from '../../src/encode/key.js';
import { encodeList } from '../../src/encode/pipeline.js';
import { readEncodeRole } from '../../src/encode/read-encode-task.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';
import { concatBatches } from '../../src/encoded/concat.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { spanIdHash } from '../../src/read/member-spans.js';
import type { RowIssue } from '../../src/records.js';

const KEY = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const FILE = fileURLToPath(new URL('../fixtures/plan/members.csv', import.meta.url));
const bytes = readFileSync(FILE);
const text = bytes.toString('utf8');

async function run(input: Uint8Array | AsyncIterable<Uint8Array>, threads?: number) {
  const issues: RowIssue[] = [];
  const opts = { today: '2026-01-01', onIssue: (i: RowIssue) => issues.push(i) };
  const r =
    threads === undefined
      ? await encodeList(input, KEY, opts)
      : await encodeParallel(input, KEY, { ...opts, threads, pieceChars: 200 });
  const batches: EncodedBatch[] = [];
  for await (const b of r.batches) batches.push(b);
  return { batch: concatBatches(batches), issues, summary: r.reader.summary };
}

/** The fixture with only each member's most recent span, in file order. */
function latestOnly(): Uint8Array {
  const [header, ...rows] = text.trim().split('\n');
  const keep = [3, 5, 7, 9, 10, 11]; // 1-based data rows: M3, M5 (first of its repeat), M4, M1, M2, M6
  return new TextEncoder().encode(`${[header, ...keep.map((i) => rows[i - 1])].join('\n')}\n`);
}

async function* oneShot(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b.subarray(0, 100);
  yield b.subarray(100);
}

describe('member lists with several coverage spans', () => {
  it('encode one record per member, from the most recent span, where that span is in the file', async () => {
    const a = await run(bytes);
    expect(a.batch.ids).toEqual(['M3', 'M5', 'M4', 'M1', 'M2', 'M6']);
    const expected = await run(latestOnly());
    expect(a.batch).toEqual(expected.batch);
    expect(a.summary).toMatchObject({ rowsRead: 11, accepted: 11, rejected: 0, members: 6 });
    // M2's older span has another surname; M4's spans overlap; M5's second row repeats its first.
    expect(a.issues.map((i) => `${i.line} ${i.code}`)).toEqual([
      '3 SPAN_IDENTITY_DIFFERS',
      '8 SPAN_OVERLAP',
      '9 SPAN_REPEATED',
    ]);
    expect(a.summary.warnings).toBe(3);
  });

  it('give the same records, issues and counts on worker threads and from a one-shot stream', async () => {
    const a = await run(bytes);
    const b = await run(bytes, 2);
    expect(b.batch).toEqual(a.batch);
    expect(b.issues).toEqual(a.issues);
    expect(b.summary).toEqual(a.summary);
    const c = await run(oneShot(new Uint8Array(bytes)));
    expect(c.batch).toEqual(a.batch);
    expect(c.issues).toEqual(a.issues);
    const d = await run(oneShot(new Uint8Array(bytes)), 2);
    expect(d.batch).toEqual(a.batch);
    expect(d.summary).toEqual(a.summary);
  });

  it('a first-pass piece reports spans only, with no encoded batch to post', () => {
    const [header = '', ...rows] = text.trim().split('\n');
    const state = readEncodeRole.init({
      key: KEY.slice(),
      party: 'mcp',
      schema: DEFAULT_SCHEMA,
      kind: 'members',
      layout: 'contract',
      header: header.split(','),
      delimiter: ',',
      label: 'members.csv',
      today: '2026-01-01',
    });
    const piece = { text: `${rows.join('\n')}\n`, startLine: 2, bytesRead: 0 };
    const firstAnswer = readEncodeRole.run(state, { ...piece, spansOnly: true, idSeed: 77 });
    const first = firstAnswer.result;
    expect(first.batch).toBeUndefined();
    expect(first.spans?.idEnds).toHaveLength(11);
    // The MemberIDs' code units end to end, each row's ending at its idEnds entry.
    const codes = first.spans?.idCodes ?? new Uint16Array(0);
    const ends = [...(first.spans?.idEnds ?? [])];
    const ids = ends.map((e, i) => String.fromCharCode(...codes.subarray(i === 0 ? 0 : ends[i - 1], e)));
    expect(ids).toEqual(rows.map((r) => r.split(',')[0]));
    // Each ID's hash under the task's seed, as MemberSpans groups by it.
    expect([...(first.spans?.idHashes ?? [])]).toEqual(ids.map((id) => spanIdHash(id, 77)));
    expect([...(first.spans?.lines ?? [])]).toEqual(rows.map((_, i) => i + 2));
    const secondAnswer = readEncodeRole.run(state, piece);
    const second = secondAnswer.result;
    expect(second.batch?.length).toBe(11);
  });
});
