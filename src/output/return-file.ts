/**
 * The MCP return file: links + member list + program list → one row per matched client with plan,
 * coverage, ECM and Community Supports data (data contract, "MCP return file").
 *
 * Minimum necessary: the member list is streamed and only the rows of linked members are kept; the
 * program list likewise. Only the IDs of accepted members are held in memory, for the run, to tell a
 * program row of an unknown member from one of an unlinked member. Nothing about a non-matched
 * member is written.
 */
import { isIsoDate } from '../normalise/date.js';
import type { ListInput } from '../read/input.js';
import { canonicalProgram, ECM } from '../read/programs.js';
import { readMembers, readPrograms } from '../read/reader.js';
import type { ByteInput } from '../read/source.js';
import type { MemberRecord, ProgramRecord, RowIssue } from '../records.js';
import { asOptionError, optionInvalid } from '../util/options.js';
import { chooseEpisode } from './episodes.js';
import { FileCounter, type FileCounts, fromRowIssue, type OutputIssue } from './issues.js';
import { type Link, type LinkObject, readLinks } from './links.js';
import { checkReturnRows } from './return-check.js';
import { type ProgramStatus, type ReturnRow, returnFileColumns, sortServices } from './return-columns.js';
import { todayIso } from './today.js';

/**
 * The three inputs of the return file.
 *
 * @example
 * ```ts
 * const inputs: ReturnInputs = { links: linksBytes, members: membersBytes, programs: programsBytes };
 * ```
 */
export interface ReturnInputs {
  /** The links file of `match` (bytes) or link objects. */
  readonly links: ByteInput | readonly LinkObject[];
  /** The MCP member list (bytes or objects, as `readMembers` takes). */
  readonly members: ListInput;
  /** The MCP program list (bytes or objects, as `readPrograms` takes). */
  readonly programs: ListInput;
}

/**
 * Options of {@link buildReturnRows}.
 *
 * @example
 * ```ts
 * const opts: BuildReturnOptions = { asOf: '2026-01-01', services: ['Housing Deposits'] };
 * ```
 */
export interface BuildReturnOptions {
  /** Also return clients whose link has Status `review` (default: only `match`). */
  readonly includeReview?: boolean;
  /**
   * Community Supports services to report (any accepted spelling). Default: every service present in
   * the accepted rows of the program list. Either way, in the canonical DHCS order.
   */
  readonly services?: readonly string[];
  /** Day on which "enrolled" is judged and dates of birth are checked (default: today). */
  readonly asOf?: string;
  /** File names used in issues (defaults `links.csv`, `members.csv`, `programs.csv`). */
  readonly labels?: { readonly links?: string; readonly members?: string; readonly programs?: string };
  /** Receives every issue as it is found; when given, `issues` of the result stays empty. */
  readonly onIssue?: (issue: OutputIssue) => void;
}

/**
 * The return file as typed rows, with the issues and counts of the three inputs.
 *
 * @example
 * ```ts
 * const { columns, rows } = await buildReturnRows(inputs);
 * ```
 */
export interface ReturnResult {
  /** Header of the return file. */
  readonly columns: readonly string[];
  /** Community Supports services reported, canonical order. */
  readonly services: readonly string[];
  /** One row per matched client whose member row was accepted, in the links file's order. */
  readonly rows: readonly ReturnRow[];
  readonly issues: readonly OutputIssue[];
  readonly counts: {
    readonly links: FileCounts;
    readonly members: FileCounts;
    readonly programs: FileCounts;
  };
  /** Review links left out (no `includeReview`). */
  readonly reviewSkipped: number;
}

/**
 * Builds the MCP return file's rows. Bad input rows (an unknown MemberID on a link or a program row,
 * an end date before the start, an unreadable date, …) become issues with file, line, field and code;
 * they never stop the run. Repeated or overlapping episodes of one program are resolved by
 * `chooseEpisode`. The rows are checked (`checkReturnRows`) before they are returned.
 *
 * @throws BloomlinkError for an unreadable file or a missing column; TypeError/RangeError for bad options
 * @example
 * ```ts
 * const result = await buildReturnRows(
 *   { links: linksBytes, members: membersBytes, programs: programsBytes },
 *   { asOf: '2026-01-01' },
 * );
 * result.rows[0]?.ecm.status; // 'enrolled' | 'not enrolled'
 * ```
 */
