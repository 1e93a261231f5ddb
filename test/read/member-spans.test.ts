/** Grouping the rows of a plan member list by MemberID: the most recent span and the span warnings. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identityFingerprint, MemberSpans, rowFingerprint, spanDay } from '../../src/read/member-spans.js';
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
