import { basename } from 'node:path';
import { isIsoDate } from '../../normalise/date.js';
import { formatOutputIssue, OUTPUT_REPORT_COLUMNS, type OutputIssue } from '../../output/issues.js';
import { returnRowsToIpc } from '../../output/return-arrow.js';
import { buildReturnRows, type ReturnResult } from '../../output/return-file.js';
import { returnFileLines } from '../../output/return-format.js';
import { returnHistoryLines, returnHistoryPath } from '../../output/return-history.js';
import { canonicalProgram, ECM } from '../../read/programs.js';
import { CSV_EOL, formatCsvRow } from '../../util/csv-write.js';
import { OPTION_RULES } from '../../util/options.js';
import { type Command, opt, optRule, req, UsageError } from '../command.js';
import type { OutputSet } from '../files.js';
import { inputBytes } from '../input.js';
import { beginWithManifest, type RunManifest } from '../manifest.js';

/** Parses `--services`: comma-separated service names (none of the DHCS names holds a comma). */
function servicesOption(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (list.length === 0)
    throw new UsageError('--services needs at least one Community Supports service name');
  for (const name of list) {
    const c = canonicalProgram(name);
    // Service names are program vocabulary, not personal data, so the message may quote them.
    if (c === undefined || c === ECM)
      throw new UsageError(`--services: '${name}' is not a Community Supports service`);
  }
  return list;
}

/**
 * Writes an output-stage rejection report (`File,Line,ID,Field,Code,Severity,Description`) into `set`,
 * as a private file (it names rows of files holding personal data).
 *
 * @example
 * ```ts
 * await writeOutputReport(set, 'rejects.csv', result.issues);
 * ```
 */
export async function writeOutputReport(
  set: OutputSet,
  path: string,
  issues: Iterable<OutputIssue>,
): Promise<void> {
  const lines = [formatCsvRow(OUTPUT_REPORT_COLUMNS) + CSV_EOL];
  for (const i of issues) lines.push(formatOutputIssue(i));
  await set.writeText(path, lines.join(''), 'private', '--report');
}

function summary(result: ReturnResult, out: string, history: string, report: string): string {
  const line = (name: string, c: ReturnResult['counts']['links'], extra = ''): string =>
    `${name}: ${c.rowsRead} rows read, ${c.used} used, ${c.rejected} rejected, ${c.warnings} warnings${extra}`;
  const records = (kind: string) => result.history.filter((h) => h.record === kind).length;
  return [
    line('links', result.counts.links),
    line('members', result.counts.members, ` (rows are coverage spans: ${result.members} members)`),
    line('programs', result.counts.programs),
    result.reviewSkipped > 0
      ? `review links left out: ${result.reviewSkipped} (use --include-review to add them)`
      : '',
    result.endedBeforeWindow > 0
      ? `matched clients left out, membership ended before ${result.windowStart} (look-back window): ${result.endedBeforeWindow}`
      : '',
    `return file: ${result.rows.length} matched clients, ${result.services.length} Community Supports services → ${out}`,
    `history: ${records('coverage')} coverage spans, ${records('ECM')} ECM and ${records('CS')} Community Supports episodes since ${result.windowStart}, ${result.retracted} retracted links → ${history}`,
    `rejection report: ${report}`,
    '',
  ]
    .filter((l, i, a) => l !== '' || i === a.length - 1)
    .join('\n');
}

/**
 * `bloomlink return-file`: links + member list + program list → the MCP return file.
 *
 * @example
 * ```ts
 * await returnFile.run({ links: 'links.csv', members: 'members.csv', programs: 'programs.csv', out: 'mcp-return.csv' });
 * ```
 */
