import { describe, expect, it } from 'vitest';
import { at, defined } from '../../src/util/defined.js';

describe('at', () => {
  it('returns the element at an index inside the array, typed arrays and strings included', () => {
    expect(at([10, 20, 30], 2)).toBe(30);
    expect(at(new Uint32Array([7, 8]), 0)).toBe(7);
    expect(at('abc', 1)).toBe('b');
    expect(at([null], 0)).toBeNull();
  });
  it('throws a RangeError naming the index and length, not a value, outside the array', () => {
    expect(() => at([1, 2], 2)).toThrow(new RangeError('index 2 is outside an array of length 2'));
    expect(() => at(new Float64Array(3), -1)).toThrow(RangeError);
    expect(() => at(['secret'], 5)).not.toThrow(/secret/);
    expect(() => at(['secret'], 5)).toThrow(RangeError);
  });
});

describe('defined', () => {
  it('returns a value that is there, falsy ones included', () => {
    expect(defined(0, 'count')).toBe(0);
    expect(defined('', 'name')).toBe('');
    expect(defined(new Map([['a', 1]]).get('a'), 'entry a')).toBe(1);
  });
  it('throws a TypeError naming what is missing', () => {
    expect(() => defined(new Map<string, number>().get('a'), 'entry a')).toThrow(
      new TypeError('entry a is missing'),
    );
  });
});
