import { daysFromCivil, daysInMonth } from '../normalise/date.js';
import type { DataQuality } from '../records.js';
import { type Civil, civilFromDays, isValidCivil } from './civil-date.js';
import type { ClientDefectRates } from './defect-rates.js';
import type { DefectDice } from './dice.js';
import type { Rng } from './prng.js';
import { DEFECT_ID } from './streams.js';

/**
 * Which DOB defect a record got (at most one: they are drawn as one categorical choice).
 *
 * @example
 * ```ts
 * const approximate = recordDob(dob, refDay, rates, dice).defect === ('approximate' satisfies DobDefect); // DQ 2
 * ```
 */
export type DobDefect =
  | 'none'
  | 'dayMonthSwap'
  | 'digitTypo'
  | 'yearOffByOne'
  | 'approximate'
  | 'missing'
  | 'placeholder'
  | 'qualityMismatch';

/**
 * A DOB as recorded in one list.
 *
 * @example
 * ```ts
 * const dob: RecordedDob = recordDob(person.dob, refDay, rates.coc, dice);
 * ```
 */
export interface RecordedDob {
  /** `undefined` when blank. */
  readonly date: Civil | undefined;
  /** HUD 3.03.2 DOBDataQuality (the member list does not carry it). */
  readonly quality: DataQuality;
  readonly defect: DobDefect;
}

/**
 * The placeholder DOB systems force when none is known.
 *
 * @example
 * ```ts
 * isoDate(PLACEHOLDER_DOB); // '1900-01-01'
 * ```
 */
export const PLACEHOLDER_DOB: Civil = Object.freeze({ year: 1900, month: 1, day: 1 });

/**
 * Records a DOB the way one list would. The DOB defects are exclusive: one uniform draw picks at
 * most one, in the order of the `DobDefect` type, so each rate is exactly its share of records
 * (a day/month swap that cannot apply — day > 12 or day = month — leaves the DOB as it is).
 *
 * @example
 * ```ts
 * const dob = recordDob(person.dob, refDay, rates.coc, dice); // { date, quality, defect }
 * ```
 */
export function recordDob(
  dob: number,
  refDay: number,
  rates: ClientDefectRates,
  dice: DefectDice,
): RecordedDob {
  const c = civilFromDays(dob);
  const defect = pickDefect(dice.u(DEFECT_ID.dob), rates);
  if (defect === 'none') return { date: c, quality: 1, defect };
  const rng = dice.detail(DEFECT_ID.dob);
  switch (defect) {
    case 'dayMonthSwap':
      return c.day <= 12 && c.day !== c.month
        ? { date: { year: c.year, month: c.day, day: c.month }, quality: 1, defect }
        : { date: c, quality: 1, defect: 'none' };
    case 'digitTypo':
      return { date: digitTypo(c, refDay, rng), quality: 1, defect };
    case 'yearOffByOne': {
      const later = rng.chance(0.5) && daysFromCivil(c.year + 1, c.month, Math.min(c.day, 28)) < refDay;
      const year = c.year + (later ? 1 : -1);
      return {
        date: { year, month: c.month, day: Math.min(c.day, daysInMonth(year, c.month)) },
        quality: 1,
        defect,
      };
    }
    case 'approximate':
      return { date: approximate(c, refDay, rng), quality: 2, defect };
    case 'missing':
      return { date: undefined, quality: missingQuality(rng), defect };
    case 'placeholder': {
      const v = rng.float();
      return { date: PLACEHOLDER_DOB, quality: v < 0.5 ? 2 : v < 0.8 ? 99 : 1, defect };
    }
    case 'qualityMismatch':
      return { date: c, quality: missingQuality(rng), defect };
  }
}

/** The DOB defect a uniform draw `u` falls on, the bands laid end to end in `DobDefect` order. */
function pickDefect(u: number, rates: ClientDefectRates): DobDefect {
  // Unrolled (no per-record array): this runs for every row of a multi-million-row list.
  let edge = rates.dobDayMonthSwap;
  if (u < edge) return 'dayMonthSwap';
  edge += rates.dobDigitTypo;
  if (u < edge) return 'digitTypo';
  edge += rates.dobYearOffByOne;
  if (u < edge) return 'yearOffByOne';
  edge += rates.dobApproximate;
  if (u < edge) return 'approximate';
  edge += rates.dobMissing;
  if (u < edge) return 'missing';
  edge += rates.dobPlaceholder;
  if (u < edge) return 'placeholder';
  edge += rates.dobQualityMismatch;
  return u < edge ? 'qualityMismatch' : 'none';
}

function missingQuality(rng: Rng): DataQuality {
  const v = rng.float();
  return v < 0.7 ? 99 : v < 0.9 ? 8 : 9;
}

/** One of the eight digits replaced so that the result is still a real, past date, different from `c`. */
function digitTypo(c: Civil, refDay: number, rng: Rng): Civil {
  const digits = `${c.year}${String(c.month).padStart(2, '0')}${String(c.day).padStart(2, '0')}`;
  const tryAt = (at: number, replacement: number): Civil | undefined => {
    if (String(replacement) === digits[at]) return undefined;
    const s = digits.slice(0, at) + replacement + digits.slice(at + 1);
    const [year, month, day] = [Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8))];
    return isValidCivil(year, month, day) && daysFromCivil(year, month, day) < refDay
      ? { year, month, day }
      : undefined;
  };
  // Year digits 3–4, month and day digits are the ones a clerk mistypes; the century rarely.
  for (let attempt = 0; attempt < 12; attempt++) {
    const found = tryAt(rng.between(2, 7), rng.int(10));
    if (found) return found;
  }
  // Deterministic fallback: some day digit can always change (e.g. 30 → 20, 31 → 30, 15 → 16).
  for (const at of [7, 6, 5, 3]) {
    for (let d = 0; d < 10; d++) {
      const found = tryAt(at, d);
      if (found) return found;
    }
  }
  return c;
}

/** 01/01 or 07/01 of a year within ±2 of the real one (mostly the real one), not in the future. */
function approximate(c: Civil, refDay: number, rng: Rng): Civil {
  const v = rng.float();
  const offset = v < 0.6 ? 0 : v < 0.75 ? -1 : v < 0.9 ? 1 : v < 0.95 ? -2 : 2;
  const month = rng.chance(0.7) ? 1 : 7;
  const refYear = civilFromDays(refDay).year;
  const year = Math.min(c.year + offset, refYear - 1);
  return { year, month, day: 1 };
}
