/**
 * Where expected recall's gap comes from (issue #13), from the truth, counts only: the true pairs
 * never compared by blocking, compared but below the keep weight, kept; the mixture's T against
 * the true pairs it could see; and, for the never-compared pairs, which blocking-key parts agree
 * (clear text of the bench's own data; no value printed).
 *
 * Usage: npx tsx bench/recall-split.ts f:0 [f:10000 …]
 */
import { unseenShare } from '../src/block/unseen.js';
import { oneToOneMixture } from '../src/decide/expected.js';
import { ROOTS, type RootKey, rootKeys, rootSources } from '../src/encode/sources.js';
import { scoreCandidates } from '../src/match/match.js';
import { Scorer } from '../src/model/score.js';
import { loadFebrl4 } from './lib/febrl.js';
import { defaultPassMasks, febrlSet } from './lib/scale.js';
import { evaluateSet } from './lib/scale-eval.js';

const [FIRST, LAST, DOB] = [ROOTS.indexOf('first'), ROOTS.indexOf('last'), ROOTS.indexOf('dob')];

type Parts = Record<'fs' | 'fc' | 'fi' | 'ls' | 'd' | 'ds' | 'y' | 'md', readonly string[]>;
function partsOf(p: Parameters<typeof rootKeys>[0]): Parts {
  const out: (RootKey | undefined)[] = [];
  rootKeys(p, out);
  const f = out[FIRST] === undefined ? undefined : rootSources('first', out[FIRST]);
  const l = out[LAST] === undefined ? undefined : rootSources('last', out[LAST]);
  const d = out[DOB] === undefined ? undefined : rootSources('dob', out[DOB]);
  return {
    fs: f?.parts.firstSoundex ?? [],
    fc: f?.parts.firstCanonicalSoundex ?? [],
    fi: f?.parts.firstInitial ?? [],
    ls: l?.parts.lastPartSoundex ?? [],
    d: d?.parts.dob ?? [],
    ds: d?.parts.dobOrSwapped ?? [],
    y: d?.parts.dobYear ?? [],
    md: d?.values.dobMonthDay ? [d.values.dobMonthDay] : [],
  };
}
const meet = (a: readonly string[], b: readonly string[]) =>
  a.length === 0 || b.length === 0 ? '-' : a.some((x) => b.includes(x)) ? 'Y' : 'n';

