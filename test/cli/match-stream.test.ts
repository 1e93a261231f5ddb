/**
 * `bloomlink match` streams the plan when holding it whole would not fit comfortably (or when
 * `BLOOMLINK_MATCH_STREAM=1`), and its output files are the same either way, with the monthly cycle
 * too; it falls back to the whole file for what streaming does not do (`--truth`, `--no-blocking`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command, OptionValues } from '../../src/cli/command.js';
import { encode } from '../../src/cli/commands/encode.js';
import { match } from '../../src/cli/commands/match.js';
import { STREAM_ENV, shouldStream, WHOLE_FILE_PEAK_PER_PLAN_BYTE } from '../../src/cli/stream-rule.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = join(root, 'data', 'sample');
const KEY = `${'5a3c91e07bd24f68'.repeat(3)}0f1e2d3c4b5a6978\n`;
const NONE = { noBlocking: false, truth: false };

async function run(cmd: Command, values: OptionValues, env?: string): Promise<string> {
  const write = process.stderr.write;
  const before = process.env[STREAM_ENV];
  let err = '';
  process.stderr.write = ((s: string | Uint8Array) => {
    err += typeof s === 'string' ? s : Buffer.from(s).toString();
    return true;
  }) as typeof process.stderr.write;
  if (env === undefined) delete process.env[STREAM_ENV];
  else process.env[STREAM_ENV] = env;
  try {
    expect(await cmd.run(values)).toBe(0);
  } finally {
    process.stderr.write = write;
    if (before === undefined) delete process.env[STREAM_ENV];
    else process.env[STREAM_ENV] = before;
  }
  return err;
}

describe('shouldStream (the CLI rule)', () => {
  const GiB = 2 ** 30;
  const machine = { total: 24 * GiB, available: 18 * GiB };
  it('streams when the whole-file estimate exceeds half the memory or what is available', () => {
    const half = (12 * GiB) / WHOLE_FILE_PEAK_PER_PLAN_BYTE;
    expect(shouldStream(half * 0.99, NONE, undefined, machine)).toBe(false);
    expect(shouldStream(half * 1.01, NONE, undefined, machine)).toBe(true);
    const tight = { total: 24 * GiB, available: 2 * GiB };
    expect(shouldStream((3 * GiB) / WHOLE_FILE_PEAK_PER_PLAN_BYTE, NONE, undefined, tight)).toBe(true);
    expect(shouldStream((1 * GiB) / WHOLE_FILE_PEAK_PER_PLAN_BYTE, NONE, undefined, tight)).toBe(false);
  });
  it('follows BLOOMLINK_MATCH_STREAM, falls back for what streaming does not do, refuses other values', () => {
    expect(shouldStream(1, NONE, '1', machine)).toBe(true);
    expect(shouldStream(1e12, NONE, '0', machine)).toBe(false);
    for (const k of ['notAFile', 'noBlocking', 'truth'] as const)
      expect(shouldStream(1e12, { ...NONE, [k]: true }, '1', machine)).toBe(false);
    expect(() => shouldStream(1, NONE, 'yes', machine)).toThrow(/BLOOMLINK_MATCH_STREAM must be 0 or 1/);
  });
});

describe('match through the CLI: streamed and whole-file outputs are identical', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bloomlink-stream-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const key = join(dir, 'k.key');
  const coc = join(dir, 'coc.arrow');
  const mcp = join(dir, 'mcp.arrow');
  const outputs = ['links.csv', 'review.csv', 'model.json', 'report.json', 'report.html'];
  const matchInto = (sub: string, env: string, extra: OptionValues = {}) =>
    run(
      match,
      {
        coc,
        mcp,
        out: join(dir, `${sub}-links.csv`),
        review: join(dir, `${sub}-review.csv`),
        model: join(dir, `${sub}-model.json`),
        'report-json': join(dir, `${sub}-report.json`),
        report: join(dir, `${sub}-report.html`),
        threads: '1',
        ...extra,
      },
      env,
    );
  // The reports' time of making aside.
  const read = (sub: string) =>
    outputs.map((o) =>
      readFileSync(join(dir, `${sub}-${o}`), 'utf8')
        .replace(/<time datetime="[^"]*">[^<]*<\/time>/g, '<time/>')
        .replace(/"generatedAt": "[^"]*"/g, '"generatedAt": ""'),
    );
  beforeAll(async () => {
    writeFileSync(key, KEY, { mode: 0o600 });
    for (const [list, out] of [
      ['clients.csv', coc],
      ['members.csv', mcp],
    ] as const)
      await run(encode, {
        in: join(sample, list),
        key,
        out,
        today: '2026-01-01',
        threads: '1',
        quiet: true,
      });
  }, 120_000);

  it('trains and writes the same links, review, model and reports streamed as whole', async () => {
    const streamed = await matchInto('s', '1');
    const whole = await matchInto('w', '0');
    expect(streamed).toContain('plan: streamed in chunks');
    expect(whole).not.toContain('plan: streamed');
    const [s, w] = [read('s'), read('w')];
    expect(s[0]!.split('\n').length).toBeGreaterThan(100);
    expect(s).toEqual(w);
    // The summary's counts too.
    const counts = (err: string) =>
      err.split('\n').filter((l) => /^(CoC records|candidate pairs|links):/.test(l));
    expect(counts(streamed)).toHaveLength(3);
    expect(counts(streamed)).toEqual(counts(whole));
  }, 180_000);

  it('runs the monthly cycle streamed, with the same links, review, changes and reports', async () => {
    // Last month's links: this month's plain run's but two, and one to a member who has left.
    await matchInto('p', '0');
    const lines = readFileSync(join(dir, 'p-links.csv'), 'utf8').trimEnd().split('\r\n');
    const [header, first, second, third, ...rest] = lines;
    const person = (line: string | undefined) => line?.split(',')[0] ?? '';
    const member = (line: string | undefined) => line?.split(',')[1] ?? '';
    writeFileSync(
      join(dir, 'previous.csv'),
      `${[header, first, ...rest, `${person(third)},LEFT-THE-PLAN,20.0,0.99,match`].join('\r\n')}\r\n`,
    );
    // A rejected link, another client's member accepted, and an accepted pair whose member left.
    writeFileSync(
      join(dir, 'decisions.csv'),
      [
        'PersonalID,MemberID,Decision',
        `${person(first)},${member(first)},reject`,
        `${person(second)},${member(first)},accept`,
        `${person(third)},NOT-IN-THE-PLAN,accept`,
        '',
      ].join('\r\n'),
    );
    const cycle = (sub: string) => ({
      decisions: join(dir, 'decisions.csv'),
      previous: join(dir, 'previous.csv'),
      changes: join(dir, `${sub}-changes.csv`),
    });
    const streamed = await matchInto('cs', '1', cycle('cs'));
    const whole = await matchInto('cw', '0', cycle('cw'));
    expect(streamed).toContain('plan: streamed in chunks');
    expect(whole).not.toContain('plan: streamed');
    expect(read('cs')).toEqual(read('cw'));
    const changes = (sub: string) => readFileSync(join(dir, `${sub}-changes.csv`), 'utf8');
    expect(changes('cs')).toBe(changes('cw'));
    expect(changes('cs')).toContain('MCP_RECORD_GONE');
    expect(changes('cs')).toContain('REJECTED_BY_REVIEWER');
    // The summary's cycle lines and the warning too.
    const cycleLines = (err: string) =>
      err
        .split('\n')
        .filter((l) => /^(decisions|changes from)|warning/.test(l))
        .map((l) => l.replace(/c[sw]-changes\.csv/, 'changes.csv'));
    expect(cycleLines(streamed)).toHaveLength(3);
    expect(cycleLines(streamed)).toEqual(cycleLines(whole));
    expect(cycleLines(streamed)[0]).toMatch(
      /1 accepted pairs linked, 1 with a record absent; 1 rejected pairs/,
    );
  }, 180_000);

  it('falls back to the whole file for --truth, with the same outputs', async () => {
    const t = await matchInto('t', '1', { truth: join(sample, 'truth.csv') });
    expect(t).not.toContain('plan: streamed');
    expect(t).toContain('measured against');
    expect(read('t').slice(0, 3)).toEqual(read('w').slice(0, 3));
  }, 180_000);
  it('refuses the links file of another exchange as the whole-file path does', async () => {
    const stranger = join(dir, 'stranger.csv');
    writeFileSync(
      stranger,
      ['PersonalID,MemberID,MatchWeight,MatchProbability,Status', 'X1,Y1,20.0,0.99,match', ''].join('\r\n'),
    );
    const refusal = async (env: string) => {
      const e = await run(
        match,
        {
          coc,
          mcp,
          out: join(dir, `x${env}-links.csv`),
          previous: stranger,
          changes: join(dir, `x${env}-changes.csv`),
          threads: '1',
          quiet: true,
        },
        env,
      ).catch((err: unknown) => err);
      return [(e as { code?: string }).code, (e as Error).message];
    };
    const streamed = await refusal('1');
    expect(streamed[0]).toBe('INPUT_INVALID');
    expect(streamed[1]).toMatch(/1 of 1 links name a PersonalID not in the CoC file/);
    expect(streamed).toEqual(await refusal('0'));
  }, 180_000);
});
