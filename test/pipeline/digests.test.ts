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
        "hmis/Client.csv": "559a4f202c3bbe0266b82d78d96159e506cf4db26e8738577d0de830db868da5",
        "hmis/CustomMCPEnrollment.csv": "fdf3b8fdd3433de11cbeed52d9b7044badcb3e5dea2369abaf5c59b1d5d922ee",
        "hmis/CustomMCPServices.csv": "3182054a2dce7949ef742f4f5cb46ad53d3a5a06674392c53f0aa8c805eee1c2",
        "hmis/Enrollment.csv": "bea41c2f47566e67edd2171e306c539f45f7a487f931ea117addddc6710e270f",
        "hmis/Exit.csv": "7612ce4f44dd2b90499835ccd3d1677a88526426d2044e068dc0022161e48e92",
        "hmis/Export.csv": "e7dcd270b0e6b7fced898756c36163c30b2e0fe7ca0481b0d1da0dcfdd76c41a",
        "hmis/Funder.csv": "004013b140cc71b1a1339446f62da2aa786a34321c801b7bbf3b8b33267a61f9",
        "hmis/HMISParticipation.csv": "302322122d4e60b5ed3d139fda8970a681a5c9828b3fdbdde7402fa187103990",
        "hmis/Organization.csv": "58bf5afa2b1166a6ea70514c32ca01624ef4850176eb34819edc25be207481b0",
        "hmis/Project.csv": "c3a961288564a996a41f7155f029b9b6022e5286659d43e03fd21b3c1f077e08",
        "hmis/ProjectCoC.csv": "1c30b98d03895544215fd540b8e45074c55f82f6cb6299d013a760734146703d",
        "hmis/User.csv": "ee68615f9609f43eda6bd011a70b20c7bdfb429f9aa0cb5d6b274721a7defa56",
        "links": "2e2be71ef588451a6e2df9d423f5713c5d879b234020ba21a79bb832246649df",
        "mcp": "1c0014add28f8d13c45b561bda833796cb5e522ba8305068fc9c5d64448058a3",
        "model": "8ef56d96c5f0a93c66506c9623ecaf787cf5d073383af5cce4ba99e5ec6db659",
        "ret": "56181fb9eac4ce396c6dbc09f7e0a933a3a7783c3890362640cd7075125ec877",
        "retHistory": "d9838bd81d4e9266dda93c04b47a1eedd96adfc5f56fdb544f8a1477cd24fbdf",
        "review": "adb94f3860735527602648ccc7015080c18b4b0af224df23f4fe0c1948dcc840",
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
        "links": "fc7e07c8cf269010357051c70d25495d0e816a43afd9cc114b3e51b2d172d335",
        "mcp": "cadffeed1f88eb395251e432c94d11e8f89543cea00700224fb89a17e5161b1f",
        "model": "2d391e93ad521217fcf254f8e296a7fe512e773a6285dcd1a2313c3a8bb54b3d",
        "review": "aad9a6f48afcedc166a8c522e148198a564abb687a239dda23d5479427372d21",
      }
    `);
  });
});
