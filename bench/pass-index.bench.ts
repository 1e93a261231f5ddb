/**
 * The serial main-thread work between reading and scoring of a whole-file match, alone (issue #16):
 * every blocking pass's sorted index (`buildPassIndex`), the progress work (`pairPrefix` over the
 * CoC records) and training's counting reading of the plan (`countTraining`). The two encoded files
 * are read once; then each round runs the three on this tree and, when `--baseline` names a second
 * source tree (e.g. /work/base10/src), on that one too, alternating which goes first, and prints
 * the CPU time of each (one thread: `process.cpuUsage`) and their paired ratios. The indexes and the
 * progress sums of the two trees must be equal element by element (the run stops otherwise).
 *
 * Usage:
 *   nice -n 10 npx tsx bench/pass-index.bench.ts [rounds=3] [--baseline OTHER/src] [--coc FILE --mcp FILE]
 * (defaults: the 10⁵ × 3·10⁶ no-SSN files of .bench-cache, see docs/scaling.md).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import * as blocking from '../src/block/blocking.js';
import { DEFAULT_COMPARISONS } from '../src/compare/comparisons.js';
import type { BlockColumn, EncodedBatch } from '../src/encoded/batch.js';
import { readEncoded } from '../src/encoded/file.js';
import { countTraining } from '../src/model/train.js';
import { pairedArgs } from './lib/paired-args.js';

const { baseline, runs: rounds, cocPath, mcpPath } = pairedArgs(3);

const coc = (await readEncoded(readFileSync(cocPath), 'coc')).batch;
const mcp = (await readEncoded(readFileSync(mcpPath), 'mcp')).batch;
const names = Object.keys(coc.blocks).filter((n) => n in mcp.blocks);
console.log(
  `${names.length} passes, ${names.reduce((a, n) => a + (mcp.blocks[n]?.keys.length ?? 0), 0)} plan keys`,
);

interface Tree {
  readonly name: string;
  readonly blocking: typeof blocking;
  readonly countTraining: typeof countTraining;
}
const trees: Tree[] = [{ name: 'this', blocking, countTraining }];
if (baseline) {
  const b = resolve(baseline);
  trees.push({
    name: 'baseline',
    blocking: await import(join(b, 'block/blocking.ts')),
    countTraining: (await import(join(b, 'model/train.ts'))).countTraining,
  });
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const median = (a: readonly number[]) => [...a].sort((x, y) => x - y)[a.length >> 1] ?? Number.NaN;
const run = (t: Tree, left: EncodedBatch, right: EncodedBatch) => {
  let s = cpu();
  const passes = names.map((n) => t.blocking.buildPassIndex(n, right.blocks[n] as BlockColumn));
  const index = cpu() - s;
  s = cpu();
  const prefix = new t.blocking.CandidateGenerator(left, right, { passes }).pairPrefix(left.length);
  const work = cpu() - s;
  s = cpu();
  t.countTraining(left, right, DEFAULT_COMPARISONS, {});
  const count = cpu() - s;
  return { passes, prefix, times: { index, work, count } };
};
const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => v === b[i]);
const ratios: Record<string, number[]> = { index: [], work: [], count: [] };
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? trees : [...trees].reverse();
  const out = new Map(order.map((t) => [t.name, run(t, coc, mcp)]));
  const mine = out.get('this');
  const base = out.get('baseline');
  const line = [...out].map(
    ([n, r]) =>
      `${n} ${Object.entries(r.times)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(' ')}`,
  );
  if (mine && base) {
    mine.passes.forEach((p, k) => {
      const q = base.passes[k];
      if (
        !q ||
        !same(p.keys, q.keys) ||
        !same(p.records, q.records) ||
        !same(p.buckets ?? [], q.buckets ?? [])
      )
        throw new Error(`pass ${p.name}: the trees' indexes differ`);
    });
    if (!same(mine.prefix, base.prefix)) throw new Error('the trees’ pairPrefix differ');
    for (const k of Object.keys(ratios)) ratios[k]?.push(base.times[k as 'index'] / mine.times[k as 'index']);
  }
  console.log(
    `round ${round} (${order.map((t) => t.name).join(' first, ')}), load ${loadavg()[0]?.toFixed(1)}: ${line.join(' | ')} s CPU`,
  );
}
if (baseline)
  console.log(
    `paired ratios baseline / this (median): ${Object.entries(ratios)
      .map(([k, v]) => `${k} ${median(v).toFixed(2)}× (${v.map((x) => x.toFixed(2)).join(' ')})`)
      .join(', ')}; indexes and pairPrefix identical`,
  );
