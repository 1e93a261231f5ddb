/**
 * Generational name suffixes. People and intake forms put them in the suffix field, at the end of
 * the last name ("SMITH JR") or at the end of the first name ("JOHN JR"); all three must give the
 * same normalised name.
 */
import { isPlaceholderFolded } from './placeholders.js';
import { foldText } from './text.js';

/** Spellings of a generational suffix → its canonical form. */
const SUFFIXES: ReadonlyMap<string, string> = new Map([
  ['JR', 'JR'],
  ['JNR', 'JR'],
  ['JUNIOR', 'JR'],
  ['SR', 'SR'],
  ['SNR', 'SR'],
  ['SENIOR', 'SR'],
  ['II', 'II'],
  ['2ND', 'II'],
  ['III', 'III'],
  ['3RD', 'III'],
  ['IV', 'IV'],
  ['4TH', 'IV'],
  ['V', 'V'],
  ['5TH', 'V'],
]);

/**
 * The canonical suffix a single folded token stands for, or `undefined`.
 * `allowV` is false where a lone V is more likely a middle initial than "the fifth".
 *
 * @example
 * ```ts
 * suffixOfToken('3RD', true); // 'III'
 * suffixOfToken('V', false);  // undefined
 * ```
 */
export function suffixOfToken(token: string, allowV: boolean): string | undefined {
  // Every suffix spelling is at most 6 characters and starts with J, S, I, V or a digit 2-5: most
  // name words fail this before the map is consulted. An empty token is settled here too, not by
  // `charCodeAt(0)` past its end (NaN), which threw away the optimised caller's code.
  if (token.length === 0 || token.length > 6) return undefined;
  const c = token.charCodeAt(0);
  if (c !== 74 && c !== 83 && c !== 73 && c !== 86 && (c < 50 || c > 53)) return undefined;
  if (!allowV && token === 'V') return undefined;
  return SUFFIXES.get(token);
}

/**
 * Normalises a name-suffix field: folded, separators removed, a known generational suffix in its
 * canonical form (JR, SR, II, III, IV, V; JUNIOR → JR, 3RD → III), any other value kept folded
 * (ESQ, MD); `undefined` when blank or a placeholder.
 *
 * @param raw - the suffix field as entered
 * @example
 * ```ts
 * normaliseSuffix('Jr.');    // 'JR'
 * normaliseSuffix('3rd');    // 'III'
 * normaliseSuffix('Esq');    // 'ESQ'
 * normaliseSuffix(' n/a ');  // undefined
 * ```
 */
export function normaliseSuffix(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const folded = foldText(raw);
  if (folded === '') return undefined;
  const compact = folded.indexOf(' ') < 0 ? folded : folded.replaceAll(' ', '');
  const known = SUFFIXES.get(compact);
  if (known !== undefined) return known;
  // One repeated letter is a placeholder elsewhere, but II and III are real suffixes (handled above).
  return isPlaceholderFolded(folded) ? undefined : compact;
}
