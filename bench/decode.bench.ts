/**
 * Decoding an input file's bytes into text (issue #16): `decodeChunks` of `src/read/decode.ts` over
 * a file read in 1 MiB chunks, as `encode` reads its input, in this tree and optionally in another
 * tree's `src/` (e.g. a build of main), alternating which goes first each round; prints each run's
 * CPU time (`process.cpuUsage`: this thread does the work), the medians and the median paired ratio.
 * The decoded texts must be identical (their SHA-256 is compared every run).
 *
 * Usage: npx tsx bench/decode.bench.ts FILE [--rounds N=5] [--baseline OTHER/src]
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadLine, median, takeOption } from './lib/ab.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => takeOption(args, name);
const rounds = Number(opt('--rounds') ?? '5');
const baseline = opt('--baseline');
const [path] = args;
if (!path) throw new Error('usage: decode.bench.ts FILE [--rounds N] [--baseline OTHER/src]');

type Decode = typeof import('../src/read/decode.js').decodeChunks;
const load = async (src: URL): Promise<Decode> =>
  ((await import(new URL('read/decode.ts', src).href)) as typeof import('../src/read/decode.js'))
    .decodeChunks;
const trees: { name: string; decode: Decode }[] = [
  { name: 'this tree', decode: await load(new URL('../src/', import.meta.url)) },
];
if (baseline !== undefined)
  trees.push({ name: 'baseline', decode: await load(pathToFileURL(`${baseline}/`)) });

/** CPU milliseconds of one decode of the file, and the SHA-256 of its text. */
async function run(decode: Decode): Promise<{ ms: number; digest: string }> {
  const h = createHash('sha256');
  const t0 = process.cpuUsage();
  for await (const text of decode(createReadStream(path as string, { highWaterMark: 1 << 20 })))
    h.update(text);
  const u = process.cpuUsage(t0);
  return { ms: (u.user + u.system) / 1e3, digest: h.digest('hex') };
}

const times = trees.map(() => [] as number[]);
let digest: string | undefined;
console.log(`${loadLine()}; ${path}, ${rounds} rounds`);
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? trees.map((_, i) => i) : trees.map((_, i) => i).reverse();
  for (const i of order) {
    const { ms, digest: d } = await run((trees[i] as (typeof trees)[number]).decode);
    if (digest !== undefined && d !== digest) throw new Error('the decoded texts differ');
    digest = d;
    (times[i] as number[]).push(ms);
    console.log(`round ${r + 1} ${(trees[i] as (typeof trees)[number]).name}: ${ms.toFixed(0)} ms CPU`);
  }
}
for (let i = 0; i < trees.length; i++)
  console.log(
    `${(trees[i] as (typeof trees)[number]).name}: median ${median(times[i] as number[]).toFixed(0)} ms CPU`,
  );
if (trees.length === 2) {
  const ratios = (times[0] as number[]).map((t, k) => t / ((times[1] as number[])[k] as number));
  console.log(
    `this tree / baseline: median paired ratio ${median(ratios).toFixed(2)}; texts identical (sha256 ${digest?.slice(0, 16)}…)`,
  );
}
console.log(loadLine());
