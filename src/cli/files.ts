/**
 * Output files for the CLI, written as one set: every file of a command goes to a temporary file
 * beside its final name (created with O_EXCL and its final mode), every write is checked, and on
 * success all are fsynced, then renamed into place, then their folders fsynced; on any failure every
 * temporary file is removed, so a failed run leaves no partial file and replaces no previous one.
 * Before anything is created, the set refuses an output that resolves (symlinks and hard links
 * included) to an input, the key or another output, and takes a lock file in each output folder so
 * two runs cannot write one folder at once.
 */
import { createHash, type Hash } from 'node:crypto';
import { lstatSync, realpathSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { BloomlinkError } from '../errors.js';

/**
 * A file being written as part of an {@link OutputSet}.
 * @example
 * ```ts
 * const out: OutputFile = await set.open('links.csv', 'private');
 * await out.write('PersonalID,MemberID\r\n');
 * ```
 */
export interface OutputFile {
  /**
   * Appends text (UTF-8) or bytes; rejects with `FILE_UNWRITABLE` when the write fails. `owned`:
   * the caller hands the bytes over and never changes them again, so they are kept without a copy.
   */
  write(chunk: string | Uint8Array, owned?: boolean): Promise<void>;
}

/**
 * The part of an open file the output set uses: the seam where tests inject faults.
 * @example
 * ```ts
 * const h: WritableHandle = await nodeFileLayer.create('.links.csv.partial-1', 0o600);
 * const written = await h.write(new TextEncoder().encode('PersonalID\r\n'));
 * ```
 */
export interface WritableHandle {
  /** Writes some of `bytes` (a short write is allowed); resolves with the number written. */
  write(bytes: Uint8Array): Promise<number>;
  /**
   * Writes some of `chunks`, in order, in one call (a short write is allowed); resolves with the
   * number of bytes written. Optional: without it, small chunks are joined into one `write`.
   */
  writev?(chunks: readonly Uint8Array[]): Promise<number>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * How output files are created; {@link nodeFileLayer} in normal runs, a faulty one in tests.
 * @example
 * ```ts
 * const full: FileLayer = {
 *   create: async (path, mode) => ({
 *     ...(await nodeFileLayer.create(path, mode)),
 *     write: async () => { throw Object.assign(new Error('full'), { code: 'ENOSPC' }); },
 *   }),
 * };
 * ```
 */
export interface FileLayer {
  /** Creates `path` exclusively (it must not exist) with permission bits `mode`. */
  create(path: string, mode: number): Promise<WritableHandle>;
}

/**
 * The real file layer: `open(path, 'wx', mode)` on `node:fs/promises`.
 * @example
 * ```ts
 * const set = await OutputSet.begin({ files: [{ option: '--out', path: 'links.csv' }] }, nodeFileLayer);
 * ```
 */
export const nodeFileLayer: FileLayer = {
  async create(path, mode) {
    const h: FileHandle = await open(path, 'wx', mode);
    return {
      write: async (bytes) => (await h.write(bytes, 0, bytes.length)).bytesWritten,
      writev: async (chunks) => (await h.writev(chunks as Uint8Array[])).bytesWritten,
      sync: () => h.sync(),
      close: () => h.close(),
    };
  },
};

/** Writes `chunks` in order with `writev`, again from where a short write stopped. */
async function gathered(
  chunks: readonly Uint8Array[],
  writev: (chunks: readonly Uint8Array[]) => Promise<number>,
): Promise<void> {
  let rest = chunks.filter((c) => c.length > 0);
  while (rest.length > 0) {
    let n = await writev(rest);
    if (!(n > 0)) throw Object.assign(new Error('short write'), { code: 'EIO' });
    let i = 0;
    while (i < rest.length && n >= (rest[i] as Uint8Array).length) n -= (rest[i++] as Uint8Array).length;
    if (i === rest.length) return;
    rest = rest.slice(i);
    rest[0] = (rest[0] as Uint8Array).subarray(n);
  }
}

/**
 * A path given on the command line, with the option that named it (messages name the option).
 * @example
 * ```ts
 * const input: NamedPath = { option: '--in', path: 'clients.csv' };
 * ```
 */
export interface NamedPath {
  readonly option: string;
  readonly path: string;
}

/**
 * Who may read a file: `private` (0600) for personal data and keys, `shared` (0666 less umask).
 * @example
 * ```ts
 * const access: FileAccess = 'private';
 * ```
 */
export type FileAccess = 'private' | 'shared';

/**
 * Mode bits of a private file: owner read and write only.
 * @example
 * ```ts
 * writeFileSync('linkage.key', key, { mode: PRIVATE_MODE });
 * ```
 */
export const PRIVATE_MODE = 0o600;
const SHARED_MODE = 0o666;
const BUFFER_BYTES = 1 << 20;
const LINES_PER_WRITE = 4096;
/**
 * Name of the lock file each output folder holds while a run writes there.
 * @example
 * ```ts
 * const held = existsSync(join('out', LOCK_NAME));
 * ```
 */
export const LOCK_NAME = '.bloomlink.lock';
/** A lock file whose content is not yet a PID is taken as being written for this long. */
const LOCK_GRACE_MS = 10_000;

function errnoOf(e: unknown): string {
  return (e as NodeJS.ErrnoException | undefined)?.code ?? 'error';
}

/**
 * The coded error for a failed write: one line naming the file and the system's reason, no data.
 * @example
 * ```ts
 * throw unwritable('links.csv', Object.assign(new Error(), { code: 'ENOSPC' }));
 * ```
 */
export function unwritable(path: string, e: unknown, what = 'cannot write the file'): BloomlinkError {
  if (e instanceof BloomlinkError) return e;
  const code = errnoOf(e);
  const why: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EFBIG: 'file too large for the file size limit',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    EIO: 'I/O error',
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'the path is a folder',
  };
  return new BloomlinkError(
    'FILE_UNWRITABLE',
    `${path}: ${what} (${code}${why[code] ? `: ${why[code]}` : ''})`,
    {
      cause: e,
    },
  );
}

/** The real path `p` names or would name: symlinks resolved in the file and its nearest existing folder. */
function realTarget(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realTarget(parent), basename(abs));
  }
}

