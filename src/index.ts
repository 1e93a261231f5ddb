/**
 * bloomlink — privacy-preserving record linkage between HMIS client lists and Medi-Cal managed care
 * plan member lists.
 *
 * This entry point never takes a secret key: it reads and validates lists, normalises values, reads
 * encoded files and matches them, and writes the outputs. Encoding (the only code that takes a key) is
 * `bloomlink/encode`; the synthetic-data generator is `bloomlink/synth`; Node file helpers and the
 * all-cores `matchParallel` / `encodeParallel` are `bloomlink/node`.
 *
 * The exports below follow the data flow: read and validate → normalise → encoded files → match
 * (train → score → decide) → evaluate → outputs (links, return file, HMIS) → report.
 * @packageDocumentation
 */
// biome-ignore-all assist/source/organizeImports: the exports follow the data flow (read → match → outputs), not the alphabet

// ── Errors and record types ───────────────────────────────────────────────────────────────────────
export { BloomlinkError, type ErrorCode } from './errors.js';
export type * from './records.js';
export { DATA_QUALITY_CODES } from './records.js';
export { VERSION } from './version.js';

// ── Read and validate lists ───────────────────────────────────────────────────────────────────────
export { arrowRows, isArrowIpc } from './read/arrow-rows.js';
export type { CsvOptions, CsvRow } from './read/csv.js';
export { parseCsv } from './read/csv.js';
export type { DecodeOptions, TextEncodingName } from './read/decode.js';
export type { ListInput, ObjectRow } from './read/input.js';
export type { IssueCode, IssueCodeInfo } from './issue-codes.js';
export { ISSUE_CODES, isIssueCode } from './issue-codes.js';
export type { ColumnSpec, DetectedLayout } from './read/layouts.js';
export {
  COC_COLUMNS,
  detectLayout,
  GENDER_COLUMNS,
  HMIS_CLIENT_HEADERS,
  LIST_COLUMNS,
  MEMBER_COLUMNS,
  PROGRAM_COLUMNS,
} from './read/layouts.js';
export type { CommunitySupport } from './read/programs.js';
export { COMMUNITY_SUPPORTS, canonicalProgram, ECM } from './read/programs.js';
export type { AnyListReader, Collected, ListReader, ReadOptions, ReadProgress } from './read/reader.js';
export { collect, readClients, readList, readMembers, readPrograms } from './read/reader.js';
export {
  formatIssueLine,
  REJECTION_REPORT_COLUMNS,
  rejectionReportLines,
  rejectionReportLinesAsync,
  issueCountLines,
  summaryText,
} from './read/report.js';
export type { ByteInput, ReadCsvOptions } from './read/source.js';
export { bytesFrom, readCsvBatches, readCsvRows } from './read/source.js';
export type { ReadSummary, SeverityCounts } from './read/summary.js';
export type {
  AnyRecord,
  AnyRowValidator,
  RowResult,
  RowValidator,
  ValidateOptions,
  ValidatorRow,
} from './read/validate.js';
export { clientValidator, listValidator, memberValidator, programValidator } from './read/validate.js';
export type { XlsxReportOptions } from './read/xlsx.js';
export { rejectionReportXlsx } from './read/xlsx.js';
export type { CsvValue, FormatCsvOptions } from './util/csv-write.js';
export { CSV_EOL, formatCsvRow } from './util/csv-write.js';

// ── Normalise values (what both parties run before encoding) ──────────────────────────────────────
export * from './normalise/index.js';

// ── Encoded files (the format both parties share; no key) ─────────────────────────────────────────
export type {
  BlockColumn,
  EncodedBatch,
  EncodedMeta,
  EncodedRowCounts,
  Party,
  WriteEncodedOptions,
} from './encoded/batch.js';
export {
  CLEAR_TEXT_FEATURES,
  CLEAR_TEXT_KEY_CHECK,
  type ClearTextBatch,
  type ClearTextFeature,
  hasClearText,
} from './encoded/clear-text.js';
export { type BatchAllocator, concatBatches } from './encoded/concat.js';
export {
  type EncodedFormat,
  type EncodedList,
  type OpenEncodedOptions,
  openEncoded,
  readEncoded,
  writeEncoded,
} from './encoded/file.js';
export { formatKeyCheck } from './encoded/key-check.js';
export { type LinkageSchema, parseLinkageSchema, schemaFingerprint } from './encoded/schema.js';

