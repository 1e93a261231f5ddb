/**
 * The match report: {@link buildReport} turns a match result into plain JSON data, and
 * {@link renderReportHtml} draws that data as one self-contained HTML page. Browser-safe.
 */
export { type BuildReportOptions, buildReport, type ListReadCounts } from './build.js';
export { renderReportHtml } from './html.js';
export type * from './types.js';
