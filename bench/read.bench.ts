/**
 * Row validation and reader throughput on a generated CoC client list (HMIS-like, with dirty
 * values: placeholders, mixed date formats, partial SSNs, DQ codes that disagree).
 *
 * Run: `npx tsx bench/read.bench.ts [rows]`. Prints rows/s for validation alone (rows already
 * parsed) and for the whole reader (bytes → records).
 */
import { parseCsvBatches, parseCsvSync } from '../src/read/csv.js';
import { decodeChunks } from '../src/read/decode.js';
import { readClients } from '../src/read/reader.js';
import { clientValidator } from '../src/read/validate.js';
import { formatCsvRow } from '../src/util/csv-write.js';

const ROWS = Number(process.argv[2] ?? 300_000);
const FIRST = [
  'James',
  'Maria',
  'Robert',
  'Guadalupe',
  'Michael',
  'Linda',
  'José',
  'Nguyen',
  'UNKNOWN',
  'Mary Ann',
];
const LAST = [
  'Smith',
  'Garcia',
  'Johnson',
  "O'Brien",
  'Hernandez',
  'Lee',
  'Martinez-Lopez',
  'Kim',
  'de la Cruz',
];
const DOBS = (i: number): string => {
  const y = 1940 + (i % 60);
  const m = 1 + (i % 12);
  const d = 1 + (i % 28);
  switch (i % 10) {
    case 0:
      return `${m}/${d}/${y}`;
    case 1:
      return `${m}/${d}/${String(y).slice(2)}`;
    case 2:
      return '';
    case 3:
      return '1900-01-01';
    default:
      return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
};

function makeCsv(): string {
  const header =
    'PersonalID,FirstName,MiddleName,LastName,NameSuffix,NameDataQuality,SSN,SSNDataQuality,DOB,DOBDataQuality,Sex';
  const lines = [header];
  for (let i = 0; i < ROWS; i++) {
    const ssn =
      i % 4 === 0
        ? ''
        : i % 4 === 1
          ? `xxxxx${String(1000 + (i % 9000))}`
          : String(100000000 + ((i * 7919) % 500000000));
    lines.push(
      formatCsvRow([
        `P${i}`,
        FIRST[i % FIRST.length],
        i % 5 === 0 ? 'A' : '',
        LAST[(i * 7) % LAST.length],
        i % 50 === 0 ? 'Jr' : '',
        i % 7 === 0 ? 99 : 1,
        ssn,
        ssn === '' ? 99 : 1,
        DOBS(i),
        i % 9 === 0 ? 2 : 1,
        i % 2,
      ]),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Wall time is noisy on a shared machine; CPU time of this process is reported too. */
async function time(name: string, run: () => Promise<number> | number): Promise<void> {
  await run(); // warm-up
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const rows = await run();
  const cpu = process.cpuUsage(c0);
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${name.padEnd(32)} ${(rows / seconds / 1000).toFixed(0).padStart(5)} k rows/s wall, ${(rows / cpuSeconds / 1000).toFixed(0).padStart(5)} k rows/s CPU  (${rows} rows)`,
  );
}

const text = makeCsv();
const bytes = new TextEncoder().encode(text);
const [head, ...rows] = parseCsvSync(text);

await time('validate (parsed rows)', () => {
  const v = clientValidator(head!.fields, { today: '2025-06-01' });
  let accepted = 0;
  for (const row of rows) if (v.validate(row).record !== undefined) accepted++;
  return rows.length + accepted * 0;
});

await time('readClients (bytes → records)', async () => {
  const reader = await readClients(bytes, { today: '2025-06-01' });
  for await (const _ of reader) {
    // drain
  }
  return reader.summary.rowsRead;
});

await time('readClients results()', async () => {
  const reader = await readClients(bytes, { today: '2025-06-01', onIssue: () => {} });
  let n = 0;
  for await (const _ of reader.results()) n++;
  return n;
});

await time('readClients batches()', async () => {
  const reader = await readClients(bytes, { today: '2025-06-01', onIssue: () => {} });
  let n = 0;
  for await (const batch of reader.batches()) n += batch.length;
  return reader.summary.rowsRead + n * 0;
});

await time('parse only (bytes → rows)', async () => {
  let n = 0;
  for await (const batch of parseCsvBatches(decodeChunks([bytes]))) n += batch.length;
  return n - 1;
});

await time('parse + validate (no reader)', async () => {
  let n = 0;
  let v: ReturnType<typeof clientValidator> | undefined;
  for await (const batch of parseCsvBatches(decodeChunks([bytes]))) {
    for (const row of batch) {
      if (v === undefined) v = clientValidator(row.fields, { today: '2025-06-01' });
      else {
        v.validate(row);
        n++;
      }
    }
  }
  return n;
});
