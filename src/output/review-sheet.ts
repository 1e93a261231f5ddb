/**
 * One half of a review packet: for the pairs a person must review (Status `review`), the clear text
 * one party holds about its own record of each pair. Each party writes its half from its own list;
 * nobody but a reviewer authorised for both ever sees the two halves together (the review page joins
 * them in a browser). The half holds the minimum a reviewer needs to tell whether two records are one
 * person (docs/privacy.md, "Review packet"): names, date of birth, sex, the last four digits of the
 * SSN and the HUD data-quality codes, plus the CoC's own note of the plan member ID when it has one.
 */

import type { ListInput } from '../read/input.js';
import { readClients, readMembers } from '../read/reader.js';
import type { ClientRecord, MemberRecord, PersonFields } from '../records.js';
import { CSV_EOL, type CsvValue, formatCsvRow } from '../util/csv-write.js';
import { FileCounter, type FileCounts, fromRowIssue, type OutputIssue, reportableId } from './issues.js';
import { readLinks } from './links.js';

/**
 * Which party writes a half: `coc` from its client list, `mcp` (the plan) from its member list.
 *
 * @example
 * ```ts
 * const side: ReviewSide = 'coc';
 * ```
 */
export type ReviewSide = 'coc' | 'mcp';

const PERSON_COLUMNS = [
  'FirstName',
  'MiddleName',
  'LastName',
  'NameSuffix',
  'DOB',
  'Sex',
  'SSNLast4',
  'NameDataQuality',
  'DOBDataQuality',
  'SSNDataQuality',
] as const;

/**
 * The columns of each half, in order. `Side` says whose half a file is, so the review page refuses
 * two halves of one side; `PersonalID,MemberID` is the pair, as in the review file both parties hold.
 *
 * @example
 * ```ts
 * REVIEW_SHEET_COLUMNS.coc.at(-1); // 'MCPMemberID'
 * ```
 */
export const REVIEW_SHEET_COLUMNS: Readonly<Record<ReviewSide, readonly string[]>> = Object.freeze({
  coc: Object.freeze([
    'Side',
    'PersonalID',
    'MemberID',
    'MatchProbability',
    ...PERSON_COLUMNS,
    'MCPMemberID',
  ]),
  mcp: Object.freeze(['Side', 'PersonalID', 'MemberID', 'MatchProbability', ...PERSON_COLUMNS]),
});

/**
 * Inputs of {@link buildReviewSheet}.
 *
 * @example
 * ```ts
 * const input: ReviewSheetInput = { links: reviewBytes, list: clientBytes, side: 'coc' };
 * ```
 */
export interface ReviewSheetInput {
  /** The review file written by `match --review` (or a links file: only its `review` rows are used). */
  readonly links: Uint8Array;
  /** The party's own list: the CoC client list (side `coc`) or the plan member list (side `mcp`). */
  readonly list: ListInput;
  readonly side: ReviewSide;
  /** File names for issues (default `review.csv` and `Client.csv` / `members.csv`). */
  readonly linksLabel?: string;
  readonly listLabel?: string;
  /** Reference date for the list reader's future-date checks (`YYYY-MM-DD`, default today). */
  readonly today?: string;
}

/**
 * A half: its CSV lines and what happened to every row read.
 *
 * @example
 * ```ts
 * const { lines, pairs } = await buildReviewSheet(input);
 * ```
 */
export interface ReviewSheet {
  /** CRLF-terminated CSV lines, header first, one per review pair found in the list, in file order. */
  readonly lines: readonly string[];
  /** Review pairs written. */
  readonly pairs: number;
  /** Valid rows of the links file with Status `match`, left out (nothing to review). */
  readonly matchesSkipped: number;
  /** Review pairs whose record is not among the list's accepted rows (each also an issue). */
  readonly notFound: number;
  /** Counts of the links file: `used` = pairs written + matches skipped. */
  readonly linksCounts: FileCounts;
  /** Counts of the party's list. */
  readonly listCounts: FileCounts;
  /** Issues of both files (file, line, field, code; never a value). */
  readonly issues: readonly OutputIssue[];
}

