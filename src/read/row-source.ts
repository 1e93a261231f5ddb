/**
 * Where a reader's rows come from once the header is known: CSV batches decoded from bytes (counting
 * the bytes for progress), or plain objects laid out as rows of every column of the list.
 */
import { BloomlinkError } from '../errors.js';
import { at } from '../util/defined.js';
import type { Fields } from './fields.js';
import { headerKey } from './header.js';
import { type ObjectRow, objectFields } from './input.js';
import type { ColumnSpec } from './layouts.js';
import type { ReadCsvOptions } from './source.js';
import { bytesFrom, readCsvBatches } from './source.js';

/** A row as the validators read it: its line and its cells. */
export interface SourceRow {
  readonly line: number;
  readonly fields: Fields;
}

/** Rows after the header, in batches. */
export interface RowSource {
  /** The header the validator reads rows by (object input: every column of the list). */
  readonly header: readonly string[];
  /** Physical line of the header row (1 unless blank lines precede it); none for object input. */
  readonly headerLine?: number;
  /** Rows already read with the header. */
  readonly pending: readonly SourceRow[];
  /** The next batch, or `undefined` at the end. */
  nextBatch(): Promise<readonly SourceRow[] | undefined>;
  /** Bytes consumed so far; `undefined` for object input. */
  bytesRead(): number | undefined;
  /** Releases the input (idempotent). */
  close(): Promise<void>;
}

/**
 * Reads the header row of a byte input and returns the source of the rows after it.
 *
 * @throws BloomlinkError `FILE_*` from decoding and parsing
 * @example
 * ```ts
 * const source = await byteSource(bytes, { label: 'clients.csv' });
 * source.header; // ['PersonalID', 'FirstName', …]
 * ```
 */
export async function byteSource(
  bytes: Parameters<typeof bytesFrom>[0],
  opts: ReadCsvOptions & { readonly label: string },
): Promise<RowSource> {
  let count = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of bytesFrom(bytes)) {
      count += chunk.length;
      yield chunk;
    }
  }
  const batches = readCsvBatches(counted(), opts);
  const first = await batches.next();
  // readCsvBatches throws FILE_EMPTY itself; this only satisfies the type.
  if (first.done)
    throw new BloomlinkError('FILE_EMPTY', `${opts.label}: file has no rows, not even a header`);
  const headerRow = at(first.value, 0);
  const header = headerRow.fields;
  return {
    header,
    headerLine: headerRow.line,
    pending: first.value.slice(1),
    async nextBatch() {
      const r = await batches.next();
      return r.done ? undefined : r.value;
    },
    bytesRead: () => count,
    async close() {
      await batches.return(undefined);
    },
  };
}

const OBJECT_BATCH = 1024;

/**
 * The rows of an object input: each object becomes cells of every column of `spec` (keys matched
 * like header cells; a key an object lacks is a cell not given). The object at index i is line i + 2,
 * as if a header were line 1.
 *
 * @example
 * ```ts
 * const source = objectSource(first, rest, LIST_COLUMNS.programs);
 * ```
 */
export function objectSource(
  first: ObjectRow | undefined,
  rest: AsyncIterator<unknown>,
  spec: ColumnSpec,
): RowSource {
  const header = [...spec.required, ...spec.optional];
  const lookup = keyLookup(spec, header);
  const cache = new Map<string, number>();
  const at = (key: string): number => {
    let i = cache.get(key);
    if (i === undefined) {
      i = lookup.get(headerKey(key)) ?? -1;
      cache.set(key, i);
    }
    return i;
  };
  const fallbacks = fallbackKeys(spec, header);
  const atFallback = (key: string): number => fallbacks.get(headerKey(key)) ?? -1;
  let position = 0;
  const row = (item: unknown): SourceRow => {
    const p = position++;
    const fields = objectFields(item, p, header.length, at, header);
    // A fallback key (SSN4 …) fills its column only when the object gives no value under its own.
    if (fallbacks.size > 0) {
      const extra = objectFields(item, p, header.length, atFallback, header);
      for (let i = 0; i < extra.length; i++) if (fields[i] === undefined) fields[i] = extra[i];
    }
    return { line: p + 2, fields };
  };
  return {
    header,
    pending: first === undefined ? [] : [row(first)],
    async nextBatch() {
      const out: SourceRow[] = [];
      while (out.length < OBJECT_BATCH) {
        const r = await rest.next();
        if (r.done) break;
        out.push(row(r.value));
      }
      return out.length === 0 ? undefined : out;
    },
    bytesRead: () => undefined,
    async close() {
      await rest.return?.();
    },
  };
}

function keyLookup(spec: ColumnSpec, header: readonly string[]): Map<string, number> {
  const lookup = new Map<string, number>();
  header.forEach((name, i) => {
    lookup.set(headerKey(name), i);
    for (const alias of spec.aliases[name] ?? []) lookup.set(headerKey(alias), i);
  });
  return lookup;
}

function fallbackKeys(spec: ColumnSpec, header: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  header.forEach((name, i) => {
    for (const spelling of spec.fallbacks?.[name] ?? []) out.set(headerKey(spelling), i);
  });
  return out;
}
