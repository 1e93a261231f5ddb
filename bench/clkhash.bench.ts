/**
 * Throughput of the clkhash-compatible encoder on generated records (default 100,000) with the
 * three schemas of the clkhash 0.18.3 vectors (test/vectors/clkhash-v3.json): A (bigrams, BLAKE2b),
 * B (bitsPerFeature, numeric) and C (double hashing, 2048 bits). Each schema runs with the token
 * cache on (default) and off. Names are drawn with a Zipf-like skew from syllable-built pools
 * (≈3,000 first and ≈30,000 last names) so that repetition resembles a real client list.
 * clkhash itself manages about 16–30k records/s per core on this kind of machine.
 *
 * With `--threads N`, each schema instead runs through `encodeClksParallel` (what `bloomlink encode`
 * runs in clkhash mode) on 1 and on N threads, alternating, `--runs` times (default 3), and prints
 * the median wall-clock rate of each and the median paired ratio; worker start-up is included (from
 * source each worker also compiles the TypeScript through tsx). `--no-cache` turns the token cache
 * off in both (inputs with few repeated values).
 *
 * `--unique` draws every first and last name as random letters instead (5–8 and 6–10 of A–Z), so
 * that names almost never repeat and the token cache misses (inputs with few repeated values).
 *
 * `--csv PATH` writes the generated records (with the vectors' header) to PATH and stops: the input
 * of the CLI runs in docs/scaling.md (`--csv .bench-cache/clk-1e6.csv` with 1000000 records).
 *
 * Usage: `npx tsx bench/clkhash.bench.ts [records] [--unique] [--csv PATH | --threads N [--runs R] [--no-cache]]`
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createClkEncoder, parseClkhashSchema } from '../src/encode/clkhash/index.js';
import { encodeClksParallel } from '../src/encode/clkhash/parallel.node.js';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const count = Number(argv[0] !== undefined && /^\d+$/.test(argv[0]) ? argv[0] : 100_000);
const threads = flag('--threads') === undefined ? undefined : Number(flag('--threads'));
const runs = Number(flag('--runs') ?? 3);
const noCache = argv.includes('--no-cache');
const unique = argv.includes('--unique');
if (!Number.isSafeInteger(count) || count <= 0) throw new RangeError('records must be a positive integer');

const vectors = JSON.parse(
  readFileSync(new URL('../test/vectors/clkhash-v3.json', import.meta.url), 'utf8'),
) as {
  secret: string;
  cases: { name: string; schema: unknown }[];
};

let state = 0x9e3779b9;
function random(): number {
  // mulberry32: fixed seed, so every run encodes the same records.
  state = (state + 0x6d2b79f5) | 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const SYLLABLES =
  'AN BE CA DO EL FI GA HA IS JO KA LE MA NI OR PA QU RA SE TO UL VA WI XE YA ZO ÉL ØS ÜN'.split(' ');
const pool = (size: number, parts: number): string[] =>
  Array.from({ length: size }, () =>
    Array.from(
      { length: 1 + Math.floor(random() * parts) + 1 },
      () => SYLLABLES[Math.floor(random() * SYLLABLES.length)],
    ).join(''),
  );
const zipf = (list: string[]): string => list[Math.floor(list.length * random() ** 3)]!;
const firstNames = pool(3_000, 2);
const lastNames = pool(30_000, 3);
const pad = (n: number): string => String(n).padStart(2, '0');
const letters = (min: number, max: number): string =>
  Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () =>
    String.fromCharCode(65 + Math.floor(random() * 26)),
  ).join('');

const records: string[][] = Array.from({ length: count }, (_, i) => [
  String(i),
  unique ? letters(5, 8) : random() < 0.02 ? '' : zipf(firstNames),
  unique ? letters(6, 10) : random() < 0.02 ? '' : zipf(lastNames),
  random() < 0.05
    ? ''
    : `${1920 + Math.floor(random() * 105)}/${pad(1 + Math.floor(random() * 12))}/${pad(1 + Math.floor(random() * 28))}`,
  ['M', 'F', ''][Math.floor(random() * 3)]!,
  random() < 0.1 ? '' : String(Math.floor(random() * 100)),
]);

const csvPath = flag('--csv');
if (csvPath !== undefined) {
  // No value holds a comma, quote or line break, so the CSV needs no quoting.
  const lines = records.map((r) => r.join(','));
  writeFileSync(
    csvPath,
    `${['id', 'first_name', 'last_name', 'dob', 'sex', 'age'].join(',')}\n${lines.join('\n')}\n`,
  );
  console.log(`${count.toLocaleString()} records${unique ? ' (unique names)' : ''} → ${csvPath}`);
  process.exit(0);
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Seconds to encode every record through encodeClksParallel on `t` threads: wall, and CPU of the
 * whole process (all its threads, `process.cpuUsage`).
 */
