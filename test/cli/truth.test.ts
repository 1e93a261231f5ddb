/**
 * `match --truth` and one set of counts: on the bundled sample, the console summary, the links file,
 * the report's stages and its threshold rationale give the same match and review counts; the report
 * shows the rows read and rejected that travel in the encoded files, and the measured quality.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command, OptionValues } from '../../src/cli/command.js';
import { encode } from '../../src/cli/commands/encode.js';
import { match } from '../../src/cli/commands/match.js';
import { readTruthFile } from '../../src/cli/truth.js';
import { BloomlinkError } from '../../src/errors.js';
import type { MatchReport } from '../../src/report/types.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = join(root, 'data', 'sample');
const KEY = `${'5a3c91e07bd24f68'.repeat(3)}0f1e2d3c4b5a6978\n`;

async function run(cmd: Command, values: OptionValues): Promise<string> {
  const write = process.stderr.write;
  let err = '';
  process.stderr.write = ((s: string | Uint8Array) => {
    err += typeof s === 'string' ? s : Buffer.from(s).toString();
    return true;
  }) as typeof process.stderr.write;
  try {
    expect(await cmd.run(values)).toBe(0);
  } finally {
    process.stderr.write = write;
  }
  return err;
}

const code = async (p: Promise<unknown>): Promise<[string, string]> =>
  p.then(
    () => ['', ''],
    (e: unknown) => (e instanceof BloomlinkError ? [e.code, e.message] : ['?', String(e)]),
  );

describe('readTruthFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bloomlink-truth-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('reads pairs, ignoring other columns and blank lines, any case of the header', async () => {
    const p = file('ok.csv', 'memberid,Note,personalid\r\nM1,x,P1\r\n\r\nM2,,P2\r\n');
    expect(await readTruthFile(p)).toEqual([
      ['P1', 'M1'],
      ['P2', 'M2'],
    ]);
  });

  it('refuses a missing column or an empty ID in one coded line naming the file, never a value', async () => {
    const [c1, m1] = await code(readTruthFile(file('nomember.csv', 'PersonalID,Member\nSECRET1,M1\n')));
    expect(c1).toBe('COLUMN_MISSING');
    expect(m1).toContain("nomember.csv: missing required column 'MemberID'");
    const [c2, m2] = await code(
      readTruthFile(file('empty.csv', 'PersonalID,MemberID\nSECRET1,M1\nSECRET2,\n')),
    );
    expect(c2).toBe('INPUT_INVALID');
    expect(m2).toBe('empty.csv: line 3 has an empty MemberID');
    for (const m of [m1, m2]) {
      expect(m).not.toContain('SECRET');
      expect(m.includes('\n')).toBe(false);
    }
  });
});

describe('match --truth on the bundled sample: one set of counts everywhere', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bloomlink-counts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const f = {
    key: join(dir, 'k.key'),
    coc: join(dir, 'coc.arrow'),
    mcp: join(dir, 'mcp.jsonl'),
    links: join(dir, 'links.csv'),
    review: join(dir, 'review.csv'),
    json: join(dir, 'report.json'),
    html: join(dir, 'report.html'),
  };
  let console = '';
  let report: MatchReport;
  let encodeSummary = '';
  beforeAll(async () => {
    writeFileSync(f.key, KEY, { mode: 0o600 });
    encodeSummary = await run(encode, {
      in: join(sample, 'clients.csv'),
      key: f.key,
      out: f.coc,
      today: '2026-01-01',
      threads: '1',
    });
    await run(encode, {
      in: join(sample, 'members.csv'),
      key: f.key,
      out: f.mcp,
      today: '2026-01-01',
      threads: '1',
      quiet: true,
    });
    console = await run(match, {
      coc: f.coc,
      mcp: f.mcp,
      out: f.links,
      review: f.review,
      report: f.html,
      'report-json': f.json,
      truth: join(sample, 'truth.csv'),
      threads: '1',
    });
    report = JSON.parse(readFileSync(f.json, 'utf8')) as MatchReport;
  }, 60_000);

  it('prints, writes and reports the same match and review counts', () => {
    const rows = readFileSync(f.links, 'utf8').trim().split(/\r?\n/).slice(1);
    const status = (s: string) => rows.filter((r) => r.endsWith(`,${s}`)).length;
    const printed = /links: (\d+) match, (\d+) review/.exec(console);
    expect(printed).not.toBeNull();
    const [matches, review] = [Number(printed![1]), Number(printed![2])];
    expect(matches).toBe(status('match'));
    expect(review).toBe(status('review'));
    expect(report.stages.matches).toBe(matches);
    expect(report.stages.review).toBe(review);
    expect(report.trust.expected.links).toBe(matches);
    expect(report.thresholds.rationale).toContain(
      `${matches} pairs are linked automatically and ${review} go to review`,
    );
    const reviewRows = readFileSync(f.review, 'utf8').trim().split(/\r?\n/).length - 1;
    expect(reviewRows).toBe(review);
  });

  it('shows the rows read and rejected that the encoded files carry', () => {
    const lines = readFileSync(join(sample, 'clients.csv'), 'utf8').trim().split(/\r?\n/).length - 1;
    expect(report.stages.coc.rowsRead).toBe(lines);
    const read = /Rows read: (\d+)/.exec(encodeSummary);
    const rejected = /Rejected: (\d+)/.exec(encodeSummary);
    expect(Number(read?.[1])).toBe(lines);
    expect(report.stages.coc.rejected).toBe(Number(rejected?.[1]));
    expect(report.stages.coc.rowsRead! - report.stages.coc.rejected!).toBe(report.stages.coc.encoded);
    expect(report.stages.mcp.rowsRead).toBeGreaterThanOrEqual(report.stages.mcp.encoded);
    expect(readFileSync(f.html, 'utf8')).not.toContain('not recorded in the encoded file');
  });

  it('measures the links against the truth file and says whether the model agrees', () => {
    const truth = readFileSync(join(sample, 'truth.csv'), 'utf8').trim().split(/\r?\n/).length - 1;
    const m = report.trust.measured!;
    expect(m.truePairs).toBe(truth);
    expect(m.links).toBe(report.stages.matches);
    expect(m.wrong + (m.links - m.wrong)).toBe(m.links);
    expect(m.missed).toBe(truth - (m.links - m.wrong));
    expect(report.quality!.matches.falsePositives).toBe(m.wrong);
    expect(console).toContain(`measured against ${truth} known pairs: ${m.wrong} wrong, ${m.missed} missed`);
    expect(['agree', 'disagree']).toContain(report.trust.agreement);
    expect(report.stages.pairCompleteness).toBeGreaterThan(0);
  });

  it('gives every review pair a reason; one at or above the match threshold names its close competitor', () => {
    for (const w of report.explanations.review) {
      expect(w.reason).toBeDefined();
      if (w.probability >= report.thresholds.match) {
        expect(w.reason!.kind).toBe('competitor');
        expect(w.reason!.text).toContain('close competitor: ');
      } else expect(w.reason!.kind).toBe('band');
    }
  });
});
