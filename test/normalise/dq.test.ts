import { describe, expect, it } from 'vitest';
import { parseCode } from '../../src/normalise/code.js';
import { isUnknownDq, parseDataQuality } from '../../src/normalise/dq.js';

describe('parseCode', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['01', 1],
    [' 1 ', 1],
    ['1.0', 1],
    ['99.00', 99],
    ['999', 999],
  ])('%j → %d', (raw, code) => {
    expect(parseCode(raw)).toBe(code);
  });

  it.each([undefined, '', ' ', '1.', '.5', '1.5', '-1', '+1', '1e2', 'one', '1 2', '1000', '0x1'])(
    '%j → undefined',
    (raw) => {
      expect(parseCode(raw)).toBeUndefined();
    },
  );
});

describe('parseDataQuality', () => {
  it.each([
    ['1', 1],
    ['2', 2],
    ['8', 8],
    ['9', 9],
    ['99', 99],
    ['01', 1],
    [' 1 ', 1],
    ['1.0', 1],
    ['099', 99],
  ])('%j → %d', (raw, dq) => {
    expect(parseDataQuality(raw)).toBe(dq);
  });

  it.each([undefined, '', '0', '3', '7', '10', '98', '100', 'full', '1.5'])('%j → undefined', (raw) => {
    expect(parseDataQuality(raw)).toBeUndefined();
  });
});

describe('isUnknownDq', () => {
  it('is true for 8, 9 and 99 only', () => {
    expect([1, 2, 8, 9, 99, undefined].map((d) => isUnknownDq(d as never))).toEqual([
      false,
      false,
      true,
      true,
      true,
      false,
    ]);
  });
});
