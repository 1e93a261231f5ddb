/**
 * Reads the return history (`<stem>-history.csv` beside the return file, data contract "Return
 * history"): one row per coverage span and per program episode of each matched client, and one
 * `retracted` row per withdrawn link. The HMIS import files are built from it: one enrollment per
 * coverage span, the episodes attached to the span that holds them.
 */
import { BloomlinkError } from '../../errors.js';
import { isIsoDate } from '../../normalise/date.js';
import type { DateParser } from '../../read/fields.js';
import { eventDateParser, isOpenEndDate, parseCoverage, parseId } from '../../read/fields.js';
import { mapHeader } from '../../read/header.js';
import { canonicalProgram, ECM } from '../../read/programs.js';
import { type ByteInput, readCsvBatches } from '../../read/source.js';
import { FileCounter, type FileCounts, type OutputIssue } from '../issues.js';
import { todayIso } from '../today.js';

/**
 * The columns of the history file, in order.
 *
 * @example
 * ```ts
 * HISTORY_COLUMNS[2]; // 'Record'
 * ```
 */
export const HISTORY_COLUMNS = Object.freeze([
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
 * One row of the history: a coverage span (`program` is the coverage type), an ECM or Community
 * Supports episode (`program` is `ECM` or the canonical service name), or a retracted link (no
 * program or dates).
 *
 * @example
 * ```ts
 * const span: HistoryRow = { personalId: 'P1', memberId: 'M1', record: 'coverage', program: 'Medi-Cal', startDate: '2025-01-01' };
 * ```
 */
export interface HistoryRow {
  readonly personalId: string;
  readonly memberId: string;
  readonly record: 'coverage' | 'ECM' | 'CS' | 'retracted';
  readonly program?: string;
  readonly provider?: string;
  readonly startDate?: string;
  readonly endDate?: string;
}

/**
 * A history file read: its usable rows (with their lines), issues and counts.
 *
 * @example
 * ```ts
 * const { rows, issues } = await readHistoryFile(bytes);
 * ```
 */
export interface HistoryRead {
  readonly rows: readonly HistoryRow[];
  readonly lines: readonly number[];
  readonly issues: readonly OutputIssue[];
  readonly counts: FileCounts;
}

const RECORDS = new Map<string, HistoryRow['record']>([
  ['coverage', 'coverage'],
  ['ecm', 'ECM'],
  ['cs', 'CS'],
  ['retracted', 'retracted'],
]);

/**
 * Reads a history file. A row is rejected (an issue, never the run) for a missing ID, an unknown
 * `Record`, an unknown coverage type or program, a missing or unreadable start date, an unreadable
 * end date or an end before its start; an ECM row must name `ECM`, a CS row a Community Supports
 * service. Far-future end dates (12/31/9999) mean open.
 *
 * @throws BloomlinkError for an unreadable file or a missing column
 * @example
 * ```ts
 * const history = await readHistoryFile(fileBytes('mcp-return-history.csv'), { label: 'mcp-return-history.csv' });
 * ```
 */
export async function readHistoryFile(
  input: ByteInput,
  opts: { readonly label?: string; readonly today?: string } = {},
): Promise<HistoryRead> {
  const label = opts.label ?? 'mcp-return-history.csv';
  const today = opts.today ?? todayIso();
  if (!isIsoDate(today)) throw new TypeError('opts.today must be an ISO date (YYYY-MM-DD)');
  const parse = eventDateParser(Number(today.slice(0, 4)));
  let at: ((c: (typeof HISTORY_COLUMNS)[number]) => number) | undefined;
  const rows: HistoryRow[] = [];
  const lines: number[] = [];
  const issues: OutputIssue[] = [];
  const counter = new FileCounter();
  for await (const batch of readCsvBatches(input, { label, restoreFormulas: true })) {
    for (const row of batch) {
      if (at === undefined) {
        const map = mapHeader(
          row.fields,
          { required: ['PersonalID', 'MemberID', 'Record'], optional: HISTORY_COLUMNS.slice(3) },
          label,
        );
        at = (c) => map.index.get(c) ?? -1;
        continue;
      }
      const get = (c: (typeof HISTORY_COLUMNS)[number]): string => {
        const i = at!(c);
        return i < 0 ? '' : (row.fields[i] ?? '').trim();
      };
      const rowIssues: OutputIssue[] = [];
      const add = (field: string, code: OutputIssue['code']): void => {
        rowIssues.push({ file: label, line: row.line, field, code, severity: 'error' });
      };
      const r = readRow(get, parse, add);
      const used = r !== undefined && rowIssues.length === 0;
      counter.row(used, rowIssues);
      issues.push(...rowIssues);
      if (used) {
        rows.push(r);
        lines.push(row.line);
      }
    }
  }
  if (at === undefined)
    throw new BloomlinkError('FILE_EMPTY', `${label}: file has no rows, not even a header`);
  return { rows, lines, issues, counts: counter.snapshot() };
}

type Add = (field: string, code: OutputIssue['code']) => void;

function readRow(get: (c: (typeof HISTORY_COLUMNS)[number]) => string, parse: DateParser, add: Add) {
  const pid = parseId(get('PersonalID'));
  if (!pid.ok) add('PersonalID', pid.code);
  const mid = parseId(get('MemberID'));
  if (!mid.ok) add('MemberID', mid.code);
  const record = RECORDS.get(get('Record').toLowerCase());
  if (record === undefined) add('Record', 'REQUIRED_MISSING');
  if (!pid.ok || !mid.ok || record === undefined) return undefined;
  if (record === 'retracted') return { personalId: pid.value, memberId: mid.value, record } as HistoryRow;

  const rawProgram = get('Program');
  let program: string | undefined;
  if (record === 'coverage') {
    const c = parseCoverage(rawProgram);
    if (c.ok) program = c.value;
    else add('Program', c.code);
  } else {
    const p = canonicalProgram(rawProgram);
    if (p === undefined || (record === 'ECM') !== (p === ECM)) add('Program', 'PROGRAM_UNKNOWN');
    else program = p;
  }
  const rawStart = get('StartDate');
  const start = rawStart === '' ? undefined : parse(rawStart);
  if (start === undefined) add('StartDate', 'REQUIRED_MISSING');
  else if (!start.ok) add('StartDate', start.code);
  const rawEnd = get('EndDate');
  let end: string | undefined;
  if (rawEnd !== '' && !isOpenEndDate(rawEnd)) {
    const e = parse(rawEnd);
    if (!e.ok) add('EndDate', e.code === 'DATE_PLACEHOLDER' ? 'END_DATE_UNUSABLE' : e.code);
    else end = e.value;
  }
  if (program === undefined || start === undefined || !start.ok) return undefined;
  if (end !== undefined && end < start.value) {
    add('EndDate', 'END_BEFORE_START');
    return undefined;
  }
  const provider = get('Provider');
  return {
    personalId: pid.value,
    memberId: mid.value,
    record,
    program,
    ...(provider !== '' && { provider }),
    startDate: start.value,
    ...(end !== undefined && { endDate: end }),
  } satisfies HistoryRow;
}