// ── Match: train → score → decide, and match() as their composition ──────────────────────────────
export type { PassStats } from './block/blocking.js';
export { clearTextComparisons } from './compare/clear-comparisons.js';
export {
  type ComparisonSpec,
  DEFAULT_COMPARISONS,
  type DqField,
  type LevelCondition,
  type LevelSpec,
  levelCount,
  levelLabel,
} from './compare/comparisons.js';
export { jaro, jaroWinkler } from './compare/jaro-winkler.js';
export {
  CHANGE_REASONS,
  type ChangeReason,
  type CycleCounts,
  type Decision,
  type LinkChange,
  type PairDecision,
  type PreviousLink,
} from './decide/cycle.js';
export {
  type ExpectedQuality,
  expectedQuality,
  type MixturePairs,
  type OneToOneMixture,
  oneToOneMixture,
} from './decide/expected.js';
export { chooseThresholds, DEFAULT_THRESHOLDS, thresholdTable } from './decide/thresholds.js';
export { decide, match, type ScoredPairs, score, train } from './match/api.js';
export {
  checkCompatible,
  type DecisionOptions,
  type Explanation,
  type Link,
  type LinkStatus,
  type MatchOptions,
  type MatchProgress,
  type MatchResult,
  type ScoredCandidates,
  type ScoringOptions,
  type TrainingOptions,
} from './match/match.js';
export {
  type ChunkRunner,
  matchStreaming,
  type PlanSource,
  scoreChunksHere,
  STREAM_CHUNK_RECORDS,
  type StreamedScores,
  type StreamMatchOptions,
  scoreStreaming,
} from './match/stream.js';
export { type LinkageModel, modelToJson, parseModel } from './model/model.js';
export {
  type FsParams,
  levelWeight,
  levelWeights,
  matchWeight,
  priorWeight,
  probabilityToWeight,
  scoreLevels,
  tfAdjustedPartial,
  tfAdjustedU,
  tfAdjustment,
  weightToProbability,
} from './model/weights.js';

// ── Evaluate against ground truth ─────────────────────────────────────────────────────────────────
export { linkageMetrics, pairCompleteness } from './match/metrics.js';

// ── Outputs: links and review files, the MCP return file, HMIS import files ──────────────────────
export { OUTPUT_ISSUE_CODES, type OutputIssueCode } from './output/issue-codes.js';
export { type LinkRead, type ReadLinksOptions, readLinks } from './output/links.js';
export { changesFileLines, type LinksSource, linksFileLines, reviewFileLines } from './output/links-write.js';
export { type DecisionsRead, readDecisions } from './output/decisions.js';
export { readReturnIpc, returnRowsToArrow, returnRowsToIpc } from './output/return-arrow.js';
export { type LinkChangeRow, REJECTED_BY_REVIEWER, readLinkChanges } from './output/return-changes.js';
export {
  csColumns,
  DEFAULT_SERVICES,
  type EnrollmentStatus,
  type ProgramStatus,
  RETURN_BASE_COLUMNS,
  type ReturnRow,
  returnFileColumns,
} from './output/return-columns.js';
export {
  type BuildReturnOptions,
  buildReturnRows,
  type ReturnInputs,
  type ReturnResult,
} from './output/return-file.js';
export { returnFileLines, returnRowValues } from './output/return-format.js';
export {
  type HistoryRecordKind,
  type HistoryRow,
  RETURN_HISTORY_COLUMNS,
  type ReadReturnHistoryOptions,
  type ReturnHistoryRead,
  readReturnHistory,
  returnHistoryLines,
  returnHistoryPath,
} from './output/return-history.js';
export { type ReadReturnOptions, type ReturnRead, readReturnFile } from './output/return-read.js';
export { buildHmisExport, type HmisExport, type HmisInput } from './output/hmis/build.js';
export type { RecordCounts } from './output/hmis/records.js';
export { checkHmisFiles, type HmisProblem } from './output/hmis/check.js';
export { type ClientTable, clientFileLines, readClientFile } from './output/hmis/clients.js';
export {
  CSV_VERSION,
  HMIS_FILES,
  HMIS_LAYOUTS,
  type HmisFileName,
  type HmisVersion,
  hmisColumns,
} from './output/hmis/layouts.js';
export type { HmisOptions } from './output/hmis/options.js';
export { detectHmisVersion, type HmisFiles, readHmisFiles, readHmisTable } from './output/hmis/read.js';
export { hmisFileLines, hmisFileText } from './output/hmis/write.js';

// ── Report ────────────────────────────────────────────────────────────────────────────────────────
export * from './report/index.js';
