import { isoDate, isoDay } from './civil-date.js';
import { clientIdentity, memberIdentity } from './client-identity.js';
import { clientMeta } from './client-meta.js';
import type { SynthContext } from './context.js';
import { addHmisFields } from './hmis-fields.js';
import { knownMemberId } from './known-member-id.js';
import { membershipOf } from './membership.js';
import { personAt } from './person.js';
import { applyCase, clientLetterCase, spellRecordDate } from './presentation.js';
import { unit } from './prng.js';
import { STREAM } from './streams.js';

/**
 * One CSV row keyed by column name, values exactly as written.
 *
 * @example
 * ```ts
 * const row: SynthRow = { PersonalID: '1000001', FirstName: 'Maria' };
 * ```
 */
export type SynthRow = Record<string, string>;

/**
 * Client row `row` (0 ≤ row < clientRows) in the context's CoC layout, plus its truth pairing
 * (`memberId` of the person when a member).
 *
 * @example
 * ```ts
 * const { values, memberId } = clientRow(ctx, 0);
 * values.PersonalID; // e.g. '4093117'
 * ```
 */
export function clientRow(
  ctx: SynthContext,
  row: number,
): { values: SynthRow; memberId: string | undefined } {
  const { population: pop, options: o } = ctx;
  const slot = pop.clientSlot(row);
  const p = pop.slotPerson(slot);
  const person = personAt(ctx.space, p);
  const id = clientIdentity(ctx, person, pop.slotCopy(slot));
  const meta = clientMeta(o.key, slot, person.dob, o.refDay);
  const letterCase = clientLetterCase(o.key, slot);
  const memberId = pop.isMember(p) ? pop.memberId(p) : undefined;
  const hmis = o.cocLayout !== 'contract';
  const dob =
    id.dob.date === undefined
      ? ''
      : hmis
        ? isoDate(id.dob.date)
        : spellRecordDate(id.dob.date, o.key, 0, slot, o.mixedDates);
  const values: SynthRow = { PersonalID: pop.personalId(slot) };
  if (!hmis) {
    const known = memberId !== undefined && unit(o.key, STREAM.knownMemberId, p) < o.knownMemberIdRate;
    values.MCPMemberID = known ? knownMemberId(pop, o.key, p) : '';
  }
  values.FirstName = applyCase(id.name.first, letterCase);
  values.MiddleName = applyCase(id.name.middle, letterCase);
  values.LastName = applyCase(id.name.last, letterCase);
  values.NameSuffix = applyCase(id.name.suffix, letterCase);
  values.NameDataQuality = String(id.name.quality);
  values.SSN = id.ssn.value;
  values.SSNDataQuality = String(id.ssn.quality);
  values.DOB = dob;
  values.DOBDataQuality = String(id.dob.quality);
  if (hmis) {
    if (o.cocLayout === 'hmis-fy2026') values.Sex = id.sexCode;
    addHmisFields(values, person, id.sex, id.sexCode, o.key, slot, o.refDay, o.cocLayout === 'hmis-fy2024');
    values.DateCreated = meta.dateCreated;
    values.DateUpdated = meta.dateUpdated;
    values.UserID = meta.userId;
    values.DateDeleted = '';
    values.ExportID = ctx.exportId;
  } else {
    values.Sex = id.sexCode;
    values.InformationDate = meta.informationDate;
  }
  return { values, memberId };
}

/**
 * Member row `row` (0 ≤ row < members): its values in `MEMBER_COLUMNS` order. Arrays, not
 * records, because this is the path that streams millions of rows.
 *
 * @example
 * ```ts
 * memberRow(ctx, 0)[0]; // MemberID, e.g. 'M604728113'
 * ```
 */
export function memberRow(ctx: SynthContext, row: number): string[] {
  const { population: pop, options: o } = ctx;
  const p = pop.memberPerson(row);
  const person = personAt(ctx.space, p);
  const id = memberIdentity(ctx, person);
  const m = membershipOf(o.key, p, person.dob, o.refDay);
  return [
    pop.memberId(p),
    pop.cin(p),
    id.name.first,
    id.name.middle,
    id.name.last,
    id.name.suffix,
    spellRecordDate(id.dob, o.key, 1, p, o.mixedDates),
    id.sex,
    id.ssn,
    o.mcpName,
    m.coverageType,
    isoDay(m.start),
    m.end === undefined ? '' : isoDay(m.end),
  ];
}

/**
 * A member row's values as a record keyed by `MEMBER_COLUMNS`.
 *
 * @example
 * ```ts
 * memberRecord(memberRow(ctx, 0)).MemberID;
 * ```
 */
export function memberRecord(v: readonly string[]): SynthRow {
  return {
    MemberID: v[0] as string,
    CIN: v[1] as string,
    FirstName: v[2] as string,
    MiddleName: v[3] as string,
    LastName: v[4] as string,
    NameSuffix: v[5] as string,
    DOB: v[6] as string,
    Sex: v[7] as string,
    SSN: v[8] as string,
    MCP: v[9] as string,
    CoverageType: v[10] as string,
    EnrollmentStartDate: v[11] as string,
    EnrollmentEndDate: v[12] as string,
  };
}
