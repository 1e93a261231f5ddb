/**
 * Row assembly for the MCP member list.
 */
import { commonDateKey } from '../normalise/date.js';
import { isValidCin } from '../normalise/ids.js';
import type { MemberRecord } from '../records.js';
import {
  type AssembleContext,
  type Assembler,
  cell,
  columnAt,
  dobIssue,
  endDate,
  type Fields,
  ID_MAX,
  OPEN_END_DAY,
  PLACEHOLDER_DAY_HIGH,
  PLACEHOLDER_DAY_LOW,
  parseCoverage,
  requiredDate,
} from './fields.js';
import { OPEN_SPAN_DAY } from './member-spans.js';
import { UniqueIds } from './unique-ids.js';
import { personReader } from './validate-person.js';

/**
 * A member record while it is assembled (every field writable).
 *
 * @example
 * ```ts
 * const draft = { line: 2, memberId: 'M1' } as MemberDraft;
 * ```
 */
export type MemberDraft = { -readonly [K in keyof MemberRecord]: MemberRecord[K] };

/**
 * Builds the assembler of member rows for a mapped header (see `clientAssembler`): MemberID present
 * (it repeats, one row per coverage span: see `MemberSpans`); MCP, CoverageType and
 * EnrollmentStartDate required; CIN and end date optional.
 *
 * @example
 * ```ts
 * const assemble = memberAssembler(index, { today: '2025-06-01', date: eventDateParser(2025) });
 * const record = assemble(row.fields, row.line, issues);
 * ```
 */
export function memberAssembler(
  index: ReadonlyMap<string, number>,
  ctx: AssembleContext,
): Assembler<MemberRecord> {
  const at = columnAt(index);
  const cCin = at('CIN');
  const cMcp = at('MCP');
  const cCoverage = at('CoverageType');
  const cStart = at('EnrollmentStartDate');
  const cEnd = at('EnrollmentEndDate');
  // One row per coverage span: MemberID repeats; MemberSpans groups the rows of one member.
  const ids = new UniqueIds(index, 'MemberID', true);
  const readPerson = personReader(index, ctx.today);
  const { date } = ctx;

  return (fields, line, issues, into) => {
    const id = ids.read(fields, issues);

    // Assembled in one object shape either way (the caller's, or a blank one turned into the record
    // at the end): when `validate`'s drafts grew field by field, each combination of optional fields
    // was a map of its own, and every new one seen by this closure and `readPerson` (shared with
    // `validateClean`'s rows) threw away their optimised code (docs/scaling.md, round fifteen).
    const draft = into ?? blankMemberDraft();
    draft.line = line;
    draft.memberId = id ?? '';
    readPerson(fields, issues, undefined, draft);

    const cin = cell(fields, cCin);
    if (cin !== '') {
      // A CIN is an identifier: case carries no meaning, so it is stored upper-case.
      if (isValidCin(cin)) {
        const last = cin.charCodeAt(cin.length - 1);
        draft.cin = last >= 97 && last <= 122 ? cin.toUpperCase() : cin;
      } else issues.add('CIN', 'CIN_INVALID');
    }
    const mcp = cell(fields, cMcp);
    if (mcp === '') issues.add('MCP', 'REQUIRED_MISSING');
    const coverageRaw = cell(fields, cCoverage);
    const coverage = coverageRaw === '' ? undefined : parseCoverage(coverageRaw);
    if (coverage === undefined) issues.add('CoverageType', 'REQUIRED_MISSING');
    else if (!coverage.ok) issues.add('CoverageType', coverage.code);
    const start = requiredDate(fields, cStart, 'EnrollmentStartDate', date, issues);
    const end = endDate(fields, cEnd, 'EnrollmentEndDate', start, date, issues);

    if (issues.rejected || id === undefined || coverage?.ok !== true || start === undefined) return undefined;
    ids.claim(id);
    draft.mcp = mcp;
    draft.coverageType = coverage.value;
    draft.enrollmentStartDate = start;
    if (end !== undefined) draft.enrollmentEndDate = end;
    return into === undefined ? memberRecordOf(draft) : draft;
  };
}

/**
 * A member draft with every field present from the start (`undefined` for an absent optional one),
 * so every row's draft has one object shape: the read-encode worker's object for each member row
 * (`blankMemberPerson`, with `id` for the encoder, hence its place here) and the member assembler's
 * own draft. Data qualities start at 99, `memberId` at `''`, `coverageType` at `'Medi-Cal'`.
 *
 * @example
 * ```ts
 * const d = blankMemberDraft();
 * d.memberId = 'M1';
 * ```
 */
export function blankMemberDraft(): MemberDraft & { id: string } {
  // The optional fields are present and `undefined` on purpose (one object shape for every row),
  // which `exactOptionalPropertyTypes` cannot express for `MemberDraft`: hence the cast via unknown.
  return {
    id: '',
    firstName: undefined,
    middleName: undefined,
    lastName: undefined,
    nameSuffix: undefined,
    nameDataQuality: 99,
    dob: undefined,
    dobDataQuality: 99,
    ssn: undefined,
    ssnDataQuality: 99,
    sex: undefined,
    memberId: '',
    line: 0,
    cin: undefined,
    mcp: '',
    coverageType: 'Medi-Cal',
    enrollmentStartDate: '',
    enrollmentEndDate: undefined,
  } as unknown as MemberDraft & { id: string };
}

