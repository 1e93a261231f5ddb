import { describe, expect, it } from 'vitest';
import { parseIsoDay } from '../../src/synth/civil-date.js';
import { nextMonth } from '../../src/synth/next-month.js';
import { SAMPLE_OPTIONS } from '../../src/synth/sample-options.js';
import { synthesize } from '../../src/synth/synthesize.js';

const month1 = synthesize({ ...SAMPLE_OPTIONS, clients: 500, members: 3000 });
const members = [...month1.members()];
const programs = [...month1.programs()];
const options = { seed: 7, previousAsOf: '2026-01-01', asOf: '2026-02-01' } as const;
const month2 = nextMonth(members, programs, options);

function byMember<T extends Record<string, string>>(rows: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const id = r.MemberID ?? '';
    m.set(id, [...(m.get(id) ?? []), r]);
  }
  return m;
}
const day = (t: string | undefined): number =>
  t ? (parseIsoDay(t) ?? Number.NaN) : Number.POSITIVE_INFINITY;

describe('nextMonth', () => {
  it('is deterministic and does not modify its inputs', () => {
    const before = JSON.stringify([members, programs]);
    expect(nextMonth(members, programs, options)).toEqual(month2);
    expect(JSON.stringify([members, programs])).toBe(before);
    expect(nextMonth(members, programs, { ...options, seed: 8 }).changes).not.toEqual(month2.changes);
  });

  it('makes every kind of change on a list of thousands', () => {
    const kinds = new Set(month2.changes.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(
      [
        'coverage-gap',
        'left-plan',
        'new-housing-episode',
        'provider-change',
        'retro-start',
        'to-dsnp',
      ].sort(),
    );
  });

  it('keeps every member and adds a span for each gap and D-SNP move, never overlapping', () => {
    const m1 = byMember(members);
    const m2 = byMember(month2.members);
    expect([...m2.keys()]).toEqual([...m1.keys()]);
    const added = month2.changes.filter((c) => c.kind === 'coverage-gap' || c.kind === 'to-dsnp').length;
    expect(month2.members.length).toBe(members.length + added);
    for (const [id, rows] of m2) {
      const sorted = [...rows].sort((a, b) => day(a.EnrollmentStartDate) - day(b.EnrollmentStartDate));
      for (let i = 1; i < sorted.length; i++)
        expect(day(sorted[i]?.EnrollmentStartDate), id).toBeGreaterThan(
          day(sorted[i - 1]?.EnrollmentEndDate),
        );
      for (const r of rows) expect(r.FirstName).toBe(m1.get(id)?.[0]?.FirstName);
    }
  });

  it('closes the coverage and open programs of a member who left within the month', () => {
    const left = month2.changes.filter((c) => c.kind === 'left-plan').map((c) => c.memberId);
    expect(left.length).toBeGreaterThan(0);
    const m2 = byMember(month2.members);
    const p2 = byMember(month2.programs);
    const prev = day(options.previousAsOf);
    const asOf = day(options.asOf);
    for (const id of left) {
      const ends = (m2.get(id) ?? []).map((r) => day(r.EnrollmentEndDate));
      const last = Math.max(...ends);
      expect(last).toBeGreaterThan(prev);
      expect(last).toBeLessThan(asOf);
      for (const e of p2.get(id) ?? []) expect(day(e.EndDate)).toBeLessThanOrEqual(last);
    }
  });

  it('ends the old ECM episode the day before the new provider starts', () => {
    const changed = month2.changes.filter((c) => c.kind === 'provider-change').map((c) => c.memberId);
    expect(changed.length).toBeGreaterThan(0);
    const p2 = byMember(month2.programs);
    for (const id of changed) {
      const ecm = (p2.get(id) ?? []).filter((e) => e.Program === 'ECM');
      const open = ecm.filter((e) => e.EndDate === '');
      expect(open).toHaveLength(1);
      const ended = ecm.find((e) => day(e.EndDate) === day(open[0]?.StartDate) - 1);
      expect(ended?.Provider).not.toBe(open[0]?.Provider);
    }
  });

  it('refuses a month shorter than 28 days or a malformed day', () => {
    expect(() => nextMonth(members, programs, { ...options, asOf: '2026-01-15' })).toThrow(RangeError);
    expect(() => nextMonth(members, programs, { ...options, previousAsOf: '01/01/2026' })).toThrow(
      RangeError,
    );
  });
});
