/**
 * bloomlink — privacy-preserving record linkage between HMIS client lists and Medi-Cal managed care
 * plan member lists.
 *
 * This entry point never takes a secret key: it reads and validates lists, normalises values, reads
 * encoded files and matches them. Encoding (the only code that takes a key) is `bloomlink/encode`;
 * the synthetic-data generator is `bloomlink/synth`; Node file helpers are `bloomlink/node`.
 * @packageDocumentation
 */
export type { BlockColumn, EncodedBatch, EncodedMeta, Party } from './encode/batch.js';
export { type BatchAllocator, concatBatches } from './encode/concat.js';
export {
  type EncodedFormat,
  type EncodedList,
  openEncoded,
  readEncoded,
  writeEncoded,
} from './encode/file.js';
export { type LinkageSchema, parseLinkageSchema, schemaFingerprint } from './encode/schema.js';
export { BloomlinkError, type ErrorCode } from './errors.js';
export { match } from './match/api.js';
export { greedyOneToOne, optimalOneToOne } from './match/assign.js';
export type { CandidateGenerator, PassStats } from './match/blocking.js';
export {
  type ComparisonSpec,
  DEFAULT_COMPARISONS,
  type DqField,
  type LevelCondition,
  type LevelSpec,
  levelCount,
  levelLabel,
} from './match/comparisons.js';
export { type EmOptions, type EmResult, runEm } from './match/em.js';
export {
  type FsParams,
  levelWeights,
  matchWeight,
  priorWeight,
  probabilityToWeight,
  scoreLevels,
  tfAdjustedPartial,
  tfAdjustment,
  weightToProbability,
} from './match/fs.js';
export {
  checkCompatible,
  type Explanation,
  type Link,
  type LinkStatus,
  type MatchOptions,
  type MatchResult,
  matchBatches,
} from './match/match.js';
export { linkageMetrics, pairCompleteness } from './match/metrics.js';
export { type LinkageModel, modelToJson, parseModel } from './match/model.js';
export { mergeTables, NULL_LEVEL, PatternCounter, type PatternTable } from './match/patterns.js';
export { Scorer } from './match/score.js';
export { chooseThresholds, DEFAULT_THRESHOLDS, thresholdTable } from './match/thresholds.js';
export { DEFAULT_TRAINING_RULES, type TrainingRule, type TrainOptions, trainModel } from './match/train.js';
export * from './normalise/index.js';
export { buildHmisExport, type HmisExport, type HmisInput } from './output/hmis/build.js';
export { checkHmisFiles, type HmisProblem } from './output/hmis/check.js';
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
export { OUTPUT_ISSUE_CODES, type OutputIssueCode } from './output/issue-codes.js';
export { type LinkRead, type ReadLinksOptions, readLinks } from './output/links.js';
export { readReturnIpc, returnRowsToArrow, returnRowsToIpc } from './output/return-arrow.js';
export {
  csColumns,
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
export { type ReadReturnOptions, type ReturnRead, readReturnFile } from './output/return-read.js';
export { arrowRows, isArrowIpc } from './read/arrow-rows.js';
export * from './read/index.js';
export type * from './read/types.js';
export * from './report/index.js';
export { VERSION } from './version.js';
