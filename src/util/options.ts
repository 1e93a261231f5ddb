/**
 * The rules every option of the CLI and the API is checked against, in one place: the CLI names a
 * flag (`--threshold`), the API an option path (`match: options.thresholds.match`), and both say
 * the same rule. A failed check is `BloomlinkError` `OPTION_INVALID` naming the option and the
 * rule, never the value given.
 */
import { BloomlinkError } from '../errors.js';

/** A rule an option value must follow, with the words that describe it in a message. */
export interface OptionRule {
  /** What a valid value is, completing "… must be ": `an integer ≥ 1`. */
  readonly text: string;
  readonly test: (value: unknown) => boolean;
}

const int =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (v: unknown) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/**
 * The shared rules.
 * @example
 * ```ts
 * OPTION_RULES.probability.test(0.9); // true; 0, 1, NaN and -1 fail
 * ```
 */
export const OPTION_RULES = {
  /** Match and review thresholds: a match probability strictly between 0 and 1. */
  probability: {
    text: 'a probability between 0 and 1 (both excluded)',
    test: (v: unknown) => typeof v === 'number' && v > 0 && v < 1,
  },
  /** A Dice coefficient threshold. */
  unitInterval: {
    text: 'a number from 0 to 1',
    test: (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1,
  },
  /** Counts that must be at least one: threads, block sizes, batch sizes, samples. */
  positiveInteger: { text: 'an integer ≥ 1', test: int(1) },
  nonNegativeInteger: { text: 'an integer ≥ 0', test: int(0) },
  /** Seeds of the seeded generators (32-bit state). */
  seed: { text: 'an integer from 0 to 4294967295', test: int(0, 0xffff_ffff) },
  nonNegativeNumber: {
    text: 'a finite number ≥ 0',
    test: (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0,
  },
} as const satisfies Record<string, OptionRule>;

/**
 * The error for an option that breaks its rule: `OPTION_INVALID`, naming where and which option.
 * @example
 * ```ts
 * throw optionInvalid('match', 'options.maxBlockSize', 'an integer ≥ 1');
 * ```
 */
export function optionInvalid(where: string, name: string, rule: string): BloomlinkError {
  return new BloomlinkError('OPTION_INVALID', `${where}: ${name} must be ${rule}`);
}

/**
 * Checks an optional option against a rule; `undefined` passes (the default applies).
 * @example
 * ```ts
 * checkOption('match', 'options.threads', opts.threads, OPTION_RULES.positiveInteger);
 * ```
 */
export function checkOption(where: string, name: string, value: unknown, rule: OptionRule): void {
  if (value !== undefined && !rule.test(value)) throw optionInvalid(where, name, rule.text);
}

/**
 * Checks an optional option that takes one of a few words.
 * @example
 * ```ts
 * checkChoice('match', 'options.assignment', opts.assignment, ['greedy', 'optimal']);
 * ```
 */
export function checkChoice(where: string, name: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value as string))
    throw optionInvalid(where, name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
}

/**
 * Checks that an argument is a plain object (an options bag, a record), or absent when `optional`.
 * @example
 * ```ts
 * checkObject('match', 'options', options, true);
 * ```
 */
export function checkObject(where: string, name: string, value: unknown, optional = false): void {
  if (optional && value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw optionInvalid(where, name, optional ? 'an object or undefined' : 'an object');
}

/**
 * Checks a match threshold and a review threshold, each a probability, the review one not above the
 * match one.
 * @example
 * ```ts
 * checkThresholds('match', 'options.thresholds', { match: 0.9, review: 0.5 });
 * ```
 */
export function checkThresholds(
  where: string,
  name: string,
  thresholds: unknown,
  names: { readonly match: string; readonly review: string } = {
    match: `${name}.match`,
    review: `${name}.review`,
  },
): void {
  checkObject(where, name, thresholds, true);
  const t = (thresholds ?? {}) as { match?: unknown; review?: unknown };
  checkOption(where, names.match, t.match, OPTION_RULES.probability);
  checkOption(where, names.review, t.review, OPTION_RULES.probability);
  if (typeof t.match === 'number' && typeof t.review === 'number' && t.review > t.match)
    throw optionInvalid(where, names.review, `at most ${names.match}`);
}

/**
 * The thresholds a run uses: each given one, else the one from `fallback` (a model file's, or
 * chosen from the data), and the review threshold never above the match threshold. A review
 * threshold *given* above the match threshold in use — one given alone above the match threshold
 * the model chose — is `OPTION_INVALID`, as when both are given (see {@link checkThresholds}), never
 * silently lowered; a review threshold not given follows a lower given match threshold down (no
 * review band).
 * @example
 * ```ts
 * thresholdsInUse({ match: 0.9 }, { match: 0.6, review: 0.3, source: 'chosen from the model' }); // { match: 0.9, review: 0.3 }
 * thresholdsInUse({ review: 0.95 }, { match: 0.6, review: 0.3, source: 'chosen from the model' }); // throws OPTION_INVALID
 * ```
 */
export function thresholdsInUse(
  given: { readonly match?: number | undefined; readonly review?: number | undefined } | undefined,
  fallback: { readonly match: number; readonly review: number; readonly source: string },
): { match: number; review: number } {
  const match = given?.match ?? fallback.match;
  if (given?.review !== undefined && given.review > match)
    throw new BloomlinkError(
      'OPTION_INVALID',
      given.match !== undefined
        ? 'thresholds: the review threshold must be at most the match threshold'
        : `thresholds: the review threshold must be at most the match threshold in use (${match.toFixed(3)}, ${fallback.source}); give the match threshold too (--threshold, options.thresholds.match)`,
    );
  return { match, review: Math.min(given?.review ?? fallback.review, match) };
}

/**
 * Runs an options check written with `TypeError`/`RangeError` (messages that name the option, never
 * its value) and turns its failure into `OPTION_INVALID` naming the function, as the other checks do.
 * @example
 * ```ts
 * const o = asOptionError('buildHmisExport', () => resolveHmisOptions(opts));
 * ```
 */
export function asOptionError<T>(where: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof TypeError || e instanceof RangeError)
      throw new BloomlinkError('OPTION_INVALID', `${where}: ${e.message}`, { cause: e });
    throw e;
  }
}
