import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { isIsoDate } from '../../normalise/date.js';
import { buildHmisExport, type HmisExport } from '../../output/hmis/build.js';
import { clientFileLines, readClientFile } from '../../output/hmis/clients.js';
import { HUD_LISTS, inList } from '../../output/hmis/codes.js';
import { COC_CODE, type HmisOptions } from '../../output/hmis/options.js';
import { readHmisDirs } from '../../output/hmis/read.node.js';
import { hmisFileLines } from '../../output/hmis/write.js';
import { readReturnHistory, returnHistoryPath } from '../../output/return-history.js';
import { readReturnFile } from '../../output/return-read.js';
import { type Command, type OptionValues, opt, req, UsageError } from '../command.js';
import type { OutputSet } from '../files.js';
import { inputBytes } from '../input.js';
import { beginWithManifest } from '../manifest.js';
import { writeOutputReport } from './return-file.js';

const ID_RE = /^\S(.{0,30}\S)?$/;

function idOption(v: OptionValues, name: string): string | undefined {
  const s = opt(v, name);
  if (s !== undefined && !ID_RE.test(s))
    throw new UsageError(`--${name} must be 1 to 32 characters without surrounding space`);
  return s;
}

type CliHmisOptions = Omit<HmisOptions, 'clients'>;

function options(v: OptionValues): CliHmisOptions {
  const projectId = idOption(v, 'project-id') ?? req(v, 'project-id');
  const cocCode = req(v, 'coc-code');
  if (!COC_CODE.test(cocCode))
    throw new UsageError('--coc-code must be a HUD CoC code: two letters, a hyphen, three digits (CA-500)');
  const geocode = opt(v, 'geocode');
  if (geocode !== undefined && !/^[0-9]{6}$/.test(geocode))
    throw new UsageError('--geocode must be 6 digits');
  const version = opt(v, 'version') ?? '2026';
  if (version !== '2026' && version !== '2024') throw new UsageError("--version must be '2026' or '2024'");
  const type = opt(v, 'project-type');
  if (type !== undefined && type !== '6' && type !== '7')
    throw new UsageError('--project-type must be 6 (Services Only) or 7 (Other)');
  const dest = opt(v, 'destination');
  const destination = dest === undefined ? undefined : Number(dest);
  if (
    dest !== undefined &&
    destination !== undefined &&
    (!/^\d+$/.test(dest) ||
      !inList(HUD_LISTS.Destination, destination) ||
      destination === 17 ||
      destination === 435)
  ) {
    throw new UsageError(
      '--destination must be a HUD 3.12 Destination code other than 17 and 435 (they need detail fields)',
    );
  }
  const exportDate = opt(v, 'export-date');
  if (exportDate !== undefined && !isIsoDate(exportDate))
    throw new UsageError('--export-date must be a date YYYY-MM-DD');
  const asOf = opt(v, 'as-of');
  if (asOf !== undefined && (!isIsoDate(asOf) || (exportDate !== undefined && asOf > exportDate)))
    throw new UsageError('--as-of must be a date YYYY-MM-DD not after --export-date');
  const organizationId = idOption(v, 'organization-id');
  const userId = idOption(v, 'user-id');
  const organizationName = opt(v, 'organization-name');
  const projectName = opt(v, 'project-name');
  return {
    projectId,
    cocCode,
    ...(geocode !== undefined && { geocode }),
    ...(asOf !== undefined && { asOf }),
    version,
    ...(type !== undefined && { projectType: Number(type) as 6 | 7 }),
    ...(destination !== undefined && { destination }),
    ...(exportDate !== undefined && { exportDate }),
    ...(organizationId !== undefined && { organizationId }),
    ...(organizationName !== undefined && { organizationName }),
    ...(projectName !== undefined && { projectName }),
    ...(userId !== undefined && { userId }),
  };
}

