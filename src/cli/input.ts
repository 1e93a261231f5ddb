/**
 * Reading the CLI's input files. A regular file is streamed from disk (its manifest digest is read
 * separately, while the command works). A pipe, a FIFO or a device can be read only once: its bytes
 * are hashed as the command reads them, and the manifest records that digest (reopening the path
 * would wait for a writer that is gone: the run would hang). A second read of one pipe is refused.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { BloomlinkError } from '../errors.js';
import { arrowRows, isArrowIpc } from '../read/arrow-rows.js';
import type { ListInput } from '../read/input.js';
import { fileBytes } from '../read/source.node.js';

/**
 * SHA-256 and size of the bytes read from an input.
 * @example
 * ```ts
 * const d: InputDigest = { sha256: 'e3b0c442…', bytes: 0 };
 * ```
 */
export interface InputDigest {
  readonly sha256: string;
  readonly bytes: number;
}

/** Pipes read by this process: the digest of their bytes once read to the end, else 'reading'. */
const piped = new Map<string, InputDigest | 'reading'>();

/**
 * Whether `path` names something other than a regular file or a folder (a pipe, a FIFO, a device):
 * false when it cannot be reached (the reader reports why).
 * @example
 * ```ts
 * isStreamOnly('/dev/stdin'); // true when stdin is a pipe
 * ```
 */
export function isStreamOnly(path: string): boolean {
  let s: ReturnType<typeof statSync>;
  try {
    s = statSync(path, { throwIfNoEntry: false });
  } catch {
    return false;
  }
  return s !== undefined && !s.isFile() && !s.isDirectory();
}

function startPipe(path: string): string {
  const key = resolve(path);
  if (piped.has(key))
    throw new BloomlinkError(
      'INPUT_INVALID',
      `${basename(path)}: a pipe can be read only once and this run reads the input twice; give a regular file`,
    );
  piped.set(key, 'reading');
  return key;
}

/**
 * The bytes of input `path` as `fileBytes` streams them; for a pipe, hashed as they pass, for the
 * run manifest ({@link pipedDigest}).
 * @throws BloomlinkError `INPUT_INVALID` when a pipe is read a second time; the codes of `fileBytes`
 * @example
 * ```ts
 * const decisions = await readDecisions(inputBytes('decisions.csv'), { label: 'decisions.csv' });
 * ```
 */
export async function* inputBytes(path: string): AsyncGenerator<Uint8Array> {
  if (!isStreamOnly(path)) {
    yield* fileBytes(path);
    return;
  }
  const key = startPipe(path);
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fileBytes(path)) {
    h.update(chunk);
    bytes += chunk.length;
    yield chunk;
  }
  piped.set(key, { sha256: h.digest('hex'), bytes });
}

/**
 * Records the bytes of input `path` read whole by other means (`readFileSync`): for a pipe, their
 * digest is what the manifest records. Nothing is kept for a regular file.
 * @example
 * ```ts
 * const text = readFileSync(path, 'utf8');
 * noteInputRead(path, Buffer.from(text, 'utf8'));
 * ```
 */
export function noteInputRead(path: string, bytes: Uint8Array): void {
  if (!isStreamOnly(path)) return;
  const key = startPipe(path);
  piped.set(key, { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
}

/**
 * The digest of a pipe this process read to its end, or undefined (not a pipe, not read, or not to
 * its end).
 * @example
 * ```ts
 * const d = pipedDigest('/dev/fd/63'); // { sha256, bytes } after the command read it
 * ```
 */
export function pipedDigest(path: string): InputDigest | undefined {
  const d = piped.get(resolve(path));
  return d === 'reading' ? undefined : d;
}

/**
 * The input to pass to `readList` & co. for a file path: CSV bytes, or Arrow IPC rows when the file
 * starts as an Arrow stream. Opened once (a pipe can be read only once): its first bytes tell the
 * kind and are then handed on with the rest.
 * @example
 * ```ts
 * const reader = await readList(await listInput('clients.arrow'));
 * ```
 */
export async function listInput(path: string): Promise<ListInput> {
  const source = inputBytes(path);
  const head: Uint8Array[] = [];
  let have = 0;
  let done = false;
  try {
    while (have < 8) {
      const next = await source.next();
      if (next.done) {
        done = true;
        break;
      }
      head.push(next.value);
      have += next.value.length;
    }
  } catch (e) {
    // The reader reports the file error, as it did when the file was opened by it.
    return (async function* () {
      yield* [];
      throw e;
    })();
  }
  const first = new Uint8Array(8);
  let at = 0;
  for (const c of head) {
    if (at >= 8) break;
    first.set(c.subarray(0, 8 - at), at);
    at += Math.min(c.length, 8 - at);
  }
  async function* all(): AsyncGenerator<Uint8Array> {
    yield* head;
    if (!done) yield* source;
  }
  return isArrowIpc(first.subarray(0, at)) ? arrowRows(all(), basename(path)) : all();
}
