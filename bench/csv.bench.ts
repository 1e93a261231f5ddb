/**
 * CSV reader throughput on a generated 1M-row, 10-column client list held in memory.
 *
 * Run: `npx tsx bench/csv.bench.ts [rows]`. Prints rows/s and MB/s for text → rows (unquoted, and
 * quoted the way HUD exports quote every string field), and for bytes → text → rows.
 */

import { parseCsv, parseCsvBatches } from '../src/read/csv.js';
import { readCsvBatches, readCsvRows } from '../src/read/source.js';
import { formatCsvRow } from '../src/util/csv-write.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const CHUNK = 1024 * 1024;
const FIRST = ['James', 'Maria', 'Robert', 'Guadalupe', 'Michael', 'Linda', 'José', 'Nguyen'];
const LAST = ['Smith', 'Garcia', 'Johnson', "O'Brien", 'Hernandez', 'Lee', 'Martinez-Lopez', 'Kim'];

function makeCsv(quote: 'minimal' | 'strings'): string {
  const header =
    'PersonalID,FirstName,MiddleName,LastName,NameSuffix,NameDataQuality,SSN,SSNDataQuality,DOB,DOBDataQuality';
  const lines = [header];
  for (let i = 0; i < ROWS; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 7) % LAST.length]!;
    const dob = `19${50 + (i % 50)}-0${1 + (i % 9)}-${10 + (i % 18)}`;
    const ssn = String(100000000 + ((i * 7919) % 800000000));
    lines.push(
      formatCsvRow([`P${i}`, first, i % 5 === 0 ? 'A' : '', last, '', 1, ssn, 1, dob, 1], { quote }),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

function* chunksOf(text: string): Generator<string> {
  for (let at = 0; at < text.length; at += CHUNK) yield text.slice(at, at + CHUNK);
}

function* byteChunksOf(bytes: Uint8Array): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += CHUNK) yield bytes.subarray(at, at + CHUNK);
}

/**
 * Runs once to warm up, then measures. Besides wall-clock rates it prints rows per CPU-second of this
 * process, which stays meaningful on a busy machine (it counts GC helper threads too, so it is low).
 */
async function time(name: string, megabytes: number, run: () => Promise<number>): Promise<void> {
  await run();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const rows = await run();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${name.padEnd(32)} ${(rows / seconds / 1e6).toFixed(2)} M rows/s  ${(megabytes / seconds).toFixed(0)} MB/s` +
      `  (${(rows / cpuSeconds / 1e6).toFixed(2)} M rows per CPU-s; ${rows} rows)`,
  );
}

async function main(): Promise<void> {
  for (const quote of ['minimal', 'strings'] as const) {
    const text = makeCsv(quote);
    const bytes = new TextEncoder().encode(text);
    const mb = bytes.length / 1e6;
    console.log(`\n${quote} quoting: ${ROWS} rows, ${mb.toFixed(1)} MB`);
    await time('parseCsvBatches (text)', mb, async () => {
      let n = 0;
      for await (const batch of parseCsvBatches(chunksOf(text))) n += batch.length;
      return n;
    });
    await time('parseCsv (text, row by row)', mb, async () => {
      let n = 0;
      for await (const _ of parseCsv(chunksOf(text))) n++;
      return n;
    });
    await time('readCsvBatches (bytes)', mb, async () => {
      let n = 0;
      for await (const batch of readCsvBatches(byteChunksOf(bytes))) n += batch.length;
      return n;
    });
    await time('readCsvRows (bytes, row by row)', mb, async () => {
      let n = 0;
      for await (const _ of readCsvRows(bytes)) n++;
      return n;
    });
  }
}

await main();
