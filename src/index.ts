/**
 * bloomlink — privacy-preserving record linkage between HMIS client lists and Medi-Cal plan member lists.
 *
 * This entry point never takes a secret key; encoding lives in `bloomlink/encode`.
 * @packageDocumentation
 */
export { BloomlinkError, type ErrorCode } from './errors.js';
export type * from './read/types.js';
