/**
 * MCP return rows (and the return history) → a complete HUD HMIS CSV export of the MCP project:
 * Export, Organization, User, Project, ProjectCoC, Funder, HMISParticipation, Enrollment, Exit, the
 * two Appendix C custom files, and Client.csv with the CoC's own rows. Checked against the HUD rules
 * before it is returned. Every export holds every record of the project (see `clientRecords`).
 */
import { BloomlinkError } from '../../errors.js';
import { defined } from '../../util/defined.js';
import { asOptionError } from '../../util/options.js';
import { type OutputIssue, withRecordId } from '../issues.js';
import type { ReturnRow } from '../return-columns.js';
import { checkHmisFiles } from './check.js';
import type { ClientTable } from './clients.js';
import { indexExisting } from './existing.js';
import { stableId, stableIdOf } from './ids.js';
import { HMIS_FILES, type HmisFileName, type HmisVersion, hmisColumns } from './layouts.js';
import { exportRow, metadataRows } from './metadata.js';
import { type HmisOptions, resolveHmisOptions } from './options.js';
import { buildPlan, type PlanHistory } from './plan.js';
import { clientRecords, type RecordCounts } from './records.js';
import { type HmisTable, type HmisValues, makeRow } from './table.js';
import { charLength } from './text.js';

/**
 * The import files of one run.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const returnRead = await readReturnFile(readFileSync('mcp-return.csv'));
 * const clients = await readClientFile(readFileSync('Client.csv'));
 * const exp: HmisExport = buildHmisExport(returnRead, { projectId: 'MCP-GSHP', cocCode: 'CA-500', clients });
 * exp.files.get('Enrollment.csv')?.rows.length;
 * ```
 */
export interface HmisExport {
  readonly version: HmisVersion;
  readonly exportId: string;
  /** Every file of `HMIS_FILES`, each with its header, in writing order. */
  readonly files: ReadonlyMap<HmisFileName, HmisTable>;
  /** Client.csv: the CoC's own rows (see `clientFileLines`), for these PersonalIDs in this order. */
  readonly clients: { readonly table: ClientTable; readonly personalIds: readonly string[] };
  /** Warnings and rejections about return rows (future dates, other open enrollments, too-long values). */
  readonly issues: readonly OutputIssue[];
  /** Records per kind: new or changed this run, and what the export holds in all. */
  readonly counts: RecordCounts & {
    /** Live enrollments the export holds (new, changed and carried). */
    readonly liveEnrollments: number;
  };
}

/**
 * The return rows to export, with the Community Supports services of their file.
 *
 * @example
 * ```ts
 * const input: HmisInput = await readReturnFile(bytes); // or the result of buildReturnRows
 * ```
 */
export interface HmisInput {
  readonly rows: readonly ReturnRow[];
  readonly services: readonly string[];
  /** The return history (`readReturnHistory`, or `ReturnResult.history`); without it each client has the return row's one span. */
  readonly history?: PlanHistory;
}

const TEXT_MAX = 250;

/**
 * Builds the HMIS import files. IDs are derived from the project, client and dates (`stableId`) or
 * kept from the existing export; timestamps come from the export date; so the same input and options
 * give byte-identical files, and a run against its own output (or the HMIS's export after importing
 * it) writes the same records again: importing it changes nothing.
 *
 * @throws TypeError/RangeError for bad options; BloomlinkError `CLIENT_MISSING` when a PersonalID of
 *   a live enrollment has no row in `opts.clients` (the message gives the count), `INPUT_INVALID` if
 *   the files fail the HUD checks (a bug or inconsistent existing files, never a bad return row:
 *   those become issues)
 * @example
 * ```ts
 * const clients = await readClientFile(fileBytes('Client.csv'));
 * const exp = buildHmisExport(await readReturnFile(bytes), { projectId: 'MCP-GSHP', cocCode: 'CA-500', clients, exportDate: '2026-01-15' });
 * for (const table of exp.files.values()) console.log(table.file, table.rows.length);
 * ```
 */
