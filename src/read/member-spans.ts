/**
 * Coverage spans of a plan member list. A member may have several rows, one per coverage span
 * (Medi-Cal churn, a change from Medi-Cal to D-SNP); the rows of one MemberID are one person. This
 * module groups the accepted rows by MemberID and decides, once every row has been seen, which row
 * is the member's **most recent span** (the one whose identity columns are encoded) and which rows
 * deserve a warning:
 *
 * - the most recent span is the one with the latest `EnrollmentStartDate`; on a tie an open span
 *   beats an ended one, then the later `EnrollmentEndDate` wins, then the earlier line of the file;
 * - `SPAN_REPEATED`: a row that repeats an earlier row of the same member cell for cell;
 * - `SPAN_OVERLAP`: a span that starts on or before the end of an earlier-starting span of the
 *   same member (repeats excluded);
 * - `SPAN_IDENTITY_DIFFERS`: a row whose identity columns (names, DOB, SSN, CIN, Sex) differ from
 *   those of the member's most recent span.
 *
 * None of them rejects a row. Memory per accepted row is six 32-bit numbers plus the MemberID in an
 * {@link IdSet}: about 3·10⁶ rows fit in well under 200 MB. Nothing here keeps a value: the
 * fingerprints are 32-bit hashes compared within one member, held for the run only.
 */
import type { MemberRecord, RowIssue } from '../records.js';
import { fmix32, fnv1a } from '../util/fnv1a.js';
import { IdSet } from '../util/id-set.js';
import type { Fields } from './fields.js';

/** Sorts after every real day (`YYYYMMDD` as a number). */
const OPEN_DAY = 99_999_999;

/**
 * The part of the grouping that needs only each row's MemberID, line and dates: which accepted rows
 * are superseded spans (not encoded) and which rows belong to a member with several rows (only those
 * can get a warning, so only their fingerprints are needed: see {@link MemberSpans.setFingerprints}).
 *
 * @example
 * ```ts
 * const decision = spans.decide();
 * if (!decision.superseded(record.line)) encodeIt(record);
 * if (decision.grouped(record.line)) spans.setFingerprints(record.line, identityFp, rowFp);
 * ```
 */
export interface SpanDecision {
  /** Accepted rows (spans). */
  readonly spans: number;
  /** Distinct members among them (one encoded record each). */
  readonly members: number;
  /** Whether the accepted row at `line` is not its member's most recent span. */
  superseded(line: number): boolean;
  /** Whether the accepted row at `line` belongs to a member with two or more accepted rows. */
  grouped(line: number): boolean;
  /** The same as a bit set: bit `line & 7` of byte `line >>> 3` (for handing to other threads). */
  readonly groupedLines: Uint8Array;
  /** {@link SpanDecision.superseded} as a bit set, laid out as `groupedLines`. */
  readonly supersededLines: Uint8Array;
}

/**
 * What the grouping decided, once every row was seen: which accepted rows are superseded spans (not
 * encoded), the warnings, and the counts.
 *
 * @example
 * ```ts
 * const plan = spans.finish();
 * if (!plan.superseded(record.line)) encodeIt(record);
 * plan.members; // distinct MemberIDs among the accepted rows
 * ```
 */
export interface SpanPlan {
  /** Accepted rows (spans). */
  readonly spans: number;
  /** Distinct members among them (one encoded record each). */
  readonly members: number;
  /** Warnings of the grouping, in line order (severity `warning`: the rows stay accepted). */
  readonly issues: readonly RowIssue[];
  /** Whether the accepted row at `line` is not its member's most recent span. */
  superseded(line: number): boolean;
}

/** A growable Int32Array. */
class IntColumn {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Collects accepted member rows (in any order, each once) and groups them by MemberID.
 *
 * @example
 * ```ts
 * const spans = new MemberSpans();
 * for (const { record, fields } of acceptedRows) spans.add(record, rowFingerprint(fields));
 * const plan = spans.finish();
 * ```
 */
export class MemberSpans {
  #ids = new IdSet();
  /** MemberID of each member index (the same strings the IdSet holds), for the warnings. */
  #memberIds: string[] = [];
  readonly #member = new IntColumn();
  readonly #start = new IntColumn();
  readonly #end = new IntColumn();
  readonly #line = new IntColumn();
  readonly #identity = new IntColumn();
  readonly #row = new IntColumn();
  #maxLine = 0;
  /** Set by `decide`: rows by member, each grouped member's most recent row, grouped rows by line. */
  #groups:
    | {
        readonly offset: Int32Array;
        readonly order: Int32Array;
        readonly best: Int32Array;
        readonly rowAt: Map<number, number>;
        /** MemberID of each grouped member (for the warnings). */
        readonly ids: Map<number, string>;
      }
    | undefined;

  /** Adds one accepted row: the record and the fingerprint of its cells ({@link rowFingerprint}). */
  add(record: MemberRecord, rowFp: number): void {
    this.addSpan(
      record.memberId,
      record.line,
      record.enrollmentStartDate,
      record.enrollmentEndDate,
      identityFingerprint(record),
      rowFp,
    );
  }

