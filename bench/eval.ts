/**
 * `npm run eval`: linkage quality from ground truth — FEBRL 4 and the synthetic CoC/plan data, encoded
 * with the default schema and in clear-text mode. Prints a Markdown table (copied into
 * docs/benchmarks.md).
 */
import { evaluate, febrl4, resultsTable, sampleDataset } from './lib/eval.js';

const rows = [];
const f = febrl4();
rows.push(evaluate(f));
rows.push(evaluate(f, { clearText: true }));
const s = await sampleDataset();
rows.push(evaluate(s));
rows.push(evaluate(s, { clearText: true }));
console.log(resultsTable(rows));
const enc = rows[2]!;
const clear = rows[3]!;
console.log(`\nSynthetic: encoded F1 − clear-text F1 = ${((enc.f1 - clear.f1) * 100).toFixed(2)} points`);
