/**
 * `npm run demo`: the whole bloomlink workflow on the bundled synthetic sample, with the same
 * commands a user runs, writing every output into out/demo/:
 *   month 1: validate the lists → keygen → encode each side → match → return file → HMIS import files
 *   month 2: the plan's lists one month on (a coverage gap, a Medi-Cal → D-SNP move, a provider change,
 *            members who left), a clerk's decisions → encode → match with --decisions and --previous
 *            → return file with --changes → HMIS import files against what HMIS holds after month 1
 * and a summary with precision/recall against the sample's ground truth and what changed in month 2.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command, OptionValues } from '../src/cli/command.js';
import { encode } from '../src/cli/commands/encode.js';
import { hmis } from '../src/cli/commands/hmis.js';
import { match } from '../src/cli/commands/match.js';
import { returnFile } from '../src/cli/commands/return-file.js';
import { validate } from '../src/cli/commands/validate.js';
import { generateKeyHex } from '../src/encode/key.js';
import { linkageMetrics } from '../src/match/metrics.js';
import { parseCsvSync } from '../src/read/csv.js';
import { MEMBER_COLUMNS, PROGRAM_COLUMNS } from '../src/synth/columns.js';
import { nextMonth } from '../src/synth/next-month.js';
import { CSV_EOL, formatCsvRow } from '../src/util/csv-write.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const sample = join(root, 'data', 'sample');
const out = join(root, 'out', 'demo');

function readPairs(path: string, status?: string): [string, string][] {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',');
  const s = header.indexOf('Status');
  return lines
    .slice(1)
    .map((l) => l.split(','))
    .filter((f) => status === undefined || f[s] === status)
    .map((f) => [f[0]!, f[1]!]);
}

async function step(title: string, cmd: Command, values: OptionValues): Promise<void> {
  process.stderr.write(
    `\n── ${title}: bloomlink ${cmd.name} ${Object.entries(values)
      .filter(([, v]) => v !== true)
      .map(([k, v]) => `--${k} ${String(v).replace(root, '')}`)
      .join(' ')}\n`,
  );
  const code = await cmd.run(values);
  if (code !== 0) throw new Error(`${cmd.name} exited with ${code}`);
}

/** Rows of a CSV file as records keyed by its header. */
function csvRecords(path: string): Record<string, string>[] {
  const [header, ...rows] = parseCsvSync(readFileSync(path, 'utf8')).map((r) => r.fields);
  return rows
    .filter((f) => f.some((v) => v !== ''))
    .map((f) => Object.fromEntries((header ?? []).map((h, i) => [h, f[i] ?? ''])));
}

/** Writes records as a CSV file with the given columns (CRLF, quoted where needed). */
async function writeCsv(path: string, columns: readonly string[], rows: readonly Record<string, string>[]) {
  const lines = [formatCsvRow(columns), ...rows.map((r) => formatCsvRow(columns.map((c) => r[c] ?? '')))];
  await writeFile(path, lines.map((l) => l + CSV_EOL).join(''), { mode: 0o600 });
}

/** Counts of a column's values, as `value n, value n`. */
function tally<R extends object>(rows: readonly R[], column: keyof R & string): string {
  const n = new Map<string, number>();
  for (const r of rows) {
    const v = String(r[column] ?? '');
    n.set(v, (n.get(v) ?? 0) + 1);
  }
  return [...n].map(([k, v]) => `${k || '(blank)'} ${v}`).join(', ');
}

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const t0 = performance.now();
const files = {
  clients: join(sample, 'clients.csv'),
  members: join(sample, 'members.csv'),
  programs: join(sample, 'programs.csv'),
  truth: join(sample, 'truth.csv'),
  key: join(out, 'demo.key'),
  coc: join(out, 'coc.arrow'),
  mcp: join(out, 'mcp.arrow'),
  links: join(out, 'links.csv'),
  review: join(out, 'review.csv'),
  model: join(out, 'model.json'),
  ret: join(out, 'mcp-return.csv'),
  hmisDir: join(out, 'hmis-import'),
};

