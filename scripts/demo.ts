/**
 * `npm run demo`: the whole bloomlink workflow on the bundled synthetic sample, with the same
 * commands a user runs, writing every output into out/demo/:
 *   validate the lists → keygen → encode each side → match → return file → HMIS import files
 * and a summary with precision/recall against the sample's ground truth.
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
console.log(`
Summary (synthetic sample, ${((performance.now() - t0) / 1000).toFixed(1)} s)
  links (match):        ${m.truePositives + m.falsePositives}
  review pairs:         ${r.length}
  precision / recall:   ${m.precision.toFixed(4)} / ${m.recall.toFixed(4)} (F1 ${m.f1.toFixed(4)}) against data/sample/truth.csv
  return file rows:     ${readFileSync(files.ret, 'utf8').trim().split(/\r?\n/).length - 1} (matched clients only)
  HMIS import files:    ${readdirSync(files.hmisDir).sort().join(', ')}
  outputs:              ${out.replace(root, '')}/ (links.csv, review.csv, report.html, model.json, coc.arrow, mcp.arrow, mcp-return.csv, hmis-import/, *.rejects.csv)
`);
