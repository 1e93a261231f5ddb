import { daysFromCivil } from '../normalise/date.js';
import type { CoverageType } from '../records.js';
import { civilFromDays } from './civil-date.js';
import { Rng } from './prng.js';
import { STREAM } from './streams.js';

/**
 * A member's plan enrollment.
 *
 * @example
 * ```ts
 * const m: Membership = membershipOf(key, p, person.dob, refDay);
 * ```
 */
export interface Membership {
  readonly coverageType: CoverageType;
  /** Day number of the first day of the enrollment month. */
  readonly start: number;
  /** Day number of the last day of the final month, or `undefined` while the membership is open. */
  readonly end: number | undefined;
}

const YEAR = 365.2425;

/**
 * The enrollment of member `p`: Medi-Cal, or D-SNP for about a third of members aged 65 and over;
 * effective on the first of a month, spread over the years before the reference date (recent
 * starts more common, not before the month of birth); about 7% ended on the last day of a month since.
 *
 * @example
 * ```ts
 * const m = membershipOf(key, p, person.dob, refDay);
 * m.coverageType; // 'Medi-Cal'
 * ```
 */
export function membershipOf(key: number, p: number, dob: number, refDay: number): Membership {
  const rng = new Rng(key, STREAM.membership, p);
  const age = (refDay - dob) / YEAR;
  const coverageType: CoverageType = age >= 65 && rng.chance(0.33) ? 'D-SNP' : 'Medi-Cal';
  const yearsBack = Math.min(15, -Math.log(1 - rng.float()) * 4);
  const earliest =
    coverageType === 'D-SNP' ? Math.max(dob + Math.ceil(65 * YEAR), daysFromCivil(2023, 1, 1)) : dob;
  // Medi-Cal covers a newborn from the month of birth, so the first of the birth month is the floor.
  const start = firstOfMonth(
    Math.min(refDay - 1, Math.max(earliest, refDay - 1 - Math.floor(yearsBack * YEAR))),
  );
  let end: number | undefined;
  if (rng.chance(0.07)) {
    const lastPossible = firstOfMonth(refDay) - 1;
    if (lastPossible > start + 31) end = lastOfMonth(start + 31 + rng.int(lastPossible - start - 31));
    if (end !== undefined && end > lastPossible) end = lastPossible;
  }
  return { coverageType, start, end };
}

function firstOfMonth(day: number): number {
  const c = civilFromDays(day);
  return daysFromCivil(c.year, c.month, 1);
}

function lastOfMonth(day: number): number {
  const c = civilFromDays(day);
  return (c.month === 12 ? daysFromCivil(c.year + 1, 1, 1) : daysFromCivil(c.year, c.month + 1, 1)) - 1;
}
