/**
 * Encoding on worker threads gives exactly the single-threaded batches (same sizes, same bytes),
 * the same issues in the same order and the same counts; packing persons for a worker loses nothing
 * the encoder reads.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeParallel } from '../../src/encode/encode.node.js';
import { packPersons, unpackPersons } from '../../src/encode/encode-task.js';
import type { PersonToEncode } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { encodeList } from '../../src/encode/pipeline.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';
import type { RowIssue } from '../../src/records.js';

const KEY = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const SAMPLE = fileURLToPath(new URL('../../data/sample/', import.meta.url));

async function run(threads: number | undefined, file: string, key = KEY, afterOpen = () => {}) {
  const issues: RowIssue[] = [];
  const opts = { today: '2026-01-01', batchSize: 700, onIssue: (i: RowIssue) => issues.push(i) };
  const r =
    threads === undefined
      ? await encodeList(readFileSync(file), key, opts)
      : await encodeParallel(readFileSync(file), key, { ...opts, threads });
  afterOpen();
  const batches: EncodedBatch[] = [];
  for await (const b of r.batches) batches.push(b);
  return { meta: r.meta, batches, issues, summary: r.reader.summary };
}

// Each parallel run starts a pool of worker threads that load the library from source (about a
// second of CPU per thread), so each run here checks as much as it can.
describe('encodeParallel', () => {
  it('encodes clients.csv exactly as encodeList does (2 threads), leaving the caller’s key intact', async () => {
    const a = await run(undefined, `${SAMPLE}clients.csv`);
    const key = KEY.slice();
    const b = await run(2, `${SAMPLE}clients.csv`, key);
    expect(b.meta).toEqual(a.meta);
    expect(b.batches.map((x) => x.length)).toEqual(a.batches.map((x) => x.length));
    expect(b.batches).toEqual(a.batches);
    expect(b.issues).toEqual(a.issues);
    expect(b.summary).toEqual(a.summary);
    // The run wiped its own copies of the key, not the caller's.
    expect(key).toEqual(KEY);
  });

  it('encodes members.csv exactly as encodeList does (2 threads), with the caller’s key wiped as soon as the run is opened', async () => {
    const a = await run(undefined, `${SAMPLE}members.csv`);
    const key = KEY.slice();
    const b = await run(2, `${SAMPLE}members.csv`, key, () => key.fill(0));
    expect(b.meta).toEqual(a.meta);
    expect(b.batches.map((x) => x.length)).toEqual(a.batches.map((x) => x.length));
    expect(b.batches).toEqual(a.batches);
    expect(b.issues).toEqual(a.issues);
    expect(b.summary).toEqual(a.summary);
  });

  it('encodes objects from an async iterable as encodeList does from the array', async () => {
    const objects = [
      {
        MemberID: 'M1',
        FirstName: 'Ana',
        LastName: 'Ruiz',
        DOB: '1980-02-03',
        MCP: 'P',
        CoverageType: 'Medi-Cal',
        EnrollmentStartDate: '2024-01-01',
      },
      {
        MemberID: 'M1',
        FirstName: 'Bo',
        LastName: 'Lee',
        DOB: '1981-02-03',
        MCP: 'P',
        CoverageType: 'Medi-Cal',
        EnrollmentStartDate: '2024-01-01',
      },
      {
        MemberID: 'M2',
        FirstName: 'Cy',
        LastName: 'Kim',
        DOB: '1982-02-03',
        MCP: 'P',
        CoverageType: 'Medi-Cal',
        EnrollmentStartDate: '2024-01-01',
      },
    ];
    async function* gen() {
      yield* objects;
    }
    const a = await encodeList(objects, KEY, { today: '2026-01-01' });
    const b = await encodeParallel(gen(), KEY, { today: '2026-01-01', threads: 2 });
    const all = async (r: typeof a) => {
      const out: EncodedBatch[] = [];
      for await (const x of r.batches) out.push(x);
      return out;
    };
    expect(await all(b)).toEqual(await all(a));
    expect(b.reader.summary).toEqual(a.reader.summary);
    // M1's two rows are two coverage spans of one member (same start: they overlap; other names).
    expect(b.reader.summary).toMatchObject({ accepted: 3, members: 2 });
    expect(b.reader.summary.byCode).toMatchObject({ SPAN_OVERLAP: 1, SPAN_IDENTITY_DIFFERS: 1 });
  });

  it('does not wipe the caller’s key when the batches are abandoned', async () => {
    const key = KEY.slice();
    const r = await encodeParallel(readFileSync(`${SAMPLE}members.csv`), key, {
      threads: 2,
      today: '2026-01-01',
    });
    for await (const _ of r.batches) break;
    expect(key).toEqual(KEY);
  });
});

/**
 * A member list built to stress the parallel reader: IDs drawn from a small pool (duplicates within
 * and across pieces, some on rejected rows), short and long rows, blank lines, CRLF and lone CR
 * endings, quoted names with line breaks and quotes, bad dates and codes.
 */
