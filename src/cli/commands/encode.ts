import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isClkhashSchema } from '../../encode/clkhash/detect.js';
import { ENCODE_PARALLEL_MIN_BYTES, encodeParallel } from '../../encode/encode.node.js';
import { parseKey } from '../../encode/key.js';
import { type EncodedFormat, writeEncoded } from '../../encoded/file.js';
import { formatKeyCheck } from '../../encoded/key-check.js';
import { type LinkageSchema, parseLinkageSchema } from '../../encoded/schema.js';
import { BloomlinkError } from '../../errors.js';
import { threadsForWork } from '../../parallel/threads.node.js';
import { summaryText } from '../../read/report.js';
import { CSV_EOL, formatCsvRow } from '../../util/csv-write.js';
import { OPTION_RULES } from '../../util/options.js';
import { type Command, opt, optRule, req, UsageError } from '../command.js';
import { type NamedPath, warnIfKeyReadable } from '../files.js';
import { isStreamOnly, listInput, noteInputRead } from '../input.js';
import { IssueSink } from '../issues.js';
import { beginWithManifest } from '../manifest.js';
import { encodePhase, fileSize, progressBar } from '../progress.js';

/**
 * Reads the key file named by `--key`. Messages name the option, never its value: a key pasted in
 * place of the path must not be echoed.
 * @example
 * ```ts
 * const key = readKeyFile('linkage.key'); // wipe with key.fill(0) when done
 * ```
 */
export function readKeyFile(path: string, option = '--key'): Uint8Array {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BloomlinkError(
      'KEY_UNREADABLE',
      `${option}: cannot read the key file (${code ?? 'error'}); give the path of a file made by 'bloomlink keygen', not the key itself`,
    );
  }
  warnIfKeyReadable(path);
  return parseKey(text, option);
}

