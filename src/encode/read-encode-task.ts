/**
 * The worker side of fully parallel encoding: a worker takes a piece of a CSV file (whole records,
 * see `splitCsv`), parses, validates and encodes it, and returns the encoded batch with every row's
 * outcome. Parsing and validation are most of the work per row, so they must not stay on one thread.
 *
 * The one thing a worker cannot know is whether an ID was already used in another piece: it reports
 * the IDs it saw, and the main thread settles duplicates across pieces (see reconcile.ts), so the
 * issues, counts and records come out exactly as from the single-threaded reader. Runtime-neutral.
 */
import type { BlockColumn, EncodedBatch, Party } from '../encoded/batch.js';
import type { LinkageSchema } from '../encoded/schema.js';
import type { WorkerRole } from '../parallel/protocol.js';
import { type CsvRow, parseCsvTextBatches } from '../read/csv.js';
import { cell, parseId } from '../read/fields.js';
import type { DetectedLayout } from '../read/layouts.js';
import { identityFingerprint, rowFingerprint, spanDay, spanIdHash } from '../read/member-spans.js';
import type { TextPiece } from '../read/split.js';
import { buildValidator, type CleanRowValidator } from '../read/validate.js';
import {
  blankMemberDraft,
  type CheckedSpan,
  type MemberDraft,
  type MemberSpanCheck,
  memberSpanCheck,
} from '../read/validate-member.js';
import type { ClientRecord, MemberRecord, RowIssue } from '../records.js';
import { grown } from '../util/bytes.js';
import { defined } from '../util/defined.js';
import { type PersonToEncode, RecordEncoder } from './encoder.js';
import { personToEncode } from './pipeline.js';

/** What a read-and-encode worker is started with. The key is wiped in the worker after use. */
export interface ReadEncodeInit {
  readonly key: Uint8Array;
  readonly party: Party;
  readonly schema: LinkageSchema;
  readonly kind: 'coc' | 'members';
  readonly layout: DetectedLayout['layout'];
  readonly header: readonly string[];
  readonly delimiter: string;
  readonly label: string;
  /** Resolved by the main thread, so every worker validates against the same day. */
  readonly today: string;
  readonly maxRecordLength?: number;
}

/**
 * A piece to read: its text, and whether this is the first pass over a member list (`spansOnly`:
 * validate and report the coverage spans, encode nothing). In the second pass over a member list,
 * `grouped` marks (bit `line & 7` of byte `line >>> 3`, shared by every piece) the lines of rows
 * whose member has several rows: their fingerprints come back in `PieceResult.fingerprints`; and
 * `superseded` (the same layout) the lines of older spans, which are accepted but not encoded
 * (`PieceResult.accepted` 2): only a member's most recent span is written.
 */
export interface ReadEncodeTask extends TextPiece {
  readonly spansOnly?: boolean;
  /** With `spansOnly`: the seed of the MemberID hashes (`MemberSpans.seed`, see `spanIdHash`). */
  readonly idSeed?: number;
  readonly grouped?: Uint8Array;
  readonly superseded?: Uint8Array;
}

/**
 * The accepted member rows of a piece read with `spansOnly`, as `MemberSpans.addPacked` takes them
 * (no fingerprints: those are computed in the second pass, for grouped rows only). The MemberIDs
 * travel as UTF-16 code units end to end (one buffer, copied): an array of strings cost both
 * threads a serialisation per ID, and this thread a string per row kept through the first pass.
 */
