/**
 * The read layer: bytes → text → CSV rows → validated records and row issues; rejection reports.
 * Browser-safe: the file-path readers live in `reader.node.ts` and `source.node.ts`.
 * @module
 */

export type { IssueCode, IssueCodeInfo } from '../issue-codes.js';
export { ISSUE_CODES, isIssueCode } from '../issue-codes.js';
export type * from '../records.js';
export type { CsvValue, FormatCsvOptions } from '../util/csv-write.js';
export { CSV_EOL, formatCsvRow } from '../util/csv-write.js';
export type { CsvOptions, CsvRow } from './csv.js';
export { parseCsv, parseCsvBatches, parseCsvSync, sniffDelimiter } from './csv.js';
export type { DecodeOptions, SniffResult, TextEncodingName } from './decode.js';
export { decodeChunks, SNIFF_BYTES, sniffEncoding } from './decode.js';
export type { HeaderMap, HeaderSpec } from './header.js';
export { cleanHeaderCell, mapHeader, rowObject } from './header.js';
export type { ListInput, ObjectRow } from './input.js';
export type { ColumnSpec, DetectedLayout } from './layouts.js';
export {
  COC_COLUMNS,
  detectLayout,
  GENDER_COLUMNS,
  HMIS_CLIENT_HEADERS,
  LIST_COLUMNS,
  MEMBER_COLUMNS,
  PROGRAM_COLUMNS,
} from './layouts.js';
export type { CommunitySupport } from './programs.js';
export { COMMUNITY_SUPPORTS, canonicalProgram, ECM } from './programs.js';
export type { AnyListReader, Collected, ListReader, ReadOptions, ReadProgress } from './reader.js';
export { collect, readClients, readList, readMembers, readPrograms } from './reader.js';
export {
  formatIssueLine,
  REJECTION_REPORT_COLUMNS,
  rejectionReportLines,
  rejectionReportLinesAsync,
  summaryText,
} from './report.js';
export type { ByteInput, ReadCsvOptions } from './source.js';
export { bytesFrom, readCsvBatches, readCsvRows } from './source.js';
export type { ReadSummary } from './summary.js';
export type {
  AnyRecord,
  AnyRowValidator,
  RowResult,
  RowValidator,
  ValidateOptions,
  ValidatorRow,
} from './validate.js';
export { clientValidator, listValidator, memberValidator, programValidator } from './validate.js';
export type { XlsxReportOptions } from './xlsx.js';
export { rejectionReportXlsx } from './xlsx.js';
export type { ZipEntry } from './zip.js';
export { crc32, zipStored } from './zip.js';
