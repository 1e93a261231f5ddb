/**
 * CSV parsing micro-benchmarks on a generated 10-column client list held in memory: whole text at
 * once, streamed in chunks, and from bytes (decoding included), with minimal quoting and with every
 * string quoted (as HUD exports quote them).
 */
import { parseCsvBatches, parseCsvSync } from '../../src/read/csv.js';
import { readCsvBatches } from '../../src/read/source.js';
import { formatCsvRow } from '../../src/util/csv-write.js';
import type { MicroSuite, MicroTask } from './suite.js';

const ROWS = 10_000;
/** Chunks of the streamed input: what a file read hands over. */
const CHUNK = 64 * 1024;
const FIRST = ['James', 'Maria', 'Robert', 'Guadalupe', 'Michael', 'Linda', 'José', 'Nguyen'];
const LAST = ['Smith', 'Garcia', 'Johnson', "O'Brien", 'Hernandez', 'Lee', 'Martinez-Lopez', 'Kim'];

function makeCsv(quote: 'minimal' | 'strings'): string {
  const lines = [
    'PersonalID,FirstName,MiddleName,LastName,NameSuffix,NameDataQuality,SSN,SSNDataQuality,DOB,DOBDataQuality',
  ];
  for (let i = 0; i < ROWS; i++) {
    const dob = `19${50 + (i % 50)}-0${1 + (i % 9)}-${10 + (i % 18)}`;
    const ssn = String(100000000 + ((i * 7919) % 800000000));
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 7) % LAST.length]!;
    lines.push(
      formatCsvRow([`P${i}`, first, i % 5 === 0 ? 'A' : '', last, '', 1, ssn, 1, dob, 1], { quote }),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

function chunks<T extends string | Uint8Array>(all: T): T[] {
  const out: T[] = [];
  for (let at = 0; at < all.length; at += CHUNK) out.push(all.slice(at, at + CHUNK) as T);
  return out;
}

/**
 * The CSV parsing suite.
 * @example
 * ```ts
 * const suite = csvSuite();
 * ```
 */
export function csvSuite(): MicroSuite {
  const tasks: MicroTask[] = [];
  for (const quote of ['minimal', 'strings'] as const) {
    const text = makeCsv(quote);
    const textChunks = chunks(text);
    const byteChunks = chunks(new TextEncoder().encode(text));
    const rows = parseCsvSync(text).length;
    if (rows !== ROWS + 1) throw new Error(`expected ${ROWS + 1} rows, parsed ${rows}`);
    tasks.push(
      { name: `parseCsvSync, ${quote} quoting`, fn: () => parseCsvSync(text), items: rows },
      {
        name: `parseCsvBatches, ${quote} quoting`,
        fn: async () => {
          for await (const _ of parseCsvBatches(textChunks));
        },
        items: rows,
      },
      {
        name: `readCsvBatches (bytes), ${quote} quoting`,
        fn: async () => {
          for await (const _ of readCsvBatches(byteChunks));
        },
        items: rows,
      },
    );
  }
  return {
    name: 'csv',
    what: `CSV parsing: ${ROWS.toLocaleString('en-US')} rows × 10 columns in memory (${CHUNK / 1024} KiB chunks when streamed)`,
    unit: 'rows',
    tasks,
    ratios: [
      { faster: 'parseCsvSync, minimal quoting', than: 'parseCsvSync, strings quoting' },
      { faster: 'parseCsvSync, minimal quoting', than: 'parseCsvBatches, minimal quoting' },
      { faster: 'parseCsvBatches, minimal quoting', than: 'readCsvBatches (bytes), minimal quoting' },
    ],
  };
}
