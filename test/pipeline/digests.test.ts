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
        "hmis/Client.csv": "f4e6d7bd9a3d8e7fd9ba11c6a3e8184f393c31a5771f28cb79119000a4d46ab8",
        "hmis/CustomMCPEnrollment.csv": "a922da2257be7e278c9e5b9062656ea311b817656c2748c8642a62f25a01fa23",
        "hmis/CustomMCPServices.csv": "0a0d21facd02f9d228c1e6cb6807cf9076e0c839ba19bc350e955826241bc844",
        "hmis/Enrollment.csv": "2e04e29a7692a69f83468fd5b84a132f97b8c62a72435c58ba3f9f0d7eafd7c2",
        "hmis/Exit.csv": "7fbf45eabcd32c7b7f4646abe2fb241c983d89a633b26234b1bbef218126aabc",
        "hmis/Export.csv": "15feb3b29172f72d077b484ac951a1a309869df2bcb26f1dc92ad7a1355c0b9b",
        "hmis/Funder.csv": "78720d48a6f35038f5cf37ffda2b0650fa892cb686f9a46d48774ac0f58225cf",
        "hmis/HMISParticipation.csv": "079c606a194c4e036dc0334d34d850cbf3b36b87b8c83004079b99d46a5fe8f8",
        "hmis/Organization.csv": "a95d934b65bbb4249353e7b65d5d6f465d76178f4058374d7cb41fd0f44733f7",
        "hmis/Project.csv": "b7e6c4b45636645fe89e72445afef4cebe9dbbaf9a94a83d83ec54a4d02006fc",
        "hmis/ProjectCoC.csv": "f38c7749f89025abd0114ff4cc5ef6a2abb8f08afbec9c09632194398f4454b8",
        "hmis/User.csv": "0efc7e17b78a808f169fef28d261919605c6bba91fb77f1de523689588e9c557",
        "links": "a658d1fc61d842ee8eaa09a524cc655b97490a4f71ad91c9c38de81fc0ff4556",
        "mcp": "8b4b4ad7b3c4a15d41ba1bafa7f382f3e59168ac330d261c9643c29300427be2",
        "model": "87fd225d1c3a93d435c738091a0f9793a5f344dbd2abaa3fdc75146cb0ab731a",
        "ret": "e029d9a450d52b9a94d151575a3a8fc0256f8a0e5993736d47afb4ae4c30defe",
        "retHistory": "64d1a8813a16142b47155b80307d52046890cee9460986ddaecf705101c8cbdd",
        "review": "ffda537d28343bf4393a96f892b24215d9719a5662de8b8a86ac13dc9fcafcc3",
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
        "links": "8757adb06fc45dcc2b76dc1066815f3f7f9423b3079bef2ffe7b311822d4c80a",
        "mcp": "0c1c7bebb22a47f2884f54f570bbe200c8994f29b8c1658e82a049b49de506cd",
        "model": "e97d18525750462ca4c20b7a0789db2527fe57aa152bdf932448574b6352f0fa",
        "review": "efc0a9196a97f69382a2e1805483a50770c028e630ce232847fca8201151102e",
      }
    `);
  });
});
