/** Opens a list file for the readers: CSV bytes, or Arrow IPC rows when the file is Arrow. */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { arrowRows, isArrowIpc } from '../read/arrow-rows.js';
import type { ListInput } from '../read/input.js';
import { fileBytes } from '../read/source.node.js';

/**
 * The input to pass to `readList` & co. for a file path.
 * @example
 * ```ts
 * const reader = await readList(await listInput('clients.arrow'));
 * ```
 */
export async function listInput(path: string): Promise<ListInput> {
  const head = new Uint8Array(8);
  try {
    const fh = await open(path, 'r');
    try {
      await fh.read(head, 0, 8, 0);
    } finally {
      await fh.close();
    }
  } catch {
    return fileBytes(path); // let the reader report the file error
  }
  return isArrowIpc(head) ? arrowRows(fileBytes(path), basename(path)) : fileBytes(path);
}
