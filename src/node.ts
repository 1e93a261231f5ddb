/**
 * bloomlink/node — Node-only helpers: streaming file input, the all-cores `matchParallel`,
 * `encodeParallel` and `encodeClksParallel` (worker threads, same results as one thread) and the
 * synthetic-data file writer. Everything else in bloomlink runs in browsers too. `encodeParallel`
 * takes the secret key and `encodeClksParallel` the clkhash secret, as `bloomlink/encode` does;
 * nothing else here does.
 * @packageDocumentation
 */

export {
  CLKHASH_PARALLEL_MIN_BYTES,
  type ClkParallelOptions,
  type ClkRecord,
  encodeClksParallel,
} from './encode/clkhash/parallel.node.js';
export {
  ENCODE_PARALLEL_MIN_BYTES,
  encodeParallel,
  type ParallelEncodeOptions,
} from './encode/encode.node.js';
export { BloomlinkError, type ErrorCode } from './errors.js';
export { matchParallel, type ParallelOptions } from './match/api.node.js';
export { MATCH_PARALLEL_MIN_WORK } from './match/match.node.js';
export { scoreChunksOnThreads } from './match/stream.node.js';
export { readHmisDir, readHmisDirs } from './output/hmis/read.node.js';
export { readClientsFile, readListFile, readMembersFile, readProgramsFile } from './read/reader.node.js';
export { fileBytes, readCsvFile } from './read/source.node.js';
export { type SynthProgress, type WriteSynthOptions, writeSynthFiles } from './synth/write.node.js';
