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
 * None of them rejects a row. Memory per accepted row is seven 32-bit numbers (hash, start, end,
 * line, identity, row, the end of its ID) plus the MemberID's UTF-16 code units in one typed array (no string per row: a worker hands them over packed, see
 * {@link MemberSpans.addPacked}); rows are grouped by MemberID only in {@link MemberSpans.decide},
 * by a radix sort on a seeded hash of each ID, so adding a row touches no table: about 3·10⁶ rows
 * fit in about 160 MB. Nothing here keeps a value: the fingerprints are 32-bit hashes compared
 * within one member, held for the run only.
 */
import type { MemberRecord, RowIssue } from '../records.js';
import { grown } from '../util/bytes.js';
import { FNV_BASIS, fmix32, fnv1a, fnv1aStep } from '../util/fnv1a.js';
import { stableReorder } from '../util/id-order.js';
import type { Fields } from './fields.js';

/**
 * An open span's end as a day number ({@link spanDay} of `undefined`): sorts after every real day
 * (`YYYYMMDD` as a number).
 *
 * @example
 * ```ts
 * spanDay(undefined) === OPEN_SPAN_DAY; // true
 * ```
 */
export const OPEN_SPAN_DAY = 99_999_999;

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
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = v;
  }
  /** Appends `values` (as 32-bit integers). */
  append(values: Int32Array | Uint32Array): void {
    this.reserve(this.length + values.length);
    this.data.set(values, this.length);
    this.length += values.length;
  }
  /** Room for `n` values in all (at least twice the room so far: appends stay amortised). */
  reserve(n: number): void {
    this.data = grown(this.data, n);
  }
}

/** The UTF-16 code units of every row's MemberID, end to end, and where each row's ends. */
class IdCodes {
  codes = new Uint16Array(16_384);
  length = 0;
  readonly ends = new IntColumn();
  /** Room for `n` more code units (at least twice the room so far). */
  room(n: number): void {
    this.codes = grown(this.codes, this.length + n);
  }
  /** Row `r`'s ID as a string. */
  text(r: number): string {
    const to = this.ends.data[r] ?? 0;
    let from = r === 0 ? 0 : (this.ends.data[r - 1] ?? 0);
    let out = '';
    // In slices: `fromCharCode.apply` takes one argument per code unit.
    for (; from < to; from += 4096)
      out += String.fromCharCode.apply(
        null,
        Array.from(this.codes.subarray(from, Math.min(to, from + 4096))),
      );
    return out;
  }
  /** Rows `a` and `b`'s IDs compared code unit by code unit (a shorter prefix first). */
  compare(a: number, b: number): number {
    const ends = this.ends.data;
    const a0 = a === 0 ? 0 : (ends[a - 1] ?? 0);
    const b0 = b === 0 ? 0 : (ends[b - 1] ?? 0);
    const la = (ends[a] ?? 0) - a0;
    const lb = (ends[b] ?? 0) - b0;
    const codes = this.codes;
    for (let k = 0, n = Math.min(la, lb); k < n; k++) {
      const d = (codes[a0 + k] ?? 0) - (codes[b0 + k] ?? 0);
      if (d !== 0) return d;
    }
    return la - lb;
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
  /** Every row's MemberID, and a seeded hash of it (grouping is by hash, then by the code units). */
  #ids = new IdCodes();
  readonly #hash = new IntColumn();
  readonly #seed: number;
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

  /** `seed` of the ID hash (default random: a file crafted to collide cannot aim at it); for tests. */
  constructor(opts: { readonly seed?: number } = {}) {
    this.#seed = opts.seed ?? (Math.random() * 0x100000000) | 0;
  }

  /**
   * Makes room for `rows` accepted rows whose MemberIDs have `idCodeUnits` UTF-16 code units in all
   * (estimates are fine: more still fit), so a list of millions is not copied at every doubling.
   */
  reserve(rows: number, idCodeUnits = 0): void {
    for (const c of [
      this.#hash,
      this.#start,
      this.#end,
      this.#line,
      this.#identity,
      this.#row,
      this.#ids.ends,
    ])
      c.reserve(rows);
    this.#ids.room(idCodeUnits);
  }

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
    this.#open();
    const ids = this.#ids;
    const n = memberId.length;
    ids.room(n);
    const codes = ids.codes;
    for (let k = 0, at = ids.length; k < n; k++) codes[at + k] = memberId.charCodeAt(k);
    ids.length += n;
    this.#row1(ids.length, spanIdHash(memberId, this.#seed), line, startDay, endDay, identityFp, rowFp);
  }

