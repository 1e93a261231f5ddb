/**
 * Scoring an attack against ground truth: how many records it re-identified, and how often its guesses
 * were right.
 */

/** The result of one attack on one field. */
export interface AttackOutcome {
  /** Records that have a true value for the field. */
  readonly records: number;
  /** Records the attack made a guess for. */
  readonly guessed: number;
  /** Records whose guess equals the true value. */
  readonly correct: number;
  /** `correct / records`: the share of records re-identified. */
  readonly share: number;
  /** `correct / guessed` (0 when nothing was guessed). */
  readonly precision: number;
  /** Per record, 1 where the guess was right. */
  readonly hits: Uint8Array;
}

/**
 * Compares guesses with the true values, record by record.
 * @example
 * ```ts
 * scoreGuesses(['SMITH', undefined, 'LEE'], ['SMITH', 'JONES', 'KIM']); // correct 1, guessed 2, share 1/3
 * ```
 */
export function scoreGuesses(
  guesses: readonly (string | undefined)[],
  truth: readonly (string | undefined)[],
): AttackOutcome {
  if (guesses.length !== truth.length) throw new RangeError('guesses and truth must have the same length');
  const hits = new Uint8Array(truth.length);
  let records = 0;
  let guessed = 0;
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    const g = guesses[i];
    if (t === undefined) continue;
    records++;
    if (g === undefined) continue;
    guessed++;
    if (g === t) {
      correct++;
      hits[i] = 1;
    }
  }
  return {
    records,
    guessed,
    correct,
    share: records ? correct / records : 0,
    precision: guessed ? correct / guessed : 0,
    hits,
  };
}

/**
 * Share of all records with at least one hit in any of the outcomes (e.g. first *or* last name
 * re-identified).
 * @example
 * ```ts
 * anyHitShare([first, last]); // 0.41
 * ```
 */
export function anyHitShare(outcomes: readonly AttackOutcome[]): number {
  const n = outcomes[0]?.hits.length ?? 0;
  if (n === 0) return 0;
  let any = 0;
  for (let i = 0; i < n; i++) if (outcomes.some((o) => o.hits[i] === 1)) any++;
  return any / n;
}
