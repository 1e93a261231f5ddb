/**
 * The client-level records of one return row: enrollment, exit, enrollment answers and service
 * episodes, each compared with the existing export so only new or changed records are produced.
 */
import { ECM } from '../../read/programs.js';
import { at } from '../../util/defined.js';
import type { OutputIssue } from '../issues.js';
import { csColumns, type ProgramStatus, type ReturnRow } from '../return-columns.js';
import { HUD_LISTS, inList } from './codes.js';
import { answerKey, type ExistingIndex, enrollmentKey, serviceKey } from './existing.js';
import { stableId } from './ids.js';
import type { ResolvedHmisOptions } from './options.js';
import type { HmisValues } from './table.js';
import { hmisText } from './text.js';

/**
 * CustomQuestionGroup of the enrollment answers in CustomMCPEnrollment.csv.
 *
 * @example
 * ```ts
 * ENROLLMENT_GROUP; // 'MCP Enrollment'
 * ```
 */
export const ENROLLMENT_GROUP = 'MCP Enrollment';
/**
 * CustomQuestionGroup values of the service episodes in CustomMCPServices.csv.
 *
 * @example
 * ```ts
 * SERVICE_GROUPS.cs; // 'Community Supports'
 * ```
 */
export const SERVICE_GROUPS = Object.freeze({ ecm: 'ECM', cs: 'Community Supports' });
/**
 * Written in CustomDetailAnswer for an open end (ISO 8601-2 open interval).
 *
 * @example
 * ```ts
 * `2025-07-01/${OPEN_END}`; // '2025-07-01/..'
 * ```
 */
export const OPEN_END = '..';

/**
 * New or changed records of one return row (metadata columns are added by the caller).
 *
 * @example
 * ```ts
 * const { enrollment, exit, answers, services } = rowRecords(row, svc, o, ex, warn)!;
 * ```
 */
export interface RowRecords {
  readonly enrollment?: HmisValues;
  readonly exit?: HmisValues;
  readonly answers: HmisValues[];
  readonly services: HmisValues[];
}

type Warn = (field: string, code: OutputIssue['code']) => void;

/**
 * The records of one return row against the existing export. `undefined` when the membership starts
 * after the export day (nothing is written for it yet).
 *
 * @example
 * ```ts
 * const recs = rowRecords(row, services, opts, existing, (field, code) => issues.push({ ... }));
 * ```
 */
