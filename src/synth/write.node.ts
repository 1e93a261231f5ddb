import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CSV_EOL, formatCsvRow } from '../util/csv-write.js';
import type { SynthOptions } from './options.js';
import { type SynthList, synthesize } from './synthesize.js';

/**
 * Progress of {@link writeSynthFiles}: rows written so far of one file (`total` is -1 when unknown).
 *
 * @example
 * ```ts
 * writeSynthFiles('out', { seed: 1, clients: 10, members: 30, onProgress: (p: SynthProgress) => console.log(p.file, p.rows) });
 * ```
 */
export interface SynthProgress {
  readonly file: string;
  readonly rows: number;
  readonly total: number;
}

/**
 * Options of {@link writeSynthFiles}.
 *
 * @example
 * ```ts
 * const o: WriteSynthOptions = { seed: 1, clients: 10, members: 30, onProgress: () => {} };
 * ```
 */
export type WriteSynthOptions = SynthOptions & { readonly onProgress?: (p: SynthProgress) => void };

/** Rows are joined into chunks of about this many characters before each write. */
const CHUNK_CHARS = 1 << 18;

const NEEDS_QUOTES = /[",\r\n]/;

/** `formatCsvRow`, with a join fast path for the usual row that has nothing to quote (same output). */
function csvLine(row: readonly string[]): string {
  for (let i = 0; i < row.length; i++) if (NEEDS_QUOTES.test(row[i] as string)) return formatCsvRow(row);
  return row.length === 1 && row[0] === '' ? formatCsvRow(row) : row.join(',');
}

/**
 * Writes one CSV file (UTF-8, CRLF, quoting only where needed) from rows of values in column order,
 * in large chunks and respecting the stream's backpressure. Returns the number of rows written.
 *
 * @example
 * ```ts
 * await writeCsvFile('out/Client.csv', data.columns.clients, data.rows('clients'));
 * ```
 */
export async function writeCsvFile(
  path: string,
  columns: readonly string[],
  rows: Iterable<readonly string[]>,
  onRows?: (rows: number) => void,
): Promise<number> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => {});
  let count = 0;
  try {
    // Lines are collected in an array and joined once per chunk: appending to one growing string
    // would build a rope of millions of short pieces that the GC has to trace and then flatten.
    let lines: string[] = [formatCsvRow(columns)];
    let chars = 0;
    for (const row of rows) {
      const line = csvLine(row);
      lines.push(line);
      chars += line.length;
      count++;
      if (chars >= CHUNK_CHARS) {
        lines.push('');
        if (!out.write(lines.join(CSV_EOL))) await Promise.race([once(out, 'drain'), failed]);
        lines = [];
        chars = 0;
        onRows?.(count);
      }
    }
    if (lines.length > 0) lines.push('');
    out.end(lines.join(CSV_EOL));
    await Promise.race([once(out, 'finish'), failed]);
  } catch (e) {
    out.destroy();
    throw e;
  }
  onRows?.(count);
  return count;
}

/**
 * Generates a synthetic data set (see {@link synthesize}) and writes it to `dir`: `clients.csv`
 * (`Client.csv` for the HMIS layouts), `members.csv`, `programs.csv` and `truth.csv`
 * (`PersonalID,MemberID`). Streams: memory use does not grow with the row counts.
 *
 * @returns the path of each file and its row count (without the header), keyed `clients`,
 *   `members`, `programs`, `truth`
 * @example
 * ```ts
 * const { counts } = await writeSynthFiles('out', { seed: 7, clients: 100_000, members: 3_000_000 });
 * ```
 */
export async function writeSynthFiles(
  dir: string,
  opts: WriteSynthOptions,
): Promise<{ files: Record<string, string>; counts: Record<string, number> }> {
  const data = synthesize(opts);
  await mkdir(dir, { recursive: true });
  const clientFile = (opts.cocLayout ?? 'contract') === 'contract' ? 'clients.csv' : 'Client.csv';
  const jobs: [list: SynthList, file: string, total: number][] = [
    ['clients', clientFile, data.counts.clients],
    ['members', 'members.csv', data.counts.members],
    ['programs', 'programs.csv', -1],
    ['truth', 'truth.csv', data.counts.truth],
  ];
  const files: Record<string, string> = {};
  const counts: Record<string, number> = {};
  for (const [list, file, total] of jobs) {
    const path = join(dir, file);
    const progress = (rows: number) => opts.onProgress?.({ file, rows, total });
    counts[list] = await writeCsvFile(path, data.columns[list], data.rows(list), progress);
    files[list] = path;
  }
  return { files, counts };
}
