/**
 * The next month of a synthetic plan: what a plan's member and program lists look like one month
 * later, with the changes a real monthly exchange brings (Medi-Cal churn, D-SNP transitions,
 * provider changes, members leaving, retroactive eligibility). It lets the monthly cycle — match
 * with decisions and previous links, return file and history, HMIS imports month after month — be
 * demonstrated and tested on data whose every change is known.
 */
import { isoDay, parseIsoDay } from './civil-date.js';
import { Rng, seedKey } from './prng.js';
import { PROGRAMS } from './program-catalog.js';
import { ageAt, providerNpi } from './programs.js';
import type { SynthRow } from './rows.js';

/**
 * How often each change happens, per member whose coverage is open on the previous as-of day
 * (per open ECM episode for `providerChange`).
 *
 * @example
 * ```ts
 * const rates: MonthChangeRates = { ...DEFAULT_MONTH_CHANGE_RATES, leftPlan: 0.05 };
 * ```
 */
export interface MonthChangeRates {
  /** Coverage ends during the month and starts again a few weeks later (two spans). */
  readonly coverageGap: number;
  /** Medi-Cal coverage ends and a D-SNP span starts the next day (members aged 65 or more). */
  readonly toDsnp: number;
  /** Coverage ends during the month and does not start again; open programs end with it. */
  readonly leftPlan: number;
  /** The start date of the current span moves one to three months earlier (retroactive eligibility). */
  readonly retroStart: number;
  /** An open ECM episode ends and a new one starts the next day with another provider. */
  readonly providerChange: number;
  /** A new Housing Transition Navigation Services episode starts during the month. */
  readonly newHousingEpisode: number;
}

/**
 * The default change rates: a few percent of members each, so a sample of thousands shows every
 * kind of change many times.
 *
 * @example
 * ```ts
 * DEFAULT_MONTH_CHANGE_RATES.coverageGap; // 0.02
 * ```
 */
export const DEFAULT_MONTH_CHANGE_RATES: MonthChangeRates = Object.freeze({
  coverageGap: 0.02,
  toDsnp: 0.1,
  leftPlan: 0.02,
  retroStart: 0.01,
  providerChange: 0.08,
  newHousingEpisode: 0.01,
});

/**
 * Options of {@link nextMonth}.
 *
 * @example
 * ```ts
 * const options: NextMonthOptions = { seed: 2, previousAsOf: '2026-01-01', asOf: '2026-02-01' };
 * ```
 */
export interface NextMonthOptions {
  /** Seed of the month's random changes (any finite number). */
  readonly seed: number;
  /** The as-of day of the lists given (`YYYY-MM-DD`). */
  readonly previousAsOf: string;
  /** The as-of day of the month to make (`YYYY-MM-DD`), at least 28 days after `previousAsOf`. */
  readonly asOf: string;
  /** Change rates; unset ones take {@link DEFAULT_MONTH_CHANGE_RATES}. */
  readonly rates?: Partial<MonthChangeRates>;
}

/**
 * One change {@link nextMonth} made, by member.
 *
 * @example
 * ```ts
 * const e: MonthChange = { kind: 'coverage-gap', memberId: 'M128256710' };
 * ```
 */
export interface MonthChange {
  readonly kind:
    | 'coverage-gap'
    | 'to-dsnp'
    | 'left-plan'
    | 'retro-start'
    | 'provider-change'
    | 'new-housing-episode';
  readonly memberId: string;
}

/**
 * The member and program lists one month later, and every change made.
 *
 * @example
 * ```ts
 * const data = synthesize({ seed: 42, clients: 200, members: 600, overlap: 0.4 });
 * const next: NextMonth = nextMonth([...data.members()], [...data.programs()], {
 *   seed: 43,
 *   previousAsOf: '2026-01-01',
 *   asOf: '2026-02-01',
 * });
 * const { members, programs, changes } = next;
 * ```
 */
export interface NextMonth {
  /** Member list rows (one per coverage span), in the input's order with new spans after their member's rows. */
  readonly members: SynthRow[];
  /** Program list rows (one per episode), in the input's order with new episodes after their member's rows. */
  readonly programs: SynthRow[];
  /** The changes, in member order. */
  readonly changes: MonthChange[];
}