export function rowRecords(
  row: ReturnRow,
  services: readonly string[],
  o: ResolvedHmisOptions,
  ex: ExistingIndex,
  warn: Warn,
): RowRecords | undefined {
  const entry = row.mcpEnrollmentDate;
  if (entry > o.exportDay) {
    warn('MCPEnrollmentDate', 'DATE_AFTER_EXPORT');
    return undefined;
  }
  const ts = o.timestamp;
  const existing = ex.enrollments.get(enrollmentKey(row.personalId, entry));
  const enrollmentId = existing?.enrollmentId ?? stableId('enrollment', o.projectId, row.personalId, entry);
  const link = { EnrollmentID: enrollmentId, PersonalID: row.personalId };
  const others = (ex.openByPerson.get(row.personalId) ?? []).filter((id) => id !== enrollmentId);
  if (others.length > 0) warn('PersonalID', 'OTHER_OPEN_ENROLLMENT');

  const enrollment: HmisValues | undefined =
    existing === undefined
      ? {
          ...link,
          ProjectID: o.projectId,
          EntryDate: entry,
          HouseholdID: stableId('household', o.projectId, row.personalId, entry),
          RelationshipToHoH: 1,
          LivingSituation: o.livingSituation,
          LengthOfStay: o.lengthOfStay,
          DisablingCondition: o.disablingCondition,
          DateCreated: ts,
          DateUpdated: ts,
        }
      : undefined;

  let exitDate = row.mcpExitDate;
  if (exitDate !== undefined && exitDate > o.exportDay) {
    warn('MCPExitDate', 'DATE_AFTER_EXPORT');
    exitDate = undefined;
  }
  const prevExit = ex.exits.get(enrollmentId);
  let exit: HmisValues | undefined;
  if (exitDate === undefined) {
    if (prevExit !== undefined) warn('MCPExitDate', 'EXIT_NOT_IN_RETURN');
  } else if (prevExit?.exitDate !== exitDate) {
    exit = {
      ExitID: prevExit?.exitId ?? stableId('exit', enrollmentId),
      ...link,
      ExitDate: exitDate,
      // A corrected exit keeps the destination the CoC recorded, unless it needs a detail we do not write.
      Destination: keptDestination(prevExit?.destination) ?? o.destination,
      DateCreated: createdOr(prevExit?.dateCreated, ts),
      DateUpdated: ts,
    };
  }

  const answers: HmisValues[] = [];
  const qa: [string, string | undefined][] = [
    ['MCP', hmisText(row.mcp)],
    ['CoverageType', row.coverageType],
    ['MemberID', row.memberId],
    ['CIN', row.cin],
  ];
  qa.forEach(([question, answer], i) => {
    if (answer === undefined) return;
    const prev = ex.answers.get(answerKey(enrollmentId, question));
    if (prev?.answer === answer) return;
    answers.push({
      CustomQuestionID: prev?.id ?? stableId('answer', enrollmentId, question),
      ...link,
      CustomQuestionGroup: ENROLLMENT_GROUP,
      CustomQuestionOrder: i + 1,
      CustomQuestion: question,
      CustomAnswer: answer,
      DateCreated: createdOr(prev?.dateCreated, ts),
      DateUpdated: ts,
    });
  });

  const out: HmisValues[] = [];
  const programs: [string, string, number, ProgramStatus, readonly string[]][] = [
    [ECM, SERVICE_GROUPS.ecm, 1, row.ecm, ['ECM', 'ECMProvider', 'ECMEnrollmentDate', 'ECMDischargeDate']],
    ...services.map((s, i): [string, string, number, ProgramStatus, readonly string[]] => [
      s,
      SERVICE_GROUPS.cs,
      i + 2,
      row.cs[s] ?? { status: 'not enrolled' },
      csColumns(s),
    ]),
  ];
  for (const [program, group, order, status, columns] of programs) {
    const start = status.enrollmentDate;
    const provider = hmisText(status.provider);
    if (start === undefined || provider === undefined) continue;
    if (start > o.exportDay) {
      warn(at(columns, 2), 'DATE_AFTER_EXPORT');
      continue;
    }
    let end = status.dischargeDate;
    if (end !== undefined && end > o.exportDay) {
      warn(at(columns, 3), 'DATE_AFTER_EXPORT');
      end = undefined;
    }
    const detail = `${start}/${end ?? OPEN_END}`;
    const prev = ex.services.get(serviceKey(enrollmentId, program, start));
    if (prev !== undefined && prev.detail === detail && prev.answer === provider) continue;
    out.push({
      CustomQuestionID: prev?.id ?? stableId('service', enrollmentId, program, start),
      ...link,
      CustomQuestionGroup: group,
      CustomQuestionOrder: order,
      CustomQuestion: program,
      CustomAnswer: provider,
      CustomDetailAnswer: detail,
      DateCreated: createdOr(prev?.dateCreated, ts),
      DateUpdated: ts,
    });
  }
  return {
    ...(enrollment !== undefined && { enrollment }),
    ...(exit !== undefined && { exit }),
    answers,
    services: out,
  };
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * The existing record's DateCreated when it is a valid timestamp not after the export's, else the export's.
 *
 * @example
 * ```ts
 * createdOr('2025-01-01 00:00:00', '2026-01-15 00:00:00'); // '2025-01-01 00:00:00'
 * createdOr(undefined, '2026-01-15 00:00:00'); // '2026-01-15 00:00:00'
 * ```
 */
export function createdOr(existing: string | undefined, ts: string): string {
  return existing !== undefined && TIMESTAMP.test(existing) && existing <= ts ? existing : ts;
}

function keptDestination(code: string | undefined): number | undefined {
  if (code === undefined || !/^\d+$/.test(code)) return undefined;
  const n = Number(code);
  return n === 17 || n === 435 || !inList(HUD_LISTS.Destination, n) ? undefined : n;
}
