/**
 * Pinned SHA-256 digests of every file the workflow writes, for the bundled sample (encode both
 * sides → match → return file → HMIS folder) and for FEBRL 4 (encode both sides → match). Pinned
 * before the architecture redesign: moving code must not change a byte of any output. A change that
 * is meant to change outputs updates these digests in the same commit and says why.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Command, OptionValues } from '../../src/cli/command.js';
import { encode } from '../../src/cli/commands/encode.js';
import { hmis } from '../../src/cli/commands/hmis.js';
import { match } from '../../src/cli/commands/match.js';
import { returnFile } from '../../src/cli/commands/return-file.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = join(root, 'data', 'sample');
const febrl = join(root, 'data', 'third_party', 'febrl');
const KEY = `${'5a3c91e07bd24f68'.repeat(3)}0f1e2d3c4b5a6978\n`;
const dir = mkdtempSync(join(tmpdir(), 'bloomlink-digests-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function run(cmd: Command, values: OptionValues): Promise<void> {
  const stderr = process.stderr.write;
  process.stderr.write = () => true;
  try {
    expect(await cmd.run({ quiet: true, ...values })).toBe(0);
  } finally {
    process.stderr.write = stderr;
  }
}

/** FEBRL 4 as contract lists: 4a as the CoC's clients, 4b as the plan's members (names and DOB). */
function febrlList(file: string, side: 'coc' | 'mcp'): string {
  const lines = readFileSync(join(febrl, file), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',').map((h) => h.trim());
  const at = (n: string) => header.indexOf(n);
  const [id, given, surname, dob] = [at('rec_id'), at('given_name'), at('surname'), at('date_of_birth')];
  const out =
    side === 'coc'
      ? ['PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality']
      : ['MemberID,FirstName,LastName,DOB,MCP,CoverageType,EnrollmentStartDate'];
  for (const line of lines.slice(1)) {
    const f = line.split(',').map((x) => x.trim());
    const d = f[dob] ?? '';
    const iso = /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : '';
    const name = `${f[given] ?? ''},${f[surname] ?? ''}`;
    out.push(
      side === 'coc'
        ? `${f[id]},${name},${f[given] || f[surname] ? 1 : 99},${iso},${iso ? 1 : 99}`
        : `${f[id]},${name},${iso},Plan,Medi-Cal,2025-01-01`,
    );
  }
  return `${out.join('\n')}\n`;
}

function digests(paths: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(paths).map(([k, p]) => [k, sha(p)]));
}

