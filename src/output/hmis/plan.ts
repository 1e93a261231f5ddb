/**
 * What the plan's data says about each linked client, as the HMIS needs it: coverage spans (one
 * enrollment each) and program episodes (services), from the return history when it is given, else
 * from the return file's single row per client; and the links the plan withdrew.
 */
import { ECM } from '../../read/programs.js';
import type { CoverageType } from '../../records.js';
import { pairKey } from '../../util/pair-key.js';
import type { ReturnRow } from '../return-columns.js';
import { sortServices } from '../return-columns.js';
import type { HistoryRow } from '../return-history.js';

/**
 * One coverage span of a client.
 *
 * @example
 * ```ts
 * const s: PlanSpan = { memberId: 'M1', coverageType: 'Medi-Cal', start: '2025-01-01', file: 'h.csv', line: 2, field: 'StartDate', endField: 'EndDate' };
 * ```
 */
export interface PlanSpan {
  readonly memberId: string;
  readonly coverageType: CoverageType;
  readonly start: string;
  readonly end?: string;
  /** Where it comes from, for issues. */
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly endField: string;
}

/**
 * One ECM or Community Supports episode of a client.
 *
 * @example
 * ```ts
 * const e: PlanEpisode = { memberId: 'M1', program: 'ECM', provider: 'Bridgeway', start: '2025-02-01', file: 'h.csv', line: 3, field: 'StartDate', endField: 'EndDate' };
 * ```
 */
export interface PlanEpisode {
  readonly memberId: string;
  readonly program: string;
  readonly provider?: string;
  readonly start: string;
  readonly end?: string;
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly endField: string;
}

/**
 * Everything the plan says about one client (PersonalID).
 *
 * @example
 * ```ts
 * plan.persons.get('P1')?.spans.length;
 * ```
 */
export interface PersonPlan {
  readonly personalId: string;
  /** The client's return row, when the return file has one (plan name, CIN). */
  readonly row?: ReturnRow;
  readonly spans: PlanSpan[];
  readonly episodes: PlanEpisode[];
}

/**
 * The plan's data for one run.
 *
 * @example
 * ```ts
 * const plan = buildPlan({ rows, services, history });
 * ```
 */
export interface Plan {
  /** By PersonalID, sorted by PersonalID. */
  readonly persons: ReadonlyMap<string, PersonPlan>;
  /** Withdrawn links, as `PersonalID\0MemberID`. */
  readonly retracted: ReadonlySet<string>;
  /** Whether the spans and episodes come from a history file (the whole story) or one row per client. */
  readonly fromHistory: boolean;
  /** Community Supports services, canonical order (their CustomQuestionOrder is index + 2). */
  readonly services: readonly string[];
}

/**
 * A history file's rows with their lines (`readReturnHistory`), or the rows alone as `return-file`
 * made them (`ReturnResult.history`; a row's line is then its line in the file `returnHistoryLines`
 * writes: index + 2).
 *
 * @example
 * ```ts
 * const h: PlanHistory = { rows: read.rows, lines: read.lines, label: 'mcp-return-history.csv' };
 * const same: PlanHistory = result.history; // in the process that built the return rows
 * ```
 */
export type PlanHistory = PlanHistoryFile | readonly HistoryRow[];

/**
 * A history file's rows with their lines.
 *
 * @example
 * ```ts
 * const h: PlanHistoryFile = { rows: read.rows, lines: read.lines, label: 'mcp-return-history.csv' };
 * ```
 */
export interface PlanHistoryFile {
  readonly rows: readonly HistoryRow[];
  readonly lines?: readonly number[];
  readonly label?: string;
}

/**
 * Gathers the plan's data per client.
 *
 * @example
 * ```ts
 * const plan = buildPlan({ rows: read.rows, services: read.services }, read.lines, 'mcp-return.csv');
 * ```
 */
