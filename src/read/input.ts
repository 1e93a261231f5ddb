/**
 * Tells apart the two kinds of reader input — file bytes (anything `readCsvRows` takes) and plain
 * objects (the API path) — and turns objects into rows the validators read like CSV rows.
 */
import { at } from '../util/defined.js';
import type { ByteInput } from './source.js';

/** One input object of the API path: keys are column names (matched case-insensitively). */
export type ObjectRow = Readonly<Record<string, unknown>>;

/** What the readers accept: file bytes in any form, or plain objects. */
export type ListInput = ByteInput | Iterable<ObjectRow> | AsyncIterable<ObjectRow>;

/** The classified input: bytes, or an iterator of objects with the first one already taken. */
export type ClassifiedInput =
  | { readonly type: 'bytes'; readonly bytes: ByteInput }
  | { readonly type: 'objects'; readonly first?: ObjectRow; readonly rest: AsyncIterator<unknown> };

/**
 * Classifies a reader input. An (async) iterable is peeked at: Uint8Array chunks are bytes, anything
 * else objects. An empty array is an empty object list; any other empty iterable (such as the chunk
 * stream of a 0-byte file) is empty bytes, which the reader reports as `FILE_EMPTY`.
 *
 * @throws TypeError for a string (a path or CSV text: use the `.node` readers or encode the text),
 *   or anything that is neither bytes nor an iterable
 * @example
 * ```ts
 * (await classifyInput([{ PersonalID: '1' }])).type; // 'objects'
 * (await classifyInput(new Uint8Array([65]))).type; // 'bytes'
 * ```
 */
export async function classifyInput(input: ListInput): Promise<ClassifiedInput> {
  if (typeof input === 'string') {
    throw new TypeError(
      'input must be bytes, a stream or an iterable of objects, not a string (read a file with readClientsFile & co., or pass new TextEncoder().encode(text))',
    );
  }
  if (
    input instanceof Uint8Array ||
    input instanceof ArrayBuffer ||
    (typeof Blob !== 'undefined' && input instanceof Blob) ||
    (typeof ReadableStream !== 'undefined' && input instanceof ReadableStream)
  ) {
    return { type: 'bytes', bytes: input };
  }
  const it = iteratorOf(input);
  const head = await it.next();
  if (head.done) {
    // `[]` is an empty list of objects; any other empty source (a file's chunk stream) is an empty file.
    return Array.isArray(input)
      ? { type: 'objects', rest: prepend(undefined, it, false) }
      : { type: 'bytes', bytes: [] as Uint8Array[] };
  }
  const first: unknown = head.value;
  if (first instanceof Uint8Array) {
    return { type: 'bytes', bytes: asyncIterable(prepend(first, it)) as AsyncIterable<Uint8Array> };
  }
  return { type: 'objects', first: asObject(first, 0), rest: prepend(undefined, it, false) };
}

/**
 * Converts one input object to cells aligned with `columns`, using `keyToColumn` (input key →
 * position, cached across objects). Absent, `null` and `undefined` values are cells not given.
 *
 * @throws TypeError when the item is not an object or a mapped value is not a string, number,
 *   bigint, boolean or Date (the message names the position and the column, never the value)
 * @example
 * ```ts
 * const columns = ['PersonalID', 'DOB'];
 * const at = (key: string) => columns.findIndex((c) => c.toLowerCase() === key.toLowerCase());
 * objectFields({ personalId: 7, dob: new Date('1980-02-03') }, 0, 2, at, columns); // ['7', '1980-02-03']
 * ```
 */
export function objectFields(
  item: unknown,
  position: number,
  width: number,
  keyToColumn: (key: string) => number,
  columns: readonly string[],
): (string | undefined)[] {
  const o = asObject(item, position);
  const fields: (string | undefined)[] = new Array(width).fill(undefined);
  for (const key in o) {
    if (!Object.hasOwn(o, key)) continue;
    const i = keyToColumn(key);
    if (i >= 0) fields[i] = toCell(o[key], position, at(columns, i));
  }
  return fields;
}

function toCell(v: unknown, position: number, column: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return dateCell(v);
  throw new TypeError(`input[${position}].${column} must be a string, number, Date, null or undefined`);
}

/**
 * A Date as an ISO day. Dates parsed from `YYYY-MM-DD` strings are UTC midnight, dates built from
 * parts (`new Date(1980, 1, 3)`) local midnight: each is read in the zone it was made in, so neither
 * shifts by a day. An invalid Date becomes text the date parser rejects (`DATE_UNPARSEABLE`).
 */
function dateCell(d: Date): string {
  const t = d.getTime();
  if (Number.isNaN(t)) return 'invalid date';
  const utc = t % 86_400_000 === 0;
  const y = utc ? d.getUTCFullYear() : d.getFullYear();
  const m = (utc ? d.getUTCMonth() : d.getMonth()) + 1;
  const day = utc ? d.getUTCDate() : d.getDate();
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function asObject(item: unknown, position: number): ObjectRow {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new TypeError(`input[${position}] must be a plain object of column values`);
  }
  return item as ObjectRow;
}

function iteratorOf(input: unknown): AsyncIterator<unknown> | Iterator<unknown> {
  if (typeof input === 'object' && input !== null) {
    const asyncIt = (input as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator];
    if (typeof asyncIt === 'function') return asyncIt.call(input);
    const syncIt = (input as Partial<Iterable<unknown>>)[Symbol.iterator];
    if (typeof syncIt === 'function') return syncIt.call(input);
  }
  throw new TypeError(
    'input must be a Uint8Array, ArrayBuffer, Blob, ReadableStream, or an (async) iterable of Uint8Array chunks or objects',
  );
}

/** An async iterator yielding `first` (when `pending`), then the rest of `it`; closing it closes `it`. */
function prepend(
  first: unknown,
  it: AsyncIterator<unknown> | Iterator<unknown>,
  pending = true,
): AsyncIterator<unknown> {
  return {
    async next() {
      if (pending) {
        pending = false;
        return { done: false, value: first };
      }
      return it.next();
    },
    async return(value?: unknown) {
      pending = false;
      await it.return?.(value);
      return { done: true, value };
    },
  };
}

function asyncIterable<T>(it: AsyncIterator<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => it };
}
