/**
 * Does dependence between the comparisons explain the expected-recall gap (issue #13)? Reads the
 * dumps of bench/calib-dump.ts (`npx tsx bench/calib-dump.ts f:0 …` first) and, per set, refits the
 * one-to-one mixture of `MatchResult.expected` (β as `match` estimates it) with:
 * - independence: what `match` reports (expected − measured recall, points);
 * - a latent "sloppy record" class, without labels: a share ρ of the matches has every
 *   comparison's non-top levels t times likelier (marginals kept: the clean class takes the rest),
 *   (ρ, t) on a grid by the mixture's likelihood;
 * - the truth's dependence (an upper bound for any model of it): the ratio of all true pairs'
 *   FirstName × LastName × DOB table (exact / other / else) to the trained m's product, applied to
 *   each pair's likelihood ratio (loads the set to score its true pairs);
 * - π, the share of the smaller list with a match: the mixture's estimate with its 95 % profile-
 *   likelihood interval, and the π that would put expected recall within 1 point;
 * - the trust panel's expected missed links with its interval (src/report/trust.ts's formula), and
 *   the measured missed links.
 * - both sides one-to-one: a plan record that another CoC record likely holds is discounted by that
 *   probability, and the prior spreads over the plan records not held (a refit, eight rounds);
 * Columns: set | independence | both sides one-to-one | sloppy class | truth's dependence | π [interval] | π within 1 point |
 * truth's π | missed [interval] | measured missed (gaps in points, expected − measured recall).
 * Usage: `npx tsx bench/dependence.ts f:0 f:10000 f:100000 s:10000:35000 …` (the calib-dump names).
 */
import { readFileSync } from 'node:fs';
import { unseenShare } from '../src/block/unseen.js';
import { oneToOneMixture } from '../src/decide/expected.js';
import { DEFAULT_SCHEMA } from '../src/encoded/default-schema.js';
import type { LinkageModel } from '../src/model/model.js';
import { Scorer } from '../src/model/score.js';
import { UNSEEN_ALLOWANCE } from '../src/report/trust.js';
import { setFromSpec } from './lib/scale.js';

interface Dump {
  name: string;
  nC: number;
  nM: number;
  truePairs: number;
  model: LinkageModel;
  left: number[];
  right: number[];
  weight: number[];
  isTrue: number[];
  status: number[];
  passNames: string[];
  passes: number[];
  levels: number[][];
  estimatedTrueMatches?: number;
}

