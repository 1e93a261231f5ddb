/**
 * Experiment (issue #13, FEBRL 4's expected recall): u from random pairs counts the true matches among
 * them. Where every record has a match and the DOB is nearly unique (FEBRL 4: 5,000 × 5,000), the
 * random pairs that agree on the DOB are mostly true pairs, so u(DOB exact) is several times too high
 * and a true pair with only its DOB in agreement scores like a stranger. This re-runs the match with
 * the trained model's u corrected for them, u' = (u − λ m) / (1 − λ) (floored at 10⁻⁶ of the level's
 * u), and prints measured and expected quality beside the default run. Counts only.
 *
 * Usage: npx tsx bench/u-contamination.ts f:0 [f:10000 …]
 */
import type { LinkageModel } from '../src/model/model.js';
import { febrlSet } from './lib/scale.js';
import { evaluateSet, scaleTable } from './lib/scale-eval.js';

for (const w of process.argv.slice(2)) {
  const s = await febrlSet(Number(w.split(':')[1] ?? 0));
  const base = evaluateSet(s);
  const model = base.result.model;
  const lambda = model.lambda;
  const fixed: LinkageModel = {
    ...model,
    comparisons: model.comparisons.map((c) => {
      const u = c.u.map((x, l) => Math.max(x * 1e-6, (x - lambda * (c.m[l] ?? 0)) / (1 - lambda)));
      const sum = u.reduce((a, x) => a + x, 0);
      return { ...c, u: u.map((x) => x / sum) };
    }),
  };
  const dob = model.comparisons.find((c) => c.spec.name === 'DOB');
  const dobFixed = fixed.comparisons.find((c) => c.spec.name === 'DOB');
  console.log(
    `${s.name}: u(DOB exact) ${dob?.u[0]?.toExponential(2)} -> ${dobFixed?.u[0]?.toExponential(2)}`,
  );
  const corrected = evaluateSet(s, { model: fixed });
  console.log(scaleTable([base, { ...corrected, set: `${s.name}, u corrected` }]));
}
