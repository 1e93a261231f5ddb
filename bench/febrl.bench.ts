/**
 * FEBRL 4 end to end: encode both files (5,000 + 5,000 records) and match them with the defaults.
 * Target (issue "Matching engine"): under 2 s on the 2-core reference machine. Usage:
 * npx tsx bench/febrl.bench.ts [runs=3]
 */
import { evaluate, febrl4 } from './lib/eval.js';

const runs = Number(process.argv[2] ?? 3);
const ds = febrl4();
for (let r = 0; r < runs; r++) {
  const t = performance.now();
  const res = evaluate(ds);
  const total = performance.now() - t;
  console.log(
    `run ${r + 1}: encode ${(res.encodeMs / 1000).toFixed(2)} s + match ${(res.matchMs / 1000).toFixed(2)} s = ${(total / 1000).toFixed(2)} s end to end (F1 ${res.f1.toFixed(4)}; fastLink measured here: 7.1 s, F1 0.926)`,
  );
}
