import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encode } from '../../src/cli/commands/encode.js';
import { match } from '../../src/cli/commands/match.js';
import { reidentify } from '../../src/cli/commands/reidentify.js';
import { generateKeyHex } from '../../src/encode/key.js';
import { readEncoded } from '../../src/encoded/file.js';
import { fileBytes } from '../../src/read/source.node.js';

const dir = mkdtempSync(join(tmpdir(), 'bloomlink-psn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (f: string) => join(dir, f);
const clients = `PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality
C1,Ann,Lee,1,1980-02-03,1
C2,Bob,Nguyen,1,1975-06-07,1
C3,Carla,Smith,1,1990-10-11,1
`;
const members = `MemberID,FirstName,LastName,DOB,MCP,CoverageType,EnrollmentStartDate
M1,ANN,LEE,1980-02-03,Plan,Medi-Cal,2024-01-01
M2,ROBERT,NGUYEN,1975-06-07,Plan,Medi-Cal,2024-01-01
M9,ZED,ZULU,1950-01-01,Plan,Medi-Cal,2024-01-01
`;

describe('per-run pseudonyms', () => {
  it('encoded files carry only pseudonyms; reidentify restores the real IDs with the maps', async () => {
    writeFileSync(p('clients.csv'), clients);
    writeFileSync(p('members.csv'), members);
    writeFileSync(
      p('k'),
      `${generateKeyHex()}
`,
    );
    // One thread: the pseudonyms do not depend on it (encode.node.slow.test.ts maps them in record order
    // on worker threads), and three worker pools would cost more than this whole test.
    const q = { quiet: true, today: '2026-01-01', threads: '1' };
    await encode.run({
      in: p('clients.csv'),
      key: p('k'),
      out: p('coc.arrow'),
      pseudonyms: p('coc-map.csv'),
      ...q,
    });
    await encode.run({
      in: p('members.csv'),
      key: p('k'),
      out: p('mcp.arrow'),
      pseudonyms: p('mcp-map.csv'),
      ...q,
    });
    const coc = await readEncoded(fileBytes(p('coc.arrow')), 'coc.arrow');
    expect(coc.batch.ids.every((id) => /^psn_[a-z2-7]{24}$/.test(id))).toBe(true);
    expect(new TextDecoder('latin1').decode(readFileSync(p('coc.arrow')))).not.toMatch(/\bC1\b|\bC2\b/);
    expect(readFileSync(p('coc-map.csv'), 'utf8').split(/\r?\n/)[0]).toBe('Pseudonym,PersonalID');

    await match.run({
      coc: p('coc.arrow'),
      mcp: p('mcp.arrow'),
      out: p('links.csv'),
      quiet: true,
      threads: '1',
    });
    await reidentify.run({
      in: p('links.csv'),
      map: [p('coc-map.csv'), p('mcp-map.csv')],
      out: p('real.csv'),
    });
    const rows = readFileSync(p('real.csv'), 'utf8')
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(','));
    expect(rows.map((r) => [r[0], r[1]]).sort()).toEqual([
      ['C1', 'M1'],
      ['C2', 'M2'],
    ]);
  });

  it('stops on a pseudonym missing from the map, naming the line only', async () => {
    writeFileSync(p('bad.csv'), 'PersonalID,MemberID\r\npsn_unknown,M1\r\n');
    writeFileSync(p('map.csv'), 'Pseudonym,PersonalID\r\npsn_other,C1\r\n');
    await expect(reidentify.run({ in: p('bad.csv'), map: [p('map.csv')], out: p('o.csv') })).rejects.toThrow(
      /^bad\.csv: line 2: the PersonalID is not in the pseudonym map$/,
    );
  });
});