await step('1. Validate the CoC client list', validate, {
  in: files.clients,
  report: join(out, 'clients.rejects.csv'),
  today: '2026-01-01',
  quiet: true,
});
await step('   Validate the plan member list', validate, {
  in: files.members,
  report: join(out, 'members.rejects.csv'),
  today: '2026-01-01',
  quiet: true,
});
await step('   Validate the plan program list', validate, {
  in: files.programs,
  report: join(out, 'programs.rejects.csv'),
  today: '2026-01-01',
  quiet: true,
});
await writeFile(files.key, `${generateKeyHex()}\n`, { mode: 0o600 });
process.stderr.write(
  '\n── 2. A fresh demo key (bloomlink keygen) → out/demo/demo.key (shared by the CoC and the plan only)\n',
);
await step('3. The CoC encodes its clients', encode, {
  in: files.clients,
  key: files.key,
  out: files.coc,
  today: '2026-01-01',
  quiet: true,
});
await step('   The plan encodes its members', encode, {
  in: files.members,
  key: files.key,
  out: files.mcp,
  today: '2026-01-01',
  quiet: true,
});
await step('4. Match the two encoded files (no key)', match, {
  coc: files.coc,
  mcp: files.mcp,
  out: files.links,
  review: files.review,
  report: join(out, 'report.html'),
  model: files.model,
});

await step('5. The plan writes the return file (matched clients only)', returnFile, {
  links: files.links,
  members: files.members,
  programs: files.programs,
  out: files.ret,
  'as-of': '2026-01-01',
});
await step('6. The CoC turns it into HMIS CSV import files', hmis, {
  return: files.ret,
  clients: join(root, 'data', 'sample', 'hmis-fy2026', 'Client.csv'),
  'coc-code': 'CA-500',
  'project-id': 'MCP-GSHP',
  out: files.hmisDir,
  'export-date': '2026-01-01',
});

const truth = readPairs(files.truth);
const m = linkageMetrics(readPairs(files.links, 'match'), truth);
const r = readPairs(files.links, 'review');
const month1 = `${((performance.now() - t0) / 1000).toFixed(1)} s`;

// ── Month 2 ────────────────────────────────────────────────────────────────────────────────────
const t1 = performance.now();
const m2 = join(out, 'month-2');
await mkdir(m2, { recursive: true });
const next = nextMonth(csvRecords(files.members), csvRecords(files.programs), {
  seed: 2,
  previousAsOf: '2026-01-01',
  asOf: '2026-02-01',
});
const files2 = {
  members: join(m2, 'members.csv'),
  programs: join(m2, 'programs.csv'),
  decisions: join(m2, 'decisions.csv'),
  mcp: join(m2, 'mcp.arrow'),
  links: join(m2, 'links.csv'),
  review: join(m2, 'review.csv'),
  changes: join(m2, 'changes.csv'),
  ret: join(m2, 'mcp-return.csv'),
  hmisDir: join(m2, 'hmis-import'),
};
await writeCsv(files2.members, MEMBER_COLUMNS, next.members);
await writeCsv(files2.programs, PROGRAM_COLUMNS, next.programs);
process.stderr.write(
  `\n── 7. Month 2: the plan's lists one month on (synthetic: ${tally(next.changes, 'kind')}) → out/demo/month-2/\n`,
);
// A clerk's decisions on month 1 (simulated with the sample's ground truth): every review pair
// decided, and the wrong automatic links an audit found rejected (a rejection retracts a link).
const isTrue = new Set(truth.map(([p, q]) => `${p},${q}`));
const decided = [
  ...readPairs(files.review).map(([p, q]) => ({ PersonalID: p, MemberID: q })),
  ...readPairs(files.links, 'match')
    .filter(([p, q]) => !isTrue.has(`${p},${q}`))
    .slice(0, 3)
    .map(([p, q]) => ({ PersonalID: p, MemberID: q })),
].map((d) => ({ ...d, Decision: isTrue.has(`${d.PersonalID},${d.MemberID}`) ? 'accept' : 'reject' }));
await writeCsv(files2.decisions, ['PersonalID', 'MemberID', 'Decision'], decided);
process.stderr.write(
  `── 8. A clerk's decisions on month 1 (simulated from the ground truth): ${tally(decided, 'Decision')} → month-2/decisions.csv\n`,
);
await step('9. The plan encodes its month-2 members (one record per member, several spans each)', encode, {
  in: files2.members,
  key: files.key,
  out: files2.mcp,
  today: '2026-02-01',
  quiet: true,
});
await step("10. Match month 2 with the decisions and last month's links (the CoC list is unchanged)", match, {
  coc: files.coc,
  mcp: files2.mcp,
  out: files2.links,
  review: files2.review,
  report: join(m2, 'report.html'),
  decisions: files2.decisions,
  previous: files.links,
  changes: files2.changes,
});
await step("11. The plan writes month 2's return file and history, with the retractions", returnFile, {
  links: files2.links,
  members: files2.members,
  programs: files2.programs,
  changes: files2.changes,
  out: files2.ret,
  'as-of': '2026-02-01',
});
await step("12. The CoC makes month 2's HMIS import against what HMIS holds after month 1", hmis, {
  return: files2.ret,
  clients: join(root, 'data', 'sample', 'hmis-fy2026', 'Client.csv'),
  'coc-code': 'CA-500',
  'project-id': 'MCP-GSHP',
  existing: [files.hmisDir],
  out: files2.hmisDir,
  'export-date': '2026-02-01',
});

