/**
 * The main thread's half of parallel reading: replays the row outcomes that workers report for
 * their pieces, in file order, and settles the one rule a worker cannot apply alone — an ID already
 * used by an accepted row in an earlier piece rejects the row (`ID_DUPLICATE`). The issues, counts
 * and kept records are then exactly those of the single-threaded reader: the duplicate issue goes
 * where the validator puts it (after a row-shape issue, before any other), and the row's other
 * issues take the rejected row's severity. Runtime-neutral.
 */
import type { EncodedBatch } from '../encoded/batch.js';
import { filterBatch } from '../encoded/slice.js';
import type { SpanDecision } from '../read/member-spans.js';
import type { ReadSummary } from '../read/summary.js';
import { SummaryCounter } from '../read/summary.js';
import type { RowIssue } from '../records.js';
import { at, defined } from '../util/defined.js';
import { IdSet } from '../util/id-set.js';
import type { PieceResult } from './read-encode-task.js';

const NONE: readonly RowIssue[] = Object.freeze([]);

/** Options of {@link Reconciler}. */
export interface ReconcilerOptions {
  /** The ID column's name in issues (`PersonalID` or `MemberID`). */
  readonly idField: string;
  /** Receives every issue in file order; without it, issues are collected in `issues`. */
  readonly onIssue?: (issue: RowIssue) => void;
}

/**
 * Settles the pieces of a member list: MemberIDs repeat (one row per coverage span), and the plan
 * of the first pass says which accepted rows are older spans, dropped from the encoded batch.
 */

/**
 * Settles pieces in file order.
 * @example
 * ```ts
 * const settle = new Reconciler({ idField: 'MemberID' });
 * for (const piece of resultsInOrder) write(settle.piece(piece));
 * settle.summary; // { rowsRead, accepted, rejected, warnings, byCode }
 * ```
 */
export class Reconciler {
  private readonly seen = new IdSet();
  private readonly counter = new SummaryCounter();
  private readonly collected: RowIssue[] = [];

  private plan: SpanDecision | undefined;

  constructor(private readonly opts: ReconcilerOptions) {}

  /**
   * Member lists: settle by `plan` (the first pass's decision), before the first piece. Older spans
   * are accepted rows left out of the batch, and IDs are not checked for repeats.
   */
  usePlan(plan: SpanDecision): void {
    this.plan = plan;
  }

  /**
   * After the last piece: a member list's span warnings (`MemberSpans.warnings`, known once every
   * piece's fingerprints are in), after every row's issues, and the plan's counts.
   */
  finish(spanIssues: readonly RowIssue[] = []): void {
    const plan = this.plan;
    if (plan === undefined) return;
    this.counter.grouped(plan.members, spanIssues);
    for (const issue of spanIssues) this.emit(issue);
  }

  private emit(issue: RowIssue): void {
    if (this.opts.onIssue !== undefined) this.opts.onIssue(issue);
    else this.collected.push(issue);
  }

  /** Counts so far. */
  get summary(): ReadSummary {
    return this.counter.snapshot();
  }

  /** Rows settled so far. */
  get rowsRead(): number {
    return this.counter.rowsRead;
  }

  /** Issues collected so far (empty when `onIssue` was given). */
  get issues(): readonly RowIssue[] {
    return this.collected;
  }

  /** Settles the next piece; returns its encoded batch without the rows rejected here. */
  piece(p: PieceResult): EncodedBatch {
    const batch = defined(p.batch, 'the encoded batch of a piece (only spans-only pieces have none)');
    let keep: Uint8Array | undefined;
    let k = 0; // next accepted row's index in the batch
    let j = 0; // next rejected row's index in rejectedIds
    for (let r = 0; r < p.lines.length; r++) {
      const i0 = at(p.issueStart, r);
      const i1 = at(p.issueStart, r + 1);
      let issues: readonly RowIssue[] = i0 === i1 ? NONE : p.issues.slice(i0, i1);
      // 2: an older span the worker accepted and already left out of the batch (it had the plan).
      const outcome = p.accepted[r] ?? 0;
      let accepted = outcome !== 0;
      if (outcome === 1 && this.plan !== undefined) {
        if (this.plan.superseded(at(p.lines, r))) {
          keep ??= new Uint8Array(batch.length).fill(1);
          keep[k] = 0;
        }
        k++;
      } else if (outcome === 1) {
        const id = at(batch.ids, k);
        if (!this.seen.has(id)) this.seen.addChecked(id);
        else {
          issues = this.withDuplicate(issues, at(p.lines, r));
          accepted = false;
          keep ??= new Uint8Array(batch.length).fill(1);
          keep[k] = 0;
        }
        k++;
      } else if (outcome === 0) {
        const id = p.rejectedIds[j++];
        if (
          this.plan === undefined &&
          id != null &&
          this.seen.has(id) &&
          !issues.some((i) => i.code === 'ID_DUPLICATE')
        )
          issues = this.withDuplicate(issues, at(p.lines, r));
      }
      this.counter.count(accepted, issues);
      for (const issue of issues) this.emit(issue);
    }
    return keep === undefined ? batch : filterBatch(batch, keep);
  }

  /** The row's issues with ID_DUPLICATE added where the validator adds it, all now errors. */
  private withDuplicate(issues: readonly RowIssue[], line: number): RowIssue[] {
    const out = issues.map((i): RowIssue => (i.severity === 'error' ? i : { ...i, severity: 'error' }));
    const head = out[0];
    const pos =
      head !== undefined && head.field === '*' && (head.code === 'ROW_SHORT' || head.code === 'ROW_LONG')
        ? 1
        : 0;
    out.splice(pos, 0, { line, field: this.opts.idField, code: 'ID_DUPLICATE', severity: 'error' });
    return out;
  }
}