describe('pinned output digests (behaviour unchanged by refactoring)', () => {
  it('bundled sample: encoded files, links, review, model, return file and HMIS folder', async () => {
    const d = join(dir, 'sample');
    const key = join(dir, 'sample.key');
    writeFileSync(key, KEY, { mode: 0o600 });
    const f = {
      coc: join(d, 'coc.arrow'),
      mcp: join(d, 'mcp.arrow'),
      cocJsonl: join(d, 'coc.jsonl'),
      links: join(d, 'links.csv'),
      review: join(d, 'review.csv'),
      model: join(d, 'model.json'),
      ret: join(d, 'mcp-return.csv'),
    };
    const today = { today: '2026-01-01', threads: '1' };
    await run(encode, { in: join(sample, 'clients.csv'), key, out: f.coc, ...today });
    await run(encode, { in: join(sample, 'clients.csv'), key, out: f.cocJsonl, ...today });
    await run(encode, { in: join(sample, 'members.csv'), key, out: f.mcp, ...today });
    await run(match, {
      coc: f.coc,
      mcp: f.mcp,
      out: f.links,
      review: f.review,
      model: f.model,
      threads: '1',
    });
    await run(returnFile, {
      links: f.links,
      members: join(sample, 'members.csv'),
      programs: join(sample, 'programs.csv'),
      out: f.ret,
      'as-of': '2026-01-01',
    });
    const hmisDir = join(d, 'hmis');
    await run(hmis, { return: f.ret, 'project-id': 'MCP-GSHP', out: hmisDir, 'export-date': '2026-01-01' });
    const hmisFiles = Object.fromEntries(
      readdirSync(hmisDir)
        .sort()
        .map((n) => [`hmis/${n}`, join(hmisDir, n)]),
    );
    expect(digests({ ...f, ...hmisFiles })).toMatchInlineSnapshot(`
      {
        "coc": "8669613fc9d3475feceda9c589a68fc04d18c250f6073a8ddb2f5ce1bf2fa217",
        "cocJsonl": "36d57f618997f5334c91412ce562616e5d1e872e59546e3dbdaf6bceeb068ad0",
        "hmis/CustomMCPEnrollment.csv": "e21f4c138a61d1dad6ac5ee0e2af07d303717f0cbb3035b8edc5eb4e412595b7",
        "hmis/CustomMCPServices.csv": "1b1fe63af42fffc32901b9611d0bd84c8187e8243a7fcaf88f158311e440d940",
        "hmis/Enrollment.csv": "8d68ab880f95ef7691c2b391345a255e59e8ccbe8564ee12973acc252ac6fb46",
        "hmis/Exit.csv": "350e34f7a0ebefba8e267a7a50c8355bf914e62ddb003c52d334454d3e19eacf",
        "hmis/Export.csv": "cd1b1de756bde34f2d40784c8f27c4783606d33dfd7eb7468d394458b4665509",
        "hmis/Organization.csv": "48a1b77a28981e4bd9f9aa642626215477ebb88a1ec54d6d0aa1534e329b1f3e",
        "hmis/Project.csv": "a1134452cc18ed3f2392bce845abff7184f7374ccb631b3e32aca92111fb7421",
        "hmis/User.csv": "a034ff4b189ac8ab9bdb83d142b12dde83c2ba13a9b95d910d5ba98b7d250422",
        "links": "bee422c7c242a5f843684b93f58ae4ae9eaa2d89bd52fe9db1ee5f203a01fa74",
        "mcp": "f6c0f2412abc79a5bdbd73985c02feb2fd5d9aae3fed2610036a6668f540c48e",
        "model": "35f728d71b6c32b096e32f7b37c28478dbd803e0eb495b960c9fbfca3d693927",
        "ret": "bbd20600fafca3b2f2b0be538f251ebee7409aabc1def1cd7f3270c3afb24c83",
        "review": "0e828a08fd32756d68cddb0aac0f976fedc727e9f796c774e56e65f8121dc773",
      }
    `);
  });

  it('FEBRL 4 (names and DOB): encoded files, links, review and model', async () => {
    const d = join(dir, 'febrl');
    const key = join(dir, 'febrl.key');
    writeFileSync(key, KEY, { mode: 0o600 });
    const a = join(dir, 'febrl-a.csv');
    const b = join(dir, 'febrl-b.csv');
    writeFileSync(a, febrlList('dataset4a.csv', 'coc'));
    writeFileSync(b, febrlList('dataset4b.csv', 'mcp'));
    const f = {
      coc: join(d, 'coc.arrow'),
      mcp: join(d, 'mcp.arrow'),
      links: join(d, 'links.csv'),
      review: join(d, 'review.csv'),
      model: join(d, 'model.json'),
    };
    const today = { today: '2026-01-01', threads: '2' };
    await run(encode, { in: a, key, out: f.coc, ...today });
    await run(encode, { in: b, key, out: f.mcp, ...today });
    await run(match, {
      coc: f.coc,
      mcp: f.mcp,
      out: f.links,
      review: f.review,
      model: f.model,
      threads: '2',
    });
    expect(digests(f)).toMatchInlineSnapshot(`
      {
        "coc": "8766363eda438e68246c9748ddfdae241c9f1d534e484c3107dbfe94e518afa4",
        "links": "2b38cb261a9603f87e476f18588a7550e9b2d2074129208b9ab35c6e1a4f1073",
        "mcp": "d0e726ca64c4e82f872aed108802c157e57b1d454fc1e97ee00bba9bdb839644",
        "model": "9da946c7c4cdbcc01a0d164e2f895e562224ee290d06d8fdad3ae0617a06b503",
        "review": "ceec59f006df83fdbd6acea2dbca5890c9d97e5d2249e59ab229612738ecad7b",
      }
    `);
  });
});
