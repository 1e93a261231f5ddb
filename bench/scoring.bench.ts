/**
 * The scoring stage of a whole-file match alone, paired in one process (issue #16): candidate
 * generation, levels, weights, histogram and kept pairs (`scoreRange`, what each scoring worker
 * runs) for the first `--records` CoC records against the whole plan, with a saved model. The two
 * encoded files are read once; each tree (this one and, with `--baseline`, another tree's `src/`)
 * builds its own row store, pass indexes and scorer, then each round times `scoreRange` on every
 * tree, alternating which goes first, on one thread (`process.cpuUsage`). The kept pairs and the
 * histogram of the trees must be identical (the run stops otherwise; their digest is printed).
 *
 * Usage:
 *   nice -n 10 npx tsx bench/scoring.bench.ts --model MODEL.json [rounds=3] [--records 20000]
 *     [--baseline OTHER/src] [--coc FILE --mcp FILE]
 * (defaults: the 10⁵ × 3·10⁶ no-SSN files of .bench-cache; the model is one `bloomlink match …
 * --model model.json` saved on them).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import * as blocking from '../src/block/blocking.js';
import { readEncoded } from '../src/encoded/file.js';
import { KEEP_WEIGHT } from '../src/match/match.js';
import { parseModel } from '../src/model/model.js';
import * as score from '../src/model/score.js';
import { pairedArgs } from './lib/paired-args.js';

const { baseline, runs: rounds, cocPath, mcpPath } = pairedArgs(3);
const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const modelPath = flag('--model');
if (!modelPath)
  throw new Error('usage: scoring.bench.ts --model MODEL.json [rounds] [--records N] [--baseline SRC]');

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const coc = (await readEncoded(readFileSync(cocPath), 'coc')).batch;
const mcp = (await readEncoded(readFileSync(mcpPath), 'mcp')).batch;
const records = Math.min(coc.length, Number(flag('--records') ?? 20_000));
const model = parseModel(JSON.parse(readFileSync(modelPath, 'utf8')));
const specs = model.comparisons.map((c) => c.spec);

interface Tree {
  readonly name: string;
  readonly gen: blocking.CandidateGenerator;
  readonly scorer: score.Scorer;
  readonly scoreRange: typeof score.scoreRange;
}
async function tree(name: string, b: typeof blocking, s: typeof score): Promise<Tree> {
  const t0 = cpu();
  const setup = s.buildBatchScoring(specs, coc, mcp);
  const scorer = new s.Scorer(model, coc, mcp, setup);
  const gen = new b.CandidateGenerator(coc, mcp);
  console.log(`${name}: row store, scorer and pass indexes ${(cpu() - t0).toFixed(2)} s CPU`);
  return { name, gen, scorer, scoreRange: s.scoreRange };
}
const trees: Tree[] = [await tree('this', blocking, score)];
if (baseline) {
  const b = resolve(baseline);
  trees.push(
    await tree(
      'baseline',
      await import(join(b, 'block/blocking.ts')),
      await import(join(b, 'model/score.ts')),
    ),
  );
}

const median = (a: readonly number[]) => [...a].sort((x, y) => x - y)[a.length >> 1] ?? Number.NaN;
const digestOf = (r: score.RangeScores) => {
  const h = createHash('sha256');
  for (const a of [r.left, r.right, r.weight, r.hist])
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex').slice(0, 16);
};
const run = (t: Tree) => {
  const s = cpu();
  const r = t.scoreRange(t.gen, t.scorer, 0, records, KEEP_WEIGHT);
  return { seconds: cpu() - s, scored: r.scored, digest: digestOf(r) };
};
const ratios: number[] = [];
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? trees : [...trees].reverse();
  const out = new Map(order.map((t) => [t.name, run(t)]));
  const mine = out.get('this');
  const base = out.get('baseline');
  if (mine && base) {
    if (mine.digest !== base.digest || mine.scored !== base.scored)
      throw new Error(`the trees' results differ: ${mine.digest} / ${base.digest}`);
    ratios.push(mine.seconds / base.seconds);
  }
  console.log(
    `round ${round} (${order.map((t) => t.name).join(' first, ')}), load ${loadavg()[0]?.toFixed(1)}: ${[
      ...out,
    ]
      .map(
        ([n, r]) => `${n} ${r.seconds.toFixed(2)} s = ${((r.seconds * 1e6) / r.scored).toFixed(3)} µs/pair`,
      )
      .join(' | ')}; ${mine?.scored} pairs, digest ${mine?.digest}`,
  );
}
if (baseline)
  console.log(
    `paired CPU ratio this / baseline: median ${median(ratios).toFixed(2)} (${ratios.map((x) => x.toFixed(2)).join(' ')}); results identical`,
  );
