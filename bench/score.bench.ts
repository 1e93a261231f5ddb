/**
 * The phases of blocked matching on one thread, timed one by one on an encoded pair of files and a
 * saved model (no training): reading both files, the row store, the pass indexes, then candidate
 * generation alone and candidate generation + scoring (levels, weights, histogram, kept pairs).
 * Prints CPU time (the machine may be shared) and µs of CPU per candidate pair, and a digest of the
 * kept pairs and histogram so two builds can be checked for identical results. The model is one a
 * match saved (`bloomlink match … --model model.json` writes the trained model when the file is new).
 * Usage: npx tsx bench/score.bench.ts COC.arrow MCP.arrow MODEL.json [repeats=1]
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { CandidateGenerator } from '../src/block/blocking.js';
import { readEncodedShared } from '../src/encoded/read-shared.js';
import { KEEP_WEIGHT } from '../src/match/match.js';
import { parseModel } from '../src/model/model.js';
import { buildBatchScoring, Scorer, scoreRange } from '../src/model/score.js';
import { fileBytes } from '../src/read/source.node.js';

const [cocPath, mcpPath, modelPath] = process.argv.slice(2);
const repeats = Number(process.argv[5] ?? 1);
if (!cocPath || !mcpPath || !modelPath) throw new Error('usage: score.bench.ts COC MCP MODEL [repeats]');

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const sys = () => process.cpuUsage().system / 1e6;
async function timed<T>(label: string, f: () => T | Promise<T>): Promise<T> {
  const c0 = cpu();
  const s0 = sys();
  const t0 = performance.now();
  const r = await f();
  console.log(
    `${label.padEnd(24)} ${(cpu() - c0).toFixed(2).padStart(6)} s CPU (${(sys() - s0).toFixed(2)} s system) ${((performance.now() - t0) / 1e3).toFixed(2).padStart(6)} s wall`,
  );
  return r;
}

const read = (path: string, blocks: boolean) =>
  readEncodedShared(fileBytes(path), basename(path), { blocks, sizeHint: statSync(path).size });
const coc = (await timed('read CoC', () => read(cocPath, true))).batch;
const mcp = (await timed('read plan', () => read(mcpPath, false))).batch;
const model = parseModel(JSON.parse(readFileSync(modelPath, 'utf8')));
const specs = model.comparisons.map((c) => c.spec);
const batch = await timed('row store', () => buildBatchScoring(specs, coc, mcp));
const scorer = await timed('scorer (TF tables)', () => new Scorer(model, coc, mcp, batch));
const gen = await timed('pass indexes', () => new CandidateGenerator(coc, mcp));
const pairs = await timed('candidates only', () => {
  let n = 0;
  for (let i = 0; i < coc.length; i++) n += gen.candidates(i, false).count;
  return n;
});
let best = Number.POSITIVE_INFINITY;
for (let r = 0; r < repeats; r++) {
  const c0 = cpu();
  const res = await timed('candidates + scoring', () => scoreRange(gen, scorer, 0, coc.length, KEEP_WEIGHT));
  const c = cpu() - c0;
  best = Math.min(best, c);
  const h = createHash('sha256');
  for (const a of [res.left, res.right, res.weight, res.hist])
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  console.log(
    `pairs ${pairs}, scored ${res.scored}, kept ${res.left.length}: ${((c * 1e6) / pairs).toFixed(3)} µs CPU/pair (generation + scoring); digest ${h.digest('hex').slice(0, 16)}`,
  );
}
console.log(`best of ${repeats}: ${((best * 1e6) / pairs).toFixed(3)} µs CPU/pair`);