export function buildPlan(
  input: {
    readonly rows: readonly ReturnRow[];
    readonly services: readonly string[];
    readonly history?: PlanHistory;
  },
  lines: readonly number[] | undefined,
  label: string,
): Plan {
  const persons = new Map<string, PersonPlan>();
  const person = (id: string, row?: ReturnRow): PersonPlan => {
    let p = persons.get(id);
    if (p === undefined) {
      p = { personalId: id, ...(row !== undefined && { row }), spans: [], episodes: [] };
      persons.set(id, p);
    } else if (row !== undefined && p.row === undefined) {
      p = { ...p, row };
      persons.set(id, p);
    }
    return p;
  };
  const retracted = new Set<string>();
  const services = new Set<string>(input.services);
  input.rows.forEach((row) => {
    person(row.personalId, row);
  });
  const history: PlanHistoryFile | undefined =
    input.history === undefined || !Array.isArray(input.history)
      ? (input.history as PlanHistoryFile | undefined)
      : { rows: input.history };
  if (history !== undefined) {
    const file = history.label ?? 'mcp-return-history.csv';
    history.rows.forEach((h, i) => {
      const line = history.lines?.[i] ?? i + 2;
      if (h.record === 'retracted') {
        retracted.add(pairKey(h.personalId, h.memberId));
        return;
      }
      if (h.program === undefined || h.startDate === undefined) return;
      const where = { file, line, field: 'StartDate', endField: 'EndDate' };
      const p = person(h.personalId);
      if (h.record === 'coverage') {
        p.spans.push({
          memberId: h.memberId,
          coverageType: h.program as CoverageType,
          start: h.startDate,
          ...(h.endDate !== undefined && { end: h.endDate }),
          ...where,
        });
      } else {
        if (h.record === 'CS') services.add(h.program);
        p.episodes.push({
          memberId: h.memberId,
          program: h.program,
          ...(h.provider !== undefined && { provider: h.provider }),
          start: h.startDate,
          ...(h.endDate !== undefined && { end: h.endDate }),
          ...where,
        });
      }
    });
  }
  // A client the history does not cover (or no history at all): the return row's one span and the
  // episodes it shows.
  input.rows.forEach((row, i) => {
    const p = persons.get(row.personalId);
    if (p === undefined || p.spans.length > 0) return;
    const line = lines?.[i] ?? i + 2;
    p.spans.push({
      memberId: row.memberId,
      coverageType: row.coverageType,
      start: row.mcpEnrollmentDate,
      ...(row.mcpExitDate !== undefined && { end: row.mcpExitDate }),
      file: label,
      line,
      field: 'MCPEnrollmentDate',
      endField: 'MCPExitDate',
    });
    if (p.episodes.length > 0) return;
    const programs: [string, ReturnRow['ecm'], string][] = [
      [ECM, row.ecm, 'ECM'],
      ...input.services.map((s): [string, ReturnRow['ecm'], string] => [
        s,
        row.cs[s] ?? { status: 'not enrolled' },
        `CS ${s}`,
      ]),
    ];
    for (const [program, status, column] of programs) {
      if (status.enrollmentDate === undefined || status.provider === undefined) continue;
      p.episodes.push({
        memberId: row.memberId,
        program,
        provider: status.provider,
        start: status.enrollmentDate,
        ...(status.dischargeDate !== undefined && { end: status.dischargeDate }),
        file: label,
        line,
        field: column === 'ECM' ? 'ECMEnrollmentDate' : `${column} Enrollment Date`,
        endField: column === 'ECM' ? 'ECMDischargeDate' : `${column} Discharge Date`,
      });
    }
  });
  const byStart = <T extends { start: string; end?: string }>(a: T, b: T): number =>
    a.start < b.start ? -1 : a.start > b.start ? 1 : (a.end ?? '\uffff') < (b.end ?? '\uffff') ? -1 : 1;
  for (const p of persons.values()) {
    p.spans.sort(byStart);
    p.episodes.sort(byStart);
  }
  const sorted = new Map([...persons].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    persons: sorted,
    retracted,
    fromHistory: history !== undefined,
    services: sortServices(services),
  };
}
