/**
 * A rejection-report sink for the CLI: receives issues as rows are validated and writes the report
 * between batches. A path ending in `.xlsx` gives an Excel workbook (as plans send providers today;
 * at most one sheet's worth of rows), anything else the CSV report. The file is created whenever a
 * path is given, even when there is no issue, so scripts can rely on it.
 */
import { formatIssueLine, REJECTION_REPORT_COLUMNS } from '../read/report.js';
import type { ReadSummary } from '../read/summary.js';
import { rejectionReportXlsx } from '../read/xlsx.js';
import type { RowIssue } from '../records.js';
import { CSV_EOL, formatCsvRow } from '../util/csv-write.js';
import type { OutputFile, OutputSet } from './files.js';

/** Collects issues and writes the rejection report. */
export class IssueSink {
  private lines: string[] = [];
  private readonly kept: RowIssue[] = [];
  private constructor(
    private readonly out: OutputFile | undefined,
    private readonly xlsx: boolean,
  ) {}

  /**
   * Opens a sink writing to `path` in `set` (a private file: it holds record IDs), or counting only
   * when `path` is undefined.
   */
  static async open(set: OutputSet | undefined, path: string | undefined): Promise<IssueSink> {
    const out = set && path ? await set.open(path, 'private', '--report') : undefined;
    const xlsx = path?.toLowerCase().endsWith('.xlsx') ?? false;
    if (out && !xlsx) await out.write(formatCsvRow(REJECTION_REPORT_COLUMNS) + CSV_EOL);
    return new IssueSink(out, xlsx);
  }

  /** The `onIssue` callback for the readers. */
  readonly onIssue = (issue: RowIssue): void => {
    if (!this.out) return;
    if (this.xlsx) this.kept.push(issue);
    else this.lines.push(formatIssueLine(issue));
  };

  /** Writes buffered lines (CSV). */
  async flush(): Promise<void> {
    if (!this.out || this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    await this.out.write(text);
  }

  /** Writes the rest of the report; the output set it belongs to commits it. */
  async finish(summary?: ReadSummary): Promise<void> {
    if (this.out && this.xlsx)
      await this.out.write(rejectionReportXlsx(this.kept, summary ? { summary } : {}));
    await this.flush();
  }
}
