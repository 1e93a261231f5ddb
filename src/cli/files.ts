/**
 * File helpers for the CLI: buffered writers that create files atomically (written to a temporary
 * name, renamed on success, removed on failure), so a failed run never leaves a half-written output.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BloomlinkError } from '../errors.js';

/** A file being written; call `commit()` on success or `abort()` on failure. */
export interface OutputFile {
  write(chunk: string | Uint8Array): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Opens `path` for writing through a temporary file.
 * @example
 * ```ts
 * const out = await openOutput('links.csv');
 * await out.write('PersonalID,MemberID\r\n');
 * await out.commit();
 * ```
 */
export async function openOutput(path: string): Promise<OutputFile> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.partial-${process.pid}`;
  const stream: WriteStream = createWriteStream(tmp);
  let failed: Error | undefined;
  stream.on('error', (e) => {
    failed = e;
  });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (e) {
    throw new BloomlinkError(
      'FILE_UNREADABLE',
      `${path}: cannot create the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return {
    async write(chunk) {
      if (failed)
        throw new BloomlinkError(
          'FILE_UNREADABLE',
          `${path}: write failed (${(failed as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      if (!stream.write(chunk)) await new Promise<void>((r) => stream.once('drain', () => r()));
    },
    async commit() {
      await new Promise<void>((resolve, reject) =>
        stream.end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
      if (failed) throw new BloomlinkError('FILE_UNREADABLE', `${path}: write failed`);
      await rename(tmp, path);
    },
    async abort() {
      stream.destroy();
      await rm(tmp, { force: true });
    },
  };
}

/** Writes a whole file (text or bytes) atomically. */
export async function writeTextFile(path: string, text: string | Uint8Array): Promise<void> {
  const out = await openOutput(path);
  try {
    await out.write(text);
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
}

const LINES_PER_WRITE = 4096;

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
 * Writes a file of lines atomically (see {@link writeLines}).
 * @example
 * ```ts
 * await writeLinesFile('links.csv', lines());
 * ```
 */
export async function writeLinesFile(
  path: string,
  lines: Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  const out = await openOutput(path);
  try {
    await writeLines(out, lines);
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
}
