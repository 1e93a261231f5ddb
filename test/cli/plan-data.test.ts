/**
 * Real plan data through the CLI: `encode` and `validate` of a member list with several coverage
 * spans per member, `return-file` with its history file, `--changes`, `--lookback-months`, and the
 * summary that counts spans, members, warnings and memberships left out.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encode } from '../../src/cli/commands/encode.js';
import { returnFile } from '../../src/cli/commands/return-file.js';
import { validate } from '../../src/cli/commands/validate.js';
import { generateKeyHex } from '../../src/encode/key.js';
import { readEncoded } from '../../src/encoded/file.js';

const fx = (name: string) => fileURLToPath(new URL(`../fixtures/plan/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bloomlink-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = join(dir, 'linkage.key');
writeFileSync(key, `${generateKeyHex()}\n`, { mode: 0o600 });
let stderr: string;
let stdout: string;
beforeEach(() => {
  stderr = '';
  stdout = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe('plan data through the CLI', () => {
  it('encode: one record per member, spans and members counted apart, warnings in the report', async () => {
    for (const threads of ['1', '2']) {
      const out = join(dir, `mcp-${threads}.arrow`);
      expect(await encode.run({ in: fx('members.csv'), key, out, today: '2026-01-01', threads })).toBe(0);
      const file = await readEncoded(readFileSync(out), 'mcp.arrow');
      expect([...file.batch.ids].sort()).toEqual(['M1', 'M2', 'M3', 'M4', 'M5', 'M6']);
      expect(
        readFileSync(`${out}.rejects.csv`, 'utf8')
          .split('\r\n')
          .slice(1, 4)
          .map((l) => l.split(',').slice(0, 5).join(',')),
      ).toEqual([
        // Line, ID (the member's own MemberID, so staff can find the rows), field, code, severity.
        '3,M2,*,SPAN_IDENTITY_DIFFERS,warning',
        '8,M4,EnrollmentStartDate,SPAN_OVERLAP,warning',
        '9,M5,*,SPAN_REPEATED,warning',
      ]);
    }
    expect(stderr).toContain('Accepted: 11\nMembers: 6');
    expect(readFileSync(join(dir, 'mcp-1.arrow'))).toEqual(readFileSync(join(dir, 'mcp-2.arrow')));
  });

  it('validate: the same counts and warnings', async () => {
    expect(await validate.run({ in: fx('members.csv'), today: '2026-01-01', quiet: true })).toBe(0);
    expect(stdout).toContain('Rows read: 11\nAccepted: 11\nMembers: 6');
    expect(stdout).toContain('Warnings: 3');
    expect(stdout).toContain('SPAN_OVERLAP (warning): 1');
  });

  it('return-file: history beside the return file, retractions, memberships left out, warnings', async () => {
    const changes = join(dir, 'changes.csv');
    writeFileSync(changes, 'PersonalID,MemberID,Change,Reason\nP7,M7,removed,REJECTED_BY_REVIEWER\n');
    const out = join(dir, 'mcp-return.csv');
    const code = await returnFile.run({
      links: fx('links.csv'),
      members: fx('members.csv'),
      programs: fx('programs.csv'),
      changes,
      out,
      'as-of': '2026-01-01',
    });
    expect(code).toBe(0);
    const history = join(dir, 'mcp-return-history.csv');
    const lines = readFileSync(history, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('PersonalID,MemberID,Record,Program,Provider,ProviderNPI,StartDate,EndDate');
    expect(lines.at(-1)).toBe('P7,M7,retracted,,,,,');
    expect(statSync(history).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8').trim().split('\r\n')).toHaveLength(6);
    expect(stderr).toContain(
      'members: 11 rows read, 11 used, 0 rejected, 3 warnings (rows are coverage spans: 6 members)',
    );
    expect(stderr).toContain('programs: 11 rows read, 11 used, 0 rejected, 4 warnings');
    expect(stderr).toContain('membership ended before 2024-01-01 (look-back window): 1');
    expect(stderr).toContain('1 retracted links');

    const longer = join(dir, 'longer.csv');
    await returnFile.run({
      links: fx('links.csv'),
      members: fx('members.csv'),
      programs: fx('programs.csv'),
      out: longer,
      'as-of': '2026-01-01',
      'lookback-months': '120',
      quiet: true,
    });
    expect(readFileSync(longer, 'utf8').trim().split('\r\n')).toHaveLength(7);
    await expect(
      returnFile.run({
        links: fx('links.csv'),
        members: fx('members.csv'),
        programs: fx('programs.csv'),
        out: join(dir, 'x.csv'),
        'lookback-months': 'two',
      }),
    ).rejects.toThrow('--lookback-months must be an integer ≥ 0');
  });
});
