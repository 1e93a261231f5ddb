/**
 * Throughput of the synthetic-data generator: writes a member list (default 3,000,000 rows) to a
 * temporary directory and prints rows/s; also times the in-memory row generation alone, so CSV and
 * disk costs can be told apart.
 *
 * Usage: `npx tsx bench/synth.bench.ts [members]`
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from '../src/synth/index.js';
import { writeCsvFile } from '../src/synth/write.node.js';

const members = Number(process.argv[2] ?? 3_000_000);
if (!Number.isSafeInteger(members) || members <= 0)
  throw new RangeError('members must be a positive integer');

const dir = await mkdtemp(join(tmpdir(), 'bloomlink-synth-'));
try {
  const data = synthesize({ seed: 1, clients: Math.min(100_000, Math.floor(members / 30) + 1), members });

  let t = performance.now();
  let n = 0;
  for (const _ of data.rows('members')) n++;
  const generate = (performance.now() - t) / 1000;
  console.log(
    `generate members: ${n.toLocaleString()} rows in ${generate.toFixed(2)} s = ${rate(n, generate)} rows/s`,
  );

  t = performance.now();
  const path = join(dir, 'members.csv');
  const written = await writeCsvFile(path, data.columns.members, data.rows('members'));
  const write = (performance.now() - t) / 1000;
  const mib = (await stat(path)).size / 2 ** 20;
  console.log(
    `write members.csv: ${written.toLocaleString()} rows, ${mib.toFixed(0)} MiB in ${write.toFixed(2)} s = ${rate(written, write)} rows/s`,
  );

  t = performance.now();
  let episodes = 0;
  for (const _ of data.rows('programs')) episodes++;
  const programs = (performance.now() - t) / 1000;
  console.log(`generate programs: ${episodes.toLocaleString()} episodes in ${programs.toFixed(2)} s`);
} finally {
  await rm(dir, { recursive: true, force: true });
}

function rate(rows: number, seconds: number): string {
  return Math.round(rows / seconds).toLocaleString();
}
