/**
 * The key check people compare by phone: keygen, encode and match print the same `key check:` line
 * for one key (the browser encode page shows the same text through the same function), never the
 * key. Also the CLI's threshold rule when only --review-threshold is given.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { encode } from '../../src/cli/commands/encode.js';
import { keygen } from '../../src/cli/commands/keygen.js';
import { match } from '../../src/cli/commands/match.js';
import { keyCheck, parseKey } from '../../src/encode/key.js';
import { formatKeyCheck } from '../../src/encoded/key-check.js';

const dir = mkdtempSync(join(tmpdir(), 'bloomlink-keycheck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const opts = { today: '2026-01-01', threads: '1' };

async function stderrOf(run: () => Promise<unknown>): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

const checkLines = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('key check: '));

afterEach(() => vi.restoreAllMocks());

describe('the key check line', () => {
  it('formatKeyCheck: four groups of four hex digits of the stored check', () => {
    expect(formatKeyCheck('3F9A12C45B6D7E8F0011223344556677')).toBe('3f9a-12c4-5b6d-7e8f');
    expect(() => formatKeyCheck('3f9a')).toThrow(TypeError);
  });

  it('is the same from keygen, encode (both sides) and match for one key, and never shows the key', async () => {
    const keyPath = join(dir, 'linkage.key');
    const fromKeygen = await stderrOf(() => keygen.run({ out: keyPath }));
    const hex = readFileSync(keyPath, 'utf8').trim();
    const expected = `key check: ${formatKeyCheck(keyCheck(parseKey(hex)))}`;
    expect(checkLines(fromKeygen).map((l) => l.slice(0, expected.length))).toEqual([expected]);

    const clients = join(dir, 'clients.csv');
    writeFileSync(
      clients,
      'PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality\n' +
        'C1,Ana,Ruiz,1,1980-02-03,1\nC2,Bo,Kim,1,1975-12-31,1\nC3,Cy,Lee,1,1990-05-06,1\n',
    );
    const members = join(dir, 'members.csv');
    writeFileSync(
      members,
      'MemberID,FirstName,LastName,DOB,MCP,CoverageType,EnrollmentStartDate\n' +
        'M1,Ana,Ruiz,1980-02-03,Plan,Medi-Cal,2025-01-01\nM2,Bo,Kim,1975-12-31,Plan,Medi-Cal,2025-01-01\n',
    );
    const coc = join(dir, 'coc.arrow');
    const mcp = join(dir, 'mcp.arrow');
    const fromEncodeCoc = await stderrOf(() => encode.run({ in: clients, key: keyPath, out: coc, ...opts }));
    const fromEncodeMcp = await stderrOf(() => encode.run({ in: members, key: keyPath, out: mcp, ...opts }));
    const fromMatch = await stderrOf(() =>
      match.run({ coc, mcp, out: join(dir, 'links.csv'), threads: '1' }),
    );
    for (const printed of [fromKeygen, fromEncodeCoc, fromEncodeMcp, fromMatch]) {
      const lines = checkLines(printed);
      expect(lines).toHaveLength(1);
      expect(lines[0]?.startsWith(expected)).toBe(true);
      expect(printed).not.toContain(hex);
      expect(printed).not.toContain(hex.slice(0, 16));
    }

    // The browser encode page shows the key check through the same function.
    const view = readFileSync(new URL('../../examples/browser-encode/src/view.ts', import.meta.url), 'utf8');
    expect(view).toMatch(/textContent = formatKeyCheck\(result\.keyCheck\)/);

    // keygen without --out: the key on stdout only, the check on stderr.
    const stdout: string[] = [];
    const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
    const err = await stderrOf(() => keygen.run({}));
    outSpy.mockRestore();
    const printedKey = stdout.join('').trim();
    expect(checkLines(err)[0]).toBe(`key check: ${formatKeyCheck(keyCheck(parseKey(printedKey)))}`);
    expect(err).not.toContain(printedKey);

    // A review threshold given alone above the match threshold the model chose: refused, not lowered.
    await expect(
      match.run({
        coc,
        mcp,
        out: join(dir, 'links2.csv'),
        threads: '1',
        quiet: true,
        'review-threshold': '0.995',
      }),
    ).rejects.toThrow(
      expect.objectContaining({
        code: 'OPTION_INVALID',
        message: expect.stringMatching(/review threshold must be at most the match threshold in use/),
      }),
    );
  });
});
