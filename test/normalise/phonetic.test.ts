import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { soundex } from '../../src/normalise/phonetic.js';

describe('soundex', () => {
  it.each([
    ['ROBERT', 'R163'],
    ['RUPERT', 'R163'],
    ['RUBIN', 'R150'],
    ['ASHCRAFT', 'A261'],
    ['ASHCROFT', 'A261'],
    ['TYMCZAK', 'T522'],
    ['PFISTER', 'P236'],
    ['HONEYMAN', 'H555'],
    ['LEE', 'L000'],
    ['GARCIALOPEZ', 'G624'],
    ['', ''],
    ['123', ''],
  ])('%s → %s', (name, code) => {
    expect(soundex(name)).toBe(code);
  });

  it('is always empty or a letter and three digits', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(soundex(s)).toMatch(/^(|[A-Z][0-9]{3})$/);
      }),
    );
  });
});
