import { isIsoDate } from '../normalise/date.js';
import {
  cell,
  type DateParser,
  eventDateParser,
  isBlankRow,
  isOpenEndDate,
  parseCoverage,
  parseId,
} from '../read/fields.js';
import { canonicalProgram, ECM } from '../read/programs.js';
import { type ByteInput, readMappedBatches } from '../read/source.js';
import { CSV_EOL, formatCsvRow } from '../util/csv-write.js';
import { FileCounter, type FileCounts, type OutputIssue, withRecordId } from './issues.js';
import { todayIso } from './today.js';

/**
 * The history file's columns, in order (the one definition both the writer and the reader use).
 *
 * @example
 * ```ts
 * RETURN_HISTORY_COLUMNS.join(','); // 'PersonalID,MemberID,Record,Program,Provider,ProviderNPI,StartDate,EndDate'
 * ```
 */
export const RETURN_HISTORY_COLUMNS = Object.freeze([
  'PersonalID',
  'MemberID',
  'Record',
  'Program',
  'Provider',
  'ProviderNPI',
  'StartDate',
  'EndDate',
] as const);

/**
 * What a history row records: a coverage span, an ECM or Community Supports (`CS`) episode, or a
 * link withdrawn since the previous month (`retracted`).
 *
 * @example
 * ```ts
 * const kind: HistoryRecordKind = 'coverage';
 * ```
 */
export type HistoryRecordKind = 'coverage' | 'ECM' | 'CS' | 'retracted';

/**
 * One row of the history file. `program` is the coverage type (`Medi-Cal`, `D-SNP`) for coverage,
 * `ECM` for ECM, the canonical service name for CS; a `retracted` row has only the two IDs.
 *
 * @example
 * ```ts
 * const span: HistoryRow = { personalId: 'P1', memberId: 'M1', record: 'coverage', program: 'Medi-Cal', startDate: '2024-03-01' };
 * const gone: HistoryRow = { personalId: 'P9', memberId: 'M9', record: 'retracted' };
 * ```
 */
export interface HistoryRow {
  readonly personalId: string;
  readonly memberId: string;
  readonly record: HistoryRecordKind;
  readonly program?: string;
  readonly provider?: string;
  readonly providerNpi?: string;
  readonly startDate?: string;
  /** Blank while the span or episode is open. */
  readonly endDate?: string;
}

/**
 * The history file's path for a return file's path: `<stem>-history.csv` beside it (the stem is the
 * name without its last extension).
 *
 * @example
 * ```ts
 * returnHistoryPath('out/mcp-return.csv'); // 'out/mcp-return-history.csv'
 * returnHistoryPath('ret'); // 'ret-history.csv'
 * ```
 */
export function returnHistoryPath(returnPath: string): string {
  const slash = Math.max(returnPath.lastIndexOf('/'), returnPath.lastIndexOf('\\'));
  const dot = returnPath.lastIndexOf('.');
  const stem = dot > slash + 1 ? returnPath.slice(0, dot) : returnPath;
  return `${stem}-history.csv`;
}

/**
 * The history file as CRLF-terminated lines, header first; cells are formula-neutralised.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const result = await buildReturnRows({
 *   links: readFileSync('links.csv'),
 *   members: readFileSync('members.csv'),
 *   programs: readFileSync('programs.csv'),
 * });
 * const csv = [...returnHistoryLines(result.history)].join('');
 * ```
 */
export function* returnHistoryLines(rows: Iterable<HistoryRow>): Generator<string, void, undefined> {
  yield formatCsvRow(RETURN_HISTORY_COLUMNS) + CSV_EOL;
  for (const r of rows)
    yield formatCsvRow([
      r.personalId,
      r.memberId,
      r.record,
      r.program,
      r.provider,
      r.providerNpi,
      r.startDate,
      r.endDate,
    ]) + CSV_EOL;
}

/**
 * Options of {@link readReturnHistory}.
 *
 * @example
 * ```ts
 * const opts: ReadReturnHistoryOptions = { label: 'mcp-return-history.csv', today: '2026-01-15' };
 * ```
 */
export interface ReadReturnHistoryOptions {
  /** File name in issues and messages (default `mcp-return-history.csv`). */
  readonly label?: string;
  /** Day that sets the two-digit-year pivot of non-ISO dates (default: today). */
  readonly today?: string;
}

/**
 * A history file read back: the usable rows (file order), their lines, issues and counts.
 *
 * @example
 * ```ts
 * const { rows, counts } = await readReturnHistory(bytes);
 * ```
 */
export interface ReturnHistoryRead {
  readonly rows: readonly HistoryRow[];
  /** Line of each row (parallel to `rows`). */
  readonly lines: readonly number[];
  readonly issues: readonly OutputIssue[];
  readonly counts: FileCounts;
}

const RECORDS: ReadonlySet<string> = new Set<HistoryRecordKind>(['coverage', 'ECM', 'CS', 'retracted']);

