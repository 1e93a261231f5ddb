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
        "hmis/CustomMCPEnrollment.csv": "0114b798eb244a1a7e12b297c525d8a92615a65e028edc36e7387cb698bb2242",
        "hmis/CustomMCPServices.csv": "880baee3f5e022fe528ad055b4164945446df750796c1941ff88f2106b75fdb1",
        "hmis/Enrollment.csv": "0f14806e79fef0cf1f3ecda6b878492328d03bd7835555f111348b019cf83125",
        "hmis/Exit.csv": "4d1cf61b854ce7e855c4204ca0f5596a358e46a8189aeb2a8cbade42958673f0",
        "hmis/Export.csv": "3bb060076bdf3b28675bf28bbc30d41f089c64fa971ad7e03052044c7b5c7377",
        "hmis/Organization.csv": "6770e5dd4ab8a03fe1e365847414bb2e3a957fc4af08ad515fd1ccc88ebe6d9e",
        "hmis/Project.csv": "08e5ab109f4260277c420af14fec350489ece903f854fe783ca7eec47737a88e",
        "hmis/User.csv": "65acb02ddf201a904139caccc5853845b1d71bc3465228ecb706919295ea4ead",
        "links": "cf980caae62125058d525f8db494634ed55b948f43ff9c49afcc306a54a87268",
        "mcp": "f6c0f2412abc79a5bdbd73985c02feb2fd5d9aae3fed2610036a6668f540c48e",
        "model": "73da6cc2619a0e2eea1ab10f5ac1d7bd5926670bfdd672f6cff69eafe8159e95",
        "ret": "6e775cca52995c059b5ab601bbd923ac58612058e8162d93540673612ab6cf87",
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
        "coc": "8766363eda438e68246c9748ddfdae241c9f1d534e484c3107dbfe94e518afa4",
        "links": "469f14913993ca598e19a26ae9856542e89479ea1f8d2ef8d87d04767cfddcee",
        "mcp": "d0e726ca64c4e82f872aed108802c157e57b1d454fc1e97ee00bba9bdb839644",
        "model": "d0a3882dc705e4e68faa92bc0bb304f8107e22caf8d1ccb174c852af4f32c994",
        "review": "b765d57fd03f8876488b28a1c5aaa6ebe1606a0365bdd4812165448c553a5044",
      }
    `);
  });
});
