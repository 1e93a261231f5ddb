import type { Civil } from './civil-date.js';
import type { SynthContext } from './context.js';
import { DefectDice } from './dice.js';
import { type RecordedDob, recordDob } from './dob-defects.js';
import { type RecordedSex, type RecordedSsn, recordSex, recordSsn } from './id-defects.js';
import { type RecordedName, recordName } from './name-defects.js';
import type { Person } from './person.js';
import { DEFECT_ID, STREAM } from './streams.js';

/**
 * The identifying fields of one CoC client row, before formatting.
 *
 * @example
 * ```ts
 * const id: ClientIdentity = clientIdentity(ctx, person, 0);
 * ```
 */
export interface ClientIdentity {
  readonly name: RecordedName;
  readonly dob: RecordedDob;
  readonly ssn: RecordedSsn;
  readonly sex: RecordedSex;
  /** HUD 4.21 code as written: `0`, `1`, `8`, `9`, `99` or blank. */
  readonly sexCode: string;
}

/**
 * The identifying fields of one member row, before formatting.
 *
 * @example
 * ```ts
 * const id: MemberIdentity = memberIdentity(ctx, person);
 * ```
 */
export interface MemberIdentity {
  readonly name: RecordedName;
  readonly dob: Civil;
  readonly ssn: string;
  /** `F`, `M` or `U`. */
  readonly sex: string;
}

/**
 * Records person `person` as CoC client row copy `copy` (0, or 1 for an HMIS duplicate), with the
 * CoC defect rates. Pure function of the context, the person and the copy.
 *
 * @example
 * ```ts
 * const id = clientIdentity(ctx, personAt(ctx.space, p), 0);
 * id.name.quality; // 1, 2, 8, 9 or 99
 * ```
 */
export function clientIdentity(ctx: SynthContext, person: Person, copy: number): ClientIdentity {
  const rates = ctx.options.rates.coc;
  const dice = new DefectDice(ctx.space.key, STREAM.clientDefects + copy * 64, person.index);
  const sex = recordSex(person.sex, rates, dice);
  let sexCode = sex === 'F' ? '0' : sex === 'M' ? '1' : '';
  if (sex === undefined) {
    const u = dice.detail(DEFECT_ID.sex).float();
    sexCode = u < 0.6 ? '99' : u < 0.8 ? '' : u < 0.9 ? '8' : '9';
  }
  return {
    name: recordName(ctx.space, person, rates, dice),
    dob: recordDob(person.dob, ctx.space.refDay, rates, dice),
    ssn: recordSsn(person.ssn, rates, rates.ssnPartial, dice),
    sex,
    sexCode,
  };
}

/**
 * Records person `person` as a member row, with the member defect rates.
 *
 * @example
 * ```ts
 * memberIdentity(ctx, personAt(ctx.space, p)).sex; // 'F', 'M' or 'U'
 * ```
 */
export function memberIdentity(ctx: SynthContext, person: Person): MemberIdentity {
  const rates = ctx.memberRates;
  const dice = new DefectDice(ctx.space.key, STREAM.memberDefects, person.index);
  const dob = recordDob(person.dob, ctx.space.refDay, rates, dice);
  const sex = recordSex(person.sex, rates, dice);
  return {
    name: recordName(ctx.space, person, rates, dice),
    // Member-side DOB defects never blank the date (missing/approximate rates are zero there).
    dob: dob.date as Civil,
    ssn: recordSsn(person.ssn, rates, 0, dice).value,
    sex: sex ?? 'U',
  };
}
