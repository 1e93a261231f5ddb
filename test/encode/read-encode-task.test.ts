import { describe, expect, it } from 'vitest';
import type { PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { personToEncode } from '../../src/encode/pipeline.js';
import { type PieceResult, readEncodeRole } from '../../src/encode/read-encode-task.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { parseCsvSync } from '../../src/read/csv.js';
import { cell, type Fields, parseId } from '../../src/read/fields.js';
import { detectLayout } from '../../src/read/layouts.js';
import { identityFingerprint, rowFingerprint } from '../../src/read/member-spans.js';
import { memberValidator } from '../../src/read/validate.js';
import type { MemberRecord, RowIssue } from '../../src/records.js';
import { Random } from '../../src/util/prng.js';
import { fuzzRows, spoilCell, synth } from '../read/member-fuzz.js';

/**
 * The read-encode worker's second pass over a piece of a member list (`readEncodeRole.run`, which
 * judges clean rows with `validateClean` into the encoder's object) against the plain reading of
 * the same rows: `validate` for every row and `personToEncode` for every accepted one. Lines,
 * outcomes, issues, rejected IDs, fingerprints, the persons handed to the encoder (captured by a
 * stub around the real encoder) and the encoded batch must all be the same.
 */
const KEY = parseKey('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
const TODAY = '2026-01-01';
const LABEL = 'members.csv';

/** The keys of `PersonToEncode`, as `personToEncode` writes them. */
const PERSON_KEYS = Object.keys(
  personToEncode({ nameDataQuality: 99, dobDataQuality: 99, ssnDataQuality: 99 }, ''),
);

const project = (p: PersonToEncode): Record<string, unknown> =>
  Object.fromEntries(PERSON_KEYS.map((k) => [k, (p as unknown as Record<string, unknown>)[k]]));

const bit = (bits: Uint8Array | undefined, line: number): boolean =>
  bits !== undefined && ((bits[line >>> 3] ?? 0) & (1 << (line & 7))) !== 0;

interface Expected {
  lines: number[];
  accepted: number[];
  issues: RowIssue[];
  issueStart: number[];
  rejectedIds: (string | null)[];
  persons: PersonToEncode[];
  fingerprints: { lines: number[]; identity: number[]; rows: number[] };
}

/** What the piece's rows give read the plain way: `validate` and `personToEncode`. */
function expected(header: readonly string[], rows: readonly { line: number; fields: Fields }[], bits: Bits) {
  const v = memberValidator(header, { today: TODAY, label: LABEL });
  const idColumn = v.columns.get('MemberID') ?? -1;
  const e: Expected = {
    lines: [],
    accepted: [],
    issues: [],
    issueStart: [0],
    rejectedIds: [],
    persons: [],
    fingerprints: { lines: [], identity: [], rows: [] },
  };
  for (const row of rows) {
    const r = v.validate(row);
    e.lines.push(r.line);
    e.issues.push(...r.issues);
    e.issueStart.push(e.issues.length);
    const rec = r.record;
    if (rec === undefined) {
      e.accepted.push(0);
      const id = parseId(cell(row.fields, idColumn));
      e.rejectedIds.push(id.ok ? id.value : null);
      continue;
    }
    if (bit(bits.superseded, rec.line)) e.accepted.push(2);
    else {
      e.accepted.push(1);
      e.persons.push(personToEncode(rec, rec.memberId));
    }
    if (bit(bits.grouped, rec.line)) {
      e.fingerprints.lines.push(rec.line);
      e.fingerprints.identity.push(identityFingerprint(rec as MemberRecord));
      e.fingerprints.rows.push(rowFingerprint(row.fields));
    }
  }
  return e;
}

interface Bits {
  grouped?: Uint8Array;
  superseded?: Uint8Array;
}

/** The role's init for a member list with this header (a fresh copy of the key each time). */
function initOf(header: readonly string[]) {
  return {
    key: KEY.slice(),
    party: 'mcp' as const,
    schema: DEFAULT_SCHEMA,
    kind: 'members' as const,
    layout: detectLayout(header, LABEL).layout,
    header,
    delimiter: ',',
    label: LABEL,
    today: TODAY,
  };
}

/** Runs the role over the rows (after the header) of `text`, capturing what the encoder is given. */
function runRole(header: readonly string[], text: string, bits: Bits) {
  const state = readEncodeRole.init(initOf(header));
  const real = state.encoder;
  const given: Record<string, unknown>[] = [];
  const capturing = {
    encodeMany(persons: readonly PersonToEncode[]) {
      for (const p of persons) given.push(project(p));
      return real.encodeMany(persons);
    },
  } as unknown as RecordEncoder;
  const body = text.slice(text.indexOf('\n') + 1);
  const { result } = readEncodeRole.run(
    { ...state, encoder: capturing },
    { text: body, startLine: 2, bytesRead: 0, ...bits },
  );
  // The plain path's persons encoded by an encoder of the same key, for the batch.
  const again = readEncodeRole.init(initOf(header)).encoder;
  return { result, given, again };
}

function randomBits(rnd: Random, lines: number, share: number): Uint8Array {
  const bits = new Uint8Array((lines >>> 3) + 1);
  for (let line = 0; line <= lines; line++)
    if (rnd.next() < share) bits[line >>> 3] = (bits[line >>> 3] ?? 0) | (1 << (line & 7));
  return bits;
}

const quote = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);

/** Checks the role against the plain reading on one CSV text, without and with the bitmaps. */
function check(text: string): { rows: number; accepted: number; rejected: number; persons: number } {
  const parsed = parseCsvSync(text, { label: LABEL });
  const header = (parsed[0]?.fields ?? []).map((c) => c ?? '');
  const rows = parsed.slice(1);
  const last = rows.at(-1)?.line ?? 2;
  const rnd = new Random(rows.length);
  const counts = { rows: rows.length, accepted: 0, rejected: 0, persons: 0 };
  const variants: Bits[] = [
    {},
    { grouped: randomBits(rnd, last, 0.3) },
    { grouped: randomBits(rnd, last, 0.3), superseded: randomBits(rnd, last, 0.2) },
  ];
  for (const bits of variants) {
    const e = expected(header, rows, bits);
    const { result, given, again } = runRole(header, text, bits);
    const r: PieceResult = result;
    expect([...r.lines]).toEqual(e.lines);
    expect([...r.accepted]).toEqual(e.accepted);
    expect(r.issues).toEqual(e.issues);
    expect([...r.issueStart]).toEqual(e.issueStart);
    expect(r.rejectedIds).toEqual(e.rejectedIds);
    // The persons as the encoder got them, every PersonToEncode field with its value (99 ≠ undefined).
    expect(given.length).toBe(e.persons.length);
    const want = e.persons.map(project);
    given.forEach((p, i) => {
      if (JSON.stringify(p) !== JSON.stringify(want[i])) expect(p).toStrictEqual(want[i]);
    });
    const fp = r.fingerprints;
    expect({
      lines: [...(fp?.lines ?? [])],
      identity: [...(fp?.identity ?? [])],
      rows: [...(fp?.rows ?? [])],
    }).toEqual(e.fingerprints);
    if (bits.grouped !== undefined) expect(e.fingerprints.lines.length).toBeGreaterThan(0);
    expect(r.batch).toEqual(again.encodeMany(e.persons));
    counts.accepted += e.accepted.filter((a) => a > 0).length;
    counts.rejected += e.accepted.filter((a) => a === 0).length;
    counts.persons += e.persons.length;
  }
  return counts;
}

const csv = (header: readonly string[], rows: readonly Fields[]) =>
  `${[header, ...rows].map((r) => r.map((c) => quote(c ?? '')).join(',')).join('\r\n')}\r\n`;

describe('readEncodeRole.run on a member piece against validate and personToEncode', () => {
  it('agrees on fuzzed member rows, with and without the grouped and superseded bitmaps', () => {
    const { header, rows } = synth(20, 4);
    const all: Fields[] = [];
    // Good rows with no name, no DOB or no SSN given (data quality 99, the worker's starting value).
    const blanked = (base: readonly string[], columns: readonly string[]) =>
      base.map((v, c) => (columns.includes(header[c] ?? '') ? '' : v));
    const unknown = [['FirstName', 'MiddleName', 'LastName', 'NameSuffix'], ['DOB'], ['SSN']];
    rows.forEach((base, i) => {
      all.push(...fuzzRows(header, base, 150, i + 31));
      for (const columns of [...unknown, unknown.flat()]) all.push(blanked(base, columns));
    });
    const t = check(csv(header, all));
    // Rows cut to nothing are blank lines, not rows.
    expect(t.rows).toBeGreaterThan(all.length * 0.98);
    // Both outcomes, and the clean path, are exercised.
    expect(t.accepted).toBeGreaterThan(t.rows / 20);
    expect(t.rejected).toBeGreaterThan(t.rows / 20);
  });

  it('agrees with data-quality columns (99 and every other code) on a messy file', () => {
    const { header, rows } = synth(1_500, 23);
    const dq = [...header, 'NameDataQuality', 'DOBDataQuality', 'SSNDataQuality'];
    const codes = ['1', '2', '8', '9', '99', '', '7', ' 1 '];
    const rnd = new Random(5);
    const lines: Fields[] = rows.map((r) => {
      const c: string[] = [...r, ...[0, 1, 2].map(() => codes[rnd.below(codes.length)] ?? '')];
      spoilCell(c, rnd);
      return c;
    });
    const t = check(csv(dq, lines));
    expect(t.rows).toBe(1_500);
    expect(t.persons).toBeGreaterThan(1_000);
  });
});
