/**
 * Evaluates an encoded set with the defaults on this thread: precision/recall/F1 of the `match`
 * links from ground truth, beside the model's own expected precision and recall of those links, and
 * the diagnostics of the scale failure (λ, m(DOB = else), the kinds of false links).
 */

import { buildPassIndex, lowerBound } from '../../src/block/blocking.js';
import { levelLabel } from '../../src/compare/comparisons.js';
import { NULL_LEVEL } from '../../src/compare/patterns.js';
import { type MatchOptions, type MatchResult, matchBatches } from '../../src/match/match.js';
import { linkageMetrics } from '../../src/match/metrics.js';
import { Scorer } from '../../src/model/score.js';
import type { EncodedSet } from './scale.js';

/** Measured and expected quality of one run. */
export interface ScaleResult {
  readonly set: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** The one-to-one mixture's expected precision and recall of the match links (`MatchResult.expected`). */
  readonly expectedPrecision: number;
  readonly expectedRecall: number;
  /** The mixture's estimate of the true matches among the compared pairs (the denominator of expected recall). */
  readonly expectedTrueMatches: number;
  /** The pairwise model's figures before issue #13's mixture: Σ p / links, Σ p / `estimatedTrueMatches`. */
  readonly pairwisePrecision: number;
  readonly pairwiseRecall: number;
  /** The pairwise model's estimate of all true matches (λ × pairs, at least Σ p kept), and the truth's count. */
  readonly estimatedTrueMatches: number;
  readonly truePairs: number;
  readonly matchSeconds: number;
  readonly candidatePairs: number;
  readonly lambda: number;
  readonly mDobElse: number;
  readonly threshold: number;
  readonly result: MatchResult;
}

/**
 * Matches a set with the defaults (plus `opts`) and measures it against its truth.
 * @example
 * ```ts
 * const r = evaluateSet(await synthSet({ clients: 10_000, members: 100_000 }));
 * ```
 */
export function evaluateSet(s: EncodedSet, opts: MatchOptions = {}): ScaleResult {
  const t0 = performance.now();
  const result = matchBatches(s.coc, s.mcp, { meta: s.meta, ...opts });
  const matchSeconds = (performance.now() - t0) / 1000;
  const matches = result.links.filter((l) => l.status === 'match');
  const m = linkageMetrics(
    matches.map((l) => [l.personalId, l.memberId] as [string, string]),
    s.truth,
  );
  // Expected: Σ p over the match links, against the model's estimate of all true matches.
  const tp = matches.reduce((a, l) => a + l.probability, 0);
  const expectedTotal = result.estimatedTrueMatches ?? tp;
  const dob = result.model.comparisons.find((c) => c.spec.name === 'DOB');
  const elseLevel = dob ? dob.spec.levels.findIndex((l) => l.label === 'else') : -1;
  const e = result.expected;
  if (!e) throw new Error(`${s.name}: the match result has no expected quality`);
  return {
    set: s.name,
    precision: m.precision,
    recall: m.recall,
    f1: m.f1,
    expectedPrecision: e.precision,
    expectedRecall: e.recall,
    expectedTrueMatches: e.trueMatches,
    pairwisePrecision: matches.length > 0 ? tp / matches.length : 1,
    pairwiseRecall: expectedTotal > 0 ? tp / expectedTotal : 1,
    estimatedTrueMatches: expectedTotal,
    truePairs: s.truth.length,
    matchSeconds,
    candidatePairs: result.counts.candidatePairs,
    lambda: result.model.lambda,
    mDobElse: dob && elseLevel >= 0 ? (dob.m[elseLevel] ?? Number.NaN) : Number.NaN,
    threshold: result.thresholds.match,
    result,
  };
}

/** A Markdown table of results. */
export function scaleTable(rows: readonly ScaleResult[]): string {
  const f = (x: number) => x.toFixed(4);
  return [
    '| data | precision | recall | F1 | expected precision | expected recall | T (mixture) | pairwise expected precision | pairwise expected recall | T (λ) | true pairs | threshold | λ | m(DOB else) | candidate pairs | match s |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.set} | ${f(r.precision)} | ${f(r.recall)} | **${f(r.f1)}** | ${f(r.expectedPrecision)} | ${f(r.expectedRecall)} | ${Math.round(r.expectedTrueMatches)} | ${f(r.pairwisePrecision)} | ${f(r.pairwiseRecall)} | ${Math.round(r.estimatedTrueMatches)} | ${r.truePairs} | ${r.threshold} | ${r.lambda.toExponential(2)} | ${f(r.mDobElse)} | ${r.candidatePairs} | ${r.matchSeconds.toFixed(1)} |`,
    ),
  ].join('\n');
}

/**
 * F1 of encoded and clear-text mode side by side, for the sets evaluated both ways (a clear-text
 * set's name ends in ", clear text").
 * @example
 * ```ts
 * console.log(modesTable(results));
 * ```
 */
