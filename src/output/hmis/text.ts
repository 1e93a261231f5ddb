/**
 * Text values for HMIS CSV `S` fields.
 */

// HUD FY2026: every UTF-8 character may be exported except < > [ ] { }, which are stripped.
const STRIPPED = /[<>[\]{}]/g;
// A line break inside a field is legal CSV but breaks many HMIS importers; a tab is invisible data.
const BREAKS = /[\r\n\t]+/g;

/**
 * A value as an HMIS `S` field holds it: the characters HUD strips removed, line breaks and tabs
 * turned into a space, surrounding space trimmed. `undefined` when nothing is left.
 *
 * @example
 * ```ts
 * hmisText(' Hope <Harbor> Services\r\n'); // 'Hope Harbor Services'
 * hmisText('{}'); // undefined
 * ```
 */
export function hmisText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const s = value.replace(STRIPPED, '').replace(BREAKS, ' ').trim();
  return s === '' ? undefined : s;
}

/**
 * `hmisText`, then cut to at most `max` characters (code points), for defaults built from data
 * (an organization name from the plan's name) that must fit a field.
 *
 * @example
 * ```ts
 * clipText('Golden State Health Plan', 11); // 'Golden Stat'
 * ```
 */
export function clipText(value: string, max: number): string {
  const s = hmisText(value) ?? '';
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, max).join('').trimEnd();
}

/**
 * Length of a string in characters (code points), as HUD counts `S` lengths.
 *
 * @example
 * ```ts
 * charLength('José'); // 4
 * ```
 */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
