/**
 * Test helpers for clkhash encoding of CSV text in pieces (`encodeClkPiecesParallel`): the vectors
 * as a CSV file, the pieces run, and the reference it must equal — the rows read one by one
 * (`readCsvBatches`, as the CLI's one-thread path reads them) and encoded as they come.
 */
import { createClkEncoder, parseClkhashSchema } from '../../../src/encode/clkhash/index.js';
import { encodeClkPiecesParallel } from '../../../src/encode/clkhash/parallel.node.js';
import { readCsvBatches } from '../../../src/read/source.js';
import { splitCsv } from '../../../src/read/split.js';
import type { Vectors } from './vectors.js';

/** What a run gave: the CLKs, or the error's code and message. */
export type Outcome = { clks: string[]; pieces: number } | { code: unknown; message: string };

const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;

/**
 * The vectors' records as CSV bytes, columns in `order` (indexes into the header; default all, in
 * order), each value quoted.
 * @example
 * ```ts
 * const bytes = vectorsCsv(vectors, [2, 0, 1, 3, 4, 5]);
 * ```
 */
export function vectorsCsv(
  v: Vectors,
  order: readonly number[] = v.header.map((_, i) => i),
  rows: readonly (readonly string[])[] = v.records,
): Uint8Array {
  const pick = (r: readonly string[]) => order.map((i) => quote(r[i] ?? '')).join(',');
  return new TextEncoder().encode(`${[v.header, ...rows].map(pick).join('\n')}\n`);
}

/**
 * A vector case whose schema has a date feature, and a function writing the vectors as CSV with that
 * date spoiled (`x?`) on the given record indexes: an `INPUT_INVALID` row where the tests put it.
 * @example
 * ```ts
 * const { c, spoil } = badDates(vectors);
 * const bytes = spoil(30, 100); // records 30 and 100 fail their date
 * ```
 */
export function badDates(v: Vectors): {
  c: Vectors['cases'][number];
  spoil: (...at: number[]) => Uint8Array;
} {
  const isDate = (f: ReturnType<typeof parseClkhashSchema>['features'][number]) =>
    !f.ignored && f.format.type === 'date';
  const c = v.cases.find((k) => parseClkhashSchema(k.schema).features.some(isDate));
  if (!c) throw new Error('no vector case with a date');
  const column = parseClkhashSchema(c.schema).features.findIndex(isDate);
  const spoil = (...at: number[]) =>
    vectorsCsv(
      v,
      undefined,
      v.records.map((r, i) => (at.includes(i) ? r.map((x, k) => (k === column ? 'x?' : x)) : r)),
    );
  return { c, spoil };
}

function failed(e: unknown): Outcome {
  return { code: (e as { code?: unknown }).code, message: (e as Error).message };
}

/**
 * Encodes CSV bytes in pieces of about `pieceChars` characters on `threads` threads.
 * @example
 * ```ts
 * const out = await piecesRun(schemaJson, secret, bytes, 2, 64);
 * ```
 */
export async function piecesRun(
  schemaJson: unknown,
  secret: string,
  bytes: Uint8Array,
  threads: number,
  pieceChars: number,
): Promise<Outcome> {
  const schema = parseClkhashSchema(schemaJson);
  try {
    const file = await splitCsv(bytes, { label: 'clk.csv', pieceChars });
    const index = new Map(file.header.fields.map((name, i) => [name, i]));
    const layout = {
      columns: schema.features.map((f) => index.get(f.identifier)),
      delimiter: file.delimiter,
      label: 'clk.csv',
    };
    const text: string[] = [];
    let pieces = 0;
    const ascii = new TextDecoder();
    for await (const { bytes: b, count } of encodeClkPiecesParallel(schema, secret, file.pieces(), layout, {
      threads,
      allowWeakSecret: true,
    })) {
      pieces++;
      if (count > 0) text.push(ascii.decode(b));
    }
    return { clks: JSON.parse(`[${text.join(',')}]`) as string[], pieces };
  } catch (e) {
    return failed(e);
  }
}

/**
 * The reference: the rows read one by one and encoded as they come.
 * @example
 * ```ts
 * expect(await piecesRun(s, secret, bytes, 2, 64)).toEqual({ ...(await rowsRun(s, secret, bytes)), pieces: expect.any(Number) });
 * ```
 */
export async function rowsRun(schemaJson: unknown, secret: string, bytes: Uint8Array): Promise<Outcome> {
  const schema = parseClkhashSchema(schemaJson);
  const encoder = createClkEncoder(schema, secret, { allowWeakSecret: true });
  try {
    const clks: string[] = [];
    let columns: (number | undefined)[] | undefined;
    for await (const rows of readCsvBatches(bytes, { label: 'clk.csv' }))
      for (const row of rows) {
        if (columns === undefined) {
          const index = new Map(row.fields.map((name, i) => [name, i]));
          columns = schema.features.map((f) => index.get(f.identifier));
          continue;
        }
        const cols = columns;
        const record = cols.map((c) => (c === undefined ? '' : (row.fields[c] ?? '')));
        clks.push(Buffer.from(encoder.encode(record, row.line)).toString('base64'));
      }
    return { clks, pieces: -1 };
  } catch (e) {
    return failed(e);
  } finally {
    encoder.dispose();
  }
}
