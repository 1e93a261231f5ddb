/**
 * Seeded generator of realistic synthetic CoC client lists, MCP member lists and MCP program lists
 * with ground truth, for tests, demos, evaluation and benchmarks. Runs in a browser; the Node file
 * writer is in `write.node.ts`.
 * @module
 */
export {
  CONTRACT_CLIENT_COLUMNS,
  HMIS_FY2024_CLIENT_COLUMNS,
  HMIS_FY2026_CLIENT_COLUMNS,
  MEMBER_COLUMNS,
  PROGRAM_COLUMNS,
  TRUTH_COLUMNS,
} from './columns.js';
export {
  CLEAN_DEFECT_RATES,
  type ClientDefectRates,
  DEFAULT_DEFECT_RATES,
  type DefectRateOverrides,
  type DefectRates,
  type MemberDefectRates,
  type SharedDefectRates,
} from './defect-rates.js';
export {
  DEFAULT_MONTH_CHANGE_RATES,
  type MonthChange,
  type MonthChangeRates,
  type NextMonth,
  type NextMonthOptions,
  nextMonth,
} from './next-month.js';
export { isValidNpi, npiCheckDigit } from './npi.js';
export { MAX_CLIENTS, MAX_MEMBERS, type SynthOptions } from './options.js';
export { PROGRAMS, type ProgramSpec } from './program-catalog.js';
export type { SynthRow } from './rows.js';
export { SAMPLE_OPTIONS } from './sample-options.js';
export { type SynthData, type SynthList, synthesize, type TruthPair } from './synthesize.js';
