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
import { febrl4ContractLists } from '../../bench/lib/febrl.js';
import type { Command, OptionValues } from '../../src/cli/command.js';
import { encode } from '../../src/cli/commands/encode.js';
import { hmis } from '../../src/cli/commands/hmis.js';
import { match } from '../../src/cli/commands/match.js';
import { returnFile } from '../../src/cli/commands/return-file.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = join(root, 'data', 'sample');
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
        "coc": "733a0add9cb81f24c910fc238941776e66a903035c7afb32cefe283edf19c37f",
        "cocJsonl": "e8a4cc9a5e2a3d3a5c18abb4b4736f919c0cbf2a5e09b29ba7b5cca77e6f8ded",
        "hmis/Client.csv": "7284589522f864d84fd3e1374060bd97f19821cb0f6289b435721f2f582c01b0",
        "hmis/CustomMCPEnrollment.csv": "386da83193f777262fbfc4957fe5c7cb5b30597a9dd1ed9ca7b48772d1a4f938",
        "hmis/CustomMCPServices.csv": "fac8995633c387bdbfc0ef7275882205465f3965915da157ffca2a1b045ad334",
        "hmis/Enrollment.csv": "ec1413442be191b123d612dc58dcc102ddf2bb8bbe7390393a974216e0aaaabf",
        "hmis/Exit.csv": "059aee32858065409570a82e43e8bb20e67ca55d757d28ac75b965cd352512b4",
        "hmis/Export.csv": "b6081a79f65c5fe39a12fe2044ec271394160a1a94f98204d12dcb7bdd4308f2",
        "hmis/Funder.csv": "5fcae25c19fb39df1a20c6d2188342ac84890f0554bded2150c103e76d36dc9b",
        "hmis/HMISParticipation.csv": "28578b42dcb58fed29668737f847e5729951c7e4ae024ae3d9b6dda434831355",
        "hmis/Organization.csv": "f33a826ec3d918efc8ed201bc389692e50d3c15d018ad67e7f4ab902533616ec",
        "hmis/Project.csv": "38bf1b57e1d9e41276c780d747ec4fb340b92716315a448f31f7e6b91016b9e1",
        "hmis/ProjectCoC.csv": "16b602edf27f2f27864a6a97c0901cdcd13d84039bbae52ee189b1c79a6e1371",
        "hmis/User.csv": "4f6e7c8218fe78c9ba92f5dbf1ec91bd2c8d6526cfcb3461e51f9274d5d2c741",
        "links": "d27b6393fb33a22d38e2050bad3488b4c8ef68ca7317d83b6823901f50dd2dab",
        "mcp": "1c0014add28f8d13c45b561bda833796cb5e522ba8305068fc9c5d64448058a3",
        "model": "12e5daa508dead2c8bf21c7ce7facfb08700d9844be848f7ccd22171403ff3b8",
        "ret": "28cb7674df5768c4c748d017a4702a2b638d5c391ce5d5c1e615fcecb217617e",
        "retHistory": "b6cc4e5459c5bf125c331ec89094a69cd4f1e9e07cbe97b441bc0a307a0c8ead",
        "review": "58094053f2eb5fe71192d647e6a2c3e79bf5ac3dce2ec23f301dd2912055657b",
      }
    `);
  });

  it('FEBRL 4 (names and DOB): encoded files, links, review and model', async () => {
    const d = join(dir, 'febrl');
    const key = join(dir, 'febrl.key');
    writeFileSync(key, KEY, { mode: 0o600 });
    const a = join(dir, 'febrl-a.csv');
    const b = join(dir, 'febrl-b.csv');
    const lists = febrl4ContractLists();
    writeFileSync(a, lists.coc);
    writeFileSync(b, lists.mcp);
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
        "coc": "afedd8dea739dfa6a86238f5d34df379ed9945b166df62a477f0bd2fd7ab2794",
        "links": "05836a38c526190d86042c58300a9bf20203092cddbed355d9987738236d013d",
        "mcp": "cadffeed1f88eb395251e432c94d11e8f89543cea00700224fb89a17e5161b1f",
        "model": "7ab1181a871e87fdaeed8e8ed9fe150000827007464ab46ab8d8b8cfda0365a8",
        "review": "25a3882cfb6d3deeef4f4cfadd144b1e9c4abaa9f683ec7def38b1d7532f802a",
      }
    `);
  });
});
