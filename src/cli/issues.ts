/**
 * A rejection-report sink for the CLI: receives issues as rows are validated, buffers their report
 * lines and writes them to the report file between batches. The file is created only when a path
 * is given (always, even when empty, so scripts can rely on it).
 */
import { formatIssueLine, REJECTION_REPORT_COLUMNS } from '../read/report.js';
import type { RowIssue } from '../read/types.js';
import { CSV_EOL, formatCsvRow } from '../util/csv-write.js';
import { type OutputFile, openOutput } from './files.js';

/** Collects issues and writes the rejection report. */
export class IssueSink {
  private lines: string[] = [];
  private constructor(private readonly out: OutputFile | undefined) {}

  /** Opens a sink writing to `path`, or counting only when `path` is undefined. */
  static async open(path: string | undefined): Promise<IssueSink> {
    const out = path ? await openOutput(path) : undefined;
    if (out) await out.write(formatCsvRow(REJECTION_REPORT_COLUMNS) + CSV_EOL);
    return new IssueSink(out);
  }

  /** The `onIssue` callback for the readers. */
  readonly onIssue = (issue: RowIssue): void => {
    if (this.out) this.lines.push(formatIssueLine(issue));
  };

  /** Writes buffered lines. */
  async flush(): Promise<void> {
    if (!this.out || this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    await this.out.write(text);
  }

  /** Flushes and closes the report. */
  async commit(): Promise<void> {
    await this.flush();
    await this.out?.commit();
  }

  /** Removes the partial report after a failure. */
  async abort(): Promise<void> {
    await this.out?.abort();
  }
}
