/**
 * The MCP return file: links + member list + program list → one row per matched client with plan,
 * coverage, ECM and Community Supports data (data contract, "MCP return file"), and the return
 * history: every coverage span and program episode of those clients within the look-back window.
 *
 * Minimum necessary: the member list is streamed and only the rows of linked members are kept; the
 * program list likewise. Only the IDs of accepted members are held in memory, for the run, to tell a
 * program row of an unknown member from one of an unlinked member. Nothing about a non-matched
 * member is written; by default only the housing-related Community Supports are returned, and a
 * membership that ended before the look-back window is not returned at all.
 */
import { isIsoDate } from '../normalise/date.js';
import type { ListInput } from '../read/input.js';
import { canonicalProgram, ECM } from '../read/programs.js';
import { readMembers, readPrograms } from '../read/reader.js';
import type { ByteInput } from '../read/source.js';
import type { MemberRecord, ProgramRecord, RowIssue } from '../records.js';
import { at, defined } from '../util/defined.js';
import { asOptionError, optionInvalid } from '../util/options.js';
import { chooseEpisode, pickEpisode } from './episodes.js';
import {
  FileCounter,
  type FileCounts,
  fromRowIssue,
  type OutputIssue,
  reportableId,
  withRecordId,
} from './issues.js';
import { type Link, type LinkObject, readLinks } from './links.js';
import { type LinkChangeRow, REJECTED_BY_REVIEWER, readLinkChanges } from './return-changes.js';
import { checkReturnRows } from './return-check.js';
import {
  DEFAULT_SERVICES,
  type ProgramStatus,
  type ReturnRow,
  returnFileColumns,
  sortServices,
} from './return-columns.js';
import type { HistoryRow } from './return-history.js';
import { monthsBefore, nextDay } from './return-window.js';
import { todayIso } from './today.js';

/**
 * The three inputs of the return file.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const inputs: ReturnInputs = {
 *   links: readFileSync('links.csv'),
 *   members: readFileSync('members.csv'),
 *   programs: readFileSync('programs.csv'),
 * };
 * ```
 */
export interface ReturnInputs {
  /** The links file of `match` (bytes) or link objects. */
  readonly links: ByteInput | readonly LinkObject[];
  /** The MCP member list (bytes or objects, as `readMembers` takes). */
  readonly members: ListInput;
  /** The MCP program list (bytes or objects, as `readPrograms` takes). */
  readonly programs: ListInput;
  /**
   * The changes file of `match --previous … --changes` (bytes or read rows): links removed because
   * a person rejected them become `retracted` history rows.
   */
  readonly changes?: ByteInput | readonly LinkChangeRow[];
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
   * Community Supports services to report (any accepted spelling). Default: the housing-related
   * ones (`DEFAULT_SERVICES`), minimum necessary. Either way, in the canonical DHCS order.
   */
  readonly services?: readonly string[];
  /** Day on which "enrolled" is judged and dates of birth are checked (default: today). */
  readonly asOf?: string;
  /**
   * Months before `asOf` that the history covers (default 24): spans and episodes that ended before
   * then are left out, and so is a member none of whose spans reaches into the window.
   */
  readonly lookbackMonths?: number;
  /** File names used in issues (defaults `links.csv`, `members.csv`, `programs.csv`, `changes.csv`). */
  readonly labels?: {
    readonly links?: string;
    readonly members?: string;
    readonly programs?: string;
    readonly changes?: string;
  };
  /** Receives every issue as it is found; when given, `issues` of the result stays empty. */
  readonly onIssue?: (issue: OutputIssue) => void;
}

/**
 * The return file as typed rows, with the issues and counts of the three inputs.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const result: ReturnResult = await buildReturnRows({
 *   links: readFileSync('links.csv'),
 *   members: readFileSync('members.csv'),
 *   programs: readFileSync('programs.csv'),
 * });
 * const { columns, rows } = result;
 * ```
 */
