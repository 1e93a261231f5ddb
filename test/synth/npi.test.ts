import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidNpi, npiCheckDigit } from '../../src/synth/npi.js';

describe('NPI check digit', () => {
  it('matches the CMS worked example', () => {
    expect(npiCheckDigit('123456789')).toBe(3);
    expect(isValidNpi('1234567893')).toBe(true);
  });

  it('detects every single-digit error', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[12]\d{8}$/),
        fc.nat(9),
        fc.integer({ min: 1, max: 9 }),
        (base, at, delta) => {
          const npi = base + npiCheckDigit(base);
          const wrong = npi.slice(0, at) + ((Number(npi[at]) + delta) % 10) + npi.slice(at + 1);
          return isValidNpi(npi) && !isValidNpi(wrong);
        },
      ),
    );
  });

  it('rejects malformed input', () => {
    expect(() => npiCheckDigit('12345')).toThrow(RangeError);
    expect(isValidNpi('123456789')).toBe(false);
  });
});