async function parallelRun(schemaJson: unknown, t: number): Promise<{ wall: number; cpu: number }> {
  const schema = parseClkhashSchema(schemaJson);
  const input = records.map((record, i) => ({ record, line: i + 2 }));
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let n = 0;
  for await (const chunk of encodeClksParallel(schema, vectors.secret, [input], {
    threads: t,
    allowWeakSecret: true,
    ...(noCache ? { tokenCacheSize: 0 } : {}),
  }))
    n += chunk.length;
  if (n !== count) throw new Error('records lost');
  const cpu = process.cpuUsage(cpu0);
  return { wall: (performance.now() - start) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

if (threads !== undefined) {
  for (const c of vectors.cases) {
    const one: { wall: number; cpu: number }[] = [];
    const many: { wall: number; cpu: number }[] = [];
    const loads: number[] = [];
    for (let r = 0; r < runs; r++) {
      loads.push(loadavg()[0]!);
      one.push(await parallelRun(c.schema, 1));
      many.push(await parallelRun(c.schema, threads));
    }
    const ratio = median(one.map((s, i) => s.wall / many[i]!.wall));
    const rate = (xs: { wall: number; cpu: number }[], k: 'wall' | 'cpu') =>
      Math.round(count / median(xs.map((x) => x[k]))).toLocaleString();
    console.log(
      `${c.name.padEnd(30)} ${noCache ? 'no cache' : 'cache   '}${unique ? ' unique' : ''} ${count.toLocaleString()} records: 1 thread ${rate(one, 'wall')}/s (${rate(one, 'cpu')} per CPU-s), ${threads} threads ${rate(many, 'wall')}/s (${rate(many, 'cpu')} per CPU-s); paired wall ratio ${ratio.toFixed(2)}× (medians of ${runs}, load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)})`,
    );
  }
  process.exit(0);
}

for (const c of vectors.cases) {
  const schema = parseClkhashSchema(c.schema);
  for (const tokenCacheSize of [undefined, 0]) {
    const encoder = createClkEncoder(
      schema,
      vectors.secret,
      tokenCacheSize === undefined ? {} : { tokenCacheSize },
    );
    // Without the cache every token is hashed; a tenth of the records shows that rate well enough.
    const n = tokenCacheSize === 0 ? Math.ceil(count / 10) : count;
    const t = performance.now();
    const cpu0 = process.cpuUsage();
    let bytes = 0;
    for (let i = 0; i < n; i++) bytes += encoder.encode(records[i]!, i + 2).length;
    const s = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu0);
    const cpu = (used.user + used.system) / 1e6;
    encoder.dispose();
    const label = tokenCacheSize === 0 ? 'no cache' : 'cache   ';
    console.log(
      `${c.name.padEnd(30)} ${label}${unique ? ' unique' : ''} ${n.toLocaleString()} records in ${s.toFixed(2)} s = ${Math.round(n / s).toLocaleString()} records/s, ${Math.round(n / cpu).toLocaleString()} per CPU-s (${bytes / n} bytes each; load ${loadavg()[0]!.toFixed(1)})`,
    );
  }
}
