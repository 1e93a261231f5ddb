/**
 * What the estimate of the never-compared true pairs costs in a match (issue #13): CPU time of the
 * pass masks, β's fit and the two refits of the one-to-one mixture (what `assembleMatch` adds),
 * beside the time of the first mixture fit and of the whole match, on one set, this thread.
 *
 * Usage: npx tsx bench/unseen-cost.ts s:10000:1025000   (or f:0, f:1000000)
 */
import { unseenShare } from '../src/block/unseen.js';
import { oneToOneMixture } from '../src/decide/expected.js';
import { matchBatches, scoreCandidates } from '../src/match/match.js';
import { Scorer } from '../src/model/score.js';
import { defaultPassMasks, febrlSet, synthSet } from './lib/scale.js';

const [kind, a, b] = (process.argv[2] ?? 'f:0').split(':');
const s =
  kind === 'f' ? await febrlSet(Number(a)) : await synthSet({ clients: Number(a), members: Number(b) });
const t0 = process.cpuUsage();
const result = matchBatches(s.coc, s.mcp, { meta: s.meta });
const match = process.cpuUsage(t0);
const scored = scoreCandidates(s.coc, s.mcp, result.model, {});
const prior = new Scorer(result.model, s.coc, s.mcp).priorWeight;
const o = { leftCount: s.coc.length, rightCount: s.mcp.length, priorWeight: prior };
const ms = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const t1 = process.cpuUsage();
let mix = oneToOneMixture(scored.pairs, o);
const first = process.cpuUsage(t1);
const t2 = process.cpuUsage();
const { passes, masks } = defaultPassMasks(s, scored.pairs);
let beta = 0;
for (let round = 0; round < 2; round++) {
  beta = unseenShare(passes, masks, mix.probability)?.share ?? 0;
  mix = oneToOneMixture(scored.pairs, { ...o, unseen: beta });
}
const added = process.cpuUsage(t2);
console.log(
  `${s.name}: ${scored.pairs.weight.length} kept pairs; match ${(ms(match) / 1000).toFixed(1)} s CPU; first mixture ${ms(first).toFixed(0)} ms; added (masks, β twice, two refits) ${ms(added).toFixed(0)} ms (${((100 * ms(added)) / ms(match)).toFixed(2)} % of the match); β ${beta.toFixed(4)}`,
);
