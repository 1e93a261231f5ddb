/**
 * Which program episode a return row reports when a member has several episodes of the same program
 * (repeated or overlapping rows are common in plan extracts: re-authorisations, provider changes).
 */
import type { ProgramRecord } from '../records.js';
import type { ProgramStatus } from './return-columns.js';

/**
 * The fields of an episode the rule looks at.
 *
 * @example
 * ```ts
 * const e: Episode = { line: 2, provider: 'Bridgeway', startDate: '2024-01-01' };
 * ```
 */
export type Episode = Pick<ProgramRecord, 'line' | 'provider' | 'startDate' | 'endDate'>;

/**
 * Chooses the episode to report for one member and one program, as of `asOf` (ISO date):
 *
 * 1. An episode **current** on `asOf` (started on or before it, not ended before it) wins; among
 *    several, the latest StartDate, then an open one over an ended one, then the later EndDate.
 *    Status `enrolled`.
 * 2. Otherwise the episode that **ended most recently** (latest EndDate, then latest StartDate).
 *    Status `not enrolled`, with its provider and dates, so the CoC sees the last episode.
 * 3. Otherwise (only episodes starting after `asOf`) the one **starting soonest**. Status
 *    `not enrolled`, with its dates.
 *
 * Remaining ties go to the earlier line of the program list, so the choice never depends on
 * anything but the data. No episode → `not enrolled` with no provider or dates.
 *
 * @example
 * ```ts
 * chooseEpisode([
 *   { line: 2, provider: 'A', startDate: '2024-01-01', endDate: '2024-06-30' },
 *   { line: 3, provider: 'B', startDate: '2024-07-01' },
 * ], '2025-01-01');
 * // { status: 'enrolled', provider: 'B', enrollmentDate: '2024-07-01' }
 * ```
 */
export function chooseEpisode(episodes: readonly Episode[], asOf: string): ProgramStatus {
  const picked = pickEpisode(episodes, asOf);
  if (picked === undefined) return NOT_ENROLLED;
  const best = picked.episode;
  return {
    status: picked.current ? 'enrolled' : 'not enrolled',
    provider: best.provider,
    enrollmentDate: best.startDate,
    ...(best.endDate !== undefined && { dischargeDate: best.endDate }),
  };
}

/**
 * The episode {@link chooseEpisode}'s rule picks (any episode-like record: the return file also
 * picks the coverage span to show with it), and whether it is current on `asOf`; `undefined` for
 * none.
 *
 * @example
 * ```ts
 * pickEpisode([{ line: 2, provider: 'Plan', startDate: '2024-01-01', endDate: '2024-12-31' }], '2026-01-01');
 * // { episode: { line: 2, … }, current: false }
 * ```
 */
export function pickEpisode<E extends Episode>(
  episodes: readonly E[],
  asOf: string,
): { readonly episode: E; readonly current: boolean } | undefined {
  let best: E | undefined;
  let bestRank = 0;
  for (const e of episodes) {
    const rank = rankOf(e, asOf);
    if (best === undefined || rank > bestRank || (rank === bestRank && better(e, best, rank))) {
      best = e;
      bestRank = rank;
    }
  }
  return best === undefined ? undefined : { episode: best, current: bestRank === CURRENT };
}

const NOT_ENROLLED: ProgramStatus = Object.freeze({ status: 'not enrolled' });
const CURRENT = 3;
const ENDED = 2;
const FUTURE = 1;

function rankOf(e: Episode, asOf: string): number {
  if (e.startDate > asOf) return FUTURE;
  return e.endDate === undefined || e.endDate >= asOf ? CURRENT : ENDED;
}

// Open ends sort after every date.
const OPEN = '\uffff';

/** Whether `a` beats `b` of the same rank. */
function better(a: Episode, b: Episode, rank: number): boolean {
  const aEnd = a.endDate ?? OPEN;
  const bEnd = b.endDate ?? OPEN;
  if (rank === CURRENT) {
    if (a.startDate !== b.startDate) return a.startDate > b.startDate;
    if (aEnd !== bEnd) return aEnd > bEnd;
  } else if (rank === ENDED) {
    if (aEnd !== bEnd) return aEnd > bEnd;
    if (a.startDate !== b.startDate) return a.startDate > b.startDate;
  } else if (a.startDate !== b.startDate) {
    return a.startDate < b.startDate;
  }
  return a.line < b.line;
}
