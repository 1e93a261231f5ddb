/**
 * `npm run bench:micro [-- dice csv hmac] [--time=ms]`: micro-benchmarks on tinybench — the Dice
 * kernel, CSV parsing, the HMAC kernel — each task timed for `time` ms (default 1000) after a
 * warm-up, printed with its mean per call, relative margin of error, p99, items per second and
 * the ratios between implementations doing the same work. Measurements, not tests: they never
 * fail on a number (a suite does fail when its implementations disagree on a result). The
 * whole-process benchmarks (`npm run bench`) measure end-to-end throughput instead.
 */
import { Bench } from 'tinybench';
import { csvSuite } from './micro/csv.js';
import { diceSuite } from './micro/dice.js';
import { hmacSuite } from './micro/hmac.js';
import type { MicroSuite } from './micro/suite.js';

const SUITES: Record<string, () => MicroSuite> = { dice: diceSuite, csv: csvSuite, hmac: hmacSuite };

const args = process.argv.slice(2);
const timeArg = args.find((a) => a.startsWith('--time='));
const time = timeArg ? Number(timeArg.slice('--time='.length)) : 1000;
const wanted = args.filter((a) => !a.startsWith('--'));
const unknown = wanted.filter((n) => !(n in SUITES));
if (unknown.length > 0 || !(time > 0)) {
  console.error(`usage: bench/micro.bench.ts [${Object.keys(SUITES).join(' ')}] [--time=ms]`);
  process.exit(2);
}

const rate = (x: number) =>
  x >= 1e9
    ? `${(x / 1e9).toFixed(2)} G`
    : x >= 1e6
      ? `${(x / 1e6).toFixed(2)} M`
      : `${(x / 1e3).toFixed(1)} k`;
const micros = (ms: number) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`);

for (const name of wanted.length > 0 ? wanted : Object.keys(SUITES)) {
  const suite = SUITES[name]!();
  console.log(`\n### ${suite.name}: ${suite.what}`);
  const bench = new Bench({ name: suite.name, time, warmupTime: Math.min(250, time) });
  for (const t of suite.tasks) bench.add(t.name, t.fn);
  await bench.run();
  const perSecond = new Map<string, number>();
  const width = Math.max(...suite.tasks.map((t) => t.name.length));
  console.log(
    `${'task'.padEnd(width)}  ${'mean/call'.padStart(10)}  ${'±rme'.padStart(7)}  ${'p99'.padStart(10)}  rate  (samples)`,
  );
  for (const t of suite.tasks) {
    const r = bench.getTask(t.name)?.result;
    if (r?.state !== 'completed') {
      console.log(
        `${t.name.padEnd(width)}  ${r?.state ?? 'not run'}${r?.state === 'errored' ? `: ${r.error.message}` : ''}`,
      );
      process.exitCode = 1;
      continue;
    }
    const items = (t.items * 1000) / r.latency.mean;
    perSecond.set(t.name, items);
    console.log(
      `${t.name.padEnd(width)}  ${micros(r.latency.mean).padStart(10)}  ${`${r.latency.rme.toFixed(1)}%`.padStart(7)}  ${micros(r.latency.p99).padStart(10)}  ${rate(items).padStart(8)} ${t.unit ?? suite.unit}/s  (${r.latency.samplesCount})`,
    );
  }
  for (const { faster, than } of suite.ratios) {
    const a = perSecond.get(faster);
    const b = perSecond.get(than);
    if (a !== undefined && b !== undefined) console.log(`  ${faster} / ${than}: ${(a / b).toFixed(2)}×`);
  }
}
