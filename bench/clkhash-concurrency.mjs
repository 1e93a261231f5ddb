/**
 * Do two clkhash encoders slow each other down when they run at once? Two worker threads each
 * encode every other block of 2,048 records of a quote-free CSV (blocks 0, 2, 4, … and 1, 3, 5, …),
 * either one after the other (`seq`) or at the same time (`par`), each with its own encoder warmed
 * up first on a throwaway encoder; each prints its own thread's CPU (from /proc/thread-self, Linux)
 * for its loop only. No hand-off, no reading or writing in the timed loop: what `par` costs above
 * `seq` per record is the two threads competing for the machine (caches, memory), not the CLI's
 * pipeline. Uses the built library (`npm run build` first).
 *
 * Usage: `node bench/clkhash-concurrency.mjs CSV SCHEMA SECRET seq|par [tokenCacheSize]`
 * (tokenCacheSize 0: no token or value cache).
 */
import { readFileSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createClkEncoder, parseClkhashSchema } from '../dist/encode.js';

const BLOCK = 2048;

/** user + system seconds of the calling thread. */
function threadCpu() {
  const s = readFileSync('/proc/thread-self/stat', 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

if (isMainThread) {
  const [csv, schemaPath, secretPath, mode = 'par', cache] = process.argv.slice(2);
  if (csv === undefined || schemaPath === undefined || secretPath === undefined)
    throw new Error('usage: node bench/clkhash-concurrency.mjs CSV SCHEMA SECRET seq|par [tokenCacheSize]');
  const start = (half) =>
    new Worker(new URL(import.meta.url), {
      workerData: {
        csv,
        schemaPath,
        secretPath,
        half,
        cache: cache === undefined ? undefined : Number(cache),
      },
    });
  const message = (w) => new Promise((resolve) => w.once('message', resolve));
  const workers = [start(0), start(1)];
  await Promise.all(workers.map(message)); // both warmed up
  const run = async (w) => {
    const done = message(w);
    w.postMessage('go');
    const line = await done;
    await w.terminate();
    return line;
  };
  const lines =
    mode === 'par' ? await Promise.all(workers.map(run)) : [await run(workers[0]), await run(workers[1])];
  console.log(`${mode}: ${lines.join(' | ')}`);
} else {
  const { csv, schemaPath, secretPath, half, cache } = workerData;
  const schema = parseClkhashSchema(JSON.parse(readFileSync(schemaPath, 'utf8')));
  const secret = readFileSync(secretPath, 'utf8').trim();
  const rows = readFileSync(csv, 'utf8').split(/\r?\n/);
  const header = (rows[0] ?? '').split(',');
  const columns = schema.features.map((f) => header.indexOf(f.identifier));
  const records = [];
  for (let i = 1; i < rows.length; i++) {
    if (rows[i] === '' || Math.floor((i - 1) / BLOCK) % 2 !== half) continue;
    const fields = rows[i].split(',');
    records.push(columns.map((c) => (c < 0 ? '' : (fields[c] ?? ''))));
  }
  const opts = { allowWeakSecret: true, ...(cache === undefined ? {} : { tokenCacheSize: cache }) };
  const encodeAll = (encoder, step) => {
    const out = new Uint8Array(encoder.base64Length);
    for (let r = 0; r < records.length; r += step) encoder.encodeBase64Into(records[r], out, 0);
  };
  const warm = createClkEncoder(schema, secret, opts);
  encodeAll(warm, 10);
  warm.dispose();
  const encoder = createClkEncoder(schema, secret, opts);
  parentPort.postMessage('ready');
  parentPort.once('message', () => {
    const c0 = threadCpu();
    const t0 = performance.now();
    encodeAll(encoder, 1);
    const cpu = threadCpu() - c0;
    const wall = (performance.now() - t0) / 1000;
    parentPort.postMessage(
      `${records.length} records ${cpu.toFixed(2)} s CPU ${wall.toFixed(2)} s wall ${((cpu / records.length) * 1e6).toFixed(2)} µs/record`,
    );
  });
}
