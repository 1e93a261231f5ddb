/**
 * Row assembly for the MCP member list.
 */
import { isValidCin } from '../normalise/ids.js';
import type { MemberRecord } from '../records.js';
import {
  type AssembleContext,
  type Assembler,
  cell,
  columnAt,
  endDate,
  parseCoverage,
  requiredDate,
} from './fields.js';
import { UniqueIds } from './unique-ids.js';
import { personReader } from './validate-person.js';

type MemberDraft = { -readonly [K in keyof MemberRecord]: MemberRecord[K] };

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

  return (fields, line, issues) => {
    const id = ids.read(fields, issues);

    const draft = { line, memberId: id ?? '' } as MemberDraft;
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
    return draft;
  };
}