export interface ReturnResult {
  /** Header of the return file. */
  readonly columns: readonly string[];
  /** Community Supports services reported, canonical order. */
  readonly services: readonly string[];
  /** One row per matched client whose member row was accepted, in the links file's order. */
  readonly rows: readonly ReturnRow[];
  /**
   * The return history, in the order of `rows`: per client its coverage spans, ECM episodes, then
   * the chosen services' episodes within the window; then one `retracted` row per withdrawn link.
   */
  readonly history: readonly HistoryRow[];
  /** First day of the look-back window (`asOf` less `lookbackMonths` months). */
  readonly windowStart: string;
  /** Matched clients left out because their membership ended before the look-back window. */
  readonly endedBeforeWindow: number;
  /** Links withdrawn because a person rejected them (`retracted` history rows). */
  readonly retracted: number;
  /** Distinct members among the accepted rows of the member list (rows are coverage spans). */
  readonly members: number;
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
 * Builds the MCP return file's rows and its history. Bad input rows (an unknown MemberID on a link or
 * a program row, an end date before the start, an unreadable date, …) become issues with file, line,
 * field and code; they never stop the run. Each row shows the coverage span current on `asOf` (else
 * the one that ended last, else the next to start: see `chooseEpisode`), with the names, DOB and CIN
 * of the member's most recent span; each program shows its episode open on `asOf` (else the most
 * recent) among the episodes within the look-back window. An ECM episode outside the member's
 * Medi-Cal coverage, a service episode outside any coverage, and overlapping episodes of one program
 * are warnings. The rows are checked (`checkReturnRows`) before they are returned.
 *
 * @throws BloomlinkError for an unreadable file or a missing column, `INPUT_INVALID` for a bad row
 *   of the changes file; TypeError/RangeError for bad options
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const result = await buildReturnRows(
 *   { links: readFileSync('links.csv'), members: readFileSync('members.csv'), programs: readFileSync('programs.csv') },
 *   { asOf: '2026-01-01' },
 * );
 * result.rows[0]?.ecm.status; // 'enrolled' | 'not enrolled'
 * result.history.filter((h) => h.record === 'coverage').length; // spans within the last 24 months
 * ```
 */
export async function buildReturnRows(
  inputs: ReturnInputs,
  opts: BuildReturnOptions = {},
): Promise<ReturnResult> {
  const asOf = opts.asOf ?? todayIso();
  if (!isIsoDate(asOf)) throw optionInvalid('buildReturnRows', 'opts.asOf', 'an ISO date (YYYY-MM-DD)');
  const lookback = opts.lookbackMonths ?? 24;
  if (!Number.isInteger(lookback) || lookback < 0 || lookback > 1200)
    throw optionInvalid('buildReturnRows', 'opts.lookbackMonths', 'an integer from 0 to 1200');
  const windowStart = monthsBefore(asOf, lookback);
  const services = asOptionError('buildReturnRows', () =>
    opts.services === undefined ? [...DEFAULT_SERVICES] : canonicalServices(opts.services),
  );
  const labels = {
    links: opts.labels?.links ?? 'links.csv',
    members: opts.labels?.members ?? 'members.csv',
    programs: opts.labels?.programs ?? 'programs.csv',
    changes: opts.labels?.changes ?? 'changes.csv',
  };
  const collected: OutputIssue[] = [];
  const emit = opts.onIssue ?? ((i: OutputIssue) => void collected.push(i));

  const changes =
    inputs.changes === undefined
      ? []
      : isChangeList(inputs.changes)
        ? inputs.changes
        : await readLinkChanges(inputs.changes, labels.changes);

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
      id: link.personalId,
      field: 'MemberID',
      code: 'LINK_MEMBER_UNKNOWN',
      severity: 'error',
    });
  }
  const programs = await readMatchedPrograms(inputs.programs, members, labels.programs, asOf, emit);
  members.allIds.clear();

  const inWindow = (e: { readonly endDate?: string }): boolean =>
    e.endDate === undefined || e.endDate >= windowStart;
  const rows: ReturnRow[] = [];
  const history: HistoryRow[] = [];
  const warnings: OutputIssue[] = [];
  let endedBeforeWindow = 0;
  for (const link of linkRead.links) {
    const spans = members.kept.get(link.memberId);
    if (spans === undefined) continue;
    const current = spans.filter(
      (m) => m.enrollmentEndDate === undefined || m.enrollmentEndDate >= windowStart,
    );
    if (current.length === 0) {
      // Minimum necessary: a membership that ended before the window is not returned.
      endedBeforeWindow++;
      continue;
    }
    const episodes = programs.episodes.get(link.memberId);
    warnings.push(...episodeWarnings(spans, episodes, services, labels.programs));
    const recent = new Map<string, ProgramRecord[]>();
    for (const [program, list] of episodes ?? []) recent.set(program, list.filter(inWindow));
    rows.push(returnRow(link, spans, current, recent, services, asOf));
    history.push(...historyRows(link, current, recent, services));
  }
  warnings.sort((a, b) => a.line - b.line);
  for (const w of warnings) emit(w);
  programs.counter.extra(warnings);
  let retracted = 0;
  for (const c of changes) {
    if (c.change !== 'removed' || c.reason !== REJECTED_BY_REVIEWER) continue;
    retracted++;
    history.push({ personalId: c.personalId, memberId: c.memberId, record: 'retracted' });
  }
  checkReturnRows(rows, services);
  const lc = linkRead.counts;
  return {
    columns: returnFileColumns(services),
    services,
    rows,
    history,
    windowStart,
    endedBeforeWindow,
    retracted,
    members: members.distinct,
    issues: collected,
    counts: {
      links: { ...lc, used: lc.used - unknown, rejected: lc.rejected + unknown },
      members: members.counter.snapshot(),
      programs: programs.counter.snapshot(),
    },
    reviewSkipped: linkRead.reviewSkipped,
  };
}

function isChangeList(c: ByteInput | readonly LinkChangeRow[]): c is readonly LinkChangeRow[] {
  return Array.isArray(c) && (c.length === 0 || !(c[0] instanceof Uint8Array));
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
  record: { readonly memberId: string } | undefined,
  issues: readonly RowIssue[],
  endField: string,
  file: string,
  counter: FileCounter,
  emit: (i: OutputIssue) => void,
  extra?: OutputIssue,
): boolean {
  const unusableEnd = record !== undefined && endUnusable(issues, endField);
  const used = record !== undefined && !unusableEnd && extra === undefined;
  const found = issues.map((i) => fromRowIssue(i, file, used ? i.severity : 'error'));
  const line = issues[0]?.line ?? extra?.line;
  if (unusableEnd && line !== undefined) {
    found.push({ file, line, field: endField, code: 'END_DATE_UNUSABLE', severity: 'error' });
  }
  if (extra !== undefined && !unusableEnd && record !== undefined) found.push(extra);
  // A row the reader accepted has a valid MemberID; a rejected row's issues keep the reader's ID.
  const out = record === undefined ? found : withRecordId(found, 'MemberID', record.memberId);
  counter.row(used, out);
  for (const i of out) emit(i);
  return used;
}

interface MatchedMembers {
  /** Accepted rows (coverage spans) of linked members only. */
  readonly kept: Map<string, MemberRecord[]>;
  /** IDs of every accepted member, for the program list's unknown-member check; cleared after it. */
  readonly allIds: Set<string>;
  readonly counter: FileCounter;
  readonly distinct: number;
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
  const kept = new Map<string, MemberRecord[]>();
  const allIds = new Set<string>();
  for await (const r of reader.results()) {
    const m = r.record;
    // account never uses a row without a record.
    if (!account(m, r.issues, 'EnrollmentEndDate', file, counter, emit) || m === undefined) continue;
    allIds.add(m.memberId);
    if (!byMember.has(m.memberId)) continue;
    const spans = kept.get(m.memberId);
    if (spans === undefined) kept.set(m.memberId, [m]);
    else spans.push(m);
  }
  // The coverage-span warnings come once the whole list was read.
  const spanIssues = (reader.spanPlan?.issues ?? []).map((i) => fromRowIssue(i, file));
  for (const i of spanIssues) emit(i);
  counter.extra(spanIssues);
  return { kept, allIds, counter, distinct: allIds.size };
}

interface MatchedPrograms {
  /** Episodes of linked members: MemberID → program → episodes (every one kept). */
  readonly episodes: Map<string, Map<string, ProgramRecord[]>>;
  readonly counter: FileCounter;
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
  for await (const r of reader.results()) {
    const p = r.record;
    const extra: OutputIssue | undefined =
      p !== undefined && !members.allIds.has(p.memberId)
        ? { file, line: p.line, field: 'MemberID', code: 'PROGRAM_MEMBER_UNKNOWN', severity: 'error' }
        : undefined;
    // account never uses a row without a record.
    if (!account(p, r.issues, 'EndDate', file, counter, emit, extra) || p === undefined) continue;
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
  return { episodes, counter };
}

/** The member's most recent span (the one whose identity was encoded: see `MemberSpans`). */
function mostRecentSpan(spans: readonly MemberRecord[]): MemberRecord {
  let best = at(spans, 0);
  for (const s of spans) {
    const sEnd = s.enrollmentEndDate ?? OPEN;
    const bEnd = best.enrollmentEndDate ?? OPEN;
    if (
      s.enrollmentStartDate > best.enrollmentStartDate ||
      (s.enrollmentStartDate === best.enrollmentStartDate &&
        (sEnd > bEnd || (sEnd === bEnd && s.line < best.line)))
    )
      best = s;
  }
  return best;
}

const OPEN = '\uffff';

function returnRow(
  link: Link,
  spans: readonly MemberRecord[],
  inWindow: readonly MemberRecord[],
  episodes: ReadonlyMap<string, readonly ProgramRecord[]>,
  services: readonly string[],
  asOf: string,
): ReturnRow {
  const who = mostRecentSpan(spans);
  const asEpisodes = inWindow.map((m) => ({
    line: m.line,
    provider: m.mcp,
    startDate: m.enrollmentStartDate,
    ...(m.enrollmentEndDate !== undefined && { endDate: m.enrollmentEndDate }),
  }));
  const chosen = defined(pickEpisode(asEpisodes, asOf), 'the span of a client in the window');
  const span = defined(
    inWindow.find((m) => m.line === chosen.episode.line),
    'the chosen span',
  );
  const cs: Record<string, ProgramStatus> = {};
  for (const s of services) cs[s] = chooseEpisode(episodes.get(s) ?? [], asOf);
  return {
    personalId: link.personalId,
    ...(who.firstName !== undefined && { firstName: who.firstName }),
    ...(who.middleName !== undefined && { middleName: who.middleName }),
    ...(who.lastName !== undefined && { lastName: who.lastName }),
    ...(who.nameSuffix !== undefined && { nameSuffix: who.nameSuffix }),
    ...(who.dob !== undefined && { dob: who.dob }),
    mcp: span.mcp,
    coverageType: span.coverageType,
    memberId: span.memberId,
    ...(who.cin !== undefined && { cin: who.cin }),
    mcpEnrollmentDate: span.enrollmentStartDate,
    ...(span.enrollmentEndDate !== undefined && { mcpExitDate: span.enrollmentEndDate }),
    ecm: chooseEpisode(episodes.get(ECM) ?? [], asOf),
    cs,
  };
}

const byStart = <T extends { readonly startDate: string; readonly line: number }>(a: T, b: T): number =>
  a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : a.line - b.line;

/** The client's history rows: coverage spans (repeats once), ECM, then the chosen services. */
function historyRows(
  link: Link,
  spans: readonly MemberRecord[],
  episodes: ReadonlyMap<string, readonly ProgramRecord[]>,
  services: readonly string[],
): HistoryRow[] {
  const ids = { personalId: link.personalId, memberId: link.memberId };
  const out: HistoryRow[] = [];
  const seen = new Set<string>();
  for (const m of [...spans].sort((a, b) => byStart(asSpan(a), asSpan(b)))) {
    const key = `${m.coverageType}\u0000${m.enrollmentStartDate}\u0000${m.enrollmentEndDate ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      ...ids,
      record: 'coverage',
      program: m.coverageType,
      startDate: m.enrollmentStartDate,
      ...(m.enrollmentEndDate !== undefined && { endDate: m.enrollmentEndDate }),
    });
  }
  for (const program of [ECM, ...services]) {
    for (const e of [...(episodes.get(program) ?? [])].sort(byStart)) {
      out.push({
        ...ids,
        record: program === ECM ? 'ECM' : 'CS',
        program,
        provider: e.provider,
        ...(e.providerNpi !== undefined && { providerNpi: e.providerNpi }),
        startDate: e.startDate,
        ...(e.endDate !== undefined && { endDate: e.endDate }),
      });
    }
  }
  return out;
}

