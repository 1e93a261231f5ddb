/**
 * Throughput of the clkhash-compatible encoder on generated records (default 100,000) with the
 * three schemas of the clkhash 0.18.3 vectors (test/vectors/clkhash-v3.json): A (bigrams, BLAKE2b),
 * B (bitsPerFeature, numeric) and C (double hashing, 2048 bits). Each schema runs with the token
 * cache on (default) and off. Names are drawn with a Zipf-like skew from syllable-built pools
 * (≈3,000 first and ≈30,000 last names) so that repetition resembles a real client list.
 * clkhash itself manages about 16–30k records/s per core on this kind of machine.
 *
 * Usage: `npx tsx bench/clkhash.bench.ts [records]`
 */
import { readFileSync } from 'node:fs';
import { createClkEncoder, parseClkhashSchema } from '../src/encode/clkhash/index.js';

const count = Number(process.argv[2] ?? 100_000);
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

const records: string[][] = Array.from({ length: count }, (_, i) => [
  String(i),
  random() < 0.02 ? '' : zipf(firstNames),
  random() < 0.02 ? '' : zipf(lastNames),
  random() < 0.05
    ? ''
    : `${1920 + Math.floor(random() * 105)}/${pad(1 + Math.floor(random() * 12))}/${pad(1 + Math.floor(random() * 28))}`,
  ['M', 'F', ''][Math.floor(random() * 3)]!,
  random() < 0.1 ? '' : String(Math.floor(random() * 100)),
]);

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
    let bytes = 0;
    for (let i = 0; i < n; i++) bytes += encoder.encode(records[i]!, i + 2).length;
    const s = (performance.now() - t) / 1000;
    encoder.dispose();
    const label = tokenCacheSize === 0 ? 'no cache' : 'cache   ';
    console.log(
      `${c.name.padEnd(30)} ${label} ${n.toLocaleString()} records in ${s.toFixed(2)} s = ${Math.round(n / s).toLocaleString()} records/s (${bytes / n} bytes each)`,
    );
  }
}
