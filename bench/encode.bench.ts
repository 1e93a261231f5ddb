/**
 * Encoding speed with the default schema on generated plan members (validated first): the encoder
 * alone on one thread and on worker threads (batches of 16,384 as the pipeline makes them), then
 * the whole read → validate → encode pipeline from CSV bytes on one thread and on worker threads.
 * Prints wall-clock rates, and the CPU time of this thread.
 * Usage: npx tsx bench/encode.bench.ts [records=1000000] [threads=all]
 */
import { availableParallelism } from 'node:os';
import type { EncodedBatch } from '../src/encode/batch.js';
import { type PersonToEncode, RecordEncoder } from '../src/encode/encoder.js';
import { parseKey } from '../src/encode/key.js';
import { encodeList } from '../src/encode/pipeline.js';
import { encodeListParallel } from '../src/parallel/encode.node.js';
import { packPersons } from '../src/parallel/encode-task.js';
import { WorkerPool } from '../src/parallel/pool.node.js';
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
const persons: PersonToEncode[] = records.map((r) => ({ ...r, id: r.memberId }));
const key = parseKey('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
const rate = (count: number, ms: number) => Math.round(count / (ms / 1000)).toLocaleString('en-US');
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

{
  const enc = new RecordEncoder(key, { party: 'mcp' });
  const c0 = cpuMs();
  const t = performance.now();
  for (let i = 0; i < persons.length; i += 16_384) enc.encodeMany(persons.slice(i, i + 16_384));
  const ms = performance.now() - t;
  console.log(
    `encoder only, 1 thread: ${persons.length} records in ${(ms / 1000).toFixed(2)} s = ${rate(persons.length, ms)} records/s (CPU ${rate(persons.length, cpuMs() - c0)} records/s)`,
  );
  enc.dispose();
}

{
  const pool = await WorkerPool.start('encode', threads, () => ({
    key: key.slice(),
    party: 'mcp',
    schema: new RecordEncoder(key, { party: 'mcp' }).meta.schema,
  }));
  try {
    const packed = [];
    for (let i = 0; i < persons.length; i += 16_384) packed.push(packPersons(persons.slice(i, i + 16_384)));
    const t = performance.now();
    await Promise.all(packed.map((p) => pool.run<EncodedBatch>(p)));
    const ms = performance.now() - t;
    console.log(
      `encoder only, ${threads} worker threads: ${persons.length} records in ${(ms / 1000).toFixed(2)} s = ${rate(persons.length, ms)} records/s`,
    );
  } finally {
    await pool.close();
  }
}

for (const t of [1, threads]) {
  const start = performance.now();
  const run =
    t === 1
      ? await encodeList(csv, key, { today: '2026-01-01' })
      : await encodeListParallel(csv, key, { today: '2026-01-01', threads: t });
  let total = 0;
  for await (const b of run.batches) total += b.length;
  const ms = performance.now() - start;
  console.log(
    `CSV → validate → encode, ${t === 1 ? '1 thread' : `${t} worker threads + reader`}: ${total} records in ${(ms / 1000).toFixed(2)} s = ${rate(total, ms)} records/s`,
  );
}
console.log('clkhash reference (anchors.md, measured here): 16–30k records/s per core');