const changes = csvRecords(files2.changes);
const removed = changes.filter((c) => c.Change === 'removed');
const history = csvRecords(join(m2, 'mcp-return-history.csv'));
const enrollments2 = csvRecords(join(files2.hmisDir, 'Enrollment.csv'));
const exits1 = csvRecords(join(files.hmisDir, 'Exit.csv'));
const exits2 = csvRecords(join(files2.hmisDir, 'Exit.csv'));
const m2Metrics = linkageMetrics(readPairs(files2.links, 'match'), truth);
console.log(`
Month 1 (synthetic sample, ${month1})
  links (match):        ${m.truePositives + m.falsePositives}
  review pairs:         ${r.length}
  precision / recall:   ${m.precision.toFixed(4)} / ${m.recall.toFixed(4)} (F1 ${m.f1.toFixed(4)}) against data/sample/truth.csv
  return file rows:     ${readFileSync(files.ret, 'utf8').trim().split(/\r?\n/).length - 1} (matched clients only)
  HMIS import files:    ${readdirSync(files.hmisDir).sort().join(', ')}

Month 2 (${((performance.now() - t1) / 1000).toFixed(1)} s): what changed
  plan's lists:         ${tally(next.changes, 'kind')}
  clerk's decisions:    ${tally(decided, 'Decision')}
  links:                ${tally(changes, 'Change')}${removed.length > 0 ? ` (removed: ${tally(removed, 'Reason')})` : ''}
  precision / recall:   ${m2Metrics.precision.toFixed(4)} / ${m2Metrics.recall.toFixed(4)} (F1 ${m2Metrics.f1.toFixed(4)})
  return history:       ${tally(history, 'Record')}
  HMIS enrollments:     ${enrollments2.filter((e) => !e.DateDeleted).length} live, ${enrollments2.filter((e) => e.DateDeleted).length} deleted (retracted links)
  HMIS exits:           ${exits1.length} after month 1, ${exits2.filter((e) => !e.DateDeleted).length} live after month 2

Outputs: ${out.replace(root, '')}/ (links.csv, review.csv, report.html, model.json, coc.arrow, mcp.arrow, mcp-return.csv,
  hmis-import/, *.rejects.csv, *.manifest.json) and ${m2.replace(root, '')}/ (the same for month 2, with decisions.csv and changes.csv)
`);