  /** The seed of {@link spanIdHash} that {@link MemberSpans.addPacked}'s hashes must be computed with. */
  get seed(): number {
    return this.#seed;
  }

  /**
   * Adds a worker's accepted rows at once (as {@link MemberSpans.addDays} without fingerprints):
   * their MemberIDs as UTF-16 code units end to end, row i's ending at `idEnds[i]`, and each one's
   * `spanIdHash(id, this.seed)`, so no string is made, sent or kept per row and this thread only
   * copies arrays.
   * @example
   * ```ts
   * const ids = ['M1', 'M22'];
   * spans.addPacked(Uint16Array.from(ids.join(''), (c) => c.charCodeAt(0)), Uint32Array.of(2, 5),
   *   Int32Array.from(ids, (id) => spanIdHash(id, spans.seed)), Uint32Array.of(2, 3),
   *   Int32Array.of(20240101, 20230101), Int32Array.of(spanDay(undefined), 20231231));
   * ```
   */
  addPacked(
    idCodes: Uint16Array,
    idEnds: Uint32Array,
    idHashes: Int32Array,
    lines: Uint32Array,
    startDays: Int32Array,
    endDays: Int32Array,
  ): void {
    this.#open();
    const n = idEnds.length;
    const ids = this.#ids;
    const total = n === 0 ? 0 : (idEnds[n - 1] ?? 0);
    ids.room(total);
    const base = ids.length;
    ids.codes.set(idCodes.subarray(0, total), base);
    ids.length += total;
    const ends = ids.ends;
    ends.reserve(ends.length + n);
    for (let i = 0, e = ends.length; i < n; i++) ends.data[e + i] = base + (idEnds[i] ?? 0);
    ends.length += n;
    this.#hash.append(idHashes);
    this.#line.append(lines);
    this.#start.append(startDays);
    this.#end.append(endDays);
    // No fingerprints yet: zeros (setFingerprints fills the grouped rows').
    this.#identity.reserve(this.#identity.length + n);
    this.#identity.length += n;
    this.#row.reserve(this.#row.length + n);
    this.#row.length += n;
    for (let i = 0; i < n; i++) if ((lines[i] ?? 0) > this.#maxLine) this.#maxLine = lines[i] ?? 0;
  }

  #open(): void {
    if (this.#groups !== undefined) throw new TypeError('MemberSpans: every row is added before decide()');
  }

  /** The rest of a row whose ID was appended to `#ids`, ending at `idEnd`. */
  #row1(
    idEnd: number,
    hash: number,
    line: number,
    startDay: number,
    endDay: number,
    identityFp: number,
    rowFp: number,
  ): void {
    this.#ids.ends.push(idEnd);
    this.#hash.push(hash);
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
    this.#open();
    const n = this.#line.length;
    const ids = this.#ids;
    // Rows by hash (a stable radix sort: file order of addition within one hash), then each run of
    // equal hashes by ID: one run of equal IDs is one member, its rows in order of addition. Equal
    // hashes of different IDs (rare, or a crafted file) cost a sort of that run, never a quadratic scan.
    const hash = new Uint32Array(this.#hash.data.buffer, 0, n);
    const identityOrder = new Uint32Array(n);
    for (let r = 0; r < n; r++) identityOrder[r] = r;
    const byHash = stableReorder(hash, identityOrder, new Uint32Array(n));
    const order = new Int32Array(byHash.buffer, byHash.byteOffset, n);
    // offset[m] … offset[m + 1]: member m's rows in `order` (members numbered in hash order).
    const offsets = new Int32Array(n + 1);
    let members = 0;
    for (let s = 0; s < n; ) {
      const h = hash[byHash[s] ?? 0];
      let e = s + 1;
      while (e < n && hash[byHash[e] ?? 0] === h) e++;
      let same = true;
      for (let k = s + 1; k < e && same; k++) same = ids.compare(byHash[s] ?? 0, byHash[k] ?? 0) === 0;
      if (!same) {
        byHash.subarray(s, e).sort((a, b) => ids.compare(a, b) || a - b);
        for (let k = s + 1; k < e; k++)
          if (ids.compare(byHash[k - 1] ?? 0, byHash[k] ?? 0) !== 0) offsets[++members] = k;
      }
      offsets[++members] = e;
      s = e;
    }
    const offset = offsets.subarray(0, members + 1);

    const bits = (this.#maxLine >>> 3) + 1;
    const superseded = new Uint8Array(bits);
    const grouped = new Uint8Array(bits);
    const best = new Int32Array(members).fill(-1);
    const rowAt = new Map<number, number>();
    const groupIds = new Map<number, string>();
    const line = this.#line.data;
    for (let m = 0; m < members; m++) {
      const from = offset[m] ?? 0;
      const to = offset[m + 1] ?? 0;
      if (to - from < 2) continue;
      const rows = order.subarray(from, to);
      const b = this.#mostRecent(rows);
      best[m] = b;
      groupIds.set(m, ids.text(b));
      for (const r of rows) {
        const l = line[r] ?? 0;
        grouped[l >>> 3] = (grouped[l >>> 3] ?? 0) | (1 << (l & 7));
        rowAt.set(l, r);
        if (r !== b) superseded[l >>> 3] = (superseded[l >>> 3] ?? 0) | (1 << (l & 7));
      }
    }
    this.#groups = { offset, order, best, rowAt, ids: groupIds };
    // Only grouped members' IDs are needed from here on (as strings, above): every row's code
    // units are let go.
    this.#ids = new IdCodes();
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
  if (iso === undefined) return OPEN_SPAN_DAY;
  // A validated date is `YYYY-MM-DD`: its digits read in place (three slices and number parses a
  // date showed in the first pass's profile); anything else as before.
  if (iso.length === 10 && iso.charCodeAt(4) === 45 && iso.charCodeAt(7) === 45) {
    let day = 0;
    for (let i = 0; i < 10; i++) {
      if (i === 4 || i === 7) continue;
      const d = iso.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return spanDaySliced(iso);
      day = day * 10 + d;
    }
    return day;
  }
  return spanDaySliced(iso);
}

function spanDaySliced(iso: string): number {
  return Number(iso.slice(0, 4)) * 10_000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
}

/**
 * The seeded hash {@link MemberSpans} groups rows by before comparing their MemberIDs: FNV-1a over
 * the UTF-16 code units, seeded, finished with MurmurHash3's mixer.
 *
 * @example
 * ```ts
 * spanIdHash('M1', spans.seed); // what a worker sends with M1's row (MemberSpans.addPacked)
 * ```
 */
export function spanIdHash(id: string, seed: number): number {
  return fmix32(fnv1a(id, FNV_BASIS ^ seed));
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
  // The fields lower-cased and joined by U+0000, written out: an array, a closure call per field
  // and a join cost this once-a-row function more than the hash (docs/scaling.md, small jobs nine).
  const text = `${lower(m.firstName)}\u0000${lower(m.middleName)}\u0000${lower(m.lastName)}\u0000${lower(
    m.nameSuffix,
  )}\u0000${lower(m.dob)}\u0000${lower(m.ssn)}\u0000${lower(m.cin)}\u0000${lower(m.sex)}`;
  return hashText(text);
}

function lower(s: string | undefined): string {
  return (s ?? '').toLowerCase();
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
  let last = fields.length - 1;
  while (last >= 0 && (fields[last] ?? '').trim() === '') last--;
  // hashText of the trimmed cells each followed by U+0000, hashed as they come: the same bits
  // without building the row's text (a string per cell and row).
  let h = FNV_BASIS;
  for (let i = 0; i <= last; i++) h = fnv1aStep(fnv1a((fields[i] ?? '').trim(), h), 0);
  return fmix32(h);
}
