/**
 * One encoding run of the page, as a plain async function over Blobs: what `bloomlink encode` does,
 * with the files picked in the browser instead of paths. It runs in the page's Web Worker, and in
 * Node for tests (Node has Blob and File too), so "same bytes as the CLI" is checked without a browser.
 *
 * Every option that changes the output bytes is passed exactly as the CLI passes it: the schema, the
 * day (`today`) and the default batch size. The file label is passed too, though it only appears in
 * error messages.
 */

import {
  encodeList,
  type LinkageSchema,
  parseKey,
  parseLinkageSchema,
  writeEncoded,
} from '../../../src/encode.js';
import type { EncodedFormat } from '../../../src/encoded/file.js';
import { BloomlinkError } from '../../../src/errors.js';
import { formatIssueLine, REJECTION_REPORT_COLUMNS } from '../../../src/read/report.js';
import type { ReadSummary } from '../../../src/read/summary.js';
import { CSV_EOL, formatCsvRow } from '../../../src/util/csv-write.js';
import { BlobBuilder } from './blob-builder.js';
import { blobChunks } from './blob-chunks.js';

/** A key file is ~65 bytes; anything this large is some other file picked by mistake. */
const MAX_KEY_FILE_BYTES = 64 * 1024;
/** A linkage schema is a few kilobytes. */
const MAX_SCHEMA_FILE_BYTES = 1024 * 1024;
/** Rows between progress reports: often enough for a smooth bar, rare enough to cost nothing. */
const PROGRESS_EVERY = 2_000;

/**
 * The input of {@link encodeJob}: the picked files and the CLI options that matter.
 *
 * @example
 * ```ts
 * const job: EncodeJob = { list, listName: 'clients.csv', key, keyName: 'linkage.key', format: 'arrow', today: '2026-01-15' };
 * ```
 */
export interface EncodeJob {
  readonly list: Blob;
  readonly listName: string;
  readonly key: Blob;
  readonly keyName: string;
  readonly schema?: Blob | undefined;
  readonly schemaName?: string | undefined;
  readonly format: EncodedFormat;
  readonly today: string;
}

/**
 * Progress of {@link encodeJob}.
 *
 * @example
 * ```ts
 * const onProgress = (p: JobProgress) => bar.value = p.bytesRead / p.totalBytes;
 * ```
 */
export interface JobProgress {
  readonly rowsRead: number;
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly encoded: number;
}

/**
 * What {@link encodeJob} produced: the encoded file and the rejection report, byte for byte what the
 * CLI writes to `--out` and `--report`, and the counts it prints.
 *
 * @example
 * ```ts
 * const { encoded, rejects, summary } = await encodeJob(job);
 * ```
 */
export interface JobResult {
  readonly encoded: Blob;
  readonly rejects: Blob;
  readonly kind: 'coc' | 'members';
  readonly records: number;
  readonly summary: ReadSummary;
  readonly keyCheck: string;
  readonly schemaFingerprint: string;
}

/**
 * Encodes the picked list with the picked key, like `bloomlink encode --in <list> --key <key>
 * [--schema <schema>] --today <today>`.
 *
 * @throws BloomlinkError for unusable files (`KEY_*`, `SCHEMA_INVALID`, `FILE_*`, `COLUMN_*`,
 *   `LAYOUT_UNKNOWN`); messages name files and columns, never values or key material
 * @example
 * ```ts
 * const result = await encodeJob(
 *   { list: listFile, listName: listFile.name, key: keyFile, keyName: keyFile.name, format: 'arrow', today: '2026-01-15' },
 *   (p) => console.log(p.rowsRead),
 * );
 * download(result.encoded, 'clients.arrow');
 * ```
 */
export async function encodeJob(job: EncodeJob, onProgress?: (p: JobProgress) => void): Promise<JobResult> {
  const schema = job.schema ? await readSchema(job.schema, job.schemaName ?? 'linkage schema') : undefined;
  const key = await readKey(job.key, job.keyName);
  try {
    const rejects = new BlobBuilder('text/csv;charset=utf-8');
    rejects.append(formatCsvRow(REJECTION_REPORT_COLUMNS) + CSV_EOL);
    const totalBytes = job.list.size;
    const run = await encodeList(blobChunks(job.list), key, {
      label: job.listName,
      today: job.today,
      progressEvery: PROGRESS_EVERY,
      totalBytes,
      onIssue: (issue) => rejects.append(formatIssueLine(issue)),
      ...(onProgress
        ? {
            // One bar: the encoding pass (a member list's first pass, `spans`, is quick and not shown).
            onProgress: (p) => {
              if (p.phase === 'encode')
                onProgress({
                  rowsRead: p.rowsRead,
                  bytesRead: Math.min(p.bytesRead ?? 0, totalBytes),
                  totalBytes,
                  encoded: p.encoded,
                });
            },
          }
        : {}),
      ...(schema ? { schema } : {}),
    });
    const encoded = new BlobBuilder(
      job.format === 'arrow' ? 'application/vnd.apache.arrow.stream' : 'application/jsonl',
    );
    const { records } = await writeEncoded(
      job.format,
      run.meta,
      run.batches,
      (chunk) => encoded.append(chunk),
      // Rows read and rejected travel in the file (as the CLI writes them), for the match report.
      { rows: () => run.reader.summary },
    );
    const summary = run.reader.summary;
    onProgress?.({ rowsRead: summary.rowsRead, bytesRead: totalBytes, totalBytes, encoded: records });
    return {
      encoded: encoded.finish(),
      rejects: rejects.finish(),
      kind: run.kind,
      records,
      summary,
      keyCheck: run.meta.keyCheck,
      schemaFingerprint: run.meta.schemaFingerprint,
    };
  } finally {
    key.fill(0);
  }
}

/** Reads and parses the key file, as the CLI's `readKeyFile` does. */
async function readKey(file: Blob, name: string): Promise<Uint8Array> {
  if (file.size > MAX_KEY_FILE_BYTES) {
    throw new BloomlinkError(
      'KEY_UNREADABLE',
      `${name}: too large for a key file; pick the file 'bloomlink keygen' wrote`,
    );
  }
  return parseKey(await file.text(), name);
}

/** Reads an agreed linkage schema, as the CLI's `--schema` does for bloomlink schemas. */
async function readSchema(file: Blob, name: string): Promise<LinkageSchema> {
  if (file.size > MAX_SCHEMA_FILE_BYTES) {
    throw new BloomlinkError('SCHEMA_INVALID', `${name}: too large for a linkage schema`);
  }
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch {
    throw new BloomlinkError('SCHEMA_INVALID', `${name}: the linkage schema is not valid JSON`);
  }
  if (isClkhashSchema(json)) {
    throw new BloomlinkError(
      'SCHEMA_INVALID',
      `${name}: this is a clkhash schema; clkhash-compatible encoding is available in the bloomlink command line only`,
    );
  }
  return parseLinkageSchema(json);
}

/** The CLI's test for a clkhash v3 schema (src/cli/clkhash.ts, which is Node-only). */
function isClkhashSchema(json: unknown): boolean {
  return (
    typeof json === 'object' &&
    json !== null &&
    ('clkConfig' in json || (json as { version?: unknown }).version === 3)
  );
}
