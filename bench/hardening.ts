/**
 * `npx tsx bench/hardening.ts`: what each Bloom-filter hardening costs in linkage quality (F1 on
 * FEBRL 4 and the bundled synthetic sample, with the default Dice thresholds and with thresholds
 * mapped to the hardening's Dice scale) and what it buys against the no-key attacks on the name
 * filters (frequency alignment of whole filters, q-gram pattern mining) of a synthetic member list.
 * Prints a Markdown table (copied into docs/privacy.md).
 *
 * Flags: --members N (attacked population, default 50000), --seed S (default 2026),
 * --only "label,label" (see src/attack/configs.ts), --no-attacks, --no-calibrate.
 */
import { parseArgs } from 'node:util';
import { calibrateDice, diceThresholds, withDiceThresholds } from '../src/attack/calibrate.js';
import { HARDENING_CONFIGS } from '../src/attack/configs.js';
import { memberPopulation, nameTruth } from '../src/attack/population.js';
import { censusFirstNames, censusSurnames, observedReference } from '../src/attack/reference.js';
import { type NoKeyResults, noKeyAttacks } from '../src/attack/suite.js';
import { DEFAULT_COMPARISONS } from '../src/compare/comparisons.js';
import { RecordEncoder } from '../src/encode/encoder.js';
import { DEFAULT_SCHEMA } from '../src/encoded/default-schema.js';
import { parseLinkageSchema } from '../src/encoded/schema.js';
import { type Dataset, evaluate, febrl4, sampleDataset } from './lib/eval.js';

const { values: flags } = parseArgs({
  options: {
    members: { type: 'string', default: '50000' },
    seed: { type: 'string', default: '2026' },
    only: { type: 'string' },
    'no-attacks': { type: 'boolean', default: false },
    'no-calibrate': { type: 'boolean', default: false },
  },
});
const members = Number(flags.members);
const seed = Number(flags.seed);
const only = flags.only?.split(',').map((s) => s.trim());
const configs = HARDENING_CONFIGS.filter((c) => !only || only.includes(c.label));
if (configs.length === 0)
  throw new RangeError(
    `--only matches no configuration; known: ${HARDENING_CONFIGS.map((c) => c.label).join(', ')}`,
  );

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const f4 = (x: number) => x.toFixed(4);
const started = performance.now();
const datasets: Dataset[] = [febrl4(), await sampleDataset()];

let population: Awaited<ReturnType<typeof memberPopulation>> | undefined;
let refs:
  | { first: ReturnType<typeof observedReference>; last: ReturnType<typeof observedReference> }
  | undefined;
if (!flags['no-attacks']) {
  population = await memberPopulation({ seed, members });
  // The strong attacker: name frequencies from another list of the same region (a voter file, say),
  // modelled by an independent synthetic list.
  const other = nameTruth(await memberPopulation({ seed: seed + 1, members }));
  refs = { first: observedReference(other.first), last: observedReference(other.last) };
}
const truth = population ? nameTruth(population) : undefined;
const thresholds = diceThresholds(DEFAULT_COMPARISONS);
const calibrationNames = [
  ...censusFirstNames().values.slice(0, 600),
  ...censusSurnames().values.slice(0, 600),
];

const rows: string[] = [];
let hashNote = '';
for (const c of configs) {
  const schema = parseLinkageSchema({ ...DEFAULT_SCHEMA, hardening: c.hardening });
  const plain = datasets.map((d) => evaluate(d, { schema }));
  let mapped = '—';
  let calibrated: number[] = [];
  if (!flags['no-calibrate'] && c.label !== 'none') {
    const map = calibrateDice(c.hardening, calibrationNames, thresholds, { key: new Uint8Array(32).fill(9) });
    mapped = [...map.values()].map((v) => v.toFixed(2)).join(' / ');
    const comparisons = withDiceThresholds(DEFAULT_COMPARISONS, map);
    calibrated = datasets.map((d) => evaluate(d, { schema, match: { comparisons } }).f1);
  }
  let attack: NoKeyResults | undefined;
  if (population && truth && refs) {
    const enc = new RecordEncoder(crypto.getRandomValues(new Uint8Array(32)), { party: 'mcp', schema });
    const batch = enc.encodeBatch(population);
    enc.dispose();
    attack = noKeyAttacks(batch, schema, truth, refs);
    hashNote = `exact-hash alignment (same for every hardening): first ${pct(attack.hashFirst.share)}, last ${pct(attack.hashLast.share)}, either ${pct(attack.hashAny)}`;
  }
  const cells = [
    c.label,
    f4(plain[0]!.f1),
    f4(plain[1]!.f1),
    mapped,
    calibrated.length ? f4(calibrated[0]!) : '—',
    calibrated.length ? f4(calibrated[1]!) : '—',
    attack ? pct(attack.bloomFreqFirst.share) : '—',
    attack?.miningFirst ? `${pct(attack.miningFirst.share)} (${pct(attack.miningFirst.precision)})` : '—',
    attack?.miningLast ? `${pct(attack.miningLast.share)} (${pct(attack.miningLast.precision)})` : '—',
    attack ? pct(attack.bloomAny) : '—',
  ];
  rows.push(`| ${cells.join(' | ')} |`);
  console.error(`${c.label}: done at ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

console.log(
  [
    `Attacked population: ${members.toLocaleString('en-US')} synthetic members (seed ${seed}); reference: an independent list of the same size.`,
    '',
    `| hardening | F1 FEBRL4 | F1 synthetic | Dice ${thresholds.join(' / ')} mapped to | F1 FEBRL4 (mapped) | F1 synthetic (mapped) | filter frequency: first names | pattern mining: first (precision) | pattern mining: last (precision) | first or last via filters |`,
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    hashNote,
  ].join('\n'),
);
