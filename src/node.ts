/**
 * bloomlink/node — Node-only helpers: streaming file input and the synthetic-data file writer.
 * Everything else in bloomlink runs in browsers too.
 * @packageDocumentation
 */

export { readHmisDir, readHmisDirs } from './output/hmis/read.node.js';
export { readClientsFile, readListFile, readMembersFile, readProgramsFile } from './read/reader.node.js';
export { fileBytes, readCsvFile } from './read/source.node.js';
export { type SynthProgress, type WriteSynthOptions, writeSynthFiles } from './synth/write.node.js';