  /**
   * Adds one accepted row from its parts: ISO dates, the end `undefined` while open, and the two
   * fingerprints.
   */
  addSpan(
    memberId: string,
    line: number,
    start: string,
    end: string | undefined,
    identityFp: number,
    rowFp: number,
  ): void {
    this.addDays(memberId, line, spanDay(start), spanDay(end), identityFp, rowFp);
  }

  /**
   * Adds one accepted row as a worker thread reports it: its dates as {@link spanDay} numbers, and
   * its fingerprints if known (else 0: give them later with {@link MemberSpans.setFingerprints}, for
   * the rows {@link MemberSpans.decide} says are grouped).
   */
  addDays(memberId: string, line: number, startDay: number, endDay: number, identityFp = 0, rowFp = 0): void {
    if (this.#groups !== undefined) throw new TypeError('MemberSpans: every row is added before decide()');
    let m = this.#ids.indexOf(memberId);
    if (m < 0) {
      m = this.#ids.addChecked(memberId);
      this.#memberIds[m] = memberId;
    }
    this.#member.push(m);
    this.#start.push(startDay);
    this.#end.push(endDay);
    this.#line.push(line);
    this.#identity.push(identityFp);
    this.#row.push(rowFp);
    if (line > this.#maxLine) this.#maxLine = line;
  }

  /**
   * Decides every member's most recent span. Call once, after the last row; the warnings follow
   * from {@link MemberSpans.warnings} once the grouped rows' fingerprints are in.
   */
  decide(): SpanDecision {
    const n = this.#member.length;
    const members = this.#ids.size;
    const member = this.#member.data;
    // Rows grouped by member (counting sort, stable in file order of addition).
    const offset = new Int32Array(members + 1);
    // Indices below come from these loops and are always in range: the `?? 0` are never taken.
    for (let r = 0; r < n; r++) {
      const m = (member[r] ?? 0) + 1;
      offset[m] = (offset[m] ?? 0) + 1;
    }
    for (let m = 0; m < members; m++) offset[m + 1] = (offset[m + 1] ?? 0) + (offset[m] ?? 0);
    const order = new Int32Array(n);
    const fill = offset.slice(0, members);
    for (let r = 0; r < n; r++) {
      const m = member[r] ?? 0;
      const at = fill[m] ?? 0;
      order[at] = r;
      fill[m] = at + 1;
    }

    const bits = (this.#maxLine >>> 3) + 1;
    const superseded = new Uint8Array(bits);
    const grouped = new Uint8Array(bits);
    const best = new Int32Array(members).fill(-1);
    const rowAt = new Map<number, number>();
    const ids = new Map<number, string>();
    const line = this.#line.data;
    for (let m = 0; m < members; m++) {
      const from = offset[m] ?? 0;
      const to = offset[m + 1] ?? 0;
      if (to - from < 2) continue;
      const rows = order.subarray(from, to);
      const b = this.#mostRecent(rows);
      best[m] = b;
      ids.set(m, this.#memberIds[m] ?? '');
      for (const r of rows) {
        const l = line[r] ?? 0;
        grouped[l >>> 3] = (grouped[l >>> 3] ?? 0) | (1 << (l & 7));
        rowAt.set(l, r);
        if (r !== b) superseded[l >>> 3] = (superseded[l >>> 3] ?? 0) | (1 << (l & 7));
      }
    }
    this.#groups = { offset, order, best, rowAt, ids };
    // Only grouped members' IDs are needed from here on: the others (nearly all, on a list of
    // millions) are let go, so the heap a second pass collects garbage in is that much smaller.
    this.#ids = new IdSet();
    this.#memberIds = [];
    const maxLine = this.#maxLine;
    const has = (set: Uint8Array, l: number): boolean =>
      l >= 0 && l <= maxLine && ((set[l >>> 3] ?? 0) & (1 << (l & 7))) !== 0;
    return {
      spans: n,
      members,
      superseded: (l) => has(superseded, l),
      grouped: (l) => has(grouped, l),
      groupedLines: grouped,
      supersededLines: superseded,
    };
  }

  /**
   * Gives the fingerprints of the grouped row at `line` (see {@link MemberSpans.addDays}); after
   * {@link MemberSpans.decide}. Rows that are not grouped are ignored.
   */
  setFingerprints(line: number, identityFp: number, rowFp: number): void {
    const r = this.#groups?.rowAt.get(line);
    if (r === undefined) return;
    this.#identity.data[r] = identityFp;
    this.#row.data[r] = rowFp;
  }

  /** The warnings of the grouping, in line order; after {@link MemberSpans.decide} and the fingerprints. */
  warnings(): RowIssue[] {
    const groups = this.#groups;
    if (groups === undefined) throw new TypeError('MemberSpans.warnings: call decide() first');
    const { offset, order, best, ids } = groups;
    const identity = this.#identity.data;
    const line = this.#line.data;
    const issues: RowIssue[] = [];
    for (let m = 0; m < best.length; m++) {
      const b = best[m] ?? -1;
      if (b < 0) continue;
      const rows = Array.from(order.subarray(offset[m] ?? 0, offset[m + 1] ?? 0));
      const id = ids.get(m);
      for (const r of rows)
        if (r !== b && identity[r] !== identity[b])
          issues.push(warning(line[r] ?? 0, '*', 'SPAN_IDENTITY_DIFFERS', id));
      this.#repeatsAndOverlaps(rows, issues, id);
    }
    issues.sort((a, c) => a.line - c.line || (CODE_ORDER[a.code] ?? 0) - (CODE_ORDER[c.code] ?? 0));
    return issues;
  }

  /** Decides every member's most recent span and the warnings. Call once, after the last row. */
  finish(): SpanPlan {
    const d = this.decide();
    return { spans: d.spans, members: d.members, issues: this.warnings(), superseded: d.superseded };
  }

  #mostRecent(rows: Int32Array): number {
    const start = this.#start.data;
    const end = this.#end.data;
    const line = this.#line.data;
    let best = rows[0] ?? 0;
    for (const r of rows) {
      const sr = start[r] ?? 0;
      const sb = start[best] ?? 0;
      const er = end[r] ?? 0;
      const eb = end[best] ?? 0;
      if (sr > sb || (sr === sb && (er > eb || (er === eb && (line[r] ?? 0) < (line[best] ?? 0))))) best = r;
    }
    return best;
  }

  #repeatsAndOverlaps(rows: readonly number[], issues: RowIssue[], id: string | undefined): void {
    const line = this.#line.data;
    const rowFp = this.#row.data;
    const start = this.#start.data;
    const end = this.#end.data;
    const lineOf = (r: number): number => line[r] ?? 0;
    const startOf = (r: number): number => start[r] ?? 0;
    const byLine = [...rows].sort((a, b) => lineOf(a) - lineOf(b));
    const distinct: number[] = [];
    const seen = new Set<number>();
    for (const r of byLine) {
      const fp = rowFp[r] ?? 0;
      if (seen.has(fp)) issues.push(warning(lineOf(r), '*', 'SPAN_REPEATED', id));
      else {
        seen.add(fp);
        distinct.push(r);
      }
    }
    distinct.sort((a, b) => startOf(a) - startOf(b) || lineOf(a) - lineOf(b));
    let reach = -1;
    for (const r of distinct) {
      if (startOf(r) <= reach) issues.push(warning(lineOf(r), 'EnrollmentStartDate', 'SPAN_OVERLAP', id));
      reach = Math.max(reach, end[r] ?? 0);
    }
  }
}

const CODE_ORDER: Readonly<Record<string, number>> = {
  SPAN_REPEATED: 0,
  SPAN_OVERLAP: 1,
  SPAN_IDENTITY_DIFFERS: 2,
};

function warning(line: number, field: string, code: RowIssue['code'], id: string | undefined): RowIssue {
  return { line, field, code, severity: 'warning', ...(id === undefined ? {} : { id }) };
}

/**
 * A coverage date as {@link MemberSpans.addDays} takes it: an ISO date (`YYYY-MM-DD`, as validated)
 * as the number `YYYYMMDD`, and an open end (`undefined`) as a number after every real day.
 *
 * @example
 * ```ts
 * spanDay('2024-03-01'); // 20240301
 * spanDay(undefined) > spanDay('9999-12-31'); // true
 * ```
 */
export function spanDay(iso: string | undefined): number {
  if (iso === undefined) return OPEN_DAY;
  return Number(iso.slice(0, 4)) * 10_000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
}

/** FNV-1a over the UTF-16 code units, finished with MurmurHash3's mixer. */
function hashText(text: string): number {
  return fmix32(fnv1a(text));
}

/**
 * A 32-bit fingerprint of a member row's identity columns as validated (names, DOB, SSN, CIN,
 * Sex; case ignored): equal for rows of one person entered alike.
 *
 * @example
 * ```ts
 * identityFingerprint(spanA) === identityFingerprint(spanB); // same names, DOB, SSN, CIN, sex
 * ```
 */
export function identityFingerprint(m: MemberRecord): number {
  const parts = [m.firstName, m.middleName, m.lastName, m.nameSuffix, m.dob, m.ssn, m.cin, m.sex];
  return hashText(parts.map((p) => (p ?? '').toLowerCase()).join('\u0000'));
}

/**
 * A 32-bit fingerprint of a row's cells as read (trimmed): equal for rows that repeat each other.
 *
 * @example
 * ```ts
 * rowFingerprint(['M1', 'Ana', '2024-01-01']) === rowFingerprint(['M1', 'Ana ', '2024-01-01']); // true
 * ```
 */
export function rowFingerprint(fields: Fields): number {
  let text = '';
  let last = fields.length - 1;
  while (last >= 0 && (fields[last] ?? '').trim() === '') last--;
  for (let i = 0; i <= last; i++) text += `${(fields[i] ?? '').trim()}\u0000`;
  return hashText(text);
}
