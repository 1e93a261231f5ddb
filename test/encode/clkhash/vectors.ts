/** Loads the clkhash 0.18.3 interoperability vectors shipped in test/vectors (see its README). */
import { readFileSync } from 'node:fs';

/** One case of the vectors file: a linkage schema and the CLKs clkhash made with it. */
export interface VectorCase {
  readonly name: string;
  readonly schema: unknown;
  readonly clks: readonly string[];
}

/** The whole vectors file. */
export interface Vectors {
  readonly generator: string;
  readonly secret: string;
  readonly header: readonly string[];
  readonly records: readonly (readonly string[])[];
  readonly cases: readonly VectorCase[];
}

/**
 * Reads test/vectors/clkhash-v3.json.
 *
 * @example
 * ```ts
 * const { secret, records, cases } = loadVectors();
 * ```
 */
export function loadVectors(): Vectors {
  return JSON.parse(
    readFileSync(new URL('../../vectors/clkhash-v3.json', import.meta.url), 'utf8'),
  ) as Vectors;
}
