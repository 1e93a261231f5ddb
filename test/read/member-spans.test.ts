/** Grouping the rows of a plan member list by MemberID: the most recent span and the span warnings. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  identityFingerprint,
  MemberSpans,
  rowFingerprint,
  spanDay,
  spanIdHash,
} from '../../src/read/member-spans.js';
import { readMembers } from '../../src/read/reader.js';
import type { MemberRecord, RowIssue } from '../../src/records.js';
import { IdSet } from '../../src/util/id-set.js';

const brief = (issues: readonly RowIssue[]) =>
  issues.map((i) => `${i.line} ${i.field} ${i.code} ${i.severity}`);

function span(line: number, id: string, start: string, end?: string, last = 'Ruiz'): MemberRecord {
  return {
    line,
    memberId: id,
    firstName: 'Ana',
    lastName: last,
    nameDataQuality: 1,
    dobDataQuality: 99,
    ssnDataQuality: 99,
    mcp: 'Plan',
    coverageType: 'Medi-Cal',
    enrollmentStartDate: start,
    ...(end !== undefined && { enrollmentEndDate: end }),
  };
}

function plan(rows: MemberRecord[]) {
  const spans = new MemberSpans();
  for (const r of rows)
    spans.add(r, rowFingerprint([r.memberId, r.lastName, r.enrollmentStartDate, r.enrollmentEndDate]));
  return spans.finish();
}

describe('MemberSpans', () => {
  it('keeps the latest start; on a tie the open span, then the later end, then the earlier line', () => {
    const p = plan([
      span(2, 'A', '2023-01-01', '2023-12-31'),
      span(3, 'B', '2024-01-01', '2024-06-30'),
      span(4, 'B', '2024-01-01'),
      span(5, 'C', '2024-01-01', '2024-03-31'),
      span(6, 'C', '2024-01-01', '2024-06-30'),
      span(7, 'A', '2024-03-01'),
      span(8, 'D', '2024-01-01'),
    ]);
    expect([2, 3, 4, 5, 6, 7, 8].filter((l) => p.superseded(l))).toEqual([2, 3, 5]);
    expect(p).toMatchObject({ spans: 7, members: 4 });
    // B's and C's spans overlap (same start); A's are apart; every row is kept.
    expect(brief(p.issues)).toEqual([
      '4 EnrollmentStartDate SPAN_OVERLAP warning',
      '6 EnrollmentStartDate SPAN_OVERLAP warning',
    ]);
  });

  it('flags repeats (not as overlaps) and identity changes against the most recent span', () => {
    const p = plan([
      span(2, 'A', '2023-01-01', '2023-12-31'),
      span(3, 'A', '2023-01-01', '2023-12-31'),
      span(9, 'A', '2024-01-01', undefined, 'Ruiz-Lee'),
    ]);
    expect(brief(p.issues)).toEqual([
      '2 * SPAN_IDENTITY_DIFFERS warning',
      '3 * SPAN_REPEATED warning',
      '3 * SPAN_IDENTITY_DIFFERS warning',
    ]);
    expect(p.superseded(9)).toBe(false);
    expect(p.superseded(1_000)).toBe(false);
  });

  it('property: exactly one row per member is kept, and it has the latest start of its member', () => {
    const row = fc.record({
      id: fc.constantFrom('A', 'B', 'C', 'D'),
      start: fc.integer({ min: 1, max: 28 }),
      end: fc.option(fc.integer({ min: 0, max: 28 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const records = rows.map((r, i) => {
          const s = `2024-02-${String(r.start).padStart(2, '0')}`;
          const e =
            r.end === undefined ? undefined : `2024-02-${String(Math.max(r.start, r.end)).padStart(2, '0')}`;
          return span(i + 2, r.id, s, e);
        });
        const p = plan(records);
        const kept = records.filter((r) => !p.superseded(r.line));
        expect(new Set(kept.map((r) => r.memberId)).size).toBe(kept.length);
        expect(kept.length).toBe(new Set(records.map((r) => r.memberId)).size);
        expect(p.members).toBe(kept.length);
        for (const k of kept) {
          const latest = records
            .filter((r) => r.memberId === k.memberId)
            .map((r) => r.enrollmentStartDate)
            .sort()
            .at(-1);
          expect(k.enrollmentStartDate).toBe(latest);
        }
      }),
    );
  });

  it("property: deciding from IDs, lines and dates, then the grouped rows' fingerprints, gives what finish gives", () => {
    // The worker threads' way (encodeParallel): dates as numbers, no fingerprints in the first pass.
    const row = fc.record({
      id: fc.constantFrom('A', 'B', 'C', 'D', 'E'),
      start: fc.integer({ min: 1, max: 28 }),
      end: fc.option(fc.integer({ min: 0, max: 28 }), { nil: undefined }),
      last: fc.constantFrom('Ruiz', 'Lee'),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), fc.boolean(), (rows, shuffled) => {
        const records = rows.map((r, i) => {
          const s = `2024-02-${String(r.start).padStart(2, '0')}`;
          const e =
            r.end === undefined ? undefined : `2024-02-${String(Math.max(r.start, r.end)).padStart(2, '0')}`;
          return span(i + 2, r.id, s, e, r.last);
        });
        const fp = (r: MemberRecord) =>
          rowFingerprint([r.memberId, r.lastName, r.enrollmentStartDate, r.enrollmentEndDate]);
        const expected = plan(records);
        const spans = new MemberSpans();
        for (const r of records)
          spans.addDays(r.memberId, r.line, spanDay(r.enrollmentStartDate), spanDay(r.enrollmentEndDate));
        const d = spans.decide();
        const lines = records.map((r) => r.line);
        expect(lines.filter((l) => d.superseded(l))).toEqual(lines.filter((l) => expected.superseded(l)));
        expect(d).toMatchObject({ spans: expected.spans, members: expected.members });
        const counts = new Map<string, number>();
        for (const r of records) counts.set(r.memberId, (counts.get(r.memberId) ?? 0) + 1);
        const grouped = records.filter((r) => (counts.get(r.memberId) ?? 0) > 1);
        expect(lines.filter((l) => d.grouped(l))).toEqual(grouped.map((r) => r.line));
        for (const r of grouped) expect(((d.groupedLines[r.line >>> 3] ?? 0) >> (r.line & 7)) & 1).toBe(1);
        const bit = (set: Uint8Array, l: number) => ((set[l >>> 3] ?? 0) >> (l & 7)) & 1;
        for (const l of lines) expect(bit(d.supersededLines, l)).toBe(d.superseded(l) ? 1 : 0);
        // Fingerprints arrive in any order (pieces settle in order, but nothing relies on it).
        const given = shuffled ? [...grouped].reverse() : grouped;
        for (const r of given) spans.setFingerprints(r.line, identityFingerprint(r), fp(r));
        expect(spans.warnings()).toEqual(expected.issues);
      }),
    );
  });

  it('fingerprints ignore case and surrounding blanks, and see any identity change', () => {
    expect(identityFingerprint(span(2, 'A', '2024-01-01'))).toBe(
      identityFingerprint({ ...span(3, 'A', '2023-01-01'), lastName: 'RUIZ' }),
    );
    expect(identityFingerprint(span(2, 'A', '2024-01-01'))).not.toBe(
      identityFingerprint({ ...span(2, 'A', '2024-01-01'), dob: '1980-01-01' }),
    );
    expect(rowFingerprint(['A', ' b ', '', undefined])).toBe(rowFingerprint(['A', 'b']));
  });

  it('fingerprints hash exactly the text written out before: cells trimmed, each ended by U+0000', () => {
    // FNV-1a over the UTF-16 units, then MurmurHash3's mixer (the fingerprints' definition).
    const hashOf = (text: string) => {
      let h = 0x811c9dc5 | 0;
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      return h ^ (h >>> 16);
    };
    const cell = fc.option(fc.constantFrom('', ' ', 'M1', ' Ana ', 'é', '2024-01-01', 'a\u0000b'), {
      nil: undefined,
    });
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 6 }), (cells) => {
        let last = cells.length - 1;
        while (last >= 0 && (cells[last] ?? '').trim() === '') last--;
        const text = cells
          .slice(0, last + 1)
          .map((c) => `${(c ?? '').trim()}\u0000`)
          .join('');
        expect(rowFingerprint(cells)).toBe(hashOf(text));
      }),
    );
    const m = span(2, 'A', '2024-01-01');
    const fields = [m.firstName, m.middleName, m.lastName, m.nameSuffix, m.dob, m.ssn, m.cin, m.sex];
    expect(identityFingerprint(m)).toBe(hashOf(fields.map((f) => (f ?? '').toLowerCase()).join('\u0000')));
  });

  it('the reader reports the span warnings after every row, and counts spans and members apart', async () => {
    const csv = [
      'MemberID,FirstName,LastName,DOB,MCP,CoverageType,EnrollmentStartDate,EnrollmentEndDate',
      'M1,Ana,Ruiz,1980-02-03,Plan,Medi-Cal,2023-01-01,2023-06-30',
      'M2,Bo,Chen,1980-02-03,Plan,Medi-Cal,2023-01-01,',
      'M3,,,,Plan,Medi-Cal,2023-01-01,',
      'M1,Ana,Ruiz,1980-02-03,Plan,D-SNP,2023-07-01,',
    ].join('\n');
    const reader = await readMembers(new TextEncoder().encode(csv), { today: '2026-01-01' });
    const ids: string[] = [];
    for await (const m of reader) ids.push(m.memberId);
    expect(ids).toEqual(['M1', 'M2', 'M1']);
    expect(reader.summary).toMatchObject({ rowsRead: 4, accepted: 3, rejected: 1, members: 2 });
    expect(reader.spanPlan?.superseded(2)).toBe(true);
  });
});

describe('spanDay', () => {
  it('property: reads YYYY-MM-DD (and any other 10-character text) as the slices and Number() did', () => {
    const sliced = (iso: string) =>
      Number(iso.slice(0, 4)) * 10_000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
    const digit = fc.constantFrom(...'0123456789');
    const iso = fc
      .tuple(fc.array(digit, { minLength: 4, maxLength: 4 }), fc.array(digit, { minLength: 2, maxLength: 2 }))
      .chain(([y, m]) =>
        fc
          .array(digit, { minLength: 2, maxLength: 2 })
          .map((d) => `${y.join('')}-${m.join('')}-${d.join('')}`),
      );
    fc.assert(
      fc.property(fc.oneof(iso, fc.string({ minLength: 10, maxLength: 10 }), fc.string()), (text) => {
        expect(Object.is(spanDay(text), sliced(text))).toBe(true);
      }),
    );
    expect(spanDay('2024-03-01')).toBe(20240301);
    expect(spanDay('2024-0a-01')).toBeNaN();
  });
});

describe('MemberSpans grouping by a hash of the MemberID', () => {
  const SEED = 12345;
  /** Two different IDs with the same 32-bit hash under SEED (FNV-1a: a birthday search, ≈ 1 s; once). */
  let pair: [string, string] | undefined;
  function collidingPair(): [string, string] {
    if (pair) return pair;
    const seen = new Map<number, string>();
    for (let i = 0; ; i++) {
      const id = `M${i}`;
      const h = spanIdHash(id, SEED);
      const other = seen.get(h);
      if (other !== undefined) {
        pair = [other, id];
        return pair;
      }
      seen.set(h, id);
    }
  }

  /** The decision as plain data: members, spans and the superseded and grouped lines. */
  function decided(spans: MemberSpans, lines: readonly number[]) {
    const d = spans.decide();
    return {
      members: d.members,
      spans: d.spans,
      superseded: lines.filter((l) => d.superseded(l)),
      grouped: lines.filter((l) => d.grouped(l)),
    };
  }

  it("keeps members whose IDs collide apart, and groups each one's rows", () => {
    const [a, b] = collidingPair();
    expect(a).not.toBe(b);
    const rows = [
      span(2, a, '2024-01-01'),
      span(3, b, '2024-02-01'),
      span(4, 'X', '2024-01-01'),
      span(5, a, '2023-01-01', '2023-12-31'),
      span(6, b, '2022-01-01', '2022-12-31'),
      span(7, b, '2025-01-01'),
    ];
    const spans = new MemberSpans({ seed: SEED });
    for (const r of rows) spans.add(r, rowFingerprint([r.memberId, r.enrollmentStartDate]));
    expect(decided(spans, [2, 3, 4, 5, 6, 7])).toEqual({
      members: 3,
      spans: 6,
      superseded: [3, 5, 6],
      grouped: [2, 3, 5, 6, 7],
    });
    // The warnings name each member by its own ID.
    const warned = spans.warnings();
    expect(warned.map((w) => [w.line, w.code, w.id])).toEqual([[7, 'SPAN_OVERLAP', b]]);
  });

  it('property: rows added packed (as workers send them) or one by one decide alike, whatever the hash collisions', () => {
    const [a, b] = collidingPair();
    const ids = fc.constantFrom(a, b, 'M1', 'M2', 'Ñ3', '');
    const row = fc.record({
      id: ids,
      start: fc.integer({ min: 20200101, max: 20200110 }),
      open: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), fc.integer({ min: 1, max: 7 }), (rows, cut) => {
        const lines = rows.map((_, i) => i + 2);
        const one = new MemberSpans({ seed: SEED });
        rows.forEach((r, i) => {
          one.addDays(r.id, i + 2, r.start, r.open ? spanDay(undefined) : r.start + 5);
        });
        const packed = new MemberSpans({ seed: SEED });
        packed.reserve(3);
        for (let from = 0; from < rows.length; from += cut) {
          const part = rows.slice(from, from + cut);
          const text = part.map((r) => r.id).join('');
          let end = 0;
          packed.addPacked(
            Uint16Array.from(text, (c) => c.charCodeAt(0)),
            Uint32Array.from(part, (r) => (end += r.id.length)),
            Int32Array.from(part, (r) => spanIdHash(r.id, packed.seed)),
            Uint32Array.from(part, (_, i) => from + i + 2),
            Int32Array.from(part, (r) => r.start),
            Int32Array.from(part, (r) => (r.open ? spanDay(undefined) : r.start + 5)),
          );
        }
        // The reference: a Map from ID to its rows.
        const byId = new Map<string, number[]>();
        rows.forEach((r, i) => {
          byId.set(r.id, [...(byId.get(r.id) ?? []), i]);
        });
        const d = decided(one, lines);
        expect(decided(packed, lines)).toEqual(d);
        expect(d.members).toBe(byId.size);
        const grouped = [...byId.values()].filter((g) => g.length > 1).flatMap((g) => g.map((i) => i + 2));
        expect(d.grouped).toEqual(grouped.sort((x, y) => x - y));
      }),
    );
  });
});

describe('IdSet.indexOf', () => {
  it('numbers keys in order of addition, also after degenerating to a Map', () => {
    for (const maxProbe of [256, 0]) {
      const s = new IdSet(maxProbe);
      const keys = Array.from({ length: 300 }, (_, i) => `k${i}`);
      for (const [i, k] of keys.entries()) {
        expect(s.indexOf(k)).toBe(-1);
        expect(s.addChecked(k)).toBe(i);
      }
      for (const [i, k] of keys.entries()) expect(s.indexOf(k)).toBe(i);
      expect(s.addChecked('k5')).toBe(5);
      expect(s.size).toBe(300);
    }
  });
});