/**
 * Reads a JSON file, with a one-line error (a pipe's bytes are noted for the run manifest).
 * @example
 * ```ts
 * const schemaJson = readJsonFile('schema.json', 'linkage schema');
 * ```
 */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    const bytes = readFileSync(path);
    noteInputRead(path, bytes);
    text = bytes.toString('utf8');
  } catch (e) {
    if (e instanceof BloomlinkError) throw e;
    throw new BloomlinkError(
      'FILE_NOT_FOUND',
      `${basename(path)}: cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new BloomlinkError('SCHEMA_INVALID', `${basename(path)}: the ${what} is not valid JSON`);
  }
}

function formatFor(out: string, given: string | undefined): EncodedFormat {
  const f = given ?? (out.toLowerCase().endsWith('.jsonl') ? 'jsonl' : 'arrow');
  if (f !== 'arrow' && f !== 'jsonl') throw new UsageError("--format must be 'arrow' or 'jsonl'");
  return f;
}

/**
 * Worker threads when `--threads` is not given: all cores for a file of at least `minBytes`, none
 * below (where starting them costs more than they save; docs/scaling.md, "Small jobs").
 */
function autoThreads(inPath: string, minBytes: number): number {
  return threadsForWork(fileSize(inPath) ?? 0, minBytes);
}

/** `bloomlink encode`: clear-text list → encoded file. The only command that reads the key. */
export const encode: Command = {
  name: 'encode',
  summary: 'encode a CoC client list or plan member list with the shared secret key',
  options: {
    in: {
      type: 'string',
      arg: 'FILE',
      help: 'CoC client list (contract list or HMIS Client.csv) or plan member list',
      required: true,
    },
    key: {
      type: 'string',
      arg: 'KEYFILE',
      help: "secret key file (from 'bloomlink keygen')",
      required: true,
    },
    out: {
      type: 'string',
      arg: 'FILE',
      help: 'encoded output (Arrow IPC; JSON Lines when it ends in .jsonl)',
      required: true,
    },
    schema: {
      type: 'string',
      arg: 'SCHEMA.json',
      help: 'linkage schema (default: the built-in one); a clkhash v3 schema switches to clkhash mode',
    },
    format: { type: 'string', arg: 'FORMAT', help: "'arrow' (default) or 'jsonl'" },
    report: {
      type: 'string',
      arg: 'FILE',
      help: 'rejection report CSV: line, field and code of every issue (default: <out>.rejects.csv)',
    },
    pseudonyms: {
      type: 'string',
      arg: 'MAP.csv',
      help: 'replace record IDs by random per-run pseudonyms; write the mapping here (keep it; never send it)',
    },
    today: {
      type: 'string',
      arg: 'YYYY-MM-DD',
      help: 'reference date for future-date checks (default: today)',
    },
    threads: {
      type: 'string',
      arg: 'N',
      help: 'threads that encode: N worker threads, in clkhash mode this thread and N - 1 workers (default: all cores for a file of 8 MiB or more, 32 MiB in clkhash mode, else 1 = no worker threads); same output for any N',
    },
    'allow-weak-secret': {
      type: 'boolean',
      help: 'clkhash mode: accept a secret under 16 bytes or too regular to be random (test vectors only)',
    },
    quiet: { type: 'boolean', short: 'q', help: 'no progress bar or summary' },
  },
  details: `Example:
  bloomlink encode --in clients.csv --key linkage.key --out coc.arrow
The output holds record IDs, keyed Bloom filters, keyed hashes, keyed blocking keys and data-quality
codes: no clear-text name, date of birth or SSN, and no key.

clkhash compatibility: with a clkhash linkage schema v3, the CSV's columns are taken by feature
identifier, the key file's trimmed text is the secret, and the output is anonlink-client's JSON
({"clks": [base64, ...]}), identical to clkhash 0.18's:
  bloomlink encode --schema clkhash-schema.json --in records.csv --key secret.txt --out clks.json`,
  async run(v) {
    const quiet = v.quiet === true;
    const inPath = req(v, 'in');
    const outPath = req(v, 'out');
    const format = formatFor(outPath, opt(v, 'format'));
    const schemaPath = opt(v, 'schema');
    const mapPath = opt(v, 'pseudonyms');
    const reportPath = opt(v, 'report') ?? `${outPath}.rejects.csv`;
    const keyPath = req(v, 'key');
    const inputs: NamedPath[] = [
      { option: '--in', path: inPath },
      { option: '--key', path: keyPath },
      ...(schemaPath ? [{ option: '--schema', path: schemaPath }] : []),
    ];
    const schemaJson = schemaPath ? readJsonFile(schemaPath, 'linkage schema') : undefined;
    const threadsOption = optRule(v, 'threads', OPTION_RULES.positiveInteger);
    if (schemaJson !== undefined && isClkhashSchema(schemaJson)) {
      // Loaded only in clkhash mode: a bloomlink encoding never parses the clkhash code.
      const { CLKHASH_PARALLEL_MIN_BYTES } = await import('../../encode/clkhash/parallel.node.js');
      const { encodeClkhashCsv } = await import('../clkhash.js');
      const n = await encodeClkhashCsv(
        schemaJson,
        inPath,
        keyPath,
        outPath,
        quiet,
        inputs,
        v['allow-weak-secret'] === true,
        threadsOption ?? autoThreads(inPath, CLKHASH_PARALLEL_MIN_BYTES),
        (plan) => beginWithManifest(encode, v, outPath, plan),
      );
      if (!quiet)
        process.stderr.write(`Encoded: ${n} records → ${outPath} (clkhash v3 CLKs, anonlink JSON)\n`);
      return 0;
    }
    const schema: LinkageSchema | undefined =
      schemaJson === undefined ? undefined : parseLinkageSchema(schemaJson);
    if (v['allow-weak-secret'] === true)
      throw new UsageError(
        "--allow-weak-secret applies to clkhash mode only; a bloomlink key comes from 'bloomlink keygen'",
      );
    const threads = threadsOption ?? autoThreads(inPath, ENCODE_PARALLEL_MIN_BYTES);
    const { set, manifest } = await beginWithManifest(encode, v, outPath, {
      files: [
        { option: '--out', path: outPath },
        { option: '--report', path: reportPath },
        ...(mapPath ? [{ option: '--pseudonyms', path: mapPath }] : []),
      ],
      inputs,
    });
    let key: Uint8Array | undefined;
    // Counts of a list none of whose rows was accepted: its outputs are written (the rejection report
    // says why), then the run fails, since an encoded file with no records cannot be matched.
    let empty: { read: number; rejected: number } | undefined;
    const bar = progressBar(`encode: reading ${basename(inPath)}`, { quiet, unit: 'bytes' });
    const totalBytes = fileSize(inPath);
    try {
      key = readKeyFile(keyPath);
      // The rejection report and the pseudonym map hold record IDs: private. The encoded file holds
      // no clear text and is sent to the other party: shared.
      const sink = await IssueSink.open(set, reportPath);
      const map = mapPath ? await set.open(mapPath, 'private', '--pseudonyms') : undefined;
      let mapLines: string[] = [];
      const out = await set.open(outPath, 'shared');
      const today = opt(v, 'today');
      const run = await encodeParallel(await listInput(inPath), key, {
        threads,
        // A member list is read twice (its first pass finds each member's most recent span): a file
        // is opened again; a pipe, read once, is kept in memory for the second pass.
        ...(!isStreamOnly(inPath) && { reopen: () => listInput(inPath) }),
        label: basename(inPath),
        onIssue: sink.onIssue,
        ...(totalBytes !== undefined && { totalBytes }),
        onProgress: (p) => encodePhase(bar, p, basename(inPath)),
        ...(map ? { onPseudonym: (p: string, id: string) => mapLines.push(formatCsvRow([p, id])) } : {}),
        ...(schema ? { schema } : {}),
        ...(today ? { today } : {}),
      });
      if (map)
        await map.write(
          formatCsvRow(['Pseudonym', run.kind === 'coc' ? 'PersonalID' : 'MemberID']) + CSV_EOL,
        );
      async function* flushing() {
        for await (const b of run.batches) {
          yield b;
          await sink.flush();
          if (map && mapLines.length > 0) {
            await map.write(mapLines.join(CSV_EOL) + CSV_EOL);
            mapLines = [];
          }
        }
      }
      // Handed over, not copied: the writer's chunks are fresh arrays or views of a batch's columns,
      // which nothing changes once the batch is written (a copy of every record on this thread).
      const { records } = await writeEncoded(
        format,
        run.meta,
        flushing(),
        (chunk) => out.write(chunk, true),
        { rows: () => run.reader.summary },
      );
      await sink.finish(run.reader.summary);
      const rows = run.reader.summary;
      manifest.rows('--in', rows.rowsRead).linkage(run.meta).count('records', records);
      manifest.count('rowsAccepted', rows.rowsRead - rows.rejected).count('rowsRejected', rows.rejected);
      await set.commit();
      bar.done();
      const s = run.reader.summary;
      if (!quiet) {
        process.stderr.write(
          `${summaryText(s)}Encoded: ${records} ${run.kind === 'coc' ? 'CoC clients' : 'plan members'} → ${outPath} (${format})\n` +
            `key check: ${formatKeyCheck(run.meta.keyCheck)} (compare it with the other party's)\n` +
            `Rejection report: ${reportPath}\n${mapPath ? `Pseudonym map (keep it, never send it): ${mapPath}\n` : ''}`,
        );
      }
      if (records === 0) empty = { read: s.rowsRead, rejected: s.rejected };
    } catch (e) {
      bar.done();
      await set.abort();
      throw e;
    } finally {
      key?.fill(0);
    }
    if (empty)
      throw new BloomlinkError(
        'INPUT_INVALID',
        `${basename(inPath)}: no row was accepted (${empty.read} read, ${empty.rejected} rejected), so the encoded file holds no records; see the rejection report`,
      );
    return 0;
  },
};
