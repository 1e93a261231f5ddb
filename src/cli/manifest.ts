/**
 * Run manifests: `<out>.manifest.json` beside the main output of every command that writes files,
 * an audit trail of each exchange. It names the tool and its version, each input (base name, SHA-256,
 * size, rows), the linkage schema fingerprint and key check of the encoded files involved, the
 * options (paths as base names; never the key or anything read from it), each output (path relative
 * to the manifest, SHA-256, size), counts of what was written, and whether it was a test run. It is
 * written last in the command's output set, so it is committed with the outputs or not at all.
 *
 * Everything in it is the same for the same inputs, options and version except `createdAt`.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as z from 'zod';
import { BloomlinkError } from '../errors.js';
import { VERSION } from '../version.js';
import { type Command, type OptionValues, redactSecrets } from './command.js';
import { type NamedPath, type OutputPlan, OutputSet, type WrittenFile } from './files.js';
import { isStreamOnly, pipedDigest } from './input.js';

/**
 * Version of the manifest layout (raised when a field changes meaning or goes).
 * @example
 * ```ts
 * JSON.parse(text).manifestVersion === MANIFEST_VERSION;
 * ```
 */
export const MANIFEST_VERSION = 1;

const SHA256_HEX = /^[0-9a-f]{64}$/;

function buildManifestSchema() {
  const SHA256 = z.string().regex(SHA256_HEX);
  const COUNT = z.number().int().nonnegative();
  const OPTION_VALUE = z.union([z.string(), z.boolean(), z.array(z.string())]);
  return z
    .object({
      manifestVersion: z.literal(MANIFEST_VERSION),
      tool: z.object({ name: z.literal('bloomlink'), version: z.string() }).strict(),
      command: z.string(),
      /** When the run finished (ISO 8601, UTC): the one field that differs between identical runs. */
      createdAt: z.iso.datetime(),
      testRun: z.boolean(),
      inputs: z.array(
        z
          .object({
            option: z.string(),
            file: z.string(),
            kind: z.enum(['file', 'folder']),
            sha256: SHA256,
            bytes: COUNT,
            rows: COUNT.optional(),
          })
          .strict(),
      ),
      linkage: z.object({ schemaFingerprint: z.string(), keyCheck: z.string() }).strict().optional(),
      options: z.record(z.string(), OPTION_VALUE),
      outputs: z.array(
        z.object({ option: z.string(), file: z.string(), sha256: SHA256, bytes: COUNT }).strict(),
      ),
      counts: z.record(z.string(), COUNT),
    })
    .strict();
}

let manifestSchemaBuilt: ReturnType<typeof buildManifestSchema> | undefined;

/**
 * The manifest's layout (zod), documented in docs/formats-outputs.md ("Run manifests"). Built on
 * first use: every command writes a manifest, but only reading one back (`match --previous`) needs
 * zod; building the schema cost each process of a small job ≈ 10–25 ms (docs/scaling.md, "Small
 * jobs", round five). A written manifest is checked by {@link checkWrittenManifest} instead.
 * @example
 * ```ts
 * const manifest = manifestSchema().parse(JSON.parse(readFileSync('links.csv.manifest.json', 'utf8')));
 * ```
 */
export function manifestSchema(): ReturnType<typeof buildManifestSchema> {
  manifestSchemaBuilt ??= buildManifestSchema();
  return manifestSchemaBuilt;
}

/**
 * A run manifest as read back.
 * @example
 * ```ts
 * const m: RunManifestData = manifestSchema().parse(json);
 * ```
 */
export type RunManifestData = z.infer<ReturnType<typeof buildManifestSchema>>;

/**
 * Checks a manifest as built, before it is written: what {@link manifestSchema} checks beyond the
 * types the code already guarantees (digests as 64 hex digits, counts as non-negative whole numbers,
 * the version, the tool, a UTC timestamp, option values). Returns it unchanged (the same keys in the
 * same order, so the same JSON).
 * @throws Error naming the first field that does not pass (a bug, never the user's input)
 * @example
 * ```ts
 * const text = JSON.stringify(checkWrittenManifest(data), null, 2);
 * ```
 */
