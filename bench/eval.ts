/**
 * `npm run eval`: linkage quality from ground truth — FEBRL 4, the bundled sample and the synthetic
 * CoC/plan set (10⁴ × 35,000, seed 13), each encoded with the default schema and in clear-text mode
 * (with the encoded comparisons, and with string levels for names); then the scale evaluation: the
 * same tasks with 10⁴, 10⁵ and 10⁶ synthetic plan members added (Census name frequencies, the
 * generator's age mix), with the model's expected precision and recall beside the measured ones,
 * and clear-text mode on FEBRL 4 + 10⁵ and the CoC/plan set + 10⁵ and + 10⁶ (F1 of both modes).
 * Prints Markdown tables (copied into docs/benchmarks.md).
 *
 * Usage: npm run eval -- [--small] [--huge] [--seeds N]
 *   --small  only the small lists (no scale sets)
 *   --seeds  only FEBRL 4 encoded, with training seeds 1 … N: how far sampling moves F1
 *   --huge   also 10⁴ × 3·10⁶ and 10⁵ × 3·10⁶ without SSN (slow: minutes to generate and encode once)
 * Encoded scale sets are cached in .bench-cache/ (git-ignored); the first run generates them.
 */
import { parseArgs } from 'node:util';
import { clearTextComparisons } from '../src/compare/clear-comparisons.js';
import { DEFAULT_COMPARISONS } from '../src/compare/comparisons.js';
import { evaluate, febrl4, resultsTable, sampleDataset, synthDataset } from './lib/eval.js';
import { febrlSet, synthSet } from './lib/scale.js';
import { evaluateSet, modesTable, type ScaleResult, scaleTable } from './lib/scale-eval.js';

const { values } = parseArgs({
  options: {
    small: { type: 'boolean', default: false },
    huge: { type: 'boolean', default: false },
    seeds: { type: 'string' },
  },
});

if (values.seeds !== undefined) {
  const n = Number(values.seeds);
  if (!Number.isInteger(n) || n < 1) throw new RangeError('--seeds must be a positive integer');
  const data = febrl4();
  const f1s = Array.from({ length: n }, (_, i) => evaluate(data, { match: { seed: i + 1 } }).f1);
  console.log(`FEBRL 4 encoded F1, training seeds 1–${n}: ${f1s.map((x) => x.toFixed(4)).join(', ')}`);
  console.log(`range ${Math.min(...f1s).toFixed(4)}–${Math.max(...f1s).toFixed(4)}`);
  process.exit(0);
}

/**
 * Each set three ways: encoded (the default schema and a key), clear-text mode with the same
 * comparisons (collision-free filters: Dice on the exact q-gram sets), and clear-text mode with its
 * string levels (`clearTextComparisons`: Jaro–Winkler and Levenshtein for names).
 */
const rows = [];
const sets = [febrl4(), await sampleDataset()];
sets.push(await synthDataset({ clients: 10_000, members: 35_000 }));
for (const ds of sets) {
  rows.push(evaluate(ds));
  rows.push(
    evaluate(ds, {
      clearText: true,
      label: 'clear text, Dice levels',
      match: { comparisons: DEFAULT_COMPARISONS },
    }),
  );
  rows.push(evaluate(ds, { clearText: true }));
  const [enc, dice, strings] = rows.slice(-3);
  if (enc && dice && strings)
    console.error(
      `${ds.name}: F1 encoded ${enc.f1.toFixed(4)}, clear text (Dice) ${dice.f1.toFixed(4)}, clear text (strings) ${strings.f1.toFixed(4)}`,
    );
}
console.log(resultsTable(rows));

if (!values.small) {
  /** The synthetic CoC/plan task: 10⁴ clients against a plan of 25,000 members plus the extras. */
  const PLAN = 25_000;
  const extras = [10_000, 100_000, 1_000_000];
  const scale: ScaleResult[] = [];
  const run = async (make: () => Promise<Parameters<typeof evaluateSet>[0]>) => {
    const set = await make();
    const r = evaluateSet(set);
    console.error(`${set.name}: F1 ${r.f1.toFixed(4)} (${r.matchSeconds.toFixed(1)} s)`);
    scale.push(r);
  };
  for (const x of extras) await run(() => febrlSet(x));
  for (const x of extras) await run(() => synthSet({ clients: 10_000, members: PLAN + x }));
  // Clear-text mode on the same sets (string levels for names: clearTextComparisons), beside the
  // encoded rows above: what the encoding costs at scale.
  const clear = { comparisons: clearTextComparisons() };
  const runClear = async (make: () => Promise<Parameters<typeof evaluateSet>[0]>) => {
    const set = await make();
    const r = evaluateSet(set, clear);
    console.error(`${set.name}: F1 ${r.f1.toFixed(4)} (${r.matchSeconds.toFixed(1)} s)`);
    scale.push(r);
  };
  await runClear(() => febrlSet(100_000, 29, true));
  for (const x of [100_000, 1_000_000])
    await runClear(() => synthSet({ clients: 10_000, members: PLAN + x, clearText: true }));
  if (values.huge) {
    await run(() => synthSet({ clients: 10_000, members: 3_000_000 }));
    await run(() => synthSet({ clients: 100_000, members: 3_000_000, noSsn: true }));
  }
  console.log(`\n${scaleTable(scale)}`);
  console.log(`\n${modesTable(scale)}`);
  const worst = Math.max(
    ...scale.map((r) =>
      Math.max(Math.abs(r.expectedPrecision - r.precision), Math.abs(r.expectedRecall - r.recall)),
    ),
  );
  console.log(
    `\nLargest gap between expected and measured precision or recall: ${(worst * 100).toFixed(2)} points`,
  );
}
