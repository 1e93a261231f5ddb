/**
 * The reader object behind `readClients` & co.: drives a row source through a validator, counts,
 * routes issues and progress, and offers the three ways to consume the rows.
 */

import type { ListKind, MemberRecord, RowIssue } from '../records.js';
import type { DetectedLayout } from './layouts.js';
import { MemberSpans, rowFingerprint, type SpanPlan } from './member-spans.js';
import type { ReadOptions } from './reader.js';
import type { RowSource, SourceRow } from './row-source.js';
import { type ReadSummary, SummaryCounter } from './summary.js';
import type { AnyRecord, RowResult, RowValidator } from './validate.js';

/**
 * An open list: iterate it (once) for the accepted records, or call {@link ListReader.results} or
 * {@link ListReader.batches} instead. `summary` is live while reading (rows validated so far, at most
 * one chunk ahead of the consumer) and final afterwards.
 */
export interface ListReader<R> extends AsyncIterable<R> {
  readonly kind: ListKind;
  readonly layout: DetectedLayout['layout'];
  /** File name used in messages. */
  readonly label: string;
  /** Canonical names of the columns found. */
  readonly columns: readonly string[];
  /** Issues found so far (empty when `onIssue` is given). */
  readonly issues: readonly RowIssue[];
  /** Counts so far; `rowsRead === accepted + rejected`. */
  readonly summary: ReadSummary;
  /** Every row's outcome, accepted or rejected, in file order. Use instead of iterating the reader. */
  results(): AsyncIterableIterator<RowResult<R>>;
  /**
   * The accepted records in arrays (one per chunk read, never empty): one promise per chunk instead of
   * per record, for consumers of millions of rows. Use instead of iterating the reader.
   */
  batches(): AsyncIterableIterator<readonly R[]>;
  /**
   * Member lists, after a complete read: which accepted rows are superseded coverage spans, the
   * span warnings (also passed to `onIssue` or in `issues`, after every row's issues) and the counts.
   */
  readonly spanPlan: SpanPlan | undefined;
  /** Stops reading and releases the input (not needed after a complete iteration). */
  close(): Promise<void>;
}

const DEFAULT_PROGRESS_EVERY = 10_000;

/**
 * Builds the reader over a row source.
 *
 * @example
 * ```ts
 * const reader = makeReader('coc', validator, source, ['PersonalID', 'DOB'], {}, 'clients.csv');
 * for await (const client of reader) console.log(client.line);
 * ```
 */
export function makeReader(
  kind: ListKind,
  validator: RowValidator<AnyRecord>,
  source: RowSource,
  columns: readonly string[],
  opts: ReadOptions,
  label: string,
): ListReader<AnyRecord> {
  const counter = new SummaryCounter();
  const collected: RowIssue[] = [];
  const { onIssue, onProgress } = opts;
  const every = opts.progressEvery ?? DEFAULT_PROGRESS_EVERY;
  let claimed = false;
  const spans = kind === 'members' ? new MemberSpans() : undefined;
  let spanPlan: SpanPlan | undefined;
  const emit = (issue: RowIssue): void => {
    if (onIssue !== undefined) onIssue(issue);
    else collected.push(issue);
  };

  const progress = (done: boolean): void => {
    if (onProgress === undefined) return;
    const bytesRead = source.bytesRead();
    const rowsRead = counter.rowsRead;
    const totalBytes = opts.totalBytes;
    onProgress(
      bytesRead === undefined
        ? { rowsRead, done }
        : { rowsRead, bytesRead, ...(totalBytes !== undefined && { totalBytes }), done },
    );
  };
  const claim = (): void => {
    if (claimed) throw new TypeError(`${label}: a list reader can be iterated only once`);
    claimed = true;
  };

  /** Validates the source batch by batch; `keep` picks what each batch yields. */
  async function* drive<T>(
    keep: (r: RowResult<AnyRecord>, out: T[]) => void,
  ): AsyncGenerator<T[], void, undefined> {
    try {
      let batch: readonly SourceRow[] | undefined = source.pending;
      while (batch !== undefined) {
        const out: T[] = [];
        // Indexed loops: these run once a row, mostly before the JIT has compiled them, where a
        // `for…of` pays an iterator's calls per element.
        for (let i = 0; i < batch.length; i++) {
          const row = batch[i] as SourceRow;
          const r = validator.validate(row);
          counter.count(r.record !== undefined, r.issues);
          for (let k = 0; k < r.issues.length; k++) emit(r.issues[k] as RowIssue);
          if (spans !== undefined && r.record !== undefined)
            spans.add(r.record as MemberRecord, rowFingerprint(row.fields));
          if (onProgress !== undefined && counter.rowsRead % every === 0) progress(false);
          keep(r, out);
        }
        yield out;
        batch = await source.nextBatch();
      }
      if (spans !== undefined) {
        // A member's rows may be far apart: the span warnings come once every row was seen.
        spanPlan = spans.finish();
        counter.grouped(spanPlan.members, spanPlan.issues);
        for (const issue of spanPlan.issues) emit(issue);
      }
      progress(true);
    } finally {
      await source.close();
    }
  }

  async function* results(): AsyncGenerator<RowResult<AnyRecord>, void, undefined> {
    for await (const batch of drive<RowResult<AnyRecord>>((r, out) => out.push(r))) yield* batch;
  }
  async function* records(): AsyncGenerator<AnyRecord, void, undefined> {
    for await (const batch of drive(keepRecord)) yield* batch;
  }
  async function* batches(): AsyncGenerator<readonly AnyRecord[], void, undefined> {
    for await (const batch of drive(keepRecord)) if (batch.length > 0) yield batch;
  }

  return {
    kind,
    layout: validator.layout,
    label,
    columns,
    get issues() {
      return collected;
    },
    get summary() {
      return counter.snapshot();
    },
    get spanPlan() {
      return spanPlan;
    },
    results() {
      claim();
      return results();
    },
    batches() {
      claim();
      return batches();
    },
    [Symbol.asyncIterator]() {
      claim();
      return records();
    },
    close: () => source.close(),
  };
}

function keepRecord(r: RowResult<AnyRecord>, out: AnyRecord[]): void {
  if (r.record !== undefined) out.push(r.record);
}
