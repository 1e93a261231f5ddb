/**
 * The client-level records of an export: the plan's data (see `buildPlan`) reconciled with the
 * existing export of the project. Every live record of the project is written every run (with its
 * IDs, DateCreated and the CoC's own cells), changed records get the export's DateUpdated, and
 * records the plan withdrew are written once more with DateDeleted:
 *
 * - one enrollment per coverage span (entry = span start); an existing enrollment of the client with
 *   the same entry date, else one whose dates overlap the span (a retroactive correction), is that
 *   span's enrollment and keeps its ID;
 * - the exit is the span's end once it is not after the export day;
 * - ECM/CS episodes become services of the enrollment whose span holds their start;
 * - an open enrollment the plan no longer confirms is exited on the last day the plan confirmed it
 *   (the `CoverageConfirmedThrough` answer), never later;
 * - a retracted link's enrollments, exits, answers and services are deleted.
 */

import { pairKey } from '../../util/pair-key.js';
import { type OutputIssue, reportableId } from '../issues.js';
import { HUD_LISTS, inList } from './codes.js';
import type { ExistingEnrollment, ExistingIndex, ExistingRow } from './existing.js';
import { stableId } from './ids.js';
import type { ResolvedHmisOptions } from './options.js';
import type { Plan, PlanEpisode, PlanSpan } from './plan.js';
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
 * The enrollment answer that records the last day the plan confirmed the coverage span (the as-of
 * day of the run that last saw it open, or its end): the exit date when the plan stops confirming it.
 *
 * @example
 * ```ts
 * CONFIRMED_QUESTION; // 'CoverageConfirmedThrough'
 * ```
 */
export const CONFIRMED_QUESTION = 'CoverageConfirmedThrough';

const QUESTIONS = ['MCP', 'CoverageType', 'MemberID', 'CIN', CONFIRMED_QUESTION] as const;

/**
 * Records written new or changed this run, per kind, and the enrollments exited or deleted.
 *
 * @example
 * ```ts
 * const c: RecordCounts = { enrollments: 2, exits: 1, answers: 8, services: 3, autoExits: 0, deleted: 0 };
 * ```
 */
export interface RecordCounts {
  readonly enrollments: number;
  readonly exits: number;
  readonly answers: number;
  readonly services: number;
  /** Open enrollments exited because the plan no longer confirms them. */
  readonly autoExits: number;
  /** Enrollments deleted (retracted links), with their exits, answers and services. */
  readonly deleted: number;
}

export interface ClientRecords {
  readonly enrollments: HmisValues[];
  readonly exits: HmisValues[];
  readonly answers: HmisValues[];
  readonly services: HmisValues[];
  /** PersonalIDs of live enrollments (their Client.csv rows are required). */
  readonly livePersons: Set<string>;
  /** PersonalIDs of deleted enrollments (their Client.csv rows are written when known). */
  readonly deletedPersons: Set<string>;
  readonly counts: RecordCounts;
}

type Issues = OutputIssue[];

/**
 * Reconciles the plan's data with the existing export. Issues (warnings) go to `issues`.
 *
 * @example
 * ```ts
 * const recs = clientRecords(buildPlan(input, lines, label), resolveHmisOptions(opts), indexExisting(files, id), []);
 * ```
 */