/**
 * Builds one party's half of the review packet.
 *
 * @throws BloomlinkError for an unreadable file or a missing column
 * @example
 * ```ts
 * const sheet = await buildReviewSheet({ links: reviewBytes, list: clientBytes, side: 'coc' });
 * sheet.lines.join(''); // the half, a CSV file
 * ```
 */
export async function buildReviewSheet(input: ReviewSheetInput): Promise<ReviewSheet> {
  const side = input.side;
  if (side !== 'coc' && side !== 'mcp') throw new TypeError("input.side must be 'coc' or 'mcp'");
  const linksLabel = input.linksLabel ?? 'review.csv';
  const listLabel = input.listLabel ?? (side === 'coc' ? 'Client.csv' : 'members.csv');
  const read = await readLinks(input.links, { label: linksLabel, includeReview: true });
  const issues: OutputIssue[] = [...read.issues];
  const review = read.links.filter((l) => l.status === 'review');
  const matchesSkipped = read.links.length - review.length;
  const wanted = new Set(review.map((l) => (side === 'coc' ? l.personalId : l.memberId)));

  const listCounter = new FileCounter();
  const found = new Map<string, ClientRecord | MemberRecord>();
  const opts = { label: listLabel, ...(input.today ? { today: input.today } : {}) };
  const reader = side === 'coc' ? await readClients(input.list, opts) : await readMembers(input.list, opts);
  for await (const r of reader.results()) {
    const out = r.issues.map((i) => fromRowIssue(i, listLabel, r.record ? i.severity : 'error'));
    listCounter.row(r.record !== undefined, out);
    issues.push(...out);
    const rec = r.record as ClientRecord | MemberRecord | undefined;
    if (rec === undefined) continue;
    const id = 'personalId' in rec ? rec.personalId : rec.memberId;
    if (!wanted.has(id)) continue;
    const before = found.get(id);
    // A member listed once per coverage span is one person: its identity is its most recent span's.
    if (before === undefined || !('memberId' in rec) || newerSpan(rec, before as MemberRecord))
      found.set(id, rec);
  }

  const lines = [formatCsvRow(REVIEW_SHEET_COLUMNS[side]) + CSV_EOL];
  let notFound = 0;
  for (const link of review) {
    const id = side === 'coc' ? link.personalId : link.memberId;
    const rec = found.get(id);
    if (rec === undefined) {
      notFound++;
      issues.push({
        file: linksLabel,
        line: link.line,
        // The link's own ID is its PersonalID, named unless it is the field at issue.
        ...(side === 'mcp' && reportableId(link.personalId) && { id: link.personalId }),
        field: side === 'coc' ? 'PersonalID' : 'MemberID',
        code: side === 'coc' ? 'LINK_CLIENT_UNKNOWN' : 'LINK_MEMBER_UNKNOWN',
        severity: 'error',
      });
      continue;
    }
    const row: CsvValue[] = [
      side,
      link.personalId,
      link.memberId,
      link.matchProbability,
      ...personCells(rec),
    ];
    if (side === 'coc') row.push((rec as ClientRecord).mcpMemberId);
    lines.push(formatCsvRow(row) + CSV_EOL);
  }
  issues.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file === linksLabel ? -1 : 1));
  const lc = read.counts;
  return {
    lines,
    pairs: review.length - notFound,
    matchesSkipped,
    notFound,
    linksCounts: { ...lc, used: lc.used - notFound, rejected: lc.rejected + notFound },
    listCounts: listCounter.snapshot(),
    issues,
  };
}

function newerSpan(a: MemberRecord, b: MemberRecord): boolean {
  return a.enrollmentStartDate >= b.enrollmentStartDate;
}

function personCells(p: PersonFields): CsvValue[] {
  return [
    p.firstName,
    p.middleName,
    p.lastName,
    p.nameSuffix,
    p.dob,
    p.sex,
    p.ssn === undefined ? undefined : p.ssn.slice(-4),
    p.nameDataQuality,
    p.dobDataQuality,
    p.ssnDataQuality,
  ];
}