export interface PieceSpans {
  /** The MemberIDs' code units, end to end; row i's end at `idEnds[i]`. */
  readonly idCodes: Uint16Array;
  readonly idEnds: Uint32Array;
  /** `spanIdHash` of each MemberID under `ReadEncodeTask.idSeed`. */
  readonly idHashes: Int32Array;
  readonly lines: Uint32Array;
  /** `spanDay` of the start and of the end (open: after every day). */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** The fingerprints of a piece's grouped rows (see `ReadEncodeTask.grouped`). */
export interface PieceFingerprints {
  readonly lines: Uint32Array;
  readonly identity: Int32Array;
  readonly rows: Int32Array;
}

/** The outcome of one piece. */
export interface PieceResult {
  /** With `spansOnly`: the spans (every other field is then empty). */
  readonly spans?: PieceSpans;
  /** Per row read (blank lines are not rows): its line. */
  readonly lines: Uint32Array;
  /**
   * Per row: 1 when the worker accepted it (a duplicate ID across pieces may still reject it), 2
   * when it accepted it but left it out of the batch (an older span, `ReadEncodeTask.superseded`),
   * 0 when it rejected it.
   */
  readonly accepted: Uint8Array;
  /** Issues of every row, in order; row r's are `issues[issueStart[r] .. issueStart[r + 1])`. */
  readonly issues: readonly RowIssue[];
  readonly issueStart: Uint32Array;
  /** Per rejected row, in order: its ID when the ID itself was valid (else null). */
  readonly rejectedIds: readonly (string | null)[];
  /**
   * The accepted rows, encoded, with their real IDs; absent with `spansOnly` (an empty batch is
   * four dozen typed arrays to copy through `postMessage` for every piece of the first pass).
   */
  readonly batch?: EncodedBatch;
  /** With `grouped`: the fingerprints of the accepted grouped rows. */
  readonly fingerprints?: PieceFingerprints;
}

interface State {
  readonly encoder: RecordEncoder;
  readonly validator: CleanRowValidator<ClientRecord | MemberRecord>;
  readonly init: Omit<ReadEncodeInit, 'key'>;
  readonly idColumn: number;
  /** A member list's cheap first-pass test (see `spansOf`). */
  readonly spanCheck?: MemberSpanCheck;
}

/**
 * The read-and-encode worker role.
 * @example
 * ```ts
 * const state = readEncodeRole.init({ key, party: 'mcp', schema: DEFAULT_SCHEMA, kind: 'members',
 *   layout: 'contract', header, delimiter: ',', label: 'members.csv', today: '2026-01-01' });
 * const { result } = readEncodeRole.run(state, { text: 'M1,Ana,…\n', startLine: 2, bytesRead: 0 });
 * ```
 */
export const readEncodeRole: WorkerRole<ReadEncodeInit, ReadEncodeTask, PieceResult, State> = {
  init(d) {
    const { key, ...init } = d;
    const encoder = new RecordEncoder(key, { party: d.party, schema: d.schema });
    key.fill(0);
    const validator = buildValidator<ClientRecord | MemberRecord>(
      d.kind,
      d.header,
      { today: d.today, label: d.label },
      d.layout,
    );
    const idColumn = validator.columns.get(d.kind === 'coc' ? 'PersonalID' : 'MemberID') ?? -1;
    return {
      encoder,
      validator,
      init,
      idColumn,
      ...(d.kind === 'members' && { spanCheck: memberSpanCheck(validator.columns, d.today) }),
    };
  },
  run(state, piece) {
    if (piece.spansOnly === true) return spansOf(state, piece);
    const { validator, init, idColumn } = state;
    const lines: number[] = [];
    const accepted: number[] = [];
    const issues: RowIssue[] = [];
    const issueStart: number[] = [0];
    const rejectedIds: (string | null)[] = [];
    const persons: PersonToEncode[] = [];
    const coc = init.kind === 'coc';
    const grouped = piece.grouped;
    const superseded = piece.superseded;
    const fpLines: number[] = [];
    const fpIdentity: number[] = [];
    const fpRows: number[] = [];
    const members = validator as CleanRowValidator<MemberRecord>;
    for (const rows of pieceRows(init, piece)) {
      for (const row of rows) {
        // A clean member row (no issue, nearly every row of a plan file) is judged into the object
        // the encoder takes: no record, result or issue array made and copied per row. Every other
        // row goes through `validate`.
        const clean = coc ? undefined : blankMemberPerson();
        // A member row's record is always a blank person's shape (a validated one copied into a
        // fresh one): the code below and the encoder then see one map, not `validate`'s records'
        // several, each new one of which threw away their optimised code (docs/scaling.md, round
        // fifteen).
        let member: (MemberDraft & { id: string }) | undefined;
        let client: ClientRecord | undefined;
        const line = row.line;
        if (clean !== undefined && members.validateClean(row, clean)) member = clean;
        else {
          const r = validator.validate(row);
          for (const issue of r.issues) issues.push(issue);
          if (r.record !== undefined) {
            if (coc) client = r.record as ClientRecord;
            else member = asMemberPerson(r.record as MemberRecord, clean);
          }
        }
        lines.push(line);
        issueStart.push(issues.length);
        if (member === undefined && client === undefined) {
          accepted.push(0);
          const id = parseId(cell(row.fields, idColumn));
          rejectedIds.push(id.ok ? id.value : null);
          continue;
        }
        if (marked(superseded, line)) accepted.push(2);
        else {
          accepted.push(1);
          if (member !== undefined) {
            member.id = member.memberId;
            persons.push(member);
          } else persons.push(personToEncode(client as ClientRecord, (client as ClientRecord).personalId));
        }
        if (marked(grouped, line)) {
          fpLines.push(line);
          fpIdentity.push(identityFingerprint((member ?? client) as MemberRecord));
          fpRows.push(rowFingerprint(row.fields));
        }
      }
    }
    const batch = inOneBuffer(state.encoder.encodeMany(persons));
    const result: PieceResult = {
      lines: Uint32Array.from(lines),
      accepted: Uint8Array.from(accepted),
      issues,
      issueStart: Uint32Array.from(issueStart),
      rejectedIds,
      batch,
      ...(fpLines.length > 0 && {
        fingerprints: {
          lines: Uint32Array.from(fpLines),
          identity: Int32Array.from(fpIdentity),
          rows: Int32Array.from(fpRows),
        },
      }),
    };
    return { result };
  },
};

/** Whether `line` is marked in `bits` (bit `line & 7` of byte `line >>> 3`; none when absent). */
function marked(bits: Uint8Array | undefined, line: number): boolean {
  return bits !== undefined && ((bits[line >>> 3] ?? 0) & (1 << (line & 7))) !== 0;
}

/**
 * A member record and the person the encoder takes in one object, every field present from the start
 * (one shape for every row; `personToEncode`'s fields, then the rest of `MemberRecord`): what the
 * read-encode worker hands `validateClean` for each member row. A clean row's every record field is
 * written over these starting values (data qualities 99, `memberId` `''`, `coverageType`
 * `'Medi-Cal'`, the optional fields `undefined`); the worker then sets `id` to the MemberID.
 * test/read/validate-clean.test.ts starts from the same object, so a field the validator failed to
 * write would show there as this starting value. It is `blankMemberDraft`'s object, which the member
 * validator's own drafts share: the closures that fill both then see one map.
 *
 * @example
 * ```ts
 * const p = blankMemberPerson();
 * if (validator.validateClean(row, p)) p.id = p.memberId;
 * ```
 */
export function blankMemberPerson(): MemberDraft & { id: string } {
  return blankMemberDraft();
}

/**
 * A validated member record as a blank person (`blankMemberPerson`) holding its fields: the object
 * a clean row is judged into, so every accepted member row reaches the encoder in one shape. `into`
 * (default: a new blank person) is such an object — the worker passes the one `validateClean` turned
 * down, whose every record field is written here (test/encode/object-shapes.test.ts checks each).
 *
 * @example
 * ```ts
 * const p = asMemberPerson(memberValidator(header).validate(row).record!);
 * p.id = p.memberId;
 * ```
 */
export function asMemberPerson(
  r: MemberRecord,
  into: MemberDraft & { id: string } = blankMemberPerson(),
): MemberDraft & { id: string } {
  const p = into as { -readonly [K in keyof MemberRecord]: MemberRecord[K] | undefined };
  p.firstName = r.firstName;
  p.middleName = r.middleName;
  p.lastName = r.lastName;
  p.nameSuffix = r.nameSuffix;
  p.nameDataQuality = r.nameDataQuality;
  p.dob = r.dob;
  p.dobDataQuality = r.dobDataQuality;
  p.ssn = r.ssn;
  p.ssnDataQuality = r.ssnDataQuality;
  p.sex = r.sex;
  p.memberId = r.memberId;
  p.line = r.line;
  p.cin = r.cin;
  p.mcp = r.mcp;
  p.coverageType = r.coverageType;
  p.enrollmentStartDate = r.enrollmentStartDate;
  p.enrollmentEndDate = r.enrollmentEndDate;
  return p as MemberDraft & { id: string };
}

/**
 * `b` with every column a view of one new buffer (each at a multiple of 8 bytes): the answer's
 * structured clone then copies one buffer and this thread's receiver allocates one, not four
 * dozen (docs/scaling.md, "Encoding, round fourteen").
 */
function inOneBuffer(b: EncodedBatch): EncodedBatch {
  let size = 0;
  const room = (a: Uint8Array | Uint32Array) => {
    size = ((size + 7) & ~7) + a.byteLength;
  };
  room(b.nameDq);
  room(b.dobDq);
  room(b.ssnDq);
  for (const k in b.blooms) room(b.blooms[k] as Uint8Array);
  for (const k in b.hashes) room(b.hashes[k] as Uint32Array);
  for (const k in b.sets) room(b.sets[k] as Uint32Array);
  for (const k in b.blocks) {
    const c = b.blocks[k] as BlockColumn;
    room(c.offsets);
    room(c.keys);
  }
  const buffer = new ArrayBuffer(size);
  let at = 0;
  // Each column copied to the next multiple of 8 bytes, as a view of its own type.
  const place = <T extends Uint8Array | Uint32Array>(
    a: T,
    view: new (buffer: ArrayBuffer, byteOffset: number, length: number) => T,
  ): T => {
    at = (at + 7) & ~7;
    const out = new view(buffer, at, a.length);
    out.set(a);
    at += a.byteLength;
    return out;
  };
  const u8 = (a: Uint8Array): Uint8Array => place(a, Uint8Array);
  const u32 = (a: Uint32Array): Uint32Array => place(a, Uint32Array);
  const nameDq = u8(b.nameDq);
  const dobDq = u8(b.dobDq);
  const ssnDq = u8(b.ssnDq);
  const blooms: Record<string, Uint8Array> = {};
  for (const k in b.blooms) blooms[k] = u8(b.blooms[k] as Uint8Array);
  const hashes: Record<string, Uint32Array> = {};
  for (const k in b.hashes) hashes[k] = u32(b.hashes[k] as Uint32Array);
  const sets: Record<string, Uint32Array> = {};
  for (const k in b.sets) sets[k] = u32(b.sets[k] as Uint32Array);
  const blocks: Record<string, BlockColumn> = {};
  for (const k in b.blocks) {
    const c = b.blocks[k] as BlockColumn;
    blocks[k] = { offsets: u32(c.offsets), keys: u32(c.keys) };
  }
  return { length: b.length, ids: b.ids, nameDq, dobDq, ssnDq, blooms, hashes, sets, blocks };
}

/** The rows of a piece, parsed as the whole file would be (its label, delimiter and limits, its first line). */
function pieceRows(init: State['init'], piece: TextPiece) {
  return parseCsvTextBatches(piece.text, {
    label: init.label,
    delimiter: init.delimiter,
    startLine: piece.startLine,
    ...(init.maxRecordLength !== undefined && { maxRecordLength: init.maxRecordLength }),
  });
}

/**
 * The first pass over a piece of a member list: its accepted rows as coverage spans (MemberID, line,
 * dates). The fingerprints wait for the second pass: only rows of members with several rows need
 * them, and which those are is known only once every piece was read. A common row is judged by
 * `memberSpanCheck` on a few cells, building nothing; the validator judges the rest, so the spans
 * are exactly the validator's (test/read/validate-member-spans.test.ts compares them row by row).
 */
function spansOf(state: State, piece: ReadEncodeTask): { result: PieceResult } {
  const { validator, init } = state;
  const check = defined(state.spanCheck, 'the span check of a member list');
  let codes = new Uint16Array(16_384);
  let used = 0;
  const idEnds: number[] = [];
  const idHashes: number[] = [];
  const seed = piece.idSeed ?? 0;
  const lines: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const span: CheckedSpan = { id: '', start: 0, end: 0 };
  for (const rows of pieceRows(init, piece)) {
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as CsvRow;
      if (!check(row.fields, span)) {
        const rec = validator.validate(row).record as MemberRecord | undefined;
        if (rec === undefined) continue;
        span.id = rec.memberId;
        span.start = spanDay(rec.enrollmentStartDate);
        span.end = spanDay(rec.enrollmentEndDate);
      }
      const id = span.id;
      codes = grown(codes, used + id.length);
      for (let k = 0; k < id.length; k++) codes[used + k] = id.charCodeAt(k);
      used += id.length;
      idEnds.push(used);
      idHashes.push(spanIdHash(id, seed));
      lines.push(row.line);
      starts.push(span.start);
      ends.push(span.end);
    }
  }
  // One buffer for all six arrays: one copy per piece, not six.
  const n = lines.length;
  const buffer = new ArrayBuffer(20 * n + 2 * used);
  const spans = {
    idEnds: new Uint32Array(buffer, 0, n),
    idHashes: new Int32Array(buffer, 4 * n, n),
    lines: new Uint32Array(buffer, 8 * n, n),
    starts: new Int32Array(buffer, 12 * n, n),
    ends: new Int32Array(buffer, 16 * n, n),
    idCodes: new Uint16Array(buffer, 20 * n, used),
  } satisfies PieceSpans;
  spans.idEnds.set(idEnds);
  spans.idHashes.set(idHashes);
  spans.lines.set(lines);
  spans.starts.set(starts);
  spans.ends.set(ends);
  spans.idCodes.set(codes.subarray(0, used));
  const result: PieceResult = {
    spans,
    lines: new Uint32Array(0),
    accepted: new Uint8Array(0),
    issues: [],
    issueStart: Uint32Array.of(0),
    rejectedIds: [],
  };
  return { result };
}
