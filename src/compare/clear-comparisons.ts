/**
 * The comparisons of clear-text mode: the default comparisons, with string levels for first and last
 * name (Jaro–Winkler and Levenshtein on the normalised names a clear-text batch carries) in place of
 * the Dice levels ≥ 0.7 on their own name. Only clear-text batches have the strings: on encoded
 * files these comparisons are refused (`MODEL_INVALID`), so they can never score an exchange. The
 * levels were chosen by measurement (docs/scoring.md, "Clear-text mode"; `bench/clear-levels.ts`).
 */
import { type ComparisonSpec, DEFAULT_COMPARISONS, type LevelSpec } from './comparisons.js';

/** The string column of each name comparison. */
const TEXT_OF: Readonly<Record<string, string>> = { FirstName: 'firstText', LastName: 'lastText' };

/** The string levels of a name, best first. */
function stringLevels(feature: string): LevelSpec[] {
  return [
    { label: 'levenshtein ≤ 1', when: { type: 'levenshtein', feature, max: 1 } },
    { label: 'jaro-winkler ≥ 0.94', when: { type: 'jaroWinkler', feature, min: 0.94 } },
    { label: 'jaro-winkler ≥ 0.88', when: { type: 'jaroWinkler', feature, min: 0.88 } },
  ];
}

/** Whether a level is a Dice level ≥ 0.7 of the name with itself (what the string levels replace). */
function ownDice(lv: LevelSpec): boolean {
  return lv.when.type === 'dice' && lv.when.min >= 0.7;
}

/**
 * The clear-text comparisons for `base` (default {@link DEFAULT_COMPARISONS}): FirstName and
 * LastName get the string levels where their Dice levels ≥ 0.7 were; every other comparison and
 * level is kept as it is (the swapped-name and Dice ≥ 0.5 levels too).
 * @example
 * ```ts
 * import { clearTextComparisons } from 'bloomlink';
 * import { clearTextEncoder } from 'bloomlink/encode';
 * const coc = clearTextEncoder('coc');
 * const result = matchBatches(coc.encodeBatch(clients), clearTextEncoder('mcp').encodeBatch(members), {
 *   meta: coc.meta,
 *   comparisons: clearTextComparisons(),
 * });
 * ```
 */
export function clearTextComparisons(
  base: readonly ComparisonSpec[] = DEFAULT_COMPARISONS,
): ComparisonSpec[] {
  return base.map((c) => {
    const feature = TEXT_OF[c.name];
    if (feature === undefined) return c;
    const levels: LevelSpec[] = [];
    let placed = false;
    for (const lv of c.levels) {
      if (!ownDice(lv)) levels.push(lv);
      else if (!placed) {
        levels.push(...stringLevels(feature));
        placed = true;
      }
    }
    return { ...c, levels };
  });
}