for (const w of process.argv.slice(2)) {
  const extra = Number(w.split(':')[1] ?? 0);
  const s = await febrlSet(extra);
  const r = evaluateSet(s);
  const res = r.result;
  const model = res.model;
  const scored = scoreCandidates(s.coc, s.mcp, model, {});
  const scorer = new Scorer(model, s.coc, s.mcp);
  const mix = oneToOneMixture(scored.pairs, {
    leftCount: s.coc.length,
    rightCount: s.mcp.length,
    priorWeight: scorer.priorWeight,
  });
  const li = new Map(Array.from(s.coc.ids, (id, i) => [id, i]));
  const ri = new Map(Array.from(s.mcp.ids, (id, i) => [id, i]));
  const keptAt = new Map<string, number>();
  for (let k = 0; k < scored.pairs.weight.length; k++)
    keptAt.set(`${scored.pairs.left[k]}:${scored.pairs.right[k]}`, k);
  const names = Object.keys(s.coc.blocks).filter((n) => n in s.mcp.blocks);
  const sharesKey = (i: number, j: number) =>
    names.some((n) => {
      const lc = s.coc.blocks[n]!;
      const rc = s.mcp.blocks[n]!;
      for (let q = lc.offsets[i]!; q < lc.offsets[i + 1]!; q++)
        for (let t = rc.offsets[j]!; t < rc.offsets[j + 1]!; t++) if (lc.keys[q] === rc.keys[t]) return true;
      return false;
    });
  const { a, b } = loadFebrl4();
  const pa = new Map(a.map((p) => [p.id, p]));
  const pb = new Map(b.map((p) => [p.id, p]));
  let never = 0;
  let belowKeep = 0;
  let kept = 0;
  let pTrue = 0;
  const never2: Map<string, number> = new Map();
  const belowIJ: [number, number][] = [];
  for (const [x, y] of s.truth) {
    const i = li.get(x)!;
    const j = ri.get(y)!;
    const k = keptAt.get(`${i}:${j}`);
    if (k !== undefined) {
      kept++;
      pTrue += mix.probability[k]!;
      continue;
    }
    if (sharesKey(i, j)) {
      belowKeep++;
      belowIJ.push([i, j]);
      continue;
    }
    never++;
    const A = partsOf(pa.get(x)!);
    const B = partsOf(pb.get(y)!);
    const swap = meet(A.fs, B.ls) === 'Y' || meet(A.ls, B.fs) === 'Y' ? 'Y' : 'n';
    const key = `first sdx ${meet(A.fs, B.fs)} canon ${meet(A.fc, B.fc)} init ${meet(A.fi, B.fi)} | last sdx ${meet(A.ls, B.ls)} | swapped sdx ${swap} | dob ${meet(A.d, B.d)} orSwap ${meet(A.ds, B.ds)} year ${meet(A.y, B.y)} monthDay ${meet(A.md, B.md)}`;
    never2.set(key, (never2.get(key) ?? 0) + 1);
  }
  const pAll = Array.from(mix.probability).reduce((u, v) => u + v, 0);
  console.log(`## ${s.name}`);
  console.log(
    `true pairs ${s.truth.length}; never compared ${never}; compared, below keep weight ${belowKeep}; kept ${kept}`,
  );
  console.log(
    `mixture T ${mix.trueMatches.toFixed(1)} (Σ P over kept pairs ${pAll.toFixed(1)}); Σ P over kept true pairs ${pTrue.toFixed(1)}; over kept false pairs ${(pAll - pTrue).toFixed(1)}`,
  );
  console.log(`kept true pairs the mixture counts as non-matches: ${(kept - pTrue).toFixed(1)}`);
  console.log(
    `links ${res.links.filter((l) => l.status === 'match').length}, measured R ${r.recall.toFixed(4)}, expected R ${r.expectedRecall.toFixed(4)}, expected P ${r.expectedPrecision.toFixed(4)}, P ${r.precision.toFixed(4)}`,
  );
  if (belowIJ.length > 0) {
    const sc = scorer.scorePairs(
      belowIJ.map((v) => v[0]),
      belowIJ.map((v) => v[1]),
    );
    console.log(
      `below keep weights: ${Array.from(sc.weight)
        .map((v) => v.toFixed(1))
        .join(' ')}`,
    );
  }
  {
    const { passes, masks } = defaultPassMasks(s, scored.pairs);
    let w: ArrayLike<number> = mix.probability;
    for (let round = 0; round < 4; round++) {
      const est = unseenShare(passes, masks, w);
      const m2 = oneToOneMixture(scored.pairs, {
        leftCount: s.coc.length,
        rightCount: s.mcp.length,
        priorWeight: scorer.priorWeight,
        unseen: est?.share ?? 0,
      });
      console.log(
        `round ${round}: β ${est?.share.toFixed(4)} (truth ${(never / s.truth.length).toFixed(4)}), it ${est?.iterations} conv ${est?.converged}; mixture T ${m2.trueMatches.toFixed(1)} π ${m2.share.toFixed(4)}`,
      );
      w = m2.probability;
      if (round === 3) {
        // Where T still falls short: per true pair's level pattern, count and Σ P (kept pairs).
        const kIdx: number[] = [];
        const tI: number[] = [];
        const tJ: number[] = [];
        for (const [x, y] of s.truth) {
          const k = keptAt.get(`${li.get(x)}:${ri.get(y)}`);
          if (k === undefined) continue;
          kIdx.push(k);
          tI.push(li.get(x)!);
          tJ.push(ri.get(y)!);
        }
        const sc = scorer.scorePairs(tI, tJ);
        const groups = new Map<string, [number, number]>();
        kIdx.forEach((k, x) => {
          const label = model.comparisons
            .map((c, q) => {
              const l = sc.levels[q]?.[x] ?? 255;
              return l === 255 ? '' : `${c.spec.name}:${c.spec.levels[l]?.label}`;
            })
            .filter(
              (v) =>
                v !== '' &&
                !v.startsWith('Middle') &&
                !v.startsWith('Sex') &&
                !v.startsWith('SSN') &&
                !v.startsWith('Member'),
            )
            .join(' ');
          const g = groups.get(label) ?? [0, 0];
          g[0]++;
          g[1] += m2.probability[k]!;
          groups.set(label, g);
        });
        const rows = [...groups].sort((u, v) => v[1][0] - v[1][1] - (u[1][0] - u[1][1])).slice(0, 12);
        console.log(
          `  T ${m2.trueMatches.toFixed(1)}, unseen matches ${m2.unseenMatches.toFixed(1)}; kept true pairs by pattern, deficit (count − Σ P):`,
        );
        for (const [k, [c, p]] of rows)
          console.log(`    ${(c - p).toFixed(1)} = ${c} − ${p.toFixed(1)}: ${k}`);
      }
    }
  }
  console.log('never compared, by blocking-part agreement (Y agree, n differ, - missing):');
  for (const [k, n] of [...never2].sort((u, v) => v[1] - u[1])) console.log(`  ${n} × ${k}`);
}
