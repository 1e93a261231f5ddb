import { describe, expect, it } from 'vitest';
import { normaliseSuffix } from '../../src/normalise/suffix.js';

describe('normaliseSuffix', () => {
  it.each([
    ['Jr', 'JR'],
    ['jr.', 'JR'],
    ['Junior', 'JR'],
    ['J.R.', 'JR'],
    ['Sr', 'SR'],
    ['SENIOR', 'SR'],
    ['II', 'II'],
    ['2nd', 'II'],
    ['III', 'III'],
    ['3rd', 'III'],
    ['IV', 'IV'],
    ['4th', 'IV'],
    ['V', 'V'],
    ['Esq.', 'ESQ'],
    ['M.D.', 'MD'],
  ])('%j → %j', (raw, expected) => {
    expect(normaliseSuffix(raw)).toBe(expected);
  });

  it.each([undefined, '', '  ', 'N/A', 'none', 'unknown', '?'])('%j → undefined', (raw) => {
    expect(normaliseSuffix(raw)).toBeUndefined();
  });
});
