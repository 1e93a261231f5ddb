import { describe, expect, it } from 'vitest';
import {
  censusFirstNames,
  censusSurnames,
  observedReference,
  referenceTable,
  soundexInitialKey,
  soundexInitialTable,
} from '../../src/attack/reference.js';

describe('reference tables', () => {
  it('merges duplicates and sorts by weight, stable on ties', () => {
    const t = referenceTable([
      ['ANN', 1],
      ['BOB', 3],
      ['CY', 2],
      ['ANN', 2],
    ]);
    expect(t.values).toEqual(['ANN', 'BOB', 'CY']);
    expect([...t.weights]).toEqual([3, 3, 2]);
  });

  it('rejects negative weights', () => {
    expect(() => referenceTable([['ANN', -1]])).toThrow(RangeError);
  });

  it('counts observed values', () => {
    expect(observedReference(['B', 'A', undefined, 'A']).values).toEqual(['A', 'B']);
  });

  it('loads the Census 1990 lists, most frequent first', () => {
    const first = censusFirstNames();
    const last = censusSurnames();
    expect(first.values[0]).toBe('JAMES');
    expect(last.values[0]).toBe('SMITH');
    expect(last.values.length).toBeGreaterThan(18_000);
    for (const t of [first, last])
      for (let i = 1; i < 200; i++) expect(t.weights[i]!).toBeLessThanOrEqual(t.weights[i - 1]!);
  });

  it('derives the Soundex + initial distribution', () => {
    expect(soundexInitialKey('SMITH', 'JOHN')).toBe('S530|J');
    const t = soundexInitialTable(
      referenceTable([
        ['JOHN', 3],
        ['ANN', 1],
      ]),
      referenceTable([
        ['SMITH', 2],
        ['SMYTH', 1],
        ['LEE', 1],
      ]),
    );
    expect(t.values[0]).toBe('S530|J');
    expect(t.weights[0]).toBe(9); // (2 + 1) × 3
  });
});