/** Device and inode of an existing path (hard links share them), else undefined. */
function inode(p: string): string | undefined {
  try {
    const s = statSync(p);
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Throws `OUTPUT_IS_INPUT` when an output resolves to an input, the key or another output (the same
 * real path after symlinks, or the same file by hard link).
 * @example
 * ```ts
 * checkOutputPaths([{ option: '--out', path: 'coc.arrow' }], [{ option: '--in', path: 'clients.csv' }]);
 * ```
 */
export function checkOutputPaths(outputs: readonly NamedPath[], inputs: readonly NamedPath[]): void {
  const seen: { option: string; real: string; ino: string | undefined; input: boolean }[] = inputs.map(
    (i) => ({ option: i.option, real: realTarget(i.path), ino: inode(i.path), input: true }),
  );
  for (const o of outputs) {
    const real = realTarget(o.path);
    const ino = inode(o.path);
    let symlinked = false;
    try {
      symlinked = lstatSync(o.path).isSymbolicLink();
    } catch {}
    const clash = seen.find((s) => s.real === real || (ino !== undefined && s.ino === ino));
    if (clash) {
      throw new BloomlinkError(
        'OUTPUT_IS_INPUT',
        `${o.option} ${basename(o.path)} is the same path as ${clash.option}${symlinked ? ' (through a symbolic link)' : ''}: ` +
          `it would ${clash.input ? 'destroy an input' : 'be written twice'}; nothing was written`,
      );
    }
    seen.push({ option: o.option, real, ino, input: false });
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoOf(e) === 'EPERM';
  }
}

/** Takes the lock of folder `dir` (O_EXCL), replacing a stale one left by a process that died. */
async function takeLock(dir: string): Promise<string> {
  const lock = join(dir, LOCK_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const h = await open(lock, 'wx', PRIVATE_MODE);
      try {
        await h.write(`${process.pid}\n`);
      } finally {
        await h.close();
      }
      return lock;
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST') throw unwritable(lock, e, 'cannot create the lock file');
    }
    let text = '';
    let age = 0;
    try {
      text = await readFile(lock, 'utf8');
      age = Date.now() - (await stat(lock)).mtimeMs;
    } catch {
      continue; // removed meanwhile: try again
    }
    const pid = /^\d+\s*$/.test(text) ? Number(text) : undefined;
    const live = pid === undefined ? age < LOCK_GRACE_MS : pidAlive(pid);
    if (live) {
      throw new BloomlinkError(
        'OUTPUT_LOCKED',
        `${dir}: another bloomlink run${pid === undefined ? '' : ` (process ${pid})`} is writing to this folder; ` +
          `wait for it to finish (if it is no longer running, remove ${lock})`,
      );
    }
    await rm(lock, { force: true });
  }
  throw new BloomlinkError(
    'OUTPUT_LOCKED',
    `${dir}: cannot take the lock ${lock}; another run keeps taking it`,
  );
}

/** Removes temporary files that runs killed before they could clean up left in `dir` (we hold its lock). */
async function removeDeadPartials(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^\..+\.partial-(\d+)$/.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !pidAlive(Number(pid)))
      await rm(join(dir, name), { force: true }).catch(() => {});
  }
}

