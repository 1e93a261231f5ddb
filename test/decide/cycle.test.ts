/** The cycle's pure rules: decision consistency, precedence in assignment, removal reasons, change order. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { greedyOneToOne } from '../../src/decide/assign.js';
import {
  assignWithPrecedence,
  indexDecisions,
  linkChanges,
  type PreviousLink,
  removalReason,
} from '../../src/decide/cycle.js';

const everyone = { hasPerson: () => true, hasMember: () => true };

describe('indexDecisions', () => {
  it('accepts a repeated identical decision and refuses contradictions with both lines', () => {
    const d = indexDecisions([
      { personalId: 'P1', memberId: 'M1', decision: 'accept' },
      { personalId: 'P1', memberId: 'M1', decision: 'accept' },
      { personalId: 'P2', memberId: 'M1', decision: 'reject' },
    ]);
    expect(d.accepted.get('P1')).toBe('M1');
    expect(d.byPair.size).toBe(2);
    expect(() =>
      indexDecisions([
        { personalId: 'P1', memberId: 'M1', decision: 'accept', line: 3 },
        { personalId: 'P2', memberId: 'M1', decision: 'accept', line: 7 },
      ]),
    ).toThrow(
      expect.objectContaining({
        code: 'DECISION_CONFLICT',
        message: expect.stringMatching(/lines 3 and 7 .*MemberID/),
      }),
    );
  });
});

describe('removalReason', () => {
  it('tests the reasons in order: a rejection first, then a record gone, then an accepted rival, then the score', () => {
    const decisions = indexDecisions([
      { personalId: 'P1', memberId: 'M1', decision: 'reject' },
      { personalId: 'P3', memberId: 'M9', decision: 'accept' },
    ]);
    const none = { decisions, hasPerson: () => false, hasMember: () => false };
    expect(removalReason({ personalId: 'P1', memberId: 'M1' }, none)).toBe('REJECTED_BY_REVIEWER');
    expect(removalReason({ personalId: 'P2', memberId: 'M2' }, none)).toBe('COC_RECORD_GONE');
    expect(removalReason({ personalId: 'P2', memberId: 'M2' }, { ...none, hasPerson: () => true })).toBe(
      'MCP_RECORD_GONE',
    );
    expect(removalReason({ personalId: 'P3', memberId: 'M3' }, { decisions, ...everyone })).toBe(
      'DISPLACED_BY_ACCEPTED',
    );
    expect(removalReason({ personalId: 'P4', memberId: 'M4' }, { decisions, ...everyone })).toBe(
      'SCORE_BELOW_REVIEW',
    );
  });
});

describe('assignWithPrecedence', () => {
  it('keeps fixed pairs first, then the best of the rest that touch no taken record; always one-to-one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(5), fc.nat(5), fc.double({ min: -5, max: 20, noNaN: true })), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.array(fc.nat(29), { maxLength: 4 }),
        (rows, fixedRaw) => {
          const pairs = {
            left: Uint32Array.from(rows, (r) => r[0]),
            right: Uint32Array.from(rows, (r) => r[1]),
            weight: Float64Array.from(rows, (r) => r[2]),
          };
          const fixed = fixedRaw.filter((k) => k < rows.length);
          const kept = [...assignWithPrecedence(pairs, fixed, (sub) => greedyOneToOne(sub))];
          const ls = kept.map((k) => pairs.left[k]);
          const rs = kept.map((k) => pairs.right[k]);
          expect(new Set(ls).size).toBe(kept.length);
          expect(new Set(rs).size).toBe(kept.length);
          // The first fixed pair is always kept; every pair left out touches a kept record.
          if (fixed.length > 0) expect(kept).toContain(fixed[0]);
          for (let k = 0; k < rows.length; k++)
            if (!kept.includes(k))
              expect(ls.includes(pairs.left[k]) || rs.includes(pairs.right[k])).toBe(true);
        },
      ),
    );
  });
});

describe('linkChanges', () => {
  it('lists every current link once and every lost previous link, sorted by PersonalID then MemberID', () => {
    const previous: PreviousLink[] = [
      { personalId: 'P2', memberId: 'M2' },
      { personalId: 'P10', memberId: 'M10' },
    ];
    const current: PreviousLink[] = [
      { personalId: 'P2', memberId: 'M2' },
      { personalId: 'P1', memberId: 'M1' },
      { personalId: 'P10', memberId: 'M11' },
    ];
    expect(linkChanges(previous, current, { decisions: undefined, ...everyone })).toEqual([
      { personalId: 'P1', memberId: 'M1', change: 'added' },
      { personalId: 'P10', memberId: 'M10', change: 'removed', reason: 'SCORE_BELOW_REVIEW' },
      { personalId: 'P10', memberId: 'M11', change: 'added' },
      { personalId: 'P2', memberId: 'M2', change: 'kept' },
    ]);
  });
});
