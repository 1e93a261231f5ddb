/**
 * Argument checks of the staged API (`train`, `score`, `decide`, `match`, `matchParallel`): the
 * CLI's rules (src/util/options.ts) applied to the options objects, so a wrong argument is
 * `BloomlinkError` `OPTION_INVALID` naming the function and the option, before any work starts,
 * instead of a TypeError deep inside or a silently empty result.
 */
import {
  checkChoice,
  checkObject,
  checkOption,
  checkThresholds,
  OPTION_RULES,
  optionInvalid,
} from '../util/options.js';

const DICE = ['auto', 'wasm-simd', 'wasm', 'js'] as const;

/**
 * Checks that an argument is an encoded list (`{ meta, batch }` as `readEncoded` returns it).
 * @example
 * ```ts
 * checkEncodedList('match', 'coc', coc); // throws OPTION_INVALID for [] or {}
 * ```
 */
export function checkEncodedList(where: string, name: string, list: unknown): void {
  const l = list as { meta?: { party?: unknown }; batch?: { length?: unknown; ids?: unknown } } | null;
  if (
    typeof l !== 'object' ||
    l === null ||
    Array.isArray(l) ||
    typeof l.meta !== 'object' ||
    l.meta === null ||
    typeof l.meta.party !== 'string' ||
    typeof l.batch !== 'object' ||
    l.batch === null ||
    typeof l.batch.length !== 'number' ||
    !Array.isArray(l.batch.ids)
  )
    throw optionInvalid(where, name, 'an encoded list ({ meta, batch }, as readEncoded returns)');
}

/**
 * Checks a linkage model argument's shape (its content is checked where it is used).
 * @example
 * ```ts
 * checkModelShape('score', 'model', model);
 * ```
 */
export function checkModelShape(where: string, name: string, model: unknown): void {
  const m = model as { comparisons?: unknown; lambda?: unknown } | null;
  if (typeof m !== 'object' || m === null || !Array.isArray(m.comparisons) || typeof m.lambda !== 'number')
    throw optionInvalid(where, name, 'a linkage model (from train, or parseModel of a model file)');
}

/**
 * Checks the options of any stage (training, scoring, decision, or all of them for `match`):
 * each option present must follow the CLI's rule for it.
 * @example
 * ```ts
 * checkStageOptions('match', options); // OPTION_INVALID for { thresholds: { match: -1 } }
 * ```
 */
export function checkStageOptions(where: string, options: unknown): void {
  checkObject(where, 'options', options, true);
  const o = (options ?? {}) as Record<string, unknown>;
  const { positiveInteger, nonNegativeInteger, nonNegativeNumber, seed, unitInterval } = OPTION_RULES;
  checkOption(where, 'options.seed', o.seed, seed);
  checkOption(where, 'options.maxBlockSize', o.maxBlockSize, positiveInteger);
  checkOption(where, 'options.trainingRecords', o.trainingRecords, positiveInteger);
  checkOption(where, 'options.uSamplePairs', o.uSamplePairs, positiveInteger);
  checkOption(where, 'options.threads', o.threads, positiveInteger);
  checkOption(where, 'options.explainMatches', o.explainMatches, nonNegativeInteger);
  checkOption(where, 'options.ambiguityMargin', o.ambiguityMargin, nonNegativeNumber);
  checkChoice(where, 'options.dice', o.dice, DICE);
  checkChoice(where, 'options.assignment', o.assignment, ['greedy', 'optimal']);
  checkThresholds(where, 'options.thresholds', o.thresholds);
  if (o.comparisons !== undefined && !Array.isArray(o.comparisons))
    throw optionInvalid(where, 'options.comparisons', 'an array of comparisons');
  if (o.model !== undefined) checkModelShape(where, 'options.model', o.model);
  if (o.exhaustive !== undefined) {
    checkObject(where, 'options.exhaustive', o.exhaustive);
    const e = o.exhaustive as { threshold?: unknown; features?: unknown };
    checkOption(where, 'options.exhaustive.threshold', e.threshold, unitInterval);
    if (e.features !== undefined && !(Array.isArray(e.features) && e.features.length > 0))
      throw optionInvalid(where, 'options.exhaustive.features', 'a non-empty array of feature names');
  }
  checkPairList(where, 'options.decisions', o.decisions, true);
  checkPairList(where, 'options.previous', o.previous, false);
  if (
    o.truth !== undefined &&
    (typeof o.truth !== 'object' || o.truth === null || !(Symbol.iterator in (o.truth as object)))
  )
    throw optionInvalid(where, 'options.truth', 'an iterable of [PersonalID, MemberID] pairs');
  for (const f of ['onProgress'] as const)
    if (o[f] !== undefined && typeof o[f] !== 'function')
      throw optionInvalid(where, `options.${f}`, 'a function');
}

/** Decisions (`{ personalId, memberId, decision }`) or previous links (`{ personalId, memberId }`). */
function checkPairList(where: string, name: string, list: unknown, decisions: boolean): void {
  if (list === undefined) return;
  const what = decisions
    ? "an array of { personalId, memberId, decision: 'accept' | 'reject' }"
    : 'an array of { personalId, memberId }';
  if (!Array.isArray(list)) throw optionInvalid(where, name, what);
  list.forEach((item: unknown, i) => {
    const x = item as { personalId?: unknown; memberId?: unknown; decision?: unknown } | null;
    const ok =
      typeof x === 'object' &&
      x !== null &&
      typeof x.personalId === 'string' &&
      x.personalId !== '' &&
      typeof x.memberId === 'string' &&
      x.memberId !== '' &&
      (!decisions || x.decision === 'accept' || x.decision === 'reject');
    if (!ok) throw optionInvalid(where, `${name}[${i}]`, what);
  });
}
