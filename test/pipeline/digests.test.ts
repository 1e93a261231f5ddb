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
        "hmis/Client.csv": "7243f8b4a157e568b52a13b3323afc49d01128e47fd680fa79ceec43c835ce6a",
        "hmis/CustomMCPEnrollment.csv": "0fd91d518611b4284b6067827f2a344a4afa251938ccc0bf19e791aabf037aab",
        "hmis/CustomMCPServices.csv": "aa0f356060d91164fd541ddaf15b74da83b0e7b2842bfe2d9d663e35859f4c80",
        "hmis/Enrollment.csv": "c02e7d4ca8169bf0ff9eb67632995c1e2f4bd4cf169ed9cd610bcbe2c4bb17ac",
        "hmis/Exit.csv": "bfb4b86bf010533bee68fab4628ccd679261f1c2e28ca9d9045f4148894a9773",
        "hmis/Export.csv": "8b08eefd80ff2bcb41ee0aeca133a8debb1814c35f228ba6f538f82caf2cf4bd",
        "hmis/Funder.csv": "9f22124c64772ee962c212867bb6e20327d87a454363f5680f80eb6c3214fe62",
        "hmis/HMISParticipation.csv": "bd20fbb1f48f18b051c4b91ca1ab14d7ac90758e63aa6d46c6d68117c507a21d",
        "hmis/Organization.csv": "5d5fc75162086d43455768626e6bab5796ec912deb36ae4bc854562ec1525618",
        "hmis/Project.csv": "762e65006cad7d081afd9a6b0d741d4ef1415d1622913450cdf2dca2db9ad480",
        "hmis/ProjectCoC.csv": "7e61cf815f2f9974ab54897a24e6c1189a3895c94c6b7815a5c94d76a380d2d3",
        "hmis/User.csv": "42aefc1584fef60588b4851dd16147b8a993524179513967674bc8c31efa2050",
        "links": "81019760f3640eb678a3663ff95a4b1e476f9353160ad0568fff9a4bac007141",
        "mcp": "1c0014add28f8d13c45b561bda833796cb5e522ba8305068fc9c5d64448058a3",
        "model": "65626c9e8fce139d17013e22a61eef7df69ab9fee84f73799dd0da982c1fb649",
        "ret": "56144c9a6cd20cf5498f4409a1ea49933b083f5729334c07926f21123c72ece8",
        "retHistory": "8f10176d45e9d8d8447892ff4a7c15dcfba1dd0095cd12462d884b6359de3325",
        "review": "e7634c1558ebb686b27d86734e4894746f4594d9f0ee7d18128536696602d117",
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
        "links": "a2140aa0951ef3d5a1c341920c02a4a29ab0a57ff5634cf575ebb18b80c84fd6",
        "mcp": "cadffeed1f88eb395251e432c94d11e8f89543cea00700224fb89a17e5161b1f",
        "model": "1647952c3914f481d8a7880cbbef976026a291b86732eeb79a21e5d25c2b138d",
        "review": "b3f42f364454854437689bc46643127b2c88004342874308e73e3aea46a271f9",
      }
    `);
  });
});