const NULL = 255;
const pts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}`;

for (const w of process.argv.slice(2)) {
  const d = JSON.parse(readFileSync(`.bench-cache/calib-${w.replaceAll(':', '-')}.json`, 'utf8')) as Dump;
  const n = d.weight.length;
  const comps = d.model.comparisons;
  const prior = Math.log2(d.model.lambda / (1 - d.model.lambda));
  const passes = DEFAULT_SCHEMA.blocking.filter((p) => d.passNames.includes(p.name));
  const bitOf = passes.map((p) => d.passNames.indexOf(p.name));
  const masks = Uint32Array.from(d.passes, (m) =>
    bitOf.reduce((a, bit, i) => (m & (1 << bit) ? a | (1 << i) : a), 0),
  );
  const links = [...Array(n).keys()].filter((k) => d.status[k] === 2);
  const recall = links.reduce((a, k) => a + (d.isTrue[k] ?? 0), 0) / d.truePairs;
  const base = { leftCount: d.nC, rightCount: d.nM, priorWeight: prior };
  /** The mixture as `match` fits it (β twice), on the given weights: its π, β and expected recall. */
  const refit = (weight: ArrayLike<number>) => {
    const pairs = { left: d.left, right: d.right, weight };
    let mix = oneToOneMixture(pairs, base);
    let beta = 0;
    for (let r = 0; r < 2; r++) {
      const est = unseenShare(passes, masks, mix.probability);
      if (!est || !(est.share > 0 && est.share < 1)) break;
      beta = est.share;
      mix = oneToOneMixture(pairs, { ...base, unseen: beta });
    }
    const tl = links.reduce((a, k) => a + (mix.probability[k] ?? 0), 0);
    // The trust panel's missed interval (src/report/trust.ts), from the same figures.
    const missed = Math.max(0, mix.trueMatches - tl);
    const wide = mix.trueMatchesSensitivity + UNSEEN_ALLOWANCE * Math.min(mix.unseenMatches, missed);
    const notCompared = Math.max(0, (d.estimatedTrueMatches ?? 0) - mix.trueMatches);
    const missedInterval = [
      Math.max(0, missed - 1.96 * Math.sqrt(missed) - wide),
      missed + 1.96 * Math.sqrt(missed) + wide + notCompared,
    ];
    return {
      pi: mix.share,
      beta,
      T: mix.trueMatches,
      gap: tl / mix.trueMatches - recall,
      missed,
      missedInterval,
      probability: mix.probability,
    };
  };
  const indep = refit(d.weight);
  // Σ LR per record of the smaller (CoC) list; the mixture's log-likelihood, π, T, expected recall.
  const perRecord = (lnLr: Float64Array) => {
    const S = new Float64Array(d.nC);
    for (let k = 0; k < n; k++) S[d.left[k] ?? 0]! += Math.exp(lnLr[k] ?? 0);
    return S;
  };
  const at = (S: Float64Array, lnLr: Float64Array, pi: number, beta: number) => {
    let ll = 0;
    let T = 0;
    const den = new Float64Array(d.nC);
    for (let i = 0; i < d.nC; i++) {
      const a = pi * ((S[i] ?? 0) / d.nM + beta);
      ll += Math.log(1 - pi + a);
      T += a / (1 - pi + a);
      den[i] = 1 - pi + a;
    }
    let tl = 0;
    for (const k of links)
      tl += Math.min(1, ((pi / d.nM) * Math.exp(lnLr[k] ?? 0)) / (den[d.left[k] ?? 0] ?? 1));
    return { ll, T, gap: tl / T - recall };
  };
  const piMle = (S: Float64Array, beta: number) => {
    let pi = 0.5;
    for (let it = 0; it < 500; it++) {
      let s = 0;
      for (let i = 0; i < d.nC; i++) {
        const a = pi * ((S[i] ?? 0) / d.nM + beta);
        s += a / (1 - pi + a);
      }
      pi = Math.min(1 - 1e-9, s / d.nC);
    }
    return pi;
  };
  const lnLr0 = Float64Array.from(d.weight, (x) => (x - prior) * Math.LN2);
  // Latent sloppy class (marginal-preserving), (ρ, t) by likelihood, β as fitted under independence.
  const topLevel = (c: number, l: number) => l % (comps[c]?.spec.levels.length ?? 1) === 0;
  let best = { ll: Number.NEGATIVE_INFINITY, rho: 0, t: 1, pi: 0, T: 0, gap: 0 };
  for (const rho of [0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6])
    for (const t of [1, 1.5, 2, 3, 4, 6, 8]) {
      const lnC = new Float64Array(n);
      const lnS = new Float64Array(n);
      let feasible = true;
      comps.forEach((comp, c) => {
        const g = comp.spec.levels.length;
        const m = comp.m;
        const ms = m.slice();
        const mc = m.slice();
        for (let q = 0; q < m.length / g; q++) {
          const top = m[q * g] ?? 0;
          const tot = m.slice(q * g, q * g + g).reduce((a, x) => a + x, 0);
          const z = top + t * (tot - top);
          for (let l = q * g; l < q * g + g; l++) {
            ms[l] = ((topLevel(c, l) ? 1 : t) * (m[l] ?? 0) * tot) / z;
            mc[l] = ((m[l] ?? 0) - rho * (ms[l] ?? 0)) / (1 - rho);
            if ((mc[l] ?? 0) < 0) feasible = false;
          }
        }
        const lv = d.levels[c] ?? [];
        for (let k = 0; k < n; k++) {
          const l = lv[k] ?? NULL;
          if (l === NULL) continue;
          lnC[k]! += Math.log(Math.max(mc[l] ?? 0, 1e-300) / (m[l] ?? 1));
          lnS[k]! += Math.log((ms[l] ?? 0) / (m[l] ?? 1));
        }
      });
      if (!feasible) continue;
      const lnLr = Float64Array.from(
        lnLr0,
        (v, k) => v + Math.log((1 - rho) * Math.exp(lnC[k] ?? 0) + rho * Math.exp(lnS[k] ?? 0)),
      );
      const S = perRecord(lnLr);
      const pi = piMle(S, indep.beta);
      const r = at(S, lnLr, pi, indep.beta);
      if (r.ll > best.ll) best = { ...r, rho, t, pi };
    }
  const S0 = perRecord(lnLr0);
  const base0 = at(S0, lnLr0, indep.pi, indep.beta);
  // The truth's FirstName × LastName × DOB dependence.
  const s = await setFromSpec(w);
  const li = new Map(Array.from(s.coc.ids, (id, i) => [id, i]));
  const ri = new Map(Array.from(s.mcp.ids, (id, i) => [id, i]));
  const tp = s.truth.filter(([x, y]) => li.has(x) && ri.has(y));
  const sc = new Scorer(d.model, s.coc, s.mcp).scorePairs(
    tp.map(([x]) => li.get(x) ?? 0),
    tp.map(([, y]) => ri.get(y) ?? 0),
  );
  const fields = ['FirstName', 'LastName', 'DOB'].map((nm) => comps.findIndex((c) => c.spec.name === nm));
  const cat = (c: number, l: number) => {
    if (l === NULL) return -1;
    const g = comps[c]?.spec.levels.length ?? 1;
    return l % g === 0 ? 0 : l % g === g - 1 ? 2 : 1;
  };
  const mCat = fields.map((c) => {
    const r = [0, 0, 0];
    (comps[c]?.m ?? []).forEach((m, l) => {
      r[cat(c, l)]! += m;
    });
    return r;
  });
  const table = new Float64Array(27);
  let N = 0;
  for (let k = 0; k < tp.length; k++) {
    const cs = fields.map((c) => cat(c, sc.levels[c]?.[k] ?? NULL));
    if (cs.some((x) => x < 0)) continue;
    table[(cs[0] ?? 0) * 9 + (cs[1] ?? 0) * 3 + (cs[2] ?? 0)]! += 1;
    N++;
  }
  const lnR = Array.from(table, (t, cell) => {
    const e =
      N *
      (mCat[0]?.[Math.floor(cell / 9)] ?? 0) *
      (mCat[1]?.[Math.floor(cell / 3) % 3] ?? 0) *
      (mCat[2]?.[cell % 3] ?? 0);
    return Math.log((t + 0.5) / (e + 0.5));
  });
  const trueDep = refit(
    Float64Array.from(d.weight, (x, k) => {
      const cs = fields.map((c) => cat(c, d.levels[c]?.[k] ?? NULL));
      return cs.some((y) => y < 0)
        ? x
        : x + (lnR[(cs[0] ?? 0) * 9 + (cs[1] ?? 0) * 3 + (cs[2] ?? 0)] ?? 0) / Math.LN2;
    }),
  );
  // π: 95 % profile interval, and the π (β fixed) that brings expected recall within 1 point.
  const l0 = base0.ll;
  const bound = (hi: number) => {
    let lo = indep.pi;
    let far = hi;
    for (let it = 0; it < 60; it++) {
      const mid = (lo + far) / 2;
      if (2 * (l0 - at(S0, lnLr0, mid, indep.beta).ll) > 3.84) far = mid;
      else lo = mid;
    }
    return lo;
  };
  let piWithin = Number.NaN;
  for (let pi = indep.pi; pi < 1; pi += 0.0005)
    if (Math.abs(at(S0, lnLr0, pi, indep.beta).gap) <= 0.01) {
      piWithin = pi;
      break;
    }
  // Both sides one-to-one: a plan record another CoC record likely holds is discounted by that
  // probability, and the prior spreads over the plan records not held (M − Σ_j min(1, H_j)).
  let P = Float64Array.from(indep.probability);
  let beta = indep.beta;
  let two = { pi: 0, T: 0, gap: 0, free: d.nM };
  for (let it = 0; it < 8; it++) {
    const H = new Float64Array(d.nM);
    for (let k = 0; k < n; k++) H[d.right[k] ?? 0]! += P[k] ?? 0;
    const free = Math.max(1, d.nM - H.reduce((a, x) => a + Math.min(1, x), 0));
    const lr = Float64Array.from(
      lnLr0,
      (v, k) =>
        Math.exp(v) * Math.max(1e-12, 1 - Math.min(1, Math.max(0, (H[d.right[k] ?? 0] ?? 0) - (P[k] ?? 0)))),
    );
    const S = new Float64Array(d.nC);
    for (let k = 0; k < n; k++) S[d.left[k] ?? 0]! += lr[k] ?? 0;
    let pi = 0.5;
    for (let r = 0; r < 500; r++) {
      let sum = 0;
      for (let i = 0; i < d.nC; i++) {
        const a = pi * ((S[i] ?? 0) / free + beta);
        sum += a / (1 - pi + a);
      }
      pi = Math.min(1 - 1e-9, sum / d.nC);
    }
    let T = 0;
    const den = new Float64Array(d.nC);
    for (let i = 0; i < d.nC; i++) {
      const a = pi * ((S[i] ?? 0) / free + beta);
      T += a / (1 - pi + a);
      den[i] = 1 - pi + a;
    }
    P = Float64Array.from(lr, (x, k) => Math.min(1, ((pi / free) * x) / (den[d.left[k] ?? 0] ?? 1)));
    beta = unseenShare(passes, masks, P)?.share ?? beta;
    const tl = links.reduce((a, k) => a + (P[k] ?? 0), 0);
    two = { pi, T, gap: tl / T - recall, free };
  }
  console.log(
    `| ${d.name} | ${pts(indep.gap)} | two-sided (plan records free ${Math.round(two.free)}): π ${two.pi.toFixed(4)}, ${pts(two.gap)} | ρ ${best.rho}, t ${best.t} (Δ log-lik ${(best.ll - base0.ll).toFixed(1)}): ${pts(best.gap)} | ${pts(trueDep.gap)} | ${indep.pi.toFixed(4)} [${bound(1e-9).toFixed(4)}, ${bound(1 - 1e-9).toFixed(4)}] | ${Number.isNaN(piWithin) ? '—' : piWithin.toFixed(4)} | ${(d.truePairs / d.nC).toFixed(4)} | ${Math.round(indep.missed)} [${indep.missedInterval.map((x) => Math.round(x)).join(', ')}] | ${d.truePairs - Math.round(recall * d.truePairs)} |`,
  );
}
