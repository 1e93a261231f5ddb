/**
 * Chooses clear-text mode's string levels by measurement: FEBRL 4, the bundled sample and the
 * synthetic CoC/plan set, each in clear-text mode with the default (Dice) name levels and with
 * variants of Jaro–Winkler / Levenshtein levels; precision/recall/F1 from truth.
 *
 * Usage: npx tsx bench/clear-levels.ts [--synth] [--swapped]
 *   --synth    also the synthetic CoC/plan set 10⁴ × 35,000
 *   --swapped  only the variants of the swapped-name level (on Jaro–Winkler instead of Dice)
 */
import { parseArgs } from 'node:util';
import { type ComparisonSpec, DEFAULT_COMPARISONS, type LevelSpec } from '../src/compare/comparisons.js';
import { evaluate, febrl4, resultsTable, sampleDataset, synthDataset } from './lib/eval.js';

const { values } = parseArgs({
  options: { synth: { type: 'boolean', default: false }, swapped: { type: 'boolean', default: false } },
});

const jw = (feature: string, min: number): LevelSpec => ({
  label: `jaro-winkler ≥ ${min}`,
  when: { type: 'jaroWinkler', feature, min },
});
const lev = (feature: string, max: number): LevelSpec => ({
  label: `levenshtein ≤ ${max}`,
  when: { type: 'levenshtein', feature, max },
});

/** Name comparisons with `make(text)` in place of the own-name Dice levels ≥ 0.7 (kept below when `keep`). */
function variant(make: (f: string) => LevelSpec[], keepDice: boolean): ComparisonSpec[] {
  return DEFAULT_COMPARISONS.map((c) => {
    const text = c.name === 'FirstName' ? 'firstText' : c.name === 'LastName' ? 'lastText' : undefined;
    if (!text) return c;
    const levels: LevelSpec[] = [];
    let placed = false;
    for (const lv of c.levels) {
      const ownDice = lv.when.type === 'dice' && lv.when.min >= 0.7;
      if (ownDice && !placed) {
        levels.push(...make(text));
        placed = true;
      }
      if (!ownDice || keepDice) levels.push(lv);
    }
    return { ...c, levels };
  });
}

/** `specs` with the swapped-name level of FirstName and LastName on Jaro–Winkler ≥ min. */
function swappedJw(specs: ComparisonSpec[], min: number): ComparisonSpec[] {
  return specs.map((c) => ({
    ...c,
    levels: c.levels.map((lv) =>
      lv.when.type === 'crossDice'
        ? {
            label: `swapped (jaro-winkler ≥ ${min})`,
            when: {
              type: 'crossJaroWinkler' as const,
              a: c.name === 'FirstName' ? 'firstText' : 'lastText',
              b: c.name === 'FirstName' ? 'lastText' : 'firstText',
              min,
              ...(lv.when.both ? { both: true } : {}),
            },
          }
        : lv,
    ),
  }));
}

const CHOSEN = variant((f) => [lev(f, 1), jw(f, 0.94), jw(f, 0.88)], false);

const VARIANTS: [string, ComparisonSpec[]][] = [
  ['Lev 1 + JW .94/.88, swapped JW ≥ 0.94', swappedJw(CHOSEN, 0.94)],
  ['Lev 1 + JW .94/.88, swapped JW ≥ 0.88', swappedJw(CHOSEN, 0.88)],
  ['Dice levels (default)', [...DEFAULT_COMPARISONS]],
  ['JW .94/.88 + Lev 1 (replace Dice)', variant((f) => [jw(f, 0.94), lev(f, 1), jw(f, 0.88)], false)],
  ['Lev 1 + JW .94/.88 (replace Dice)', variant((f) => [lev(f, 1), jw(f, 0.94), jw(f, 0.88)], false)],
  [
    'Lev 1/2 + JW .94/.88 (replace Dice)',
    variant((f) => [lev(f, 1), jw(f, 0.94), lev(f, 2), jw(f, 0.88)], false),
  ],
  ['JW .94/.88 (replace Dice)', variant((f) => [jw(f, 0.94), jw(f, 0.88)], false)],
  ['Lev 1/2 (replace Dice)', variant((f) => [lev(f, 1), lev(f, 2)], false)],
  ['JW .94 + Lev 1 (before Dice)', variant((f) => [jw(f, 0.94), lev(f, 1)], true)],
];

const sets = [febrl4(), await sampleDataset()];
if (values.synth) sets.push(await synthDataset({ clients: 10_000, members: 35_000 }));
const rows = [];
for (const ds of sets)
  for (const [label, comparisons] of values.swapped ? VARIANTS.slice(0, 2) : VARIANTS) {
    const r = evaluate(ds, { clearText: true, label, match: { comparisons } });
    console.error(`${ds.name} · ${label}: F1 ${r.f1.toFixed(4)}`);
    rows.push(r);
  }
console.log(resultsTable(rows));
