import { describe, expect, it } from 'vitest';
import { memo } from '../../src/read/memo.js';

describe('memo', () => {
  it('computes each key once while it is cached, undefined results included', () => {
    const calls: string[] = [];
    const f = memo((k) => {
      calls.push(k);
      return k === 'none' ? undefined : k.length;
    }, 10);
    expect([f('ab'), f('ab'), f('none'), f('none')]).toEqual([2, 2, undefined, undefined]);
    expect(calls).toEqual(['ab', 'none']);
  });

  it('stays bounded: starts over when full', () => {
    const calls: string[] = [];
    const f = memo((k) => calls.push(k), 2);
    f('a');
    f('b');
    f('c'); // clears, keeps c
    f('a');
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });

  it('checks max', () => {
    expect(() => memo((k) => k, 0)).toThrow(RangeError);
  });
});
