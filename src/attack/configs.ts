/**
 * The hardening settings the measurements compare (bench/hardening.ts, bench/attack.ts): each option
 * alone at the strengths the literature uses, and a few combinations.
 */
import type { Hardening } from '../encoded/schema.js';

/** One hardening setting to measure. */
export interface HardeningConfig {
  /** Short label for tables and the `--only` flag. */
  readonly label: string;
  /** The schema's `hardening` (unset options keep their defaults). */
  readonly hardening: Partial<Hardening>;
}

/**
 * Every setting measured, plain filters first.
 * @example
 * ```ts
 * HARDENING_CONFIGS.map((c) => c.label); // ['none', 'balance', 'xor-fold 1', …]
 * ```
 */
export const HARDENING_CONFIGS: readonly HardeningConfig[] = [
  { label: 'none', hardening: {} },
  { label: 'balance', hardening: { balance: true } },
  { label: 'xor-fold 1', hardening: { xorFolds: 1 } },
  { label: 'blip 0.02', hardening: { blip: 0.02 } },
  { label: 'blip 0.05', hardening: { blip: 0.05 } },
  { label: 'blip 0.1', hardening: { blip: 0.1 } },
  { label: 'rule90', hardening: { rule90: true } },
  { label: 'salt dobYear', hardening: { salt: 'dobYear' } },
  { label: 'diffusion t=2', hardening: { diffusion: { t: 2 } } },
  { label: 'diffusion t=3', hardening: { diffusion: { t: 3 } } },
  { label: 'diffusion t=4', hardening: { diffusion: { t: 4 } } },
  { label: 'balance + blip 0.05', hardening: { balance: true, blip: 0.05 } },
  { label: 'rule90 + blip 0.02', hardening: { rule90: true, blip: 0.02 } },
  { label: 'diffusion t=3 + blip 0.02', hardening: { diffusion: { t: 3 }, blip: 0.02 } },
  { label: 'diffusion t=3 + salt dobYear', hardening: { diffusion: { t: 3 }, salt: 'dobYear' } },
];
