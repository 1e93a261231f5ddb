/**
 * `encode` in clkhash compatibility mode: a clkhash linkage schema v3 and the key file's trimmed text
 * as the secret; the CSV's columns are matched to the schema's feature identifiers; the output is
 * anonlink-client's JSON (`{"clks": [base64, …]}`), bit for bit what clkhash 0.18 writes.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createClkEncoder, parseClkhashSchema } from '../encode/clkhash/index.js';
import { encodeClkPiecesParallel } from '../encode/clkhash/parallel.node.js';
import { BloomlinkError } from '../errors.js';
import { mapHeader } from '../read/header.js';
import { splitCsv } from '../read/split.js';
import { type NamedPath, type OutputPlan, OutputSet, warnIfKeyReadable } from './files.js';
import { inputBytes } from './input.js';
import { progressBar } from './progress.js';

const COMMA = new Uint8Array([0x2c]);
/**
 * Characters of CSV text per piece: about 1,800 records of a name-and-date schema, a few
 * milliseconds of encoding, so that this thread, when it keeps a piece, is soon back to hand the
 * next one to a worker.
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
    // The JSON text: each piece's CLKs come as the bytes of `"clk1","clk2",…`, written as they are.
    await out.write('{"clks":[');
    let first = true;
    // This thread cuts the text into pieces of whole records; the pieces are parsed and encoded
    // here (one thread) or by the workers, and by this thread when every worker has enough waiting
    // (encodeClkPiecesParallel); the CLKs come back in file order, the same for any thread count.
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
      for await (const done of clks) {
        if (done.count === 0) continue;
        if (!first) await out.write(COMMA);
        first = false;
        count += done.count;
        // Each piece's bytes are its own (copied from a worker or made for it): no copy.
        await out.write(done.bytes, true);
        bar.update(count);
      }
    } finally {
      await file.close();
    }
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
