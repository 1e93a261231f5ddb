import type { SynthOptions } from './options.js';

/**
 * Options of the bundled sample in `data/sample/` (written by `scripts/gen-sample.ts`); the CoC
 * list is written in the contract layout and again as HMIS FY2026 and FY2024 `Client.csv`.
 * Changing any of them changes every sample file.
 *
 * @example
 * ```ts
 * const sample = synthesize(SAMPLE_OPTIONS); // the rows of data/sample/*.csv
 * ```
 */
export const SAMPLE_OPTIONS: SynthOptions = Object.freeze({
  seed: 20260101,
  clients: 2000,
  members: 6000,
  overlap: 0.4,
  referenceDate: '2026-01-01',
  mcpName: 'Golden State Health Plan',
});