export async function buildReturnRows(
  inputs: ReturnInputs,
  opts: BuildReturnOptions = {},
): Promise<ReturnResult> {
  const asOf = opts.asOf ?? todayIso();
  if (!isIsoDate(asOf)) throw optionInvalid('buildReturnRows', 'opts.asOf', 'an ISO date (YYYY-MM-DD)');
  const chosen = asOptionError('buildReturnRows', () =>
    opts.services === undefined ? undefined : canonicalServices(opts.services),
  );
  const labels = {
    links: opts.labels?.links ?? 'links.csv',
    members: opts.labels?.members ?? 'members.csv',
    programs: opts.labels?.programs ?? 'programs.csv',
  };
  const collected: OutputIssue[] = [];
  const emit = opts.onIssue ?? ((i: OutputIssue) => void collected.push(i));

  const linkRead = await readLinks(inputs.links, {
    label: labels.links,
    ...(opts.includeReview !== undefined && { includeReview: opts.includeReview }),
  });
  for (const i of linkRead.issues) emit(i);
  const byMember = new Map<string, Link>(linkRead.links.map((l) => [l.memberId, l]));

  const members = await readMatchedMembers(inputs.members, byMember, labels.members, asOf, emit);
  let unknown = 0;
  for (const link of linkRead.links) {
    if (members.kept.has(link.memberId)) continue;
    unknown++;
    emit({
      file: labels.links,
      line: link.line,
      field: 'MemberID',
      code: 'LINK_MEMBER_UNKNOWN',
      severity: 'error',
    });
  }
  const programs = await readMatchedPrograms(inputs.programs, members, labels.programs, asOf, emit);
  members.allIds.clear();

  const services = chosen ?? sortServices(programs.present);
  const rows: ReturnRow[] = [];
  for (const link of linkRead.links) {
    const m = members.kept.get(link.memberId);
    if (m !== undefined) rows.push(returnRow(link, m, programs.episodes.get(link.memberId), services, asOf));
  }
  checkReturnRows(rows, services);
  const lc = linkRead.counts;
  return {
    columns: returnFileColumns(services),
    services,
    rows,
    issues: collected,
    counts: {
      links: { ...lc, used: lc.used - unknown, rejected: lc.rejected + unknown },
      members: members.counts,
      programs: programs.counts,
    },
    reviewSkipped: linkRead.reviewSkipped,
  };
}

function canonicalServices(names: readonly string[]): string[] {
  const out: string[] = [];
  names.forEach((n, i) => {
    const c = typeof n === 'string' ? canonicalProgram(n) : undefined;
    if (c === undefined || c === ECM) {
      throw new RangeError(`opts.services[${i}] must be a Community Supports service name`);
    }
    out.push(c);
  });
  return sortServices(out);
}

const UNUSABLE_DATE = new Set(['DATE_UNPARSEABLE', 'DATE_IMPOSSIBLE', 'DATE_PLACEHOLDER']);

/** Whether an accepted row's end date was filled in but unreadable (the reader then treats it as open). */
function endUnusable(issues: readonly RowIssue[], field: string): boolean {
  return issues.some((i) => i.field === field && UNUSABLE_DATE.has(i.code));
}

/**
 * Reports one row's issues and counts it; returns whether the output stage uses the row. A row the
 * reader accepted is still rejected when its end date was unreadable (see END_DATE_UNUSABLE).
 */
function account(
  record: object | undefined,
  issues: readonly RowIssue[],
  endField: string,
  file: string,
  counter: FileCounter,
  emit: (i: OutputIssue) => void,
  extra?: OutputIssue,
): boolean {
  const unusableEnd = record !== undefined && endUnusable(issues, endField);
  const used = record !== undefined && !unusableEnd && extra === undefined;
  const out = issues.map((i) => fromRowIssue(i, file, used ? i.severity : 'error'));
  const line = issues[0]?.line ?? extra?.line;
  if (unusableEnd && line !== undefined) {
    out.push({ file, line, field: endField, code: 'END_DATE_UNUSABLE', severity: 'error' });
  }
  if (extra !== undefined && !unusableEnd && record !== undefined) out.push(extra);
  counter.row(used, out);
  for (const i of out) emit(i);
  return used;
}