/** Stream numbers of this module's decisions (apart from the generator's own, see streams.ts). */
const STREAM_MONTH = 0x4d00;
const HOUSING_NAVIGATION = 'Housing Transition Navigation Services';

function day(text: string | undefined): number | undefined {
  return text === undefined || text === '' ? undefined : parseIsoDay(text);
}

function requireDay(text: string, name: string): number {
  const d = parseIsoDay(text);
  if (d === undefined) throw new RangeError(`nextMonth: ${name} must be a date YYYY-MM-DD`);
  return d;
}

function ageOn(dob: string | undefined, on: number): number | undefined {
  const d = day(dob);
  return d === undefined ? undefined : ageAt(d, on);
}

/** Provider of `programName` other than `current`, chosen by `rng`. */
function otherProvider(programName: string, current: string, rng: Rng): string {
  const spec = PROGRAMS.find((p) => p.name === programName);
  const choices = (spec?.providers ?? []).filter((p) => p !== current);
  return choices[rng.int(choices.length)] ?? current;
}

/**
 * Makes next month's member and program lists from this month's: every row kept (a plan's list
 * keeps closed spans for its look-back window), with coverage gaps, Medi-Cal → D-SNP transitions,
 * members leaving, retroactive start dates, ECM provider changes and new housing episodes drawn
 * per member from `options.seed`. Deterministic: the same rows and options give the same result.
 * Identity columns are copied unchanged into a member's new spans.
 *
 * @param members - this month's member list rows (contract columns; several rows per member allowed)
 * @param programs - this month's program list rows
 * @param options - seed, the two as-of days and change rates
 * @returns next month's rows and the list of changes made
 * @throws RangeError when an as-of day is not a date or the month is shorter than 28 days
 *
 * @example
 * ```ts
 * import { nextMonth, synthesize, SAMPLE_OPTIONS } from 'bloomlink/synth';
 * const month1 = synthesize(SAMPLE_OPTIONS);
 * const month2 = nextMonth([...month1.members()], [...month1.programs()], {
 *   seed: 2,
 *   previousAsOf: '2026-01-01',
 *   asOf: '2026-02-01',
 * });
 * month2.changes.filter((c) => c.kind === 'left-plan').length; // members who left during January
 * ```
 */
