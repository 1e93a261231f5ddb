/** The decisions file: its columns, what is skipped, and the one-line errors for a bad row. */
import { describe, expect, it } from 'vitest';
import { readDecisions } from '../../src/output/decisions.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('readDecisions', () => {
  it('reads accept/reject in any case, skips blank decisions, ignores extra columns and reads aliases', async () => {
    const r = await readDecisions(
      bytes(
        'HMIS Client ID,Member ID,MatchWeight,Status,Decision,Note\r\n' +
          'P1,M1,3.1,review, Accept ,ok\r\nP2,M2,2.0,review,,\r\nP3,M3,1.0,review,REJECT,\r\n\r\n',
      ),
    );
    expect(r.decisions).toEqual([
      { personalId: 'P1', memberId: 'M1', decision: 'accept', line: 2 },
      { personalId: 'P3', memberId: 'M3', decision: 'reject', line: 4 },
    ]);
    expect(r.rows).toBe(r.decisions.length + r.undecided);
    expect(r.undecided).toBeGreaterThanOrEqual(1);
  });

  it('restores IDs the review file protected from spreadsheets (a leading apostrophe)', async () => {
    const r = await readDecisions(bytes("PersonalID,MemberID,Decision\r\n'=P1,M1,accept\r\n"));
    expect(r.decisions[0]?.personalId).toBe('=P1');
  });

  it('refuses a bad value or a missing ID with the line and column, never the value', async () => {
    await expect(
      readDecisions(bytes('PersonalID,MemberID,Decision\r\nP1,M1,accept\r\nP2,M2,SECRETWORD\r\n')),
    ).rejects.toThrow(
      expect.objectContaining({
        code: 'DECISION_INVALID',
        message: expect.stringMatching(/^decisions\.csv: line 3, Decision: must be 'accept' or 'reject'/),
      }),
    );
    await readDecisions(bytes('PersonalID,MemberID,Decision\r\nP2,M2,SECRETWORD\r\n')).catch((e: Error) =>
      expect(e.message).not.toMatch(/SECRETWORD/),
    );
    await expect(readDecisions(bytes('PersonalID,MemberID,Decision\r\n,M2,reject\r\n'))).rejects.toThrow(
      expect.objectContaining({
        code: 'DECISION_INVALID',
        message: expect.stringMatching(/line 2, PersonalID: blank/),
      }),
    );
    await expect(
      readDecisions(bytes(`PersonalID,MemberID,Decision\r\nP1,${'M'.repeat(33)},accept\r\n`), {
        label: 'd.csv',
      }),
    ).rejects.toThrow(/^d\.csv: line 2, MemberID: longer than 32/);
    await expect(readDecisions(bytes('PersonalID,MemberID\r\nP1,M1\r\n'))).rejects.toThrow(
      expect.objectContaining({ code: 'COLUMN_MISSING' }),
    );
  });
});
