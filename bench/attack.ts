/**
 * `npm run attack`: the re-identification table of docs/privacy.md.
 *
 * 1. A party without the key (a linkage unit, or anyone holding an encoded file) attacks the plan's
 *    encoded member list: frequency alignment of the exact name hashes, of the `lastSoundexInitial`
 *    blocking key and of whole name filters, and q-gram pattern mining on the name filters — once
 *    with public Census 1990 frequencies, once with frequencies from another list of the same region
 *    (modelled by an independent synthetic list) — for the default schema and a hardened one.
 * 2. The plan, holding the key, runs a dictionary attack (every Census name, every date of birth in
 *    a range, every SSN last four) on the CoC's encoded client list and recovers what it can about
 *    clients who are *not* its members.
 *
 * Flags: --members N (default 100000), --clients N (default 5000), --seed S (default 2026),
 * --hardening JSON (the hardened schema's `hardening`, default the default schema's),
 * --dob-from / --dob-to (dictionary date range, default 1920-01-01 … 2025-12-31), --no-mining.
 */
import { parseArgs } from 'node:util';
import { dictionaryAttack, isoDates } from '../src/attack/dictionary.js';
import { scoreGuesses } from '../src/attack/outcome.js';
import { cocPopulation, memberPopulation, nameTruth } from '../src/attack/population.js';
import { censusFirstNames, censusSurnames, observedReference } from '../src/attack/reference.js';
import { type NoKeyResults, noKeyAttacks, type References } from '../src/attack/suite.js';
import { RecordEncoder } from '../src/encode/encoder.js';
import { DEFAULT_SCHEMA } from '../src/encoded/default-schema.js';
import { type LinkageSchema, parseLinkageSchema } from '../src/encoded/schema.js';

/** The default schema's hardening (chosen from the measurements of bench/hardening.ts). */
const RECOMMENDED = { diffusion: { t: 3 } };