export function nextMonth(
  members: readonly SynthRow[],
  programs: readonly SynthRow[],
  options: NextMonthOptions,
): NextMonth {
  const prev = requireDay(options.previousAsOf, 'previousAsOf');
  const asOf = requireDay(options.asOf, 'asOf');
  if (asOf - prev < 28) throw new RangeError('nextMonth: asOf must be at least 28 days after previousAsOf');
  const rates = { ...DEFAULT_MONTH_CHANGE_RATES, ...options.rates };
  const key = seedKey(options.seed);

  // Group rows by member, keeping first-appearance order.
  const order: string[] = [];
  const spans = new Map<string, SynthRow[]>();
  for (const row of members) {
    const id = row.MemberID ?? '';
    let list = spans.get(id);
    if (list === undefined) {
      list = [];
      spans.set(id, list);
      order.push(id);
    }
    list.push({ ...row });
  }
  const episodes = new Map<string, SynthRow[]>();
  const programOrder: string[] = [];
  for (const row of programs) {
    const id = row.MemberID ?? '';
    let list = episodes.get(id);
    if (list === undefined) {
      list = [];
      episodes.set(id, list);
      programOrder.push(id);
    }
    list.push({ ...row });
  }

  const changes: MonthChange[] = [];
  const newSpans = new Map<string, SynthRow[]>();
  const newEpisodes = new Map<string, SynthRow[]>();
  const isOpenOn = (end: string | undefined, on: number): boolean => {
    const e = day(end);
    return e === undefined || e >= on;
  };

  order.forEach((id, index) => {
    const rows = spans.get(id) ?? [];
    // The current span: the latest start among rows open on the previous as-of day.
    let current: SynthRow | undefined;
    for (const r of rows) {
      const start = day(r.EnrollmentStartDate);
      if (start === undefined || start > prev || !isOpenOn(r.EnrollmentEndDate, prev)) continue;
      if (current === undefined || start > (day(current.EnrollmentStartDate) ?? 0)) current = r;
    }
    const memberEpisodes = episodes.get(id) ?? [];
    if (current !== undefined) {
      const rng = new Rng(key, STREAM_MONTH, index);
      const u = rng.float();
      const endDay = prev + 1 + rng.int(10); // some day in the month's first weeks
      const closePrograms = (end: number): void => {
        for (const e of memberEpisodes)
          if (isOpenOn(e.EndDate, end + 1) && (day(e.StartDate) ?? end) <= end) e.EndDate = isoDay(end);
      };
      let cut = 0;
      const next = (rate: number): boolean => {
        const hit = u >= cut && u < cut + rate;
        cut += rate;
        return hit;
      };
      const age = ageOn(current.DOB, asOf) ?? 0;
      if (next(rates.coverageGap)) {
        current.EnrollmentEndDate = isoDay(endDay);
        closePrograms(endDay);
        const restart = endDay + 12 + rng.int(8);
        newSpans.set(id, [{ ...current, EnrollmentStartDate: isoDay(restart), EnrollmentEndDate: '' }]);
        changes.push({ kind: 'coverage-gap', memberId: id });
      } else if (age >= 65 && current.CoverageType === 'Medi-Cal' && next(rates.toDsnp)) {
        current.EnrollmentEndDate = isoDay(endDay);
        newSpans.set(id, [
          {
            ...current,
            CoverageType: 'D-SNP',
            EnrollmentStartDate: isoDay(endDay + 1),
            EnrollmentEndDate: '',
          },
        ]);
        changes.push({ kind: 'to-dsnp', memberId: id });
      } else if (next(rates.leftPlan)) {
        current.EnrollmentEndDate = isoDay(endDay);
        closePrograms(endDay);
        changes.push({ kind: 'left-plan', memberId: id });
      } else if (next(rates.retroStart)) {
        const start = day(current.EnrollmentStartDate) ?? prev;
        const earliestAllowed = Math.max(
          ...rows.filter((r) => r !== current).map((r) => (day(r.EnrollmentEndDate) ?? start) + 1),
          start - 92,
        );
        const moved = Math.max(earliestAllowed, start - 30 - rng.int(62));
        if (moved < start) {
          current.EnrollmentStartDate = isoDay(moved);
          changes.push({ kind: 'retro-start', memberId: id });
        }
      } else if (next(rates.newHousingEpisode)) {
        const start = prev + 1 + rng.int(20);
        const provider = otherProvider(HOUSING_NAVIGATION, '', rng);
        newEpisodes.set(id, [
          {
            MemberID: id,
            Program: HOUSING_NAVIGATION,
            Provider: provider,
            ProviderNPI: providerNpi(key, provider),
            StartDate: isoDay(start),
            EndDate: '',
          },
        ]);
        changes.push({ kind: 'new-housing-episode', memberId: id });
      }
      // A provider change is drawn on its own, for members still covered at month end.
      const stillCovered = current.EnrollmentEndDate === '' || isOpenOn(current.EnrollmentEndDate, asOf);
      const openEcm = memberEpisodes.find((e) => e.Program === 'ECM' && isOpenOn(e.EndDate, prev));
      if (stillCovered && openEcm !== undefined && rng.float() < rates.providerChange) {
        const end = prev + 1 + rng.int(20);
        openEcm.EndDate = isoDay(end);
        const provider = otherProvider('ECM', openEcm.Provider ?? '', rng);
        const added = newEpisodes.get(id) ?? [];
        added.push({
          MemberID: id,
          Program: 'ECM',
          Provider: provider,
          ProviderNPI: providerNpi(key, provider),
          StartDate: isoDay(end + 1),
          EndDate: '',
        });
        newEpisodes.set(id, added);
        changes.push({ kind: 'provider-change', memberId: id });
      }
    }
  });

  const memberRows: SynthRow[] = [];
  for (const id of order) memberRows.push(...(spans.get(id) ?? []), ...(newSpans.get(id) ?? []));
  const programRows: SynthRow[] = [];
  const seen = new Set<string>();
  for (const id of programOrder) {
    programRows.push(...(episodes.get(id) ?? []), ...(newEpisodes.get(id) ?? []));
    seen.add(id);
  }
  for (const id of order) if (!seen.has(id)) programRows.push(...(newEpisodes.get(id) ?? []));
  return { members: memberRows, programs: programRows, changes };
}
