/**
 * The monthly cycle through the CLI: month 1's links and review file, a clerk's decisions written into
 * the review file, month 2 with fewer members, `--decisions`, `--previous` and `--changes`; the coded
 * one-line errors for bad decisions files and for last month's links of another key or schema; and
 * nothing written when a run fails.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OptionValues } from '../../src/cli/command.js';
import { encode } from '../../src/cli/commands/encode.js';
import { match } from '../../src/cli/commands/match.js';
import { CHANGE_REASONS } from '../../src/decide/cycle.js';
import { generateKeyHex } from '../../src/encode/key.js';

const sample = fileURLToPath(new URL('../../data/sample/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bloomlink-cycle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { quiet: true, threads: '1' };
const f = (name: string) => join(dir, name);

interface Row {
  readonly [column: string]: string;
}
function csv(path: string): Row[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\r\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
}
const pair = (r: Row) => `${r.PersonalID}|${r.MemberID}`;

async function silent<T>(body: () => Promise<T>): Promise<{ value: T; stderr: string }> {
  const write = process.stderr.write;
  let stderr = '';
  process.stderr.write = ((s: string) => {
    stderr += s;
    return true;
  }) as typeof process.stderr.write;
  try {
    return { value: await body(), stderr };
  } finally {
    process.stderr.write = write;
  }
}
const runMatch = (values: OptionValues) => silent(() => match.run({ ...quiet, ...values }));

beforeAll(async () => {
  writeFileSync(f('linkage.key'), `${generateKeyHex()}\n`, { mode: 0o600 });
  writeFileSync(f('other.key'), `${generateKeyHex()}\n`, { mode: 0o600 });
  // Month 2's member list: every 40th member has left the plan.
  const members = readFileSync(join(sample, 'members.csv'), 'utf8').trimEnd().split(/\r?\n/);
  writeFileSync(f('members-2.csv'), `${members.filter((_, i) => i === 0 || i % 40 !== 0).join('\n')}\n`);
  const enc = (input: string, out: string, key = f('linkage.key')) =>
    encode.run({ in: input, key, out, today: '2026-01-01', ...quiet });
  await enc(join(sample, 'clients.csv'), f('coc.arrow'));
  await enc(join(sample, 'members.csv'), f('mcp-1.arrow'));
  await enc(f('members-2.csv'), f('mcp-2.arrow'));
  await enc(join(sample, 'clients.csv'), f('coc-other.arrow'), f('other.key'));
  await enc(join(sample, 'members.csv'), f('mcp-other.arrow'), f('other.key'));
  mkdirSync(f('m1'));
  await runMatch({
    coc: f('coc.arrow'),
    mcp: f('mcp-1.arrow'),
    out: f('m1/links.csv'),
    review: f('m1/review.csv'),
  });
}, 120_000);

describe('month 2 with decisions and last month’s links', () => {
  it('links accepted pairs, drops rejected ones, keeps the rest, and explains every removal', async () => {
    const review = csv(f('m1/review.csv'));
    expect(review.length).toBeGreaterThanOrEqual(2);
    // The clerk adds a Decision column to the review file: accept the first pair, reject the second,
    // leave the rest undecided.
    const text = readFileSync(f('m1/review.csv'), 'utf8').trimEnd().split('\r\n');
    const decided = text.map(
      (l, i) => `${l},${i === 0 ? 'Decision' : i === 1 ? 'Accept' : i === 2 ? ' REJECT ' : ''}`,
    );
    writeFileSync(f('decisions.csv'), `${decided.join('\r\n')}\r\n`);
    mkdirSync(f('m2'));
    const { value, stderr } = await runMatch({
      coc: f('coc.arrow'),
      mcp: f('mcp-2.arrow'),
      out: f('m2/links.csv'),
      review: f('m2/review.csv'),
      decisions: f('decisions.csv'),
      previous: f('m1/links.csv'),
      changes: f('m2/changes.csv'),
    });
    expect(value).toBe(0);
    expect(stderr).toBe('');
    const links = new Map(csv(f('m2/links.csv')).map((r) => [pair(r), r]));
    expect(links.get(pair(review[0]!))?.Status).toBe('match');
    expect(links.has(pair(review[1]!))).toBe(false);
    expect(csv(f('m2/review.csv')).map(pair)).not.toContain(pair(review[0]!));
    // changes.csv: every link of month 2 once (added or kept), every lost link of month 1 removed with a reason.
    const changes = csv(f('m2/changes.csv'));
    expect(readFileSync(f('m2/changes.csv'), 'utf8').split('\r\n')[0]).toBe(
      'PersonalID,MemberID,Change,Reason',
    );
    const now = changes.filter((c) => c.Change !== 'removed');
    expect(now.map(pair).sort()).toEqual([...links.keys()].sort());
    const before = csv(f('m1/links.csv'));
    const removed = changes.filter((c) => c.Change === 'removed');
    expect(removed.length + changes.filter((c) => c.Change === 'kept').length).toBe(before.length);
    for (const r of removed) expect(CHANGE_REASONS).toContain(r.Reason);
    for (const c of now) expect(c.Reason).toBe('');
    expect(removed.find((r) => pair(r) === pair(review[1]!))?.Reason).toBe('REJECTED_BY_REVIEWER');
    const gone = removed.filter((r) => r.Reason === 'MCP_RECORD_GONE');
    expect(gone.length).toBeGreaterThan(0);
    const month2 = new Set(csv(f('members-2.csv')).map((m) => m.MemberID));
    for (const g of gone) expect(month2.has(g.MemberID!)).toBe(false);
    // Sorted by PersonalID, then MemberID (ordinal).
    const keys = changes.map((c) => [c.PersonalID!, c.MemberID!] as const);
    const sorted = [...keys].sort((a, b) =>
      a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0,
    );
    expect(keys).toEqual(sorted);
  });

  it('writes the same links and changes on 2 threads', async () => {
    mkdirSync(f('m2-threads'));
    const { value } = await runMatch({
      coc: f('coc.arrow'),
      mcp: f('mcp-2.arrow'),
      out: f('m2-threads/links.csv'),
      review: f('m2-threads/review.csv'),
      decisions: f('decisions.csv'),
      previous: f('m1/links.csv'),
      changes: f('m2-threads/changes.csv'),
      threads: '2',
    });
    expect(value).toBe(0);
    for (const name of ['links.csv', 'review.csv', 'changes.csv'])
      expect(readFileSync(f(`m2-threads/${name}`), 'utf8')).toBe(readFileSync(f(`m2/${name}`), 'utf8'));
  });
});

describe('refused inputs: one coded line, exit before writing, nothing written', () => {
  const month2 = (extra: OptionValues, out = f('bad/links.csv')) =>
    runMatch({ coc: f('coc.arrow'), mcp: f('mcp-2.arrow'), out, ...extra });
  const nothingWritten = () => {
    expect(existsSync(f('bad/links.csv'))).toBe(false);
    expect(existsSync(f('bad/links.csv.manifest.json'))).toBe(false);
  };

  it('a bad Decision value names its line, never the value', async () => {
    const [a] = csv(f('m1/links.csv'));
    writeFileSync(
      f('bad-value.csv'),
      `PersonalID,MemberID,Decision\r\n${a!.PersonalID},${a!.MemberID},YESPLEASE\r\n`,
    );
    await expect(month2({ decisions: f('bad-value.csv') })).rejects.toThrow(
      expect.objectContaining({
        code: 'DECISION_INVALID',
        message: expect.stringMatching(/^bad-value\.csv: line 2, Decision: /),
      }),
    );
    await month2({ decisions: f('bad-value.csv') }).catch((e: Error) =>
      expect(e.message).not.toMatch(/YESPLEASE/),
    );
    nothingWritten();
  });

  it('conflicting decisions name both lines; IDs in neither file are counted', async () => {
    const [a, b] = csv(f('m1/links.csv'));
    writeFileSync(
      f('conflict.csv'),
      `PersonalID,MemberID,Decision\r\n${a!.PersonalID},${a!.MemberID},accept\r\n${b!.PersonalID},${b!.MemberID},accept\r\n${a!.PersonalID},${a!.MemberID},reject\r\n`,
    );
    await expect(month2({ decisions: f('conflict.csv') })).rejects.toThrow(
      expect.objectContaining({ code: 'DECISION_CONFLICT', message: expect.stringMatching(/lines 2 and 4/) }),
    );
    // Found before the plan is read: a plan that is not an encoded file is never reached.
    writeFileSync(f('not-a-plan.arrow'), 'not an encoded file\n');
    await expect(month2({ decisions: f('conflict.csv'), mcp: f('not-a-plan.arrow') })).rejects.toMatchObject({
      code: 'DECISION_CONFLICT',
    });
    writeFileSync(
      f('unknown.csv'),
      `PersonalID,MemberID,Decision\r\nNOSUCHP1,NOSUCHM1,accept\r\nNOSUCHP2,NOSUCHM2,reject\r\n${a!.PersonalID},NOSUCHM3,reject\r\n`,
    );
    const err = await month2({ decisions: f('unknown.csv') }).catch((e: Error) => e);
    expect(err).toMatchObject({
      code: 'DECISION_UNKNOWN_ID',
      message: expect.stringMatching(/: 2 of 3 decisions/),
    });
    expect((err as Error).message).not.toMatch(/NOSUCH/);
    nothingWritten();
  });

  it('last month’s links of another key or schema (told by their manifest)', async () => {
    mkdirSync(f('other'));
    await runMatch({ coc: f('coc-other.arrow'), mcp: f('mcp-other.arrow'), out: f('other/links.csv') });
    const withPrevious = { previous: f('other/links.csv'), changes: f('bad/changes.csv') };
    await expect(month2(withPrevious)).rejects.toThrow(expect.objectContaining({ code: 'KEY_MISMATCH' }));
    const m = JSON.parse(readFileSync(f('other/links.csv.manifest.json'), 'utf8'));
    m.linkage.schemaFingerprint = '0'.repeat(64);
    writeFileSync(f('other/links.csv.manifest.json'), JSON.stringify(m));
    await expect(month2(withPrevious)).rejects.toThrow(expect.objectContaining({ code: 'SCHEMA_MISMATCH' }));
    expect(existsSync(f('bad/changes.csv'))).toBe(false);
    nothingWritten();
  });

  it('a links file of another exchange (most IDs in neither file), and --previous without --changes', async () => {
    writeFileSync(
      f('strangers.csv'),
      'PersonalID,MemberID,MatchWeight,MatchProbability,Status\r\nX1,Y1,9,0.99,match\r\nX2,Y2,9,0.99,match\r\n',
    );
    const err = await month2({ previous: f('strangers.csv'), changes: f('bad/changes.csv') }).catch((e) => e);
    expect(err).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringMatching(/2 of 2 links/) });
    await expect(month2({ previous: f('m1/links.csv') })).rejects.toThrow(
      /--previous and --changes go together/,
    );
    nothingWritten();
  });
});

describe('a links file without its manifest', () => {
  it('is used, with a warning that its schema and key cannot be checked', async () => {
    writeFileSync(f('bare-links.csv'), readFileSync(f('m1/links.csv')));
    mkdirSync(f('m2-bare'));
    const { value, stderr } = await runMatch({
      coc: f('coc.arrow'),
      mcp: f('mcp-2.arrow'),
      out: f('m2-bare/links.csv'),
      previous: f('bare-links.csv'),
      changes: f('m2-bare/changes.csv'),
    });
    expect(value).toBe(0);
    expect(stderr).toMatch(/warning: no bare-links\.csv\.manifest\.json beside --previous/);
  });
});