export function checkWrittenManifest(m: RunManifestData): RunManifestData {
  const fail = (what: string): never => {
    throw new Error(`run manifest: ${what} does not fit the manifest layout`);
  };
  const count = (n: unknown, what: string) => {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) fail(what);
  };
  const digest = (h: unknown, what: string) => {
    if (typeof h !== 'string' || !SHA256_HEX.test(h)) fail(what);
  };
  if (m.manifestVersion !== MANIFEST_VERSION) fail('manifestVersion');
  if (m.tool.name !== 'bloomlink' || typeof m.tool.version !== 'string') fail('tool');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(m.createdAt)) fail('createdAt');
  m.inputs.forEach((i, k) => {
    if (i.kind !== 'file' && i.kind !== 'folder') fail(`inputs.${k}.kind`);
    digest(i.sha256, `inputs.${k}.sha256`);
    count(i.bytes, `inputs.${k}.bytes`);
    if (i.rows !== undefined) count(i.rows, `inputs.${k}.rows`);
  });
  m.outputs.forEach((o, k) => {
    digest(o.sha256, `outputs.${k}.sha256`);
    count(o.bytes, `outputs.${k}.bytes`);
  });
  for (const [name, v] of Object.entries(m.options))
    if (
      typeof v !== 'string' &&
      typeof v !== 'boolean' &&
      !(Array.isArray(v) && v.every((x) => typeof x === 'string'))
    )
      fail(`options.${name}`);
  for (const [name, n] of Object.entries(m.counts)) count(n, `counts.${name}`);
  return m;
}

/**
 * The manifest path of an output: `<out>.manifest.json` (for a folder, beside it, not inside it, so
 * the folder holds only what an importer reads).
 * @example
 * ```ts
 * manifestPath('out/links.csv'); // 'out/links.csv.manifest.json'
 * ```
 */
export function manifestPath(out: string): string {
  return `${out.replace(/[\\/]+$/, '')}.manifest.json`;
}

/**
 * The planned output entry of an output's manifest, for `OutputSet.begin`'s `files`.
 * @example
 * ```ts
 * await OutputSet.begin({ files: [{ option: '--out', path: out }, manifestOutput(out)] });
 * ```
 */
export function manifestOutput(out: string): NamedPath {
  return { option: '--out (manifest)', path: manifestPath(out) };
}

/** Options never recorded: the key file (a manifest names no key), and output noise. */
const NOT_RECORDED = new Set(['key', 'quiet', 'help']);

/**
 * Collects what a command's manifest records, then writes it as the last file of the output set.
 * @example
 * ```ts
 * const manifest = new RunManifest(match, values, inputs);
 * manifest.rows('--coc', coc.batch.length).count('links', result.links.length);
 * manifest.attach(set, outPath);
 * await set.commit(); // writes links.csv.manifest.json with the other outputs
 * ```
 */
export class RunManifest {
  private readonly rowCounts = new Map<string, number>();
  private readonly countValues: Record<string, number> = {};
  private linkageValue: { schemaFingerprint: string; keyCheck: string } | undefined;
  private test = false;
  /** Digests started early ({@link RunManifest.digestInputsEarly}), by input path. */
  private readonly early = new Map<string, ReturnType<typeof digestPath>>();
  private readonly earlyStop = new AbortController();

  /**
   * @param command the command run (its option specs tell paths from other values)
   * @param values its parsed options
   * @param inputs its inputs (the key file among them is never read or named)
   */
  constructor(
    private readonly command: Command,
    private readonly values: OptionValues,
    private readonly inputs: readonly NamedPath[],
  ) {}

  /** Records the rows (records) read from the input named by `option`. */
  rows(option: string, n: number): this {
    this.rowCounts.set(option, n);
    return this;
  }

  /** Records counts of what was written (names in camelCase). */
  count(name: string, n: number): this {
    this.countValues[name] = n;
    return this;
  }

  /** Records the linkage schema fingerprint and key check of the encoded files involved. */
  linkage(meta: { readonly schemaFingerprint: string; readonly keyCheck: string }): this {
    this.linkageValue = { schemaFingerprint: meta.schemaFingerprint, keyCheck: meta.keyCheck };
    return this;
  }

  /**
   * Starts digesting the inputs now, for the manifest to use when it is built: the files are read
   * and hashed while the command works, not after it; a file of {@link THREAD_DIGEST_BYTES} or more
   * on a thread of its own (a 1 GB plan's hash took ≈ 1.3 s of this thread in its busiest stretch).
   * A failure is reported when the manifest is built, as before.
   */
  digestInputsEarly(): this {
    for (const i of this.inputs) {
      if (i.option === '--key' || this.early.has(i.path)) continue;
      // Only regular files: a pipe can be read once, and a second reader would take bytes from the
      // command's own reading. Folders and the rest are digested when the manifest is built.
      const stat = statSync(i.path, { throwIfNoEntry: false });
      if (stat?.isFile() !== true) continue;
      const take = stat.size >= THREAD_DIGEST_BYTES ? digestOnThread : digestFile;
      const digest = take(i.path, this.earlyStop.signal).then((d) => ({ kind: 'file' as const, ...d }));
      digest.catch(() => {}); // awaited, and so reported, by build()
      this.early.set(i.path, digest);
    }
    return this;
  }

