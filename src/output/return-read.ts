/**
 * Reads an MCP return file back into typed rows: the input of the HMIS import files. The file may
 * have passed through a spreadsheet, so dates in the other accepted layouts are read too; anything
 * that would make an HMIS record wrong rejects the row (an issue), never the run.
 */
import { BloomlinkError } from '../errors.js';
import { isIsoDate } from '../normalise/date.js';
import { isValidCin } from '../normalise/ids.js';
import { type DateParser, eventDateParser, isOpenEndDate, parseCoverage, parseId } from '../read/fields.js';
import { cleanHeaderCell, type HeaderMap, mapHeader } from '../read/header.js';
import { canonicalProgram, ECM } from '../read/programs.js';
import { type ByteInput, readCsvBatches } from '../read/source.js';
import type { CoverageType } from '../records.js';
import { at, defined } from '../util/defined.js';
import { FileCounter, type FileCounts, type OutputIssue, withRecordId } from './issues.js';
import {
  csColumns,
  type ProgramStatus,
  RETURN_BASE_COLUMNS,
  type ReturnRow,
  sortServices,
} from './return-columns.js';
import { todayIso } from './today.js';

/**
 * Options of {@link readReturnFile}.
 *
 * @example
 * ```ts
 * const opts: ReadReturnOptions = { label: 'mcp-return.csv', today: '2026-01-15' };
 * ```
 */
export interface ReadReturnOptions {
  /** File name in issues and messages (default `mcp-return.csv`). */
  readonly label?: string;
  /** Day that sets the two-digit-year pivot of non-ISO dates (default: today). */
  readonly today?: string;
}

/**
 * A return file read back: rows, the services of its header, issues and counts.
 *
 * @example
 * ```ts
 * const { rows, services } = await readReturnFile(bytes);
 * ```
 */
export interface ReturnRead {
  readonly rows: readonly ReturnRow[];
  /** Line of each row in the file (parallel to `rows`), for issues about it later on. */
  readonly lines: readonly number[];
  /** Community Supports services found in the header, canonical order. */
  readonly services: readonly string[];
  readonly issues: readonly OutputIssue[];
  readonly counts: FileCounts;
}

const REQUIRED = ['PersonalID', 'MemberID', 'MCP', 'CoverageType', 'MCPEnrollmentDate'] as const;
const PROGRAM_SUFFIXES = [' Provider', ' Enrollment Date', ' Discharge Date'] as const;
const UNUSABLE_END = 'END_DATE_UNUSABLE';

/**
 * Reads a return file (bytes). Rows are rejected, with issues, for a missing or repeated ID, a bad
 * coverage type, an unreadable or missing start date, an unreadable end date, an end before its start,
 * or a program status that is not `enrolled`/`not enrolled` or contradicts its dates.
 *
 * @throws BloomlinkError for an unreadable file, a missing column, or a `CS …` column of an unknown
 *   service (`LAYOUT_UNKNOWN`)
 * @example
 * ```ts
 * const { rows, issues } = await readReturnFile(fileBytes('mcp-return.csv'));
 * ```
 */
export async function readReturnFile(input: ByteInput, opts: ReadReturnOptions = {}): Promise<ReturnRead> {
  const label = opts.label ?? 'mcp-return.csv';
  const today = opts.today ?? todayIso();
  if (!isIsoDate(today)) throw new TypeError('opts.today must be an ISO date (YYYY-MM-DD)');
  const parse = eventDateParser(Number(today.slice(0, 4)));
  let layout: Layout | undefined;
  const rows: ReturnRow[] = [];
  const lines: number[] = [];
  const issues: OutputIssue[] = [];
  const counter = new FileCounter();
  const seen = { persons: new Set<string>(), members: new Set<string>() };
  for await (const batch of readCsvBatches(input, { label, restoreFormulas: true })) {
    for (const row of batch) {
      if (layout === undefined) {
        layout = headerLayout(row.fields, label);
        continue;
      }
      const rowIssues: OutputIssue[] = [];
      const add = (
        field: string,
        code: OutputIssue['code'],
        severity: 'error' | 'warning' = 'error',
      ): void => {
        rowIssues.push({ file: label, line: row.line, field, code, severity });
      };
      const r = readRow(row.fields, layout, parse, seen, add);
      const used = r !== undefined && !rowIssues.some((i) => i.severity === 'error');
      // The row's PersonalID as read: reported unless an issue is on the PersonalID column.
      const id = (row.fields[layout.index.get('PersonalID') ?? -1] ?? '').trim();
      const named = withRecordId(rowIssues, 'PersonalID', id);
      const final = used ? named : named.map((i) => ({ ...i, severity: 'error' as const }));
      counter.row(used, final);
      issues.push(...final);
      if (used) {
        seen.persons.add(r.personalId);
        seen.members.add(r.memberId);
        rows.push(r);
        lines.push(row.line);
      }
    }
  }
  if (layout === undefined)
    throw new BloomlinkError('FILE_EMPTY', `${label}: file has no rows, not even a header`);
  return { rows, lines, services: layout.services.map((s) => s.name), issues, counts: counter.snapshot() };
}

