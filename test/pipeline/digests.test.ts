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
      retHistory: join(d, 'mcp-return-history.csv'),
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
    await run(hmis, {
      return: f.ret,
      clients: join(sample, 'hmis-fy2026', 'Client.csv'),
      'coc-code': 'CA-500',
      'project-id': 'MCP-GSHP',
      out: hmisDir,
      'export-date': '2026-01-01',
    });
    const hmisFiles = Object.fromEntries(
      readdirSync(hmisDir)
        .sort()
        .map((n) => [`hmis/${n}`, join(hmisDir, n)]),
    );
    expect(digests({ ...f, ...hmisFiles })).toMatchInlineSnapshot(`
      {
        "coc": "e09a1a4b65e9b1feec83c1abf6c5e49d80aa28a50c8a0658d7f94d79949dd51a",
        "cocJsonl": "776322d3f59cb435c6134997d17d62496a89229b85de0c159a4713653b70a81f",
        "hmis/Client.csv": "1f063a5e4211c4b5faeafd5b1635c109f1d39a47644961b3a5dc394cf9c8ae6b",
        "hmis/CustomMCPEnrollment.csv": "796fe5ec2c814a2bd618051d98c68211c77c73ecfcfe2daa6f0f6810261fa0dc",
        "hmis/CustomMCPServices.csv": "a693dce6c3731d7727a1753e138d0f7523cda9f4939e9f2ce87c5fdc19aa129a",
        "hmis/Enrollment.csv": "39d61d97fa6a0d648d94aa6d44b848f7affd74ccaa005ceca6a08948133ed9f5",
        "hmis/Exit.csv": "7eb524912f6c38bd709d12cdee7c82ba5b8235572bebc5c5501c26e0d45733db",
        "hmis/Export.csv": "cc4cf9807a047b6f7a248ff77b5567967709d5d49acaaac12980ec7f5c69a0c6",
        "hmis/Funder.csv": "dbe3966a5629e8240655b1ffb07a9062d7770c91038921634ab5fbe60d0f4f8b",
        "hmis/HMISParticipation.csv": "9b3e4b11a819896b214a61280b8f3cf8e1d95a78b89feb3d574aa92ef964450d",
        "hmis/Organization.csv": "fa42f2d899037ade86e826d59419eae29a354f66f317ff410fd934ea35a5719d",
        "hmis/Project.csv": "1cfc8fa6492a22ad25114657a6b161c37771650e94365057f37c7caef5cbcf28",
        "hmis/ProjectCoC.csv": "355c0c584411913200acc082b7bdd98e08790fb7eacd30354d8c8629f2ed06a5",
        "hmis/User.csv": "3d11a8f34586f26fb5b312f495ec01def8d1d3b9f864753fdf13854d86b7aa4f",
        "links": "cf980caae62125058d525f8db494634ed55b948f43ff9c49afcc306a54a87268",
        "mcp": "8b4b4ad7b3c4a15d41ba1bafa7f382f3e59168ac330d261c9643c29300427be2",
        "model": "73da6cc2619a0e2eea1ab10f5ac1d7bd5926670bfdd672f6cff69eafe8159e95",
        "ret": "3439b4225941b3056c510861eaa8fb0d220a0647c4ceaf4692110dbd6dce9cab",
        "retHistory": "7e78f87e76acc0ff88eac8eb008ca7bcd256713eb9e4af657c11703d5103cf6e",
        "review": "b848160811789914a94678c64221ad520f0ff742943c453ac0c6323b454f5995",
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
        "coc": "74dfc3507f97245398e25aeb484915973825700db5206dd641d941087ae71b8d",
        "links": "469f14913993ca598e19a26ae9856542e89479ea1f8d2ef8d87d04767cfddcee",
        "mcp": "0c1c7bebb22a47f2884f54f570bbe200c8994f29b8c1658e82a049b49de506cd",
        "model": "d0a3882dc705e4e68faa92bc0bb304f8107e22caf8d1ccb174c852af4f32c994",
        "review": "b765d57fd03f8876488b28a1c5aaa6ebe1606a0365bdd4812165448c553a5044",
      }
    `);
  });
});
