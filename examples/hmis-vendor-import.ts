/**
 * For an HMIS vendor: turn a plan's return file into a complete HUD HMIS CSV export of the plan's
 * project with the API (the CoC's own Client.csv rows included), check it against HUD's rules, and
 * show that a second run with the first run's files as the existing export writes the same records.
 *
 * Run from the repository: npx tsx examples/hmis-vendor-import.ts
 * (it first makes a return file from the bundled sample, standing in for the one the plan sends).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildHmisExport,
  buildReturnRows,
  checkHmisFiles,
  clientFileLines,
  hmisFileText,
  readClientFile,
  readReturnFile,
  returnFileLines,
} from 'bloomlink';
import { fileBytes, readHmisDir } from 'bloomlink/node';

const dir = mkdtempSync(join(tmpdir(), 'bloomlink-vendor-'));

// The plan's side (here from the sample's true pairs): links + members + programs → return file.
const links = (await import('node:fs'))
  .readFileSync('data/sample/truth.csv', 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((l) => {
    const [PersonalID, MemberID] = l.split(',');
    return { PersonalID, MemberID, Status: 'match' };
  });
const ret = await buildReturnRows(
  { links, members: fileBytes('data/sample/members.csv'), programs: fileBytes('data/sample/programs.csv') },
  { asOf: '2026-01-01' },
);
writeFileSync(join(dir, 'mcp-return.csv'), [...returnFileLines(ret.rows, ret.services)].join(''));
console.log(
  `return file: ${ret.rows.length} matched clients, ${ret.services.length} Community Supports services`,
);

/** Writes one import into `out`, comparing with `existing` (a previous export of the project). */
async function importOnce(out: string, existingDir?: string) {
  const read = await readReturnFile(fileBytes(join(dir, 'mcp-return.csv')));
  const existing = existingDir ? await readHmisDir(existingDir) : undefined;
  // The CoC's own HMIS Client.csv: the enrolled clients' rows are copied into the export unchanged.
  const clients = await readClientFile(fileBytes('data/sample/hmis-fy2026/Client.csv'));
  const exp = buildHmisExport(read, {
    projectId: 'MCP-GSHP',
    cocCode: 'CA-500',
    clients,
    version: '2026',
    exportDate: '2026-01-15',
    ...(existing ? { existing } : {}),
  });
  mkdirSync(out, { recursive: true });
  for (const [name, table] of exp.files) writeFileSync(join(out, name), hmisFileText(table, exp.version));
  writeFileSync(
    join(out, 'Client.csv'),
    [...clientFileLines(exp.clients.table, exp.clients.personalIds)].join(''),
  );
  const problems = checkHmisFiles(await readHmisDir(out), '2026', existing);
  console.log(`${out}: ${JSON.stringify(exp.counts)}; HUD-rule problems: ${problems.length}`);
}

await importOnce(join(dir, 'first'));
// The same records again (a full refresh of the project): nothing new or changed, every count is 0.
await importOnce(join(dir, 'second'), join(dir, 'first'));

// The import folders were only for this run: remove them.
rmSync(dir, { recursive: true, force: true });