/**
 * The record of an accepted draft: its fields in the order the assembler once added them to a
 * growing draft (`line`, `memberId`, the person's, `cin`, then the coverage span's), an optional
 * field only when it has a value, as callers of `validate` always saw them.
 */
function memberRecordOf(d: MemberDraft): MemberRecord {
  const r = { line: d.line, memberId: d.memberId } as MemberDraft;
  if (d.firstName !== undefined) r.firstName = d.firstName;
  if (d.middleName !== undefined) r.middleName = d.middleName;
  if (d.lastName !== undefined) r.lastName = d.lastName;
  if (d.nameSuffix !== undefined) r.nameSuffix = d.nameSuffix;
  r.nameDataQuality = d.nameDataQuality;
  if (d.dob !== undefined) r.dob = d.dob;
  r.dobDataQuality = d.dobDataQuality;
  if (d.ssn !== undefined) r.ssn = d.ssn;
  r.ssnDataQuality = d.ssnDataQuality;
  if (d.sex !== undefined) r.sex = d.sex;
  if (d.cin !== undefined) r.cin = d.cin;
  r.mcp = d.mcp;
  r.coverageType = d.coverageType;
  r.enrollmentStartDate = d.enrollmentStartDate;
  if (d.enrollmentEndDate !== undefined) r.enrollmentEndDate = d.enrollmentEndDate;
  return r;
}

/** What {@link memberSpanCheck} writes for a row it is sure of. */
export interface CheckedSpan {
  /** The MemberID as the validator reads it (trimmed). */
  id: string;
  /** `spanDay` of EnrollmentStartDate: `YYYYMMDD` as a number. */
  start: number;
  /** `spanDay` of the span's end: `YYYYMMDD`, or `OPEN_SPAN_DAY` while open. */
  end: number;
}

/** See {@link memberSpanCheck}. */
export type MemberSpanCheck = (fields: Fields, out: CheckedSpan) => boolean;

/**
 * A cheap test of a member row for the first pass over a member list, which needs of each row only
 * whether it is accepted, its MemberID and its span's days: `true` when the row is certainly one the
 * member validator ({@link memberAssembler} through `buildValidator`) accepts, with `out` set to
 * exactly its MemberID and span days; `false` when it cannot tell cheaply (ask the validator). The
 * validator stays the definition: this judges only the common row — a usable MemberID, MCP and
 * coverage type, start and end dates in a common layout (`commonDateKey`), and a usable date of
 * birth in a common layout, which alone gives the row something to match on — on char codes,
 * building nothing. Every other row (no DOB, an unusual spelling, a rejected row) is left to the
 * validator. Member rows are judged each on its own (MemberIDs repeat), so no state is kept.
 *
 * @example
 * ```ts
 * const check = memberSpanCheck(validator.columns, '2026-01-01');
 * const span = { id: '', start: 0, end: 0 };
 * if (check(row.fields, span)) addSpan(span.id, row.line, span.start, span.end);
 * else if ((r = validator.validate(row)).record) addSpan(…); // the validator decides
 * ```
 */
export function memberSpanCheck(index: ReadonlyMap<string, number>, today: string): MemberSpanCheck {
  const at = columnAt(index);
  const cId = at('MemberID');
  const cMcp = at('MCP');
  const cCoverage = at('CoverageType');
  const cStart = at('EnrollmentStartDate');
  const cEnd = at('EnrollmentEndDate');
  const cDob = at('DOB');
  // The validator's reference years: its event-date parser's (today's year) and parseDob's (one less).
  const eventYear = Number(today.slice(0, 4));
  const dobYear = eventYear - 1;
  const todayKey = commonDateKey(today, 0);
  return (fields, out) => {
    const id = cell(fields, cId);
    if (id.length === 0 || id.length > ID_MAX) return false;
    if (cell(fields, cMcp) === '') return false;
    const coverage = cell(fields, cCoverage);
    // parseCoverage answers the contract's own spellings first, without a lookup.
    if (coverage === '' || !parseCoverage(coverage).ok) return false;
    // Start: a common-layout date outside the placeholder band (eventDateParser's rule).
    const start = commonDateKey(cell(fields, cStart), eventYear);
    if (start <= PLACEHOLDER_DAY_LOW || start >= PLACEHOLDER_DAY_HIGH) return false;
    // End (endDate's rules): blank, a placeholder or a far-future "high date" is open; an unusable
    // cell is a warning and open too, but only the common layouts are judged here.
    const endRaw = cell(fields, cEnd);
    let end = OPEN_SPAN_DAY;
    if (endRaw !== '') {
      const key = commonDateKey(endRaw, eventYear);
      if (key < 0) return false;
      if (key > PLACEHOLDER_DAY_LOW && key < OPEN_END_DAY) {
        if (key < start) return false; // END_BEFORE_START
        end = key;
      }
    }
    // Something to match on: a usable DOB settles it (members have no information date).
    const dob = commonDateKey(cell(fields, cDob), dobYear);
    if (dob < 0) return false;
    const dobCode = dobIssue(dob, todayKey);
    if (dobCode !== undefined && dobCode !== 'DATE_BEFORE_1915') return false;
    out.id = id;
    out.start = start;
    out.end = end;
    return true;
  };
}
