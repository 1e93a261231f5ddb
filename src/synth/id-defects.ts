import type { DataQuality } from '../records.js';
import type { SharedDefectRates } from './defect-rates.js';
import type { DefectDice } from './dice.js';
import type { Rng } from './prng.js';
import { DEFECT_ID } from './streams.js';

/**
 * An SSN as recorded in one list.
 *
 * @example
 * ```ts
 * const ssn: RecordedSsn = recordSsn(person.ssn, rates.coc, rates.coc.ssnPartial, dice);
 * ```
 */
export interface RecordedSsn {
  /** Nine digits, nine characters of digits and `x`, or `''`. */
  readonly value: string;
  /** HUD 3.02.2 SSNDataQuality (the member list does not carry it). */
  readonly quality: DataQuality;
}

/**
 * Records an SSN: missing (DQ 99/8/9), partial with `x` for the unknown digits (DQ 2, CoC only:
 * pass `partialRate` 0 for the plan) or full (DQ 1), the full one sometimes with a typo. A person
 * without an SSN is recorded as missing with DQ 99 or 8.
 *
 * @example
 * ```ts
 * recordSsn('123456780', rates.coc, rates.coc.ssnPartial, dice); // e.g. { value: 'xxxxx6780', quality: 2 }
 * ```
 */
export function recordSsn(
  ssn: string,
  rates: SharedDefectRates,
  partialRate: number,
  dice: DefectDice,
): RecordedSsn {
  if (!ssn) return { value: '', quality: dice.detail(DEFECT_ID.ssn).chance(0.75) ? 99 : 8 };
  const u = dice.u(DEFECT_ID.ssn);
  if (u < rates.ssnMissing) {
    const v = dice.detail(DEFECT_ID.ssn).float();
    return { value: '', quality: v < 0.7 ? 99 : v < 0.9 ? 8 : 9 };
  }
  if (u < rates.ssnMissing + partialRate)
    return { value: partial(ssn, dice.detail(DEFECT_ID.ssn)), quality: 2 };
  if (dice.fires(DEFECT_ID.ssnTypo, rates.ssnTypo))
    return { value: ssnTypo(ssn, dice.detail(DEFECT_ID.ssnTypo)), quality: 1 };
  return { value: ssn, quality: 1 };
}

/** What clients usually remember: the last four digits; sometimes the first five, or the last six. */
function partial(ssn: string, rng: Rng): string {
  const v = rng.float();
  if (v < 0.7) return `xxxxx${ssn.slice(5)}`;
  if (v < 0.9) return `${ssn.slice(0, 5)}xxxx`;
  return `xxx${ssn.slice(3)}`;
}

/** One digit replaced, or two adjacent different digits transposed. */
function ssnTypo(ssn: string, rng: Rng): string {
  if (rng.chance(0.4)) {
    for (let attempt = 0; attempt < 8; attempt++) {
      const at = rng.int(8);
      if (ssn[at] !== ssn[at + 1]) return ssn.slice(0, at) + ssn[at + 1] + ssn[at] + ssn.slice(at + 2);
    }
  }
  const at = rng.int(9);
  return ssn.slice(0, at) + String((Number(ssn[at]) + rng.between(1, 9)) % 10) + ssn.slice(at + 1);
}

/**
 * Sex as recorded: the true value, the other one, or missing (`undefined`).
 *
 * @example
 * ```ts
 * const sex: RecordedSex = recordSex('F', rates.coc, dice);
 * ```
 */
export type RecordedSex = 'F' | 'M' | undefined;

/**
 * Records sex: missing with `sexMissing`, the other value with `sexWrong`, else the true one.
 *
 * @example
 * ```ts
 * recordSex('F', rates.members, dice); // 'F' most of the time
 * ```
 */
export function recordSex(sex: 'F' | 'M', rates: SharedDefectRates, dice: DefectDice): RecordedSex {
  const u = dice.u(DEFECT_ID.sex);
  if (u < rates.sexMissing) return undefined;
  if (u < rates.sexMissing + rates.sexWrong) return sex === 'F' ? 'M' : 'F';
  return sex;
}
