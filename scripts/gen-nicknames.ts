/**
 * Generates `src/normalise/nicknames-data.ts` from the bundled nickname list and the US Census 1990
 * first-name frequencies, so the library works in a browser without reading files.
 *
 * Usage: `npx tsx scripts/gen-nicknames.ts [--census DIR] [--check]`
 * - `--census DIR`: folder with `dist.male.first` and `dist.female.first` (default
 *   `data/third_party/census1990`).
 * - `--check`: exit 1 when the committed file differs from what would be generated (for CI).
 *
 * The rules that turn the noisy pair list into formal names and canonical forms are documented in
 * `src/normalise/nicknames.ts`; this script applies them once, at generation time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { foldText } from '../src/normalise/text.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_CENSUS_DIR = join(root, 'data/third_party/census1990');
/** The generated module. */
export const outPath = join(root, 'src/normalise/nicknames-data.ts');

/** The same compact form `normaliseName` gives a first name: folded, separators removed. */
function key(raw: string): string {
  return foldText(raw).replaceAll(' ', '');
}

/** Rule 5 overrides (see below): nickname → the formal name to prefer. */
const PREFERRED: ReadonlyMap<string, string> = new Map([
  ['BILL', 'WILLIAM'],
  ['BILLY', 'WILLIAM'],
  ['ZEKE', 'EZEKIEL'],
]);

function readPairs(): Map<string, Set<string>> {
  const text = readFileSync(join(root, 'data/third_party/nicknames/names.csv'), 'utf8');
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== 'name1,relationship,name2') throw new Error('names.csv: unexpected header');
  const nicknamesOf = new Map<string, Set<string>>();
  for (const [i, line] of lines.slice(1).entries()) {
    if (line.trim() === '') continue;
    const [a, rel, b] = line.split(',');
    if (rel !== 'has_nickname' || a === undefined || b === undefined) {
      throw new Error(`names.csv line ${i + 2}: unexpected row shape`);
    }
    const formal = key(a);
    const nick = key(b);
    if (formal === '' || nick === '' || formal === nick) continue;
    const set = nicknamesOf.get(formal);
    if (set === undefined) nicknamesOf.set(formal, new Set([nick]));
    else set.add(nick);
  }
  return nicknamesOf;
}

/** First-name frequency in thousandths of a percent, male and female lists added (integers: no float drift). */
function readFrequencies(censusDir: string): Map<string, number> {
  const freq = new Map<string, number>();
  for (const file of ['dist.male.first', 'dist.female.first']) {
    let text: string;
    try {
      text = readFileSync(join(censusDir, file), 'utf8');
    } catch {
      throw new Error(`census file missing: ${join(censusDir, file)} (pass --census DIR)`);
    }
    for (const line of text.split(/\r?\n/)) {
      const m = /^(\S+)\s+(\d+)\.(\d{3})\s/.exec(line);
      if (m === null) continue;
      const name = key(m[1] ?? '');
      const value = Number(m[2]) * 1000 + Number(m[3]);
      freq.set(name, (freq.get(name) ?? 0) + value);
    }
  }
  if (freq.size < 1000) throw new Error('census first-name lists look truncated');
  return freq;
}

