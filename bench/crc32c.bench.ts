/**
 * CRC-32C kernels side by side (issue #16): the WebAssembly kernel (`crc32cWasm`) and the JS
 * slice-by-16 one (`crc32cJs`, its fallback and oracle), alternating which goes first each round,
 * on the same bytes; prints each one's GB/s of CPU time (`process.cpuUsage`: this thread only does
 * the work) per input size, the medians and the median paired ratio. Every result is compared.
 *
 * `--file PATH` adds the first pass over a freshly read file (`fileBytesShared`, as `match` reads
 * the plan): each round reads the file twice into new shared memory and runs one kernel over each
 * copy, so both pay the first touch of the pages (docs/scaling.md, "Reading the plan file").
 *
 * `--digest PATH --baseline OTHER/src` times the manifest's SHA-256 of a file (`digestFile` of
 * src/cli/manifest.ts) in this tree and in OTHER's, alternating, CPU of the process (user, sys).
 *
 * Usage:
 *   nice -n 10 npx tsx bench/crc32c.bench.ts [rounds=5] [--mib 256] [--file PATH]
 *     [--digest PATH --baseline OTHER/src]
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { digestFile } from '../src/cli/manifest.js';
import { crc32cJs, crc32cWasm, crc32cWasmAvailable } from '../src/kernel/crc32c.js';
import { fileBytesShared } from '../src/read/source.node.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    mib: { type: 'string', default: '256' },
    file: { type: 'string' },
    digest: { type: 'string' },
    baseline: { type: 'string' },
  },
});
const rounds = Number(positionals[0] ?? 5);
const total = Number(values.mib) * 2 ** 20;
if (!crc32cWasmAvailable()) throw new Error('WebAssembly kernel not available');

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const median = (a: readonly number[]) => [...a].sort((x, y) => x - y)[a.length >> 1] ?? Number.NaN;

const data = new Uint8Array(total + 3);
let x = 0x9e3779b9;
for (let i = 0; i < data.length; i++) {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  data[i] = x & 0xff;
}

type Kernel = (bytes: Uint8Array, crc?: number) => number;
const kernels: [string, Kernel][] = [
  ['wasm', crc32cWasm],
  ['js', crc32cJs],
];

/** CRC of `total` bytes taken `size` bytes a call (offset 3: unaligned), CPU seconds and the CRC. */
const timed = (k: Kernel, size: number): [number, number] => {
  const s = cpu();
  let c = 0;
  for (let at = 3; at + size <= data.length; at += size) c = k(data.subarray(at, at + size), c);
  return [cpu() - s, c];
};

console.log(
  `load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; ${values.mib} MiB per run, ${rounds} rounds`,
);
for (const size of [16, 64, 256, 1024, 65536, 2 ** 24].filter((n) => n <= total)) {
  const secs: Record<string, number[]> = { wasm: [], js: [] };
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? kernels : [...kernels].reverse();
    const got: Record<string, [number, number]> = {};
    for (const [name, k] of order) got[name] = timed(k, size);
    const [w, cw] = got.wasm as [number, number];
    const [j, cj] = got.js as [number, number];
    if (cw !== cj) throw new Error(`different CRCs at ${size} bytes a call`);
    secs.wasm?.push(w);
    secs.js?.push(j);
    ratios.push(j / w);
  }
  const gbs = (a: number[]) => (total / 1e9 / median(a)).toFixed(2);
  console.log(
    `${String(size).padStart(8)} B/call: wasm ${gbs(secs.wasm ?? [])} GB/s, js ${gbs(secs.js ?? [])} GB/s, ` +
      `js/wasm time ${median(ratios).toFixed(2)} (rounds ${ratios.map((q) => q.toFixed(2)).join(' ')})`,
  );
}

if (values.file) {
  const ratios: number[] = [];
  const secs: Record<string, number[]> = { wasm: [], js: [] };
  let size = 0;
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? kernels : [...kernels].reverse();
    const crcs: number[] = [];
    const got: Record<string, number> = {};
    for (const [name, k] of order) {
      const bytes = await fileBytesShared(values.file);
      size = bytes.length;
      const s = cpu();
      crcs.push(k(bytes));
      got[name] = cpu() - s;
      secs[name]?.push(got[name] ?? 0);
    }
    if (crcs[0] !== crcs[1]) throw new Error('different CRCs of the file');
    ratios.push((got.js ?? 0) / (got.wasm ?? 1));
  }
  console.log(
    `first pass over a freshly read ${(size / 1e9).toFixed(2)} GB file: wasm ${median(secs.wasm ?? []).toFixed(2)} s, ` +
      `js ${median(secs.js ?? []).toFixed(2)} s CPU, js/wasm ${median(ratios).toFixed(2)} ` +
      `(rounds ${ratios.map((q) => q.toFixed(2)).join(' ')})`,
  );
}
if (values.digest && values.baseline) {
  const path = values.digest;
  type Digest = typeof digestFile;
  const other: Digest = (await import(join(resolve(values.baseline), 'cli/manifest.ts'))).digestFile;
  const trees: [string, Digest][] = [
    ['this', digestFile],
    ['baseline', other],
  ];
  const rows: Record<string, [number, number][]> = { this: [], baseline: [] };
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const got: Record<string, number> = {};
    const sums: string[] = [];
    for (const [name, d] of r % 2 === 0 ? trees : [...trees].reverse()) {
      const u = process.cpuUsage();
      sums.push((await d(path)).sha256);
      const c = process.cpuUsage(u);
      rows[name]?.push([c.user / 1e6, c.system / 1e6]);
      got[name] = (c.user + c.system) / 1e6;
    }
    if (sums[0] !== sums[1]) throw new Error('different digests');
    ratios.push((got.this ?? 0) / (got.baseline ?? 1));
  }
  const show = (a: [number, number][]) => a.map(([u, s]) => `${u.toFixed(2)}+${s.toFixed(2)}`).join(' ');
  console.log(
    `digestFile CPU (user+sys s): this ${show(rows.this ?? [])}; baseline ${show(rows.baseline ?? [])}; ` +
      `median this/baseline ${median(ratios).toFixed(2)}`,
  );
}
console.log(
  `load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
