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
export { concatBatches } from './encode/concat.js';
export {
  type EncodedFormat,
  type EncodedList,
  openEncoded,
  readEncoded,
  writeEncoded,
} from './encode/file.js';
export { type LinkageSchema, parseLinkageSchema, schemaFingerprint } from './encode/schema.js';
export { BloomlinkError, type ErrorCode } from './errors.js';
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
export { arrowRows, isArrowIpc } from './read/arrow-rows.js';
export * from './read/index.js';
export type * from './read/types.js';
export { VERSION } from './version.js';
