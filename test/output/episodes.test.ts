import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseEpisode } from '../../src/output/episodes.js';

const ep = (line: number, provider: string, startDate: string, endDate?: string) => ({
  line,
  provider,
  startDate,
  ...(endDate !== undefined && { endDate }),
});

describe('chooseEpisode', () => {
  it('reports not enrolled without episodes', () => {
    expect(chooseEpisode([], '2025-01-01')).toEqual({ status: 'not enrolled' });
  });

  it('prefers the current episode with the latest start', () => {
    const r = chooseEpisode(
      [
        ep(2, 'A', '2024-01-01'),
        ep(3, 'B', '2024-06-01', '2025-12-31'),
        ep(4, 'C', '2023-01-01', '2024-01-01'),
      ],
      '2025-01-01',
    );
    expect(r).toEqual({
      status: 'enrolled',
      provider: 'B',
      enrollmentDate: '2024-06-01',
      dischargeDate: '2025-12-31',
    });
  });

  it('counts an episode ending on the day as current, and prefers an open one on equal starts', () => {
    expect(chooseEpisode([ep(2, 'A', '2024-01-01', '2025-01-01')], '2025-01-01').status).toBe('enrolled');
    expect(
      chooseEpisode([ep(2, 'A', '2024-01-01', '2025-06-01'), ep(3, 'B', '2024-01-01')], '2025-01-01')
        .provider,
    ).toBe('B');
  });

  it('otherwise reports the episode that ended last', () => {
    const r = chooseEpisode(
      [ep(2, 'A', '2020-01-01', '2024-06-30'), ep(3, 'B', '2022-01-01', '2023-12-31')],
      '2025-01-01',
    );
    expect(r).toEqual({
      status: 'not enrolled',
      provider: 'A',
      enrollmentDate: '2020-01-01',
      dischargeDate: '2024-06-30',
    });
  });

  it('prefers an ended episode over one that has not started, and otherwise the soonest start', () => {
    expect(
      chooseEpisode([ep(2, 'A', '2026-01-01'), ep(3, 'B', '2020-01-01', '2020-02-01')], '2025-01-01')
        .provider,
    ).toBe('B');
    expect(chooseEpisode([ep(2, 'A', '2026-03-01'), ep(3, 'B', '2026-01-01')], '2025-01-01')).toEqual({
      status: 'not enrolled',
      provider: 'B',
      enrollmentDate: '2026-01-01',
    });
  });

  it('breaks full ties by the earlier line', () => {
    expect(
      chooseEpisode([ep(5, 'Late', '2024-01-01'), ep(2, 'Early', '2024-01-01')], '2025-01-01').provider,
    ).toBe('Early');
  });

  it('does not depend on the order of the episodes', () => {
    const day = fc
      .integer({ min: 0, max: 60 })
      .map((d) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10));
    const episode = fc.tuple(day, fc.option(fc.integer({ min: 0, max: 30 })), fc.constantFrom('A', 'B', 'C'));
    fc.assert(
      fc.property(fc.array(episode, { maxLength: 6 }), day, (raw, asOf) => {
        const list = raw.map(([start, len, p], i) => {
          const end =
            len === null
              ? undefined
              : new Date(Date.parse(start) + len * 86_400_000).toISOString().slice(0, 10);
          return ep(i + 2, p, start, end);
        });
        expect(chooseEpisode([...list].reverse(), asOf)).toEqual(chooseEpisode(list, asOf));
      }),
    );
  });
});
