/**
 * The serial tail of a whole-file match, alone: one-to-one assignment, thresholds, the ambiguity
 * rule, explanations, the expected-quality estimate (`assembleMatch`), then the links and review
 * files' lines — what the main thread does after the workers have scored (issue #16). The two
 * encoded files are read as `bloomlink match` reads them; the model and the scored pairs are
 * computed once on this thread and cached under .bench-cache (scoring 10⁵ × 3·10⁶ takes minutes),
 * then the tail runs `runs` times, alternating with a second source tree when `--baseline` names
 * one (e.g. /work/base9/src), for paired ratios. The outputs of every run must be identical (the
 * run stops otherwise).
 *
 * Usage:
 *   nice -n 10 node --expose-gc --import tsx bench/tail.bench.ts [runs=5] [--baseline OTHER/src] \
 *     [--coc FILE --mcp FILE]
 * (defaults: the 10⁵ × 3·10⁶ no-SSN files of .bench-cache, see docs/scaling.md).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { PassStats } from '../src/block/blocking.js';
import { readEncodedShared } from '../src/encoded/read-shared.js';
import { type MatchResult, matchModel, type ScoredCandidates, scoreCandidates } from '../src/match/match.js';
import { modelToJson, parseModel } from '../src/model/model.js';
import { linksFileLines, reviewFileLines } from '../src/output/links-write.js';
import { fileBytesShared } from '../src/read/source.node.js';
import { BENCH_CACHE, pairedArgs } from './lib/paired-args.js';

const { baseline, runs, cocPath, mcpPath } = pairedArgs(5);
const cache = BENCH_CACHE;

const read = async (path: string, blocks: boolean) =>
  readEncodedShared(await fileBytesShared(path), basename(path), { blocks, sizeHint: statSync(path).size });
let t = performance.now();
const coc = await read(cocPath, true);
const mcp = await read(mcpPath, false);
console.error(`read: ${((performance.now() - t) / 1000).toFixed(1)} s`);

// The model and the scored pairs, cached beside the inputs (keyed by their names and sizes).
const key = createHash('sha256')
  .update(`${basename(cocPath)}:${coc.batch.length}:${basename(mcpPath)}:${mcp.batch.length}`)
  .digest('hex')
  .slice(0, 12);
const modelFile = join(cache, `tail-${key}-model.json`);
const pairsFile = join(cache, `tail-${key}-pairs.bin`);
const statsFile = join(cache, `tail-${key}-stats.json`);
const options = { meta: coc.meta, assignment: 'greedy' as const, thresholds: {} };
let scored: ScoredCandidates;
let model: ReturnType<typeof parseModel>;
if (existsSync(modelFile) && existsSync(pairsFile) && existsSync(statsFile)) {
  model = parseModel(JSON.parse(readFileSync(modelFile, 'utf8')));
  const bin = readFileSync(pairsFile);
  const n = bin.length / 16;
  const buf = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length);
  const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as {
    hist: number[];
    scored: number;
    passes: PassStats[];
  };
  scored = {
    pairs: {
      left: new Uint32Array(buf, 0, n),
      right: new Uint32Array(buf, 4 * n, n),
      weight: new Float64Array(buf, 8 * n, n),
    },
    ...stats,
  };
} else {
  t = performance.now();
  model = matchModel(coc.batch, mcp.batch, options);
  console.error(`train: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  scored = scoreCandidates(coc.batch, mcp.batch, model, options);
  console.error(`score: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  writeFileSync(modelFile, modelToJson(model));
  const n = scored.pairs.left.length;
  const bin = new Uint8Array(16 * n);
  bin.set(new Uint8Array(scored.pairs.left.buffer, scored.pairs.left.byteOffset, 4 * n), 0);
  bin.set(new Uint8Array(scored.pairs.right.buffer, scored.pairs.right.byteOffset, 4 * n), 4 * n);
  bin.set(new Uint8Array(scored.pairs.weight.buffer, scored.pairs.weight.byteOffset, 8 * n), 8 * n);
  writeFileSync(pairsFile, bin);
  writeFileSync(
    statsFile,
    JSON.stringify({ hist: scored.hist, scored: scored.scored, passes: scored.passes }),
  );
}
console.error(
  `kept pairs: ${scored.pairs.left.length}, CoC ${coc.batch.length}, plan ${mcp.batch.length} records`,
);

interface Variant {
  readonly name: string;
  readonly assemble: typeof import('../src/match/match.js')['assembleMatch'];
  readonly links: typeof linksFileLines;
  readonly review: typeof reviewFileLines;
}
const variants: Variant[] = [
  {
    name: 'this tree',
    assemble: (await import('../src/match/match.js')).assembleMatch,
    links: linksFileLines,
    review: reviewFileLines,
  },
];
if (baseline) {
  const b = resolve(baseline);
  const out = await import(join(b, 'output/links-write.ts'));
  variants.push({
    name: `baseline ${b}`,
    assemble: (await import(join(b, 'match/match.ts'))).assembleMatch,
    links: out.linksFileLines,
    review: out.reviewFileLines,
  });
}

// One untimed run of each first: the term-frequency tables of each tree's scorer (counted once per
// process over the plan's 3·10⁶ values; the CLI's training has counted them before the tail) and
// the JIT's warm-up.
for (const v of variants) v.assemble(coc.batch, mcp.batch, model, scored, options);
const gc = (globalThis as { gc?: () => void }).gc;
const times = new Map(variants.map((v) => [v.name, { assemble: [] as number[], lines: [] as number[] }]));
let digest: string | undefined;
const loads: number[] = [];
for (let r = 0; r < runs; r++) {
  for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
    gc?.();
    loads.push(loadavg()[0] ?? 0);
    const cpu0 = process.cpuUsage();
    const result: MatchResult = v.assemble(coc.batch, mcp.batch, model, scored, options);
    const cpu1 = process.cpuUsage(cpu0);
    const h = createHash('sha256');
    const cpu2 = process.cpuUsage();
    for (const line of v.links(result)) h.update(line);
    for (const line of v.review(result)) h.update(line);
    const cpu3 = process.cpuUsage(cpu2);
    h.update(JSON.stringify({ ...result, model: undefined, blocking: undefined }));
    const d = h.digest('hex');
    if (digest === undefined) digest = d;
    else if (d !== digest) throw new Error(`${v.name}: outputs differ from the first run's`);
    const s = times.get(v.name);
    s?.assemble.push((cpu1.user + cpu1.system) / 1e6);
    s?.lines.push((cpu3.user + cpu3.system) / 1e6);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
for (const v of variants) {
  const s = times.get(v.name);
  if (!s) continue;
  console.log(
    `${v.name}: assembleMatch ${median(s.assemble).toFixed(3)} s CPU (runs ${s.assemble.map((x) => x.toFixed(2)).join(' ')}), ` +
      `links + review lines ${median(s.lines).toFixed(3)} s`,
  );
}
if (variants.length === 2) {
  const [a, b] = variants.map((v) => times.get(v.name)?.assemble ?? []);
  const ratios = (a ?? []).map((x, i) => (b?.[i] ?? Number.NaN) / x);
  console.log(
    `paired ratio baseline / this (assembleMatch): median ${median(ratios).toFixed(2)}× (${ratios.map((x) => x.toFixed(2)).join(' ')})`,
  );
}
console.log(
  `outputs identical across runs (sha256 ${digest?.slice(0, 16)}…); load ${median(loads).toFixed(1)}`,
);
