/**
 * Dumps what the expected-figure estimators need from one evaluation set (scored pairs ≥ the keep
 * weight with their level patterns and truth flags, the kept pairs, the links), to
 * .bench-cache/calib-<id>.json, so estimators can be compared without matching again.
 * Usage: npx tsx bench/calib-dump.ts f:10000 s:10000:35000 …
 */
import { writeFileSync } from 'node:fs';
import { greedyOneToOne } from '../src/decide/assign.js';
import { idTie } from '../src/match/cycle.js';
import { assembleMatch, matchModel, scoreCandidates } from '../src/match/match.js';
import { Scorer } from '../src/model/score.js';
import { setFromSpec } from './lib/scale.js';

for (const w of process.argv.slice(2)) {
  const s = await setFromSpec(w);
  const t0 = performance.now();
  const model = matchModel(s.coc, s.mcp, { meta: s.meta });
  const scored = scoreCandidates(s.coc, s.mcp, model);
  const result = assembleMatch(s.coc, s.mcp, model, scored, { truth: s.truth });
  const p = scored.pairs;
  const kept = greedyOneToOne(p, idTie(s.coc, s.mcp, p));
  const truth = new Map(s.truth);
  const isTrue = Array.from(p.left, (l, k) => (truth.get(s.coc.ids[l]!) === s.mcp.ids[p.right[k]!] ? 1 : 0));
  const sc = new Scorer(model, s.coc, s.mcp).scorePairs(p.left, p.right);
  const linkStatus = new Map(result.links.map((l) => [`${l.personalId}\u0000${l.memberId}`, l.status]));
  const status = Array.from(p.left, (l, k) => {
    const st = linkStatus.get(`${s.coc.ids[l]}\u0000${s.mcp.ids[p.right[k]!]}`);
    return st === 'match' ? 2 : st === 'review' ? 1 : 0;
  });
  const passNames = Object.keys(s.coc.blocks);
  const passes = Array.from(p.left, (l, k) => {
    const r = p.right[k]!;
    let n = 0;
    for (const name of passNames) {
      const a = s.coc.blocks[name]!;
      const b = s.mcp.blocks[name]!;
      const ka = a.keys.subarray(a.offsets[l]!, a.offsets[l + 1]!);
      const kb = b.keys.subarray(b.offsets[r]!, b.offsets[r + 1]!);
      if (ka.some((x) => kb.includes(x))) n |= 1 << passNames.indexOf(name);
    }
    return n;
  });
  const id = w.replaceAll(':', '-');
  writeFileSync(
    `.bench-cache/calib-${id}.json`,
    JSON.stringify({
      name: s.name,
      nC: s.coc.length,
      nM: s.mcp.length,
      truePairs: s.truth.length,
      pairCompleteness: result.blocking.pairCompleteness,
      candidatePairs: result.counts.candidatePairs,
      hist: scored.hist,
      model,
      thresholds: result.thresholds,
      estimatedTrueMatches: result.estimatedTrueMatches,
      expectedMatches: result.expectedMatches,
      left: Array.from(p.left),
      right: Array.from(p.right),
      weight: Array.from(p.weight),
      isTrue,
      status,
      kept: Array.from(kept),
      passNames,
      passes,
      levels: sc.levels.map((x) => Array.from(x)),
    }),
  );
  console.error(`${s.name}: ${p.left.length} pairs, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