const { values: flags } = parseArgs({
  options: {
    members: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '2026' },
    hardening: { type: 'string', default: JSON.stringify(RECOMMENDED) },
    'dob-from': { type: 'string', default: '1920-01-01' },
    'dob-to': { type: 'string', default: '2025-12-31' },
    'no-mining': { type: 'boolean', default: false },
  },
});
const seed = Number(flags.seed);
const members = Number(flags.members);
const clients = Number(flags.clients);
const schemas: [string, LinkageSchema][] = [
  ['unhardened', parseLinkageSchema({ ...DEFAULT_SCHEMA, name: 'unhardened', hardening: {} })],
  [
    `hardened ${flags.hardening}`,
    parseLinkageSchema({ ...DEFAULT_SCHEMA, hardening: JSON.parse(flags.hardening) }),
  ],
];
const started = performance.now();
const progress = (what: string) =>
  console.error(`${what} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const cell = (o: { share: number; precision: number } | undefined) =>
  o ? `${pct(o.share)} (${pct(o.precision)})` : '—';

// 1. No key.
const population = await memberPopulation({ seed, members });
const truth = nameTruth(population);
const other = nameTruth(await memberPopulation({ seed: seed + 1, members }));
const references: [string, References][] = [
  ['Census 1990', { first: censusFirstNames(), last: censusSurnames() }],
  ['same-region list', { first: observedReference(other.first), last: observedReference(other.last) }],
];
progress('populations ready');
const columns: { label: string; r: NoKeyResults }[] = [];
for (const [label, schema] of schemas) {
  const enc = new RecordEncoder(crypto.getRandomValues(new Uint8Array(32)), { party: 'mcp', schema });
  const batch = enc.encodeBatch(population);
  enc.dispose();
  for (const [refLabel, refs] of references) {
    columns.push({
      label: `${label}, ${refLabel}`,
      r: noKeyAttacks(batch, schema, truth, refs, { skipMining: flags['no-mining'] }),
    });
    progress(`${label} / ${refLabel} attacked`);
  }
}
const attackRows: [string, (r: NoKeyResults) => string][] = [
  ['exact hash `first`, frequency alignment (top 100)', (r) => cell(r.hashFirst)],
  ['exact hash `last`, frequency alignment (top 100)', (r) => cell(r.hashLast)],
  ['blocking key `lastSoundexInitial` → Soundex + initial', (r) => cell(r.block)],
  ['`firstBloom` filters, frequency alignment', (r) => cell(r.bloomFreqFirst)],
  ['`lastBloom` filters, frequency alignment', (r) => cell(r.bloomFreqLast)],
  [
    '`firstBloom`, q-gram pattern mining',
    (r) => `${cell(r.miningFirst)}${r.miningFirst ? `, tol ${r.miningFirst.tolerance}` : ''}`,
  ],
  [
    '`lastBloom`, q-gram pattern mining',
    (r) => `${cell(r.miningLast)}${r.miningLast ? `, tol ${r.miningLast.tolerance}` : ''}`,
  ],
  ['**first or last name, any Bloom-filter attack**', (r) => `**${pct(r.bloomAny)}**`],
  ['**first or last name, any attack**', (r) => `**${pct(r.any)}**`],
];
console.log(`### Without the key: ${members.toLocaleString('en-US')} encoded plan members (seed ${seed})\n`);
console.log('Share of records re-identified (precision of the guesses).\n');
console.log(`| attack | ${columns.map((c) => c.label).join(' | ')} |`);
console.log(`|---|${columns.map(() => '---').join('|')}|`);
for (const [label, f] of attackRows) console.log(`| ${label} | ${columns.map((c) => f(c.r)).join(' | ')} |`);

// 2. With the key.
const coc = await cocPopulation({ seed, clients });
const cocTruth = nameTruth(coc.persons);
const outsiders = coc.member.map((m) => !m);
const dates = isoDates(flags['dob-from'], flags['dob-to']);
const names = [...censusFirstNames().values, ...censusSurnames().values];
console.log(
  `\n### With the key (the plan): dictionary attack on ${clients.toLocaleString('en-US')} encoded CoC clients, scored on the ${outsiders.filter(Boolean).length.toLocaleString('en-US')} who are not plan members\n`,
);
console.log(
  `Dictionary: ${new Set(names).size.toLocaleString('en-US')} Census names, ${dates.length.toLocaleString('en-US')} dates (${flags['dob-from']} … ${flags['dob-to']}), 10,000 SSN last fours.\n`,
);
console.log(
  '| schema | first name | last name | DOB | SSN last 4 | first + last + DOB | first name from `firstBloom` alone | last name from `lastBloom` alone |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const [label, schema] of schemas) {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const enc = new RecordEncoder(key, { party: 'coc', schema });
  const batch = enc.encodeBatch(coc.persons);
  enc.dispose();
  const rec = dictionaryAttack({ key, schema, batch, names, dates });
  const only = <T>(xs: readonly T[]) => xs.filter((_, i) => outsiders[i]);
  const score = (g: readonly (string | undefined)[], t: readonly (string | undefined)[]) =>
    scoreGuesses(only(g), only(t));
  const first = score(rec.first, cocTruth.first);
  const last = score(rec.last, cocTruth.last);
  const dob = score(
    rec.dob,
    coc.persons.map((p) => p.dob),
  );
  const ssn4 = score(
    rec.ssnLast4,
    coc.persons.map((p) => (p.ssn && /^[0-9]{4}$/.test(p.ssn.slice(5)) ? p.ssn.slice(5) : undefined)),
  );
  let all3 = 0;
  for (let i = 0; i < first.hits.length; i++) if (first.hits[i] && last.hits[i] && dob.hits[i]) all3++;
  const bloomFirst = score(rec.firstFromBloom, cocTruth.first);
  const bloomLast = score(rec.lastFromBloom, cocTruth.last);
  console.log(
    `| ${label} | ${pct(first.share)} | ${pct(last.share)} | ${pct(dob.share)} | ${pct(ssn4.share)} | ${pct(all3 / first.hits.length)} | ${pct(bloomFirst.share)} | ${pct(bloomLast.share)} |`,
  );
  progress(`${label}: dictionary attack done`);
}