async function syncFolder(dir: string): Promise<void> {
  // Makes the renames durable; not every platform can open a folder, and then there is nothing to do.
  try {
    const h = await open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {}
}

/**
 * What the output sets still open hold, for the signal handler's {@link removeUncommittedSync} and
 * {@link renamingSync}: one record a process, kept under a registry symbol, because the built CLI
 * holds this module twice — in the dispatcher (dist/cli.js, whose handler reads it) and in the
 * command's own bundle (dist/cli-<command>.cjs, whose sets fill it; tsup.config.ts).
 */
interface OpenOutputs {
  /** Temporary files and locks of the sets not yet committed or aborted. */
  readonly live: Set<string>;
  /** The folders each open set created (outermost first). */
  readonly folders: Map<object, readonly string[]>;
  /** Sets moving their finished files into place (`commit`'s renames). */
  renaming: number;
}

const OPEN_OUTPUTS: unique symbol = Symbol.for('bloomlink.cli.openOutputs') as never;
const registry = globalThis as { [OPEN_OUTPUTS]?: OpenOutputs };
registry[OPEN_OUTPUTS] ??= {
  live: new Set<string>(),
  folders: new Map<object, readonly string[]>(),
  renaming: 0,
};
const openOutputs: OpenOutputs = registry[OPEN_OUTPUTS];
const live = openOutputs.live;
const liveFolders = openOutputs.folders;

/**
 * Whether an output set is moving its finished files into place: a signal now leaves some of them
 * replaced and others not, which the interrupted run must say.
 * @example
 * ```ts
 * if (renamingSync()) process.stderr.write('some outputs may already be replaced\n');
 * ```
 */
export function renamingSync(): boolean {
  return openOutputs.renaming > 0;
}

/**
 * Aborts, synchronously, the output sets still open: removes their temporary files and locks, then
 * the folders they created that are left empty. For a signal handler (SIGINT, SIGTERM) that is about
 * to end the process. Returns the number of sets aborted (0: nothing was being written).
 * @example
 * ```ts
 * process.on('SIGTERM', () => { removeUncommittedSync(); process.exit(143); });
 * ```
 */
export function removeUncommittedSync(): number {
  const sets = liveFolders.size;
  for (const path of live) {
    try {
      rmSync(path, { force: true });
    } catch {}
  }
  live.clear();
  const folders = deepestFirst([...liveFolders.values()].flat());
  liveFolders.clear();
  for (const d of folders) {
    try {
      rmdirSync(d); // only an empty folder goes
    } catch {}
  }
  return sets;
}

interface Pending {
  readonly path: string;
  readonly option: string;
  readonly tmp: string;
  readonly handle: WritableHandle;
  buffered: Uint8Array[];
  bufferedBytes: number;
  closed: boolean;
  /** SHA-256 and size of everything written, for {@link OutputSet.finalFile}. */
  readonly hash: Hash;
  bytes: number;
}

/**
 * An output file as written by an {@link OutputSet}: its path, the option that named it, its
 * SHA-256 (hex) and size in bytes.
 * @example
 * ```ts
 * set.finalFile('links.csv.manifest.json', 'private', '--out', (written: WrittenFile[]) =>
 *   JSON.stringify(written.map((w) => [w.path, w.sha256])),
 * );
 * ```
 */
export interface WrittenFile {
  readonly path: string;
  readonly option: string;
  readonly sha256: string;
  readonly bytes: number;
}

interface Final {
  readonly path: string;
  readonly access: FileAccess;
  readonly option: string;
  readonly render: (written: readonly WrittenFile[]) => string | Promise<string>;
}

/**
 * What an {@link OutputSet} writes and must not touch.
 * @example
 * ```ts
 * const plan: OutputPlan = {
 *   files: [{ option: '--report', path: 'hmis.rejects.csv' }],
 *   folders: [{ option: '--out', path: 'hmis' }],
 *   inputs: [{ option: '--return', path: 'mcp-return.csv' }],
 * };
 * ```
 */
export interface OutputPlan {
  /** Output files, each named by its option. */
  readonly files: readonly NamedPath[];
  /** Output folders whose files are only known later (each file is checked when it is opened). */
  readonly folders?: readonly NamedPath[];
  /** Inputs, the key file and input folders: no output may resolve to one of them. */
  readonly inputs?: readonly NamedPath[];
}

/**
 * The outputs of one command, committed together or not at all.
 * @example
 * ```ts
 * const set = await OutputSet.begin({ files: [{ option: '--out', path: 'links.csv' }], inputs: [] });
 * try {
 *   const out = await set.open('links.csv', 'private');
 *   await out.write('PersonalID,MemberID\r\n');
 *   await set.commit();
 * } catch (e) {
 *   await set.abort();
 *   throw e;
 * }
 * ```
 */
export class OutputSet {
  private readonly pending: Pending[] = [];
  private readonly opened: NamedPath[] = [];
  private readonly finals: Final[] = [];
  private done = false;

  private constructor(
    private readonly plan: OutputPlan,
    private readonly locks: string[],
    private readonly layer: FileLayer,
    /** Folders {@link OutputSet.begin} created, outermost first: removed again, when empty, by an abort. */
    private readonly created: string[],
  ) {}

  /**
   * Checks the plan (nothing resolves to an input or to another output), creates the output folders
   * and takes their locks. Nothing else is created until {@link OutputSet.open}.
   */
  static async begin(plan: OutputPlan, layer: FileLayer = nodeFileLayer): Promise<OutputSet> {
    const inputs = plan.inputs ?? [];
    checkOutputPaths([...plan.files, ...(plan.folders ?? [])], inputs);
    const dirs = new Set<string>();
    for (const f of plan.files) dirs.add(realTarget(dirname(resolve(f.path))));
    for (const f of plan.folders ?? []) dirs.add(realTarget(f.path));
    const locks: string[] = [];
    const created: string[] = [];
    try {
      for (const dir of [...dirs].sort()) {
        try {
          // The first folder of the path that did not exist (mkdir creates it and those below it).
          const first = await mkdir(dir, { recursive: true });
          if (first !== undefined)
            for (let d = dir; ; d = dirname(d)) {
              created.push(d);
              if (d === first || d === dirname(d)) break;
            }
        } catch (e) {
          throw unwritable(dir, e, 'cannot create the folder');
        }
        locks.push(await takeLock(dir));
        await removeDeadPartials(dir);
      }
    } catch (e) {
      for (const l of locks) await rm(l, { force: true });
      await removeEmptyFolders(created);
      throw e;
    }
    for (const l of locks) live.add(l);
    const set = new OutputSet(plan, locks, layer, created);
    liveFolders.set(set, created);
    return set;
  }

  /**
   * Opens output `path` (a planned file, or a file in a planned folder) through a temporary file
   * created with mode 0600 (`private`) or 0666 less the umask (`shared`).
   */
  async open(path: string, access: FileAccess, option = '--out'): Promise<OutputFile> {
    if (this.done) throw new TypeError('OutputSet.open: the set is already committed or aborted');
    const named = { option, path };
    checkOutputPaths([...this.opened, named], this.plan.inputs ?? []);
    this.opened.push(named);
    const tmp = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
    let handle: WritableHandle;
    try {
      await rm(tmp, { force: true });
      handle = await this.layer.create(tmp, access === 'private' ? PRIVATE_MODE : SHARED_MODE);
    } catch (e) {
      throw unwritable(path, e, 'cannot create the file');
    }
    live.add(tmp);
    const p: Pending = {
      path,
      option,
      tmp,
      handle,
      buffered: [],
      bufferedBytes: 0,
      closed: false,
      hash: createHash('sha256'),
      bytes: 0,
    };
    this.pending.push(p);
    return {
      write: async (chunk, owned = false) => {
        // A copy unless handed over: the caller may reuse its buffer once the write resolves, and
        // this one is kept a while.
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : owned ? chunk : chunk.slice();
        p.hash.update(bytes);
        p.bytes += bytes.length;
        p.buffered.push(bytes);
        p.bufferedBytes += bytes.length;
        if (p.bufferedBytes >= BUFFER_BYTES) await this.flush(p);
      },
    };
  }

  private async flush(p: Pending): Promise<void> {
    const buffered = p.buffered;
    const bytes = p.bufferedBytes;
    p.buffered = [];
    p.bufferedBytes = 0;
    try {
      // Many chunks in one gathered write where the file layer has one: no copy (the encoded file's
      // columns arrive as the workers' ranges, a few KB each). Else small chunks joined into one
      // write, chunks of 64 KiB or more on average written as they are.
      const writev = p.handle.writev;
      if (writev !== undefined && buffered.length > 1) {
        await gathered(buffered, writev.bind(p.handle));
        return;
      }
      const parts =
        buffered.length === 1 || bytes >= buffered.length * 65_536 ? buffered : [Buffer.concat(buffered)];
      for (const all of parts) {
        let at = 0;
        while (at < all.length) {
          const n = await p.handle.write(all.subarray(at));
          if (!(n > 0)) throw Object.assign(new Error('short write'), { code: 'EIO' });
          at += n;
        }
      }
    } catch (e) {
      throw unwritable(p.path, e);
    }
  }

  /** Writes lines (each with its line break), joined 4,096 to a write. */
  async writeLines(
    path: string,
    lines: Iterable<string> | AsyncIterable<string>,
    access: FileAccess,
    option?: string,
  ): Promise<void> {
    await writeLines(await this.open(path, access, option), lines);
  }

  /** Writes a whole file (text or bytes). */
  async writeText(
    path: string,
    text: string | Uint8Array,
    access: FileAccess,
    option?: string,
  ): Promise<void> {
    await (await this.open(path, access, option)).write(text);
  }

  /**
   * Registers a file written last, at commit, from what the other files of the set hold (their
   * SHA-256 and sizes): a run manifest. It is committed with the others, or not at all. Its path
   * must be among the planned files.
   */
  finalFile(
    path: string,
    access: FileAccess,
    option: string,
    render: (written: readonly WrittenFile[]) => string | Promise<string>,
  ): void {
    if (this.done) throw new TypeError('OutputSet.finalFile: the set is already committed or aborted');
    this.finals.push({ path, access, option, render });
  }

  /** Flushes and fsyncs every file, renames all into place, fsyncs their folders, releases the locks. */
  async commit(): Promise<void> {
    if (this.done) throw new TypeError('OutputSet.commit: the set is already committed or aborted');
    let moving = false;
    try {
      if (this.finals.length > 0) {
        const written = this.pending.map((p) => ({
          path: p.path,
          option: p.option,
          sha256: p.hash.copy().digest('hex'),
          bytes: p.bytes,
        }));
        for (const f of this.finals.splice(0))
          await this.writeText(f.path, await f.render(written), f.access, f.option);
      }
      for (const p of this.pending) {
        await this.flush(p);
        try {
          await p.handle.sync();
          p.closed = true;
          await p.handle.close();
        } catch (e) {
          throw unwritable(p.path, e);
        }
      }
      // From the first rename on, an interruption leaves some outputs replaced: say so (main.ts).
      openOutputs.renaming++;
      moving = true;
      for (const p of this.pending) {
        try {
          await rename(p.tmp, p.path);
          live.delete(p.tmp);
        } catch (e) {
          throw unwritable(p.path, e, 'cannot move the finished file into place');
        }
      }
    } catch (e) {
      await this.abort();
      throw e;
    } finally {
      if (moving) openOutputs.renaming--;
    }
    this.done = true;
    liveFolders.delete(this);
    for (const dir of new Set(this.pending.map((p) => dirname(resolve(p.path))))) await syncFolder(dir);
    await this.release();
  }

  /** Removes every temporary file and releases the locks; the final names are untouched. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    for (const p of this.pending) {
      if (!p.closed) {
        p.closed = true;
        await p.handle.close().catch(() => {});
      }
      await rm(p.tmp, { force: true }).catch(() => {});
      live.delete(p.tmp);
    }
    await this.release();
    // A run that failed leaves no folder it made behind (nor one it wrote into: only empty ones go).
    await removeEmptyFolders(this.created);
    liveFolders.delete(this);
  }

  private async release(): Promise<void> {
    for (const l of this.locks) {
      await rm(l, { force: true }).catch(() => {});
      live.delete(l);
    }
  }
}

/** Removes `folders` (deepest first) that are empty; a folder something was put in stays. */
async function removeEmptyFolders(folders: readonly string[]): Promise<void> {
  for (const d of deepestFirst(folders)) await rmdir(d).catch(() => {});
}

/** `folders` without repeats, a folder before its parents (longest path first), for removal. */
function deepestFirst(folders: readonly string[]): string[] {
  return [...new Set(folders)].sort((a, b) => b.length - a.length);
}

/**
 * Runs `body` with a fresh output set; commits it when `body` succeeds, aborts it when it throws.
 * @example
 * ```ts
 * await withOutputs({ files: [{ option: '--out', path: 'links.csv' }] }, (set) =>
 *   set.writeLines('links.csv', ['PersonalID,MemberID\r\n'], 'private'),
 * );
 * ```
 */
export async function withOutputs<T>(
  plan: OutputPlan,
  body: (set: OutputSet) => Promise<T>,
  layer?: FileLayer,
): Promise<T> {
  const set = await OutputSet.begin(plan, layer);
  let result: T;
  try {
    result = await body(set);
  } catch (e) {
    await set.abort();
    throw e;
  }
  await set.commit();
  return result;
}

/**
 * Writes lines (each ending with its line break) to `out`, joined 4,096 to a write: one call per
 * line would cost more than the writing.
 * @example
 * ```ts
 * await writeLines(out, rows.map((r) => formatCsvRow(r) + CSV_EOL));
 * ```
 */
export async function writeLines(
  out: OutputFile,
  lines: Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  let buf: string[] = [];
  const flushIfFull = async () => {
    if (buf.length < LINES_PER_WRITE) return;
    await out.write(buf.join(''));
    buf = [];
  };
  if (Symbol.asyncIterator in lines)
    for await (const line of lines) {
      buf.push(line);
      await flushIfFull();
    }
  else
    for (const line of lines) {
      buf.push(line);
      await flushIfFull();
    }
  if (buf.length > 0) await out.write(buf.join(''));
}

/**
 * Warns on stderr when the key file can be read by its group or by others (the key must stay with
 * the two data holders). Never fails: on platforms without Unix modes the bits are not meaningful.
 * @example
 * ```ts
 * warnIfKeyReadable('linkage.key');
 * ```
 */
export function warnIfKeyReadable(path: string): void {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return;
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    process.stderr.write(
      `bloomlink: warning: the key file ${basename(path)} can be read by other users (mode ${(mode & 0o777).toString(8)}); ` +
        `make it private: chmod 600 ${basename(path)}\n`,
    );
}