  /**
   * Records input `path`'s digest, already taken by the command (so {@link RunManifest.digestInputsEarly}
   * and the manifest do not read the file again).
   * @example
   * ```ts
   * manifest.knownDigest('last-month/links.csv', await digestFile('last-month/links.csv'));
   * ```
   */
  knownDigest(path: string, digest: { readonly sha256: string; readonly bytes: number }): this {
    this.early.set(path, Promise.resolve({ kind: 'file', sha256: digest.sha256, bytes: digest.bytes }));
    return this;
  }

  /** Stops the digests {@link RunManifest.digestInputsEarly} started (the run failed: no manifest). */
  cancelEarlyDigests(): void {
    this.earlyStop.abort();
  }

  /** Marks the run as a test run (`--test-only`). */
  testRun(flag = true): this {
    this.test = flag;
    return this;
  }

  /** Writes the manifest of `out` as the last file of `set` (its path must be planned). */
  attach(set: OutputSet, out: string): void {
    const path = manifestPath(out);
    set.finalFile(
      path,
      'private',
      manifestOutput(out).option,
      async (written) => `${JSON.stringify(await this.build(written, dirname(resolve(path))), null, 2)}\n`,
    );
  }

  /** The manifest's data for the outputs written (paths relative to `folder`). */
  async build(written: readonly WrittenFile[], folder: string): Promise<RunManifestData> {
    const inputs: RunManifestData['inputs'] = [];
    for (const i of this.inputs) {
      if (i.option === '--key') continue;
      const digest = await (this.early.get(i.path) ?? digestPath(i.path, i.option));
      const rows = this.rowCounts.get(i.option);
      inputs.push({
        option: i.option,
        file: basename(i.path),
        ...digest,
        ...(rows === undefined ? {} : { rows }),
      });
    }
    const outputs = written.map((w) => ({
      option: w.option,
      file: relative(folder, resolve(w.path)).split(sep).join('/'),
      sha256: w.sha256,
      bytes: w.bytes,
    }));
    return checkWrittenManifest({
      manifestVersion: MANIFEST_VERSION,
      tool: { name: 'bloomlink', version: VERSION },
      command: this.command.name,
      createdAt: new Date().toISOString(),
      testRun: this.test,
      inputs,
      ...(this.linkageValue ? { linkage: this.linkageValue } : {}),
      options: recordedOptions(this.command, this.values),
      outputs,
      counts: this.countValues,
    });
  }
}

/** The options as recorded: paths as base names, no key, nothing that looks like a key. */
function recordedOptions(
  command: Command,
  values: OptionValues,
): Record<string, string | boolean | string[]> {
  const out: Record<string, string | boolean | string[]> = {};
  for (const name of Object.keys(values).sort()) {
    const v = values[name];
    const spec = command.options[name];
    if (v === undefined || spec === undefined || NOT_RECORDED.has(name)) continue;
    const isPath = /FILE|DIR|\.json$|\.csv$/.test(spec.arg ?? '');
    const clean = (s: string): string => redactSecrets(isPath ? basename(s) : s);
    out[name] = typeof v === 'boolean' ? v : Array.isArray(v) ? v.map(clean) : clean(v);
  }
  return out;
}

/**
 * SHA-256 and size of a file, or of a folder's files (names and digests, in name order); of a pipe,
 * the bytes the command read from it (opened again, it would wait for a writer that is gone).
 */
async function digestPath(
  path: string,
  option: string,
): Promise<{ kind: 'file' | 'folder'; sha256: string; bytes: number }> {
  if (isStreamOnly(path)) {
    const read = pipedDigest(path);
    if (read === undefined)
      throw new BloomlinkError(
        'INPUT_INVALID',
        `${option} ${basename(path)}: a pipe this run did not read to its end cannot be recorded in the manifest; give a regular file`,
      );
    return { kind: 'file', ...read };
  }
  if (statSync(path).isDirectory()) {
    const h = createHash('sha256');
    let bytes = 0;
    for (const name of readdirSync(path).sort()) {
      const p = join(path, name);
      if (!statSync(p).isFile()) continue;
      const d = await digestFile(p);
      h.update(`${name}\u0000${d.sha256}\n`);
      bytes += d.bytes;
    }
    return { kind: 'folder', sha256: h.digest('hex'), bytes };
  }
  return { kind: 'file', ...(await digestFile(path)) };
}

/** Bytes per read of {@link digestFile}. */
const DIGEST_READ = 1 << 20;

/**
 * SHA-256 and size of a file, read in 1 MiB pieces (a list of millions of rows is never held whole)
 * into two buffers used in turn: the next piece is read while this one is hashed, and no piece needs
 * fresh memory. A new buffer per piece, as a read stream gives, cost a 1 GB plan's digest ≈ 1.1 s
 * more CPU than the hash itself (page faults and the first touch of the new pages; docs/scaling.md,
 * "Checksums off the critical path").
 * @example
 * ```ts
 * const { sha256, bytes } = await digestFile('links.csv');
 * ```
 */
