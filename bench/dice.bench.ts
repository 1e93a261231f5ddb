/**
 * The Dice kernel on random 1024-bit filters, exhaustive, threshold 0.8 (anonlink's benchmark
 * setting): comparisons per second for each kernel kind on one thread, then on worker threads over
 * one shared memory. Also the gather used by blocked scoring (256-bit filters, as the default
 * schema). Prints wall-clock rates and CPU-time rates (the machine may be shared).
 * Usage: npx tsx bench/dice.bench.ts [queries=2000] [records=100000] [threads=all]
 */
import { availableParallelism } from 'node:os';
import { type ScanInit, type ScanResult, scanQueries, type scanRole } from '../src/block/scan-task.js';
import { createDiceKernel, type DiceKernelKind } from '../src/kernel/dice.js';
import { DiceKernels, type FilterColumn } from '../src/kernel/filters.js';
import { KernelMemory } from '../src/kernel/memory.js';
import { WORKER_FILE, WorkerEntry } from '../src/parallel/entry.node.js';
import { fillRandom } from './lib/random-filters.js';

const WORKERS = new WorkerEntry<{ readonly scan: typeof scanRole }>(WORKER_FILE);

const nQ = Number(process.argv[2] ?? 2000);
const nR = Number(process.argv[3] ?? 100_000);
const threads = Number(process.argv[4] ?? availableParallelism());
const BITS = 1024;
const WORDS = BITS / 64;
const THRESHOLD = 0.8;
const CAPACITY = 16_384;

const fmt = (x: number) => `${(x / 1e6).toFixed(1)} M/s`;
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function column(mem: KernelMemory, n: number, seed: number): FilterColumn {
  const base = mem.alloc(n * 8 * WORDS);
  const counts = mem.alloc(n * 2);
  fillRandom(mem.u32(base, n * 2 * WORDS), seed);
  createDiceKernel(mem, WORDS).popcounts(base, 8 * WORDS, n, counts);
  return { base, n, words: WORDS, stride: 8 * WORDS, counts };
}

const memory = KernelMemory.create({
  bytes: (nQ + nR) * (8 * WORDS + 2) + (threads + 1) * (CAPACITY * 6 + 32 * (BITS + 1) * 2 + 64) + 65536,
  shared: true,
});
const queries = column(memory, nQ, 1);
const records = column(memory, nR, 2);
const BLOCK = 32;
const scratch = () => ({
  blockQueries: BLOCK,
  cmin: memory.alloc(BLOCK * (BITS + 1) * 2),
  outIdx: memory.alloc(CAPACITY * 4),
  outCnt: memory.alloc(CAPACITY * 2),
  capacity: CAPACITY,
});
const mainScratch = scratch();
const workerScratch = Array.from({ length: threads }, scratch);

console.log(
  `random ${BITS}-bit filters, ${nQ.toLocaleString()} × ${nR.toLocaleString()}, Dice ≥ ${THRESHOLD}`,
);
for (const kind of ['wasm', 'wasm-simd', 'js'] as DiceKernelKind[]) {
  const q = kind === 'js' ? Math.max(1, Math.floor(nQ / 10)) : nQ;
  const init: ScanInit = {
    memory: memory.handle(),
    kind,
    queries,
    records,
    threshold: THRESHOLD,
    scratch: mainScratch,
  };
  const kernels = new DiceKernels(memory, { kind });
  scanQueries(kernels, init, 0, Math.min(q, 20)); // warm-up (tier-up)
  const c0 = cpuSeconds();
  const t0 = performance.now();
  const r = scanQueries(kernels, init, 0, q);
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - c0;
  const n = q * nR;
  console.log(
    `  1 thread, ${kind.padEnd(9)}: ${fmt(n / wall)} (CPU time: ${fmt(n / cpu)}); ${r.found} pairs found, ${r.compared.toLocaleString()} compared after pruning`,
  );
}

{
  const pool = await WORKERS.start('scan', threads, (t) => ({
    memory: memory.handle(),
    kind: 'auto',
    queries,
    records,
    threshold: THRESHOLD,
    scratch: workerScratch[t]!,
  }));
  try {
    const size = Math.max(1, Math.floor(nQ / (threads * 16)));
    const warm = await pool.run({ from: 0, to: Math.min(nQ, 10) });
    void warm;
    const c0 = cpuSeconds(); // all threads of the process, workers included
    const t0 = performance.now();
    const tasks: Promise<ScanResult>[] = [];
    for (let from = 0; from < nQ; from += size) tasks.push(pool.run({ from, to: Math.min(nQ, from + size) }));
    const results = await Promise.all(tasks);
    const wall = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds() - c0;
    const found = results.reduce((a, r) => a + r.found, 0);
    console.log(
      `  ${threads} worker threads, auto   : ${fmt((nQ * nR) / wall)} (CPU time: ${fmt((nQ * nR) / cpu)} per core); ${found} pairs found`,
    );
  } finally {
    await pool.close();
  }
}

// The gather of blocked scoring: one query against scattered candidates, 256-bit filters.
{
  const words = 4;
  const mem = KernelMemory.create({ bytes: nR * 34 + 4096 * 8 + 65536 });
  const base = mem.alloc(nR * 8 * words);
  fillRandom(mem.u32(base, nR * 2 * words), 3);
  const idx = mem.alloc(4096 * 4);
  const out = mem.alloc(4096 * 2);
  const ids = mem.u32(idx, 4096);
  for (let x = 0; x < 4096; x++) ids[x] = (x * 2654435761) % nR;
  for (const kind of ['wasm', 'js'] as DiceKernelKind[]) {
    const k = createDiceKernel(mem, words, { kind });
    const reps = kind === 'js' ? 200 : 2000;
    k.andCounts(base, base, 8 * words, idx, 4096, out);
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) k.andCounts(base + 32 * (r % 64), base, 8 * words, idx, 4096, out);
    const wall = (performance.now() - t0) / 1000;
    console.log(`  gather (blocked scoring, 256-bit), ${kind.padEnd(4)}: ${fmt((reps * 4096) / wall)} pairs`);
  }
}
