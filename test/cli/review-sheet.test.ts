import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/cli/command.js';
import { reviewSheet } from '../../src/cli/commands/review-sheet.js';

const dir = mkdtempSync(join(tmpdir(), 'bloomlink-review-sheet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (f: string) => join(dir, f);
writeFileSync(
  p('review.csv'),
  'PersonalID,MemberID,MatchWeight,MatchProbability,Status\r\nC1,M1,1.2,0.61,review\r\nC9,M2,1,0.55,review\r\n',
);
writeFileSync(
  p('Client.csv'),
  'PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality\nC1,Ann,Lee,1,1980-02-03,1\n',
);
writeFileSync(
  p('members.csv'),
  'MemberID,FirstName,LastName,DOB,MCP,CoverageType,EnrollmentStartDate\nM1,ANN,LEE,1980-02-03,Plan,Medi-Cal,2024-01-01\nM2,BO,NG,1975-06-07,Plan,Medi-Cal,2024-01-01\n',
);

describe('bloomlink review-sheet', () => {
  let stderr: string[];
  beforeEach(() => {
    stderr = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      stderr.push(String(s));
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('writes each half as a private file and reports a pair missing from the list by line and code', async () => {
    const base = { links: p('review.csv'), today: '2026-01-01' };
    await reviewSheet.run({ ...base, in: p('Client.csv'), side: 'coc', out: p('coc-half.csv') });
    await reviewSheet.run({ ...base, in: p('members.csv'), side: 'mcp', out: p('mcp-half.csv') });
    if (process.platform !== 'win32') {
      expect(statSync(p('coc-half.csv')).mode & 0o777).toBe(0o600);
      expect(statSync(p('mcp-half.csv')).mode & 0o777).toBe(0o600);
    }
    const coc = readFileSync(p('coc-half.csv'), 'utf8').trimEnd().split('\r\n');
    const mcp = readFileSync(p('mcp-half.csv'), 'utf8').trimEnd().split('\r\n');
    expect(coc.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['coc,C1,M1']);
    expect(mcp.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['mcp,C1,M1', 'mcp,C9,M2']);
    const rejects = readFileSync(p('coc-half.csv.rejects.csv'), 'utf8');
    // The ID column is blank: the PersonalID is the field at issue.
    expect(rejects).toContain('review.csv,3,,PersonalID,LINK_CLIENT_UNKNOWN,error');
    const summary = stderr.join('');
    expect(summary).toContain('1 pairs written');
    expect(summary).toContain('1 not in Client.csv');
    // Counts only: no value of the lists in the summary.
    expect(summary).not.toMatch(/Ann|ANN|Lee|1980/);
  });

  it('--page alone writes the self-contained review page', async () => {
    await reviewSheet.run({ page: p('review.html') });
    const html = readFileSync(p('review.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\//);
  });

  it('needs --links, --in, --side and --out unless --page is given alone', async () => {
    await expect(reviewSheet.run({ links: p('review.csv') })).rejects.toThrow(UsageError);
    await expect(
      reviewSheet.run({ links: p('review.csv'), in: p('Client.csv'), side: 'plan', out: p('x.csv') }),
    ).rejects.toThrow(/--side must be coc or mcp/);
  });
});
