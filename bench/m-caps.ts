/**
 * The m bounds before and after (issue #13): `npx tsx bench/m-caps.ts <set>…` with the sets of
 * bench/scale-quality.ts. Trains each set with the previous default bounds (DOB "else" ≤ 0.05,
 * MemberID "exact" ≤ 0.9) and with `DEFAULT_M_CAPS`, matches with both models and prints both
 * rows with m(Sex = else). When the previous bounds leave m(Sex = else) at or under the new bound
 * the two models are the same and the set is matched once.
 */
import { DEFAULT_COMPARISONS } from '../src/compare/comparisons.js';
import { trainOptions } from '../src/match/match.js';
import { DEFAULT_M_CAPS, type MCap, trainModel } from '../src/model/train.js';
import { setFromSpec } from './lib/scale.js';
import { evaluateSet, type ScaleResult, scaleTable } from './lib/scale-eval.js';

const PREVIOUS: readonly MCap[] = DEFAULT_M_CAPS.filter((c) => c.comparison !== 'Sex');
const sexElse = (r: ScaleResult) =>
  r.result.model.comparisons.find((c) => c.spec.name === 'Sex')?.m[1] ?? Number.NaN;
const rows: ScaleResult[] = [];
for (const w of process.argv.slice(2)) {
  const s = await setFromSpec(w);
  const t0 = performance.now();
  const before = trainModel(s.coc, s.mcp, DEFAULT_COMPARISONS, {
    ...trainOptions({ meta: s.meta }),
    mCaps: PREVIOUS,
  });
  const rb = evaluateSet({ ...s, name: `${s.name} (before)` }, { model: before });
  const cap = DEFAULT_M_CAPS.find((c) => c.comparison === 'Sex')?.max ?? 1;
  const ra = sexElse(rb) > cap ? evaluateSet({ ...s, name: `${s.name} (after)` }, {}) : undefined;
  console.error(
    `${s.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s; m(Sex else) ${sexElse(rb).toFixed(4)}${ra ? ` → ${sexElse(ra).toFixed(4)}` : ' (bound not reached: same model)'}`,
  );
  console.error(scaleTable(ra ? [rb, ra] : [rb]));
  rows.push(rb, ...(ra ? [ra] : []));
}
console.log(scaleTable(rows));