/** The text of `src/normalise/nicknames-data.ts` for the current inputs. */
export function generate(censusDir: string = DEFAULT_CENSUS_DIR): string {
  const nicknamesOf = readPairs();
  const freq = readFrequencies(censusDir);
  const f = (n: string): number => freq.get(n) ?? 0;

  const parentsOf = new Map<string, string[]>();
  for (const [formal, nicks] of nicknamesOf) {
    for (const n of nicks) {
      const list = parentsOf.get(n);
      if (list === undefined) parentsOf.set(n, [formal]);
      else list.push(formal);
    }
  }
  const names = [...new Set([...nicknamesOf.keys(), ...parentsOf.keys()])].sort();

  // Rule 1: formal = listed with nicknames of its own, and not dominated by a name that lists it as a
  // nickname, where dominated means: the other name is longer and at least twice as common.
  const dominates = (p: string, n: string): boolean => p.length > n.length && f(p) >= 2 * f(n) && f(p) > 0;
  const isFormal = (n: string): boolean =>
    nicknamesOf.has(n) && !(parentsOf.get(n) ?? []).some((p) => dominates(p, n));

  // Rule 2: a nickname stands for the nearest formal names: those that list it; when none of them is
  // formal, those that list one of them, and so on (breadth-first, one whole level at a time).
  const variantsOf = (n: string): string[] => {
    const seen = new Set<string>([n]);
    let level = [...(parentsOf.get(n) ?? [])];
    while (level.length > 0) {
      const found = new Set<string>();
      const next: string[] = [];
      for (const p of level) {
        if (seen.has(p)) continue;
        seen.add(p);
        if (isFormal(p)) found.add(p);
        else next.push(...(parentsOf.get(p) ?? []));
      }
      // Rule 3: preference = more common first name first, then alphabetical.
      if (found.size > 0) return [...found].sort((a, b) => f(b) - f(a) || (a < b ? -1 : a > b ? 1 : 0));
      level = next;
    }
    return [];
  };

  const formalLines: string[] = [];
  for (const n of names) {
    if (isFormal(n)) continue;
    const variants = variantsOf(n);
    // Rule 5: a few conventional readings beat frequency where the list has a stray pair
    // (ROBERT→BILL); an override only reorders, it never adds a formal name the list lacks.
    const preferred = PREFERRED.get(n);
    if (preferred !== undefined) {
      const at = variants.indexOf(preferred);
      if (at < 0) throw new Error(`override ${n}→${preferred} is not among the list's formal names`);
      variants.splice(at, 1);
      variants.unshift(preferred);
    }
    // Rule 4: a nickname whose parents form a cycle of nicknames only is treated as formal.
    if (variants.length > 0) formalLines.push(`${n} ${variants.join(' ')}`);
  }
  const pairLines = [...nicknamesOf.keys()]
    .sort()
    .map((k) => `${k} ${[...nicknamesOf.get(k)!].sort().join(' ')}`);
  const quote = (lines: string[]): string => lines.map((l) => `  '${l}',`).join('\n');

  return `// GENERATED by scripts/gen-nicknames.ts from data/third_party/nicknames/names.csv
// (carltonnorthern/nicknames, Apache-2.0) and data/third_party/census1990 (US Census 1990 first-name
// frequencies, public domain). Do not edit: run \`npx tsx scripts/gen-nicknames.ts\`.

/** \`FORMAL NICK NICK …\`, one formal name per line, as in names.csv after folding. */
const PAIRS_PACKED: readonly string[] = [
${quote(pairLines)}
];

/** \`NICK FORMAL FORMAL …\` for every name that is not formal, formal names in order of preference. */
const FORMALS_PACKED: readonly string[] = [
${quote(formalLines)}
];

function expandPairs(): ReadonlyArray<readonly [formal: string, nickname: string]> {
  const out: (readonly [string, string])[] = [];
  for (const line of PAIRS_PACKED) {
    const [formal = '', ...nicks] = line.split(' ');
    for (const n of nicks) out.push([formal, n]);
  }
  return out;
}

function expandFormals(): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const line of FORMALS_PACKED) {
    const [nick = '', ...formals] = line.split(' ');
    out.set(nick, formals);
  }
  return out;
}

/**
 * Every \`formal has_nickname nickname\` pair of the nickname list, upper case and folded like a
 * normalised first name (\`K.C.\` → \`KC\`), sorted. The list is noisy: some pairs run both ways
 * (\`BOB\`/\`ROBERT\`) and some relate spelling variants (\`SHAUN\`/\`SHAWN\`).
 *
 * @example
 * \`\`\`ts
 * NICKNAME_PAIRS.some(([f, n]) => f === 'ROBERT' && n === 'BOB'); // true
 * \`\`\`
 */
export const NICKNAME_PAIRS: ReadonlyArray<readonly [formal: string, nickname: string]> =
  /* @__PURE__ */ expandPairs();

/**
 * For each name of the list that is not a formal name: the formal names it may stand for, the
 * preferred (canonical) one first. Formal names and unknown names are absent.
 *
 * @example
 * \`\`\`ts
 * NICKNAME_FORMALS.get('BOB'); // ['ROBERT']
 * \`\`\`
 */
export const NICKNAME_FORMALS: ReadonlyMap<string, readonly string[]> = /* @__PURE__ */ expandFormals();
`;
}

function main(): void {
  const args = process.argv.slice(2);
  const censusArg = args.indexOf('--census');
  const check = args.includes('--check');
  const text = generate(censusArg >= 0 ? resolve(args[censusArg + 1] ?? '') : DEFAULT_CENSUS_DIR);
  if (!check) {
    writeFileSync(outPath, text);
    return;
  }
  let current = '';
  try {
    current = readFileSync(outPath, 'utf8');
  } catch {
    // A missing file is simply out of date.
  }
  if (current !== text) {
    console.error('src/normalise/nicknames-data.ts is out of date: run npx tsx scripts/gen-nicknames.ts');
    process.exit(1);
  }
}

// Importable by the test that checks the committed module is current.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
