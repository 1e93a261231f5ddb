/**
 * u without the true pairs among the random pairs (issue #13): training now takes them out,
 * u' = (u − λ m) / (1 − λ) (`docs/scoring.md` §4, `TrainOptions.uWithoutMatches`). This trains each
 * set both ways — the default, and u as the random pairs give it — and prints u(DOB exact) and the
 * measured and expected quality of each. Where every record has a match and the DOB is nearly unique
 * (FEBRL 4: 5,000 × 5,000), the random pairs that agree on the DOB are mostly true pairs; at a plan's
 * scale λ is ~10⁻⁶ and the two agree. Counts only.
 *
 * Usage: npx tsx bench/u-contamination.ts f:0 [f:10000 s:10000:35000 …]
 */
import { DEFAULT_COMPARISONS } from '../src/compare/comparisons.js';
import { trainOptions } from '../src/match/match.js';
import { trainModel } from '../src/model/train.js';
import { febrlSet, synthSet } from './lib/scale.js';
import { evaluateSet, scaleTable } from './lib/scale-eval.js';

for (const w of process.argv.slice(2)) {
  const [kind, a, b] = w.split(':');
  const s =
    kind === 'f'
      ? await febrlSet(Number(a ?? 0))
      : await synthSet({ clients: Number(a), members: Number(b) });
  const base = evaluateSet(s);
  const raw = trainModel(s.coc, s.mcp, DEFAULT_COMPARISONS, {
    ...trainOptions({ meta: s.meta }),
    uWithoutMatches: false,
  });
  const uncorrected = evaluateSet(s, { model: raw });
  const dobExact = (m: typeof raw) =>
    m.comparisons.find((c) => c.spec.name === 'DOB')?.u[0]?.toExponential(3);
  console.log(
    `${s.name}: u(DOB exact) ${dobExact(raw)} from the random pairs, ${dobExact(base.result.model)} without the true pairs`,
  );
  console.log(scaleTable([{ ...uncorrected, set: `${s.name}, u from the random pairs` }, base]));
}
