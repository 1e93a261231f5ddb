/**
 * Streaming list readers, the entry of every later stage: bytes (or objects) in, validated records
 * out, with each row's issues and running counts. Memory stays flat at millions of rows: rows are
 * validated as they are parsed and only the IDs seen are kept (to reject duplicates).
 */
import * as z from 'zod';
import { BloomlinkError } from '../errors.js';
import type { ClientRecord, ListKind, MemberRecord, ProgramRecord, RowIssue } from '../records.js';
import { at } from '../util/defined.js';
import type { TextEncodingName } from './decode.js';
import { mapHeader } from './header.js';
import { type ClassifiedInput, classifyInput, type ListInput } from './input.js';
import { type DetectedLayout, detectLayout, LIST_COLUMNS } from './layouts.js';
import { type ListReader, makeReader } from './list-reader.js';
import { byteSource, objectSource, type RowSource } from './row-source.js';
import { knownSize } from './source.js';
import type { ReadSummary } from './summary.js';
import { type AnyRecord, buildValidator, expectLayout, ISO_DATE, type ValidateOptions } from './validate.js';

export type { ListReader } from './list-reader.js';

/** Progress of a read, reported every `progressEvery` rows and once at the end. */
export interface ReadProgress {
  readonly rowsRead: number;
  /** Bytes consumed so far (file input only; may run ahead of `rowsRead` by one chunk). */
  readonly bytesRead?: number;
  /**
   * The input's size in bytes, when known: a `Uint8Array`, `ArrayBuffer` or `Blob` knows it, a
   * stream is told it by `ReadOptions.totalBytes`. `bytesRead` reaches it on the final report.
   */
  readonly totalBytes?: number;
  /** `true` on the final report. */
  readonly done: boolean;
}

/** Options of the readers. */
export interface ReadOptions extends ValidateOptions {
  /** Receives every issue as it is found; when given, issues are not collected in `reader.issues`. */
  readonly onIssue?: (issue: RowIssue) => void;
  readonly onProgress?: (progress: ReadProgress) => void;
  /** Rows between progress reports (default 10 000). */
  readonly progressEvery?: number;
  /**
   * The input's size in bytes, for progress as a share of it (`ReadProgress.totalBytes`), when the
   * input is a stream that does not know it (e.g. `fileBytes(path)`: the file's size).
   */
  readonly totalBytes?: number;
  /** Skip encoding detection (file input). */
  readonly encoding?: TextEncodingName;
  /** Field delimiter; detected from the header when absent (file input). */
  readonly delimiter?: string;
  /** Told which encoding the file is read in (file input). */
  readonly onEncoding?: (encoding: TextEncodingName) => void;
}

/** A reader whose kind was detected, discriminated by `kind`. */
export type AnyListReader =
  | (ListReader<ClientRecord> & { readonly kind: 'coc' })
  | (ListReader<MemberRecord> & { readonly kind: 'members' })
  | (ListReader<ProgramRecord> & { readonly kind: 'programs' });

/**
 * Opens a CoC client list (contract list, HMIS Client.csv FY2024 or FY2026). Header problems throw
 * here; row problems become issues.
 *
 * @param input - file bytes (Uint8Array, ArrayBuffer, Blob, ReadableStream, (async) iterable of
 *   chunks) or plain objects whose keys are column names (case-insensitive, so `personalId` works)
 * @throws BloomlinkError `FILE_*` for unreadable bytes, `COLUMN_MISSING`/`COLUMN_DUPLICATE` for the
 *   header, `LAYOUT_UNKNOWN` for another list's header; TypeError for bad arguments
 * @example
 * ```ts
 * const reader = await readClients(bytes, { today: '2025-06-01' });
 * for await (const client of reader) console.log(client.personalId);
 * console.log(reader.summary); // { rowsRead, accepted, rejected, warnings, byCode }
 * ```
 */
export function readClients(input: ListInput, opts?: ReadOptions): Promise<ListReader<ClientRecord>> {
  return open('coc', input, opts) as Promise<ListReader<ClientRecord>>;
}

/**
 * Opens an MCP member list. See {@link readClients}.
 *
 * @example
 * ```ts
 * const reader = await readMembers([{ MemberID: 'M1', FirstName: 'Ana', LastName: 'Ruiz', DOB: '1980-02-03',
 *   MCP: 'Plan', CoverageType: 'Medi-Cal', EnrollmentStartDate: '2024-01-01' }]);
 * for await (const member of reader) console.log(member.memberId);
 * ```
 */
