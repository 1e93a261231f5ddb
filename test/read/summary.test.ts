import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES, type IssueCode } from '../../src/issue-codes.js';
import { SummaryCounter } from '../../src/read/summary.js';
import type { RowIssue } from '../../src/records.js';

const CODES = Object.keys(ISSUE_CODES) as IssueCode[];

describe('SummaryCounter', () => {
  it('counts add up for any sequence of rows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.array(fc.constantFrom(...CODES), { maxLength: 4 })), {
          maxLength: 50,
        }),
        (rows) => {
          const counter = new SummaryCounter();
          let issues = 0;
          for (const [accepted, codes] of rows) {
            const severity = accepted ? 'warning' : 'error';
            const list: RowIssue[] = codes.map((code) => ({ line: 2, field: '*', code, severity }));
            counter.count(accepted, list);
            issues += list.length;
          }
          const s = counter.snapshot();
          expect(s.rowsRead).toBe(rows.length);
          expect(s.accepted + s.rejected).toBe(s.rowsRead);
          expect(s.accepted).toBe(rows.filter(([a]) => a).length);
          expect(Object.values(s.byCode).reduce((a, b) => a + (b ?? 0), 0)).toBe(issues);
          const sev = Object.values(s.bySeverity);
          expect(sev.reduce((a, n) => a + (n?.warning ?? 0), 0)).toBe(s.warnings);
          expect(sev.reduce((a, n) => a + (n?.error ?? 0) + (n?.warning ?? 0), 0)).toBe(issues);
          expect(s.warnings).toBe(rows.filter(([a]) => a).reduce((n, [, c]) => n + c.length, 0));
        },
      ),
    );
  });

  it('snapshots are frozen, sorted by code and independent of later counts', () => {
    const counter = new SummaryCounter();
    counter.count(true, [{ line: 2, field: 'SSN', code: 'SSN_PARTIAL', severity: 'warning' }]);
    counter.count(false, [{ line: 3, field: '*', code: 'NOTHING_TO_MATCH', severity: 'error' }]);
    const s = counter.snapshot();
    counter.count(true, []);
    expect(s).toEqual({
      rowsRead: 2,
      accepted: 1,
      rejected: 1,
      warnings: 1,
      byCode: { NOTHING_TO_MATCH: 1, SSN_PARTIAL: 1 },
      bySeverity: { NOTHING_TO_MATCH: { error: 1, warning: 0 }, SSN_PARTIAL: { error: 0, warning: 1 } },
    });
    expect(Object.keys(s.byCode)).toEqual(['NOTHING_TO_MATCH', 'SSN_PARTIAL']);
    expect(Object.isFrozen(s) && Object.isFrozen(s.byCode)).toBe(true);
    expect(counter.snapshot().rowsRead).toBe(3);
  });
});
