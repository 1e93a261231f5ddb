/**
 * `encode` in clkhash compatibility mode: a clkhash linkage schema v3 and the key file's trimmed text
 * as the secret; the CSV's columns are matched to the schema's feature identifiers; the output is
 * anonlink-client's JSON (`{"clks": [base64, …]}`), bit for bit what clkhash 0.18 writes.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { clkBase64Length, writeQuotedClk } from '../encode/clkhash/encoder.js';
import { createClkEncoder, parseClkhashSchema } from '../encode/clkhash/index.js';
import { encodeClkPiecesParallel } from '../encode/clkhash/parallel.node.js';
import { BloomlinkError } from '../errors.js';
import { type CsvRow, flattenBatches } from '../read/csv.js';
import { mapHeader } from '../read/header.js';
import { readCsvBatches } from '../read/source.js';
import { splitCsv } from '../read/split.js';
import { type NamedPath, type OutputPlan, OutputSet, warnIfKeyReadable } from './files.js';
import { inputBytes } from './input.js';
import { progressBar } from './progress.js';

const COMMA = new Uint8Array([0x2c]);
/**
 * Characters of CSV text per piece handed to a thread on several threads: about 1,800 records of
 * a name-and-date schema, a few milliseconds of encoding, so that the rows of a piece die young and
 * this thread, when it keeps a piece, is soon back to hand the next one to a worker.
 */
const PIECE_CHARS = 1 << 16;

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
    const hashed = schema.features.filter((f) => !f.ignored).map((f) => f.identifier);
    const ignored = schema.features.filter((f) => f.ignored).map((f) => f.identifier);
    // The JSON text is written as bytes: each CLK's base64 straight into a buffer (no string per
    // CLK), 64 KiB to a write.
    const head64 = new TextEncoder().encode('{"clks":[');
    const room = clkBase64Length(schema.l) + 3; // one CLK, quoted, and a comma
    const buf = new Uint8Array((1 << 16) + room + head64.length);
    buf.set(head64);
    let o = head64.length;
    let first = true;
    const flush = async (): Promise<void> => {
      await out.write(buf.subarray(0, o));
      o = 0;
      bar.update(count);
    };
    if (threads === 1) {
      // Rows in batches (one per decoded chunk of text): no async step per row, whose promises would
      // keep rows alive past young-generation collections (measured: GC took half the CPU time).
      const batches = readCsvBatches(inputBytes(inPath), { label });
      const head = await batches.next();
      const header = head.done ? undefined : head.value[0];
      if (header === undefined) throw new BloomlinkError('FILE_EMPTY', `${label}: the file is empty`);
      const map = mapHeader(header.fields, { required: hashed, optional: ignored }, label);
      const cols = schema.features.map((f) => map.index.get(f.identifier));
      // This thread only: each row is encoded as it is read and its CLK written at once; holding
      // records or CLKs in chunks keeps them alive past young-generation collections (measured: the
      // chunked path took 1.5-2x the CPU time of this loop, mostly GC).
      const encoder = createClkEncoder(schema, secret, { allowWeakSecret });
      secret = '';
      const record = new Array<string>(cols.length);
      /** Writes the row's CLK into the buffer; true when 64 KiB wait to be written. */
      const add = (row: CsvRow): boolean => {
        for (let f = 0; f < cols.length; f++) {
          const c = cols[f];
          record[f] = c === undefined ? '' : (row.fields[c] ?? '');
        }
        o = writeQuotedClk(encoder, record, buf, o, first, row.line);
        first = false;
        count++;
        return o + room > 1 << 16;
      };
      try {
        for (const row of head.done ? [] : head.value.slice(1)) if (add(row)) await flush();
        // Row by row, as the reader flattens its batches (measured faster here than a loop over
        // each batch, which keeps a whole batch of rows alive while it is encoded).
        for await (const row of flattenBatches(batches)) if (add(row)) await flush();
      } finally {
        encoder.dispose();
      }
    } else {
      // This thread cuts the text into pieces of whole records; the workers parse and encode them
      // (and this thread the pieces they cannot take yet); the CLKs come back in file order.
      const file = await splitCsv(inputBytes(inPath), { label, pieceChars: PIECE_CHARS });
      try {
        const map = mapHeader(file.header.fields, { required: hashed, optional: ignored }, label);
        const layout = {
          columns: schema.features.map((f) => map.index.get(f.identifier)),
          delimiter: file.delimiter,
          label,
        };
        const clks = encodeClkPiecesParallel(schema, secret, file.pieces(), layout, {
          allowWeakSecret,
          threads,
        });
        secret = '';
        await flush();
        for await (const done of clks) {
          if (done.count === 0) continue;
          if (!first) await out.write(COMMA);
          first = false;
          count += done.count;
          // Each piece's bytes are its own (transferred from a worker or made for it): no copy.
          await out.write(done.bytes, true);
          bar.update(count);
        }
      } finally {
        await file.close();
      }
    }
    if (o > 0) await flush();
    await out.write(']}\n');
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
