/**
 * The staged matching API, in the shape Splink users know (training → scoring → decisions) and as
 * arquero does it (a facade of plain functions over one implementation):
 *
 * `train(coc, mcp) → model`, `score(coc, mcp, model) → scored pairs`, `decide(scored, model) → links`,
 * and `match()` as their composition. Every stage is keyless: encoded lists in, never a key or clear text.
 */
import type { EncodedList } from '../encoded/file.js';
import { BloomlinkError } from '../errors.js';
import type { LinkageModel } from '../model/model.js';
import {
  assembleMatch,
  checkCompatible,
  checkNotEmpty,
  type DecisionOptions,
  type MatchOptions,
  type MatchResult,
  matchBatches,
  matchModel,
  type ScoredCandidates,
  type ScoringOptions,
  scoreCandidates,
  type TrainingOptions,
} from './match.js';
import { checkEncodedList, checkModelShape, checkStageOptions } from './options.js';

/**
 * What {@link score} produced: the two lists, the model they were scored with, the candidate pairs
 * kept for decisions (match probability ≥ 0.001) with the weight histogram and blocking statistics,
 * and the scoring options (the decision stage asks the same candidate source for pair completeness).
 */
export interface ScoredPairs {
  readonly coc: EncodedList;
  readonly mcp: EncodedList;
  readonly model: LinkageModel;
  readonly candidates: ScoredCandidates;
  readonly options: ScoringOptions;
}

/**
 * Trains a Fellegi–Sunter model on two encoded lists: u by seeded random sampling, m by EM in
 * exact-key training sessions, λ from deterministic rules. Returns a new model (plain JSON, see
 * `modelToJson`); nothing is mutated. Refuses lists from different schemas or keys.
 * @example
 * ```ts
 * import { readEncoded, train, modelToJson } from 'bloomlink';
 * import { fileBytes } from 'bloomlink/node';
 * const coc = await readEncoded(fileBytes('coc.arrow'), 'coc.arrow');
 * const mcp = await readEncoded(fileBytes('mcp.arrow'), 'mcp.arrow');
 * const model = train(coc, mcp, { seed: 7 });
 * console.log(model.comparisons.length, 'comparisons; λ =', model.lambda.toExponential(2));
 * const json = modelToJson(model); // save it, review it, pass it to score() next month
 * ```
 */
export function train(coc: EncodedList, mcp: EncodedList, options: TrainingOptions = {}): LinkageModel {
  checkInputs('train', coc, mcp, options);
  return matchModel(coc.batch, mcp.batch, { ...options, meta: coc.meta });
}

/**
 * Scores the candidate pairs of two encoded lists with a model: blocking (or an exhaustive Dice scan
 * with `exhaustive`), then the match weight of every candidate pair. One thread; `matchParallel` in
 * `bloomlink/node` uses all cores with the same result.
 * @example
 * ```ts
 * import { readEncoded, score, train } from 'bloomlink';
 * import { fileBytes } from 'bloomlink/node';
 * const coc = await readEncoded(fileBytes('coc.arrow'), 'coc.arrow');
 * const mcp = await readEncoded(fileBytes('mcp.arrow'), 'mcp.arrow');
 * const scored = score(coc, mcp, train(coc, mcp));
 * console.log(scored.candidates.scored, 'pairs compared,', scored.candidates.pairs.weight.length, 'kept');
 * ```
 */
export function score(
  coc: EncodedList,
  mcp: EncodedList,
  model: LinkageModel,
  options: ScoringOptions = {},
): ScoredPairs {
  checkInputs('score', coc, mcp, options, model, 'model');
  return { coc, mcp, model, candidates: scoreCandidates(coc.batch, mcp.batch, model, options), options };
}

/**
 * Decides on scored pairs: one-to-one assignment, thresholds (given, the model's, or chosen from the
 * expected F1), a clerical-review band and the ambiguity rule; returns the links with explanations and
 * the statistics a report needs. `model` supplies the thresholds; its weights must be those the pairs
 * were scored with (a copy with other thresholds is fine).
 * @example
 * ```ts
 * import { decide, readEncoded, score, train } from 'bloomlink';
 * import { fileBytes } from 'bloomlink/node';
 * const coc = await readEncoded(fileBytes('coc.arrow'), 'coc.arrow');
 * const mcp = await readEncoded(fileBytes('mcp.arrow'), 'mcp.arrow');
 * const model = train(coc, mcp);
 * const { links, thresholds } = decide(score(coc, mcp, model), model, { thresholds: { match: 0.9 } });
 * console.log(links.filter((l) => l.status === 'review').length, 'pairs to review below', thresholds.match);
 * ```
 */