function messyMembers(rows: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  const rnd = (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  const firsts = ['ANA', '"Mary\nAnn"', '"O""Neil"', 'José', '', 'Bob', 'LI'];
  const lasts = ['LEE', 'GARCIA-LOPEZ', '"de la\r\nCruz"', 'Smith Jr', '', 'NGUYEN'];
  const dobs = ['1980-02-03', '02/03/1980', '1980-13-40', '', '1975-11-29', '2099-01-01', '1/2/75'];
  const eols = ['\n', '\r\n', '\r'];
  const lines = [
    'MemberID,CIN,FirstName,MiddleName,LastName,NameSuffix,DOB,Sex,SSN,MCP,CoverageType,EnrollmentStartDate,EnrollmentEndDate',
  ];
  for (let i = 0; i < rows; i++) {
    const id = rnd(10) === 0 ? '' : `M${rnd(rows)}`;
    const cells = [
      id,
      rnd(3) === 0 ? '12345678A' : '',
      firsts[rnd(firsts.length)]!,
      rnd(4) === 0 ? 'Q' : '',
      lasts[rnd(lasts.length)]!,
      '',
      dobs[rnd(dobs.length)]!,
      ['M', 'F', '', 'X'][rnd(4)]!,
      rnd(2) === 0 ? `${100000000 + rnd(899999999)}` : '',
      rnd(15) === 0 ? '' : 'Plan',
      rnd(20) === 0 ? 'dental' : 'Medi-Cal',
      rnd(25) === 0 ? 'soon' : '2024-01-01',
      '',
    ];
    const shape = rnd(30);
    const row = shape === 0 ? cells.slice(0, 5) : shape === 1 ? [...cells, 'extra'] : cells;
    lines.push(row.join(','));
    if (rnd(40) === 0) lines.push('');
  }
  let out = '';
  for (const l of lines) out += l + eols[rnd(eols.length)]!;
  return new TextEncoder().encode(out);
}

describe('encodeParallel on file bytes (read on the workers)', () => {
  it('groups repeated MemberIDs (coverage spans) across pieces and gives exactly the single-threaded issues, counts and batches', async () => {
    const bytes = messyMembers(3000, 7);
    const single = async () => {
      const issues: RowIssue[] = [];
      const r = await encodeList(bytes, KEY, {
        today: '2026-01-01',
        batchSize: 333,
        onIssue: (i) => issues.push(i),
      });
      const batches: EncodedBatch[] = [];
      for await (const b of r.batches) batches.push(b);
      return { batches, issues, summary: r.reader.summary };
    };
    // As the CLI reads files: chunks from an async iterable.
    async function* chunks() {
      for (let at = 0; at < bytes.length; at += 1000) yield bytes.subarray(at, at + 1000);
    }
    const parallel = async (pieceChars: number) => {
      const issues: RowIssue[] = [];
      const r = await encodeParallel(pieceChars === 4096 ? chunks() : bytes, KEY, {
        today: '2026-01-01',
        batchSize: 333,
        threads: 2,
        pieceChars,
        onIssue: (i) => issues.push(i),
      });
      const batches: EncodedBatch[] = [];
      for await (const b of r.batches) batches.push(b);
      return { batches, issues, summary: r.reader.summary };
    };
    const a = await single();
    // Repeated MemberIDs are coverage spans: accepted, one record per member.
    expect(a.summary.accepted - (a.summary.members ?? 0)).toBeGreaterThan(100);
    expect(a.batches.reduce((n, b) => n + b.length, 0)).toBe(a.summary.members);
    expect(a.summary.rejected).toBeGreaterThan(300);
    for (const pieceChars of [200, 4096, 1 << 20]) {
      const b = await parallel(pieceChars);
      expect(b.summary).toEqual(a.summary);
      expect(b.issues).toEqual(a.issues);
      expect(b.batches.map((x) => x.length)).toEqual(a.batches.map((x) => x.length));
      expect(b.batches).toEqual(a.batches);
    }
  });

  it('collects issues when no onIssue is given, reports progress and maps pseudonyms in record order', async () => {
    const bytes = messyMembers(800, 3);
    const ref = await encodeList(bytes, KEY, { today: '2026-01-01' });
    const refIds: string[] = [];
    for await (const b of ref.batches) refIds.push(...b.ids);
    const pairs: [string, string][] = [];
    const progress: number[] = [];
    const phases: { phase: string; done: number; total?: number }[] = [];
    const r = await encodeParallel(bytes, KEY, {
      today: '2026-01-01',
      threads: 2,
      pieceChars: 500,
      onPseudonym: (p, id) => pairs.push([p, id]),
      onProgress: (p) => {
        if (p.phase === 'encode') progress.push(p.rowsRead);
        phases.push(p);
      },
    });
    const ids: string[] = [];
    for await (const b of r.batches) ids.push(...b.ids);
    expect(pairs.map(([, id]) => id)).toEqual(refIds);
    expect(ids).toEqual(pairs.map(([p]) => p));
    expect(r.reader.issues.length).toBeGreaterThan(0);
    expect(r.reader.summary.rowsRead).toBe(r.reader.summary.accepted + r.reader.summary.rejected);
    expect(progress.at(-1)).toBe(r.reader.summary.rowsRead);
    expect(progress.length).toBeGreaterThan(3);
    // The member list's first pass, then the encoding, each in bytes up to the input's size.
    expect([...new Set(phases.map((p) => p.phase))]).toEqual(['spans', 'encode']);
    for (const phase of ['spans', 'encode']) {
      const own = phases.filter((p) => p.phase === phase);
      expect(own.every((p, i) => i === 0 || p.done >= (own[i - 1]?.done ?? 0))).toBe(true);
      expect(own.at(-1)).toMatchObject({ done: bytes.length, total: bytes.length });
    }
    expect(() => r.reader.results()).toThrow(TypeError);
  });

  it('stops with the single-threaded error for a quote never closed, and refuses a program list', async () => {
    const bad = new TextEncoder().encode(
      'MemberID,FirstName,LastName,DOB,MCP,CoverageType,EnrollmentStartDate\nM1,"Ana,Lee,1980-01-02,P,Medi-Cal,2024-01-01\n',
    );
    const err = async (f: () => Promise<{ batches: AsyncIterable<EncodedBatch> }>) => {
      try {
        for await (const _ of (await f()).batches);
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    };
    const single = await err(() => encodeList(bad, KEY, { today: '2026-01-01' }));
    expect(single).toContain('never closed');
    expect(await err(() => encodeParallel(bad, KEY, { today: '2026-01-01', threads: 2 }))).toBe(single);
    const programs = new TextEncoder().encode(
      'MemberID,Program,Provider,StartDate\nM1,ECM,Clinic,2024-01-01\n',
    );
    await expect(encodeParallel(programs, KEY, { threads: 2 })).rejects.toThrow('this is a program list');
  });
});

describe('packPersons', () => {
  it('round-trips every field the encoder reads', () => {
    const str = fc.option(fc.string({ maxLength: 12 }), { nil: undefined });
    const dq = fc.constantFrom(1, 2, 8, 9, 99);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.string({ minLength: 1, maxLength: 8 }),
            firstName: str,
            middleName: str,
            lastName: str,
            nameSuffix: str,
            dob: str,
            ssn: str,
            sex: fc.option(fc.constantFrom('F', 'M'), { nil: undefined }),
            nameDataQuality: dq,
            dobDataQuality: dq,
            ssnDataQuality: dq,
          }),
          { maxLength: 20 },
        ),
        (raw) => {
          const persons = raw.map((r) =>
            Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)),
          ) as unknown as PersonToEncode[];
          expect(unpackPersons(packPersons(persons))).toEqual(persons);
        },
      ),
    );
  });
});
