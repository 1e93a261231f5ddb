/**
 * The WebAssembly HMAC-SHA256 kernel as the encoder drives it (issue #16): batches of 52 requests
 * (four records' worth: names, masks of a nine-digit value, dates) queued with `HmacKernel.queue`
 * and run with `flush`, in this tree and optionally in another tree's `src/` (e.g. main's). Each
 * run is its own process (`node --no-liftoff`: the kernel as TurboFan compiles it, as in a long
 * encode; one kernel per process, as in an encoder's thread — two kernels in one process time
 * unevenly), the trees alternating which goes first each round; prints the nanoseconds a digest of
 * each run, the medians and the median paired ratio. The digests of both trees must be identical
 * (each run prints the SHA-256 of every word of its last batch).
 *
 * Usage: npx tsx bench/hmac-kernel.bench.ts [--rounds N=7] [--baseline OTHER/src]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadLine, median, takeOption } from './lib/ab.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => takeOption(args, name);
const child = opt('--child');
const BATCHES = 20000;
// Synthetic messages of the encoder's shapes (no record values): a name, a date, masks of a
// nine-digit value.
const messages = Array.from({ length: 52 }, (_, i) =>
  i % 4 === 0
    ? `NAME${i}X`
    : i % 4 === 1
      ? `19${(i % 90) + 10}-0${(i % 9) + 1}-1${i % 10}`
      : `${i % 9}:1234_6789`,
);

if (child !== undefined) {
  // One timed run of the kernel of the tree whose src/ is `child`: "ns digest".
  const m = (await import(
    new URL('encode/kernel/sha256.ts', pathToFileURL(`${child}/`)).href
  )) as typeof import('../src/encode/kernel/sha256.js');
  const k = m.HmacKernel.create({ simd: true });
  if (k === undefined || !k.simd) throw new Error('no SIMD kernel here');
  const slot = k.addState(
    Int32Array.from({ length: 8 }, (_, i) => Math.imul(i + 1, 0x9e3779b9)),
    Int32Array.from({ length: 8 }, (_, i) => Math.imul(i + 1, 0x85ebca6b)),
  );
  const run = (batches: number) => {
    for (let b = 0; b < batches; b++) {
      k.begin();
      for (const msg of messages) k.queue(slot, msg);
      k.flush();
    }
  };
  run(2000); // compiled before timing
  const t0 = process.hrtime.bigint();
  run(BATCHES);
  const ns = Number(process.hrtime.bigint() - t0) / (BATCHES * messages.length);
  const h = createHash('sha256');
  const words = new Int32Array(8);
  for (let q = 0; q < messages.length; q++) {
    k.words(q, words, 0);
    h.update(words);
  }
  console.log(`${ns} ${h.digest('hex')}`);
} else {
  const rounds = Number(opt('--rounds') ?? '7');
  const baseline = opt('--baseline');
  const trees = [
    { name: 'this tree', src: fileURLToPath(new URL('../src/', import.meta.url)) },
    ...(baseline === undefined ? [] : [{ name: 'baseline', src: baseline }]),
  ];
  const once = (src: string): { ns: number; digest: string } => {
    const r = spawnSync(
      process.execPath,
      ['--no-liftoff', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', src],
      {
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) throw new Error(`kernel run failed: ${r.stderr.split('\n')[0]}`);
    const [ns, digest] = r.stdout.trim().split(' ');
    return { ns: Number(ns), digest: digest ?? '' };
  };
  const times = trees.map(() => [] as number[]);
  let digest: string | undefined;
  console.log(`${loadLine()}; ${BATCHES} batches of ${messages.length} digests a run, ${rounds} rounds`);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? trees.map((_, i) => i) : trees.map((_, i) => trees.length - 1 - i);
    for (const i of order) {
      const { ns, digest: d } = once(trees[i]!.src);
      if (digest !== undefined && d !== digest) throw new Error(`${trees[i]!.name}: the digests differ`);
      digest = d;
      times[i]!.push(ns);
      console.log(`round ${r + 1} ${trees[i]!.name.padEnd(9)} ${ns.toFixed(1)} ns a digest`);
    }
  }
  for (const [i, t] of trees.entries())
    console.log(`median ${t.name.padEnd(9)} ${median(times[i]!).toFixed(1)} ns a digest`);
  if (trees.length === 2) {
    const ratios = times[0]!.map((x, r) => x / (times[1]![r] as number));
    console.log(`median paired ratio this tree / baseline: ${median(ratios).toFixed(3)}`);
  }
  console.log(`digests identical in every run (sha256 ${digest?.slice(0, 16)}…)`);
}