export function decide(scored: ScoredPairs, model: LinkageModel, options: DecisionOptions = {}): MatchResult {
  const s = scored as Partial<ScoredPairs> | null;
  if (typeof s !== 'object' || s === null || s.candidates === undefined || s.model === undefined)
    throw new BloomlinkError('OPTION_INVALID', 'decide: scored must be what score() returned');
  checkModelShape('decide', 'model', model);
  checkStageOptions('decide', options);
  if (model !== scored.model && weightsKey(model) !== weightsKey(scored.model))
    throw new BloomlinkError(
      'INPUT_INVALID',
      'decide: the model differs from the one the pairs were scored with (only its thresholds may differ)',
    );
  return assembleMatch(scored.coc.batch, scored.mcp.batch, model, scored.candidates, {
    ...scored.options,
    ...options,
    meta: scored.coc.meta,
  });
}

/**
 * Matches an encoded CoC list with an encoded plan list: `decide(score(coc, mcp, train(coc, mcp)))`
 * in one call (with `options.model`, training is skipped), sharing the plan's row store between the
 * stages. Refuses two lists encoded with different schemas or keys (`SCHEMA_MISMATCH`,
 * `KEY_MISMATCH`) or from the wrong sides. Never needs the key.
 * @example
 * ```ts
 * import { match, readEncoded } from 'bloomlink';
 * import { fileBytes } from 'bloomlink/node';
 * const coc = await readEncoded(fileBytes('coc.arrow'), 'coc.arrow');
 * const mcp = await readEncoded(fileBytes('mcp.arrow'), 'mcp.arrow');
 * const { links, counts } = match(coc, mcp);
 * console.log(counts.matches, 'matches,', counts.review, 'to review;', links.length, 'links');
 * ```
 */
export function match(coc: EncodedList, mcp: EncodedList, options: MatchOptions = {}): MatchResult {
  checkInputs('match', coc, mcp, options, options.model);
  return matchBatches(coc.batch, mcp.batch, { ...options, meta: coc.meta });
}

/**
 * The input checks every stage that takes two encoded lists starts with, in this order: two encoded
 * lists and valid options (`OPTION_INVALID`); when `modelArgument` names `model` as an argument of
 * `where`, the model's shape (`OPTION_INVALID` naming it); lists of the same schema and key from the
 * right sides (`SCHEMA_MISMATCH`, `KEY_MISMATCH`); neither list empty (`INPUT_INVALID`); and, when a
 * model is given, one trained for this linkage schema (`SCHEMA_MISMATCH`).
 * @example
 * ```ts
 * checkInputs('match', coc, mcp, { maxBlockSize: 0 }); // throws OPTION_INVALID
 * checkInputs('score', coc, mcp, {}, model, 'model'); // throws SCHEMA_MISMATCH for another schema's model
 * ```
 */
export function checkInputs(
  where: string,
  coc: EncodedList,
  mcp: EncodedList,
  options: unknown,
  model?: LinkageModel,
  modelArgument?: string,
): void {
  checkEncodedList(where, 'coc', coc);
  checkEncodedList(where, 'mcp', mcp);
  checkStageOptions(where, options);
  if (modelArgument !== undefined) checkModelShape(where, modelArgument, model);
  checkCompatible(coc.meta, mcp.meta);
  checkNotEmpty(coc.batch, mcp.batch);
  if (
    model &&
    model.schemaFingerprint !== undefined &&
    model.schemaFingerprint !== coc.meta.schemaFingerprint
  )
    throw new BloomlinkError(
      'SCHEMA_MISMATCH',
      'the model was trained on files of another linkage schema; train it again on these files',
    );
}

/** Everything of a model that sets a pair's weight (not its thresholds or training summary). */
function weightsKey(model: LinkageModel): string {
  return JSON.stringify([model.comparisons, model.lambda, model.termFrequency]);
}