/**
 * Reads a return history file (bytes; it may have passed through a spreadsheet, so the other
 * accepted date layouts are read too and formula neutralisation is undone). A row is rejected, with
 * issues, for a missing or too long ID, a `Record` that is none of `coverage`, `ECM`, `CS`,
 * `retracted` (`HISTORY_RECORD_INVALID`), a bad coverage type or program, a missing provider (ECM,
 * CS), a missing or unreadable start date, an unreadable end date or an end before the start.
 *
 * @throws BloomlinkError for an unreadable or empty file, or a missing column (`COLUMN_MISSING`)
 * @example
 * ```ts
 * import { readReturnHistory } from 'bloomlink';
 * import { fileBytes } from 'bloomlink/node';
 * const { rows } = await readReturnHistory(fileBytes('mcp-return-history.csv'));
 * const spans = rows.filter((r) => r.record === 'coverage');
 * ```
 */
export async function readReturnHistory(
  input: ByteInput,
  opts: ReadReturnHistoryOptions = {},
): Promise<ReturnHistoryRead> {
  const label = opts.label ?? 'mcp-return-history.csv';
  const today = opts.today ?? todayIso();
  if (!isIsoDate(today)) throw new TypeError('opts.today must be an ISO date (YYYY-MM-DD)');
  const parse = eventDateParser(Number(today.slice(0, 4)));
  const rows: HistoryRow[] = [];
  const lines: number[] = [];
  const issues: OutputIssue[] = [];
  const counter = new FileCounter();
  const spec = {
    required: RETURN_HISTORY_COLUMNS.filter((c) => c !== 'ProviderNPI'),
    optional: ['ProviderNPI'],
  };
  for await (const { rows: batch, col: at } of readMappedBatches(input, spec, label, {
    requireHeader: true,
  })) {
    for (const row of batch) {
      const found: OutputIssue[] = [];
      const add = (field: string, code: OutputIssue['code']): void =>
        void found.push({ file: label, line: row.line, field, code, severity: 'error' });
      const fields = row.fields;
      const get = (c: string): string => cell(fields, at(c));
      if (isBlankRow(fields)) {
        add('*', 'ROW_EMPTY');
        counter.row(false, found);
        issues.push(...found);
        continue;
      }
      const r = historyRow(get, parse, add);
      const used = r !== undefined && found.length === 0;
      // The row's PersonalID as read: reported unless an issue is on the PersonalID column.
      const named = withRecordId(found, 'PersonalID', get('PersonalID'));
      counter.row(used, named);
      issues.push(...named);
      if (used) {
        rows.push(r);
        lines.push(row.line);
      }
    }
  }
  return { rows, lines, issues, counts: counter.snapshot() };
}

function historyRow(
  get: (column: string) => string,
  parse: DateParser,
  add: (field: string, code: OutputIssue['code']) => void,
): HistoryRow | undefined {
  const person = parseId(get('PersonalID'));
  if (!person.ok) add('PersonalID', person.code);
  const member = parseId(get('MemberID'));
  if (!member.ok) add('MemberID', member.code);
  const recordRaw = get('Record');
  if (!RECORDS.has(recordRaw)) {
    add('Record', recordRaw === '' ? 'REQUIRED_MISSING' : 'HISTORY_RECORD_INVALID');
    return undefined;
  }
  const record = recordRaw as HistoryRecordKind;
  if (!person.ok || !member.ok) return undefined;
  const ids = { personalId: person.value, memberId: member.value };
  if (record === 'retracted') return { ...ids, record };
  let program: string | undefined;
  const programRaw = get('Program');
  if (programRaw === '') add('Program', 'REQUIRED_MISSING');
  else if (record === 'coverage') {
    const c = parseCoverage(programRaw);
    if (c.ok) program = c.value;
    else add('Program', c.code);
  } else {
    const p = canonicalProgram(programRaw);
    if (p === undefined || (record === 'ECM') !== (p === ECM)) add('Program', 'PROGRAM_UNKNOWN');
    else program = p;
  }
  const provider = get('Provider');
  if (record !== 'coverage' && provider === '') add('Provider', 'REQUIRED_MISSING');
  const startRaw = get('StartDate');
  const start = startRaw === '' ? undefined : parse(startRaw);
  if (start === undefined) add('StartDate', 'REQUIRED_MISSING');
  else if (!start.ok) {
    add('StartDate', start.code);
    add('StartDate', 'REQUIRED_MISSING');
  }
  const endRaw = get('EndDate');
  let end: string | undefined;
  if (endRaw !== '' && !isOpenEndDate(endRaw)) {
    const e = parse(endRaw);
    if (!e.ok) {
      add('EndDate', e.code);
      add('EndDate', 'END_DATE_UNUSABLE');
    } else if (start?.ok === true && e.value < start.value) add('EndDate', 'END_BEFORE_START');
    else end = e.value;
  }
  if (program === undefined || start?.ok !== true) return undefined;
  const npi = get('ProviderNPI');
  return {
    ...ids,
    record,
    program,
    ...(provider !== '' && { provider }),
    ...(npi !== '' && { providerNpi: npi }),
    startDate: start.value,
    ...(end !== undefined && { endDate: end }),
  };
}