export async function digestFile(
  path: string,
  signal?: AbortSignal,
): Promise<{ sha256: string; bytes: number }> {
  signal?.throwIfAborted();
  const file = await open(path, 'r');
  let pending: Promise<{ bytesRead: number }> | undefined;
  try {
    const h = createHash('sha256');
    let got = Buffer.allocUnsafe(DIGEST_READ);
    let next = Buffer.allocUnsafe(DIGEST_READ);
    let bytes = 0;
    pending = file.read(got, 0, DIGEST_READ, 0);
    for (;;) {
      const { bytesRead } = await pending;
      pending = undefined;
      if (bytesRead === 0) break;
      signal?.throwIfAborted();
      bytes += bytesRead;
      pending = file.read(next, 0, DIGEST_READ, bytes);
      h.update(got.subarray(0, bytesRead));
      [got, next] = [next, got];
    }
    return { sha256: h.digest('hex'), bytes };
  } finally {
    // A read still under way is waited for before the file is closed (its buffer is ours).
    await pending?.catch(() => {});
    await file.close();
  }
}

/**
 * Inputs from this size on are digested early ({@link RunManifest.digestInputsEarly}) on a thread of
 * their own: a thread's start (≈ 30 ms) is small beside their hash, and this thread is not held.
 */
const THREAD_DIGEST_BYTES = 64 * 2 ** 20;

/**
 * The thread's code: {@link digestFile}'s hash with synchronous reads into one reused buffer (the
 * thread has nothing else to do). CommonJS, run with `eval`: no module of the package is loaded.
 */
const DIGEST_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const h = createHash('sha256');
const b = Buffer.allocUnsafe(${DIGEST_READ});
const fd = openSync(workerData, 'r');
let bytes = 0;
try {
  for (let n; (n = readSync(fd, b, 0, b.length, bytes)) > 0; bytes += n) h.update(b.subarray(0, n));
} finally {
  closeSync(fd);
}
parentPort.postMessage({ sha256: h.digest('hex'), bytes });
`;

/**
 * {@link digestFile} on a worker thread. Should the thread fail (the file gone, unreadable), the
 * digest is taken here instead, so the error is the one {@link digestFile} gives.
 */
function digestOnThread(path: string, signal: AbortSignal): Promise<{ sha256: string; bytes: number }> {
  // An abort event already fired does not fire again for a new listener: no thread for a stopped run.
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    let settled = false;
    const worker = new Worker(DIGEST_THREAD, { eval: true, workerData: path });
    const settle = (then: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', stop);
      then();
    };
    const stop = () =>
      settle(() => {
        void worker.terminate();
        reject(signal.reason);
      });
    const here = () => settle(() => digestFile(path, signal).then(resolve, reject));
    signal.addEventListener('abort', stop, { once: true });
    worker.once('message', (d: { sha256: string; bytes: number }) => settle(() => resolve(d)));
    worker.once('error', here);
    worker.once('exit', here);
  });
}

/**
 * `OutputSet.begin` with the manifest of `out` planned and attached: the one call a command makes
 * to get its outputs and its manifest (fill in rows and counts before the set is committed).
 * @example
 * ```ts
 * const { set, manifest } = await beginWithManifest(match, values, 'links.csv', { files, inputs });
 * manifest.count('links', n);
 * await set.commit();
 * ```
 */
export async function beginWithManifest(
  command: Command,
  values: OptionValues,
  out: string,
  plan: OutputPlan,
): Promise<{ set: OutputSet; manifest: RunManifest }> {
  const manifest = new RunManifest(command, values, plan.inputs ?? []);
  const set = await OutputSet.begin({ ...plan, files: [...plan.files, manifestOutput(out)] });
  manifest.attach(set, out);
  return { set, manifest };
}

/**
 * Reads the manifest beside `out`, when there is one: undefined when absent.
 * @throws BloomlinkError `FILE_CORRUPT` when it is there but not a bloomlink manifest
 * @example
 * ```ts
 * const previous = readManifest('last-month/links.csv'); // reads last-month/links.csv.manifest.json
 * ```
 */
export function readManifest(out: string): RunManifestData | undefined {
  const path = manifestPath(out);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BloomlinkError('FILE_CORRUPT', `${basename(path)}: not a readable JSON manifest`);
  }
  const parsed = manifestSchema().safeParse(json);
  if (!parsed.success)
    throw new BloomlinkError(
      'FILE_CORRUPT',
      `${basename(path)}: not a bloomlink run manifest (version ${MANIFEST_VERSION})`,
    );
  return parsed.data;
}