/** Writes every file of the export into `dir`, in `set` (committed with the report, all or none). */
async function writeExport(set: OutputSet, dir: string, exp: HmisExport): Promise<void> {
  // Client-level HMIS records (enrollments, member IDs, CINs): private.
  for (const table of exp.files.values())
    await set.writeLines(resolve(dir, table.file), hmisFileLines(table, exp.version), 'private');
  await set.writeLines(
    resolve(dir, 'Client.csv'),
    clientFileLines(exp.clients.table, exp.clients.personalIds),
    'private',
  );
}

/**
 * `bloomlink hmis`: MCP return file (and its history) → a complete HUD HMIS CSV export of the plan's project.
 *
 * @example
 * ```ts
 * await hmis.run({ return: 'mcp-return.csv', clients: 'Client.csv', 'coc-code': 'CA-500', 'project-id': 'MCP-GSHP', out: 'hmis-import', existing: ['hmis-export'] });
 * ```
 */
export const hmis: Command = {
  name: 'hmis',
  summary: 'turn the MCP return file into HUD HMIS CSV import files (enrollments, exits, ECM/CS services)',
  options: {
    return: {
      type: 'string',
      arg: 'FILE',
      help: "MCP return file from 'bloomlink return-file'",
      required: true,
    },
    clients: {
      type: 'string',
      arg: 'FILE',
      help: "the CoC's HMIS Client.csv: the linked clients' rows are copied unchanged into the export",
      required: true,
    },
    'coc-code': {
      type: 'string',
      arg: 'CODE',
      help: 'HUD CoC code, e.g. CA-500 (ProjectCoC.csv, EnrollmentCoC)',
      required: true,
    },
    'project-id': {
      type: 'string',
      arg: 'ID',
      help: "ProjectID of the plan's project in the CoC's HMIS",
      required: true,
    },
    out: { type: 'string', arg: 'DIR', help: 'folder to write the CSV files to', required: true },
    existing: {
      type: 'string',
      arg: 'DIR',
      multiple: true,
      help: "the HMIS's current export of the project (repeatable): records keep their IDs and DateCreated",
    },
    version: {
      type: 'string',
      arg: 'YEAR',
      help: "HMIS CSV edition: '2026' (FY2026 v1.0, default) or '2024'",
    },
    'organization-id': {
      type: 'string',
      arg: 'ID',
      help: 'OrganizationID (default: the existing one, else the project ID)',
    },
    'organization-name': {
      type: 'string',
      arg: 'NAME',
      help: "OrganizationName (default: the existing one, else the plan's name)",
    },
    'project-name': {
      type: 'string',
      arg: 'NAME',
      help: "ProjectName (default: the existing one, else '<organization> Medi-Cal Membership')",
    },
    'project-type': { type: 'string', arg: 'N', help: 'ProjectType: 6 Services Only (default) or 7 Other' },
    destination: {
      type: 'string',
      arg: 'CODE',
      help: 'exit Destination, HUD list 3.12 (default 30, No exit interview completed)',
    },
    geocode: {
      type: 'string',
      arg: 'NNNNNN',
      help: 'Geocode of a new ProjectCoC row (default 000000; an existing row is kept)',
    },
    'as-of': {
      type: 'string',
      arg: 'YYYY-MM-DD',
      help: "the return file's as-of day (default: the export date): open coverage is confirmed through it",
    },
    'export-date': {
      type: 'string',
      arg: 'YYYY-MM-DD',
      help: 'export date (default: now); records dated later wait for a later run',
    },
    'user-id': {
      type: 'string',
      arg: 'ID',
      help: "UserID on every record, written to User.csv (default 'bloomlink')",
    },
    report: {
      type: 'string',
      arg: 'FILE',
      help: 'rejection report CSV (default: <out>.rejects.csv, beside the folder)',
    },
    quiet: { type: 'boolean', short: 'q', help: 'no summary' },
  },
  details: `Example:
  bloomlink hmis --return mcp-return.csv --clients Client.csv --coc-code CA-500 --project-id MCP-GSHP \\
    --existing hmis-export --out hmis-import
Writes a complete HUD export of the MCP project: Export, Organization, User, Project, ProjectCoC,
Funder, HMISParticipation, Enrollment, Exit, Client (the CoC's own rows, unchanged) and the Appendix C
custom files CustomMCPEnrollment.csv (plan, coverage type, member ID, CIN, coverage confirmed through)
and CustomMCPServices.csv (ECM and Community Supports episodes: provider, start/end).
Reads <stem>-history.csv beside the return file when it is there: one enrollment per coverage span.
Every export holds every record of the project (a full refresh), so importers that are authoritative
for the project lose nothing; records keep the IDs and DateCreated of --existing, and importing a
re-run changes nothing.`,
  async run(v) {
    const opts = options(v);
    const out = req(v, 'out');
    const existingDirs = (v.existing as string[] | undefined) ?? [];
    const report = opt(v, 'report') ?? `${out.replace(/[\\/]+$/, '')}.rejects.csv`;
    const returnPath = req(v, 'return');
    const clientsPath = req(v, 'clients');
    const historyPath = returnHistoryPath(returnPath);
    const hasHistory = existsSync(historyPath);
    // An --existing folder given as --out (also through a symbolic link) is refused here: the run
    // would overwrite the export it compares against.
    const { set, manifest } = await beginWithManifest(hmis, v, out, {
      files: [{ option: '--report', path: report }],
      folders: [{ option: '--out', path: out }],
      inputs: [
        { option: '--return', path: returnPath },
        { option: '--clients', path: clientsPath },
        ...(hasHistory ? [{ option: '--return (history)', path: historyPath }] : []),
        ...existingDirs.map((path) => ({ option: '--existing', path })),
      ],
    });
    try {
      const label = basename(returnPath);
      const read = await readReturnFile(inputBytes(returnPath), {
        label,
        ...(opts.exportDate !== undefined && { today: opts.exportDate }),
      });
      const historyLabel = basename(historyPath);
      const history = hasHistory
        ? await readReturnHistory(inputBytes(historyPath), {
            label: historyLabel,
            ...(opts.exportDate !== undefined && { today: opts.exportDate }),
          })
        : undefined;
      const clients = await readClientFile(inputBytes(clientsPath), basename(clientsPath));
      const existing = existingDirs.length > 0 ? await readHmisDirs(existingDirs) : undefined;
      const exp = buildHmisExport(
        {
          ...read,
          ...(history !== undefined && {
            history: { rows: history.rows, lines: history.lines, label: historyLabel },
          }),
        },
        {
          ...opts,
          clients,
          label,
          lines: read.lines,
          ...(existing !== undefined && { existing }),
        },
      );
      await writeExport(set, out, exp);
      await writeOutputReport(set, report, [...read.issues, ...(history?.issues ?? []), ...exp.issues]);
      manifest.rows('--return', read.counts.rowsRead);
      if (history !== undefined) manifest.count('historyRecords', history.rows.length);
      for (const [k, n] of Object.entries(exp.counts)) if (typeof n === 'number') manifest.count(k, n);
      await set.commit();
      if (v.quiet !== true) {
        const c = exp.counts;
        const r = read.counts;
        const h = history?.counts;
        process.stderr.write(
          `${label}: ${r.rowsRead} rows read, ${r.used} used, ${r.rejected} rejected, ${r.warnings} warnings\n` +
            (h === undefined
              ? `no ${historyLabel} beside it: one coverage span per client, from the return file\n`
              : `${historyLabel}: ${h.rowsRead} rows read, ${h.used} used, ${h.rejected} rejected\n`) +
            `HMIS CSV FY${exp.version} → ${out}: ${c.liveEnrollments} enrollments held (full refresh of the project); ` +
            `new or changed: ${c.enrollments} enrollments, ${c.exits} exits, ${c.answers} enrollment answers, ` +
            `${c.services} service episodes; ${c.autoExits} exited as no longer confirmed, ${c.deleted} deleted ` +
            `(retracted links); ${exp.clients.personalIds.length} Client.csv rows\n` +
            `rejection report: ${report}\n`,
        );
      }
      return 0;
    } catch (e) {
      await set.abort();
      throw e;
    }
  },
};
