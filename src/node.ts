/**
 * bloomlink/node — Node-only helpers: streaming file input, the all-cores `matchParallel` and
 * `encodeParallel` (worker threads, same results as one thread) and the synthetic-data file writer.
 * Everything else in bloomlink runs in browsers too. `encodeParallel` takes the secret key, as
 * `bloomlink/encode` does; nothing else here does.
 * @packageDocumentation
 */

export { encodeParallel, type ParallelEncodeOptions } from './encode/encode.node.js';
export { BloomlinkError, type ErrorCode } from './errors.js';
export { matchParallel, type ParallelOptions } from './match/api.node.js';
export { readHmisDir, readHmisDirs } from './output/hmis/read.node.js';
export { readClientsFile, readListFile, readMembersFile, readProgramsFile } from './read/reader.node.js';
export { fileBytes, readCsvFile } from './read/source.node.js';
export { type SynthProgress, type WriteSynthOptions, writeSynthFiles } from './synth/write.node.js';