interface MatchedMembers {
  /** Accepted rows of linked members only. */
  readonly kept: Map<string, MemberRecord>;
  /** IDs of every accepted member, for the program list's unknown-member check; cleared after it. */
  readonly allIds: Set<string>;
  readonly counts: FileCounts;
}

async function readMatchedMembers(
  input: ListInput,
  byMember: ReadonlyMap<string, Link>,
  file: string,
  asOf: string,
  emit: (i: OutputIssue) => void,
): Promise<MatchedMembers> {
  const reader = await readMembers(input, { label: file, today: asOf });
  const counter = new FileCounter();
  const kept = new Map<string, MemberRecord>();
  const allIds = new Set<string>();
  for await (const r of reader.results()) {
    const m = r.record;
    // account never uses a row without a record.
    if (!account(m, r.issues, 'EnrollmentEndDate', file, counter, emit) || m === undefined) continue;
    allIds.add(m.memberId);
    if (byMember.has(m.memberId)) kept.set(m.memberId, m);
  }
  return { kept, allIds, counts: counter.snapshot() };
}

interface MatchedPrograms {
  /** Episodes of linked members: MemberID → program → episodes. */
  readonly episodes: Map<string, Map<string, ProgramRecord[]>>;
  /** Community Supports services on any accepted row. */
  readonly present: Set<string>;
  readonly counts: FileCounts;
}

async function readMatchedPrograms(
  input: ListInput,
  members: MatchedMembers,
  file: string,
  asOf: string,
  emit: (i: OutputIssue) => void,
): Promise<MatchedPrograms> {
  const reader = await readPrograms(input, { label: file, today: asOf });
  const counter = new FileCounter();
  const episodes = new Map<string, Map<string, ProgramRecord[]>>();
  const present = new Set<string>();
  for await (const r of reader.results()) {
    const p = r.record;
    const extra: OutputIssue | undefined =
      p !== undefined && !members.allIds.has(p.memberId)
        ? { file, line: p.line, field: 'MemberID', code: 'PROGRAM_MEMBER_UNKNOWN', severity: 'error' }
        : undefined;
    // account never uses a row without a record.
    if (!account(p, r.issues, 'EndDate', file, counter, emit, extra) || p === undefined) continue;
    if (p.program !== ECM) present.add(p.program);
    if (!members.kept.has(p.memberId)) continue;
    let byProgram = episodes.get(p.memberId);
    if (byProgram === undefined) {
      byProgram = new Map();
      episodes.set(p.memberId, byProgram);
    }
    const list = byProgram.get(p.program);
    if (list === undefined) byProgram.set(p.program, [p]);
    else list.push(p);
  }
  return { episodes, present, counts: counter.snapshot() };
}

function returnRow(
  link: Link,
  m: MemberRecord,
  episodes: ReadonlyMap<string, readonly ProgramRecord[]> | undefined,
  services: readonly string[],
  asOf: string,
): ReturnRow {
  const cs: Record<string, ProgramStatus> = {};
  for (const s of services) cs[s] = chooseEpisode(episodes?.get(s) ?? [], asOf);
  return {
    personalId: link.personalId,
    ...(m.firstName !== undefined && { firstName: m.firstName }),
    ...(m.middleName !== undefined && { middleName: m.middleName }),
    ...(m.lastName !== undefined && { lastName: m.lastName }),
    ...(m.nameSuffix !== undefined && { nameSuffix: m.nameSuffix }),
    ...(m.dob !== undefined && { dob: m.dob }),
    mcp: m.mcp,
    coverageType: m.coverageType,
    memberId: m.memberId,
    ...(m.cin !== undefined && { cin: m.cin }),
    mcpEnrollmentDate: m.enrollmentStartDate,
    ...(m.enrollmentEndDate !== undefined && { mcpExitDate: m.enrollmentEndDate }),
    ecm: chooseEpisode(episodes?.get(ECM) ?? [], asOf),
    cs,
  };
}