interface ServiceColumns {
  readonly name: string;
  /** Status, provider, enrollment date, discharge date. */
  readonly at: readonly [number, number, number, number];
}

interface Layout {
  readonly index: HeaderMap['index'];
  readonly ecm: readonly [number, number, number, number];
  readonly services: readonly ServiceColumns[];
}

function headerLayout(header: readonly string[], label: string): Layout {
  const base = mapHeader(
    header,
    { required: REQUIRED, optional: RETURN_BASE_COLUMNS.filter((c) => !REQUIRED.includes(c as never)) },
    label,
  );
  const lower = new Map<string, number>();
  header.forEach((h, i) => {
    lower.set(cleanHeaderCell(h).toLowerCase(), i);
  });
  const found = new Map<string, number>();
  header.forEach((h, i) => {
    const cell = cleanHeaderCell(h);
    if (!/^cs /i.test(cell) || PROGRAM_SUFFIXES.some((s) => cell.toLowerCase().endsWith(s.toLowerCase())))
      return;
    const name = canonicalProgram(cell.slice(3));
    if (name === undefined || name === ECM) {
      throw new BloomlinkError(
        'LAYOUT_UNKNOWN',
        `${label}: column ${i + 1} is a Community Supports column of an unknown service`,
      );
    }
    found.set(name, i);
  });
  const services = sortServices(found.keys()).map((name): ServiceColumns => {
    const status = defined(found.get(name), `column of ${name}`);
    const written = cleanHeaderCell(at(header, status));
    const companion = (suffix: string, canonical: string): number => {
      const i = lower.get(`${written}${suffix}`.toLowerCase()) ?? lower.get(canonical.toLowerCase());
      if (i === undefined)
        throw new BloomlinkError('COLUMN_MISSING', `${label}: missing required column '${canonical}'`);
      return i;
    };
    const [, p, s, e] = csColumns(name);
    return {
      name,
      at: [
        status,
        companion(PROGRAM_SUFFIXES[0], p),
        companion(PROGRAM_SUFFIXES[1], s),
        companion(PROGRAM_SUFFIXES[2], e),
      ],
    };
  });
  const column = (c: string): number => base.index.get(c) ?? -1;
  return {
    index: base.index,
    ecm: [column('ECM'), column('ECMProvider'), column('ECMEnrollmentDate'), column('ECMDischargeDate')],
    services,
  };
}

type Add = (field: string, code: OutputIssue['code'], severity?: 'error' | 'warning') => void;

