/**
 * docs/scaling.md's table "Blocking recall, and `match --no-blocking`": pair completeness, candidate
 * pairs and F1 of the match links, with the default blocking passes and with the exhaustive Dice scan
 * at thresholds 0.5–0.8, on FEBRL 4 (5,000 × 5,000) and the bundled sample (2,000 × 6,000), default
 * schema, encoded (bench/lib/eval.ts `evaluate`).
 *
 * Usage: npx tsx bench/blocking-recall.ts
 */
import { type Dataset, type EvalResult, evaluate, febrl4, sampleDataset } from './lib/eval.js';

const CANDIDATES: readonly { label: string; threshold?: number }[] = [
  { label: 'blocking (default passes)' },
  ...[0.5, 0.6, 0.7, 0.8].map((threshold) => ({ label: `no blocking, Dice ≥ ${threshold}`, threshold })),
];

const sets: Dataset[] = [febrl4(), await sampleDataset()];
const results = new Map<string, EvalResult[]>();
for (const c of CANDIDATES) {
  results.set(
    c.label,
    sets.map((ds) =>
      evaluate(ds, c.threshold === undefined ? {} : { match: { exhaustive: { threshold: c.threshold } } }),
    ),
  );
}
const n = (x: number) => x.toLocaleString('en-US');
console.log(
  '| candidates | FEBRL 4: pair completeness | candidate pairs | F1 | sample: pair completeness | candidate pairs | F1 |',
);
console.log('|---|---|---|---|---|---|---|');
for (const [label, rs] of results)
  console.log(
    `| ${label} | ${rs.map((r) => `${r.pairCompleteness.toFixed(4)} | ${n(r.candidatePairs)} | ${r.f1.toFixed(4)}`).join(' | ')} |`,
  );
