import { describe, expect, it } from 'vitest';
import { IssueCollector } from '../../src/read/row-issues.js';

describe('IssueCollector', () => {
  it('marks a row rejected as soon as an error code is added, and all its issues as errors', () => {
    const c = new IssueCollector();
    c.add('DOB', 'DATE_PLACEHOLDER');
    expect(c.rejected).toBe(false);
    c.add('PersonalID', 'ID_MISSING');
    expect(c.rejected).toBe(true);
    expect(c.take(9)).toEqual([
      { line: 9, field: 'DOB', code: 'DATE_PLACEHOLDER', severity: 'error' },
      { line: 9, field: 'PersonalID', code: 'ID_MISSING', severity: 'error' },
    ]);
  });

  it('resets after take and shares one frozen empty array for clean rows', () => {
    const c = new IssueCollector();
    c.add('Sex', 'SEX_INVALID');
    expect(c.take(2)).toEqual([{ line: 2, field: 'Sex', code: 'SEX_INVALID', severity: 'warning' }]);
    expect(c.rejected).toBe(false);
    const a = c.take(3);
    expect(a).toEqual([]);
    expect(c.take(4)).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });
});
