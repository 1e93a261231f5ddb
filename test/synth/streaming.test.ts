import { describe, expect, it } from 'vitest';
import { synthesize } from '../../src/synth/index.js';

describe('streaming', () => {
  it('yields the first rows of a 100-million-member population at once (nothing is materialised)', () => {
    const data = synthesize({ seed: 1, clients: 1_000_000, members: 100_000_000 });
    const t = performance.now();
    const it = data.members()[Symbol.iterator]();
    const first = it.next();
    for (let i = 0; i < 999; i++) it.next();
    expect(first.done).toBe(false);
    expect(first.value?.MemberID).toMatch(/^M\d{9}$/);
    expect(performance.now() - t).toBeLessThan(2000);
    const c = data.clients()[Symbol.iterator]().next();
    expect(c.value?.PersonalID).toBeDefined();
  });

  it('generates 200k members without retaining them', () => {
    const data = synthesize({ seed: 2, clients: 1000, members: 200_000 });
    const before = process.memoryUsage().heapUsed;
    let n = 0;
    let firstSeenAt = -1;
    for (const row of data.rows('members')) {
      if (n === 0) firstSeenAt = n;
      n++;
      if (row.length !== 13) throw new Error('row width');
    }
    expect(firstSeenAt).toBe(0);
    expect(n).toBe(200_000);
    // 200k materialised rows would take well over 100 MB; garbage may remain, but not that much.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(150 * 2 ** 20);
  });
});
