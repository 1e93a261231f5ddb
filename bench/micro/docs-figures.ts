/**
 * The two throughput figures the docs quote without a bench of their own, measured the way they are
 * quoted (docs/reliability.md: CRC-32C MB/s; CONTRIBUTING.md: `at()` against an inline `a[i] ?? 0`
 * in a per-element loop). Runs ROUNDS alternating rounds and prints the median of each.
 *
 * Usage: npx tsx bench/micro/docs-figures.ts
 */
import { crc32c } from '../../src/encoded/checksum.js';
import { at } from '../../src/util/defined.js';

const ROUNDS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;

function time(f: () => number): { ms: number; sink: number } {
  const t = performance.now();
  const sink = f();
  return { ms: performance.now() - t, sink };
}

// CRC-32C over 64 MiB of pseudo-random bytes.
const bytes = new Uint8Array(64 * 1024 * 1024);
for (let i = 0, x = 1; i < bytes.length; i++) {
  x = (Math.imul(x, 1103515245) + 12345) | 0;
  bytes[i] = x >>> 24;
}
const mbps: number[] = [];
crc32c(bytes.subarray(0, 1 << 20)); // warm up
for (let r = 0; r < ROUNDS; r++) mbps.push(bytes.length / 1e6 / (time(() => crc32c(bytes)).ms / 1000));

// Summing a Float64Array of 10^7 numbers, 5 times, with at() and with `?? 0`, alternating.
const xs = Float64Array.from({ length: 10_000_000 }, (_, i) => i % 97);
const viaAt = () => {
  let s = 0;
  for (let k = 0; k < 5; k++) for (let i = 0; i < xs.length; i++) s += at(xs, i);
  return s;
};
const viaInline = () => {
  let s = 0;
  for (let k = 0; k < 5; k++) for (let i = 0; i < xs.length; i++) s += xs[i] ?? 0;
  return s;
};
viaAt();
viaInline();
const ratios: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const a = time(viaAt);
  const b = time(viaInline);
  if (a.sink !== b.sink) throw new Error('the two loops disagree');
  ratios.push(a.ms / b.ms);
}
console.log(
  `CRC-32C: median ${median(mbps).toFixed(0)} MB/s (rounds: ${mbps.map((x) => x.toFixed(0)).join(', ')})`,
);
console.log(
  `at() / inline ?? 0: median time ratio ${median(ratios).toFixed(2)} (rounds: ${ratios.map((x) => x.toFixed(2)).join(', ')})`,
);
