import { describe, expect, it } from 'vitest';
import { byteProgress, encodePhase, matchPhase, progressBar } from '../../src/cli/progress.js';
import { matchBatches } from '../../src/match/match.js';
import { matchBatchesParallel } from '../../src/match/match.node.js';
import { reportFixture } from '../report/fixture.js';

function fake(isTTY: boolean) {
  let t = 0;
  const out: string[] = [];
  return {
    stream: { isTTY, write: (s: string) => out.push(s) },
    now: () => t,
    tick: (ms: number) => {
      t += ms;
    },
    out,
  };
}

/** The percentages drawn, per label, from terminal output. */
function percents(out: readonly string[]): Map<string, number[]> {
  const by = new Map<string, number[]>();
  for (const s of out) {
    const m = /^\r(.+?) \[[#-]+\]\s+(\d+)% /.exec(s);
    if (!m) continue;
    by.set(m[1]!, [...(by.get(m[1]!) ?? []), Number(m[2])]);
  }
  return by;
}

describe('progress on a stream that is not a terminal', () => {
  it('writes one plain line every few seconds, and nothing for short work', () => {
    const f = fake(false);
    const bar = progressBar('match: scoring candidate pairs', {
      stream: f.stream,
      now: f.now,
      unit: 'records',
      interval: 5000,
    });
    bar.update(100, 8000);
    f.tick(4000);
    bar.update(2000, 8000);
    expect(f.out).toEqual([]);
    f.tick(1000);
    bar.update(3600, 8000);
    expect(f.out).toEqual(['match: scoring candidate pairs 45% (3,600/8,000 records)\n']);
    f.tick(1000);
    bar.update(4000, 8000);
    expect(f.out).toHaveLength(1);
    f.tick(5000);
    bar.update(8000, 8000);
    expect(f.out[1]).toBe('match: scoring candidate pairs 100% (8,000/8,000 records)\n');
    bar.done();
    expect(f.out).toHaveLength(2);
  });

  it('shows bytes as MB with a percentage of the file, and rows when no byte count comes', () => {
    const f = fake(false);
    const bar = progressBar('encode: reading clients.csv', { stream: f.stream, now: f.now, unit: 'bytes' });
    f.tick(6000);
    byteProgress(bar, { rowsRead: 10, bytesRead: 1_500_000, totalBytes: 6_000_000 });
    expect(f.out.at(-1)).toBe('encode: reading clients.csv 25% (1.5/6.0 MB)\n');
    f.tick(6000);
    byteProgress(bar, { rowsRead: 1234 });
    expect(f.out.at(-1)).toBe('encode: reading clients.csv (1,234 rows)\n');
  });

  it("shows the encoder's phases under their own labels, bytes of the file's size", () => {
    const f = fake(false);
    const bar = progressBar('encode: reading members.csv', { stream: f.stream, now: f.now, unit: 'bytes' });
    const report = (phase: 'spans' | 'encode', done: number) =>
      encodePhase(
        bar,
        { phase, done, total: 4_000_000, unit: 'bytes', rowsRead: 1, bytesRead: done, encoded: 0 },
        'members.csv',
      );
    f.tick(6000);
    report('spans', 1_000_000);
    expect(f.out.at(-1)).toBe('encode: reading coverage spans of members.csv 25% (1.0/4.0 MB)\n');
    f.tick(6000);
    report('encode', 3_000_000);
    expect(f.out.at(-1)).toBe('encode: encoding members.csv 75% (3.0/4.0 MB)\n');
  });

  it('is silent when quiet', () => {
    const f = fake(true);
    const bar = progressBar('x', { stream: f.stream, now: f.now, quiet: true });
    f.tick(10_000);
    bar.update(1, 2);
    bar.done();
    expect(f.out).toEqual([]);
  });
});

describe('progress on a terminal', () => {
  it('gives each phase its own label and a percentage that never goes back', () => {
    const f = fake(true);
    const bar = progressBar('match: reading', { stream: f.stream, now: f.now });
    // What the matcher reported before: 61 % of u, then EM from 0, λ at 100 %, scoring from 2 %.
    const events = [
      ['train:u', 610, 1000],
      ['train:u', 500, 1000], // a late, smaller report must not move the bar back
      ['train:u', 1000, 1000],
      ['train:em', 0, 400],
      ['train:em', 200, 400],
      ['train:lambda', 1, 1],
      ['score', 20, 1000],
      ['score', 700, 1000],
      ['score', 1000, 1000],
    ] as const;
    for (const [phase, done, total] of events) {
      f.tick(150);
      matchPhase(bar, { phase, done, total });
    }
    bar.done();
    const by = percents(f.out);
    expect([...by.keys()]).toEqual([
      'match: training u (random pairs)',
      'match: training m (EM)',
      'match: training λ',
      'match: scoring candidate pairs',
    ]);
    expect(by.get('match: training u (random pairs)')).toEqual([61, 61, 100]);
    expect(by.get('match: scoring candidate pairs')).toEqual([2, 70, 100]);
    for (const ps of by.values())
      for (let i = 1; i < ps.length; i++) expect(ps[i]).toBeGreaterThanOrEqual(ps[i - 1]!);
    expect(f.out.at(-1)).toBe('\r\x1b[K');
  });

  it('names the unit a report gives (a streamed match scores plan records, not pairs)', () => {
    const f = fake(true);
    const bar = progressBar('match: reading', { stream: f.stream, now: f.now });
    f.tick(150);
    matchPhase(bar, { phase: 'score', done: 131_072, total: 3_000_000, unit: 'plan records' });
    f.tick(150);
    matchPhase(bar, { phase: 'score', done: 262_144, total: 3_000_000 });
    bar.done();
    expect(f.out.join('')).toContain('131,072/3,000,000 plan records');
    expect(f.out.join('')).toContain('262,144/3,000,000 pairs');
  });

  it('redraws at most ten times a second', () => {
    const f = fake(true);
    const bar = progressBar('validate: reading a.csv', { stream: f.stream, now: f.now, unit: 'bytes' });
    for (let i = 0; i < 100; i++) {
      f.tick(10);
      bar.update(i, 100);
    }
    expect(f.out.length).toBeLessThanOrEqual(11);
    expect(f.out.length).toBeGreaterThanOrEqual(9);
  });
});

describe('match progress through the API', () => {
  it('reports named phases in order, each with done never decreasing and ending at its total', () => {
    const { encoded } = reportFixture();
    const events: { phase: string; stage: string; done: number; total: number }[] = [];
    const result = matchBatches(encoded.coc, encoded.mcp, {
      meta: encoded.cocMeta,
      onProgress: (p) => events.push(p),
    });
    const order = ['train:u', 'train:em', 'train:lambda', 'score'];
    const phases = events.map((e) => e.phase).filter((p, i, a) => i === 0 || a[i - 1] !== p);
    expect(phases).toEqual(order);
    for (const phase of order) {
      const es = events.filter((e) => e.phase === phase);
      for (let i = 1; i < es.length; i++) expect(es[i]!.done).toBeGreaterThanOrEqual(es[i - 1]!.done);
      expect(es.at(-1)!.done).toBe(es.at(-1)!.total);
      for (const e of es) expect(e.stage).toBe(e.phase);
    }
    // Scoring counts candidate pairs (each pass's pairs before the union), not CoC records.
    const passPairs = result.blocking.passes.reduce((s, p) => s + p.pairs, 0);
    const score = events.filter((e) => e.phase === 'score');
    expect(score.at(-1)!.total).toBe(passPairs);
    expect(passPairs).toBeGreaterThanOrEqual(result.counts.candidatePairs);
    expect(passPairs).not.toBe(encoded.coc.length);
    expect(score.length).toBeGreaterThan(1);
  });

  it('the all-cores matcher counts the same pairs, in order, ending at the total', async () => {
    const { encoded } = reportFixture();
    const events: { phase: string; done: number; total: number }[] = [];
    const result = await matchBatchesParallel(encoded.coc, encoded.mcp, {
      meta: encoded.cocMeta,
      threads: 2,
      onProgress: (p) => events.push(p),
    });
    const score = events.filter((e) => e.phase === 'score');
    const passPairs = result.blocking.passes.reduce((s, p) => s + p.pairs, 0);
    expect(score.every((e) => e.total === passPairs)).toBe(true);
    for (let i = 1; i < score.length; i++) expect(score[i]!.done).toBeGreaterThanOrEqual(score[i - 1]!.done);
    expect(score.at(-1)!.done).toBe(passPairs);
  });
});
