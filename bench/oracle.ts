/**
 * The ceiling of the default comparisons (issue #13): `npx tsx bench/oracle.ts <set>…` with the sets
 * of bench/scale-quality.ts (`f:EXTRA`, `s:CLIENTS:MEMBERS[:nossn]`; add `:clear` for clear-text
 * mode). Prints the default model's F1 beside oracle models counted from the truth on the same
 * candidate pairs (bench/lib/oracle.ts), and the levels where EM's m differs from the truth's.
 * With `FIELDS=1` (synthetic sets): what the fields of the wrong decisions show, from the clear text
 * (counts only), and the pattern oracle with the plan's NameSuffix added (bench/lib/oracle-fields.ts).
 */

import { clearTextComparisons } from '../src/compare/clear-comparisons.js';
import { oracleMarkdown, oracleReport, patternOracleWith, rowsMarkdown } from './lib/oracle.js';
import { clearFields, relationTable } from './lib/oracle-fields.js';
import { febrlSet, synthSet } from './lib/scale.js';

for (const w of process.argv.slice(2)) {
  const [kind, a, b, ...rest] = w.split(':');
  const flags = kind === 'f' ? [b, ...rest] : rest;
  const clearText = flags.includes('clear');
  const t0 = performance.now();
  const size = { clients: Number(a), members: Number(b) };
  const s =
    kind === 'f'
      ? await febrlSet(Number(a), 29, clearText)
      : await synthSet({ ...size, noSsn: flags.includes('nossn'), clearText });
  console.error(`${s.name}: loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const r = oracleReport(
    s,
    (m) => console.error(m),
    process.env.EM_ONLY ? 'em' : process.env.ORACLE_ROWS?.split('|'),
    clearText ? { comparisons: clearTextComparisons() } : {},
  );
  console.log(oracleMarkdown(s.name, r));
  if (!process.env.FIELDS || kind !== 's') continue;
  const em = r.rows.find((x) => x.name === 'EM (default)')!;
  const or = r.rows.find((x) => x.name === 'oracle patterns, TF')!;
  const truth = new Map(s.truth.map(([c, m]) => [c, m]));
  // The false links' clients' true partners too: what the link beat.
  const partners = (fl: [string, string][]) =>
    fl.flatMap(([c]) => (truth.has(c) ? [[c, truth.get(c)!] as [string, string]] : []));
  const all = [...em.falseLinks, ...em.missed, ...or.falseLinks, ...or.missed];
  const f = await clearFields(s, size, {
    coc: new Set(all.map(([c]) => c)),
    mcp: new Set([...all.map(([, m]) => m), ...all.flatMap(([c]) => (truth.has(c) ? [truth.get(c)!] : []))]),
  });
  console.error('clear text read');
  console.log(
    [
      relationTable('EM: missed true pairs', em.missed, f),
      relationTable('EM: false links', em.falseLinks, f),
      relationTable('EM: the false links’ clients with their true partner', partners(em.falseLinks), f),
      relationTable('oracle patterns, TF: missed true pairs', or.missed, f),
      relationTable('oracle patterns, TF: false links', or.falseLinks, f),
      relationTable(
        'oracle patterns, TF: the false links’ clients with their true partner',
        partners(or.falseLinks),
        f,
      ),
    ].join('\n\n'),
  );
  // Suffix relation: 0 neither has one, 1 same, 2 different, 3 one side only.
  const suffix = (i: number, j: number) => {
    const x = f.cocSuffix[i]!;
    const y = f.mcpSuffix[j]!;
    return x === 0 && y === 0 ? 0 : x === y ? 1 : x !== 0 && y !== 0 ? 2 : 3;
  };
  const withSuffix = patternOracleWith(s, r.context, 4, suffix, 'oracle patterns, TF, + NameSuffix');
  // Years apart of an approximate CoC DOB (data quality 2): 0, 1, 2–3, 4–10, > 10; 5 otherwise.
  const years = (i: number, j: number) => {
    const a = f.cocYear[i]!;
    const b = f.mcpYear[j]!;
    if (!f.cocApprox[i] || a === 0 || b === 0) return 5;
    const d = Math.abs(a - b);
    return d === 0 ? 0 : d === 1 ? 1 : d <= 3 ? 2 : d <= 10 ? 3 : 4;
  };
  const withYears = patternOracleWith(
    s,
    r.context,
    6,
    years,
    'oracle patterns, TF, + years apart of an approximate DOB',
  );
  console.log(rowsMarkdown([or, withSuffix, withYears]));
}
