import { describe, expect, it } from 'vitest';
import { noPassStats } from '../../src/block/blocking.js';

describe('noPassStats', () => {
  it('is a fresh all-zero record each call, so passes never share counters', () => {
    const a = noPassStats('ssn');
    const b = noPassStats('ssn');
    expect(a).toEqual({
      name: 'ssn',
      pairs: 0,
      newPairs: 0,
      cumulativePairs: 0,
      cappedBlocks: 0,
      cappedPairs: 0,
      largestBlock: 0,
    });
    a.pairs += 3;
    expect(b.pairs).toBe(0);
  });
});