export function readMembers(input: ListInput, opts?: ReadOptions): Promise<ListReader<MemberRecord>> {
  return open('members', input, opts) as Promise<ListReader<MemberRecord>>;
}

/**
 * Opens an MCP program list. See {@link readClients}.
 *
 * @example
 * ```ts
 * const reader = await readPrograms(bytes);
 * for await (const episode of reader) console.log(episode.program, episode.startDate);
 * ```
 */
export function readPrograms(input: ListInput, opts?: ReadOptions): Promise<ListReader<ProgramRecord>> {
  return open('programs', input, opts) as Promise<ListReader<ProgramRecord>>;
}

/**
 * Opens a list of any kind, detected from the header (or the first object's keys).
 *
 * @throws BloomlinkError `LAYOUT_UNKNOWN` when the header matches no list (or there are no objects)
 * @example
 * ```ts
 * const reader = await readList(bytes);
 * if (reader.kind === 'members') for await (const m of reader) console.log(m.mcp);
 * ```
 */
export function readList(input: ListInput, opts?: ReadOptions): Promise<AnyListReader> {
  return open(undefined, input, opts) as Promise<AnyListReader>;
}

/** Everything a read produced, as arrays. */
export interface Collected<R> {
  readonly kind: ListKind;
  readonly layout: DetectedLayout['layout'];
  readonly records: R[];
  readonly issues: RowIssue[];
  readonly summary: ReadSummary;
}

/**
 * Reads a whole list into arrays: for small inputs and tests. Issues are gathered here even when the
 * reader was opened with `onIssue` (which still receives them); a member list's coverage-span
 * warnings come after every row's issues.
 *
 * @example
 * ```ts
 * const { records, issues, summary } = await collect(readClients(bytes));
 * ```
 */
export async function collect<R>(reader: ListReader<R> | Promise<ListReader<R>>): Promise<Collected<R>>;
export async function collect(reader: AnyListReader | Promise<AnyListReader>): Promise<Collected<AnyRecord>>;
export async function collect<R>(reader: ListReader<R> | Promise<ListReader<R>>): Promise<Collected<R>> {
  const r = await reader;
  const records: R[] = [];
  const issues: RowIssue[] = [];
  for await (const result of r.results()) {
    if (result.record !== undefined) records.push(result.record);
    for (const issue of result.issues) issues.push(issue);
  }
  // A member list's coverage-span warnings, known once every row was read.
  for (const issue of r.spanPlan?.issues ?? []) issues.push(issue);
  return { kind: r.kind, layout: r.layout, records, issues, summary: r.summary };
}

// Built on first use: the options every caller passes are checked by hand (`plainOptions`), and
// zod only words the error for a bad one (building the schema costs a short run milliseconds).
let optionsSchema: ReturnType<typeof buildOptionsSchema> | undefined;
function buildOptionsSchema() {
  const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
    error: 'must be a function',
  });
  return z.object({
    today: z.iso.date({ error: 'must be an ISO date (YYYY-MM-DD)' }).optional(),
    label: z.string().min(1).optional(),
    onIssue: fn.optional(),
    onProgress: fn.optional(),
    progressEvery: z.int().positive().optional(),
    totalBytes: z.number().nonnegative().optional(),
    encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']).optional(),
    delimiter: z.string().length(1).optional(),
    onEncoding: fn.optional(),
  });
}

