/**
 * `encode` in clkhash compatibility mode: a clkhash linkage schema v3 and the key file's trimmed text
 * as the secret; the CSV's columns are matched to the schema's feature identifiers; the output is
 * anonlink-client's JSON (`{"clks": [base64, …]}`), bit for bit what clkhash 0.18 writes.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { clkToBase64, createClkEncoder, parseClkhashSchema } from '../encode/clkhash/index.js';
import { type ClkRecord, encodeClksParallel } from '../encode/clkhash/parallel.node.js';
import { BloomlinkError } from '../errors.js';
import { type CsvRow, flattenBatches } from '../read/csv.js';
import { mapHeader } from '../read/header.js';
import { readCsvBatches } from '../read/source.js';
import { fileBytes } from '../read/source.node.js';
import { type NamedPath, type OutputPlan, OutputSet, warnIfKeyReadable } from './files.js';
import { progressBar } from './progress.js';

/**
 * Runs clkhash-compatible encoding on `threads` threads (1: no worker threads; the output is the
 * same for any number); returns the number of records written.
 */
export async function encodeClkhashCsv(
  schemaJson: unknown,
  inPath: string,
  keyPath: string,
  outPath: string,
  quiet: boolean,
  inputs: readonly NamedPath[],
  allowWeakSecret = false,
  threads = 1,
  begin: (
    plan: OutputPlan,
  ) => Promise<{ set: OutputSet; manifest?: { count(name: string, n: number): unknown } }> = async (
    plan,
  ) => ({ set: await OutputSet.begin(plan) }),
): Promise<number> {
  const schema = parseClkhashSchema(schemaJson);
  if (schema.declaredXorFolds !== undefined && schema.declaredXorFolds !== schema.xorFolds && !quiet) {
    process.stderr.write(
      `warning: the schema sets "xorFolds": ${schema.declaredXorFolds}, which clkhash 0.18 ignores (it reads "xor_folds"); encoding with ${schema.xorFolds} folds as clkhash does\n`,
    );
  }
  let secret: string;
  try {
    secret = readFileSync(keyPath, 'utf8').trim();
  } catch (e) {
    throw new BloomlinkError(
      'KEY_UNREADABLE',
      `--key: cannot read the secret file (${(e as NodeJS.ErrnoException).code ?? 'error'}); give the path of the file, not the secret itself`,
    );
  }
  warnIfKeyReadable(keyPath);
  if (secret.length === 0) throw new BloomlinkError('KEY_MISSING', '--key: the secret file is empty');
  // The secret's checks (length, randomness, Unicode) fail here, before any output is begun.
  createClkEncoder(schema, secret, { allowWeakSecret }).dispose();
  const { set, manifest } = await begin({ files: [{ option: '--out', path: outPath }], inputs });
  const label = basename(inPath);
  const bar = progressBar(`encoding ${label} (clkhash v3)`, { quiet });
  let count = 0;
  try {
    // CLKs hold no clear text and are sent to the linkage unit: shared.
    const out = await set.open(outPath, 'shared');
    // Rows in batches (one per decoded chunk of text): no async step per row, whose promises would
    // keep rows alive past young-generation collections (measured: GC took half the CPU time).
    const batches = readCsvBatches(fileBytes(inPath), { label });
    const head = await batches.next();
    const header = head.done ? undefined : head.value[0];
    if (header === undefined) throw new BloomlinkError('FILE_EMPTY', `${label}: the file is empty`);
    const hashed = schema.features.filter((f) => !f.ignored).map((f) => f.identifier);
    const map = mapHeader(
      header.fields,
      { required: hashed, optional: schema.features.filter((f) => f.ignored).map((f) => f.identifier) },
      label,
    );
    const cols = schema.features.map((f) => map.index.get(f.identifier));
    let chunk = '{"clks":[';
    let first = true;
    /** Appends CLKs (one, or several joined by `","`); true when 64 KiB of text wait to be written. */
    const add = (clks: string): boolean => {
      chunk += first ? `"${clks}"` : `,"${clks}"`;
      first = false;
      return chunk.length > 1 << 16;
    };
    const flush = async (): Promise<void> => {
      await out.write(chunk);
      chunk = '';
      bar.update(count);
    };
    const record = (row: CsvRow): string[] => cols.map((c) => (c === undefined ? '' : (row.fields[c] ?? '')));
    if (threads === 1) {
      // This thread only: each row is encoded as it is read and its CLK appended at once; holding
      // records or CLKs in chunks keeps them alive past young-generation collections (measured: the
      // chunked path took 1.5-2x the CPU time of this loop, mostly GC).
      const encoder = createClkEncoder(schema, secret, { allowWeakSecret });
      secret = '';
      try {
        for (const row of head.done ? [] : head.value.slice(1)) {
          count++;
          if (add(clkToBase64(encoder.encode(record(row), row.line)))) await flush();
        }
        // Row by row, as the reader flattens its batches (measured faster here than a loop over
        // each batch, which keeps a whole batch of rows alive while it is encoded).
        for await (const row of flattenBatches(batches)) {
          count++;
          if (add(clkToBase64(encoder.encode(record(row), row.line)))) await flush();
        }
      } finally {
        encoder.dispose();
      }
    } else {
      async function* records(): AsyncGenerator<ClkRecord[]> {
        const toRecords = (rows: readonly CsvRow[]) =>
          rows.map((row) => ({ record: record(row), line: row.line }));
        yield toRecords(head.done ? [] : head.value.slice(1));
        for await (const rows of batches) yield toRecords(rows);
      }
      const clks = encodeClksParallel(schema, secret, records(), { allowWeakSecret, threads });
      secret = '';
      for await (const done of clks) {
        if (done.length === 0) continue;
        count += done.length;
        if (add(done.join('","'))) await flush();
      }
    }
    await out.write(`${chunk}]}\n`);
    manifest?.count('records', count);
    await set.commit();
    bar.done();
    return count;
  } catch (e) {
    bar.done();
    await set.abort();
    throw e;
  } finally {
    secret = '';
  }
}