export function buildHmisExport(input: HmisInput, opts: HmisOptions): HmisExport {
  const o = asOptionError('buildHmisExport', () => resolveHmisOptions(opts));
  const ex = indexExisting(opts.existing, o.projectId);
  const issues: OutputIssue[] = [];
  const rows: ReturnRow[] = [];
  const lines: number[] = [];
  const plans = new Set<string>();
  input.rows.forEach((row, i) => {
    const line = opts.lines?.[i] ?? i + 2;
    const long = tooLong(row, input.services);
    if (long !== undefined) {
      issues.push(
        ...withRecordId(
          [{ file: o.label, line, field: long, code: 'FIELD_TOO_LONG', severity: 'error' }],
          'PersonalID',
          row.personalId,
        ),
      );
      return;
    }
    plans.add(row.mcp);
    rows.push(row);
    lines.push(line);
  });
  const plan = buildPlan({ ...input, rows }, lines, o.label);
  const recs = clientRecords(plan, o, ex, issues);

  const missing = [...recs.livePersons].filter((id) => !opts.clients.byId.has(id)).length;
  if (missing > 0) {
    throw new BloomlinkError(
      'CLIENT_MISSING',
      `--clients: ${missing} PersonalID(s) of the enrollments have no row in the CoC's Client.csv; export Client.csv again from HMIS`,
    );
  }
  const entries = recs.enrollments.map((e) => String(e.EntryDate ?? '')).filter((d) => d !== '');
  const earliestEntry = entries.sort()[0];
  const meta = metadataRows(opts, o, ex, plans, earliestEntry);
  const cols = (f: HmisFileName): readonly string[] => hmisColumns(f, o.version);
  const known = (f: HmisFileName): ((v: HmisValues) => string[]) => {
    const columns = cols(f);
    // ExportID is set once the content is known (an existing row's own is dropped).
    const set = new Set(columns.filter((c) => c !== 'ExportID'));
    // Existing rows may carry columns of the other edition or extra ones: keep the file's columns only.
    return (v) => makeRow(columns, Object.fromEntries(Object.entries(v).filter(([k]) => set.has(k))));
  };
  const byPerson = (a: HmisValues, b: HmisValues): number => {
    const ka = `${a.PersonalID ?? ''}\u0000${a.EnrollmentID ?? ''}\u0000${a.EntryDate ?? ''}\u0000${a.CustomQuestionOrder ?? ''}\u0000${a.CustomDetailAnswer ?? ''}\u0000${a.DateDeleted ?? ''}`;
    const kb = `${b.PersonalID ?? ''}\u0000${b.EnrollmentID ?? ''}\u0000${b.EntryDate ?? ''}\u0000${b.CustomQuestionOrder ?? ''}\u0000${b.CustomDetailAnswer ?? ''}\u0000${b.DateDeleted ?? ''}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
  const out = new Map<HmisFileName, string[][]>(HMIS_FILES.map((f) => [f, []]));
  const rowsOf = (file: HmisFileName): string[][] => defined(out.get(file), `rows of ${file}`);
  for (const [file, list] of meta.rows) out.set(file, list.map(known(file)));
  for (const [file, list] of [
    ['Enrollment.csv', recs.enrollments],
    ['Exit.csv', recs.exits],
    ['CustomMCPEnrollment.csv', recs.answers],
    ['CustomMCPServices.csv', recs.services],
  ] as const) {
    out.set(file, [...list].sort(byPerson).map(known(file)));
  }

  const exportValues = exportRow(o, meta, earliestEntry);
  const exportId = stableId(
    'export',
    o.projectId,
    o.version,
    o.timestamp,
    stableIdOf('content', contentCells(out, exportValues)),
  );
  rowsOf('Export.csv').push(makeRow(cols('Export.csv'), { ExportID: exportId, ...exportValues }));
  const files = new Map<HmisFileName, HmisTable>();
  for (const f of HMIS_FILES) {
    const columns = cols(f);
    const at = columns.indexOf('ExportID');
    const list = rowsOf(f);
    for (const r of list) r[at] = exportId;
    files.set(f, { file: f, columns, rows: list });
  }

  const problems = checkHmisFiles(files, o.version);
  const first = problems[0];
  if (first !== undefined) {
    throw new BloomlinkError(
      'INPUT_INVALID',
      `HMIS self-check failed: ${first.file} line ${first.line}, ${first.field}: ${first.rule}` +
        (problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''),
    );
  }
  const personalIds = [...new Set([...recs.livePersons, ...recs.deletedPersons])]
    .filter((id) => opts.clients.byId.has(id))
    .sort();
  return {
    version: o.version,
    exportId,
    files,
    clients: { table: opts.clients, personalIds },
    issues,
    counts: {
      ...recs.counts,
      liveEnrollments: count(defined(files.get('Enrollment.csv'), 'Enrollment.csv')),
    },
  };
}

function count(t: HmisTable): number {
  const at = t.columns.indexOf('DateDeleted');
  return t.rows.filter((r) => r[at] === '').length;
}

function* contentCells(
  rows: ReadonlyMap<HmisFileName, readonly (readonly string[])[]>,
  exp: HmisValues,
): Generator<string> {
  for (const [file, list] of rows) {
    yield file;
    // One part per row (cells joined by a separator no cell can hold) keeps the hashing loop short.
    for (const r of list) yield r.join('\u0001');
  }
  for (const v of Object.values(exp)) yield String(v ?? '');
}

/** The first value of a row that no HMIS text field could hold (S250). */
function tooLong(row: ReturnRow, services: readonly string[]): string | undefined {
  if (charLength(row.mcp) > TEXT_MAX) return 'MCP';
  if (row.ecm.provider !== undefined && charLength(row.ecm.provider) > TEXT_MAX) return 'ECMProvider';
  for (const s of services) {
    const p = row.cs[s]?.provider;
    if (p !== undefined && charLength(p) > TEXT_MAX) return `CS ${s} Provider`;
  }
  return undefined;
}
