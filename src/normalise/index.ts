/**
 * Pure value normalisation shared by both parties (the CoC and the plan run exactly this before
 * encoding): text folding, names, nicknames, sex, SSN, data-quality codes, dates, identifiers.
 * Browser-safe and locale-independent.
 */
export { parseCode } from './code.js';
export type { DateFormat, DobClass, ParsedDate } from './date.js';
export { classifyDob, dateParts, daysBetween, isIsoDate, parseDate } from './date.js';
export { isUnknownDq, parseDataQuality } from './dq.js';
export { isValidCin, MAX_ID_LENGTH, normaliseId, normaliseMemberId } from './ids.js';
export type { NameFields, NormalisedName } from './names.js';
export { normaliseName, normaliseNamePart } from './names.js';
export { areNicknameRelated, canonicalFirstName, firstNameVariants } from './nicknames.js';
export { NICKNAME_PAIRS } from './nicknames-data.js';
export { soundex } from './phonetic.js';
export { isPlaceholderName } from './placeholders.js';
export type { GenderColumn, ParsedSex } from './sex.js';
export { parseSex, sexFromGenderColumns } from './sex.js';
export type { SsnCheck, SsnStatus } from './ssn.js';
export { checkSsn } from './ssn.js';
export { normaliseSuffix } from './suffix.js';
export { foldText } from './text.js';
