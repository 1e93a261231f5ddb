/**
 * bloomlink/synth — the seeded generator of realistic synthetic CoC client lists, plan member lists
 * and program lists with ground truth (browser-safe; the file writer is in `bloomlink/node`).
 * @packageDocumentation
 */
export * from './synth/index.js';
