/**
 * MCP return rows → HUD HMIS CSV import files (Export, Organization, User, Project, Enrollment, Exit
 * and the two Appendix C custom files), checked against the HUD rules before they are returned.
 * With an existing export of the project, only the changes are produced (see `rowRecords`).
 */
import { BloomlinkError } from '../../errors.js';
import { defined } from '../../util/defined.js';
import { asOptionError } from '../../util/options.js';
import type { OutputIssue } from '../issues.js';
import type { ReturnRow } from '../return-columns.js';
import { checkHmisFiles } from './check.js';
import { indexExisting } from './existing.js';
import { stableId, stableIdOf } from './ids.js';
import { HMIS_FILES, type HmisFileName, type HmisVersion, hmisColumns } from './layouts.js';
import { exportRow, metadataChanged, metadataRows } from './metadata.js';
import { type HmisOptions, resolveHmisOptions } from './options.js';
import { rowRecords } from './records.js';
import { type HmisTable, type HmisValues, makeRow } from './table.js';
import { charLength } from './text.js';

/**
 * The import files of one run.
 *
 * @example
 * ```ts
 * const exp = buildHmisExport(returnRead, { projectId: 'MCP-GSHP' });
 * exp.files.get('Enrollment.csv')?.rows.length;
 * ```
 */
export interface HmisExport {
  readonly version: HmisVersion;
  readonly exportId: string;
  /** Every file of `HMIS_FILES`, each with its header, in writing order. */
  readonly files: ReadonlyMap<HmisFileName, HmisTable>;
  /** Warnings and rejections about return rows (future dates, other open enrollments, too-long values). */
  readonly issues: readonly OutputIssue[];
  /** Records written per kind. */
  readonly counts: {
    readonly enrollments: number;
    readonly exits: number;
    readonly answers: number;
    readonly services: number;
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
}

const TEXT_MAX = 250;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * Builds the HMIS import files from return rows. IDs are derived from the project, client and dates
 * (`stableId`), timestamps from the export date, so the same input and options give byte-identical
 * files, and a run against the previous output writes only headers and the Export row.
 *
 * @throws TypeError/RangeError for bad options; BloomlinkError `INPUT_INVALID` if the files fail the
 *   HUD checks (a bug or inconsistent existing files, never a bad return row: those become issues)
 * @example
 * ```ts
 * const exp = buildHmisExport(await readReturnFile(bytes), { projectId: 'MCP-GSHP', exportDate: '2026-01-15' });
 * for (const table of exp.files.values()) console.log(table.file, table.rows.length);
 * ```
 */
export function buildHmisExport(input: HmisInput, opts: HmisOptions): HmisExport {
  const o = asOptionError('buildHmisExport', () => resolveHmisOptions(opts));
  const ex = indexExisting(opts.existing, o.projectId);
  const issues: OutputIssue[] = [];
  const data = {
    enrollment: [] as HmisValues[],
    exit: [] as HmisValues[],
    answers: [] as HmisValues[],
    services: [] as HmisValues[],
  };
  const plans = new Set<string>();
  let earliestEntry: string | undefined;
  input.rows.forEach((row, i) => {
    const line = opts.lines?.[i] ?? i + 2;
    const warn = (
      field: string,
      code: OutputIssue['code'],
      severity: 'error' | 'warning' = 'warning',
    ): void => {
      issues.push({ file: o.label, line, field, code, severity });
    };
    const long = tooLong(row, input.services);
    if (long !== undefined) {
      warn(long, 'FIELD_TOO_LONG', 'error');
      return;
    }
    plans.add(row.mcp);
    const recs = rowRecords(row, input.services, o, ex, warn);
    if (recs === undefined) return;
    if (earliestEntry === undefined || row.mcpEnrollmentDate < earliestEntry)
      earliestEntry = row.mcpEnrollmentDate;
    if (recs.enrollment !== undefined) data.enrollment.push(recs.enrollment);
    if (recs.exit !== undefined) data.exit.push(recs.exit);
    data.answers.push(...recs.answers);
    data.services.push(...recs.services);
  });

  const meta = metadataRows(opts, o, ex, plans, earliestEntry);
  const dataRows = data.enrollment.length + data.exit.length + data.answers.length + data.services.length;
  const cols = (f: HmisFileName): readonly string[] => hmisColumns(f, o.version);
  const withMeta = (f: HmisFileName, v: HmisValues): string[] =>
    makeRow(
      cols(f),
      f === 'User.csv'
        ? { DateUpdated: v.DateCreated, ...v }
        : { UserID: o.userId, DateUpdated: v.DateCreated, ...v },
    );
  const rows = new Map<HmisFileName, string[][]>(HMIS_FILES.map((f) => [f, []]));
  const rowsOf = (file: HmisFileName): string[][] => defined(rows.get(file), `rows of ${file}`);
  for (const [file, values, key] of [
    ['Organization.csv', meta.organization, meta.organizationId],
    ['User.csv', meta.user, o.userId],
    ['Project.csv', meta.project, o.projectId],
  ] as const) {
    const old = ex.metadata.get(file)?.get(key);
    const cells = withMeta(file, values);
    const changed = metadataChanged(cols(file), cells, old);
    if (!ex.incremental || dataRows > 0 || changed) {
      // Unchanged rows keep their DateUpdated; it is never before DateCreated.
      const created = String(values.DateCreated);
      let updated = changed ? o.timestamp : (old?.DateUpdated ?? o.timestamp);
      if (!TIMESTAMP.test(updated) || updated < created) updated = created;
      rowsOf(file).push(
        withMeta(file, {
          ...values,
          DateUpdated: updated,
        }),
      );
    }
  }
  const put = (file: HmisFileName, list: readonly HmisValues[]): void => {
    for (const v of list) rowsOf(file).push(withMeta(file, v));
  };
  put('Enrollment.csv', data.enrollment);
  put('Exit.csv', data.exit);
  put('CustomMCPEnrollment.csv', data.answers);
  put('CustomMCPServices.csv', data.services);

  const earliestWritten = data.enrollment.reduce<string | undefined>((m, e) => {
    const d = String(e.EntryDate);
    return m === undefined || d < m ? d : m;
  }, undefined);
  const exportValues = exportRow(o, meta, ex.incremental, earliestWritten);
  const exportId = stableId(
    'export',
    o.projectId,
    o.version,
    o.timestamp,
    stableIdOf('content', contentCells(rows, exportValues)),
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

  const problems = checkHmisFiles(files, o.version, opts.existing);
  const first = problems[0];
  if (first !== undefined) {
    throw new BloomlinkError(
      'INPUT_INVALID',
      `HMIS self-check failed: ${first.file} line ${first.line}, ${first.field}: ${first.rule}` +
        (problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''),
    );
  }
  return {
    version: o.version,
    exportId,
    files,
    issues,
    counts: {
      enrollments: data.enrollment.length,
      exits: data.exit.length,
      answers: data.answers.length,
      services: data.services.length,
    },
  };
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
