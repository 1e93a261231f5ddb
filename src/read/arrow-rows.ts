/**
 * Lists given as Apache Arrow IPC (stream or file format) instead of CSV, as the data contract
 * allows: each row becomes a plain object keyed by column name, with values as the text a CSV would
 * hold (dates as `YYYY-MM-DD`), then goes through the same validation as CSV rows.
 */
import type { RecordBatch } from 'apache-arrow';
import { BloomlinkError } from '../errors.js';
import { loadArrow } from '../util/arrow.js';
import { checkArrowIpc, checkedArrowStream } from '../util/arrow-framing.js';

/**
 * Whether the first bytes are an Arrow IPC stream (continuation marker) or file (`ARROW1`).
 * @example
 * ```ts
 * isArrowIpc(new TextEncoder().encode('PersonalID,FirstName')); // false
 * ```
 */
export function isArrowIpc(head: Uint8Array): boolean {
  const stream =
    head.length >= 4 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff;
  const file = head.length >= 6 && String.fromCharCode(...head.subarray(0, 6)) === 'ARROW1';
  return stream || file;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return String(v);
}

/**
 * The bytes with their Arrow framing checked by our own walk before apache-arrow reads them: a
 * stream message by message, a file (`ARROW1`, read whole by apache-arrow anyway) all at once.
 */
async function checked(bytes: AsyncIterable<Uint8Array>, label: string): Promise<AsyncIterable<Uint8Array>> {
  const it = bytes[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let held = 0;
  let done = false;
  while (held < 6 && !done) {
    const r = await it.next();
    if (r.done) done = true;
    else {
      head.push(r.value);
      held += r.value.length;
    }
  }
  const again = 'export the list again';
  const rest = (async function* () {
    yield* head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  })();
  const first = new Uint8Array(Math.min(held, 6));
  let at = 0;
  for (const c of head) {
    if (at >= first.length) break;
    first.set(c.subarray(0, first.length - at), at);
    at += Math.min(c.length, first.length - at);
  }
  if (String.fromCharCode(...first) !== 'ARROW1') return checkedArrowStream(rest, label, again);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const c of rest) {
    chunks.push(c);
    total += c.length;
  }
  const all = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    all.set(c, pos);
    pos += c.length;
  }
  checkArrowIpc(all, label, again);
  return (async function* () {
    yield all;
  })();
}

/**
 * Rows of an Arrow IPC list as objects of strings. Date columns (Date32/Date64/Timestamp) are
 * written as ISO dates.
 * @example
 * ```ts
 * const reader = await readClients(arrowRows(fileBytes('clients.arrow')));
 * ```
 */
export async function* arrowRows(
  bytes: AsyncIterable<Uint8Array>,
  label = 'input',
): AsyncGenerator<Record<string, string>> {
  const { RecordBatchReader } = await loadArrow();
  let reader: Awaited<ReturnType<typeof RecordBatchReader.from>>;
  try {
    reader = await RecordBatchReader.from(await checked(bytes, label));
    await reader.open();
  } catch (e) {
    if (e instanceof BloomlinkError) throw e;
    throw new BloomlinkError('FILE_CORRUPT', `${label}: unreadable Arrow IPC data`, { cause: e });
  }
  for await (const batch of reader as AsyncIterable<RecordBatch>) {
    const columns = batch.schema.fields.map((f) => {
      const col = batch.getChild(f.name);
      // A batch has a child for every field of its own schema.
      if (col === null) throw new TypeError(`Arrow batch without the child of schema field ${f.name}`);
      return { name: f.name, col, date: /Date|Timestamp/.test(String(f.type)) };
    });
    for (let r = 0; r < batch.numRows; r++) {
      const row: Record<string, string> = {};
      for (const { name, col, date } of columns) {
        const v = col.get(r);
        row[name] = date && typeof v === 'number' ? new Date(v).toISOString().slice(0, 10) : cellText(v);
      }
      yield row;
    }
  }
}
