/**
 * bloomlink — privacy-preserving record linkage between HMIS client lists and Medi-Cal managed care
 * plan member lists.
 *
 * This entry point never takes a secret key: it reads and validates lists, normalises values, reads
 * encoded files and matches them. Encoding (the only code that takes a key) is `bloomlink/encode`;
 * the synthetic-data generator is `bloomlink/synth`; Node file helpers are `bloomlink/node`.
 * @packageDocumentation
 */

export type { CandidateGenerator, PassStats } from './block/blocking.js';
export {
  type ComparisonSpec,
  DEFAULT_COMPARISONS,
  type DqField,
  type LevelCondition,
  type LevelSpec,
  levelCount,
  levelLabel,
} from './compare/comparisons.js';
export { mergeTables, NULL_LEVEL, PatternCounter, type PatternTable } from './compare/patterns.js';
export { greedyOneToOne, optimalOneToOne } from './decide/assign.js';
export { chooseThresholds, DEFAULT_THRESHOLDS, thresholdTable } from './decide/thresholds.js';
export type { BlockColumn, EncodedBatch, EncodedMeta, Party } from './encoded/batch.js';
export { type BatchAllocator, concatBatches } from './encoded/concat.js';
export {
  type EncodedFormat,
  type EncodedList,
  openEncoded,
  readEncoded,
  writeEncoded,
} from './encoded/file.js';
export { type LinkageSchema, parseLinkageSchema, schemaFingerprint } from './encoded/schema.js';
export { BloomlinkError, type ErrorCode } from './errors.js';
export { match } from './match/api.js';
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
export { type EmOptions, type EmResult, runEm } from './model/em.js';
export { type LinkageModel, modelToJson, parseModel } from './model/model.js';
export { type PairScores, Scorer } from './model/score.js';
export { DEFAULT_TRAINING_RULES, type TrainingRule, type TrainOptions, trainModel } from './model/train.js';
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
export type * from './records.js';
export * from './report/index.js';
export { VERSION } from './version.js';
