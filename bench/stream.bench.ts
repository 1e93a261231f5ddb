/**
 * Matching with the plan side streamed (issue #16, `matchStreaming`): wall time, CPU time, peak
 * resident memory and candidate pairs of one match, in this process, on encoded files made with the
 * CLI (`bloomlink synth`, `bloomlink encode`). The model comes from `--model FILE` when it exists;
 * otherwise it is trained on the CoC list against the first `--train-records` plan records (default
 * 10⁶: the whole plan does not fit in memory at state scale), saved there, and the bench exits; run
 * it again to match. A whole-file
 * run (`bloomlink match --model FILE`, or `--whole` here) scores with the same model. Prints one
 * JSON line: figures, and SHA-256 digests of the links and review files' lines (compare with
 * `sha256sum links.csv` of the CLI run: the bytes are the same).
 *
 * `--train`: no model; the model is trained on the streamed plan (two more readings of the file, four in all),
 * as `bloomlink match` without `--model` trains it on the whole file; the JSON line then has the
 * SHA-256 of the model file the CLI would save (`modelSha256`, compare with `sha256sum model.json`).
 *
 * Usage: npx tsx bench/stream.bench.ts --dir DIR [--coc coc.arrow] [--mcp mcp.arrow]
 *   [--model model.json] [--train-records N] [--chunk N] [--threads N] [--whole] [--prefix N] [--train]
 * `--threads N` scores the chunks on N worker threads (`scoreChunksOnThreads`; CPU time then counts
 * every thread of the process); without it, on this thread as `matchStreaming` does by default.
 * `--prefix N` writes DIR/mcp-N.arrow (the first N plan records) and exits: growth is measured by
 * running the bench on prefixes, each in its own process.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { EncodedBatch } from '../src/encoded/batch.js';
import { concatBatches } from '../src/encoded/concat.js';
import { openEncoded, readEncoded, writeEncoded } from '../src/encoded/file.js';
import { sliceBatch } from '../src/encoded/slice.js';
import { type MatchResult, matchBatches, matchModel } from '../src/match/match.js';
import { matchStreaming } from '../src/match/stream.js';
import { scoreChunksOnThreads } from '../src/match/stream.node.js';
import { modelToJson, parseModel } from '../src/model/model.js';
import { linksFileLines, reviewFileLines } from '../src/output/links-write.js';
import { fileBytes } from '../src/read/source.node.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    coc: { type: 'string', default: 'coc.arrow' },
    mcp: { type: 'string', default: 'mcp.arrow' },
    model: { type: 'string', default: 'model.json' },
    'train-records': { type: 'string', default: '1000000' },
    chunk: { type: 'string' },
    threads: { type: 'string' },
    whole: { type: 'boolean', default: false },
    prefix: { type: 'string' },
    train: { type: 'boolean', default: false },
  },
});
if (!values.dir) throw new Error('--dir DIR is required');
const dir = values.dir;
const cocPath = join(dir, values.coc);
const mcpPath = join(dir, values.mcp);

/** The first `n` plan records (whole batches, then a slice). */
async function planHead(
  n: number,
): Promise<{ batch: EncodedBatch; meta: Awaited<ReturnType<typeof openEncoded>>['meta'] }> {
  const f = await openEncoded(fileBytes(mcpPath), values.mcp);
  const parts: EncodedBatch[] = [];
  let have = 0;
  for await (const b of f.batches) {
    parts.push(have + b.length > n ? sliceBatch(b, 0, n - have) : b);
    have += parts.at(-1)?.length ?? 0;
    if (have >= n) break;
  }
  return { batch: concatBatches(parts), meta: f.meta };
}

if (values.prefix) {
  const n = Number(values.prefix);
  const { batch, meta } = await planHead(n);
  const out: Uint8Array[] = [];
  const path = join(dir, `mcp-${n}.arrow`);
  // Record batches of the encoder's size (16,384), as `bloomlink encode` writes them.
  const batches: EncodedBatch[] = [];
  for (let from = 0; from < batch.length; from += 16_384)
    batches.push(sliceBatch(batch, from, Math.min(batch.length, from + 16_384)));
  await writeEncoded('arrow', meta, batches, (c) => {
    out.push(c.slice());
  });
  writeFileSync(path, Buffer.concat(out), { mode: 0o600 });
  console.log(`wrote ${path}: ${batch.length} records`);
  process.exit(0);
}

const coc = await readEncoded(fileBytes(cocPath), values.coc);
const modelPath = join(dir, values.model);
if (!values.train && !existsSync(modelPath)) {
  const t = performance.now();
  const head = await planHead(Number(values['train-records']));
  const model = matchModel(coc.batch, head.batch, { meta: coc.meta });
  writeFileSync(modelPath, modelToJson(model));
  const trainSeconds = (performance.now() - t) / 1000;
  // Measured runs start from a saved model: training's memory would count in this one's peak.
  console.log(
    `trained on ${head.batch.length} plan records in ${trainSeconds.toFixed(1)} s: ${modelPath}; run again to match`,
  );
  process.exit(0);
}
const model = values.train ? undefined : parseModel(JSON.parse(readFileSync(modelPath, 'utf8')));

const cpu0 = process.cpuUsage();
const t0 = performance.now();
let result: MatchResult;
if (values.whole) {
  const mcp = await readEncoded(fileBytes(mcpPath), values.mcp);
  result = matchBatches(coc.batch, mcp.batch, { ...(model ? { model } : {}), meta: coc.meta });
} else {
  result = await matchStreaming(coc.batch, () => fileBytes(mcpPath), {
    ...(model ? { model } : {}),
    meta: coc.meta,
    label: values.mcp,
    ...(values.chunk ? { chunkRecords: Number(values.chunk) } : {}),
    ...(values.threads ? { scoreChunks: scoreChunksOnThreads(Number(values.threads)) } : {}),
  });
}
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const digest = (lines: Iterable<string>) =>
  createHash('sha256')
    .update([...lines].join(''))
    .digest('hex');
const c = result.counts;
console.log(
  JSON.stringify({
    mode: `${values.whole ? 'whole' : 'stream'}${values.train ? ', trained' : ''}`,
    threads: values.whole ? 1 : Number(values.threads ?? 0),
    cocRecords: c.cocRecords,
    mcpRecords: c.mcpRecords,
    mcpFileMiB: Math.round(statSync(mcpPath).size / 2 ** 20),
    candidatePairs: c.candidatePairs,
    links: result.links.length,
    wallSeconds: Number(wall.toFixed(1)),
    cpuSeconds: Number(cpuSeconds.toFixed(1)),
    cpuMicrosPerPair: Number(((cpuSeconds * 1e6) / Math.max(1, c.candidatePairs)).toFixed(3)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    linksSha256: digest(linksFileLines(result)),
    reviewSha256: digest(reviewFileLines(result)),
    ...(values.train
      ? { modelSha256: digest([modelToJson({ ...result.model, thresholds: result.thresholds })]) }
      : {}),
  }),
);
