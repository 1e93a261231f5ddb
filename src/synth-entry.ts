/**
 * bloomlink/synth — the seeded generator of realistic synthetic CoC client lists, plan member lists
 * and program lists with ground truth (browser-safe; the file writer is in `bloomlink/node`).
 * @packageDocumentation
 */
export { BloomlinkError, type ErrorCode } from './errors.js';
export * from './synth/index.js';