const ENCODINGS: ReadonlySet<unknown> = new Set(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']);
const absentOr = (v: unknown, ok: (v: unknown) => boolean) => v === undefined || ok(v);
const isFunction = (v: unknown) => typeof v === 'function';

/**
 * Whether `opts` certainly passes the options schema: each known option is absent or plainly valid
 * (unknown keys are ignored, as the schema strips them). A `false` is no verdict: zod decides then.
 */
function plainOptions(opts: unknown): boolean {
  if (opts === undefined || opts === null) return true; // checked as {}
  if (typeof opts !== 'object' || Array.isArray(opts)) return false;
  const o = opts as Record<string, unknown>;
  return (
    absentOr(o.today, (v) => typeof v === 'string' && ISO_DATE.test(v)) &&
    absentOr(o.label, (v) => typeof v === 'string' && v.length >= 1) &&
    absentOr(o.onIssue, isFunction) &&
    absentOr(o.onProgress, isFunction) &&
    absentOr(o.progressEvery, (v) => Number.isSafeInteger(v) && (v as number) > 0) &&
    absentOr(o.totalBytes, (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0) &&
    absentOr(o.encoding, (v) => ENCODINGS.has(v)) &&
    absentOr(o.delimiter, (v) => typeof v === 'string' && v.length === 1) &&
    absentOr(o.onEncoding, isFunction)
  );
}

async function open(
  wanted: ListKind | undefined,
  input: ListInput,
  opts: ReadOptions = {},
): Promise<ListReader<AnyRecord>> {
  checkOptions(opts); // before touching the input
  return openClassified(wanted, await classifyInput(input), opts);
}

/**
 * Checks reader options as the readers do (before touching the input); for code that reads lists
 * its own way, such as the parallel encoder.
 *
 * @throws TypeError naming the first bad option
 * @example
 * ```ts
 * checkReadOptions({ today: '2026-01-01' });
 * ```
 */
export function checkReadOptions(opts: unknown): asserts opts is ReadOptions {
  checkOptions(opts);
}

function checkOptions(opts: unknown): asserts opts is ReadOptions {
  if (plainOptions(opts)) return;
  optionsSchema ??= buildOptionsSchema();
  const parsed = optionsSchema.safeParse(opts ?? {});
  if (!parsed.success) {
    const issue = at(parsed.error.issues, 0);
    throw new TypeError(`opts${issue.path.map((p) => `.${String(p)}`).join('')} ${issue.message}`);
  }
}

/**
 * Opens a list from an input whose type is already known; `reader.node.ts` uses it for files, whose
 * bytes must never be mistaken for an empty object list.
 *
 * @example
 * ```ts
 * const reader = await openClassified('coc', { type: 'bytes', bytes: fileBytes(path) }, { label: 'clients.csv' });
 * ```
 */
export async function openClassified(
  wanted: ListKind | undefined,
  classified: ClassifiedInput,
  opts: ReadOptions = {},
): Promise<ListReader<AnyRecord>> {
  checkOptions(opts);
  const label = opts.label ?? 'input';
  let source: RowSource | undefined;
  let where = label;
  try {
    let kind: ListKind;
    let layoutHeader: readonly string[];
    if (classified.type === 'bytes') {
      source = await byteSource(classified.bytes, {
        label,
        ...(opts.encoding !== undefined && { encoding: opts.encoding }),
        ...(opts.onEncoding !== undefined && { onEncoding: opts.onEncoding }),
        ...(opts.delimiter !== undefined && { delimiter: opts.delimiter }),
      });
      layoutHeader = source.header;
      // A header problem names the header's own line (1 unless blank lines precede it), never a
      // data row's.
      where = `${label}: line ${source.headerLine ?? 1} (header)`;
      kind = wanted ?? detectLayout(layoutHeader, where).kind;
    } else {
      layoutHeader = classified.first === undefined ? [] : Object.keys(classified.first);
      if (wanted === undefined && classified.first === undefined) {
        throw new BloomlinkError('LAYOUT_UNKNOWN', `${label}: no input objects to detect the list kind from`);
      }
      kind = wanted ?? detectLayout(layoutHeader, label).kind;
      source = objectSource(classified.first, classified.rest, LIST_COLUMNS[kind]);
    }
    const layout = expectLayout(kind, layoutHeader, where);
    // For objects this checks the first object has the required keys, as a header would.
    const noObjects = classified.type === 'objects' && classified.first === undefined;
    const columns = noObjects ? [] : [...mapHeader(layoutHeader, LIST_COLUMNS[kind], where).index.keys()];
    const validator = buildValidator(kind, source.header, { ...opts, label: where }, layout);
    const totalBytes =
      opts.totalBytes ?? (classified.type === 'bytes' ? knownSize(classified.bytes) : undefined);
    const withTotal = totalBytes === undefined ? opts : { ...opts, totalBytes };
    return makeReader(kind, validator, source, columns, withTotal, label);
  } catch (e) {
    if (source !== undefined) await source.close();
    else if (classified.type === 'objects') await classified.rest.return?.();
    throw e;
  }
}
