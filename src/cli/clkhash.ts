/**
 * `encode` in clkhash compatibility mode: a clkhash linkage schema v3 and the key file's trimmed text
 * as the secret; the CSV's columns are matched to the schema's feature identifiers; the output is
 * anonlink-client's JSON (`{"clks": [base64, …]}`), bit for bit what clkhash 0.18 writes.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createClkEncoder, parseClkhashSchema } from '../encode/clkhash/index.js';
import { type ClkRecord, encodeClksParallel } from '../encode/clkhash/parallel.node.js';
import { BloomlinkError } from '../errors.js';
import { mapHeader } from '../read/header.js';
import { readCsvFile } from '../read/source.node.js';
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
    const rows = readCsvFile(inPath, { label });
    const head = await rows.next();
    if (head.done) throw new BloomlinkError('FILE_EMPTY', `${label}: the file is empty`);
    const hashed = schema.features.filter((f) => !f.ignored).map((f) => f.identifier);
    const map = mapHeader(
      head.value.fields,
      { required: hashed, optional: schema.features.filter((f) => f.ignored).map((f) => f.identifier) },
      label,
    );
    const cols = schema.features.map((f) => map.index.get(f.identifier));
    async function* records(): AsyncGenerator<ClkRecord> {
      for await (const row of rows)
        yield { record: cols.map((c) => (c === undefined ? '' : (row.fields[c] ?? ''))), line: row.line };
    }
    const clks = encodeClksParallel(schema, secret, records(), { allowWeakSecret, threads });
    secret = '';
    let chunk = '{"clks":[';
    for await (const done of clks) {
      if (done.length === 0) continue;
      chunk += `${count === 0 ? '' : ','}"${done.join('","')}"`;
      count += done.length;
      if (chunk.length > 1 << 16) {
        await out.write(chunk);
        chunk = '';
        bar.update(count);
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
