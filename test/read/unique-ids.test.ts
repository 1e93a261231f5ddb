import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IssueCollector } from '../../src/read/row-issues.js';
import { UniqueIds } from '../../src/read/unique-ids.js';

const index = new Map([['MemberID', 1]]);

describe('UniqueIds', () => {
  it('returns the trimmed ID; a missing or too long one is an issue and no ID', () => {
    const ids = new UniqueIds(index, 'MemberID');
    const issues = new IssueCollector();
    expect(ids.read(['x', ' M1 '], issues)).toBe('M1');
    expect(issues.take(2)).toEqual([]);
    expect(ids.read(['x', '  '], issues)).toBeUndefined();
    expect(ids.read(['x'], issues)).toBeUndefined();
    expect(ids.read(['x', 'M'.repeat(33)], issues)).toBeUndefined();
    expect(issues.take(3).map((i) => `${i.field} ${i.code}`)).toEqual([
      'MemberID ID_MISSING',
      'MemberID ID_MISSING',
      'MemberID ID_TOO_LONG',
    ]);
  });

  it('reads an absent column as a missing ID', () => {
    const issues = new IssueCollector();
    expect(new UniqueIds(new Map(), 'PersonalID').read(['P1'], issues)).toBeUndefined();
    expect(issues.take(2).map((i) => i.code)).toEqual(['ID_MISSING']);
  });

  it('flags exactly the IDs an earlier claimed row has, whatever the order of claims', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('A', 'B', 'C', 'D'), fc.boolean()), { maxLength: 40 }),
        (rows) => {
          const ids = new UniqueIds(index, 'MemberID');
          const claimed = new Set<string>();
          for (const [id, accept] of rows) {
            const issues = new IssueCollector();
            expect(ids.read(['', id], issues)).toBe(id);
            expect(issues.rejected).toBe(claimed.has(id));
            const codes = issues.take(1).map((i) => i.code);
            expect(codes).toEqual(claimed.has(id) ? ['ID_DUPLICATE'] : []);
            // A rejected row (here: by chance, or as a duplicate) never claims its ID.
            if (accept && !claimed.has(id)) {
              ids.claim(id);
              claimed.add(id);
            }
          }
        },
      ),
    );
  });
});