export function modesTable(rows: readonly ScaleResult[]): string {
  const f = (x: number) => x.toFixed(4);
  const SUFFIX = ', clear text';
  const out = [
    '| data | encoded P | encoded R | encoded F1 | clear text P | clear text R | clear text F1 | F1 cost of encoding (points) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const c of rows.filter((r) => r.set.endsWith(SUFFIX))) {
    const e = rows.find((r) => r.set === c.set.slice(0, -SUFFIX.length));
    if (!e) continue;
    out.push(
      `| ${e.set} | ${f(e.precision)} | ${f(e.recall)} | **${f(e.f1)}** | ${f(c.precision)} | ${f(c.recall)} | **${f(c.f1)}** | ${((c.f1 - e.f1) * 100).toFixed(2)} |`,
    );
  }
  return out.join('\n');
}

/**
 * What the false links and the missed true pairs look like: counts of their level patterns (labels
 * only, no values), most common first.
 * @example
 * ```ts
 * console.log(errorPatterns(set, evaluateSet(set)));
 * ```
 */
export function errorPatterns(s: EncodedSet, r: ScaleResult, top = 12): string {
  const model = r.result.model;
  const scorer = new Scorer(model, s.coc, s.mcp);
  const li = new Map(Array.from(s.coc.ids, (id, i) => [id, i]));
  const ri = new Map(Array.from(s.mcp.ids, (id, i) => [id, i]));
  const truth = new Map(s.truth.map(([a, b]) => [a, b]));
  const linked = new Map(r.result.links.filter((l) => l.status === 'match').map((l) => [l.personalId, l]));
  const describe = (pairs: [string, string][]) => {
    const I = pairs.map(([a]) => li.get(a) ?? 0);
    const J = pairs.map(([, b]) => ri.get(b) ?? 0);
    const sc = I.length > 0 ? scorer.scorePairs(I, J) : undefined;
    return levelPatterns(model, sc, pairs.keys(), top, '  ');
  };
  const fp = [...linked.values()]
    .filter((l) => truth.get(l.personalId) !== l.memberId)
    .map((l) => [l.personalId, l.memberId] as [string, string]);
  const fn = s.truth.filter(([a, b]) => linked.get(a)?.memberId !== b);
  return `false links (${fp.length}):\n${describe(fp)}\nmissed true pairs (${fn.length}):\n${describe(fn)}`;
}

/**
 * m measured on the true pairs beside the model's m, per comparison and level (the levels where they
 * differ most first).
 * @example
 * ```ts
 * console.log(mAgainstTruth(set, evaluateSet(set)));
 * ```
 */
export function mAgainstTruth(s: EncodedSet, r: ScaleResult, top = 15): string {
  const model = r.result.model;
  const scorer = new Scorer(model, s.coc, s.mcp);
  const li = new Map(Array.from(s.coc.ids, (id, i) => [id, i]));
  const ri = new Map(Array.from(s.mcp.ids, (id, i) => [id, i]));
  const pairs = s.truth.filter(([a, b]) => li.has(a) && ri.has(b));
  const sc = scorer.scorePairs(
    pairs.map(([a]) => li.get(a) ?? 0),
    pairs.map(([, b]) => ri.get(b) ?? 0),
  );
  const rows: [string, number, number][] = [];
  model.comparisons.forEach((c, k) => {
    const counts = new Float64Array(c.m.length);
    let n = 0;
    for (const l of sc.levels[k] ?? []) {
      if (l === NULL_LEVEL) continue;
      counts[l]! += 1;
      n++;
    }
    c.m.forEach((m, l) => {
      rows.push([`${c.spec.name}:${levelLabel(c.spec, l)}`, m, n > 0 ? (counts[l] ?? 0) / n : Number.NaN]);
    });
  });
  return rows
    .sort(
      (a, b) =>
        Math.abs(Math.log((b[1] + 1e-4) / (b[2] + 1e-4))) - Math.abs(Math.log((a[1] + 1e-4) / (a[2] + 1e-4))),
    )
    .slice(0, top)
    .map(([k, m, t]) => `  ${k}: model ${m.toFixed(4)} truth ${t.toFixed(4)}`)
    .join('\n');
}

/**
 * Why each missed true pair was missed: never a candidate (no pass shares a key with it; or only
 * passes whose shared block was over the cap — counted per pass), a candidate scored below the
 * review or the match threshold (with the level patterns of the largest group), or a candidate at or
 * above the match threshold that lost to a competitor (one-to-one assignment or the ambiguity rule).
 * @example
 * ```ts
 * console.log(missedCauses(set, evaluateSet(set)));
 * ```
 */
