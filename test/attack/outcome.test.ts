import { describe, expect, it } from 'vitest';
import { anyHitShare, scoreGuesses } from '../../src/attack/outcome.js';

describe('scoreGuesses', () => {
  it('counts records, guesses and hits', () => {
    const o = scoreGuesses(['SMITH', undefined, 'LEE', 'X'], ['SMITH', 'JONES', 'KIM', undefined]);
    expect(o).toMatchObject({ records: 3, guessed: 2, correct: 1 });
    expect(o.share).toBeCloseTo(1 / 3);
    expect(o.precision).toBeCloseTo(1 / 2);
    expect([...o.hits]).toEqual([1, 0, 0, 0]);
  });

  it('rejects mismatched lengths', () => {
    expect(() => scoreGuesses(['A'], [])).toThrow(RangeError);
  });

  it('unions hits across outcomes', () => {
    const a = scoreGuesses(['A', 'x', 'x'], ['A', 'B', 'C']);
    const b = scoreGuesses(['x', 'B', 'x'], ['A', 'B', 'C']);
    expect(anyHitShare([a, b])).toBeCloseTo(2 / 3);
    expect(anyHitShare([])).toBe(0);
  });
});
