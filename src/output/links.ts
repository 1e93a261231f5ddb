/**
 * The links file written by `match` (`PersonalID,MemberID,MatchWeight,MatchProbability,Status`), read
 * for the return file. Small (one row per accepted pair, `match` or `review`: the data contract's
 * words), so it is read whole; every bad row becomes an issue, never an exception.
 */
import { cell, parseId } from '../read/fields.js';
import { type ByteInput, readMappedBatches } from '../read/source.js';
import { FileCounter, type FileCounts, type OutputIssue, withRecordId } from './issues.js';

/**
 * Status of a link: an accepted match or a pair in the clerical-review band.
 *
 * @example
 * ```ts
 * const s: LinkStatus = 'review';
 * ```
 */
export type LinkStatus = 'match' | 'review';

/**
 * One accepted row of the links file.
 *
 * @example
 * ```ts
 * const link: Link = { line: 2, personalId: 'P1', memberId: 'M1', status: 'match' };
 * ```
 */
export interface Link {
  /** Line in the links file (objects: index + 2, as if the first object were line 2). */
  readonly line: number;
  readonly personalId: string;
  readonly memberId: string;
  readonly status: LinkStatus;
  /** The `MatchProbability` cell as written, when it holds a number (the column is optional). */
  readonly matchProbability?: string;
}

/**
 * A link given as an object to the API (keys as in the file, any case).
 *
 * @example
 * ```ts
 * const row: LinkObject = { PersonalID: 'P1', MemberID: 'M1', Status: 'match' };
 * ```
 */
export type LinkObject = Readonly<Record<string, unknown>>;

/**
 * Options of {@link readLinks}.
 *
 * @example
 * ```ts
 * const opts: ReadLinksOptions = { label: 'links.csv', includeReview: true };
 * ```
 */
export interface ReadLinksOptions {
  /** File name in issues (default `links.csv`). */
  readonly label?: string;
  /** Also use links with Status `review` (default: only `match`). */
  readonly includeReview?: boolean;
}

/**
 * The links chosen for the return file, the issues and counts of the read.
 *
 * @example
 * ```ts
 * const { links, issues } = await readLinks(bytes);
 * ```
 */
export interface LinkRead {
  /** Links used, in file order: Status `match`, and `review` when asked for. */
  readonly links: readonly Link[];
  readonly issues: readonly OutputIssue[];
  readonly counts: FileCounts;
  /** Valid review links left out because `includeReview` was not set. */
  readonly reviewSkipped: number;
}

const SPEC = {
  required: ['PersonalID', 'MemberID', 'Status'],
  optional: ['MatchWeight', 'MatchProbability'],
  aliases: { PersonalID: ['HMISClientID', 'HMIS Client ID'], MemberID: ['Member ID'] },
} as const;

/**
 * Reads a links file (bytes) or link objects. One-to-one is enforced: a PersonalID or MemberID seen
 * on an earlier valid link makes the row `LINK_DUPLICATE`.
 *
 * @throws BloomlinkError for an unreadable file or a missing column (`COLUMN_MISSING`)
 * @example
 * ```ts
 * const { links } = await readLinks([{ PersonalID: 'P1', MemberID: 'M1', Status: 'match' }]);
 * links[0]?.memberId; // 'M1'
 * ```
 */
export async function readLinks(
  input: ByteInput | readonly LinkObject[],
  opts: ReadLinksOptions = {},
): Promise<LinkRead> {
  const label = opts.label ?? 'links.csv';
  const state = new LinkState(label, opts.includeReview === true);
  if (isObjectArray(input)) {
    input.forEach((o, i) => {
      const get = objectGetter(o);
      state.add(i + 2, get('PersonalID'), get('MemberID'), get('Status'), get('MatchProbability'));
    });
    return state.result();
  }
  for await (const { rows, col } of readMappedBatches(input, SPEC, label)) {
    for (const row of rows) {
      const f = row.fields;
      const probability = cell(f, col('MatchProbability'));
      state.add(
        row.line,
        cell(f, col('PersonalID')),
        cell(f, col('MemberID')),
        cell(f, col('Status')),
        probability,
      );
    }
  }
  return state.result();
}

class LinkState {
  readonly links: Link[] = [];
  readonly issues: OutputIssue[] = [];
  readonly counter = new FileCounter();
  readonly persons = new Set<string>();
  readonly members = new Set<string>();
  reviewSkipped = 0;
  constructor(
    readonly file: string,
    readonly includeReview: boolean,
  ) {}

  add(line: number, personalRaw: string, memberRaw: string, statusRaw: string, probabilityRaw: string): void {
    const rowIssues: OutputIssue[] = [];
    const issue = (field: string, code: OutputIssue['code']): void => {
      rowIssues.push({ file: this.file, line, field, code, severity: 'error' });
    };
    const p = parseId(personalRaw.trim());
    if (!p.ok) issue('PersonalID', p.code);
    const m = parseId(memberRaw.trim());
    if (!m.ok) issue('MemberID', m.code);
    const s = statusRaw.trim().toLowerCase();
    if (s !== 'match' && s !== 'review') issue('Status', 'LINK_STATUS_INVALID');
    if (p.ok && this.persons.has(p.value)) issue('PersonalID', 'LINK_DUPLICATE');
    if (m.ok && this.members.has(m.value)) issue('MemberID', 'LINK_DUPLICATE');
    this.counter.row(rowIssues.length === 0, rowIssues);
    if (rowIssues.length > 0 || !p.ok || !m.ok) {
      this.issues.push(...withRecordId(rowIssues, 'PersonalID', p.ok ? p.value : undefined));
      return;
    }
    this.persons.add(p.value);
    this.members.add(m.value);
    const status = s as LinkStatus;
    if (status === 'review' && !this.includeReview) this.reviewSkipped++;
    else {
      const probability = probabilityRaw.trim();
      // Only a number: it is shown to a reviewer as the model's probability.
      const shown = probability !== '' && Number.isFinite(Number(probability));
      this.links.push({
        line,
        personalId: p.value,
        memberId: m.value,
        status,
        ...(shown && { matchProbability: probability }),
      });
    }
  }

  result(): LinkRead {
    return {
      links: this.links,
      issues: this.issues,
      counts: this.counter.snapshot(),
      reviewSkipped: this.reviewSkipped,
    };
  }
}

function isObjectArray(input: unknown): input is readonly LinkObject[] {
  return (
    Array.isArray(input) &&
    input.every((x) => typeof x === 'object' && x !== null && !(x instanceof Uint8Array))
  );
}

function objectGetter(o: LinkObject): (name: string) => string {
  const lower = new Map(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
  return (name) => {
    const v = lower.get(name.toLowerCase());
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
  };
}