export function missedCauses(s: EncodedSet, r: ScaleResult, maxBlockSize = 2000): string {
  const res = r.result;
  const model = res.model;
  const scorer = new Scorer(model, s.coc, s.mcp);
  const li = new Map(Array.from(s.coc.ids, (id, i) => [id, i]));
  const ri = new Map(Array.from(s.mcp.ids, (id, i) => [id, i]));
  const linked = new Map(res.links.filter((l) => l.status === 'match').map((l) => [l.personalId, l]));
  const anyLink = new Map(res.links.map((l) => [l.personalId, l]));
  const byMember = new Map(res.links.map((l) => [l.memberId, l]));
  const names = Object.keys(s.coc.blocks).filter((n) => n in s.mcp.blocks);
  const idx = names.map((n) => buildPassIndex(n, s.mcp.blocks[n]!));
  const missed = s.truth.filter(([a, b]) => linked.get(a)?.memberId !== b && li.has(a) && ri.has(b));
  const cappedOnly = new Map<string, number>();
  const sharedCounts = new Map<string, number>();
  const cand: [number, number][] = [];
  let noKey = 0;
  let onlyCapped = 0;
  let capSizes: number[] = [];
  for (const [a, b] of missed) {
    const i = li.get(a)!;
    const j = ri.get(b)!;
    let found = false;
    const capped: string[] = [];
    names.forEach((n, p) => {
      const lc = s.coc.blocks[n]!;
      const rc = s.mcp.blocks[n]!;
      for (let q = lc.offsets[i]!; q < lc.offsets[i + 1]!; q++) {
        const key = lc.keys[q]!;
        let shares = false;
        for (let t = rc.offsets[j]!; t < rc.offsets[j + 1]!; t++) if (rc.keys[t] === key) shares = true;
        if (!shares) continue;
        const ix = idx[p]!;
        const start = lowerBound(ix.keys, key);
        let end = start;
        while (end < ix.keys.length && ix.keys[end] === key) end++;
        if (end - start > maxBlockSize) {
          capped.push(n);
          capSizes.push(end - start);
        } else found = true;
      }
    });
    if (found) cand.push([i, j]);
    else if (capped.length > 0) {
      onlyCapped++;
      const k = [...new Set(capped)].sort().join('+');
      cappedOnly.set(k, (cappedOnly.get(k) ?? 0) + 1);
    } else noKey++;
    if (!found) {
      const k = capped.length > 0 ? 'capped' : 'none';
      sharedCounts.set(k, (sharedCounts.get(k) ?? 0) + 1);
    }
  }
  const sc =
    cand.length > 0
      ? scorer.scorePairs(
          cand.map((c) => c[0]),
          cand.map((c) => c[1]),
        )
      : undefined;
  const toP = (w: number) => 1 / (1 + 2 ** -w);
  const groups = { belowReview: [] as number[], band: [] as number[], lost: [] as number[] };
  const lostKinds = new Map<string, number>();
  cand.forEach(([i, j], x) => {
    const p = toP(sc?.weight[x] ?? -99);
    if (p < res.thresholds.review) groups.belowReview.push(x);
    else if (p < res.thresholds.match) groups.band.push(x);
    else {
      groups.lost.push(x);
      const a = s.coc.ids[i]!;
      const b = s.mcp.ids[j]!;
      const mine = anyLink.get(a);
      const kind =
        mine?.memberId === b
          ? `review (${mine.reason ?? '?'})`
          : mine
            ? `client linked elsewhere (${mine.status})`
            : byMember.get(b)
              ? `member linked to another client (${byMember.get(b)!.status})`
              : 'not in links';
      lostKinds.set(kind, (lostKinds.get(kind) ?? 0) + 1);
    }
  });
  const pattern = (xs: number[], top = 10) => levelPatterns(model, sc, xs, top, '    ');
  capSizes = capSizes.sort((a, b) => a - b);
  return [
    `missed true pairs: ${missed.length} (thresholds: match ${res.thresholds.match}, review ${res.thresholds.review})`,
    `  never a candidate, no pass shares a key: ${noKey}`,
    `  never a candidate, only capped blocks share a key: ${onlyCapped} (capped block sizes median ${capSizes[capSizes.length >> 1] ?? 0}, max ${capSizes.at(-1) ?? 0})`,
    ...[...cappedOnly].sort((a, b) => b[1] - a[1]).map(([k, n]) => `    ${n} × ${k}`),
    `  candidate, p below the review threshold: ${groups.belowReview.length}`,
    pattern(groups.belowReview),
    `  candidate, p in the review band: ${groups.band.length}`,
    pattern(groups.band),
    `  candidate, p ≥ match threshold, not linked: ${groups.lost.length}`,
    ...[...lostKinds].map(([k, n]) => `    ${n} × ${k}`),
    pattern(groups.lost, 5),
    `  pass stats: ${JSON.stringify(res.blocking.passes.map((p) => [p.name, p.pairs, p.newPairs, p.cappedBlocks, p.cappedPairs, p.largestBlock]))}`,
  ].join('\n');
}

/** The commonest level patterns of the scored pairs `xs`, one line each: `n × FirstName:exact …`. */
function levelPatterns(
  model: MatchResult['model'],
  sc: { readonly levels: readonly ArrayLike<number>[] } | undefined,
  xs: Iterable<number>,
  top: number,
  indent: string,
): string {
  const counts = new Map<string, number>();
  for (const x of xs) {
    const key = model.comparisons
      .map((c, k) => {
        const l = sc?.levels[k]?.[x] ?? NULL_LEVEL;
        return `${c.spec.name}:${l === NULL_LEVEL ? '-' : levelLabel(c.spec, l)}`;
      })
      .join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, n]) => `${indent}${n} × ${k}`)
    .join('\n');
}
