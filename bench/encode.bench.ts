/**
 * Encoding speed with the default schema on generated plan members (validated first): the encoder
 * alone on one thread and on all threads, each thread holding its share of the records (batches of
 * 16,384 as the pipeline makes them), then the whole CSV → validate → encode pipeline from bytes on
 * one thread and on worker threads (which read their pieces of the file themselves). Prints
 * wall-clock rates.
 * Usage: npx tsx bench/encode.bench.ts [records=1000000] [threads=all]
 */
import { availableParallelism } from 'node:os';
import { ENCODE_WORKER_LIMITS, encodeParallel } from '../src/encode/encode.node.js';
import { packPersons } from '../src/encode/encode-task.js';
import type { PersonToEncode } from '../src/encode/encoder.js';
import { parseKey } from '../src/encode/key.js';
import { encodeList, personToEncode } from '../src/encode/pipeline.js';
import { collect, readMembers } from '../src/read/reader.js';
import { synthesize } from '../src/synth/index.js';
import { CSV_EOL, formatCsvRow } from '../src/util/csv-write.js';

const n = Number(process.argv[2] ?? 1_000_000);
const threads = Number(process.argv[3] ?? availableParallelism());
const data = synthesize({ seed: 11, clients: 10, members: n });
const cols = data.columns.members;
const lines = [formatCsvRow(cols)];
for (const row of data.rows('members')) lines.push(formatCsvRow(row));
const csv = new TextEncoder().encode(lines.join(CSV_EOL) + CSV_EOL);
lines.length = 0;
const { records } = await collect(readMembers(csv, { today: '2026-01-01' }));
const persons: PersonToEncode[] = records.map((r) => personToEncode(r, r.memberId));
const key = parseKey('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
const rate = (count: number, ms: number) => Math.round(count / (ms / 1000)).toLocaleString('en-US');

/**
 * Encoder throughput on `t` threads: each bench worker (with the heap settings of the encoding
 * workers) gets its share of the persons before the clock starts (as it would have them after
 * reading), then all encode at once.
 */
async function encoderOnCores(t: number): Promise<{ ms: number; cpuMs: number }> {
  const { Worker } = await import('node:worker_threads');
  const { createRequire } = await import('node:module');
  const { pathToFileURL } = await import('node:url');
  const tsx = createRequire(import.meta.url).resolve('tsx/package.json');
  const api = pathToFileURL(tsx.replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  const target = new URL('./lib/encode-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  const workers = Array.from(
    { length: t },
    () => new Worker(code, { eval: true, resourceLimits: ENCODE_WORKER_LIMITS }),
  );
  const next = (w: InstanceType<typeof Worker>) =>
    new Promise<{ type: string; ms: number }>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  try {
    const share = Math.ceil(persons.length / t);
    await Promise.all(
      workers.map((w, k) => {
        const ready = next(w);
        w.postMessage({ type: 'data', key, packed: packPersons(persons.slice(k * share, (k + 1) * share)) });
        return ready;
      }),
    );
    const c0 = process.cpuUsage(); // the whole process: every thread
    const t0 = performance.now();
    await Promise.all(
      workers.map((w) => {
        const r = next(w);
        w.postMessage({ type: 'go' });
        return r;
      }),
    );
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

for (const t of [1, threads]) {
  const { ms, cpuMs } = await encoderOnCores(t);
  console.log(
    `encoder only, ${t} thread${t === 1 ? '' : 's'} (records resident in each thread): ${persons.length} records in ${(ms / 1000).toFixed(2)} s = ${rate(persons.length, ms)} records/s (process CPU ${((cpuMs * 1000) / persons.length).toFixed(2)} µs/record)`,
  );
}

for (const t of [1, threads]) {
  const start = performance.now();
  const run =
    t === 1
      ? await encodeList(csv, key, { today: '2026-01-01' })
      : await encodeParallel(csv, key, { today: '2026-01-01', threads: t });
  let total = 0;
  for await (const b of run.batches) total += b.length;
  const ms = performance.now() - start;
  console.log(
    `CSV → validate → encode, ${t === 1 ? '1 thread' : `${t} worker threads + reader`}: ${total} records in ${(ms / 1000).toFixed(2)} s = ${rate(total, ms)} records/s`,
  );
}
console.log('clkhash reference (anchors.md, measured here): 16–30k records/s per core');
