import { setFromSpec } from './lib/scale.js';
import { errorPatterns, evaluateSet, mAgainstTruth, missedCauses, scaleTable } from './lib/scale-eval.js';

const which = process.argv.slice(2);
const rows = [];
for (const w of which) {
  const t0 = performance.now();
  const s = await setFromSpec(w);
  console.error(`${s.name}: loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const r = evaluateSet(s);
  console.error(scaleTable([r]));
  console.error(
    JSON.stringify(r.result.model.comparisons.map((c) => [c.spec.name, c.m.map((x) => +x.toFixed(4))])),
  );
  console.error(
    JSON.stringify((r.result.model.training?.sessions ?? []).map((s) => [s.pass, s.pairs, s.lambda])),
  );
  if (process.env.DIAG)
    console.error(`${errorPatterns(s, r)}\n${mAgainstTruth(s, r)}\n${missedCauses(s, r)}`);
  rows.push(r);
}
console.log(scaleTable(rows));