export const returnFile: Command = {
  name: 'return-file',
  summary: 'build the MCP return file (plan, coverage, ECM and Community Supports) for matched clients',
  options: {
    links: { type: 'string', arg: 'FILE', help: "links CSV from 'bloomlink match'", required: true },
    members: {
      type: 'string',
      arg: 'FILE',
      help: 'plan member list (clear text, the one that was encoded)',
      required: true,
    },
    programs: {
      type: 'string',
      arg: 'FILE',
      help: 'plan program list (ECM and Community Supports episodes)',
      required: true,
    },
    out: { type: 'string', arg: 'FILE', help: 'return file CSV to write', required: true },
    'include-review': {
      type: 'boolean',
      help: "also return clients whose link is in the clerical-review band ('review')",
    },
    services: {
      type: 'string',
      arg: 'LIST',
      help: 'comma-separated Community Supports services to report (default: the housing-related ones: Housing Transition Navigation Services, Housing Deposits, Housing Tenancy and Sustaining Services)',
    },
    'as-of': {
      type: 'string',
      arg: 'YYYY-MM-DD',
      help: "day on which 'enrolled' is judged (default: today)",
    },
    'lookback-months': {
      type: 'string',
      arg: 'N',
      help: 'months before --as-of that the history covers (default 24); memberships that ended before are not returned',
    },
    changes: {
      type: 'string',
      arg: 'FILE',
      help: "changes CSV from 'bloomlink match --previous … --changes': links a person rejected become 'retracted' history rows",
    },
    arrow: { type: 'string', arg: 'FILE', help: 'also write the return file as Arrow IPC' },
    report: { type: 'string', arg: 'FILE', help: 'rejection report CSV (default: <out>.rejects.csv)' },
    quiet: { type: 'boolean', short: 'q', help: 'no summary' },
  },
  details: `Example:
  bloomlink return-file --links links.csv --members members.csv --programs programs.csv --out mcp-return.csv
Only links with Status 'match' are used unless --include-review is given. Names and DOB are the
plan's values (of the member's most recent coverage span). Nothing about members who did not match
is written, nor about memberships that ended before the look-back window (--lookback-months, default
24). Each row shows the coverage span current on the --as-of day (else the one that ended last), and
per program the episode open that day (else the most recent). Beside the return file, <stem>-history.csv
holds every coverage span and ECM/Community Supports episode within the window, and a 'retracted' row
per link in --changes removed because a person rejected it. Bad rows are listed in the rejection
report (file, line, the row's own PersonalID or MemberID, field, code), never another value.`,
  async run(v) {
    const out = req(v, 'out');
    const report = opt(v, 'report') ?? `${out}.rejects.csv`;
    const historyPath = returnHistoryPath(out);
    const services = servicesOption(opt(v, 'services'));
    const asOf = opt(v, 'as-of');
    const lookbackMonths = optRule(v, 'lookback-months', OPTION_RULES.nonNegativeInteger);
    const changesPath = opt(v, 'changes');
    const issues: OutputIssue[] = [];
    const paths = { links: req(v, 'links'), members: req(v, 'members'), programs: req(v, 'programs') };
    if (asOf !== undefined && !isIsoDate(asOf)) throw new UsageError('--as-of must be a date YYYY-MM-DD');
    const arrow = opt(v, 'arrow');
    const { set, manifest } = await beginWithManifest(returnFile, v, out, {
      files: [
        { option: '--out', path: out },
        { option: '--out (history)', path: historyPath },
        ...(arrow !== undefined ? [{ option: '--arrow', path: arrow }] : []),
        { option: '--report', path: report },
      ],
      inputs: [
        { option: '--links', path: paths.links },
        { option: '--members', path: paths.members },
        { option: '--programs', path: paths.programs },
        ...(changesPath !== undefined ? [{ option: '--changes', path: changesPath }] : []),
      ],
    });
    try {
      const text = await build(set, manifest);
      await set.commit();
      if (v.quiet !== true) process.stderr.write(text);
    } catch (e) {
      await set.abort();
      throw e;
    }
    return 0;
    /**
     * Builds the return file and writes every output into `set` (names and DOBs, so all private);
     * returns the summary to print once the set is committed.
     */
    async function build(set: OutputSet, manifest: RunManifest): Promise<string> {
      const result = await buildReturnRows(
        {
          links: inputBytes(paths.links),
          members: inputBytes(paths.members),
          programs: inputBytes(paths.programs),
          ...(changesPath !== undefined && { changes: inputBytes(changesPath) }),
        },
        {
          includeReview: v['include-review'] === true,
          ...(services !== undefined && { services }),
          ...(asOf !== undefined && { asOf }),
          ...(lookbackMonths !== undefined && { lookbackMonths }),
          labels: {
            links: basename(paths.links),
            members: basename(paths.members),
            programs: basename(paths.programs),
            ...(changesPath !== undefined && { changes: basename(changesPath) }),
          },
          onIssue: (i) => void issues.push(i),
        },
      );
      await set.writeLines(out, returnFileLines(result.rows, result.services), 'private');
      await set.writeLines(historyPath, returnHistoryLines(result.history), 'private', '--out (history)');
      if (arrow !== undefined) {
        await set.writeText(arrow, await returnRowsToIpc(result.rows, result.services), 'private', '--arrow');
      }
      await writeOutputReport(set, report, issues);
      const c = result.counts;
      manifest.rows('--links', c.links.rowsRead).rows('--members', c.members.rowsRead);
      manifest.rows('--programs', c.programs.rowsRead).count('clients', result.rows.length);
      manifest.count('historyRecords', result.history.length);
      return summary(result, out, historyPath, report);
    }
  },
};
