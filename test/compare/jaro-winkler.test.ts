/**
 * The in-house Jaro and Jaro–Winkler against published values (Winkler 1990 and the Wikipedia
 * article's worked examples; talisman's test cases, which use t rounded down as strcmp95 does) and
 * against the metric's properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jaro, jaroWinkler } from '../../src/compare/jaro-winkler.js';

describe('jaro / jaroWinkler', () => {
  it.each([
    // [a, b, Jaro, Jaro–Winkler]
    ['MARTHA', 'MARHTA', 0.944444, 0.961111],
    ['DWAYNE', 'DUANE', 0.822222, 0.84],
    ['DIXON', 'DICKSONX', 0.766667, 0.813333],
    ['JELLYFISH', 'SMELLYFISH', 0.896296, 0.896296],
    // One transposition counted as half, rounded down: (3/5 + 3/20 + (3 − 1)/3) / 3.
    ['DUANE', 'FREAKISHLYLONGSTRING', 0.472222, 0.472222],
    // The prefix counts up to four characters only (an uncapped prefix would exceed 1 here).
    ['COMMONLONGPREFIXWORD', 'COMMONLONGPREFIXWORM', 0.966667, 0.98],
    ['DUANE', 'DUANE', 1, 1],
  ])('%s / %s', (a, b, j, jw) => {
    expect(jaro(a, b)).toBeCloseTo(j, 5);
    expect(jaroWinkler(a, b)).toBeCloseTo(jw, 5);
  });

  it('is 0 against an empty string and with no common character; 1 for two empty strings', () => {
    expect(jaroWinkler('', 'ANN')).toBe(0);
    expect(jaroWinkler('ANN', '')).toBe(0);
    expect(jaroWinkler('ABC', 'XYZ')).toBe(0);
    expect(jaroWinkler('', '')).toBe(1);
  });

  it('characters further apart than the window do not match', () => {
    // Window ⌊4/2⌋ − 1 = 1: the A of ABCD and the A at the end of BCDA are 3 apart.
    expect(jaro('ABCD', 'BCDA')).toBeCloseTo((3 / 4 + 3 / 4 + 1) / 3, 10);
  });

  it('is symmetric, in [0, 1], 1 exactly for equal strings, and never below Jaro', () => {
    const name = fc.stringMatching(/^[A-E]{0,12}$/);
    fc.assert(
      fc.property(name, name, (a, b) => {
        const jw = jaroWinkler(a, b);
        expect(jaroWinkler(b, a)).toBeCloseTo(jw, 12);
        expect(jaro(b, a)).toBeCloseTo(jaro(a, b), 12);
        expect(jw).toBeGreaterThanOrEqual(0);
        expect(jw).toBeLessThanOrEqual(1);
        expect(jw >= jaro(a, b)).toBe(true);
        expect(jw === 1).toBe(a === b);
      }),
    );
  });

  it('gives the same result for long strings after short ones (scratch buffers grow)', () => {
    const long = 'ABCDEFGHIJ'.repeat(20);
    const first = jaroWinkler(long, `${long.slice(0, -1)}X`);
    jaroWinkler('A', 'B');
    expect(jaroWinkler(long, `${long.slice(0, -1)}X`)).toBe(first);
    expect(first).toBeGreaterThan(0.99);
  });
});