export function clientRecords(
  plan: Plan,
  o: ResolvedHmisOptions,
  ex: ExistingIndex,
  issues: Issues,
): ClientRecords {
  const ts = o.timestamp;
  const out: ClientRecords = {
    enrollments: [],
    exits: [],
    answers: [],
    services: [],
    livePersons: new Set(),
    deletedPersons: new Set(),
    counts: { enrollments: 0, exits: 0, answers: 0, services: 0, autoExits: 0, deleted: 0 },
  };
  const counts = out.counts as { -readonly [K in keyof ClientRecords['counts']]: number };
  /** A warning naming the client's PersonalID (the record's own ID in every file hmis reads). */
  const warn = (
    at: { file: string; line: number },
    id: string,
    field: string,
    code: OutputIssue['code'],
  ): void => {
    const named = reportableId(id) ? { id } : {};
    issues.push({ file: at.file, line: at.line, ...named, field, code, severity: 'warning' });
  };
  const existingFile = 'Enrollment.csv';

  const byPerson = new Map<string, ExistingEnrollment[]>();
  for (const e of ex.enrollments) {
    const list = byPerson.get(e.personalId);
    if (list === undefined) byPerson.set(e.personalId, [e]);
    else list.push(e);
  }
  const done = new Set<string>();
  const answerOf = (id: string, q: string): string | undefined => ex.answers.get(id)?.get(q)?.CustomAnswer;

  // ── Writing helpers ───────────────────────────────────────────────────────────────────────────
  const carry = (list: HmisValues[], row: ExistingRow): void => {
    list.push(row);
  };
  const changed = (
    list: HmisValues[],
    base: ExistingRow | undefined,
    values: HmisValues,
    kind: keyof ClientRecords['counts'],
  ): void => {
    list.push({
      ...base,
      ...values,
      UserID: base?.UserID || o.userId,
      DateCreated: createdOr(base?.DateCreated, ts),
      DateUpdated: ts,
      DateDeleted: undefined,
    });
    counts[kind]++;
  };
  const tombstone = (list: HmisValues[], row: ExistingRow): void => {
    list.push({ ...row, DateUpdated: ts, DateDeleted: ts });
  };
  const enrollmentRow = (e: ExistingEnrollment, entry: string): void => {
    const coc = e.row.EnrollmentCoC ?? '';
    if (e.entryDate === entry && coc !== '') carry(out.enrollments, e.row);
    else
      changed(
        out.enrollments,
        e.row,
        { EntryDate: entry, EnrollmentCoC: coc === '' ? o.cocCode : coc },
        'enrollments',
      );
  };
  const carryAll = (e: ExistingEnrollment): void => {
    enrollmentRow(e, e.entryDate);
    const exit = ex.exits.get(e.enrollmentId);
    if (exit !== undefined) carry(out.exits, exit);
    for (const a of ex.answers.get(e.enrollmentId)?.values() ?? []) carry(out.answers, a);
    for (const s of ex.services.get(e.enrollmentId) ?? []) carry(out.services, s);
    out.livePersons.add(e.personalId);
  };
  const deleteAll = (e: ExistingEnrollment): void => {
    tombstone(out.enrollments, e.row);
    const exit = ex.exits.get(e.enrollmentId);
    if (exit !== undefined) tombstone(out.exits, exit);
    for (const a of ex.answers.get(e.enrollmentId)?.values() ?? []) tombstone(out.answers, a);
    for (const s of ex.services.get(e.enrollmentId) ?? []) tombstone(out.services, s);
    out.deletedPersons.add(e.personalId);
    counts.deleted++;
  };
  /** An open enrollment the plan no longer confirms: carried, with an exit on its confirmed day. */
  const autoExit = (e: ExistingEnrollment): void => {
    carryAll(e);
    if (ex.exits.has(e.enrollmentId)) return;
    const confirmed = answerOf(e.enrollmentId, CONFIRMED_QUESTION);
    let day = confirmed !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(confirmed) ? confirmed : e.entryDate;
    if (day < e.entryDate) day = e.entryDate;
    if (day > o.exportDay) day = o.exportDay;
    changed(
      out.exits,
      undefined,
      {
        ExitID: stableId('exit', e.enrollmentId),
        EnrollmentID: e.enrollmentId,
        PersonalID: e.personalId,
        ExitDate: day,
        Destination: o.destination,
      },
      'exits',
    );
    counts.autoExits++;
    warn({ file: existingFile, line: e.line }, e.personalId, 'ExitDate', 'ENROLLMENT_NOT_CONFIRMED');
  };

  // ── Retracted links first: their enrollments are deleted whatever else the plan says ───────────
  for (const e of ex.enrollments) {
    const member = answerOf(e.enrollmentId, 'MemberID');
    if (member !== undefined && plan.retracted.has(pairKey(e.personalId, member))) {
      deleteAll(e);
      done.add(e.enrollmentId);
    }
  }

  // ── Each client of the plan ─────────────────────────────────────────────────────────────────────
  for (const p of plan.persons.values()) {
    const pool = (byPerson.get(p.personalId) ?? []).filter((e) => !done.has(e.enrollmentId));
    const spans = p.spans.filter((s) => !plan.retracted.has(pairKey(p.personalId, s.memberId)));
    const episodes = p.episodes.filter((s) => !plan.retracted.has(pairKey(p.personalId, s.memberId)));
    const placed = new Set<PlanEpisode>();
    let matchedAny = false;
    // Existing enrollments of the spans: the same entry date first (for every span), then dates that
    // overlap (a retroactive start change), so an overlapping span never takes another span's own.
    const matched = new Map<PlanSpan, ExistingEnrollment>();
    const due = spans.filter((s) => s.start <= o.exportDay);
    for (const pass of ['exact', 'overlap'] as const) {
      for (const span of due) {
        if (matched.has(span)) continue;
        const e = pool.find(
          (x) =>
            !done.has(x.enrollmentId) &&
            (pass === 'exact'
              ? x.entryDate === span.start
              : overlaps(x.entryDate, ex.exits.get(x.enrollmentId)?.ExitDate, span)),
        );
        if (e === undefined) continue;
        matched.set(span, e);
        done.add(e.enrollmentId);
      }
    }
    for (const span of spans) {
      if (span.start > o.exportDay) {
        warn(span, p.personalId, span.field, 'DATE_AFTER_EXPORT');
        // Its episodes wait with it (no second warning).
        for (const ep of episodes) if (holds(span, ep.start)) placed.add(ep);
        continue;
      }
      const existing = matched.get(span);
      const enrollmentId =
        existing?.enrollmentId ?? stableId('enrollment', o.projectId, p.personalId, span.start);
      matchedAny = true;
      out.livePersons.add(p.personalId);
      const link = { EnrollmentID: enrollmentId, PersonalID: p.personalId };

      if (existing !== undefined) enrollmentRow(existing, span.start);
      else
        changed(
          out.enrollments,
          undefined,
          {
            ...link,
            ProjectID: o.projectId,
            EntryDate: span.start,
            HouseholdID: stableId('household', o.projectId, p.personalId, span.start),
            RelationshipToHoH: 1,
            EnrollmentCoC: o.cocCode,
            LivingSituation: o.livingSituation,
            LengthOfStay: o.lengthOfStay,
            DisablingCondition: o.disablingCondition,
          },
          'enrollments',
        );

      // Exit: the span's end once it is not after the export day.
      let end = span.end;
      if (end !== undefined && end > o.exportDay) {
        warn(span, p.personalId, span.endField, 'DATE_AFTER_EXPORT');
        end = undefined;
      }
      const prevExit = ex.exits.get(enrollmentId);
      if (end !== undefined) {
        if (prevExit?.ExitDate === end) carry(out.exits, prevExit);
        else
          changed(
            out.exits,
            prevExit,
            {
              ExitID: prevExit?.ExitID || stableId('exit', enrollmentId),
              ...link,
              ExitDate: end,
              // A corrected exit keeps the destination the CoC recorded, unless it needs a detail we do not write.
              Destination: keptDestination(prevExit?.Destination) ?? o.destination,
            },
            'exits',
          );
      } else if (prevExit !== undefined) {
        warn(span, p.personalId, span.endField, 'EXIT_NOT_IN_RETURN');
        // The history is the whole story: the span is open, so the exit goes. A return row alone
        // may show an older span's state, so the CoC's exit stays.
        if (plan.fromHistory) tombstone(out.exits, prevExit);
        else carry(out.exits, prevExit);
      }

      // Enrollment answers.
      const row = p.row;
      const confirmed = span.end !== undefined && span.end < o.asOf ? span.end : o.asOf;
      const values: Record<(typeof QUESTIONS)[number], string | undefined> = {
        MCP: row === undefined ? undefined : hmisText(row.mcp),
        CoverageType: span.coverageType,
        MemberID: span.memberId,
        CIN: row !== undefined && row.memberId === span.memberId ? row.cin : undefined,
        // Dates compare as text: the later of the two.
        [CONFIRMED_QUESTION]: [confirmed, span.start].sort()[1],
      };
      const prevAnswers = ex.answers.get(enrollmentId);
      QUESTIONS.forEach((question, i) => {
        const prev = prevAnswers?.get(question);
        const answer = values[question];
        if (answer === undefined || prev?.CustomAnswer === answer) {
          if (prev !== undefined) carry(out.answers, prev);
          return;
        }
        changed(
          out.answers,
          prev,
          {
            CustomQuestionID: prev?.CustomQuestionID || stableId('answer', enrollmentId, question),
            ...link,
            CustomQuestionGroup: ENROLLMENT_GROUP,
            CustomQuestionOrder: i + 1,
            CustomQuestion: question,
            CustomAnswer: answer,
          },
          'answers',
        );
      });
      for (const [q, prev] of prevAnswers ?? [])
        if (!(QUESTIONS as readonly string[]).includes(q)) carry(out.answers, prev);

      // Services: the episodes this span holds (from a return row alone: every episode it shows).
      const prevServices = [...(ex.services.get(enrollmentId) ?? [])];
      const used = new Set<ExistingRow>();
      for (const ep of episodes) {
        if (placed.has(ep)) continue;
        if (plan.fromHistory && !holds(span, ep.start)) continue;
        placed.add(ep);
        if (ep.start > o.exportDay) {
          warn(ep, p.personalId, ep.field, 'DATE_AFTER_EXPORT');
          continue;
        }
        let epEnd = ep.end;
        if (epEnd !== undefined && epEnd > o.exportDay) {
          warn(ep, p.personalId, ep.endField, 'DATE_AFTER_EXPORT');
          epEnd = undefined;
        }
        const provider = hmisText(ep.provider);
        const detail = `${ep.start}/${epEnd ?? OPEN_END}`;
        const prev = prevServices.find(
          (s) =>
            !used.has(s) &&
            s.CustomQuestion === ep.program &&
            s.CustomDetailAnswer?.split('/')[0] === ep.start,
        );
        if (prev !== undefined) used.add(prev);
        if (
          prev !== undefined &&
          prev.CustomDetailAnswer === detail &&
          (prev.CustomAnswer ?? '') === (provider ?? '')
        ) {
          carry(out.services, prev);
          continue;
        }
        const csAt = plan.services.indexOf(ep.program);
        changed(
          out.services,
          prev,
          {
            CustomQuestionID:
              prev?.CustomQuestionID || stableId('service', enrollmentId, ep.program, ep.start),
            ...link,
            CustomQuestionGroup: ep.program === 'ECM' ? SERVICE_GROUPS.ecm : SERVICE_GROUPS.cs,
            CustomQuestionOrder: ep.program === 'ECM' ? 1 : csAt + 2,
            CustomQuestion: ep.program,
            CustomAnswer: provider,
            CustomDetailAnswer: detail,
          },
          'services',
        );
      }
      for (const s of prevServices) {
        if (used.has(s)) continue;
        // From the history, an episode the plan no longer reports was corrected away.
        if (plan.fromHistory) tombstone(out.services, s);
        else carry(out.services, s);
      }
    }
    if (plan.fromHistory)
      for (const ep of episodes) if (!placed.has(ep)) warn(ep, p.personalId, ep.field, 'SERVICE_NOT_IN_SPAN');

    // Enrollments of the client that no span of this run supports.
    for (const e of pool) {
      if (done.has(e.enrollmentId)) continue;
      done.add(e.enrollmentId);
      if (ex.exits.has(e.enrollmentId)) carryAll(e);
      else if (plan.fromHistory || !matchedAny) autoExit(e);
      else {
        warn({ file: existingFile, line: e.line }, e.personalId, 'EnrollmentID', 'OTHER_OPEN_ENROLLMENT');
        carryAll(e);
      }
    }
  }

  // ── Clients the plan no longer returns (left the plan, link removed) ───────────────────────────
  for (const e of ex.enrollments) {
    if (done.has(e.enrollmentId)) continue;
    done.add(e.enrollmentId);
    if (ex.exits.has(e.enrollmentId)) carryAll(e);
    else autoExit(e);
  }
  return out;
}

function overlaps(entry: string, exit: string | undefined, span: PlanSpan): boolean {
  return entry <= (span.end ?? '\uffff') && span.start <= (exit || '\uffff');
}

function holds(span: PlanSpan, day: string): boolean {
  return span.start <= day && (span.end === undefined || day <= span.end);
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
