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
        "coc": "8669613fc9d3475feceda9c589a68fc04d18c250f6073a8ddb2f5ce1bf2fa217",
        "cocJsonl": "36d57f618997f5334c91412ce562616e5d1e872e59546e3dbdaf6bceeb068ad0",
        "hmis/Client.csv": "7177f72cc3cac5bfb084ec32615d783709ec32b51e1694d3e43c81339ab8628b",
        "hmis/CustomMCPEnrollment.csv": "aa12d93a7510a5b6351553e32d94c83e76ca0a036ca2e2de17617b9f449eaf8b",
        "hmis/CustomMCPServices.csv": "9f609a5351485fe45b77c9fa422800724e6ce8ce1b755ce6eab612f84c1d2653",
        "hmis/Enrollment.csv": "6af8dea93224f80a96b5644ab4b5b3fea0a41955612e57062ba5cf3777663fb9",
        "hmis/Exit.csv": "1c1bfce4ce1e2a23fd991f8a8577c84eae009b087efac2c964d1c5e7b5fa5454",
        "hmis/Export.csv": "6328c0eff937b94f9411e4676f69812512c09c116cd28dbf6897fac626eff2db",
        "hmis/Funder.csv": "36d683f01f1041b321c2d52da4ef3e4fe5858654dacb2c7d29044c47fbb27824",
        "hmis/HMISParticipation.csv": "8145e76ce4fe396d3b87a5e6ba566650eb6d2cccd629684d8ac4c977d6600325",
        "hmis/Organization.csv": "238c63ffc14de8ef5005e380e03b8fdf0eeb154770af7d7043e941559e51fc35",
        "hmis/Project.csv": "70c032941d3cbe19607354f7b3cf805aeffa1bcefef6bdc0b4f516497e023dfc",
        "hmis/ProjectCoC.csv": "6401b71307c41a4cb6fffb40a2d2370df418d58e7967e5b91042ae7cc6e4d92e",
        "hmis/User.csv": "4f7f23cecb5c19ec66a844a313b4eb65ecdb16617e84c5a253c6eec1ec514694",
        "links": "a658d1fc61d842ee8eaa09a524cc655b97490a4f71ad91c9c38de81fc0ff4556",
        "mcp": "f6c0f2412abc79a5bdbd73985c02feb2fd5d9aae3fed2610036a6668f540c48e",
        "model": "87fd225d1c3a93d435c738091a0f9793a5f344dbd2abaa3fdc75146cb0ab731a",
        "ret": "594c56afc344aa03e94bd11e3f5abea1a7ecf175cf4d9fcf89b8e598d6e52191",
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
        "coc": "8766363eda438e68246c9748ddfdae241c9f1d534e484c3107dbfe94e518afa4",
        "links": "8757adb06fc45dcc2b76dc1066815f3f7f9423b3079bef2ffe7b311822d4c80a",
        "mcp": "d0e726ca64c4e82f872aed108802c157e57b1d454fc1e97ee00bba9bdb839644",
        "model": "e97d18525750462ca4c20b7a0789db2527fe57aa152bdf932448574b6352f0fa",
        "review": "efc0a9196a97f69382a2e1805483a50770c028e630ce232847fca8201151102e",
      }
    `);
  });
});
