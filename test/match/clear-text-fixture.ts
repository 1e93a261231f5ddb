/**
 * The clear-text fixture of test/match/clear-text*.test.ts: part of the bundled sample (800 clients,
 * the members of those who are members and as many strangers), encoded in clear-text mode.
 */
import { type Dataset, sampleDataset } from '../../bench/lib/eval.js';
import { clearTextEncoder } from '../../src/encode/clear.js';
import type { EncodedMeta } from '../../src/encoded/batch.js';
import type { ClearTextBatch } from '../../src/encoded/clear-text.js';
import type { MatchResult } from '../../src/match/match.js';
import { linkageMetrics } from '../../src/match/metrics.js';

export interface ClearTextFixture {
  readonly ds: Dataset;
  readonly coc: ClearTextBatch;
  readonly mcp: ClearTextBatch;
  readonly meta: EncodedMeta;
  readonly truth: [string, string][];
  /** F1 of a result's `match` links against the truth of the fixture's members. */
  readonly f1: (r: MatchResult) => number;
}

export async function clearTextFixture(): Promise<ClearTextFixture> {
  const all = await sampleDataset();
  const c = all.coc.slice(0, 800);
  const ids = new Set(c.map((p) => p.id));
  const truth = all.truth.filter(([p]) => ids.has(p));
  const members = new Set(truth.map(([, m]) => m));
  // The members of those clients and as many strangers.
  const m = all.mcp.filter((p, i) => members.has(p.id) || i % 3 === 0).slice(0, 2400);
  const ds = { ...all, coc: c, mcp: m, truth };
  const enc = clearTextEncoder('coc');
  const coc = enc.encodeBatch(ds.coc);
  const mcp = clearTextEncoder('mcp').encodeBatch(ds.mcp);
  const f1 = (r: MatchResult) =>
    linkageMetrics(
      r.links.filter((l) => l.status === 'match').map((l) => [l.personalId, l.memberId] as [string, string]),
      truth.filter(([, id]) => mcp.ids.includes(id)),
    ).f1;
  return { ds, coc, mcp, meta: enc.meta, truth, f1 };
}
