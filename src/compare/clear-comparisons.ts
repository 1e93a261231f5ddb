/**
 * The comparisons of clear-text mode: the default comparisons, with string levels for first and last
 * name (Jaro–Winkler and Levenshtein on the normalised names a clear-text batch carries) in place of
 * the Dice levels ≥ 0.7 on their own name, and the swapped-name level on Jaro–Winkler. Only clear-text batches have the strings: on encoded
 * files these comparisons are refused (`MODEL_INVALID`), so they can never score an exchange. The
 * levels were chosen by measurement (docs/scoring.md, "Clear-text mode"; `bench/clear-levels.ts`).
 */
import { type ComparisonSpec, DEFAULT_COMPARISONS, type LevelSpec } from './comparisons.js';

/** The string column of each name comparison, and of the other name (for the swapped level). */
const TEXT_OF: Readonly<Record<string, readonly [string, string]>> = {
  FirstName: ['firstText', 'lastText'],
  LastName: ['lastText', 'firstText'],
};

/** Jaro–Winkler threshold of the swapped-name level (the Dice level's is 0.88 too). */
const SWAPPED_MIN = 0.88;

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
 * The swapped-name level on strings: the Dice level's own-name ↔ other-name pair (either way round,
 * or with `both` a full swap), on Jaro–Winkler of the normalised names.
 */
function swappedLevel(lv: LevelSpec, [self, other]: readonly [string, string]): LevelSpec {
  const both = lv.when.type === 'crossDice' && lv.when.both === true;
  return {
    label: `${lv.label} (jaro-winkler ≥ ${SWAPPED_MIN})`,
    when: { type: 'crossJaroWinkler', a: self, b: other, min: SWAPPED_MIN, ...(both ? { both } : {}) },
  };
}

/**
 * The clear-text comparisons for `base` (default {@link DEFAULT_COMPARISONS}): FirstName and
 * LastName get the string levels where their Dice levels ≥ 0.7 were, and their swapped-name level
 * on Jaro–Winkler instead of Dice; every other comparison and level is kept as it is (Dice ≥ 0.5
 * too).
 * @example
 * ```ts
 * import { clearTextComparisons, match } from 'bloomlink';
 * import { clearTextEncoder, type PersonToEncode } from 'bloomlink/encode';
 * declare const clients: PersonToEncode[]; // normalised records, e.g. readClients(...).records
 * declare const members: PersonToEncode[];
 * const enc = clearTextEncoder('coc');
 * const result = match(
 *   { meta: enc.meta, batch: enc.encodeBatch(clients) },
 *   { meta: clearTextEncoder('mcp').meta, batch: clearTextEncoder('mcp').encodeBatch(members) },
 *   { comparisons: clearTextComparisons() },
 * );
 * ```
 */
export function clearTextComparisons(
  base: readonly ComparisonSpec[] = DEFAULT_COMPARISONS,
): ComparisonSpec[] {
  return base.map((c) => {
    const names = TEXT_OF[c.name];
    if (names === undefined) return c;
    const levels: LevelSpec[] = [];
    let placed = false;
    for (const lv of c.levels) {
      if (lv.when.type === 'crossDice') levels.push(swappedLevel(lv, names));
      else if (!ownDice(lv)) levels.push(lv);
      else if (!placed) {
        levels.push(...stringLevels(names[0]));
        placed = true;
      }
    }
    return { ...c, levels };
  });
}
