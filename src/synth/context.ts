import { CLEAN_DEFECT_RATES, type ClientDefectRates } from './defect-rates.js';
import { type ResolvedOptions, resolveOptions, type SynthOptions } from './options.js';
import type { PersonSpace } from './person.js';
import { Population } from './population.js';
import { hash3 } from './prng.js';

/**
 * Everything a row generator needs, derived once from the options.
 *
 * @example
 * ```ts
 * const ctx: SynthContext = createContext({ seed: 1, clients: 10, members: 30 });
 * ```
 */
export interface SynthContext {
  readonly options: ResolvedOptions;
  readonly population: Population;
  readonly space: PersonSpace;
  /** The member rates in the client-rates shape (CoC-only defects zero), for the shared name code. */
  readonly memberRates: ClientDefectRates;
  /** ExportID of the HMIS layouts: fixed per seed. */
  readonly exportId: string;
}

/**
 * Resolves options and builds the population layout.
 *
 * @example
 * ```ts
 * const ctx = createContext({ seed: 1, clients: 100, members: 300 });
 * ctx.population.clientRows; // 100
 * ```
 */
export function createContext(opts: SynthOptions): SynthContext {
  const options = resolveOptions(opts);
  return {
    options,
    population: new Population(options),
    space: { key: options.key, members: options.members, refDay: options.refDay },
    memberRates: { ...CLEAN_DEFECT_RATES.coc, ...options.rates.members },
    exportId: `SYNTH${hash3(options.key, 0xe0, 0).toString(16).toUpperCase().padStart(8, '0')}`,
  };
}
