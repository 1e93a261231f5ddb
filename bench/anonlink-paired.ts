/**
 * bloomlink's Dice kernel against anonlink's, side by side: the same random 1024-bit filters
 * (queries × records, threshold 0.8 by default), exhaustive, one thread each, in alternating runs
 * (anonlink first in odd rounds, bloomlink first in even ones). Rates are comparisons per second of
 * CPU time (the machine may be shared); the figure to quote is the median of the per-round ratios.
 * Both sides must find the same pairs (count and checksum, checked before timing).
 *
 * anonlink is built from its source (github.com/data61/anonlink) with Debian's python3 packages:
 *   apt-get install -y python3-dev python3-bitarray python3-numpy python3-mypy-extensions cython3
 *   git clone … anonlink && cd anonlink && python3 setup.py build_ext --inplace && python3 setup.py egg_info
 * (drop `setup_requires=["pytest-runner"]` from setup.py when PyPI is unreachable).
 *
 * Usage: ANONLINK_SRC=/path/to/anonlink [PYTHON=/usr/bin/python3] \
 *   npx tsx bench/anonlink-paired.ts [queries=2000] [records=100000] [rounds=5] [threshold=0.8]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ScanInit, scanQueries } from '../src/block/scan-task.js';
import { createDiceKernel, minAndCounts, popcountWindow } from '../src/kernel/dice.js';
import { DiceKernels, type FilterColumn } from '../src/kernel/filters.js';
import { KernelMemory } from '../src/kernel/memory.js';
import { fillRandom } from './lib/random-filters.js';

const nQ = Number(process.argv[2] ?? 2000);
const nR = Number(process.argv[3] ?? 100_000);
const rounds = Number(process.argv[4] ?? 5);
const THRESHOLD = Number(process.argv[5] ?? 0.8);
const src = process.env.ANONLINK_SRC;
const python = process.env.PYTHON ?? '/usr/bin/python3';
if (!src) {
  console.error('set ANONLINK_SRC to a built anonlink source tree (see the header of this file)');
  process.exit(2);
}
const WORDS = 16;
const BITS = 64 * WORDS;
const BYTES = 8 * WORDS;
const BLOCK = 32;
const CAPACITY = 16_384;

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const memory = KernelMemory.create({
  bytes: (nQ + nR) * (BYTES + 2) + BLOCK * (BITS + 1) * 2 + nR * 6 + (BITS + 1) * 2 + 65536,
  shared: true,
});
function column(n: number, seed: number): FilterColumn {
  const base = memory.alloc(n * BYTES);
  const counts = memory.alloc(n * 2);
  fillRandom(memory.u32(base, n * 2 * WORDS), seed);
  createDiceKernel(memory, WORDS).popcounts(base, BYTES, n, counts);
  return { base, n, words: WORDS, stride: BYTES, counts };
}
const queries = column(nQ, 1);
const records = column(nR, 2);
// Outputs large enough for every record: the checking pass scans each query in one call.
const outIdx = memory.alloc(nR * 4);
const outCnt = memory.alloc(nR * 2);
const init: ScanInit = {
  memory: memory.handle(),
  kind: 'auto',
  queries,
  records,
  threshold: THRESHOLD,
  scratch: {
    blockQueries: BLOCK,
    cmin: memory.alloc(BLOCK * (BITS + 1) * 2),
    outIdx,
    outCnt,
    capacity: CAPACITY,
  },
};
const kernels = new DiceKernels(memory, { kind: 'auto' });
const kernel = kernels.get(WORDS);

/** Pairs found by bloomlink, with the same checksum as the Python side. */
function bloomlinkPairs(): { found: number; checksum: number } {
  const cmin = memory.alloc((BITS + 1) * 2);
  const qc = memory.u16(queries.counts, nQ);
  let found = 0;
  let checksum = 0;
  for (let q = 0; q < nQ; q++) {
    const [lo, hi] = popcountWindow(qc[q]!, THRESHOLD, BITS);
    if (lo > hi) continue;
    minAndCounts(qc[q]!, THRESHOLD, lo, hi, memory.u16(cmin, BITS + 1));
    const n = kernel.scan(
      queries.base + BYTES * q,
      records.base,
      records.counts,
      0,
      nR,
      lo,
      hi,
      cmin,
      outIdx,
      outCnt,
    );
    const idx = memory.u32(outIdx, n);
    for (let k = 0; k < n; k++) checksum = (checksum + q * nR + idx[k]!) % 2 ** 52;
    found += n;
  }
  return { found, checksum };
}

const dir = mkdtempSync(join(tmpdir(), 'bloomlink-anonlink-'));
try {
  const file = join(dir, 'filters.bin');
  writeFileSync(file, memory.u8(queries.base, nQ * BYTES));
  // The two columns are adjacent except for the queries' popcounts in between: write both parts.
  writeFileSync(file, memory.u8(records.base, nR * BYTES), { flag: 'a' });
  const script = fileURLToPath(new URL('anonlink-dice.py', import.meta.url));
  const anonlink = (
    call = false,
  ): { kernel: number; call: number | null; found: number; checksum: number } => {
    const args = [script, src, file, String(nQ), String(nR), String(BYTES), String(THRESHOLD)];
    const r = spawnSync(python, call ? [...args, '--call'] : args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`anonlink run failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const bloomlink = (): { cpu: number; found: number } => {
    const c0 = cpuSeconds();
    const { found } = scanQueries(kernels, init, 0, nQ);
    return { cpu: cpuSeconds() - c0, found };
  };

  const mine = bloomlinkPairs();
  const theirs = anonlink(true);
  console.log(
    `random ${BITS}-bit filters, ${nQ.toLocaleString()} × ${nR.toLocaleString()}, Dice ≥ ${THRESHOLD}, ${kernel.kind} kernel; ` +
      `pairs found: bloomlink ${mine.found} (checksum ${mine.checksum}), anonlink ${theirs.found} (checksum ${theirs.checksum})`,
  );
  if (mine.found !== theirs.found || mine.checksum !== theirs.checksum)
    throw new Error('the two tools found different pairs');
  console.log(
    `anonlink's whole public call (dice_coefficient_accelerated): ${((nQ * nR) / theirs.call! / 1e6).toFixed(1)} M/s CPU`,
  );
  // Warm-up: let the engine tier the kernels up before timing (one short run was not enough).
  for (let t0 = performance.now(), k = 0; k < 3 || performance.now() - t0 < 1000; k++) bloomlink();
  const n = nQ * nR;
  const ratios: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    let a: ReturnType<typeof anonlink>;
    let b: ReturnType<typeof bloomlink>;
    if (round % 2) {
      a = anonlink();
      b = bloomlink();
    } else {
      b = bloomlink();
      a = anonlink();
    }
    if (a.found !== b.found) throw new Error('the two tools found different numbers of pairs');
    const ra = n / a.kernel;
    const rb = n / b.cpu;
    ratios.push(rb / ra);
    console.log(
      `round ${round}: anonlink ${(ra / 1e6).toFixed(1)} M/s, bloomlink ${(rb / 1e6).toFixed(1)} M/s (CPU time), ratio ${(rb / ra).toFixed(2)}; load ${loadavg()[0]!.toFixed(1)}`,
    );
  }
  console.log(
    `median ratio bloomlink / anonlink per core: ${median(ratios).toFixed(2)} over ${rounds} rounds`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
