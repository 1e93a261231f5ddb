/**
 * The encoder alone on a small list, cold, as one `bloomlink encode` of a 5,000-record file runs it:
 * a fresh process reads and validates the plan list, then times (CPU, this thread) building the
 * `RecordEncoder` and encoding every record in batches of 16,384. Run it alternately on two source
 * trees for paired figures; the encoded bytes' SHA-256 is printed so the two can be compared.
 * Usage: npx tsx bench/encode-small.bench.ts MEMBERS.csv [SRC=this tree's src/] [--skip-encode]
 * (SRC: another tree's `src/`, e.g. a baseline's, whose modules are timed instead)
 *
 * `--skip-encode` exits after reading the list, before the encoder is built: the instructions of
 * "the encoder alone" are a callgrind run's main thread less this run's (docs/benchmarks.md, enc16):
 *   nice -n 10 valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file=OUT \
 *     node --import tsx bench/encode-small.bench.ts MEMBERS.csv [SRC] [--skip-encode]
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { PersonToEncode } from '../src/encode/encoder.js';

const skipEncode = process.argv.includes('--skip-encode');
const [path, srcDir] = process.argv.slice(2).filter((a) => a !== '--skip-encode');
if (!path) throw new Error('usage: encode-small.bench.ts MEMBERS.csv [SRC] [--skip-encode]');
const src = srcDir === undefined ? new URL('../src/', import.meta.url) : pathToFileURL(`${srcDir}/`);
const load = (m: string) => import(new URL(m, src).href);
const { RecordEncoder } = (await load('encode/encoder.ts')) as typeof import('../src/encode/encoder.js');
const { parseKey } = (await load('encode/key.ts')) as typeof import('../src/encode/key.js');
const { personToEncode } = (await load('encode/pipeline.ts')) as typeof import('../src/encode/pipeline.js');
const { collect, readMembers } = (await load('read/reader.ts')) as typeof import('../src/read/reader.js');
const { records } = await collect(readMembers(readFileSync(path), { today: '2026-01-01' }));
const persons: PersonToEncode[] = records.map((r) => personToEncode(r, r.memberId));
const key = parseKey('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
if (skipEncode) {
  console.log(`${persons.length} records read; --skip-encode: the encoder not built`);
  process.exit(0);
}
const t0 = process.cpuUsage();
const enc = new RecordEncoder(key, { party: 'mcp' });
const t1 = process.cpuUsage();
const hash = createHash('sha256');
for (let i = 0; i < persons.length; i += 16_384) {
  const b = enc.encodeMany(persons.slice(i, i + 16_384));
  for (const col of Object.values(b.blooms)) hash.update(col);
  for (const col of Object.values(b.hashes))
    hash.update(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  for (const col of Object.values(b.sets))
    hash.update(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  for (const { offsets, keys } of Object.values(b.blocks)) {
    hash.update(new Uint8Array(offsets.buffer, offsets.byteOffset, offsets.byteLength));
    hash.update(new Uint8Array(keys.buffer, keys.byteOffset, keys.byteLength));
  }
}
const t2 = process.cpuUsage();
const ms = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) =>
  ((b.user - a.user + b.system - a.system) / 1000).toFixed(1);
console.log(
  `${persons.length} records: encoder built in ${ms(t0, t1)} ms, encoded in ${ms(t1, t2)} ms of CPU; sha256 ${hash.digest('hex').slice(0, 16)}`,
);
