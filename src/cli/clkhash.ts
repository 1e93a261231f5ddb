/**
 * `encode` in clkhash compatibility mode: a clkhash linkage schema v3 and the key file's trimmed text
 * as the secret; the CSV's columns are matched to the schema's feature identifiers; the output is
 * anonlink-client's JSON (`{"clks": [base64, …]}`), bit for bit what clkhash 0.18 writes.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { clkToBase64, createClkEncoder, parseClkhashSchema } from '../encode/clkhash/index.js';

export { isClkhashSchema } from '../encode/clkhash/detect.js';

import { BloomlinkError } from '../errors.js';
import { mapHeader } from '../read/header.js';
import { readCsvFile } from '../read/source.node.js';
import { type NamedPath, type OutputPlan, OutputSet, warnIfKeyReadable } from './files.js';
import { progressBar } from './progress.js';

/** Runs clkhash-compatible encoding; returns the number of records written. */
export async function encodeClkhashCsv(
  schemaJson: unknown,
  inPath: string,
  keyPath: string,
  outPath: string,
  quiet: boolean,
  inputs: readonly NamedPath[],
  allowWeakSecret = false,
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
  const encoder = createClkEncoder(schema, secret, { allowWeakSecret });
  secret = '';
  let set: OutputSet;
  let manifest: { count(name: string, n: number): unknown } | undefined;
  try {
    ({ set, manifest } = await begin({ files: [{ option: '--out', path: outPath }], inputs }));
  } catch (e) {
    encoder.dispose();
    throw e;
  }
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
    let chunk = '{"clks":[';
    for await (const row of rows) {
      const record = cols.map((c) => (c === undefined ? '' : (row.fields[c] ?? '')));
      chunk += `${count === 0 ? '' : ','}"${clkToBase64(encoder.encode(record, row.line))}"`;
      count++;
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
    encoder.dispose();
  }
}
