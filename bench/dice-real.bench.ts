/**
 * The Dice kernel on real filters: exhaustive candidate generation (`match --no-blocking`, the
 * concatenated first- and last-name filters of the default schema, 512 bits) over the generator's
 * CoC/plan lists, one thread, at several thresholds. Real names are far less alike than the
 * threshold for most pairs, so the scan's early exit prunes more than on random filters. Prints
 * comparisons (pairs inside the popcount window, i.e. the kernel's work) per second of CPU time.
 * Usage: npx tsx bench/dice-real.bench.ts [clients=10000] [members=100000] [thresholds=0.7,0.8]
 */
import { ExhaustiveGenerator, exhaustiveBytes, layoutExhaustive } from '../src/block/blocking.js';
import { popcountWindow } from '../src/kernel/dice.js';
import { DiceKernels } from '../src/kernel/filters.js';
import { KernelMemory } from '../src/kernel/memory.js';
import { synthSet } from './lib/scale.js';

const clients = Number(process.argv[2] ?? 10_000);
const members = Number(process.argv[3] ?? 100_000);
const thresholds = (process.argv[4] ?? '0.7,0.8').split(',').map(Number);

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const s = await synthSet({ clients, members });
const memory = KernelMemory.create({ bytes: exhaustiveBytes(s.coc, s.mcp, 1) * thresholds.length });
const kernels = new DiceKernels(memory);
console.log(
  `generated lists, ${s.coc.length.toLocaleString()} × ${s.mcp.length.toLocaleString()}, one thread`,
);
for (const threshold of thresholds) {
  const layout = layoutExhaustive(s.coc, s.mcp, kernels, 1, { threshold });
  const gen = new ExhaustiveGenerator(kernels, layout, 0);
  const counts = memory.u16(layout.left.counts, layout.left.n);
  const first = memory.u32(layout.firstWithCount, layout.bits + 2);
  let compared = 0;
  for (let i = 0; i < layout.left.n; i++) {
    const [lo, hi] = popcountWindow(counts[i] ?? 0, threshold, layout.bits);
    if (lo <= hi) compared += (first[hi + 1] ?? 0) - (first[lo] ?? 0);
  }
  for (let i = 0; i < Math.min(layout.left.n, 500); i++) gen.candidates(i, false); // warm-up
  let pairs = 0;
  const c0 = cpuSeconds();
  for (let i = 0; i < layout.left.n; i++) pairs += gen.candidates(i, false).count;
  const cpu = cpuSeconds() - c0;
  console.log(
    `  Dice ≥ ${threshold}: ${(compared / cpu / 1e6).toFixed(1)} M comparisons/s (CPU time), ${compared.toLocaleString()} compared (of ${(layout.left.n * layout.right.n).toLocaleString()} pairs), ${pairs.toLocaleString()} found, ${layout.bits}-bit filters`,
  );
}