function readRow(
  fields: readonly string[],
  layout: Layout,
  parse: DateParser,
  seen: { readonly persons: ReadonlySet<string>; readonly members: ReadonlySet<string> },
  add: Add,
): ReturnRow | undefined {
  const cellAt = (i: number): string => (i >= 0 ? (fields[i] ?? '').trim() : '');
  const get = (c: string): string => cellAt(layout.index.get(c) ?? -1);
  const person = parseId(get('PersonalID'));
  if (!person.ok) add('PersonalID', person.code);
  else if (seen.persons.has(person.value)) add('PersonalID', 'ID_DUPLICATE');
  const member = parseId(get('MemberID'));
  if (!member.ok) add('MemberID', member.code);
  else if (seen.members.has(member.value)) add('MemberID', 'ID_DUPLICATE');
  const mcp = get('MCP');
  if (mcp === '') add('MCP', 'REQUIRED_MISSING');
  const coverageRaw = get('CoverageType');
  const coverage = coverageRaw === '' ? undefined : parseCoverage(coverageRaw);
  if (coverage === undefined) add('CoverageType', 'REQUIRED_MISSING');
  else if (!coverage.ok) add('CoverageType', coverage.code);
  const start = startDate(get('MCPEnrollmentDate'), 'MCPEnrollmentDate', parse, add);
  const exit = endDate(get('MCPExitDate'), 'MCPExitDate', start, parse, add);
  const dobRaw = get('DOB');
  const dob = dobRaw === '' ? undefined : parse(dobRaw);
  if (dob !== undefined && !dob.ok) add('DOB', dob.code, 'warning');
  const cin = get('CIN');
  if (cin !== '' && !isValidCin(cin)) add('CIN', 'CIN_INVALID', 'warning');
  const ecm = program(
    cellAt,
    layout.ecm,
    ['ECM', 'ECMProvider', 'ECMEnrollmentDate', 'ECMDischargeDate'],
    parse,
    add,
  );
  const cs: Record<string, ProgramStatus> = {};
  let programsOk = ecm !== undefined;
  for (const s of layout.services) {
    const p = program(cellAt, s.at, csColumns(s.name), parse, add);
    if (p === undefined) programsOk = false;
    else cs[s.name] = p;
  }
  if (
    !person.ok ||
    !member.ok ||
    mcp === '' ||
    coverage?.ok !== true ||
    start === undefined ||
    !programsOk ||
    ecm === undefined
  )
    return undefined;
  const text = (c: string): string | undefined => get(c) || undefined;
  const names = {
    firstName: text('FirstName'),
    middleName: text('MiddleName'),
    lastName: text('LastName'),
    nameSuffix: text('NameSuffix'),
  };
  return {
    personalId: person.value,
    ...definedOnly(names),
    ...(dob?.ok === true && { dob: dob.value }),
    mcp,
    coverageType: coverage.value satisfies CoverageType,
    memberId: member.value,
    ...(cin !== '' && isValidCin(cin) && { cin: cin.toUpperCase() }),
    mcpEnrollmentDate: start,
    ...(exit !== undefined && { mcpExitDate: exit }),
    ecm,
    cs,
  };
}

function definedOnly<T extends Record<string, string | undefined>>(o: T): Partial<Record<keyof T, string>> {
  const out: Partial<Record<keyof T, string>> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function startDate(raw: string, field: string, parse: DateParser, add: Add): string | undefined {
  if (raw === '') {
    add(field, 'REQUIRED_MISSING');
    return undefined;
  }
  const d = parse(raw);
  if (d.ok) return d.value;
  add(field, d.code);
  add(field, 'REQUIRED_MISSING');
  return undefined;
}

function endDate(
  raw: string,
  field: string,
  start: string | undefined,
  parse: DateParser,
  add: Add,
): string | undefined {
  if (raw === '' || isOpenEndDate(raw)) return undefined;
  const d = parse(raw);
  if (!d.ok) {
    add(field, d.code);
    add(field, UNUSABLE_END);
    return undefined;
  }
  if (start !== undefined && d.value < start) add(field, 'END_BEFORE_START');
  return d.value;
}

function program(
  cellAt: (i: number) => string,
  at: readonly [number, number, number, number],
  names: readonly [string, string, string, string],
  parse: DateParser,
  add: Add,
): ProgramStatus | undefined {
  const statusRaw = cellAt(at[0]).toLowerCase().replace(/\s+/g, ' ');
  const provider = cellAt(at[1]);
  const startRaw = cellAt(at[2]);
  const start = startRaw === '' ? undefined : startDate(startRaw, names[2], parse, add);
  const end = endDate(cellAt(at[3]), names[3], start, parse, add);
  const enrolled = statusRaw === 'enrolled';
  if (!enrolled && statusRaw !== 'not enrolled' && statusRaw !== '') {
    add(names[0], 'PROGRAM_STATUS_INVALID');
    return undefined;
  }
  if (startRaw === '') {
    if (enrolled) add(names[0], 'PROGRAM_STATUS_INVALID');
    if (provider !== '' || cellAt(at[3]) !== '') add(names[2], 'REQUIRED_MISSING');
    return enrolled || provider !== '' || cellAt(at[3]) !== '' ? undefined : { status: 'not enrolled' };
  }
  if (provider === '') add(names[1], 'REQUIRED_MISSING');
  if (start === undefined || provider === '') return undefined;
  return {
    status: enrolled ? 'enrolled' : 'not enrolled',
    provider,
    enrollmentDate: start,
    ...(end !== undefined && { dischargeDate: end }),
  };
}