function asSpan(m: MemberRecord): { startDate: string; line: number } {
  return { startDate: m.enrollmentStartDate, line: m.line };
}

/** Runs of days covered without a gap, from spans (an open end is `OPEN`). */
function coveredRuns(spans: readonly MemberRecord[]): [string, string][] {
  const sorted = [...spans].sort((a, b) => byStart(asSpan(a), asSpan(b)));
  const runs: [string, string][] = [];
  for (const s of sorted) {
    const end = s.enrollmentEndDate ?? OPEN;
    const last = runs.at(-1);
    if (last !== undefined && (last[1] === OPEN || s.enrollmentStartDate <= nextDay(last[1]))) {
      if (end > last[1]) last[1] = end;
    } else runs.push([s.enrollmentStartDate, end]);
  }
  return runs;
}

/**
 * The program list's warnings for one returned member: an ECM episode outside its Medi-Cal
 * coverage, a service episode outside any coverage, an episode overlapping an earlier-starting one of
 * the same program. ECM and the chosen services only (the others are not returned).
 */
function episodeWarnings(
  spans: readonly MemberRecord[],
  episodes: ReadonlyMap<string, readonly ProgramRecord[]> | undefined,
  services: readonly string[],
  file: string,
): OutputIssue[] {
  if (episodes === undefined) return [];
  const out: OutputIssue[] = [];
  const mediCal = coveredRuns(spans.filter((s) => s.coverageType === 'Medi-Cal'));
  const any = coveredRuns(spans);
  const within = (runs: readonly [string, string][], e: ProgramRecord): boolean =>
    runs.some(([from, to]) => from <= e.startDate && (e.endDate ?? OPEN) <= to);
  for (const program of [ECM, ...services]) {
    let reach = '';
    for (const e of [...(episodes.get(program) ?? [])].sort(byStart)) {
      const id = reportableId(e.memberId) ? { id: e.memberId } : {};
      const warn = (code: OutputIssue['code']): void =>
        void out.push({ file, line: e.line, ...id, field: 'StartDate', code, severity: 'warning' });
      if (program === ECM ? !within(mediCal, e) : !within(any, e))
        warn(program === ECM ? 'ECM_OUTSIDE_MEDI_CAL' : 'SERVICE_OUTSIDE_COVERAGE');
      if (reach !== '' && e.startDate <= reach) warn('EPISODE_OVERLAP');
      const end = e.endDate ?? OPEN;
      if (end > reach) reach = end;
    }
  }
  return out;
}
