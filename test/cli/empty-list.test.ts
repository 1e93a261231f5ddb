/**
 * A list with no accepted row (a header-only export, or every row rejected): `encode` writes its
 * outputs — the rejection report says why — then fails with a one-line coded reason, since an encoded
 * file with no records cannot be matched; `match` refuses such a file with the side named.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encode } from '../../src/cli/commands/encode.js';
import { match } from '../../src/cli/commands/match.js';
import { generateKeyHex } from '../../src/encode/key.js';

const dir = mkdtempSync(join(tmpdir(), 'bloomlink-empty-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = join(dir, 'linkage.key');
writeFileSync(key, `${generateKeyHex()}\n`, { mode: 0o600 });
const HEADER = 'PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality\n';
const quiet = { quiet: true, today: '2026-01-01', threads: '1' };

describe('a list with no accepted row', () => {
  it('header only: encode writes an empty file and its report, then exits with INPUT_INVALID', async () => {
    const list = join(dir, 'header-only.csv');
    writeFileSync(list, HEADER);
    const out = join(dir, 'header-only.arrow');
    await expect(encode.run({ in: list, key, out, ...quiet })).rejects.toThrow(
      expect.objectContaining({
        code: 'INPUT_INVALID',
        message:
          'header-only.csv: no row was accepted (0 read, 0 rejected), so the encoded file holds no records; see the rejection report',
      }),
    );
    expect(existsSync(out)).toBe(true);
    expect(existsSync(`${out}.rejects.csv`)).toBe(true);
  });

  it('every row rejected: the counts add up, the report lists the rows, and match refuses the file', async () => {
    const list = join(dir, 'all-bad.csv');
    writeFileSync(list, `${HEADER},Ann,Lee,1,1980-01-01,1\n,Bob,Kim,1,1975-05-05,1\n`);
    const out = join(dir, 'all-bad.arrow');
    await expect(encode.run({ in: list, key, out, ...quiet })).rejects.toThrow(
      expect.objectContaining({
        code: 'INPUT_INVALID',
        message: expect.stringMatching(/\(2 read, 2 rejected\)/),
      }),
    );
    expect(readFileSync(`${out}.rejects.csv`, 'utf8')).toMatch(/ID_MISSING/);
    const members = join(dir, 'members.csv');
    writeFileSync(
      members,
      'MemberID,FirstName,LastName,DOB,MCP,CoverageType,EnrollmentStartDate\nM1,Ann,Lee,1980-01-01,Plan,Medi-Cal,2025-01-01\n',
    );
    const mcp = join(dir, 'mcp.arrow');
    expect(await encode.run({ in: members, key, out: mcp, ...quiet })).toBe(0);
    await expect(
      match.run({ coc: out, mcp, out: join(dir, 'links.csv'), threads: '1', quiet: true }),
    ).rejects.toThrow(
      expect.objectContaining({
        code: 'INPUT_INVALID',
        message: expect.stringMatching(/--coc file holds no records/),
      }),
    );
  });
});
