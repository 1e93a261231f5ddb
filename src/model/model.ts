/**
 * The linkage model: comparisons with their m and u probabilities, λ, term-frequency settings,
 * thresholds and a training summary. Plain JSON (modelled on Splink's saved model), validated with
 * zod on load, and immutable: training returns a new model.
 */
import * as z from 'zod';
import { type ComparisonSpec, type LevelCondition, levelCount } from '../compare/comparisons.js';
import { BloomlinkError } from '../errors.js';
import { at } from '../util/defined.js';

/** A comparison with its parameters: m[l] = P(level l | match), u[l] = P(level l | non-match). */
export interface ComparisonParams {
  readonly spec: ComparisonSpec;
  readonly m: readonly number[];
  readonly u: readonly number[];
  /** Whether m was estimated from the data (true) or is the prior/fixed value. */
  readonly mTrained?: boolean;
}

/** One EM training session (one per blocking pass), for the report. */
export interface EmSession {
  readonly pass: string;
  readonly pairs: number;
  readonly patterns: number;
  /** Comparisons whose m was estimated in this session. */
  readonly trained: readonly string[];
  readonly iterations: number;
  readonly converged: boolean;
  /**
   * The session's match rate: the share of its pairs that are matches before each pair's prior
   * shift (its values' frequencies). The same-DOB session estimates it; the others take it from λ.
   */
  readonly lambda: number;
  /** Log-likelihood after each iteration (iterations + 1 values). */
  readonly logLikelihood: readonly number[];
}

/** How the model was trained. */
export interface TrainingSummary {
  readonly seed: number;
  readonly uSamplePairs: number;
  readonly trainingRecords: number;
  readonly sessions: readonly EmSession[];
  readonly lambdaMethod: string;
  readonly deterministicLinks: number;
  readonly deterministicRecall: number;
}

/** A complete, serialisable linkage model. */
export interface LinkageModel {
  /**
   * Model file format: 2 since comparisons may carry a null rule (`nullWhen`), which a reader of
   * format 1 would drop without a word and then score the comparison where it was never trained.
   * Format 1 files (no null rules) are still read.
   */
  readonly bloomlinkModel: 1 | 2;
  /** Fingerprint of the linkage schema the model was trained for (informative; comparisons name features). */
  readonly schemaFingerprint?: string;
  readonly comparisons: readonly ComparisonParams[];
  /** Prior probability that two random records (one from each list) match. */
  readonly lambda: number;
  readonly termFrequency: { readonly enabled: boolean; readonly comparisons: readonly string[] };
  readonly thresholds?: { readonly match: number; readonly review: number; readonly rationale?: string };
  readonly training?: TrainingSummary;
}

// The zod schemas are built on first use, not at module load: `match` loads this module on every run
// but parses a model only when --model names an existing file (building them cost a small job's
// process ≈ 10–25 ms; docs/scaling.md, "Small jobs", round five).
function buildModelSchema() {
  const condition: z.ZodType<LevelCondition> = z.lazy(() =>
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('exact'), feature: z.string() }),
      z.object({ type: z.literal('cross'), a: z.string(), b: z.string() }),
      z.object({ type: z.literal('overlap'), feature: z.string() }),
      z.object({ type: z.literal('partOf'), whole: z.string(), parts: z.string() }),
      z.object({ type: z.literal('dice'), feature: z.string(), min: z.number().min(0).max(1) }),
      z.object({
        type: z.literal('crossDice'),
        a: z.string(),
        b: z.string(),
        min: z.number().min(0).max(1),
        both: z.boolean().optional(),
      }),
      z.object({ type: z.literal('jaroWinkler'), feature: z.string(), min: z.number().min(0).max(1) }),
      z.object({ type: z.literal('levenshtein'), feature: z.string(), max: z.int().min(0) }),
      z.object({
        type: z.literal('crossJaroWinkler'),
        a: z.string(),
        b: z.string(),
        min: z.number().min(0).max(1),
        both: z.boolean().optional(),
      }),
      z.object({ type: z.literal('all'), of: z.array(condition) }),
      z.object({ type: z.literal('else') }),
    ]),
  ) as z.ZodType<LevelCondition>;

  const prob = z.number().min(0).max(1);

  const comparisonSpec = z.object({
    name: z.string().min(1),
    requires: z.array(z.string()),
    dq: z.enum(['name', 'dob', 'ssn']).optional(),
    splitByDq: z.boolean().optional(),
    nullWhen: condition.optional(),
    levels: z.array(z.object({ label: z.string(), when: condition, tf: z.string().optional() })).min(1),
  });

  const modelSchema = z.object({
    bloomlinkModel: z.union([z.literal(1), z.literal(2)]),
    schemaFingerprint: z.string().optional(),
    comparisons: z
      .array(
        z.object({
          spec: comparisonSpec,
          m: z.array(prob),
          u: z.array(prob),
          mTrained: z.boolean().optional(),
        }),
      )
      .min(1),
    lambda: z.number().gt(0).lt(1),
    termFrequency: z.object({ enabled: z.boolean(), comparisons: z.array(z.string()) }),
    thresholds: z
      .object({ match: prob, review: prob, rationale: z.string().optional() })
      .refine((t) => t.review <= t.match, 'review threshold must not exceed the match threshold')
      .optional(),
    training: z.any().optional(),
  });
  return modelSchema;
}

let modelSchemaBuilt: ReturnType<typeof buildModelSchema> | undefined;

/**
 * Validates a model read from JSON. Throws `BloomlinkError('MODEL_INVALID')` with a one-line reason.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const model = parseModel(JSON.parse(readFileSync('model.json', 'utf8')));
 * ```
 */
export function parseModel(json: unknown): LinkageModel {
  modelSchemaBuilt ??= buildModelSchema();
  const r = modelSchemaBuilt.safeParse(json);
  if (!r.success) {
    const i = at(r.error.issues, 0);
    throw new BloomlinkError('MODEL_INVALID', `model: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  const model = r.data as LinkageModel;
  for (const c of model.comparisons) {
    const n = levelCount(c.spec);
    if (c.m.length !== n || c.u.length !== n) {
      throw new BloomlinkError(
        'MODEL_INVALID',
        `model: comparison '${c.spec.name}' needs ${n} m and u values`,
      );
    }
  }
  return deepFreeze(model);
}

/**
 * Serialises a model as pretty JSON.
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('model.json', modelToJson(model));
 * ```
 */
export function modelToJson(model: LinkageModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}

/** Freezes an object graph (models are immutable). */
export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}

/**
 * Prior m probabilities for a comparison before training: most mass on the first level, then
 * decreasing; "else" small. Used as EM's starting point and when a comparison cannot be trained.
 */
export function priorM(spec: ComparisonSpec): number[] {
  const n = spec.levels.length;
  const base: number[] = [];
  for (let l = 0; l < n; l++) base.push(l === 0 ? 0.7 : l === n - 1 ? 0.02 : 0.28 / Math.max(n - 2, 1));
  const full = spec.splitByDq ? [...base.map((x) => x * 0.9), ...base.map((x) => x * 0.1)] : base;
  const s = full.reduce((a, b) => a + b, 0);
  return full.map((x) => x / s);
}
