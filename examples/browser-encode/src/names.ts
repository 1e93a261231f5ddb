/**
 * Names of the downloaded files: the list's name with the format's extension, and the CLI's
 * `<out>.rejects.csv` beside it, so files from the page and from the CLI look alike.
 */
import type { EncodedFormat } from '../../../src/encoded/file.js';

/**
 * The download names for an encoded list.
 *
 * @example
 * ```ts
 * outputNames('clients.csv', 'arrow'); // { encoded: 'clients.arrow', rejects: 'clients.arrow.rejects.csv' }
 * ```
 */
export function outputNames(listName: string, format: EncodedFormat): { encoded: string; rejects: string } {
  const dot = listName.lastIndexOf('.');
  const stem = (dot > 0 ? listName.slice(0, dot) : listName) || 'list';
  const encoded = `${stem}.${format}`;
  return { encoded, rejects: `${encoded}.rejects.csv` };
}

/**
 * Today's local date as `YYYY-MM-DD`: what the CLI uses when `--today` is not given.
 *
 * @example
 * ```ts
 * localDay(new Date(2026, 0, 15)); // '2026-01-15'
 * ```
 */
export function localDay(d: Date = new Date()): string {
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${String(d.getFullYear()).padStart(4, '0')}-${m}-${day}`;
}
